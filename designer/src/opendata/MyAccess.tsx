import { useState } from 'react';
import { App, Button, Card, Drawer, Space, Table, Tag, Timeline, Typography } from 'antd';
import { DownloadOutlined, HistoryOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { api } from '../shell/api';
import { describeError } from '../shell/errors';
import { useI18n } from '../shell/i18n';
import { MessageKey } from '../shell/messages';
import { EmptyState, ErrorState, Loading } from '../shell/states';
import { useAsync } from '../shell/useAsync';
import { Application, STATE_COLOR, downloadResource } from './types';

const when = (iso: string) => dayjs(iso).format('YYYY-MM-DD HH:mm');

/** 我的申请与授权: each application with its state, its case timeline, and the downloads while granted. */
export default function MyAccess() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const apps = useAsync(() => api.get<Application[]>('/api/workflow/applications'), []);
  const [timeline, setTimeline] = useState<Application | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const fetchFile = async (code: string, format: 'csv' | 'xlsx') => {
    setBusy(`${code}:${format}`);
    try {
      await downloadResource(code, format);
      message.success(t('od.downloaded'));
    } catch (err) {
      message.error(describeError(t, err));
      apps.reload();
    } finally {
      setBusy(null);
    }
  };
  return (
    <>
      <div className="ls-page-header">
        <Typography.Title level={4}>{t('menu.odMine')}</Typography.Title>
      </div>
      <Card variant="borderless">
        {apps.error ? (
          <ErrorState error={apps.error} onRetry={apps.reload} />
        ) : (
          <Table<Application>
            rowKey="instanceId"
            loading={apps.loading}
            dataSource={apps.data ?? []}
            locale={{ emptyText: <EmptyState /> }}
            pagination={{ defaultPageSize: 20, hideOnSinglePage: true }}
            data-testid="od-applications"
            onRow={a => ({ 'data-testid': `od-app-${a.resourceId}`, 'data-state': a.state }) as React.HTMLAttributes<HTMLElement>}
            columns={[
              { title: t('od.name'), key: 'name', render: (_: unknown, a) => <Space direction="vertical" size={0}><Typography.Text strong>{a.resourceName ?? a.resourceId}</Typography.Text><Typography.Text type="secondary" style={{ fontSize: 12 }}>{a.resourceId}</Typography.Text></Space> },
              { title: t('od.purpose'), dataIndex: 'purpose', ellipsis: true },
              { title: t('od.fields'), dataIndex: 'fields', render: (fs: string[]) => fs.map(f => <Tag key={f}>{f}</Tag>) },
              { title: t('od.appliedAt'), dataIndex: 'startedAt', width: 150, render: when },
              {
                title: t('od.state'),
                key: 'state',
                width: 230,
                render: (_: unknown, a) => (
                  <Space direction="vertical" size={0}>
                    <Tag color={STATE_COLOR[a.state]} data-testid="od-state">
                      {a.state === 'granted' && a.grant ? t('od.state.granted', { date: when(a.grant.expiresAt) }) : t(`od.state.${a.state}` as MessageKey)}
                    </Tag>
                    {a.state === 'in-approval' && a.pendingTasks.length > 0 && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('od.pending', { steps: a.pendingTasks.join('、') })}</Typography.Text>}
                    {a.state === 'revoked' && a.grant?.revokeReason && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{a.grant.revokeReason}</Typography.Text>}
                  </Space>
                ),
              },
              {
                title: '',
                key: 'actions',
                width: 260,
                render: (_: unknown, a) => (
                  <Space wrap>
                    <Button size="small" icon={<HistoryOutlined />} onClick={() => setTimeline(a)} data-testid="od-timeline">{t('od.timeline')}</Button>
                    {a.state === 'granted' && (
                      <>
                        <Button size="small" type="primary" icon={<DownloadOutlined />} loading={busy === `${a.resourceId}:csv`} onClick={() => fetchFile(a.resourceId, 'csv')} data-testid="od-download-csv">{t('od.downloadCsv')}</Button>
                        <Button size="small" type="primary" icon={<DownloadOutlined />} loading={busy === `${a.resourceId}:xlsx`} onClick={() => fetchFile(a.resourceId, 'xlsx')} data-testid="od-download-xlsx">{t('od.downloadXlsx')}</Button>
                      </>
                    )}
                  </Space>
                ),
              },
            ]}
          />
        )}
      </Card>
      {timeline && <CaseTimeline application={timeline} onClose={() => setTimeline(null)} />}
    </>
  );
}

interface TimelineEvent {
  id: string;
  at: string;
  actor: string;
  type: string;
  comment: string | null;
  detail: { decision?: string; task?: string; outcome?: string } | null;
}

/** The history of one application's case, as the workflow records it. */
function CaseTimeline({ application, onClose }: { application: Application; onClose: () => void }) {
  const { t } = useI18n();
  const events = useAsync(() => api.get<TimelineEvent[]>(`/api/workflow/instances/${application.instanceId}/timeline`), [application.instanceId]);
  const label = (e: TimelineEvent) => {
    const key = `od.event.${e.type}` as MessageKey;
    const base = t(key) === key ? e.type : t(key);
    const decision = e.detail?.decision ? ` · ${e.detail.task ?? ''} ${t(`od.decision.${e.detail.decision}` as MessageKey)}` : '';
    const outcome = e.detail?.outcome ? ` · ${t(`od.outcome.${e.detail.outcome}` as MessageKey)}` : '';
    return `${base}${decision}${outcome}`;
  };
  return (
    <Drawer open title={`${t('od.timeline')} · ${application.title}`} width={520} onClose={onClose} data-testid="od-timeline-drawer">
      {events.loading ? <Loading /> : events.error ? <ErrorState error={events.error} onRetry={events.reload} /> : (
        <Timeline
          items={(events.data ?? []).filter(e => e.type !== 'task.created' && e.type !== 'action.done').map(e => ({
            key: e.id,
            children: (
              <Space direction="vertical" size={0}>
                <Typography.Text>{label(e)}</Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>{when(e.at)} · {e.actor}</Typography.Text>
                {e.comment && <Typography.Text italic>{e.comment}</Typography.Text>}
              </Space>
            ),
          }))}
        />
      )}
    </Drawer>
  );
}
