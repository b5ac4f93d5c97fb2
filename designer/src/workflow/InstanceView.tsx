import { useEffect, useRef, useState } from 'react';
import { Alert, Card, Descriptions, Space, Tag, Timeline, Typography } from 'antd';
import dayjs from 'dayjs';
import { useParams } from 'react-router';
import Viewer from 'bpmn-js/lib/NavigatedViewer';
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css';
import { api } from '../shell/api';
import { useI18n } from '../shell/i18n';
import type { MessageKey } from '../shell/messages';
import { ErrorState, Loading } from '../shell/states';
import { useAsync } from '../shell/useAsync';
import { importWithLayout, lingshuModdle } from './bpmn';
import './workflow.css';

/* eslint-disable @typescript-eslint/no-explicit-any */

interface Instance {
  id: string;
  processKey: string;
  processVersion: number;
  title: string;
  status: 'running' | 'completed' | 'cancelled';
  startedBy: string;
  startedAt: string;
  endedAt: string | null;
  tasks: Array<{ id: string; activityId: string; name: string; assignee: string | null; candidateRoles: string[]; status: string; dueAt: string | null }>;
}

interface Diagram {
  key: string;
  version: number;
  name: string;
  xml: string;
  active: string[];
  completed: string[];
}

interface Event {
  id: string;
  at: string;
  actor: string;
  type: string;
  activity_id: string | null;
  comment: string | null;
  detail: Record<string, unknown> | null;
  attachments: Array<{ id: string; name: string }>;
}

const STATUS_COLOR = { running: 'processing', completed: 'success', cancelled: 'default' } as const;

/**
 * A process instance: the diagram of the definition version it runs on, its current activities
 * highlighted and the completed ones marked, and its history beside it. Route: /workflow/instances/:id.
 */
export default function InstanceView() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const data = useAsync(
    () =>
      Promise.all([
        api.get<Instance>(`/api/workflow/instances/${encodeURIComponent(id)}`),
        api.get<Diagram>(`/api/workflow/instances/${encodeURIComponent(id)}/diagram`),
        api.get<Event[]>(`/api/workflow/instances/${encodeURIComponent(id)}/timeline`),
      ]),
    [id],
  );
  const container = useRef<HTMLDivElement>(null);
  const [viewer, setViewer] = useState<any>();
  const [importError, setImportError] = useState<string>();
  const ready = !!data.data;
  useEffect(() => {
    if (!ready) return;
    const v = new (Viewer as any)({ container: container.current!, moddleExtensions: { lingshu: lingshuModdle } });
    setViewer(v);
    return () => v.destroy();
  }, [ready]);
  useEffect(() => {
    if (!viewer || !data.data) return;
    const [, diagram] = data.data;
    importWithLayout(viewer, diagram.xml).then(
      () => {
        const canvas = viewer.get('canvas');
        const registry = viewer.get('elementRegistry');
        for (const a of diagram.completed) if (registry.get(a)) canvas.addMarker(a, 'ls-done');
        for (const a of diagram.active) if (registry.get(a)) canvas.addMarker(a, 'ls-active');
      },
      err => setImportError((err as Error).message),
    );
  }, [viewer, data.data]);
  if (data.error) return <ErrorState error={data.error} onRetry={data.reload} />;
  if (!data.data) return <Loading />;
  const [instance, diagram, events] = data.data;
  const eventLabel = (type: string) => {
    const key = `mdl.ev.${type}` as MessageKey;
    const text = t(key);
    return text === key ? type : text;
  };
  return (
    <>
      <div className="ls-page-header">
        <Space align="baseline">
          <Typography.Title level={4} style={{ margin: 0 }}>{instance.title}</Typography.Title>
          <Tag color={STATUS_COLOR[instance.status]} data-testid="instance-status">{t(`mdl.status.${instance.status}` as MessageKey)}</Tag>
        </Space>
        <span className="ls-bpmn-legend">
          <span><i className="active" />{t('mdl.legendActive')}</span>
          <span><i className="done" />{t('mdl.legendDone')}</span>
        </span>
      </div>
      {importError && <Alert type="error" showIcon message={importError} style={{ marginBottom: 12 }} />}
      <div className="ls-bpmn-layout">
        <div className="ls-bpmn-canvas" ref={container} data-testid="instance-canvas" />
        <div className="ls-bpmn-side">
          <Card size="small" style={{ marginBottom: 12 }}>
            <Descriptions size="small" column={1}>
              <Descriptions.Item label={t('mdl.instance')}>{t('mdl.instanceOf', { name: diagram.name, version: diagram.version })}</Descriptions.Item>
              <Descriptions.Item label={t('mdl.startedBy')}>{instance.startedBy}</Descriptions.Item>
              <Descriptions.Item label={t('mdl.startedAt')}>{dayjs(instance.startedAt).format('YYYY-MM-DD HH:mm')}</Descriptions.Item>
              <Descriptions.Item label={t('mdl.tasks')}>
                <Space direction="vertical" size={2} data-testid="instance-active">
                  {instance.tasks.filter(x => x.status === 'open').map(x => (
                    <span key={x.id}>
                      <Tag color="blue">{x.name}</Tag>
                      {x.assignee ?? x.candidateRoles.join('、')}
                      {x.dueAt && <Typography.Text type="secondary"> · {dayjs(x.dueAt).format('MM-DD HH:mm')}</Typography.Text>}
                    </span>
                  ))}
                </Space>
              </Descriptions.Item>
            </Descriptions>
          </Card>
          <Card size="small" title={t('mdl.history')}>
            <Timeline
              data-testid="instance-timeline"
              items={events.map(e => ({
                key: e.id,
                color: e.type === 'task.completed' ? 'green' : e.type === 'task.overdue' ? 'red' : 'blue',
                children: (
                  <>
                    <div>
                      <Typography.Text strong>{eventLabel(e.type)}</Typography.Text>
                      {typeof e.detail?.task === 'string' && ` · ${e.detail.task}`}
                      {typeof e.detail?.decision === 'string' && <Tag style={{ marginLeft: 6 }}>{e.detail.decision}</Tag>}
                    </div>
                    <Typography.Text type="secondary">
                      {dayjs(e.at).format('YYYY-MM-DD HH:mm')} · {e.actor}
                    </Typography.Text>
                    {e.comment && <div>{e.comment}</div>}
                    {e.attachments.length > 0 && <div>📎 {e.attachments.map(a => a.name).join('、')}</div>}
                  </>
                ),
              }))}
            />
          </Card>
        </div>
      </div>
    </>
  );
}
