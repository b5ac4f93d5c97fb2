import { useState } from 'react';
import { App, Button, Card, Form, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import { StopOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { api } from '../shell/api';
import { describeError } from '../shell/errors';
import { useI18n } from '../shell/i18n';
import { MessageKey } from '../shell/messages';
import { useSession } from '../shell/session';
import { EmptyState, ErrorState } from '../shell/states';
import { useAsync } from '../shell/useAsync';
import { Grant, STATE_COLOR } from './types';

const when = (iso: string) => dayjs(iso).format('YYYY-MM-DD HH:mm');

/** 授权管理: every grant, and revocation with a reason for the role allowed (workflow:grants update). */
export default function Grants() {
  const { t } = useI18n();
  const { can } = useSession();
  const grants = useAsync(() => api.get<Grant[]>('/api/workflow/grants?all=true'), []);
  const [revoking, setRevoking] = useState<Grant | null>(null);
  const mayRevoke = can('workflow:grants', 'update');
  return (
    <>
      <div className="ls-page-header">
        <Typography.Title level={4}>{t('menu.odGrants')}</Typography.Title>
      </div>
      <Card variant="borderless">
        {grants.error ? (
          <ErrorState error={grants.error} onRetry={grants.reload} />
        ) : (
          <Table<Grant>
            rowKey="id"
            loading={grants.loading}
            dataSource={grants.data ?? []}
            locale={{ emptyText: <EmptyState /> }}
            pagination={{ defaultPageSize: 20, hideOnSinglePage: true }}
            data-testid="od-grants"
            onRow={g => ({ 'data-testid': `od-grant-${g.username}-${g.resourceId}`, 'data-state': g.state }) as React.HTMLAttributes<HTMLElement>}
            columns={[
              { title: t('od.code'), dataIndex: 'resourceId', width: 160 },
              { title: t('od.user'), dataIndex: 'username', width: 130 },
              { title: t('od.fields'), dataIndex: 'fields', render: (fs: string[]) => fs.map(f => <Tag key={f}>{f}</Tag>) },
              { title: t('od.purpose'), dataIndex: 'purpose', ellipsis: true },
              { title: t('od.grantedAt'), dataIndex: 'grantedAt', width: 150, render: when },
              { title: t('od.expiresAt'), dataIndex: 'expiresAt', width: 150, render: when },
              {
                title: t('od.state'),
                key: 'state',
                width: 200,
                render: (_: unknown, g) => (
                  <Space direction="vertical" size={0}>
                    <Tag color={STATE_COLOR[g.state]}>{t(`od.state.${g.state}` as MessageKey)}</Tag>
                    {g.revokedAt && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('od.revokedBy', { user: g.revokedBy ?? '', reason: g.revokeReason ?? '—' })}</Typography.Text>}
                  </Space>
                ),
              },
              {
                title: '',
                key: 'revoke',
                width: 120,
                render: (_: unknown, g) => mayRevoke && g.state === 'active' && (
                  <Button danger size="small" icon={<StopOutlined />} onClick={() => setRevoking(g)} data-testid="od-revoke">{t('od.revoke')}</Button>
                ),
              },
            ]}
          />
        )}
      </Card>
      {revoking && <RevokeModal grant={revoking} onClose={done => (setRevoking(null), done && grants.reload())} />}
    </>
  );
}

function RevokeModal({ grant, onClose }: { grant: Grant; onClose: (done: boolean) => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const { reason } = await form.validateFields();
    setBusy(true);
    try {
      await api.post(`/api/workflow/grants/${grant.id}/revoke`, { reason: reason.trim() });
      message.success(t('od.revoked'));
      onClose(true);
    } catch (err) {
      message.error(describeError(t, err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={t('od.revokeTitle', { user: grant.username, resource: grant.resourceId })} okText={t('od.revoke')} okButtonProps={{ danger: true, ...({ 'data-testid': 'od-revoke-submit' } as Record<string, string>) }} onOk={submit} confirmLoading={busy} onCancel={() => onClose(false)} destroyOnHidden>
      <Form form={form} layout="vertical">
        <Form.Item name="reason" label={t('od.reason')} rules={[{ required: true, whitespace: true, message: t('od.reasonRequired') }, { max: 500 }]}>
          <Input.TextArea rows={3} data-testid="od-revoke-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
