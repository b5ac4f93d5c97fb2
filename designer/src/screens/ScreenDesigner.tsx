import { DragEvent, useEffect, useMemo, useState } from 'react';
import { Alert, App, Badge, Button, Card, Col, Empty, Form, Input, InputNumber, Row, Segmented, Select, Space, Switch, Tabs, Tag, Tooltip, Typography } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, CheckOutlined, DeleteOutlined, EyeOutlined, HolderOutlined, PlusOutlined, SaveOutlined, SendOutlined } from '@ant-design/icons';
import { createForm } from '@formily/core';
import { FormProvider } from '@formily/react';
import { FormLayout } from '@formily/antd-v5';
import type { Dataset, ResolvedDataset } from '@lingshu/metamodel/dist/kinds';
import { datasetToFormSchema, datasetToQueryScreen } from '@lingshu/metamodel/dist/compile';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../shell/api';
import { describeError } from '../shell/errors';
import { useI18n } from '../shell/i18n';
import { ErrorState, Loading } from '../shell/states';
import { useAsync } from '../shell/useAsync';
import { ScreenSchemaField } from '../runtime/formily';
import { screensChanged } from '../runtime/menu';
import { QueryScreen } from '../runtime/QueryScreen';
import type { RuntimeScreen, Screen, ScreenColumn, ScreenFilter, ScreenList } from '../runtime/types';
import { COMPONENTS, DesignContainer, DesignField, GRID_COLUMNS, compileLayout, designField, fieldsOf, newId, parseLayout, rootExtras } from './layout';
import { resolveDataset } from './resolve';
import './designer.css';

type StoredScreen = Screen & { _meta?: { allowedActions: string[] } };

interface ListConfig {
  columns: string[];
  filters: string[];
  person: boolean;
  personFields: string[];
  personTitle: string;
  sortField?: string;
  sortDirection: 'asc' | 'desc';
  pageSize: number;
  roles: string[];
  group: string;
  menuTitle: string;
  order: number;
}

const ROLE_OPTIONS = ['data-admin', 'analyst', 'county-user', 'institution-user'];
const PERSON_CANDIDATES = ['id_number', 'patient_name'];

/** /screens/new and /screens/:id: loads the screen (if any) and its dataset with elements and value domains. */
export default function ScreenDesigner() {
  const { id } = useParams();
  const datasets = useAsync(() => api.get<Dataset[]>('/api/meta/datasets?status=published&limit=1000'), []);
  const stored = useAsync(() => (id ? api.get<StoredScreen>(`/api/meta/screens/${id}`) : Promise.resolve(undefined)), [id]);
  const [picked, setPicked] = useState<string | undefined>();
  const code = stored.data?.dataset.code ?? picked;
  const dataset = datasets.data?.find(d => d.code === code || (stored.data?.dataset.id !== undefined && d.id === stored.data.dataset.id));
  const resolved = useAsync(() => (dataset ? resolveDataset(dataset) : Promise.resolve(undefined)), [dataset?.id]);
  const { t } = useI18n();
  if (datasets.loading || stored.loading) return <Loading />;
  if (datasets.error || stored.error) return <ErrorState error={datasets.error ?? stored.error} onRetry={() => (datasets.reload(), stored.reload())} />;
  if (!dataset) {
    return (
      <>
        <div className="ls-page-header">
          <Typography.Title level={4}>{t('scr.new')}</Typography.Title>
        </div>
        <Card variant="borderless" style={{ maxWidth: 560 }}>
          <Form layout="vertical">
            <Form.Item label={t('scr.dataset')} extra={t('scr.datasetHint')}>
              <Select showSearch optionFilterProp="label" onChange={setPicked} data-testid="pick-dataset" options={(datasets.data ?? []).map(d => ({ value: d.code, label: `${d.name} (${d.code})` }))} />
            </Form.Item>
          </Form>
        </Card>
      </>
    );
  }
  if (resolved.loading || !resolved.data) return resolved.error ? <ErrorState error={resolved.error} onRetry={resolved.reload} /> : <Loading />;
  return <Designer key={`${id ?? 'new'}/${dataset.id}`} resolved={resolved.data} stored={stored.data} />;
}

