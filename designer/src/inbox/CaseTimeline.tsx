import type React from 'react';
import { Alert, App, Breadcrumb, Button, Card, Descriptions, Space, Table, Tag, Timeline, Typography } from 'antd';
import { ApartmentOutlined, CheckCircleOutlined, ClockCircleOutlined, CloseCircleOutlined, PaperClipOutlined, RollbackOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { Link, useParams } from 'react-router';
import { api } from '../shell/api';
import { describeError } from '../shell/errors';
import { useI18n } from '../shell/i18n';
import { MessageKey } from '../shell/messages';
import { useSession } from '../shell/session';
import { ErrorState, Loading, PanelSkeleton } from '../shell/states';
import { useAsync } from '../shell/useAsync';
import { Item, Kind, SLUG } from '../designer/kinds';
import { StatusTag } from '../designer/StatusTag';
import { TaskActions } from './TaskActions';
import { download } from '../runtime/types';
import { Instance, Task, TimelineEvent, decisionLabel, processLabel } from './types';

const time = (iso: string | null | undefined) => (iso ? dayjs(iso).format('YYYY-MM-DD HH:mm') : '—');

/** What the case is about: the metadata item of a standard drafting, the application of a resource approval. */
export function CaseDetails({ instance }: { instance: Instance }) {
  const { t } = useI18n();
  const v = instance.variables;
  const kind = typeof v.subjectKind === 'string' ? (v.subjectKind as Kind) : undefined;
  const subjectId = typeof v.subjectId === 'string' ? v.subjectId : undefined;
  const items: Array<{ key: string; label: string; children: React.ReactNode }> = [
    { key: 'process', label: t('inbox.col.process'), children: `${processLabel(t, instance.processKey)} v${instance.processVersion}` },
    { key: 'status', label: t('inbox.case.status'), children: t(`inbox.case.status.${instance.status}` as MessageKey) },
    { key: 'startedBy', label: t('inbox.case.startedBy'), children: instance.startedBy },
    { key: 'startedAt', label: t('inbox.case.startedAt'), children: time(instance.startedAt) },
  ];
  // What a generic review is about (a mapping's second check: the local entry → the proposed codes).
  if (typeof v.subject === 'string') items.push({ key: 'subject', label: t('inbox.case.reviewSubject'), children: <span data-testid="case-review-subject">{v.subject}</span> });
  if (typeof v.resourceId === 'string') {
    items.push(
      { key: 'resource', label: t('inbox.case.resource'), children: v.resourceId },
      { key: 'applicant', label: t('inbox.case.applicant'), children: `${instance.startedBy}${instance.starterOrg ? `（${instance.starterOrg}）` : ''}` },
      { key: 'purpose', label: t('inbox.case.purpose'), children: String(v.purpose ?? '—') },
      { key: 'fields', label: t('inbox.case.fields'), children: Array.isArray(v.fields) ? <Space size={4} wrap>{(v.fields as string[]).map(f => <Tag key={f}>{f}</Tag>)}</Space> : '—' },
      { key: 'period', label: t('inbox.case.period'), children: v.periodDays ? t('inbox.case.periodDays', { days: Number(v.periodDays) }) : '—' },
    );
  }
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Descriptions size="small" bordered column={2} items={items} data-testid="case-details" />
      {kind && subjectId && SLUG[kind] && <SubjectSummary kind={kind} id={subjectId} />}
    </Space>
  );
}

