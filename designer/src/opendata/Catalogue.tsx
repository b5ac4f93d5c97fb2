import { useState } from 'react';
import { App, Button, Card, Checkbox, DatePicker, Form, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import { FileSearchOutlined } from '@ant-design/icons';
import dayjs, { Dayjs } from 'dayjs';
import { api, query } from '../shell/api';
import { describeError } from '../shell/errors';
import { useI18n } from '../shell/i18n';
import { useSession } from '../shell/session';
import { EmptyState, ErrorState } from '../shell/states';
import { useAsync } from '../shell/useAsync';
import { Resource } from './types';

/** 数据资源目录: search the catalogue and apply for a resource (purpose, fields, period). */
export default function Catalogue() {
  const { t } = useI18n();
  const { can } = useSession();
  const [q, setQ] = useState('');
  const list = useAsync(() => api.get<Resource[]>(`/api/workflow/resources${query({ q })}`), [q]);
  const [applying, setApplying] = useState<Resource | null>(null);
  const mayApply = can('workflow:start:resource-approval', 'create');
  return (
    <>
      <div className="ls-page-header">
        <Typography.Title level={4}>{t('menu.odCatalogue')}</Typography.Title>
      </div>
      <Card variant="borderless">
        <Input.Search allowClear enterButton placeholder={t('od.search')} onSearch={v => setQ(v.trim())} style={{ maxWidth: 420, marginBottom: 16 }} data-testid="od-search" />
        {list.error ? (
          <ErrorState error={list.error} onRetry={list.reload} />
        ) : (
          <Table<Resource>
            rowKey="code"
            loading={list.loading}
            dataSource={list.data ?? []}
            locale={{ emptyText: <EmptyState description={t('od.noResources')} /> }}
            pagination={{ defaultPageSize: 20, hideOnSinglePage: true }}
            data-testid="od-catalogue"
            columns={[
              {
                title: t('od.name'),
                key: 'name',
                width: 260,
                render: (_: unknown, r) => (
                  <Space direction="vertical" size={0}>
                    <Typography.Text strong>{r.name}</Typography.Text>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>{r.code} · v{r.version}</Typography.Text>
                  </Space>
                ),
              },
              { title: t('od.description'), dataIndex: 'description', render: (d: string | null) => d ?? '—' },
              { title: t('od.dataset'), key: 'dataset', width: 180, render: (_: unknown, r) => r.datasetName ? `${r.datasetName} (${r.datasetCode})` : r.datasetCode },
              { title: t('od.fields'), key: 'fields', render: (_: unknown, r) => r.fields.map(f => <Tag key={f}>{r.fieldTitles[f] ?? f}</Tag>) },
              { title: t('od.owner'), dataIndex: 'owner', width: 120 },
              {
                title: '',
                key: 'apply',
                width: 100,
                render: (_: unknown, r) => mayApply && (
                  <Button type="primary" icon={<FileSearchOutlined />} onClick={() => setApplying(r)} data-testid={`od-apply-${r.code}`}>{t('od.apply')}</Button>
                ),
              },
            ]}
          />
        )}
      </Card>
      {applying && <ApplyModal resource={applying} onClose={() => setApplying(null)} />}
    </>
  );
}

interface ApplyValues {
  purpose: string;
  fields: string[];
  period: [Dayjs, Dayjs];
}

/** The application: purpose, the fields wanted (a subset of the resource's), the period (from approval, 1–366 days). */
function ApplyModal({ resource, onClose }: { resource: Resource; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<ApplyValues>();
  const [busy, setBusy] = useState(false);
  const period = Form.useWatch('period', form);
  const days = period?.[1] ? Math.max(1, period[1].startOf('day').diff(dayjs().startOf('day'), 'day')) : 0;
  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      await api.post(`/api/workflow/resources/${encodeURIComponent(resource.code)}/apply`, { purpose: v.purpose.trim(), fields: v.fields, periodDays: days });
      message.success(t('od.applied'));
      onClose();
    } catch (err) {
      message.error(describeError(t, err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={t('od.applyTitle', { name: resource.name })} okText={t('od.submit')} onOk={submit} confirmLoading={busy} onCancel={onClose} width={640} okButtonProps={{ 'data-testid': 'od-apply-submit' } as Record<string, string>} destroyOnHidden>
      <Form form={form} layout="vertical" initialValues={{ fields: resource.fields, period: [dayjs(), dayjs().add(90, 'day')] }} data-testid="od-apply-form">
        <Form.Item name="purpose" label={t('od.purpose')} rules={[{ required: true, whitespace: true, message: t('od.purposeRequired') }, { max: 2000 }]}>
          <Input.TextArea rows={3} data-testid="od-purpose" />
        </Form.Item>
        <Form.Item name="fields" label={t('od.fields')} rules={[{ required: true, type: 'array', min: 1, message: t('od.fieldsRequired') }]}>
          <Checkbox.Group options={resource.fields.map(f => ({ value: f, label: <span data-testid={`od-field-${f}`}>{resource.fieldTitles[f] ?? f}</span> }))} />
        </Form.Item>
        <Form.Item
          name="period"
          label={t('od.period')}
          extra={days ? t('od.periodHint', { days }) : undefined}
          rules={[
            { required: true, message: t('od.periodRequired') },
            {
              validator: (_, v?: [Dayjs, Dayjs]) => {
                const n = v?.[1] ? v[1].startOf('day').diff(dayjs().startOf('day'), 'day') : 0;
                return n >= 1 && n <= 366 ? Promise.resolve() : Promise.reject(new Error(t('od.periodHint', { days: n })));
              },
            },
          ]}
        >
          <DatePicker.RangePicker disabled={[true, false]} disabledDate={d => d.isBefore(dayjs().add(1, 'day'), 'day') || d.isAfter(dayjs().add(366, 'day'), 'day')} data-testid="od-period" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
