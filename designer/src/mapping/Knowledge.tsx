import { useMemo, useState } from 'react';
import { Alert, App, Button, Card, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { ApiError, ErrorDetail } from '../shell/api';
import { describeError } from '../shell/errors';
import { useI18n } from '../shell/i18n';
import { useSession } from '../shell/session';
import { ErrorState } from '../shell/states';
import { useAsync } from '../shell/useAsync';
import { KnowledgeRow, mappingApi } from './api';
import { useInstitutions } from './Dictionaries';
import { FileButton, PageHeader } from './parts';

const PAGE = 20;

type ImportOutcome = { ok: true; imported: number } | { ok: false; message: string; lines: Array<ErrorDetail & { row?: number }> };

/**
 * The knowledge base: every confirmed mapping (who, when, institution, source text → codes),
 * searchable and paged; export and import as JSON Lines (all or nothing, errors name the line).
 */
export default function Knowledge() {
  const { t } = useI18n();
  const { can } = useSession();
  const { message } = App.useApp();
  const [q, setQ] = useState('');
  const [institution, setInstitution] = useState<string>();
  const [vocabulary, setVocabulary] = useState<string>();
  const [page, setPage] = useState(1);
  const list = useAsync(() => mappingApi.knowledge({ q: q || undefined, institution, vocabulary, offset: (page - 1) * PAGE, limit: PAGE }), [q, institution, vocabulary, page]);
  const orgs = useInstitutions();
  const vocabularies = useAsync(() => mappingApi.vocabularies(), []);
  const [busy, setBusy] = useState<'import' | 'export' | null>(null);
  const [outcome, setOutcome] = useState<ImportOutcome | null>(null);

  const institutionOptions = useMemo(() => {
    const seen = new Map<string, string>();
    for (const o of orgs.data ?? []) seen.set(o.code, o.name);
    for (const k of list.data?.items ?? []) if (!seen.has(k.institution)) seen.set(k.institution, k.institutionName ?? k.institution);
    return [...seen].map(([value, name]) => ({ value, label: `${name}（${value}）` }));
  }, [orgs.data, list.data]);

  const exportAll = async () => {
    setBusy('export');
    try {
      await mappingApi.exportKnowledge();
    } catch (err) {
      message.error(describeError(t, err));
    } finally {
      setBusy(null);
    }
  };

  const importFile = async (file: File) => {
    setBusy('import');
    setOutcome(null);
    try {
      const { imported } = await mappingApi.importKnowledge(await file.text());
      setOutcome({ ok: true, imported });
      list.reload();
    } catch (err) {
      // The lines say what is wrong in the page's language; the server's English summary is not repeated.
      if (err instanceof ApiError && err.details.length) setOutcome({ ok: false, message: t('map.kb.badLines', { count: new Set(err.details.map(d => d.row ?? d.field)).size }), lines: err.details.slice(0, 20) });
      else setOutcome({ ok: false, message: describeError(t, err), lines: [] });
    } finally {
      setBusy(null);
    }
  };

  return (
    <>
      <PageHeader title={t('menu.mapKnowledge')} onReload={list.reload}>
        <Button icon={<DownloadOutlined />} loading={busy === 'export'} onClick={exportAll} data-testid="knowledge-export">
          {t('map.kb.export')}
        </Button>
        {can('mapping:knowledge', 'create') && (
          <FileButton accept=".jsonl,.ndjson,.json,.txt" type="primary" loading={busy === 'import'} onFile={f => void importFile(f)} testId="knowledge-import">
            {t('map.kb.import')}
          </FileButton>
        )}
      </PageHeader>
      {outcome && (
        <Alert
          style={{ marginBottom: 16 }}
          closable
          onClose={() => setOutcome(null)}
          type={outcome.ok ? 'success' : 'error'}
          showIcon
          data-testid={outcome.ok ? 'knowledge-import-result' : 'knowledge-import-error'}
          message={outcome.ok ? t('map.kb.imported', { imported: outcome.imported }) : `${t('map.kb.importFailed')}：${outcome.message}`}
          description={
            !outcome.ok && outcome.lines.length ? (
              <ul style={{ margin: 0, paddingInlineStart: 20 }}>
                {outcome.lines.map((d, i) => (
                  <li key={i}>{d.row ? t('map.kb.errorLine', { row: d.row, field: d.field ?? '', message: `${d.rule} — ${d.message}` }) : `${d.field ?? ''} ${d.message}`}</li>
                ))}
              </ul>
            ) : undefined
          }
        />
      )}
      <Card>
        <Space wrap style={{ marginBottom: 16 }}>
          <Input.Search
            allowClear
            placeholder={t('map.kb.search')}
            style={{ width: 360 }}
            onSearch={v => {
              setQ(v.trim());
              setPage(1);
            }}
            enterButton
            data-testid="knowledge-search"
          />
          <Select allowClear showSearch optionFilterProp="label" placeholder={t('map.institution')} style={{ width: 280 }} options={institutionOptions} value={institution} onChange={v => { setInstitution(v); setPage(1); }} data-testid="knowledge-institution" />
          <Select allowClear placeholder={t('map.vocabulary')} style={{ width: 240 }} options={(vocabularies.data ?? []).map(v => ({ value: v.code, label: `${v.name}（${v.code}）` }))} value={vocabulary} onChange={v => { setVocabulary(v); setPage(1); }} />
        </Space>
        {list.error ? (
          <ErrorState error={list.error} onRetry={list.reload} />
        ) : (
          <Table<KnowledgeRow>
            rowKey="id"
            size="middle"
            loading={list.loading}
            dataSource={list.data?.items ?? []}
            data-testid="knowledge-table"
            pagination={{ current: page, pageSize: PAGE, total: list.data?.total ?? 0, showSizeChanger: false, onChange: setPage, showTotal: total => t('map.kb.total', { total }) }}
            columns={[
              { title: t('map.kb.at'), dataIndex: 'at', width: 170, render: v => (v ? new Date(v).toLocaleString() : '—') },
              { title: t('map.kb.by'), dataIndex: 'by', width: 120 },
              { title: t('map.institution'), key: 'institution', render: (_, k) => k.institutionName ?? k.institution },
              { title: t('map.kb.sourceCode'), dataIndex: 'sourceCode', render: v => v ?? '—' },
              {
                title: t('map.kb.source'),
                key: 'source',
                render: (_, k) => (
                  <>
                    <div>{k.sourceText}</div>
                    {k.normalized && k.normalized !== k.sourceText && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('map.kb.normalized', { text: k.normalized })}</Typography.Text>}
                  </>
                ),
              },
              {
                title: t('map.kb.codes'),
                key: 'codes',
                render: (_, k) => (
                  <Space size={[4, 4]} wrap>
                    {k.codes.map(c => (
                      <Tag key={c.code} color="green" data-testid="knowledge-code">
                        {c.code} {c.name !== c.code ? c.name : ''}
                      </Tag>
                    ))}
                  </Space>
                ),
              },
              { title: t('map.vocabulary'), dataIndex: 'vocabulary' },
            ]}
          />
        )}
        <Typography.Text type="secondary">{t('map.kb.importHint')}</Typography.Text>
      </Card>
    </>
  );
}
