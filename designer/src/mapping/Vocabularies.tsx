import { useEffect, useState } from 'react';
import type { ButtonProps } from 'antd';
import { App, Button, Card, Col, Form, Input, InputNumber, Modal, Row, Select, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { ApiError } from '../shell/api';
import { describeError } from '../shell/errors';
import { useI18n } from '../shell/i18n';
import { useSession } from '../shell/session';
import { ErrorState } from '../shell/states';
import { useAsync } from '../shell/useAsync';
import { M, Term, Vocabulary, mappingApi, upload } from './api';
import { FileButton, SettingsModal, useLabel, PageHeader } from './parts';
import { JobProgress, useJob } from '../jobs/Jobs';

/** Standard vocabularies: list, import a code table (job with percent and time left), term search. */
export default function Vocabularies() {
  const { t } = useI18n();
  const label = useLabel();
  const { can } = useSession();
  const { message, modal } = App.useApp();
  const list = useAsync(() => mappingApi.vocabularies(), []);
  const [settings, setSettings] = useState<Vocabulary | null>(null);
  const [importing, setImporting] = useState<Vocabulary | null>(null);
  const [creating, setCreating] = useState(false);
  const [searchIn, setSearchIn] = useState<string>();
  useEffect(() => {
    if (!searchIn && list.data?.length) setSearchIn(list.data[0].code);
  }, [list.data, searchIn]);
  const mayImport = can('mapping:vocabularies', 'create');

  const remove = (v: Vocabulary) =>
    modal.confirm({
      title: t('map.deleteVocabularyTitle', { name: v.name }),
      content: t('map.deleteVocabularyBody', { terms: v.terms }),
      okText: t('map.delete'),
      okButtonProps: { danger: true, 'data-testid': 'confirm-delete' } as ButtonProps,
      onOk: async () => {
        try {
          await mappingApi.deleteVocabulary(v.code);
          message.success(t('map.deletedVocabulary'));
          if (searchIn === v.code) setSearchIn(undefined);
          list.reload();
        } catch (err) {
          const inUse = err instanceof ApiError && err.status === 409 ? ((err.details[0] as { value?: { mappings?: number; dictionaries?: number } } | undefined)?.value) : undefined;
          message.error(inUse ? t('map.vocabularyInUse', { mappings: inUse.mappings ?? 0, dictionaries: inUse.dictionaries ?? 0 }) : describeError(t, err));
        }
      },
    });

  return (
    <>
      <PageHeader title={t('menu.mapVocabularies')} onReload={list.reload}>
        {can('mapping:vocabularies', 'create') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="new-vocabulary">
            {t('map.newVocabulary')}
          </Button>
        )}
      </PageHeader>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Card>
            {list.error ? (
              <ErrorState error={list.error} onRetry={list.reload} />
            ) : (
              <Table<Vocabulary>
                rowKey="code"
                size="middle"
                loading={list.loading}
                dataSource={list.data ?? []}
                pagination={false}
                data-testid="vocabulary-table"
                columns={[
                  { title: t('map.code'), dataIndex: 'code' },
                  { title: t('map.name'), dataIndex: 'name' },
                  { title: t('map.kind'), dataIndex: 'domain', render: d => <Tag>{label('map.domain', d)}</Tag> },
                  { title: t('map.terms'), dataIndex: 'terms', align: 'right', render: n => <span data-testid="vocabulary-terms">{n}</span> },
                  { title: t('map.version'), dataIndex: 'version', render: v => v ?? '—' },
                  { title: t('map.importedAt'), dataIndex: 'importedAt', render: v => (v ? new Date(v).toLocaleString() : '—') },
                  { title: t('map.autoAccept'), dataIndex: 'autoAccept', render: v => (v === null || v === undefined ? <Typography.Text type="secondary">{t('map.default')} 0.9</Typography.Text> : v) },
                  {
                    title: t('map.actions'),
                    key: 'a',
                    render: (_, v) => (
                      <>
                        {mayImport && (
                          <Button type="link" size="small" onClick={() => setImporting(v)} data-testid={`import-${v.code}`}>
                            {t('map.import')}
                          </Button>
                        )}
                        <Button type="link" size="small" onClick={() => setSearchIn(v.code)}>
                          {t('map.searchTerms')}
                        </Button>
                        {can('mapping:vocabularies', 'update') && (
                          <Button type="link" size="small" onClick={() => setSettings(v)} data-testid={`settings-${v.code}`}>
                            {t('map.settings')}
                          </Button>
                        )}
                        {can('mapping:vocabularies', 'delete') && (
                          <Button type="link" size="small" danger onClick={() => remove(v)} data-testid={`delete-${v.code}`}>
                            {t('map.delete')}
                          </Button>
                        )}
                      </>
                    ),
                  },
                ]}
              />
            )}
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <TermSearch vocabularies={list.data ?? []} code={searchIn} onCode={setSearchIn} />
        </Col>
      </Row>
      <ImportModal vocabulary={importing} onClose={() => setImporting(null)} onDone={list.reload} />
      <VocabularySettings vocabulary={settings} onClose={() => setSettings(null)} onSaved={() => { setSettings(null); message.success(t('map.saved')); list.reload(); }} />
      <CreateVocabulary open={creating} onClose={() => setCreating(false)} onCreated={() => { setCreating(false); list.reload(); }} />
    </>
  );
}

