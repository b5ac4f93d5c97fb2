import { useRef, useState } from 'react';
import { App, Button, Dropdown, Input, Modal, Space, Table, Typography } from 'antd';
import { DownloadOutlined, FileExcelOutlined, UploadOutlined } from '@ant-design/icons';
import { ApiError, api, getToken } from '../shell/api';
import { describeError } from '../shell/errors';
import { useI18n } from '../shell/i18n';
import { useSession } from '../shell/session';
import { download } from '../runtime/types';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

interface RowProblem {
  row?: number;
  column?: string;
  field?: string;
  rule: string;
  value?: unknown;
  message: string;
}

/** Data elements to and from Excel (WS table layout) and metadata snapshots as JSON, for the data element list. */
export function ElementTransfer({ onImported }: { onImported?: () => void }) {
  const { t } = useI18n();
  const { can } = useSession();
  const { message } = App.useApp();
  const xlsxInput = useRef<HTMLInputElement>(null);
  const snapInput = useRef<HTMLInputElement>(null);
  const [namespace, setNamespace] = useState('dazhou');
  const [report, setReport] = useState<RowProblem[] | null>(null);
  const [busy, setBusy] = useState(false);
  const mayCreate = can('meta:data-element', 'create');

  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    try {
      await fn();
    } catch (err) {
      message.error(describeError(t, err));
    } finally {
      setBusy(false);
    }
  };

  const importXlsx = (file: File) =>
    run(async () => {
      const headers: Record<string, string> = { 'content-type': XLSX, accept: 'application/json' };
      const token = getToken();
      if (token) headers.authorization = `Bearer ${token}`;
      const res = await fetch(`/api/meta/data-elements/import.xlsx?namespace=${encodeURIComponent(namespace)}`, { method: 'POST', headers, body: file });
      const body = await res.json().catch(() => ({}));
      if (res.status === 422) {
        setReport((body.error?.details ?? []) as RowProblem[]);
        return;
      }
      if (!res.ok) throw new ApiError(res.status, body.error?.name ?? String(res.status), body.error?.message ?? res.statusText, body.error?.details ?? []);
      const count = (body.created ?? 0) + (body.updated ?? 0);
      message.success(t('xls.imported', { count }));
      onImported?.();
    });

  const exportSnapshot = () =>
    run(async () => {
      const snapshot = await api.get('/api/meta/snapshot');
      const url = URL.createObjectURL(new Blob([JSON.stringify(snapshot, null, 2)], { type: 'application/json' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `lingshu-snapshot-${new Date().toISOString().slice(0, 10)}.json`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    });

  const importSnapshot = (file: File) =>
    run(async () => {
      const result = await api.post<{ added: number }>('/api/meta/snapshot/import', JSON.parse(await file.text()));
      const count = result.added;
      message.success(t('snap.imported', { count }));
      onImported?.();
    });

  const pick = (input: HTMLInputElement | null, handle: (f: File) => void) => {
    if (!input) return;
    input.value = '';
    input.onchange = () => input.files?.[0] && handle(input.files[0]);
    input.click();
  };

  return (
    <Space wrap>
      <Button icon={<DownloadOutlined />} loading={busy} onClick={() => run(() => download('/api/meta/data-elements/export.xlsx', 'data-elements.xlsx'))} data-testid="export-elements">
        {t('xls.export')}
      </Button>
      {mayCreate && (
        <Space.Compact>
          <Input style={{ width: 110 }} value={namespace} onChange={e => setNamespace(e.target.value.trim())} data-testid="import-namespace" />
          <Button icon={<UploadOutlined />} loading={busy} onClick={() => pick(xlsxInput.current, importXlsx)} data-testid="import-elements">
            {t('xls.import')}
          </Button>
        </Space.Compact>
      )}
      <Dropdown
        menu={{
          items: [
            { key: 'export', label: t('snap.export'), onClick: exportSnapshot },
            ...(mayCreate ? [{ key: 'import', label: t('snap.import'), onClick: () => pick(snapInput.current, importSnapshot) }] : []),
          ],
        }}
      >
        <Button icon={<FileExcelOutlined />} data-testid="snapshot-menu">
          JSON
        </Button>
      </Dropdown>
      <input ref={xlsxInput} type="file" accept=".xlsx" hidden data-testid="import-elements-file" />
      <input ref={snapInput} type="file" accept=".json,application/json" hidden />
      <Modal open={report !== null} width={860} title={t('xls.report')} footer={null} onCancel={() => setReport(null)} data-testid="import-report">
        <Typography.Paragraph type="danger">{t('xls.report')}</Typography.Paragraph>
        <Table<RowProblem>
          size="small"
          rowKey={(r, i) => `${r.row}-${r.column}-${r.rule}-${i}`}
          dataSource={report ?? []}
          pagination={{ pageSize: 10 }}
          columns={[
            { title: t('xls.row'), dataIndex: 'row', width: 60 },
            { title: t('xls.column'), key: 'column', width: 120, render: (_: unknown, r) => r.column ?? r.field },
            { title: t('xls.rule'), dataIndex: 'rule', width: 130 },
            { title: t('xls.value'), dataIndex: 'value', width: 160, ellipsis: true, render: v => (v === undefined || v === null ? '—' : String(v)) },
            { title: t('xls.message'), dataIndex: 'message' },
          ]}
        />
      </Modal>
    </Space>
  );
}
