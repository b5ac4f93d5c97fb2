import { useState } from 'react';
import { Button, Card, Form, Input, Modal, Radio, Table, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { Link, useNavigate } from 'react-router';
import { api } from '../shell/api';
import { useI18n } from '../shell/i18n';
import { useSession } from '../shell/session';
import { ErrorState } from '../shell/states';
import { useAsync } from '../shell/useAsync';
import { TemplateKind, templateXml } from './bpmn';

export interface DefinitionSummary {
  id: string;
  key: string;
  version: number;
  name: string;
  createdBy: string;
  createdAt: string;
}

const KEY = /^[a-z][a-z0-9-]{1,99}$/;

/** The process definitions (latest version of each): open one in the modeller, or start a new one from a template. */
export default function ProcessList() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const { can } = useSession();
  const list = useAsync(() => api.get<DefinitionSummary[]>('/api/workflow/processes'), []);
  const [creating, setCreating] = useState(false);
  const [form] = Form.useForm<{ key: string; name: string; template: TemplateKind }>();
  if (list.error) return <ErrorState error={list.error} onRetry={list.reload} />;
  const create = async () => {
    const v = await form.validateFields();
    navigate(`/workflow/processes/${v.key}`, { state: { xml: templateXml(v.template, v.key, v.name) } });
  };
  return (
    <>
      <div className="ls-page-header">
        <Typography.Title level={4}>{t('menu.processes')}</Typography.Title>
        {can('workflow:definitions', 'create') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="new-process">
            {t('mdl.new')}
          </Button>
        )}
      </div>
      <Card variant="borderless">
        <Table<DefinitionSummary>
          rowKey="id"
          size="middle"
          loading={list.loading}
          dataSource={list.data ?? []}
          pagination={false}
          data-testid="process-table"
          columns={[
            { title: t('mdl.name'), dataIndex: 'name', render: (v: string, r) => <Link to={`/workflow/processes/${r.key}`}>{v}</Link> },
            { title: t('mdl.key'), dataIndex: 'key', width: 220, render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
            { title: t('mdl.version'), dataIndex: 'version', width: 90, render: (v: number) => <span data-testid="process-version">v{v}</span> },
            { title: t('mdl.deployedAt'), dataIndex: 'createdAt', width: 170, render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm') },
            { title: t('mdl.deployedBy'), dataIndex: 'createdBy', width: 160 },
          ]}
        />
      </Card>
      <Modal open={creating} title={t('mdl.new')} onCancel={() => setCreating(false)} onOk={create} destroyOnHidden>
        <Form form={form} layout="vertical" initialValues={{ template: 'approval' }} preserve={false}>
          <Form.Item
            name="key"
            label={t('mdl.key')}
            extra={t('mdl.keyHint')}
            rules={[
              { required: true, pattern: KEY, message: t('mdl.keyHint') },
              { validator: async (_, v) => { if ((list.data ?? []).some(d => d.key === v)) throw new Error(t('mdl.keyExists')); } },
            ]}
          >
            <Input data-testid="new-process-key" />
          </Form.Item>
          <Form.Item name="name" label={t('mdl.name')} rules={[{ required: true, max: 200 }]}>
            <Input data-testid="new-process-name" />
          </Form.Item>
          <Form.Item name="template" label={t('mdl.template')}>
            <Radio.Group
              options={[
                { value: 'approval', label: t('mdl.tplApproval') },
                { value: 'countersign', label: t('mdl.tplCountersign') },
                { value: 'blank', label: t('mdl.tplBlank') },
              ]}
            />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
