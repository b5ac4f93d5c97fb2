import { useMemo, useState } from 'react';
import type { ButtonProps } from 'antd';
import { App, Button, Card, Descriptions, Drawer, Form, Input, Modal, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router';
import { api } from '../shell/api';
import { describeError } from '../shell/errors';
import { useI18n } from '../shell/i18n';
import { useSession } from '../shell/session';
import { ErrorState } from '../shell/states';
import { useAsync } from '../shell/useAsync';
import { Dictionary, EntryChange, LoadSummary, M, mappingApi, upload } from './api';
import { DICTIONARY_KINDS, FileButton, SettingsModal, useLabel, PageHeader } from './parts';

interface OrgUnit {
  code: string;
  name: string;
  kind: string;
}

/** Institutions for pickers; an account without security:org read types the code instead. */
export function useInstitutions() {
  const { can } = useSession();
  return useAsync(
    () => (can('security:org', 'read') ? api.get<OrgUnit[]>('/api/security/org-units').then(rows => rows.filter(r => r.kind === 'institution')).catch(() => [] as OrgUnit[]) : Promise.resolve([] as OrgUnit[])),
    [],
  );
}

/** Source dictionaries per institution: create, upload a new load (change summary), load history. */
export default function Dictionaries() {
  const { t } = useI18n();
  const label = useLabel();
  const { can } = useSession();
  const { message, modal } = App.useApp();
  const navigate = useNavigate();
  const [settings, setSettings] = useState<Dictionary | null>(null);
  const [institution, setInstitution] = useState<string>();
  const [kind, setKind] = useState<string>();
  const list = useAsync(() => mappingApi.dictionaries(institution, kind), [institution, kind]);
  const orgs = useInstitutions();
  const [creating, setCreating] = useState(false);
  const [uploading, setUploading] = useState<string | null>(null);
  const [summary, setSummary] = useState<{ dictionary: Dictionary; load: LoadSummary } | null>(null);
  const [history, setHistory] = useState<Dictionary | null>(null);
  const mayLoad = can('mapping:dictionaries', 'update') || can('mapping:dictionaries', 'create');

  const institutionOptions = useMemo(() => {
    const seen = new Map<string, string>();
    for (const o of orgs.data ?? []) seen.set(o.code, o.name);
    for (const d of list.data ?? []) if (!seen.has(d.institution)) seen.set(d.institution, d.institutionName ?? d.institution);
    return [...seen].map(([value, name]) => ({ value, label: `${name}（${value}）` }));
  }, [orgs.data, list.data]);

  const load = async (dictionary: Dictionary, file: File) => {
    setUploading(dictionary.id);
    try {
      const result = await upload<LoadSummary>(`${M}/dictionaries/${encodeURIComponent(dictionary.id)}/loads`, file, {});
      setSummary({ dictionary, load: result });
      list.reload();
    } catch (err) {
      message.error(describeError(t, err));
    } finally {
      setUploading(null);
    }
  };

  const remove = (d: Dictionary) =>
    modal.confirm({
      title: t('map.deleteDictionaryTitle', { name: d.name }),
      content: t('map.deleteDictionaryBody', { entries: d.entries }),
      okText: t('map.delete'),
      okButtonProps: { danger: true, 'data-testid': 'confirm-delete' } as ButtonProps,
      onOk: async () => {
        try {
          const r = await mappingApi.deleteDictionary(d.id);
          message.success(t('map.deletedDictionary', { entries: r.entries, loads: r.loads }));
          list.reload();
        } catch (err) {
          message.error(describeError(t, err));
        }
      },
    });

  return (
    <>
      <PageHeader title={t('menu.mapDictionaries')} onReload={list.reload}>
        {can('mapping:dictionaries', 'create') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="new-dictionary">
            {t('map.newDictionary')}
          </Button>
        )}
      </PageHeader>
      <Card>
        <Space wrap style={{ marginBottom: 16 }}>
          <Select allowClear showSearch optionFilterProp="label" placeholder={t('map.institution')} style={{ width: 280 }} options={institutionOptions} value={institution} onChange={setInstitution} data-testid="filter-institution" />
          <Select allowClear placeholder={t('map.kind')} style={{ width: 180 }} options={DICTIONARY_KINDS.map(k => ({ value: k, label: label('map.kind', k) }))} value={kind} onChange={setKind} />
        </Space>
        {list.error ? (
          <ErrorState error={list.error} onRetry={list.reload} />
        ) : (
          <Table<Dictionary>
            rowKey="id"
            size="middle"
            loading={list.loading}
            dataSource={list.data ?? []}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            data-testid="dictionary-table"
            columns={[
              { title: t('map.institution'), key: 'institution', render: (_, d) => d.institutionName ?? d.institution },
              { title: t('map.kind'), dataIndex: 'kind', render: k => <Tag>{label('map.kind', k)}</Tag> },
              { title: t('map.name'), dataIndex: 'name' },
              { title: t('map.vocabulary'), dataIndex: 'vocabulary' },
              { title: t('map.version'), dataIndex: 'version', render: v => v ?? '—' },
              { title: t('map.entries'), dataIndex: 'entries', align: 'right' },
              { title: t('map.loadedAt'), dataIndex: 'loadedAt', render: v => (v ? new Date(v).toLocaleString() : '—') },
              { title: t('map.secondCheck'), dataIndex: 'secondCheck', render: v => (v ? <Tag color="purple">{t('map.secondCheck')}</Tag> : null) },
              { title: t('map.autoAccept'), dataIndex: 'autoAccept', render: v => (v === null || v === undefined ? <Typography.Text type="secondary">{t('map.default')}</Typography.Text> : v) },
              {
                title: t('map.actions'),
                key: 'actions',
                render: (_, d) => (
                  <Space size={0}>
                    {mayLoad && (
                      <FileButton type="link" loading={uploading === d.id} onFile={f => void load(d, f)} testId={`upload-${d.id}`}>
                        {t('map.upload')}
                      </FileButton>
                    )}
                    <Button type="link" size="small" onClick={() => setHistory(d)} data-testid={`loads-${d.id}`}>
                      {t('map.loads')}
                    </Button>
                    {can('mapping:dictionaries', 'update') && (
                      <Button type="link" size="small" onClick={() => setSettings(d)} data-testid={`settings-${d.id}`}>
                        {t('map.settings')}
                      </Button>
                    )}
                    {can('mapping:dictionaries', 'delete') && (
                      <Button type="link" size="small" danger onClick={() => remove(d)} data-testid={`delete-${d.id}`}>
                        {t('map.delete')}
                      </Button>
                    )}
                    {d.taskId && can('mapping:tasks', 'read') && (
                      <Button type="link" size="small" onClick={() => navigate(`/mapping/tasks/${encodeURIComponent(d.taskId!)}`)}>
                        {t('map.review')}
                      </Button>
                    )}
                  </Space>
                ),
              },
            ]}
          />
        )}
        <Typography.Text type="secondary">{t('map.uploadHint')}</Typography.Text>
      </Card>
      <CreateDictionary open={creating} institutions={institutionOptions} onClose={() => setCreating(false)} onCreated={() => { setCreating(false); message.success(t('map.created')); list.reload(); }} />
      <DictionarySettings dictionary={settings} onClose={() => setSettings(null)} onSaved={() => { setSettings(null); message.success(t('map.saved')); list.reload(); }} />
      <Modal open={!!summary} title={t('map.changeSummary')} footer={null} width={820} onCancel={() => setSummary(null)} destroyOnHidden>
        {summary && <LoadChanges dictionary={summary.dictionary} load={summary.load} />}
      </Modal>
      <Drawer open={!!history} width={880} title={history ? `${t('map.loads')}：${history.name}` : ''} onClose={() => setHistory(null)} destroyOnHidden>
        {history && <LoadHistory dictionary={history} />}
      </Drawer>
    </>
  );
}

