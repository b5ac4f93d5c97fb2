import { useEffect, useState } from 'react';
import { App, Breadcrumb, Button, Card, Descriptions, Popconfirm, Space, Table, Tabs, Tag, Typography } from 'antd';
import { DeleteOutlined, EditOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError, api } from '../shell/api';
import { describeError } from '../shell/errors';
import { useI18n } from '../shell/i18n';
import { useSession } from '../shell/session';
import { ErrorState, Loading } from '../shell/states';
import { useAsync } from '../shell/useAsync';
import { Inclusion, Item, KIND_BY_SLUG, MENU_LABEL, PermissibleValue, SLUG } from './kinds';
import { LifecycleActions } from './Lifecycle';
import { MigrationPreview } from './MigrationPreview';
import { VersionHistory } from './History';
import { StatusTag } from './StatusTag';
import { DraftingPanel, GATED_ACTIONS, usePublishGate } from '../inbox/Drafting';

/** One item: its latest version, the actions allowed now, and its version history. */
export default function ItemDetail() {
  const { kind: slug = '', id = '' } = useParams();
  const loaded = useAsync(() => api.get<Item>(`/api/meta/${slug}/${id}`), [slug, id]);
  const [item, setItem] = useState<Item | undefined>();
  useEffect(() => setItem(loaded.data), [loaded.data]);
  if (!KIND_BY_SLUG[slug]) return <ErrorState error={new ApiError(404, 'NotFound', slug)} />;
  if (loaded.error) return <ErrorState error={loaded.error} onRetry={loaded.reload} />;
  if (!item || item.id !== id) return <Loading />; // also while another item's page is still shown
  return <Detail item={item} onChange={setItem} />;
}

function Detail({ item, onChange }: { item: Item; onChange(item: Item): void }) {
  const { t } = useI18n();
  const { can } = useSession();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const kind = item.kind;
  const editable = can(`meta:${kind}`, 'update') && item.workflowStatus !== 'retired';
  const deletable = can(`meta:${kind}`, 'delete') && item.workflowStatus === 'draft' && item.version === 1;
  // In a namespace that publishes only through an approved process, the drafting panel takes over submit/withdraw/publish.
  const gated = usePublishGate(item.namespace);

  const remove = async () => {
    try {
      await api.del(`/api/meta/${SLUG[kind]}/${item.id}`);
      message.success(t('common.deleted'));
      navigate(`/meta/${SLUG[kind]}`);
    } catch (err) {
      message.error(describeError(t, err));
    }
  };

  return (
    <>
      <Breadcrumb style={{ marginBottom: 12 }} items={[{ title: <Link to={`/meta/${SLUG[kind]}`}>{t(MENU_LABEL[kind])}</Link> }, { title: item.identifier }]} />
      <div className="ls-page-header">
        <Space align="center" wrap>
          <Typography.Title level={4} data-testid="item-title">
            {item.name}
          </Typography.Title>
          <Typography.Text type="secondary">
            {item.namespace}:{item.identifier} · v{item.version}
          </Typography.Text>
          <StatusTag status={item.workflowStatus} />
        </Space>
        <Space wrap>
          {gated !== undefined && <LifecycleActions item={item} onDone={onChange} hide={gated ? GATED_ACTIONS : []} />}
          {editable && (
            <Button icon={<EditOutlined />} onClick={() => navigate(`/meta/${SLUG[kind]}/${item.id}/edit`)} data-testid="edit-item">
              {t('common.edit')}
            </Button>
          )}
          {deletable && (
            <Popconfirm title={t('common.confirmDelete')} onConfirm={remove}>
              <Button danger icon={<DeleteOutlined />}>
                {t('common.delete')}
              </Button>
            </Popconfirm>
          )}
        </Space>
      </div>
      {gated !== undefined && <DraftingPanel item={item} gated={gated} onItem={onChange} />}
      <Card variant="borderless">
        <DetailTabs
          items={[
            { key: 'detail', label: t('meta.tab.detail'), children: <Details item={item} /> },
            { key: 'history', label: t('meta.tab.history'), children: <VersionHistory item={item} /> },
            ...(kind === 'dataset' && (item.workflowStatus === 'draft' || item.workflowStatus === 'review')
              ? [{ key: 'migration', label: t('ds.migration'), children: <MigrationPreview item={item} /> }]
              : []),
          ]}
        />
      </Card>
    </>
  );
}

/** Tabs that fall back to the first one when the open tab goes away (e.g. the publish impact after publishing). */
function DetailTabs({ items }: { items: Array<{ key: string; label: string; children: JSX.Element }> }) {
  const [active, setActive] = useState(items[0].key);
  const current = items.some(i => i.key === active) ? active : items[0].key;
  return <Tabs activeKey={current} onChange={setActive} items={items} />;
}

