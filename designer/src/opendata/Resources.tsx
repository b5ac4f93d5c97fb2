import { useState } from 'react';
import { App, Button, Card, Checkbox, Drawer, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { ApiError, api } from '../shell/api';
import { describeError, detailText } from '../shell/errors';
import { useI18n } from '../shell/i18n';
import { MessageKey } from '../shell/messages';
import { EmptyState, ErrorState } from '../shell/states';
import { useAsync } from '../shell/useAsync';
import { LiveDataset, Resource } from './types';

/** 数据资源管理: the catalogue for its managers (workflow:resources), with the resource editor. */
export default function Resources() {
  const { t } = useI18n();
  const list = useAsync(() => api.get<Resource[]>('/api/workflow/resources'), []);
  const [editing, setEditing] = useState<Resource | 'new' | null>(null);
  return (
    <>
      <div className="ls-page-header">
        <Typography.Title level={4}>{t('menu.odResources')}</Typography.Title>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="od-new-resource">{t('od.new')}</Button>
      </div>
      <Card variant="borderless">
        {list.error ? (
          <ErrorState error={list.error} onRetry={list.reload} />
        ) : (
          <Table<Resource>
            rowKey="code"
            loading={list.loading}
            dataSource={list.data ?? []}
            locale={{ emptyText: <EmptyState /> }}
            pagination={{ defaultPageSize: 20, hideOnSinglePage: true }}
            data-testid="od-resources"
            columns={[
              { title: t('od.code'), dataIndex: 'code', width: 160 },
              { title: t('od.name'), dataIndex: 'name' },
              { title: t('od.dataset'), dataIndex: 'datasetCode', width: 160 },
              { title: t('od.fields'), key: 'fields', render: (_: unknown, r) => r.fields.map(f => <Tag key={f}>{r.fieldTitles[f] ?? f}</Tag>) },
              { title: t('od.clearance'), dataIndex: 'clearance', width: 90 },
              { title: t('od.version'), dataIndex: 'version', width: 70 },
              { title: t('od.updatedBy'), key: 'updated', width: 180, render: (_: unknown, r) => `${r.updatedBy} · ${dayjs(r.updatedAt).format('YYYY-MM-DD HH:mm')}` },
              { title: '', key: 'edit', width: 90, render: (_: unknown, r) => <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(r)}>{t('od.edit')}</Button> },
            ]}
          />
        )}
      </Card>
      {editing && <ResourceEditor resource={editing === 'new' ? undefined : editing} onClose={saved => (setEditing(null), saved && list.reload())} />}
    </>
  );
}

interface EditorValues {
  code: string;
  name: string;
  description?: string;
  owner: string;
  datasetCode: string;
  fields: string[];
  rowFilter?: string;
  clearance: number;
}