function SubjectSummary({ kind, id }: { kind: Kind; id: string }) {
  const { t } = useI18n();
  const item = useAsync(() => api.get<Item>(`/api/meta/${SLUG[kind]}/${id}`), [kind, id]);
  if (item.error) return <Alert type="warning" message={describeError(t, item.error)} />;
  if (!item.data) return <PanelSkeleton />;
  const it = item.data;
  return (
    <Card size="small" title={t('inbox.case.subject')} extra={<Link to={`/meta/${SLUG[kind]}/${id}`} data-testid="case-subject-link">{t('inbox.case.openInDesigner')}</Link>} data-testid="case-subject">
      <Space direction="vertical" size={4}>
        <Space wrap>
          <Typography.Text strong>{it.name}</Typography.Text>
          <Typography.Text type="secondary">
            {it.namespace}:{it.identifier} · v{it.version}
          </Typography.Text>
          <StatusTag status={it.workflowStatus} />
        </Space>
        {it.definition && <Typography.Paragraph style={{ margin: 0 }}>{it.definition}</Typography.Paragraph>}
        {it.kind === 'data-element' && (
          <Typography.Text type="secondary">
            {it.dataType} · <Typography.Text code>{it.format}</Typography.Text>
          </Typography.Text>
        )}
      </Space>
    </Card>
  );
}

/** The case's events, comments and attachments as a timeline, oldest first. */
export function CaseTimeline({ instanceId, tasks, reloadKey }: { instanceId: string; tasks: Task[]; reloadKey?: number }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const events = useAsync(() => api.get<TimelineEvent[]>(`/api/workflow/instances/${instanceId}/timeline`), [instanceId, reloadKey]);
  if (events.error) return <ErrorState error={events.error} onRetry={events.reload} />;
  if (!events.data) return <PanelSkeleton />;
  const stepName = (e: TimelineEvent) => String(e.detail?.task ?? tasks.find(x => x.id === e.task_id || x.activityId === e.activity_id)?.name ?? e.activity_id ?? '');
  const label = (e: TimelineEvent): string => {
    const d = e.detail ?? {};
    const outcome = typeof d.outcome === 'string' ? t(`inbox.outcome.${d.outcome}` as MessageKey) : '';
    const vars: Record<string, string | number> = { step: stepName(e), to: String(d.to ?? ''), outcome, approvals: Number(d.approvals ?? 0), of: Number(d.of ?? 0) };
    if (e.type === 'task.completed') vars.decision = decisionLabel(t, d.decision as 'approve', e.activity_id ?? '');
    if (e.type === 'action.done') {
      const action = `inbox.action.${String(d.action)}` as MessageKey;
      vars.step = action in ACTION_KEYS ? t(action) : String(d.action ?? e.activity_id);
    }
    const key = `inbox.event.${e.type}` as MessageKey;
    return key in EVENT_KEYS ? t(key, vars) : e.type;
  };
  return (
    <Timeline
      data-testid="case-timeline"
      items={events.data.map(e => ({
        key: e.id,
        color: e.type === 'task.completed' ? (e.detail?.decision === 'approve' ? 'green' : 'red') : e.type.startsWith('instance') ? 'blue' : 'gray',
        dot: e.type === 'task.completed' ? (e.detail?.decision === 'approve' ? <CheckCircleOutlined /> : e.detail?.decision === 'return' ? <RollbackOutlined /> : <CloseCircleOutlined />) : e.type === 'task.overdue' ? <ClockCircleOutlined /> : undefined,
        children: (
          <div data-testid="timeline-event" data-type={e.type}>
            <Space wrap size={6}>
              <Typography.Text strong>{label(e)}</Typography.Text>
              <Typography.Text type="secondary">
                {e.actor} · {time(e.at)}
              </Typography.Text>
            </Space>
            {e.comment && <div className="ls-timeline-comment" data-testid="timeline-comment">{e.comment}</div>}
            {e.attachments.map(a => (
              <div key={a.id}>
                <Button type="link" size="small" icon={<PaperClipOutlined />} onClick={() => download(`/api/workflow/attachments/${a.id}`, a.name).catch(err => message.error(describeError(t, err)))} data-testid="timeline-attachment">
                  {a.name}
                </Button>
                <Typography.Text type="secondary">{Math.max(1, Math.round(a.size / 1024))} KB</Typography.Text>
              </div>
            ))}
          </div>
        ),
      }))}
    />
  );
}
const ACTION_KEYS: Record<string, true> = Object.fromEntries(['metaSubmit', 'metaWithdraw', 'metaPublish', 'grantResource', 'notifyOpenTasks'].map(k => [`inbox.action.${k}`, true]));
const EVENT_KEYS: Record<string, true> = Object.fromEntries(
  ['instance.started', 'instance.completed', 'task.created', 'task.completed', 'task.claimed', 'task.delegated', 'task.cancelled', 'task.overdue', 'activity.decided', 'action.done', 'timer.fired'].map(k => [`inbox.event.${k}`, true]),
);

