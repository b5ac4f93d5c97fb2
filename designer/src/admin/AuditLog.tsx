import { useState } from 'react';
import { Alert, App, Button, Card, DatePicker, Input, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { DownloadOutlined, LockOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import dayjs, { Dayjs } from 'dayjs';
import { api, getToken, query } from '../shell/api';
import { describeError } from '../shell/errors';
import { useI18n } from '../shell/i18n';
import { EmptyState, ErrorState } from '../shell/states';
import { useAsync } from '../shell/useAsync';

interface AuditRecord {
  seq: number;
  at: string;
  actor: string;
  action: string;
  resource: string;
  recordId: string | null;
  detail: unknown;
  clientIp: string | null;
  outcome: 'ok' | 'denied' | 'failed' | null;
  sealed: boolean;
}

interface Verification {
  ok: boolean;
  checked: number;
  checkpoints: number;
  findings: Array<{ kind: string; seq?: number; message?: string }>;
  omittedFindings: number;
}

const OUTCOME_COLOR = { ok: 'success', denied: 'warning', failed: 'error' } as const;

/** The auditor's view: search the trail (newest first), verify its chain and signatures, export CSV. */
export default function AuditLog() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [filters, setFilters] = useState<{ actor?: string; action?: string; resource?: string; outcome?: string; range?: [Dayjs, Dayjs] | null }>({});
  const [draft, setDraft] = useState(filters);
  const [page, setPage] = useState({ current: 1, size: 20 });
  const [verifying, setVerifying] = useState(false);
  const [verification, setVerification] = useState<Verification | null>(null);
  const params = {
    actor: filters.actor,
    action: filters.action,
    resource: filters.resource,
    outcome: filters.outcome,
    from: filters.range?.[0]?.startOf('day').toISOString(),
    to: filters.range?.[1]?.endOf('day').toISOString(),
  };
  const rows = useAsync(
    () => api.get<AuditRecord[]>(`/api/audit${query({ ...params, limit: page.size + 1, offset: (page.current - 1) * page.size })}`),
    [JSON.stringify(params), page.current, page.size],
  );
  const data = rows.data ?? [];

  const verify = async () => {
    setVerifying(true);
    try {
      setVerification(await api.get<Verification>('/api/audit/verify'));
    } catch (err) {
      message.error(describeError(t, err));
    } finally {
      setVerifying(false);
    }
  };

  const exportCsv = async () => {
    const res = await fetch(`/api/audit/export${query(params)}`, { headers: { authorization: `Bearer ${getToken()}` } });
    if (!res.ok) return message.error(describeError(t, new Error(res.statusText)));
    const url = URL.createObjectURL(await res.blob());
    const a = document.createElement('a');
    a.href = url;
    a.download = `audit-${dayjs().format('YYYYMMDD-HHmmss')}.csv`;
    a.click();
    URL.revokeObjectURL(url);
  };

  return (
    <>
      <div className="ls-page-header">
        <Typography.Title level={4}>{t('menu.audit')}</Typography.Title>
        <Space>
          <Button icon={<DownloadOutlined />} onClick={exportCsv}>
            {t('audit.export')}
          </Button>
          <Button type="primary" icon={<SafetyCertificateOutlined />} loading={verifying} onClick={verify} data-testid="audit-verify">
            {t('audit.verify')}
          </Button>
        </Space>
      </div>
      {verification && (
        <Alert
          style={{ marginBottom: 16 }}
          showIcon
          closable
          onClose={() => setVerification(null)}
          type={verification.ok ? 'success' : 'error'}
          message={verification.ok ? t('audit.verifyOk', { checked: verification.checked, checkpoints: verification.checkpoints }) : t('audit.verifyBad', { count: verification.findings.length + verification.omittedFindings })}
          description={!verification.ok && <ul style={{ margin: 0 }}>{verification.findings.slice(0, 20).map((f, i) => <li key={i}>{`#${f.seq ?? '—'} ${f.kind} ${f.message ?? ''}`}</li>)}</ul>}
          data-testid="audit-verification"
        />
      )}
      <Card variant="borderless">
        <Space wrap className="ls-filters">
          <Input placeholder={t('audit.actor')} allowClear value={draft.actor} onChange={e => setDraft({ ...draft, actor: e.target.value || undefined })} style={{ width: 150 }} />
          <Input placeholder={t('audit.action')} allowClear value={draft.action} onChange={e => setDraft({ ...draft, action: e.target.value || undefined })} style={{ width: 160 }} />
          <Input placeholder={t('audit.resource')} allowClear value={draft.resource} onChange={e => setDraft({ ...draft, resource: e.target.value || undefined })} style={{ width: 180 }} />
          <Select placeholder={t('audit.outcome')} allowClear value={draft.outcome} onChange={v => setDraft({ ...draft, outcome: v })} style={{ width: 110 }} options={(['ok', 'denied', 'failed'] as const).map(o => ({ value: o, label: t(`audit.outcome.${o}`) }))} />
          <DatePicker.RangePicker value={draft.range ?? null} onChange={v => setDraft({ ...draft, range: v as [Dayjs, Dayjs] | null })} />
          <Button type="primary" onClick={() => { setFilters(draft); setPage({ ...page, current: 1 }); }}>
            {t('common.search')}
          </Button>
          <Button onClick={() => { setDraft({}); setFilters({}); setPage({ ...page, current: 1 }); }}>{t('common.reset')}</Button>
        </Space>
        {rows.error ? (
          <ErrorState error={rows.error} onRetry={rows.reload} />
        ) : (
          <Table<AuditRecord>
            rowKey="seq"
            size="small"
            loading={rows.loading}
            dataSource={data.slice(0, page.size)}
            locale={{ emptyText: <EmptyState /> }}
            scroll={{ x: 1100 }}
            expandable={{ expandedRowRender: r => <pre style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{JSON.stringify(r.detail, null, 2)}</pre>, rowExpandable: r => r.detail !== null }}
            pagination={{
              current: page.current,
              pageSize: page.size,
              total: (page.current - 1) * page.size + data.length,
              showSizeChanger: true,
              onChange: (current, size) => setPage({ current: size === page.size ? current : 1, size }),
            }}
            columns={[
              { title: '#', dataIndex: 'seq', width: 80 },
              { title: t('audit.time'), dataIndex: 'at', width: 170, render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm:ss') },
              { title: t('audit.actor'), dataIndex: 'actor', width: 130 },
              { title: t('audit.action'), dataIndex: 'action', width: 210, render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
              { title: t('audit.resourceColumn'), dataIndex: 'resource', ellipsis: true },
              { title: t('audit.outcome'), dataIndex: 'outcome', width: 90, render: (o: AuditRecord['outcome']) => (o ? <Tag color={OUTCOME_COLOR[o]}>{t(`audit.outcome.${o}`)}</Tag> : '—') },
              { title: t('audit.client'), dataIndex: 'clientIp', width: 130 },
              { title: t('audit.sealed'), dataIndex: 'sealed', width: 80, render: (v: boolean) => (v ? <Tooltip title={t('audit.sealed')}><LockOutlined style={{ color: '#52c41a' }} /></Tooltip> : null) },
            ]}
            data-testid="audit-table"
          />
        )}
      </Card>
    </>
  );
}