function CreateDictionary({ open, institutions, onClose, onCreated }: { open: boolean; institutions: Array<{ value: string; label: string }>; onClose(): void; onCreated(): void }) {
  const { t } = useI18n();
  const label = useLabel();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const vocabularies = useAsync(() => (open ? mappingApi.vocabularies() : Promise.resolve([])), [open]);
  const submit = async () => {
    const values = await form.validateFields();
    setBusy(true);
    try {
      await mappingApi.createDictionary(values);
      form.resetFields();
      onCreated();
    } catch (err) {
      message.error(describeError(t, err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open={open} title={t('map.newDictionary')} onCancel={onClose} onOk={submit} confirmLoading={busy} destroyOnHidden>
      <Form form={form} layout="vertical" preserve={false} initialValues={{ secondCheck: false }}>
        <Form.Item name="institution" label={t('map.institution')} rules={[{ required: true }]}>
          {institutions.length ? <Select showSearch optionFilterProp="label" options={institutions} /> : <Input />}
        </Form.Item>
        <Form.Item name="kind" label={t('map.kind')} rules={[{ required: true }]}>
          <Select options={DICTIONARY_KINDS.map(k => ({ value: k, label: label('map.kind', k) }))} />
        </Form.Item>
        <Form.Item name="name" label={t('map.name')} rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Form.Item name="vocabulary" label={t('map.vocabulary')} rules={[{ required: true }]}>
          <Select loading={vocabularies.loading} options={(vocabularies.data ?? []).map(v => ({ value: v.code, label: `${v.name}（${v.code}）` }))} />
        </Form.Item>
        <Form.Item name="secondCheck" label={t('map.secondCheck')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** A dictionary's name, second check and auto-accept band (empty: the vocabulary's). */
function DictionarySettings({ dictionary, onClose, onSaved }: { dictionary: Dictionary | null; onClose(): void; onSaved(): void }) {
  const { t } = useI18n();
  return (
    <SettingsModal
      subject={dictionary?.name ?? null}
      initialValues={{ name: dictionary?.name, secondCheck: !!dictionary?.secondCheck, autoAccept: dictionary?.autoAccept ?? null }}
      hint={t('map.autoAcceptDictHint')}
      save={v => mappingApi.updateDictionary(dictionary!.id, { name: v.name, secondCheck: v.secondCheck as boolean, autoAccept: v.autoAccept })}
      onClose={onClose}
      onSaved={onSaved}
    >
      <Form.Item name="secondCheck" label={t('map.secondCheck')} valuePropName="checked" extra={t('map.secondCheckHint')}>
        <Switch data-testid="second-check-switch" />
      </Form.Item>
    </SettingsModal>
  );
}

/** The counts of one load and its changed entries. */
function LoadChanges({ dictionary, load }: { dictionary: Dictionary; load: LoadSummary }) {
  const { t } = useI18n();
  const changes = useAsync(() => mappingApi.changes(dictionary.id, load.version), [dictionary.id, load.version]);
  const color = { added: 'green', changed: 'orange', removed: 'red' } as const;
  const show = (v: Record<string, unknown> | null | undefined) => (v ? String(v.name ?? JSON.stringify(v)) : '—');
  return (
    <div data-testid="load-summary">
      <Descriptions size="small" column={4} bordered style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t('map.added')}>
          <span data-testid="load-added">{load.added}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('map.changed')}>
          <span data-testid="load-changed">{load.changed}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('map.removed')}>
          <span data-testid="load-removed">{load.removed}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('map.unchanged')}>{load.unchanged}</Descriptions.Item>
      </Descriptions>
      <Typography.Paragraph type="secondary">{t('map.loaded', { ...load })}</Typography.Paragraph>
      {changes.error ? (
        <ErrorState error={changes.error} onRetry={changes.reload} />
      ) : (
        <Table<EntryChange>
          size="small"
          rowKey={r => `${r.change}-${r.code}`}
          loading={changes.loading}
          dataSource={changes.data ?? []}
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          columns={[
            { title: t('map.code'), dataIndex: 'code' },
            { title: t('map.status'), dataIndex: 'change', render: (c: EntryChange['change']) => <Tag color={color[c]}>{t(`map.${c}`)}</Tag> },
            { title: t('map.before'), key: 'before', render: (_, r) => show(r.before) },
            { title: t('map.after'), key: 'after', render: (_, r) => show(r.after) },
          ]}
        />
      )}
    </div>
  );
}

function LoadHistory({ dictionary }: { dictionary: Dictionary }) {
  const { t } = useI18n();
  const loads = useAsync(() => mappingApi.loads(dictionary.id), [dictionary.id]);
  const [open, setOpen] = useState<LoadSummary | null>(null);
  if (loads.error) return <ErrorState error={loads.error} onRetry={loads.reload} />;
  return (
    <>
      <Table<LoadSummary>
        size="small"
        rowKey="version"
        loading={loads.loading}
        dataSource={loads.data ?? []}
        locale={{ emptyText: t('map.noLoads') }}
        pagination={false}
        data-testid="load-history"
        columns={[
          { title: t('map.version'), dataIndex: 'version' },
          { title: t('map.loadedAt'), dataIndex: 'loadedAt', render: v => (v ? new Date(v).toLocaleString() : '—') },
          { title: t('map.by'), dataIndex: 'by' },
          { title: t('map.added'), dataIndex: 'added', align: 'right' },
          { title: t('map.changed'), dataIndex: 'changed', align: 'right' },
          { title: t('map.removed'), dataIndex: 'removed', align: 'right' },
          { title: t('map.unchanged'), dataIndex: 'unchanged', align: 'right' },
          { title: '', key: 'x', render: (_, l) => <Button type="link" size="small" onClick={() => setOpen(l)}>{t('map.viewChanges')}</Button> },
        ]}
      />
      {open && (
        <Card size="small" style={{ marginTop: 16 }} title={`${t('map.changeSummary')} · ${t('map.version')} ${open.version}`}>
          <LoadChanges dictionary={dictionary} load={open} />
        </Card>
      )}
    </>
  );
}
