import { useState } from 'react';
import { App, Button, Card, Drawer, Space, Table, Tabs, Tag, Typography } from 'antd';
import { ApartmentOutlined, HistoryOutlined, ReloadOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { Link, useSearchParams } from 'react-router';
import { ApiError, api } from '../shell/api';
import { describeError } from '../shell/errors';
import { useI18n } from '../shell/i18n';
import { ErrorState, PanelSkeleton } from '../shell/states';
import { useAsync } from '../shell/useAsync';
import { CaseDetails, CaseTimeline, CommentPeriod } from './CaseTimeline';
import { TaskActions } from './TaskActions';
import { Instance, Task, decisionLabel, processLabel } from './types';

type View = 'mine' | 'claimable' | 'done';
const time = (iso: string | null | undefined) => (iso ? dayjs(iso).format('YYYY-MM-DD HH:mm') : '—');

/** 待办: my tasks, tasks I may claim, tasks I decided; a drawer to decide one. */
export default function Inbox() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const view = (['mine', 'claimable', 'done'].includes(params.get('view') ?? '') ? params.get('view') : 'mine') as View;
  const openTask = params.get('task');
  const tasks = useAsync(() => api.get<Task[]>(`/api/workflow/tasks?view=${view}`), [view]);
  const [claiming, setClaiming] = useState<string | null>(null);

  const setView = (v: string) => setParams({ view: v });
  const open = (id: string | null) => {
    const next = new URLSearchParams(params);
    if (id) next.set('task', id);
    else next.delete('task');
    setParams(next);
  };

  const claim = async (task: Task) => {
    setClaiming(task.id);
    try {
      await api.post(`/api/workflow/tasks/${task.id}/claim`);
      message.success(t('inbox.claimed'));
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) message.warning(t('inbox.conflict', { message: err.message }), 6);
      else message.error(describeError(t, err));
    } finally {
      setClaiming(null);
      tasks.reload();
    }
  };

  const columns = [
    { title: t('inbox.col.process'), dataIndex: 'processKey', width: 130, render: (k: string) => processLabel(t, k) },
    { title: t('inbox.col.subject'), dataIndex: 'instanceTitle', render: (title: string, r: Task) => <a onClick={() => open(r.id)} data-testid="task-subject">{title}</a> },
    { title: t('inbox.col.step'), dataIndex: 'name', width: 120, render: (n: string) => <Tag color="blue">{n}</Tag> },
    { title: t('inbox.col.requestedBy'), dataIndex: 'requestedBy', width: 130 },
    ...(view === 'done'
      ? [
          { title: t('inbox.col.decision'), dataIndex: 'decision', width: 150, render: (d: Task['decision'], r: Task) => (d ? <Tag color={d === 'approve' ? 'green' : 'red'}>{decisionLabel(t, d, r.activityId)}</Tag> : '—') },
          { title: t('inbox.col.completedAt'), dataIndex: 'completedAt', width: 150, render: time },
        ]
      : [
          { title: t('inbox.col.created'), dataIndex: 'createdAt', width: 150, render: time },
          {
            title: t('inbox.col.due'),
            dataIndex: 'dueAt',
            width: 170,
            render: (due: string | null) =>
              due && Date.parse(due) < Date.now() ? (
                <Typography.Text type="danger" data-testid="overdue">
                  {time(due)} {t('inbox.overdue')}
                </Typography.Text>
              ) : (
                time(due)
              ),
          },
        ]),
    {
      title: t('common.actions'),
      key: 'actions',
      width: 130,
      render: (_: unknown, r: Task) => (
        <Space size={4}>
          {view === 'claimable' && (
            <Button size="small" type="primary" loading={claiming === r.id} onClick={() => claim(r)} data-testid="claim-task">
              {t('inbox.claim')}
            </Button>
          )}
          <Button size="small" onClick={() => open(r.id)} data-testid="open-task">
            {view === 'done' ? t('common.view') : t('inbox.open')}
          </Button>
        </Space>
      ),
    },
  ];

  return (
    <>
      <div className="ls-page-header">
        <Typography.Title level={4}>{t('inbox.title')}</Typography.Title>
        <Button icon={<ReloadOutlined />} onClick={tasks.reload}>
          {t('inbox.refresh')}
        </Button>
      </div>
      <Card variant="borderless">
        <Tabs
          activeKey={view}
          onChange={setView}
          items={(['mine', 'claimable', 'done'] as View[]).map(v => ({ key: v, label: <span data-testid={`inbox-tab-${v}`}>{t(`inbox.tab.${v}`)}</span> }))}
        />
        {tasks.error ? (
          <ErrorState error={tasks.error} onRetry={tasks.reload} />
        ) : (
          <Table<Task> rowKey="id" size="middle" loading={tasks.loading} dataSource={tasks.data ?? []} columns={columns} pagination={{ pageSize: 20, hideOnSinglePage: true }} data-testid="inbox-table" />
        )}
      </Card>
      <TaskDrawer
        taskId={openTask}
        onClose={() => open(null)}
        onDone={() => {
          open(null);
          tasks.reload();
        }}
      />
    </>
  );
}

/** One task: what the case is about, the decision form, the comment period and the timeline. */
function TaskDrawer({ taskId, onClose, onDone }: { taskId: string | null; onClose(): void; onDone(): void }) {
  const { t } = useI18n();
  const data = useAsync(async () => {
    if (!taskId) return undefined;
    const task = await api.get<Task>(`/api/workflow/tasks/${taskId}`);
    const instance = await api.get<Instance>(`/api/workflow/instances/${task.instanceId}`);
    return { task, instance };
  }, [taskId]);
  const current = data.data && data.data.task.id === taskId ? data.data : undefined;
  return (
    <Drawer open={!!taskId} onClose={onClose} width={760} title={current ? `${current.instance.title} · ${current.task.name}` : t('inbox.task')} destroyOnHidden data-testid="task-drawer">
      {data.error ? (
        <ErrorState error={data.error} onRetry={data.reload} />
      ) : !current ? (
        <PanelSkeleton />
      ) : (
        <Space direction="vertical" size="large" style={{ width: '100%' }}>
          <CaseDetails instance={current.instance} />
          {current.task.status === 'open' && (
            <Card size="small" title={t('inbox.task')}>
              <TaskActions task={current.task} processKey={current.instance.processKey} onDone={onDone} />
            </Card>
          )}
          <CommentPeriod tasks={current.instance.tasks} />
          <div>
            <Space style={{ marginBottom: 12 }}>
              <Typography.Title level={5} style={{ margin: 0 }}>
                {t('inbox.timeline')}
              </Typography.Title>
              <Link to={`/inbox/cases/${current.instance.id}`} data-testid="case-link">
                <Button size="small" icon={<HistoryOutlined />}>{t('inbox.timeline')}</Button>
              </Link>
              <Link to={`/workflow/instances/${current.instance.id}`}>
                <Button size="small" icon={<ApartmentOutlined />}>{t('inbox.diagram')}</Button>
              </Link>
            </Space>
            <CaseTimeline instanceId={current.instance.id} tasks={current.instance.tasks} />
          </div>
        </Space>
      )}
    </Drawer>
  );
}