/** The comment period: each reviewer's task, and their comment once given. */
export function CommentPeriod({ tasks }: { tasks: Task[] }) {
  const { t } = useI18n();
  const comments = tasks.filter(x => x.activityId === 'comment');
  if (!comments.length) return null;
  return (
    <Table<Task>
      size="small"
      rowKey="id"
      pagination={false}
      title={() => t('inbox.commentPeriod')}
      dataSource={comments}
      data-testid="comment-period"
      columns={[
        { title: t('inbox.commentPeriod.reviewer'), dataIndex: 'assignee', width: 160 },
        { title: t('inbox.col.created'), dataIndex: 'createdAt', width: 150, render: time },
        {
          title: t('inbox.commentPeriod.status'),
          dataIndex: 'status',
          width: 100,
          render: (s: Task['status']) => (s === 'completed' ? <Tag color="green">{t('inbox.commentPeriod.submitted')}</Tag> : s === 'open' ? <Tag color="processing">{t('inbox.commentPeriod.pending')}</Tag> : <Tag>{s}</Tag>),
        },
        { title: t('inbox.comment'), dataIndex: 'comment', render: (c: string | null) => c ?? '—' },
      ]}
    />
  );
}

/** My open tasks in a case (assigned to me, or offered to my roles), each with its actions. */
export function MyTasks({ instance, onDone }: { instance: Instance; onDone(): void }) {
  const { t } = useI18n();
  const { user } = useSession();
  const mine = instance.tasks.filter(x => x.status === 'open' && (x.assignee === user?.username || (x.assignee === null && x.candidateRoles.some(r => user?.roles.includes(r)) && (x.orgCode === null || x.orgCode === user?.orgCode))));
  if (!mine.length) return <Typography.Text type="secondary">{t('inbox.noTask')}</Typography.Text>;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {mine.map(task => (
        <Card key={task.id} size="small" title={t('inbox.myTask', { step: task.name })} data-testid="my-task">
          <TaskActions task={task} processKey={instance.processKey} onDone={onDone} />
        </Card>
      ))}
    </Space>
  );
}

/** 流程跟踪: the case page — details, my task, the comment period and the timeline. */
export default function CasePage() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const instance = useAsync(() => api.get<Instance>(`/api/workflow/instances/${id}`), [id]);
  if (instance.error) return <ErrorState error={instance.error} onRetry={instance.reload} />;
  if (!instance.data || instance.data.id !== id) return <Loading />;
  const i = instance.data;
  return (
    <>
      <Breadcrumb style={{ marginBottom: 12 }} items={[{ title: <Link to="/inbox">{t('menu.inbox')}</Link> }, { title: t('inbox.timeline') }]} />
      <div className="ls-page-header">
        <Typography.Title level={4} data-testid="case-title">
          {i.title}
        </Typography.Title>
        <Link to={`/workflow/instances/${i.id}`}>
          <Button icon={<ApartmentOutlined />}>{t('inbox.diagram')}</Button>
        </Link>
      </div>
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <Card variant="borderless" title={t('inbox.case')}>
          <CaseDetails instance={i} />
        </Card>
        <Card variant="borderless" title={t('inbox.task')}>
          <MyTasks instance={i} onDone={instance.reload} />
        </Card>
        {i.tasks.some(x => x.activityId === 'comment') && (
          <Card variant="borderless">
            <CommentPeriod tasks={i.tasks} />
          </Card>
        )}
        <Card variant="borderless" title={t('inbox.timeline')}>
          <CaseTimeline instanceId={i.id} tasks={i.tasks} reloadKey={Date.parse(i.updatedAt)} />
        </Card>
      </Space>
    </>
  );
}
