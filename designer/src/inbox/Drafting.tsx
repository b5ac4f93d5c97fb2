import { useState } from 'react';
import { App, Button, Card, Descriptions, Form, Input, Modal, Space, Steps, Tag, Typography } from 'antd';
import { ApartmentOutlined, AuditOutlined, HistoryOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { Link } from 'react-router';
import { api } from '../shell/api';
import { describeError } from '../shell/errors';
import { useI18n } from '../shell/i18n';
import { MessageKey } from '../shell/messages';
import { useSession } from '../shell/session';
import { useAsync } from '../shell/useAsync';
import { Action, Item, SLUG } from '../designer/kinds';
import { StatusTag } from '../designer/StatusTag';
import { PersonPicker, TaskActions } from './TaskActions';
import { SubjectCase } from './types';

/** Whether publishing in a namespace needs an approved process (undefined while loading). */
export function usePublishGate(namespace: string): boolean | undefined {
  const gate = useAsync(() => api.get<Record<string, boolean>>('/api/workflow/publish-gate'), []);
  return gate.data ? gate.data[namespace] === true : gate.error ? false : undefined;
}

/** Lifecycle actions that go through the drafting process in a namespace that requires approval. */
export const GATED_ACTIONS: Action[] = ['submit', 'withdraw', 'publish'];

const STAGES = ['research', 'draft', 'comment', 'approval', 'review'] as const;
const STAGE_OF: Record<string, number> = { research: 0, draft: 1, comment: 2, revise: 2, approval: 3, periodicReview: 4 };

/**
 * 标准制修订 on an item page: the registration status, whether its namespace publishes only
 * through the process, the process step it is at, my task in it, and "submit for approval",
 * which starts the process (the direct lifecycle buttons are hidden in such a namespace).
 */
export function DraftingPanel({ item, gated, onItem }: { item: Item; gated: boolean; onItem(next: Item): void }) {
  const { t } = useI18n();
  const { user, can } = useSession();
  const { message, modal } = App.useApp();
  const cases = useAsync(() => api.get<SubjectCase[]>(`/api/workflow/subjects/${item.kind}/${item.id}/instances`), [item.kind, item.id, item.version, item.workflowStatus]);
  const [starting, setStarting] = useState(false);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ title: string; reviewers: string[] }>();
  const list = cases.data ?? [];
  if (!gated && !list.length) return null;
  const current = list.find(c => c.status === 'running') ?? list[0];
  const running = current?.status === 'running';
  const mayStart = gated && !running && item.workflowStatus === 'draft' && can('workflow:start:standard-drafting', 'create');

  const refresh = async () => {
    cases.reload();
    try {
      onItem(await api.get<Item>(`/api/meta/${SLUG[item.kind]}/${item.id}`));
    } catch {
      /* the page keeps what it shows */
    }
  };

  const start = async () => {
    const values = await form.validateFields();
    setBusy(true);
    try {
      await api.post('/api/workflow/processes/standard-drafting/instances', {
        title: values.title,
        businessKey: item.id,
        variables: { subjectKind: item.kind, subjectId: item.id, reviewers: values.reviewers },
      });
      message.success(t('drafting.started'));
      setStarting(false);
      await refresh();
    } catch (err) {
      modal.error({ title: t('error.title'), content: describeError(t, err) });
    } finally {
      setBusy(false);
    }
  };

  const mine = (current?.openTasks ?? []).filter(
    x => x.assignee === user?.username || (x.assignee === null && x.candidateRoles.some(r => user?.roles.includes(r)) && (x.orgCode === null || x.orgCode === user?.orgCode)),
  );
  const stage = current ? (current.steps.length ? Math.max(...current.steps.map(s => STAGE_OF[s.activityId] ?? 0)) : running ? 4 : current.outcome === 'approved' ? 4 : 3) : -1;
  const stepText = !current
    ? t('drafting.none')
    : current.steps.length
      ? current.steps.map(s => s.name).join('、')
      : running && current.nextTimerAt
        ? t('drafting.waitingReview', { date: dayjs(current.nextTimerAt).format('YYYY-MM-DD') })
        : t('drafting.ended', { outcome: current.outcome ? t(`inbox.outcome.${current.outcome}` as MessageKey) : t('inbox.case.status.completed') });

  return (
    <Card size="small" title={<Space><AuditOutlined />{t('drafting.title')}</Space>} style={{ marginBottom: 16 }} data-testid="drafting-panel"
      extra={
        <Space>
          {current && (current.participant || can('workflow:instances', 'read')) && (
            <Link to={`/inbox/cases/${current.id}`} data-testid="drafting-timeline">
              <Button size="small" icon={<HistoryOutlined />}>{t('inbox.timeline')}</Button>
            </Link>
          )}
          {current && (
            <Link to={`/workflow/instances/${current.id}`}>
              <Button size="small" icon={<ApartmentOutlined />}>{t('inbox.diagram')}</Button>
            </Link>
          )}
          {mayStart && (
            <Button type="primary" size="small" onClick={() => { form.setFieldsValue({ title: t('drafting.caseTitle', { name: item.name }), reviewers: [] }); setStarting(true); }} data-testid="drafting-start">
              {t('drafting.start')}
            </Button>
          )}
        </Space>
      }
    >
      <Descriptions size="small" column={{ xs: 1, md: 3 }} items={[
        { key: 'reg', label: t('drafting.registration'), children: <StatusTag status={item.workflowStatus} /> },
        { key: 'gate', label: t('drafting.gate'), children: gated ? <Tag color="red">{t('drafting.gate.required')}</Tag> : <Tag>{t('drafting.gate.sandbox')}</Tag> },
        { key: 'step', label: t('drafting.step'), children: <span data-testid="drafting-step">{stepText}</span> },
      ]} />
      {current && (
        <Steps size="small" style={{ marginTop: 12 }} current={stage} status={current.status === 'completed' && current.outcome !== 'approved' ? 'error' : running ? 'process' : 'finish'}
          items={STAGES.map(s => ({ title: t(`drafting.stage.${s}` as MessageKey) }))} />
      )}
      {mine.map(task => (
        <Card key={task.id} size="small" style={{ marginTop: 12 }} title={t('inbox.myTask', { step: task.name })} data-testid="my-task">
          <TaskActions task={task} processKey={current!.processKey} onDone={refresh} />
        </Card>
      ))}
      <Modal open={starting} title={t('drafting.startTitle', { name: item.name })} onCancel={() => setStarting(false)} onOk={start} okButtonProps={{ loading: busy, id: 'drafting-start-ok' }} destroyOnHidden>
        <Form form={form} layout="vertical" preserve={false}>
          <Form.Item name="title" label={t('inbox.col.subject')} rules={[{ required: true, max: 300 }]}>
            <Input />
          </Form.Item>
          <Form.Item name="reviewers" label={t('drafting.reviewers')} rules={[{ required: true, type: 'array', min: 1, message: t('drafting.reviewersRequired') }]}>
            <PersonPicker multiple role="reviewer" testId="drafting-reviewers" />
          </Form.Item>
        </Form>
        <Typography.Text type="secondary">{t('gate.help')}</Typography.Text>
      </Modal>
    </Card>
  );
}
