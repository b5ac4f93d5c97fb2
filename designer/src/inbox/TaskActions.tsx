import { useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Input, Modal, Select, Space, Upload } from 'antd';
import { createForm } from '@formily/core';
import { FormProvider } from '@formily/react';
import { FormLayout } from '@formily/antd-v5';
import type { UploadFile } from 'antd';
import { PaperClipOutlined, SwapOutlined } from '@ant-design/icons';
import { ApiError, api, query } from '../shell/api';
import { describeError } from '../shell/errors';
import { useI18n } from '../shell/i18n';
import { useSession } from '../shell/session';
import { useAsync } from '../shell/useAsync';
import { ScreenSchemaField } from '../runtime/formily';
import type { RuntimeScreen } from '../runtime/types';
import { DECISIONS, Decision, Person, Task, decisionLabel, fileToBase64, taskDecisions } from './types';

/** A searchable picker of active accounts (optionally of one role). */
export function PersonPicker(props: { value?: string | string[]; onChange?(v: string | string[]): void; role?: string; multiple?: boolean; exclude?: string[]; testId?: string }) {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const [people, setPeople] = useState<Person[]>([]);
  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      api.get<Person[]>(`/api/workflow/people${query({ q, role: props.role })}`).then(list => live && setPeople(list), () => undefined);
    }, 200);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [q, props.role]);
  return (
    <Select
      showSearch
      mode={props.multiple ? 'multiple' : undefined}
      value={props.value}
      onChange={props.onChange}
      filterOption={false}
      onSearch={setQ}
      placeholder={t('inbox.pickUser')}
      style={{ width: '100%' }}
      data-testid={props.testId}
      options={people.filter(p => !props.exclude?.includes(p.username)).map(p => ({ value: p.username, label: `${p.displayName}（${p.username}）` }))}
    />
  );
}

/**
 * Comment, attachments and the decisions a task offers, plus delegation. A 409 (someone else
 * decided first) is told to the user and `onDone` refreshes whatever lists the task.
 */
export function TaskActions({ task, processKey, onDone }: { task: Task & { decisions?: Decision[] | null; screen?: string | null }; processKey?: string; onDone(): void }) {
  const { t } = useI18n();
  const { user } = useSession();
  const { message, modal } = App.useApp();
  const [comment, setComment] = useState('');
  const [files, setFiles] = useState<UploadFile[]>([]);
  const [busy, setBusy] = useState<string | null>(null);
  const [decisions, setDecisions] = useState<Decision[]>(DECISIONS);
  const [delegating, setDelegating] = useState(false);
  const [to, setTo] = useState<string | undefined>();

  useEffect(() => {
    if (task.decisions) setDecisions(task.decisions);
    else if (processKey) void taskDecisions(processKey).then(d => setDecisions(d[task.activityId] ?? DECISIONS));
  }, [processKey, task.activityId, task.decisions]);
  // The step's form, when its definition names a screen: its values go with the decision as process variables.
  const screen = useAsync(() => (task.screen ? api.get<RuntimeScreen>(`/api/screens/${encodeURIComponent(task.screen)}`) : Promise.resolve(undefined)), [task.screen]);
  const form = useMemo(() => createForm<Record<string, unknown>>({ initialValues: {} }), [task.id]);

  const failed = (err: unknown) => {
    if (err instanceof ApiError && err.status === 409) {
      message.warning(t('inbox.conflict', { message: err.message }), 6);
      onDone();
    } else modal.error({ title: t('error.title'), content: describeError(t, err) });
  };

  const decide = async (decision: Decision) => {
    setBusy(decision);
    try {
      let variables: Record<string, unknown> | undefined;
      if (screen.data?.form) {
        if (decision === 'approve') {
          try {
            await form.validate();
          } catch {
            return; // the form shows what is missing next to each field
          }
        }
        variables = Object.fromEntries(Object.entries(form.values).filter(([k, v]) => v !== undefined && /^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(k)));
      }
      const attachments = await Promise.all(files.map(async f => ({ name: f.name, mediaType: f.type || undefined, content: await fileToBase64(f.originFileObj as Blob) })));
      await api.post(`/api/workflow/tasks/${task.id}/complete`, { decision, comment: comment.trim() || undefined, attachments, variables });
      message.success(t('inbox.done', { decision: decisionLabel(t, decision, task.activityId) }));
      setComment('');
      setFiles([]);
      onDone();
    } catch (err) {
      failed(err);
    } finally {
      setBusy(null);
    }
  };

  const delegate = async () => {
    if (!to) return;
    setBusy('delegate');
    try {
      await api.post(`/api/workflow/tasks/${task.id}/delegate`, { to, comment: comment.trim() || undefined });
      message.success(t('inbox.delegated', { user: to }));
      setDelegating(false);
      onDone();
    } catch (err) {
      failed(err);
    } finally {
      setBusy(null);
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="task-actions" data-activity={task.activityId}>
      {screen.error ? <Alert type="warning" showIcon message={describeError(t, screen.error)} /> : null}
      {screen.data?.form && (
        <div data-testid="task-form">
          <FormProvider form={form}>
            <FormLayout layout="vertical" colon={false}>
              <ScreenSchemaField schema={screen.data.form} />
            </FormLayout>
          </FormProvider>
        </div>
      )}
      <Input.TextArea rows={3} maxLength={4000} value={comment} onChange={e => setComment(e.target.value)} placeholder={t('inbox.commentPlaceholder')} data-testid="task-comment" />
      <Upload multiple fileList={files} beforeUpload={() => false} onChange={({ fileList }) => setFiles(fileList)} onRemove={f => setFiles(list => list.filter(x => x.uid !== f.uid))}>
        <Button icon={<PaperClipOutlined />} data-testid="task-attach">
          {t('inbox.addAttachment')}
        </Button>
      </Upload>
      <Space wrap>
        {DECISIONS.filter(d => decisions.includes(d)).map(d => (
          <Button key={d} type={d === 'approve' ? 'primary' : 'default'} danger={d === 'reject'} loading={busy === d} disabled={busy !== null && busy !== d} onClick={() => decide(d)} data-testid={`decide-${d}`}>
            {decisionLabel(t, d, task.activityId)}
          </Button>
        ))}
        {task.assignee === user?.username && (
          <Button icon={<SwapOutlined />} onClick={() => setDelegating(true)} disabled={busy !== null} data-testid="delegate">
            {t('inbox.delegate')}
          </Button>
        )}
      </Space>
      <Modal open={delegating} title={t('inbox.delegateTo')} onCancel={() => setDelegating(false)} onOk={delegate} okButtonProps={{ disabled: !to, loading: busy === 'delegate' }} destroyOnHidden>
        <PersonPicker value={to} onChange={v => setTo(v as string)} exclude={user ? [user.username] : []} testId="delegate-to" />
      </Modal>
    </Space>
  );
}
