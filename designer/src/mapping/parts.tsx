import { ReactNode, useRef, useState } from 'react';
import type { ButtonProps } from 'antd';
import { App, Button, Form, Input, InputNumber, Modal, Space, Tag, Tooltip, Typography } from 'antd';
import type { Rule } from 'antd/es/form';
import { ReloadOutlined, UploadOutlined } from '@ant-design/icons';
import { describeError } from '../shell/errors';
import { useI18n } from '../shell/i18n';
import { MessageKey } from '../shell/messages';
import { EntryStatus, Why } from './api';

export const DICTIONARY_KINDS = [
  'department-outpatient',
  'department-admin',
  'department-checkup',
  'value-domain',
  'drug',
  'diagnosis',
  'operation',
  'exam',
  'lab',
  'lab-order-item',
] as const;

export const ENTRY_STATUSES: EntryStatus[] = ['pending', 'suggested', 'confirmed', 'unmappable', 'review'];

/** Colours shared by the tags and the dashboard's stacks. */
export const STATUS_COLORS: Record<EntryStatus, string> = {
  confirmed: '#52c41a',
  suggested: '#1677ff',
  review: '#722ed1',
  pending: '#bfbfbf',
  unmappable: '#ff4d4f',
};

const TAG_COLORS: Record<EntryStatus, string> = { confirmed: 'success', suggested: 'processing', review: 'purple', pending: 'default', unmappable: 'error' };

/** A message key, or the raw word when the key is unknown (a server adding a kind or status). */
export function useLabel() {
  const { t } = useI18n();
  return (prefix: string, value: string | null | undefined): string => {
    if (!value) return '—';
    const key = `${prefix}.${value}` as MessageKey;
    const text = t(key);
    return text === key ? value : text;
  };
}

export function EntryStatusTag({ status }: { status: EntryStatus }) {
  const label = useLabel();
  return (
    <Tag color={TAG_COLORS[status] ?? 'default'} data-testid={`entry-status-${status}`}>
      {label('map.entry', status)}
    </Tag>
  );
}

/** Why-signals of a suggestion as small tags; the value in the tooltip. */
export function WhyTags({ why }: { why: Why[] }) {
  const label = useLabel();
  const word = (w: Why) => {
    const known = label('map.signal', w.signal);
    return known !== w.signal ? known : w.label || w.signal;
  };
  return (
    <Space size={[4, 4]} wrap>
      {why.map((w, i) => (
        <Tooltip key={`${w.signal}-${i}`} title={w.value === undefined || w.value === null ? w.signal : `${w.signal}: ${typeof w.value === 'number' ? w.value.toFixed(3) : w.value}`}>
          <Tag bordered={false} color="geekblue" style={{ marginInlineEnd: 0 }}>
            {word(w)}
          </Tag>
        </Tooltip>
      ))}
    </Space>
  );
}

/** A button that opens the file chooser and hands over the chosen file. */
export function FileButton({ accept = '.csv,.tsv,.txt,.xlsx', onFile, children, loading, disabled, testId, type }: {
  accept?: string;
  onFile(file: File): void;
  children: ReactNode;
  loading?: boolean;
  disabled?: boolean;
  testId?: string;
  type?: 'primary' | 'default' | 'link';
}) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <input
        ref={input}
        type="file"
        accept={accept}
        style={{ display: 'none' }}
        data-testid={testId ? `${testId}-input` : undefined}
        onChange={e => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) onFile(file);
        }}
      />
      <Button icon={<UploadOutlined />} loading={loading} disabled={disabled} type={type} size={type === 'link' ? 'small' : undefined} onClick={() => input.current?.click()} data-testid={testId}>
        {children}
      </Button>
    </>
  );
}

/** The auto-accept band as a form field: empty (null) or a number 0..1, checked in the form. */
export function AutoAcceptItem({ hint }: { hint: string }) {
  const { t } = useI18n();
  const rule: Rule = {
    validator: (_, v: unknown) => (v === null || v === undefined || v === '' || (typeof v === 'number' && v >= 0 && v <= 1) ? Promise.resolve() : Promise.reject(new Error(t('map.autoAcceptRange')))),
  };
  return (
    <Form.Item name="autoAccept" label={t('map.autoAccept')} extra={hint} rules={[rule]}>
      <InputNumber step={0.01} placeholder={t('map.default')} style={{ width: 160 }} data-testid="auto-accept-input" />
    </Form.Item>
  );
}

/** Puts a 400's field errors onto the form's fields; true when one was shown there. */
export function showFieldErrors(form: { setFields(fields: Array<{ name: string; errors: string[] }>): void; getFieldsValue(): Record<string, unknown> }, err: unknown): boolean {
  const details = (err as { status?: number; details?: Array<{ field?: string; message: string }> })?.details ?? [];
  const known = Object.keys(form.getFieldsValue());
  const fields = details.filter(d => d.field && known.includes(d.field)).map(d => ({ name: d.field!, errors: [d.message] }));
  if (fields.length) form.setFields(fields);
  return fields.length > 0;
}

/**
 * The settings dialog of a vocabulary or a dictionary: its name, the auto-accept band and any
 * extra fields; field errors from the server are shown on their fields.
 */
export function SettingsModal({ subject, initialValues, hint, save, onClose, onSaved, children }: {
  /** The name of what is being set; null: closed. */
  subject: string | null;
  initialValues: Record<string, unknown>;
  hint: string;
  save(values: Record<string, unknown> & { name: string; autoAccept: number | null }): Promise<unknown>;
  onClose(): void;
  onSaved(): void;
  children?: ReactNode;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    // An invalid form shows its errors in place; nothing to send.
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    setBusy(true);
    try {
      await save({ ...values, autoAccept: values.autoAccept ?? null });
      onSaved();
    } catch (err) {
      if (!showFieldErrors(form, err)) message.error(describeError(t, err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open={subject !== null} title={subject !== null ? t('map.settingsTitle', { name: subject }) : ''} onCancel={onClose} onOk={submit} confirmLoading={busy} destroyOnHidden okButtonProps={{ 'data-testid': 'settings-save' } as ButtonProps}>
      {subject !== null && (
        <Form form={form} layout="vertical" preserve={false} initialValues={initialValues}>
          <Form.Item name="name" label={t('map.name')} rules={[{ required: true, max: 200 }]}>
            <Input />
          </Form.Item>
          {children}
          <AutoAcceptItem hint={hint} />
        </Form>
      )}
    </Modal>
  );
}

/** A mapping page's title with its refresh button and the page's own actions. */
export function PageHeader({ title, onReload, children }: { title: ReactNode; onReload(): void; children?: ReactNode }) {
  const { t } = useI18n();
  return (
    <div className="ls-page-header">
      <Typography.Title level={4}>{title}</Typography.Title>
      <Space>
        <Button icon={<ReloadOutlined />} onClick={onReload}>
          {t('map.refresh')}
        </Button>
        {children}
      </Space>
    </div>
  );
}