/** A vocabulary's name and auto-accept band (empty: the default 0.9). */
function VocabularySettings({ vocabulary, onClose, onSaved }: { vocabulary: Vocabulary | null; onClose(): void; onSaved(): void }) {
  const { t } = useI18n();
  return (
    <SettingsModal
      subject={vocabulary?.name ?? null}
      initialValues={{ name: vocabulary?.name, autoAccept: vocabulary?.autoAccept ?? null }}
      hint={t('map.autoAcceptVocabHint')}
      save={v => mappingApi.updateVocabulary(vocabulary!.code, { name: v.name, autoAccept: v.autoAccept })}
      onClose={onClose}
      onSaved={onSaved}
    />
  );
}

function ImportModal({ vocabulary, onClose, onDone }: { vocabulary: Vocabulary | null; onClose(): void; onDone(): void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [file, setFile] = useState<File | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const job = useJob(jobId, () => onDone());
  useEffect(() => {
    if (!vocabulary) {
      setFile(null);
      setJobId(null);
    }
  }, [vocabulary]);
  const start = async () => {
    if (!vocabulary || !file) return;
    const cols = form.getFieldsValue() as { codeColumn?: string; nameColumn?: string; aliasColumn?: string };
    setBusy(true);
    try {
      const { jobId: id, terms } = await upload<{ jobId: string; terms?: number }>(`${M}/vocabularies/${encodeURIComponent(vocabulary.code)}/import`, file, {
        codeColumn: cols.codeColumn || undefined,
        nameColumn: cols.nameColumn || undefined,
        aliasColumn: cols.aliasColumn || undefined,
      });
      setJobId(id);
      if (terms !== undefined) message.info(t('map.importQueued', { terms }));
    } catch (err) {
      message.error(describeError(t, err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={!!vocabulary}
      title={vocabulary ? t('map.importTitle', { name: vocabulary.name }) : ''}
      onCancel={onClose}
      destroyOnHidden
      footer={[
        <Button key="close" onClick={onClose}>
          {t('map.close')}
        </Button>,
        <Button key="go" type="primary" disabled={!file || !!jobId} loading={busy} onClick={start} data-testid="import-start">
          {t('map.start')}
        </Button>,
      ]}
    >
      <Form form={form} layout="vertical">
        <Form.Item label={t('map.chooseFile')}>
          <FileButton onFile={setFile} testId="import-file">
            {file ? file.name : t('map.chooseFile')}
          </FileButton>
          <div>
            <Typography.Text type="secondary">{t('map.uploadHint')}</Typography.Text>
          </div>
        </Form.Item>
        <Row gutter={8}>
          <Col span={8}>
            <Form.Item name="codeColumn" label={t('map.codeColumn')}>
              <Input placeholder="code" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="nameColumn" label={t('map.nameColumn')}>
              <Input placeholder="name" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="aliasColumn" label={t('map.aliasColumn')}>
              <Input />
            </Form.Item>
          </Col>
        </Row>
      </Form>
      {jobId && <JobProgress job={job} testId="import-progress" />}
    </Modal>
  );
}

function TermSearch({ vocabularies, code, onCode }: { vocabularies: Vocabulary[]; code?: string; onCode(code: string): void }) {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const terms = useAsync(() => (code && q.trim() ? mappingApi.terms(code, q.trim(), 50) : Promise.resolve([] as Term[])), [code, q]);
  return (
    <Card title={t('map.searchTerms')}>
      <Select style={{ width: '100%', marginBottom: 8 }} value={code} onChange={onCode} options={vocabularies.map(v => ({ value: v.code, label: `${v.name}（${v.code}）` }))} />
      <Input.Search allowClear placeholder={t('map.searchPlaceholder')} onSearch={setQ} enterButton data-testid="term-search" />
      {terms.error ? (
        <ErrorState error={terms.error} onRetry={terms.reload} />
      ) : (
        <Table<Term>
          style={{ marginTop: 12 }}
          size="small"
          rowKey="code"
          loading={terms.loading}
          dataSource={terms.data ?? []}
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          data-testid="term-results"
          columns={[
            { title: t('map.code'), dataIndex: 'code', width: 120 },
            { title: t('map.name'), dataIndex: 'name' },
            { title: t('map.aliases'), dataIndex: 'aliases', render: (a?: string[]) => (a ?? []).join('、') },
          ]}
        />
      )}
    </Card>
  );
}

const DOMAINS = ['diagnosis', 'operation', 'drug', 'lab', 'exam', 'department', 'value-domain'];

function CreateVocabulary({ open, onClose, onCreated }: { open: boolean; onClose(): void; onCreated(): void }) {
  const { t } = useI18n();
  const label = useLabel();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const values = await form.validateFields();
    setBusy(true);
    try {
      await mappingApi.createVocabulary({ ...values, autoAccept: values.autoAccept ?? undefined });
      message.success(t('map.vocabCreated'));
      onCreated();
    } catch (err) {
      message.error(describeError(t, err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open={open} title={t('map.newVocabulary')} onCancel={onClose} onOk={submit} confirmLoading={busy} destroyOnHidden>
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item name="code" label={t('map.code')} rules={[{ required: true }]}>
          <Input placeholder="GB/T 14396-2016" />
        </Form.Item>
        <Form.Item name="name" label={t('map.name')} rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Form.Item name="domain" label={t('map.kind')} rules={[{ required: true }]}>
          <Select options={DOMAINS.map(d => ({ value: d, label: label('map.domain', d) }))} />
        </Form.Item>
        <Form.Item name="autoAccept" label={t('map.autoAccept')}>
          <InputNumber min={0} max={1} step={0.01} placeholder="0.9" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