/** Dataset, fields, row filter, masking profile, description, owner; each save is the next version (the server checks all of it). */
function ResourceEditor({ resource, onClose }: { resource?: Resource; onClose: (saved: boolean) => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<EditorValues>();
  const [busy, setBusy] = useState(false);
  const datasets = useAsync(() => api.get<LiveDataset[]>('/api/workflow/resource-datasets'), []);
  const datasetCode = Form.useWatch('datasetCode', form);
  const dataset = datasets.data?.find(d => d.code === datasetCode);
  const save = async () => {
    const v = await form.validateFields();
    let rowFilter: Record<string, unknown> | undefined;
    if (v.rowFilter?.trim()) {
      try {
        rowFilter = JSON.parse(v.rowFilter);
      } catch {
        form.setFields([{ name: 'rowFilter', errors: [t('od.rowFilterJson')] }]);
        return;
      }
      if (!rowFilter || typeof rowFilter !== 'object' || Array.isArray(rowFilter)) {
        form.setFields([{ name: 'rowFilter', errors: [t('od.rowFilterJson')] }]);
        return;
      }
    }
    setBusy(true);
    try {
      const body = { name: v.name, description: v.description || undefined, owner: v.owner, datasetCode: v.datasetCode, fields: v.fields, rowFilter, clearance: v.clearance };
      const saved = await api.put<Resource>(`/api/workflow/resources/${encodeURIComponent(v.code)}`, body);
      message.success(t('od.saved', { version: saved.version }));
      onClose(true);
    } catch (err) {
      // Server problems go next to the field they name (rowFilter.x → the row filter box, fields[i] → the fields).
      if (err instanceof ApiError && err.details.length) {
        const byField = new Map<string, string[]>();
        for (const d of err.details) {
          const name = (d.field ?? d.path ?? '').replace(/^(rowFilter|fields)[.[].*$/, '$1');
          const known = ['code', 'name', 'owner', 'datasetCode', 'fields', 'rowFilter', 'clearance'].includes(name) ? name : 'rowFilter';
          byField.set(known, [...(byField.get(known) ?? []), `${d.field ?? ''} ${detailText(t, d)}`.trim()]);
        }
        form.setFields([...byField].map(([name, errors]) => ({ name: name as keyof EditorValues, errors })));
      }
      message.error(describeError(t, err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Drawer
      open
      width={720}
      title={resource ? `${t('od.edit')} · ${resource.name} (v${resource.version})` : t('od.new')}
      onClose={() => onClose(false)}
      extra={<Button type="primary" loading={busy} onClick={save} data-testid="od-save-resource">{t('od.save')}</Button>}
      data-testid="od-resource-editor"
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={resource ? { ...resource, description: resource.description ?? undefined, rowFilter: resource.rowFilter ? JSON.stringify(resource.rowFilter, null, 2) : '' } : { clearance: 0, fields: [] }}
      >
        <Form.Item name="code" label={t('od.code')} extra={t('od.codeHint')} rules={[{ required: true, pattern: /^[a-z][a-z0-9-]{1,99}$/, message: t('od.codeHint') }]}>
          <Input disabled={!!resource} data-testid="od-res-code" />
        </Form.Item>
        <Form.Item name="name" label={t('od.name')} rules={[{ required: true, whitespace: true, max: 200 }]}>
          <Input data-testid="od-res-name" />
        </Form.Item>
        <Form.Item name="description" label={t('od.description')}>
          <Input.TextArea rows={2} data-testid="od-res-description" />
        </Form.Item>
        <Form.Item name="owner" label={t('od.owner')} rules={[{ required: true, whitespace: true, max: 100 }]}>
          <Input data-testid="od-res-owner" />
        </Form.Item>
        <Form.Item name="datasetCode" label={t('od.dataset')} rules={[{ required: true, message: t('od.pickDataset') }]}>
          <Select
            showSearch
            optionFilterProp="label"
            placeholder={t('od.pickDataset')}
            loading={datasets.loading}
            onChange={() => form.setFieldValue('fields', [])}
            options={(datasets.data ?? []).map(d => ({ value: d.code, label: `${d.name} (${d.code})` }))}
            data-testid="od-res-dataset"
          />
        </Form.Item>
        {datasets.error ? <ErrorState error={datasets.error} onRetry={datasets.reload} /> : null}
        <Form.Item name="fields" label={t('od.pickFields')} rules={[{ required: true, type: 'array', min: 1, message: t('od.fieldsRequired') }]}>
          <Checkbox.Group style={{ display: 'grid', gridTemplateColumns: 'repeat(2, 1fr)', gap: 4 }}>
            {(dataset?.columns ?? []).map(c => (
              <Checkbox key={c.name} value={c.name} data-testid={`od-res-field-${c.name}`}>
                <Space size={4}>
                  <span>{c.title}</span>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>{c.name}</Typography.Text>
                  {c.sensitivity > 0 && <Tag color={c.sensitivity >= 2 ? 'red' : 'orange'} style={{ fontSize: 11 }}>{t('od.sensitivity', { level: c.sensitivity })}</Tag>}
                </Space>
              </Checkbox>
            ))}
          </Checkbox.Group>
        </Form.Item>
        <Form.Item name="rowFilter" label={t('od.rowFilter')} extra={t('od.rowFilterHint')}>
          <Input.TextArea rows={3} style={{ fontFamily: 'monospace' }} data-testid="od-res-filter" />
        </Form.Item>
        <Form.Item name="clearance" label={t('od.clearance')} extra={t('od.clearanceHint')} rules={[{ required: true }]}>
          <Select options={[0, 1, 2, 3, 4].map(n => ({ value: n, label: t(`od.clearance.${n}` as MessageKey) }))} data-testid="od-res-clearance" />
        </Form.Item>
      </Form>
      {resource && <VersionHistory code={resource.code} />}
    </Drawer>
  );
}

/** The saved versions of a resource: who changed it, when, and what it offered. */
function VersionHistory({ code }: { code: string }) {
  const { t } = useI18n();
  const versions = useAsync(() => api.get<Resource[]>(`/api/workflow/resources/${encodeURIComponent(code)}/versions`), [code]);
  if (versions.error) return <ErrorState error={versions.error} onRetry={versions.reload} />;
  return (
    <>
      <Typography.Title level={5}>{t('od.history')}</Typography.Title>
      <Table<Resource>
        rowKey="version"
        size="small"
        loading={versions.loading}
        dataSource={versions.data ?? []}
        pagination={false}
        data-testid="od-res-versions"
        columns={[
          { title: t('od.version'), dataIndex: 'version', width: 60 },
          { title: t('od.updatedBy'), key: 'by', width: 170, render: (_: unknown, r) => `${r.updatedBy} · ${dayjs(r.updatedAt).format('YYYY-MM-DD HH:mm')}` },
          { title: t('od.fields'), dataIndex: 'fields', render: (fs: string[]) => fs.join(', ') },
          { title: t('od.rowFilter'), dataIndex: 'rowFilter', render: (f: unknown) => (f ? <code>{JSON.stringify(f)}</code> : '—') },
          { title: t('od.clearance'), dataIndex: 'clearance', width: 80 },
        ]}
      />
    </>
  );
}