function initialList(list: ScreenList, defaults: ScreenList, menuTitle: string, roles: string[] | undefined, menu?: Screen['menu']): ListConfig {
  const person = list.filters.find(f => f.anyOf?.length);
  return {
    columns: list.columns.map(c => c.field),
    filters: list.filters.filter(f => !f.anyOf?.length).map(f => f.key),
    person: !!person,
    personFields: person?.anyOf?.map(a => a.field) ?? PERSON_CANDIDATES.filter(f => defaults.columns.some(c => c.field === f)),
    personTitle: person?.title ?? '身份证件号码或姓名',
    sortField: list.defaultSort?.field,
    sortDirection: list.defaultSort?.direction ?? 'desc',
    pageSize: list.pageSize ?? 20,
    roles: roles ?? [],
    group: menu?.group ?? '业务查询',
    menuTitle: menu?.title ?? menuTitle,
    order: menu?.order ?? 10,
  };
}

function Designer({ resolved, stored }: { resolved: ResolvedDataset; stored?: StoredScreen }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const ds = resolved.dataset;
  const defaultForm = useMemo(() => datasetToFormSchema(resolved), [resolved]);
  const defaults = useMemo(() => datasetToQueryScreen(resolved), [resolved]);
  const bases = useMemo(() => fieldsOf(defaultForm), [defaultForm]);
  const [name, setName] = useState(stored?.name ?? `${ds.name}查询`);
  const [identifier] = useState(stored?.identifier ?? `SCR.${ds.code}.${Date.now().toString(36)}`);
  const [containers, setContainers] = useState<DesignContainer[]>(() =>
    stored?.form ? parseLayout(stored.form, bases, t('scr.basicInfo')) : [{ id: newId('card'), kind: 'card', title: t('scr.basicInfo'), fields: [] }],
  );
  const [selected, setSelected] = useState<{ field?: string; container?: string }>({ container: containers[0]?.id });
  const [list, setList] = useState<ListConfig>(() => initialList(stored?.list ?? defaults, defaults, stored?.menu?.title ?? name, stored?.roles, stored?.menu));
  const [tab, setTab] = useState('canvas');
  const [busy, setBusy] = useState<string | null>(null);
  const [savedId, setSavedId] = useState<string | undefined>(stored?.id);
  const [status, setStatus] = useState<string>(stored?.workflowStatus ?? 'new');
  const [previewKey, setPreviewKey] = useState(0);

  const placed = new Set(containers.flatMap(c => c.fields.map(f => f.field)));
  const allFields = [...bases.keys()];
  const titleOf = (f: string) => bases.get(f)?.title ?? f;

  // --- canvas edits ---------------------------------------------------------------------------
  const update = (fn: (cs: DesignContainer[]) => DesignContainer[]) => setContainers(cs => fn(structuredClone(cs)));
  const take = (cs: DesignContainer[], field: string): DesignField | undefined => {
    for (const c of cs) {
      const i = c.fields.findIndex(f => f.field === field);
      if (i >= 0) return c.fields.splice(i, 1)[0];
    }
    return undefined;
  };
  /** Puts a field (from the palette or moved on the canvas) into a container, before `before` or at the end. */
  const place = (field: string, containerId: string, before?: string) =>
    update(cs => {
      if (field === before) return cs;
      const moving = take(cs, field) ?? designField(field, bases.get(field) ?? { title: field });
      const target = cs.find(c => c.id === containerId);
      if (!target) return cs;
      const at = before ? target.fields.findIndex(f => f.field === before) : -1;
      target.fields.splice(at < 0 ? target.fields.length : at, 0, moving);
      return cs;
    });
  const setField = (field: string, patch: Partial<DesignField>) => update(cs => (cs.forEach(c => c.fields.forEach(f => f.field === field && Object.assign(f, patch))), cs));
  const setContainer = (id: string, patch: Partial<DesignContainer>) => update(cs => (cs.forEach(c => c.id === id && Object.assign(c, patch)), cs));
  const addContainer = (kind: DesignContainer['kind']) => {
    const c: DesignContainer = { id: newId(kind), kind, title: kind === 'tab' ? t('scr.newTab') : t('scr.newCard'), fields: [] };
    setContainers(cs => [...cs, c]);
    setSelected({ container: c.id });
  };
  const moveContainer = (id: string, by: number) =>
    update(cs => {
      const i = cs.findIndex(c => c.id === id);
      const j = i + by;
      if (i < 0 || j < 0 || j >= cs.length) return cs;
      [cs[i], cs[j]] = [cs[j], cs[i]];
      return cs;
    });
  const removeContainer = (id: string) => setContainers(cs => cs.filter(c => c.id !== id));
  const targetContainer = () => selected.container ?? containers.find(c => c.fields.some(f => f.field === selected.field))?.id ?? containers[containers.length - 1]?.id;

  const onDragStart = (e: DragEvent, field: string) => {
    e.dataTransfer.setData('text/plain', field);
    e.dataTransfer.effectAllowed = 'move';
  };
  const onDrop = (e: DragEvent, containerId: string, before?: string) => {
    e.preventDefault();
    e.stopPropagation();
    (e.currentTarget as HTMLElement).classList.remove('ls-drop-over');
    const field = e.dataTransfer.getData('text/plain');
    if (!bases.has(field)) return;
    place(field, containerId, before);
    setSelected({ field });
  };
  const dropProps = (containerId: string, before?: string) => ({
    onDragOver: (e: DragEvent) => {
      e.preventDefault();
      (e.currentTarget as HTMLElement).classList.add('ls-drop-over');
    },
    onDragLeave: (e: DragEvent) => (e.currentTarget as HTMLElement).classList.remove('ls-drop-over'),
    onDrop: (e: DragEvent) => onDrop(e, containerId, before),
  });

  // --- the screen document ----------------------------------------------------------------------
  const screenList = (): ScreenList => {
    const col = (f: string): ScreenColumn => defaults.columns.find(c => c.field === f) ?? { field: f, title: titleOf(f) };
    const filt = (f: string): ScreenFilter => defaults.filters.find(x => x.key === f) ?? { key: f, title: titleOf(f), field: f, operator: 'eq', input: 'input' };
    const filters = list.filters.map(filt);
    if (list.person && list.personFields.length) {
      filters.unshift({ key: 'person', title: list.personTitle, operator: 'eq', input: 'input', anyOf: list.personFields.map(field => ({ field, operator: 'eq' })) });
    }
    const out: ScreenList = { columns: list.columns.map(col), filters, pageSize: list.pageSize };
    if (list.sortField) out.defaultSort = { field: list.sortField, direction: list.sortDirection };
    return out;
  };
  const document = () => ({
    namespace: stored?.namespace ?? ds.namespace,
    identifier,
    name,
    definition: stored?.definition ?? `${name}(界面设计器)`,
    dataset: { id: ds.id, code: ds.code },
    form: compileLayout(containers, name, rootExtras(stored?.form)),
    list: screenList(),
    roles: list.roles,
    menu: { group: list.group, title: list.menuTitle || name, order: list.order },
  });

  const save = async (publish: boolean) => {
    setBusy(publish ? 'publish' : 'save');
    try {
      let id = savedId;
      if (id) await api.put(`/api/meta/screens/${id}`, document());
      else id = (await api.post<{ id: string }>('/api/meta/screens', document())).id;
      setSavedId(id);
      setStatus('draft');
      if (publish) {
        await api.post(`/api/meta/screens/${id}/publish`, {});
        setStatus('published');
        screensChanged();
        message.success(t('scr.published'));
      } else message.success(t('scr.saved'));
      if (!stored) navigate(`/screens/${id}`, { replace: true });
    } catch (err) {
      message.error(describeError(t, err));
    } finally {
      setBusy(null);
    }
  };

  const previewScreen: RuntimeScreen = { ...(document() as unknown as Screen), id: savedId ?? 'preview', kind: 'screen', version: 0, workflowStatus: 'draft' } as RuntimeScreen;
  const fieldSel = selected.field ? containers.flatMap(c => c.fields).find(f => f.field === selected.field) : undefined;
  const containerSel = !fieldSel && selected.container ? containers.find(c => c.id === selected.container) : undefined;
  const fieldOptions = allFields.map(f => ({ value: f, label: `${titleOf(f)} (${f})` }));

  const canvas = (
    <div data-testid="canvas">
      <Space style={{ marginBottom: 12 }}>
        <Button icon={<PlusOutlined />} onClick={() => addContainer('card')} data-testid="add-card">
          {t('scr.addCard')}
        </Button>
        <Button icon={<PlusOutlined />} onClick={() => addContainer('tab')} data-testid="add-tab">
          {t('scr.addTab')}
        </Button>
      </Space>
      {containers.map((c, ci) => (
        <Card
          key={c.id}
          size="small"
          className={`ls-canvas-container${selected.container === c.id && !selected.field ? ' ls-selected' : ''}`}
          style={{ marginBottom: 12 }}
          data-testid={`container-${ci}`}
          title={
            <Space onClick={() => setSelected({ container: c.id })} style={{ cursor: 'pointer' }}>
              <Tag color={c.kind === 'tab' ? 'purple' : 'blue'}>{c.kind === 'tab' ? t('scr.tab') : t('scr.card')}</Tag>
              <span>{c.title || '—'}</span>
            </Space>
          }
          extra={
            <Space size={0}>
              <Button type="text" size="small" icon={<ArrowUpOutlined />} onClick={() => moveContainer(c.id, -1)} />
              <Button type="text" size="small" icon={<ArrowDownOutlined />} onClick={() => moveContainer(c.id, 1)} />
              <Button type="text" size="small" danger icon={<DeleteOutlined />} onClick={() => removeContainer(c.id)} />
            </Space>
          }
        >
          <div className="ls-canvas-grid" style={{ gridTemplateColumns: `repeat(${GRID_COLUMNS}, 1fr)` }} {...dropProps(c.id)} data-testid={`drop-${ci}`}>
            {c.fields.map(f => (
              <div
                key={f.field}
                className={`ls-canvas-field${selected.field === f.field ? ' ls-selected' : ''}`}
                style={{ gridColumn: `span ${Math.min(f.span, GRID_COLUMNS)}` }}
                draggable
                onDragStart={e => onDragStart(e, f.field)}
                onClick={() => setSelected({ field: f.field, container: c.id })}
                title={`${f.title} · ${f.component}`}
                {...dropProps(c.id, f.field)}
                data-testid={`tile-${f.field}`}
              >
                <HolderOutlined style={{ color: '#bbb' }} />
                <span className="ls-canvas-field-title">
                  {f.required && <span style={{ color: '#ff4d4f' }}>* </span>}
                  {f.title}
                </span>
                {f.span > 1 && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {f.component}
                  </Typography.Text>
                )}
                <Button
                  type="text"
                  size="small"
                  icon={<DeleteOutlined />}
                  onClick={e => {
                    e.stopPropagation();
                    update(cs => (take(cs, f.field), cs));
                    setSelected({ container: c.id });
                  }}
                />
              </div>
            ))}
            {c.fields.length === 0 && <div className="ls-canvas-empty">{t('scr.dropHere')}</div>}
          </div>
        </Card>
      ))}
    </div>
  );

  const listConfig = (
    <Form layout="vertical" data-testid="list-config" style={{ maxWidth: 760 }}>
      <Form.Item label={t('scr.columns')}>
        <Select mode="multiple" value={list.columns} onChange={columns => setList(l => ({ ...l, columns }))} options={fieldOptions} data-testid="cfg-columns" />
      </Form.Item>
      <Form.Item label={t('scr.filters')}>
        <Select mode="multiple" value={list.filters} onChange={filters => setList(l => ({ ...l, filters }))} options={fieldOptions} data-testid="cfg-filters" />
      </Form.Item>
      <Form.Item label={t('scr.personSearch')} extra={t('scr.personSearchHint')}>
        <Space wrap>
          <Switch checked={list.person} onChange={person => setList(l => ({ ...l, person }))} data-testid="cfg-person" />
          <Select mode="multiple" style={{ minWidth: 280 }} value={list.personFields} onChange={personFields => setList(l => ({ ...l, personFields }))} options={fieldOptions} disabled={!list.person} />
        </Space>
      </Form.Item>
      <Row gutter={16}>
        <Col span={10}>
          <Form.Item label={t('scr.sort')}>
            <Select allowClear value={list.sortField} onChange={sortField => setList(l => ({ ...l, sortField }))} options={fieldOptions} />
          </Form.Item>
        </Col>
        <Col span={6}>
          <Form.Item label={t('scr.direction')}>
            <Segmented value={list.sortDirection} onChange={v => setList(l => ({ ...l, sortDirection: v as 'asc' | 'desc' }))} options={[{ value: 'desc', label: t('scr.desc') }, { value: 'asc', label: t('scr.asc') }]} />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item label={t('scr.pageSize')}>
            <InputNumber min={5} max={100} value={list.pageSize} onChange={v => setList(l => ({ ...l, pageSize: v ?? 20 }))} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item label={t('scr.roles')} extra={t('scr.rolesHint')}>
        <Select mode="tags" value={list.roles} onChange={roles => setList(l => ({ ...l, roles }))} options={ROLE_OPTIONS.map(r => ({ value: r, label: r }))} data-testid="cfg-roles" />
      </Form.Item>
      <Row gutter={16}>
        <Col span={10}>
          <Form.Item label={t('scr.menuGroup')}>
            <Input value={list.group} onChange={e => setList(l => ({ ...l, group: e.target.value }))} data-testid="cfg-group" />
          </Form.Item>
        </Col>
        <Col span={10}>
          <Form.Item label={t('scr.menuTitle')}>
            <Input value={list.menuTitle} onChange={e => setList(l => ({ ...l, menuTitle: e.target.value }))} data-testid="cfg-menu-title" />
          </Form.Item>
        </Col>
        <Col span={4}>
          <Form.Item label={t('scr.order')}>
            <InputNumber value={list.order} onChange={v => setList(l => ({ ...l, order: v ?? 10 }))} />
          </Form.Item>
        </Col>
      </Row>
    </Form>
  );

  const preview = (
    <div data-testid="preview">
      <Alert type="info" showIcon message={t('scr.previewHint')} style={{ marginBottom: 12 }} />
      <Tabs
        items={[
          { key: 'query', label: t('scr.previewQuery'), children: <QueryScreen key={previewKey} screen={previewScreen} preview /> },
          { key: 'form', label: t('scr.previewForm'), children: <FormPreview key={previewKey} schema={previewScreen.form!} /> },
          { key: 'json', label: <span data-testid="tab-json">{t('scr.previewJson')}</span>, children: <SchemaJson key={previewKey} initial={previewScreen.form!} /> },
        ]}
      />
    </div>
  );

  return (
    <div className="ls-screen-designer">
      <div className="ls-page-header">
        <Space align="center">
          <Typography.Title level={4} style={{ margin: 0 }}>
            <Link to="/screens">{t('menu.screens')}</Link> / {name}
          </Typography.Title>
          <Tag color={status === 'published' ? 'success' : 'default'} data-testid="screen-status" data-status={status}>
            {t(`scr.status.${status === 'published' ? 'published' : status === 'new' ? 'new' : 'draft'}`)}
          </Tag>
          <Typography.Text type="secondary">
            {ds.name} ({ds.code})
          </Typography.Text>
        </Space>
        <Space>
          <Button icon={<SaveOutlined />} loading={busy === 'save'} onClick={() => save(false)} data-testid="save-draft">
            {t('scr.saveDraft')}
          </Button>
          <Button type="primary" icon={<SendOutlined />} loading={busy === 'publish'} onClick={() => save(true)} data-testid="publish-screen">
            {t('scr.publish')}
          </Button>
        </Space>
      </div>
      <Row gutter={12}>
        <Col span={5}>
          <Card size="small" title={t('scr.palette')} variant="borderless" data-testid="palette" styles={{ body: { maxHeight: 'calc(100vh - 220px)', overflow: 'auto', padding: 8 } }}>
            <Form.Item label={t('scr.name')} style={{ marginBottom: 8 }}>
              <Input value={name} onChange={e => setName(e.target.value)} data-testid="screen-name" />
            </Form.Item>
            {allFields.map(f => (
              <div
                key={f}
                className={`ls-palette-item${placed.has(f) ? ' ls-placed' : ''}`}
                draggable
                onDragStart={e => onDragStart(e, f)}
                onDoubleClick={() => targetContainer() && place(f, targetContainer()!)}
                data-testid={`palette-${f}`}
              >
                <HolderOutlined style={{ color: '#bbb' }} />
                <span style={{ flex: 1 }}>{titleOf(f)}</span>
                {placed.has(f) ? (
                  <CheckOutlined style={{ color: '#52c41a' }} />
                ) : (
                  <Tooltip title={t('scr.addToContainer')}>
                    <Button type="text" size="small" icon={<PlusOutlined />} onClick={() => targetContainer() && place(f, targetContainer()!)} />
                  </Tooltip>
                )}
              </div>
            ))}
          </Card>
        </Col>
        <Col span={13}>
          <Card variant="borderless" size="small">
            <Tabs
              activeKey={tab}
              onChange={k => {
                setTab(k);
                if (k === 'preview') setPreviewKey(x => x + 1);
              }}
              items={[
                { key: 'canvas', label: <span data-testid="tab-canvas">{t('scr.canvas')}</span>, children: canvas },
                { key: 'list', label: <span data-testid="tab-list">{t('scr.list')}</span>, children: listConfig },
                { key: 'preview', label: <span data-testid="tab-preview"><EyeOutlined /> {t('scr.preview')}</span>, children: tab === 'preview' ? preview : null },
              ]}
            />
          </Card>
        </Col>
        <Col span={6}>
          <Card size="small" title={t('scr.props')} variant="borderless" data-testid="props">
            {fieldSel ? (
              <Form layout="vertical" key={fieldSel.field}>
                <Typography.Paragraph type="secondary">
                  <Badge color="blue" text={`${fieldSel.field} · ${fieldSel.base['x-element'] ?? ''}`} />
                </Typography.Paragraph>
                <Form.Item label={t('scr.prop.title')}>
                  <Input value={fieldSel.title} onChange={e => setField(fieldSel.field, { title: e.target.value })} data-testid="prop-title" />
                </Form.Item>
                <Form.Item label={t('scr.prop.component')}>
                  <Select value={fieldSel.component} onChange={component => setField(fieldSel.field, { component })} options={COMPONENTS.map(c => ({ value: c, label: c }))} data-testid="prop-component" />
                </Form.Item>
                <Form.Item label={t('scr.prop.required')}>
                  <Switch checked={fieldSel.required} onChange={required => setField(fieldSel.field, { required })} data-testid="prop-required" />
                </Form.Item>
                <Form.Item label={t('scr.prop.placeholder')}>
                  <Input value={fieldSel.placeholder} onChange={e => setField(fieldSel.field, { placeholder: e.target.value || undefined })} data-testid="prop-placeholder" />
                </Form.Item>
                <Form.Item label={t('scr.prop.span')}>
                  <Segmented value={fieldSel.span} onChange={v => setField(fieldSel.field, { span: Number(v) })} options={[1, 2, 3, 4].map(n => ({ value: n, label: `${n}/${GRID_COLUMNS}` }))} data-testid="prop-span" />
                </Form.Item>
              </Form>
            ) : containerSel ? (
              <Form layout="vertical" key={containerSel.id}>
                <Form.Item label={t('scr.prop.containerTitle')}>
                  <Input value={containerSel.title} onChange={e => setContainer(containerSel.id, { title: e.target.value })} data-testid="container-title" />
                </Form.Item>
                <Form.Item label={t('scr.prop.containerKind')}>
                  <Segmented value={containerSel.kind} onChange={v => setContainer(containerSel.id, { kind: v as DesignContainer['kind'] })} options={[{ value: 'card', label: t('scr.card') }, { value: 'tab', label: t('scr.tab') }]} data-testid="container-kind" />
                </Form.Item>
              </Form>
            ) : (
              <Empty description={t('scr.selectSomething')} />
            )}
          </Card>
        </Col>
      </Row>
    </div>
  );
}