function Details({ item }: { item: Item }) {
  const { t } = useI18n();
  const base = [
    { key: 'namespace', label: t('meta.namespace'), children: item.namespace },
    { key: 'identifier', label: t('meta.identifier'), children: item.identifier },
    { key: 'version', label: t('meta.version'), children: `v${item.version}` },
    { key: 'definition', label: t('meta.definition'), children: item.definition ?? '—', span: 3 },
  ];
  const specific =
    item.kind === 'data-element'
      ? [
          { key: 'dataType', label: t('de.dataType'), children: item.dataType },
          { key: 'format', label: t('de.format'), children: <Typography.Text code>{item.format}</Typography.Text> },
          { key: 'vd', label: t('de.valueDomain'), children: item.valueDomainId ? <ValueDomainLink id={item.valueDomainId} /> : '—' },
          { key: 'unit', label: t('de.unit'), children: item.unit ?? '—' },
          { key: 'sens', label: t('de.sensitivity'), children: t(`de.sensitivity.${item.sensitivity ?? 0}` as 'de.sensitivity.0') },
          { key: 'checks', label: t('de.checks'), children: item.checks?.map(c => <Tag key={c}>{c}</Tag>) ?? '—' },
        ]
      : item.kind === 'value-domain'
        ? [
            { key: 'type', label: t('vd.type'), children: t(item.type === 'enumerated' ? 'vd.type.enumerated' : 'vd.type.described') },
            { key: 'oid', label: t('vd.oid'), children: item.oid ?? '—' },
            ...(item.type === 'described'
              ? [
                  { key: 'dataType', label: t('de.dataType'), children: item.dataType },
                  { key: 'format', label: t('de.format'), children: item.format ?? '—' },
                  { key: 'range', label: `${t('vd.minimum')} ~ ${t('vd.maximum')}`, children: `${item.minimum ?? '—'} ~ ${item.maximum ?? '—'}` },
                ]
              : []),
          ]
        : [
            { key: 'code', label: t('ds.code'), children: <Typography.Text code>{item.code}</Typography.Text> },
            {
              key: 'api',
              label: t('ds.api'),
              children: item.workflowStatus === 'published' ? <Typography.Text copyable>{`/api/data/${item.code}`}</Typography.Text> : '—',
            },
          ];
  const meta = [
    { key: 'steward', label: t('meta.steward'), children: item.steward ?? '—' },
    { key: 'createdBy', label: t('meta.createdBy'), children: item._meta.createdBy },
    { key: 'updated', label: t('meta.updatedAt'), children: dayjs(item._meta.updatedAt).format('YYYY-MM-DD HH:mm:ss') },
  ];
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Descriptions bordered size="small" column={{ xs: 1, md: 2, xl: 3 }} items={[...base, ...specific, ...meta]} />
      {item.kind === 'value-domain' && item.type === 'enumerated' && (
        <Table<PermissibleValue>
          size="small"
          rowKey="code"
          title={() => t('vd.values')}
          dataSource={item.values ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          columns={[
            { title: t('vd.code'), dataIndex: 'code', width: 120 },
            { title: t('vd.meaning'), dataIndex: 'meaning' },
            { title: t('vd.order'), dataIndex: 'order', width: 80 },
            { title: t('vd.validFrom'), dataIndex: 'validFrom', width: 130 },
            { title: t('vd.validTo'), dataIndex: 'validTo', width: 130 },
          ]}
        />
      )}
      {item.kind === 'dataset' && <InclusionTable inclusions={item.inclusions ?? []} />}
    </Space>
  );
}

function ValueDomainLink({ id }: { id: string }) {
  const vd = useAsync(() => api.get<Item>(`/api/meta/value-domains/${id}`), [id]);
  return <Link to={`/meta/value-domains/${id}`}>{vd.data ? `${vd.data.identifier} ${vd.data.name}` : id}</Link>;
}

function InclusionTable({ inclusions }: { inclusions: Inclusion[] }) {
  const { t } = useI18n();
  const elements = useAsync(() => api.get<Item[]>('/api/meta/data-elements?limit=1000'), []);
  const byId = new Map((elements.data ?? []).map(e => [e.id, e]));
  return (
    <Table<Inclusion>
      size="small"
      rowKey="column"
      title={() => t('ds.inclusions')}
      dataSource={[...inclusions].sort((a, b) => a.order - b.order)}
      pagination={false}
      scroll={{ x: 900 }}
      columns={[
        { title: '#', dataIndex: 'order', width: 50 },
        { title: t('ds.column'), dataIndex: 'column', width: 240, render: (v: string, r) => <Space size={4} wrap><Typography.Text code>{v}</Typography.Text>{r.primaryKey && <Tag color="gold">{t('ds.primaryKey')}</Tag>}</Space> },
        {
          title: t('ds.element'),
          dataIndex: 'elementId',
          render: (id: string) => {
            const e = byId.get(id);
            return e ? <Link to={`/meta/data-elements/${id}`}>{`${e.identifier} ${e.name}`}</Link> : id;
          },
        },
        { title: t('ds.localName'), dataIndex: 'localName', width: 140 },
        { title: t('ds.internalId'), dataIndex: 'internalId', width: 140 },
        { title: t('ds.obligation'), dataIndex: 'obligation', width: 100, render: (o: 'M' | 'C' | 'O') => <Tag color={o === 'M' ? 'red' : o === 'C' ? 'orange' : 'default'}>{t(`ds.obligation.${o}`)}</Tag> },
        { title: t('ds.group'), dataIndex: 'group', width: 120 },
      ]}
    />
  );
}
