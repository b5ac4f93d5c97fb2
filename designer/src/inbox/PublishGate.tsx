import { useState } from 'react';
import { Alert, App, Button, Card, Input, Space, Switch, Table, Typography } from 'antd';
import { api } from '../shell/api';
import { describeError } from '../shell/errors';
import { useI18n } from '../shell/i18n';
import { useSession } from '../shell/session';
import { ErrorState } from '../shell/states';
import { useAsync } from '../shell/useAsync';

/** 发布审批设置: per namespace, whether publishing needs an approved standard-drafting process. */
export default function PublishGatePage() {
  const { t } = useI18n();
  const { can } = useSession();
  const { message } = App.useApp();
  const gate = useAsync(() => api.get<Record<string, boolean>>('/api/workflow/publish-gate'), []);
  const [extra, setExtra] = useState('');
  const [saving, setSaving] = useState<string | null>(null);
  const [shown, setShown] = useState<Record<string, boolean> | undefined>();
  const data = shown ?? gate.data;
  const editable = can('workflow:definitions', 'admin');

  const set = async (namespace: string, requireApproval: boolean) => {
    setSaving(namespace);
    try {
      setShown(await api.put<Record<string, boolean>>(`/api/workflow/publish-gate/${encodeURIComponent(namespace)}`, { requireApproval }));
      message.success(t('gate.saved', { namespace }));
      setExtra('');
    } catch (err) {
      message.error(describeError(t, err));
    } finally {
      setSaving(null);
    }
  };

  if (gate.error) return <ErrorState error={gate.error} onRetry={gate.reload} />;
  return (
    <>
      <div className="ls-page-header">
        <Typography.Title level={4}>{t('gate.title')}</Typography.Title>
      </div>
      <Card variant="borderless">
        <Alert type="info" showIcon message={t('gate.help')} style={{ marginBottom: 16 }} />
        {editable && (
          <Space style={{ marginBottom: 16 }}>
            <Input value={extra} onChange={e => setExtra(e.target.value)} placeholder={t('gate.namespace')} maxLength={100} data-testid="gate-namespace" />
            <Button type="primary" disabled={!extra.trim()} loading={saving === extra.trim()} onClick={() => set(extra.trim(), true)} data-testid="gate-add">
              {t('gate.add')}
            </Button>
          </Space>
        )}
        <Table
          rowKey="namespace"
          loading={gate.loading && !data}
          pagination={false}
          dataSource={Object.entries(data ?? {}).map(([namespace, required]) => ({ namespace, required })).sort((a, b) => a.namespace.localeCompare(b.namespace))}
          data-testid="gate-table"
          columns={[
            { title: t('gate.namespace'), dataIndex: 'namespace' },
            {
              title: t('gate.required'),
              dataIndex: 'required',
              width: 160,
              render: (required: boolean, r: { namespace: string }) => (
                <Switch checked={required} disabled={!editable} loading={saving === r.namespace} onChange={v => set(r.namespace, v)} data-testid={`gate-switch-${r.namespace}`} />
              ),
            },
          ]}
        />
      </Card>
    </>
  );
}
