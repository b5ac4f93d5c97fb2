import { useMemo, useState } from 'react';
import { Button, Card, Col, Input, Row, Select, Space, Table, Tree, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError, api, query } from '../shell/api';
import { useI18n } from '../shell/i18n';
import { useSession } from '../shell/session';
import { EmptyState, ErrorState } from '../shell/states';
import { useAsync } from '../shell/useAsync';
import { Item, KIND_BY_SLUG, Kind, MENU_LABEL, SLUG, STATUSES, Status, partOf } from './kinds';
import { StatusTag } from './StatusTag';
import { ElementTransfer } from '../screens/ElementTransfer';

/** Browse one kind: search, namespace and status filters; data elements also by WS/T 363 part. */
export default function ItemList() {
  const { kind: slug = '' } = useParams();
  const kind = KIND_BY_SLUG[slug];
  if (!kind) return <ErrorState error={new ApiError(404, 'NotFound', slug)} />;
  return <KindList key={kind} kind={kind} />;
}

function KindList({ kind }: { kind: Kind }) {
  const { t, locale } = useI18n();
  const { can } = useSession();
  const navigate = useNavigate();
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const [namespace, setNamespace] = useState<string | undefined>();
  const [status, setStatus] = useState<Status | undefined>();
  const [part, setPart] = useState<string>('all');
  const list = useAsync(() => api.get<Item[]>(`/api/meta/${SLUG[kind]}${query({ q: search, namespace, status, limit: 1000 })}`), [kind, search, namespace, status]);
  const items = list.data ?? [];
  const namespaces = useAsync(() => api.get<Item[]>(`/api/meta/${SLUG[kind]}?limit=1000`).then(all => [...new Set(all.map(i => i.namespace))].sort()), [kind]);

  const tree = useMemo(() => {
    if (kind !== 'data-element') return [];
    const groups = new Map<string, { title: string; part: number; count: number }>();
    for (const item of items) {
      const p = partOf(item.identifier);
      const title = p.part === null ? t('meta.tree.other') : `${locale === 'zh-CN' ? `第 ${p.part} 部分` : `Part ${p.part}`} ${locale === 'zh-CN' ? p.zh : p.en}`;
      const g = groups.get(p.key) ?? { title, part: p.part ?? 99, count: 0 };
      g.count++;
      groups.set(p.key, g);
    }
    const children = [...groups].sort((a, b) => a[1].part - b[1].part).map(([key, g]) => ({ key, title: `${g.title} (${g.count})` }));
    return [{ key: 'all', title: `${t('meta.tree.all')} (${items.length})`, children }];
  }, [items, kind, locale, t]);

  const shown = kind === 'data-element' && part !== 'all' ? items.filter(i => partOf(i.identifier).key === part) : items;

  const columns: TableColumnsType<Item> = [
    { title: t('meta.identifier'), dataIndex: 'identifier', width: 170, render: (v: string, r) => <Link to={`/meta/${SLUG[kind]}/${r.id}`}>{v}</Link> },
    { title: t('meta.name'), dataIndex: 'name', ellipsis: { showTitle: true } },
    ...(kind === 'data-element'
      ? [
          { title: t('de.dataType'), dataIndex: 'dataType', width: 84 },
          { title: t('de.format'), dataIndex: 'format', width: 100 },
        ]
      : kind === 'value-domain'
        ? [
            { title: t('vd.type'), dataIndex: 'type', width: 160, render: (v: string) => t(v === 'enumerated' ? 'vd.type.enumerated' : 'vd.type.described') },
            { title: t('vd.valueCount'), key: 'values', width: 100, render: (_: unknown, r: Item) => r.values?.length ?? '—' },
          ]
        : [
            { title: t('ds.code'), dataIndex: 'code', width: 170, render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
            { title: t('ds.elementCount'), key: 'inclusions', width: 100, render: (_: unknown, r: Item) => r.inclusions?.length ?? 0 },
          ]),
    { title: t('meta.namespace'), dataIndex: 'namespace', width: 100 },
    { title: t('meta.version'), dataIndex: 'version', width: 64, render: (v: number) => `v${v}` },
    { title: t('meta.status'), dataIndex: 'workflowStatus', width: 96, render: (s: Status) => <StatusTag status={s} /> },
    // Data elements share the row with the part tree: the update time is in the detail page.
    ...(kind === 'data-element' ? [] : [{ title: t('meta.updatedAt'), key: 'updated', width: 150, render: (_: unknown, r: Item) => dayjs(r._meta.updatedAt).format('YYYY-MM-DD HH:mm') }]),
  ];

  const reset = () => {
    setQ('');
    setSearch('');
    setNamespace(undefined);
    setStatus(undefined);
    setPart('all');
  };

  const table = (
    <Card variant="borderless">
      <Space wrap className="ls-filters">
        <Input.Search placeholder={t('meta.searchPlaceholder')} allowClear value={q} onChange={e => setQ(e.target.value)} onSearch={v => setSearch(v.trim())} style={{ width: 260 }} data-testid="list-search" />
        <Select placeholder={t('meta.namespace')} allowClear value={namespace} onChange={setNamespace} style={{ width: 150 }} options={(namespaces.data ?? []).map(n => ({ value: n, label: n }))} />
        <Select placeholder={t('meta.status')} allowClear value={status} onChange={setStatus} style={{ width: 130 }} options={STATUSES.map(s => ({ value: s, label: t(`meta.status.${s}`) }))} />
        <Button onClick={reset}>{t('common.reset')}</Button>
        <Button icon={<ReloadOutlined />} onClick={list.reload} />
      </Space>
      {list.error ? (
        <ErrorState error={list.error} onRetry={list.reload} />
      ) : (
        <Table<Item>
          rowKey="id"
          size="middle"
          loading={list.loading}
          columns={columns}
          dataSource={shown}
          locale={{ emptyText: <EmptyState /> }}
          scroll={{ x: kind === 'data-element' ? 820 : 1080 }}
          pagination={{ defaultPageSize: 20, showSizeChanger: true, showTotal: total => (locale === 'zh-CN' ? `共 ${total} 条` : `${total} items`) }}
          onRow={r => ({ onDoubleClick: () => navigate(`/meta/${SLUG[kind]}/${r.id}`) })}
          data-testid="item-table"
        />
      )}
    </Card>
  );

  return (
    <>
      <div className="ls-page-header">
        <Typography.Title level={4}>{t(MENU_LABEL[kind])}</Typography.Title>
        {kind === 'data-element' && <ElementTransfer onImported={list.reload} />}
        {can(`meta:${kind}`, 'create') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate(`/meta/${SLUG[kind]}/new`)} data-testid="create-item">
            {t(`meta.new.${kind}`)}
          </Button>
        )}
      </div>
      {kind === 'data-element' ? (
        <Row gutter={16}>
          <Col xs={24} md={7} xl={6}>
            <Card variant="borderless" title={t('meta.tree')} size="small">
              {tree[0]?.children.length ? <Tree treeData={tree} defaultExpandAll selectedKeys={[part]} onSelect={keys => setPart(String(keys[0] ?? 'all'))} blockNode /> : <EmptyState />}
            </Card>
          </Col>
          <Col xs={24} md={17} xl={18}>
            {table}
          </Col>
        </Row>
      ) : (
        table
      )}
    </>
  );
}
