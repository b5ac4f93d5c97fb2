import { useState } from 'react';
import { App, Button, Card, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { KeyOutlined, ReloadOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { api } from '../shell/api';
import { describeError } from '../shell/errors';
import { useI18n } from '../shell/i18n';
import { MessageKey } from '../shell/messages';
import { useSession } from '../shell/session';
import { EmptyState, ErrorState } from '../shell/states';
import { useAsync } from '../shell/useAsync';
import { JobTable } from './Jobs';

interface KeyInfo {
  id: string;
  purpose: string;
  status: string;
  createdAt: string;
}

const REENCRYPT_JOB = 'field-reencrypt';

/** The security administrator's keys: which exist (never their material), rotation and re-encryption with progress. */
export default function KeysPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { can } = useSession();
  const keys = useAsync(() => api.get<KeyInfo[]>('/api/security/keys'), []);
  const [jobsTick, setJobsTick] = useState(0);
  const [busy, setBusy] = useState(false);
  const mayAdmin = can('security:keys', 'admin');
  const label = (prefix: string, value: string) => {
    const key = `${prefix}.${value}` as MessageKey;
    const text = t(key);
    return text === key ? value : text;
  };

  const run = async (path: string, done: (r: { keyId?: string }) => string) => {
    setBusy(true);
    try {
      const result = await api.post<{ keyId?: string; jobId: string }>(path);
      message.success(done(result));
      keys.reload();
      setJobsTick(x => x + 1);
    } catch (err) {
      message.error(describeError(t, err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <div className="ls-page-header">
        <Typography.Title level={4}>{t('keys.title')}</Typography.Title>
        {mayAdmin && (
          <Space>
            <Popconfirm title={t('keys.reencryptConfirm')} onConfirm={() => run('/api/security/keys/reencrypt', () => t('keys.reencryptStarted'))}>
              <Button icon={<ReloadOutlined />} loading={busy}>{t('keys.reencrypt')}</Button>
            </Popconfirm>
            <Popconfirm title={t('keys.rotateConfirm')} onConfirm={() => run('/api/security/keys/rotate', r => t('keys.rotated', { keyId: r.keyId ?? '' }))}>
              <Button type="primary" icon={<KeyOutlined />} loading={busy} data-testid="rotate-key">{t('keys.rotate')}</Button>
            </Popconfirm>
          </Space>
        )}
      </div>
      <Typography.Paragraph type="secondary">{t('keys.intro')}</Typography.Paragraph>
      <Card variant="borderless" style={{ marginBottom: 16 }}>
        {keys.error ? (
          <ErrorState error={keys.error} onRetry={keys.reload} />
        ) : (
          <Table<KeyInfo>
            rowKey="id"
            size="middle"
            loading={keys.loading}
            dataSource={keys.data ?? []}
            locale={{ emptyText: <EmptyState /> }}
            pagination={false}
            columns={[
              { title: t('keys.purpose'), dataIndex: 'purpose', render: (p: string) => label('keys.purpose', p) },
              { title: t('keys.id'), dataIndex: 'id', render: (id: string) => <Typography.Text code>{id}</Typography.Text> },
              { title: t('keys.status'), dataIndex: 'status', render: (s: string) => <Tag color={s === 'active' ? 'success' : 'default'}>{label('keys.status', s)}</Tag> },
              { title: t('keys.createdAt'), dataIndex: 'createdAt', render: (v: string) => dayjs(v.endsWith('Z') ? v : `${v}Z`).format('YYYY-MM-DD HH:mm:ss') },
            ]}
          />
        )}
      </Card>
      <Card variant="borderless" title={t('keys.jobs')}>
        <JobTable kind={REENCRYPT_JOB} refreshKey={jobsTick} />
      </Card>
    </>
  );
}
