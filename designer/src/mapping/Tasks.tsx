import { useState } from 'react';
import { App, AutoComplete, Button, Card, Modal, Progress, Select, Space, Switch, Table, Tag, Tooltip, Typography } from 'antd';
import { AuditOutlined, ThunderboltOutlined, UserAddOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router';
import { api } from '../shell/api';
import { describeError } from '../shell/errors';
import { useI18n } from '../shell/i18n';
import { useSession } from '../shell/session';
import { ErrorState } from '../shell/states';
import { useAsync } from '../shell/useAsync';
import { Task, mappingApi } from './api';
import { useInstitutions } from './Dictionaries';
import { useLabel, PageHeader } from './parts';
import { JobProgress, useJob } from '../jobs/Jobs';

/** Mapping tasks per institution and dictionary: progress, claim (申领), assign, run suggestions, review. */
export default function Tasks() {
  const { t } = useI18n();
  const label = useLabel();
  const { user, can } = useSession();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [institution, setInstitution] = useState<string>();
  const [mine, setMine] = useState(false);
  const list = useAsync(() => mappingApi.tasks({ institution, mine: mine ? 'true' : undefined }), [institution, mine]);
  const orgs = useInstitutions();
  const [assigning, setAssigning] = useState<Task | null>(null);
  const [jobs, setJobs] = useState<Record<string, { jobId: string; running: boolean }>>({});
  const mayAssign = can('mapping:tasks', 'admin');

  const act = async (fn: () => Promise<unknown>, ok?: string) => {
    try {
      await fn();
      if (ok) message.success(ok);
      list.reload();
    } catch (err) {
      message.error(describeError(t, err));
    }
  };

  const institutionOptions = (() => {
    const seen = new Map<string, string>();
    for (const o of orgs.data ?? []) seen.set(o.code, o.name);
    for (const d of list.data ?? []) if (!seen.has(d.institution)) seen.set(d.institution, d.institutionName ?? d.institution);
    return [...seen].map(([value, name]) => ({ value, label: `${name}（${value}）` }));
  })();

  return (
    <>
      <PageHeader title={t('menu.mapTasks')} onReload={list.reload} />
      <Card>
        <Space wrap style={{ marginBottom: 16 }}>
          <Select allowClear showSearch optionFilterProp="label" placeholder={t('map.institution')} style={{ width: 280 }} options={institutionOptions} value={institution} onChange={setInstitution} />
          <Space>
            <Switch checked={mine} onChange={setMine} data-testid="tasks-mine" />
            {t('map.mine')}
          </Space>
        </Space>
        {list.error ? (
          <ErrorState error={list.error} onRetry={list.reload} />
        ) : (
          <Table<Task>
            rowKey="id"
            size="middle"
            loading={list.loading}
            dataSource={list.data ?? []}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            data-testid="task-table"
            onRow={task => ({ 'data-task': task.name } as React.HTMLAttributes<HTMLElement>)}
            columns={[
              { title: t('map.institution'), key: 'i', render: (_, r) => r.institutionName ?? r.institution },
              { title: t('map.task'), key: 'n', render: (_, r) => <Space direction="vertical" size={0}><Typography.Text strong>{r.name}</Typography.Text><Tag>{label('map.kind', r.kind)}</Tag></Space> },
              { title: t('map.total'), dataIndex: 'total', align: 'right' },
              {
                title: t('map.pctSuggested'),
                key: 's',
                width: 180,
                render: (_, r) => (
                  <Tooltip title={`${r.suggested}/${r.total}`}>
                    <Progress percent={Math.round(r.pctSuggested * 10) / 10} size="small" strokeColor="#1677ff" format={p => `${p}%`} data-testid="pct-suggested" />
                  </Tooltip>
                ),
              },
              {
                title: t('map.pctConfirmed'),
                key: 'c',
                width: 180,
                render: (_, r) => (
                  <Tooltip title={`${r.confirmed}/${r.total}`}>
                    <Progress percent={Math.round(r.pctConfirmed * 10) / 10} size="small" strokeColor="#52c41a" format={p => `${p}%`} data-testid="pct-confirmed" />
                  </Tooltip>
                ),
              },
              { title: t('map.assignee'), dataIndex: 'assignee', render: a => (a ? <Tag color="blue">{a}</Tag> : <Typography.Text type="secondary">{t('map.unassigned')}</Typography.Text>) },
              { title: t('map.status'), dataIndex: 'status', render: s => label('map.task', s) },
              {
                title: t('map.actions'),
                key: 'a',
                width: 300,
                render: (_, r) => (
                  <Space direction="vertical" style={{ width: '100%' }}>
                    <Space size={4} wrap>
                      {r.assignee !== user?.username && (
                        <Button size="small" onClick={() => act(() => mappingApi.claim(r.id), t('map.claimed'))} data-testid={`claim-${r.id}`}>
                          {t('map.claim')}
                        </Button>
                      )}
                      {mayAssign && (
                        <Button size="small" icon={<UserAddOutlined />} onClick={() => setAssigning(r)} data-testid={`assign-${r.id}`}>
                          {t('map.assign')}
                        </Button>
                      )}
                      <Button
                        size="small"
                        icon={<ThunderboltOutlined />}
                        disabled={!!jobs[r.id]?.running}
                        onClick={() => act(async () => {
                          const { jobId } = await mappingApi.suggest(r.id);
                          setJobs(j => ({ ...j, [r.id]: { jobId, running: true } }));
                        })}
                        data-testid={`suggest-${r.id}`}
                      >
                        {t('map.suggest')}
                      </Button>
                      <Button size="small" type="primary" icon={<AuditOutlined />} onClick={() => navigate(`/mapping/tasks/${encodeURIComponent(r.id)}`)} data-testid={`review-${r.id}`}>
                        {t('map.review')}
                      </Button>
                    </Space>
                    {jobs[r.id] && (
                      <SuggestJob
                        jobId={jobs[r.id].jobId}
                        onEnd={() => {
                          // The finished bar stays (100 %, done) until the page is left.
                          setJobs(j => ({ ...j, [r.id]: { ...j[r.id], running: false } }));
                          list.reload();
                        }}
                      />
                    )}
                  </Space>
                ),
              },
            ]}
          />
        )}
      </Card>
      <AssignModal task={assigning} onClose={() => setAssigning(null)} onAssign={(task, who) => act(async () => { await mappingApi.assign(task.id, who); setAssigning(null); }, t('map.assigned', { user: who }))} />
    </>
  );
}

function SuggestJob({ jobId, onEnd }: { jobId: string; onEnd(): void }) {
  const { t } = useI18n();
  const job = useJob(jobId, onEnd);
  const title = job?.status === 'done' ? t('map.suggestDone') : t('map.suggesting');
  return <JobProgress job={job} title={<span style={{ fontSize: 12 }}>{title}</span>} testId="suggest-progress" />;
}

interface Account {
  username: string;
  display_name: string;
  roles: string[];
}

function AssignModal({ task, onClose, onAssign }: { task: Task | null; onClose(): void; onAssign(task: Task, user: string): void }) {
  const { t } = useI18n();
  const { can } = useSession();
  const [who, setWho] = useState('');
  const users = useAsync(() => (task && can('security:users', 'read') ? api.get<Account[]>('/api/security/users').catch(() => [] as Account[]) : Promise.resolve([] as Account[])), [task]);
  const options = (users.data ?? [])
    .filter(u => !who || u.username.includes(who) || u.display_name.includes(who))
    .map(u => ({ value: u.username, label: `${u.display_name}（${u.username}）` }));
  return (
    <Modal open={!!task} title={task ? `${t('map.assignTo')} · ${task.name}` : ''} onCancel={onClose} okButtonProps={{ disabled: !who.trim(), 'data-testid': 'assign-ok' }} onOk={() => task && onAssign(task, who.trim())} destroyOnHidden afterClose={() => setWho('')}>
      <AutoComplete style={{ width: '100%' }} value={who} onChange={setWho} options={options} placeholder={t('map.pickUser')} data-testid="assign-user" />
    </Modal>
  );
}