/**
 * The form as Formily JSON, editable for a trial render. Expressions in `{{ }}` go through the
 * safe compiler: anything outside the expression subset evaluates to nothing. (Saving still goes
 * through the layout; the server checks the expressions of every stored screen again.)
 */
function SchemaJson({ initial }: { initial: Record<string, unknown> }) {
  const { t } = useI18n();
  const [text, setText] = useState(() => JSON.stringify(initial, null, 2));
  const [schema, setSchema] = useState<Record<string, unknown> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [n, setN] = useState(0);
  const apply = () => {
    try {
      setSchema(JSON.parse(text));
      setError(null);
      setN(x => x + 1);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <Row gutter={12}>
      <Col span={12}>
        <Input.TextArea value={text} onChange={e => setText(e.target.value)} autoSize={{ minRows: 12, maxRows: 28 }} style={{ fontFamily: 'monospace', fontSize: 12 }} data-testid="schema-json" />
        <Button style={{ marginTop: 8 }} onClick={apply} data-testid="schema-apply">
          {t('scr.previewApply')}
        </Button>
        {error && <Alert type="error" message={error} style={{ marginTop: 8 }} />}
      </Col>
      <Col span={12} data-testid="schema-preview">
        {schema ? <FormPreview key={n} schema={schema} /> : <Empty />}
      </Col>
    </Row>
  );
}

function FormPreview({ schema }: { schema: Record<string, unknown> }) {
  const form = useMemo(() => createForm(), []);
  useEffect(() => () => form.onUnmount(), [form]);
  return (
    <FormProvider form={form}>
      <FormLayout layout="vertical">
        <ScreenSchemaField schema={schema} />
      </FormLayout>
    </FormProvider>
  );
}
