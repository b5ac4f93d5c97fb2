import { useMemo, useState } from 'react';
import { Button, Card, Col, Empty, Row, Space, Switch, Table, Typography } from 'antd';
import { DiffOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { api } from '../shell/api';
import { useI18n } from '../shell/i18n';
import { ErrorState } from '../shell/states';
import { useAsync } from '../shell/useAsync';
import { MessageKey } from '../shell/messages';
import { Item, SLUG, Status } from './kinds';

/** The form's label for a flattened key, so the diff reads like the form. */
const LABELS: Record<string, MessageKey> = {
  namespace: 'meta.namespace', identifier: 'meta.identifier', name: 'meta.name', version: 'meta.version', workflowStatus: 'meta.status',
  definition: 'meta.definition', steward: 'meta.steward', submitter: 'meta.submitter', comments: 'meta.comments', origin: 'meta.origin',
  dataType: 'de.dataType', format: 'de.format', valueDomainId: 'de.valueDomain', unit: 'de.unit', sensitivity: 'de.sensitivity', checks: 'de.checks',
  synonyms: 'de.synonyms', type: 'vd.type', oid: 'vd.oid', minimum: 'vd.minimum', maximum: 'vd.maximum', pattern: 'vd.pattern', code: 'ds.code',
  values: 'vd.values', inclusions: 'ds.inclusions',
};
import { StatusTag } from './StatusTag';

/** Flattens a version into labelled lines: header fields, then one line per permissible value or inclusion. */
export function flatten(item: Item, names: Record<string, string> = {}): Map<string, string> {
  const out = new Map<string, string>();
  const show = (v: unknown) => (typeof v === 'object' ? JSON.stringify(v) : String(v));
  for (const [k, v] of Object.entries(item)) {
    if (k === '_meta' || k === 'id' || k === 'kind' || v === undefined || v === null) continue;
    if (k === 'values' && Array.isArray(v)) {
      for (const pv of item.values ?? []) out.set(`values[${pv.code}]`, [pv.meaning, pv.order !== undefined ? `#${pv.order}` : '', pv.validFrom ? `${pv.validFrom}~${pv.validTo ?? ''}` : ''].filter(Boolean).join(' '));
    } else if (k === 'inclusions' && Array.isArray(v)) {
      for (const inc of item.inclusions ?? []) {
        const { column, elementId, ...rest } = inc;
        const attrs = Object.entries(rest).map(([a, b]) => `${a}=${show(b)}`).join(' ');
        out.set(`inclusions[${column}]`, `${names[elementId] ?? elementId} ${attrs}`);
      }
    } else out.set(k, show(v));
  }
  return out;
}

export function VersionHistory({ item }: { item: Item }) {
  const { t } = useI18n();
  const history = useAsync(() => api.get<Item[]>(`/api/meta/${SLUG[item.kind]}/${item.id}/versions`), [item.id, item.version, item.workflowStatus]);
  const [picked, setPicked] = useState<number[]>([]);
  const [compare, setCompare] = useState<[Item, Item] | null>(null);
  const [onlyChanged, setOnlyChanged] = useState(true);
  const versions = history.data ?? [];

  if (history.error) return <ErrorState error={history.error} onRetry={history.reload} />;
  const run = () => {
    const [a, b] = [...picked].sort((x, y) => x - y).map(v => versions.find(i => i.version === v)!);
    setCompare([a, b]);
  };
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Table<Item>
        rowKey="version"
        size="small"
        loading={history.loading}
        dataSource={versions}
        pagination={false}
        rowSelection={{ type: 'checkbox', selectedRowKeys: picked, onChange: keys => setPicked((keys as number[]).slice(-2)), hideSelectAll: true }}
        columns={[
          { title: t('meta.version'), dataIndex: 'version', width: 80, render: (v: number) => `v${v}` },
          { title: t('meta.status'), dataIndex: 'workflowStatus', width: 110, render: (s: Status) => <StatusTag status={s} /> },
          { title: t('meta.name'), dataIndex: 'name' },
          { title: t('meta.createdBy'), key: 'by', render: (_: unknown, r) => r._meta.createdBy },
          { title: t('meta.updatedAt'), key: 'at', render: (_: unknown, r) => dayjs(r._meta.updatedAt).format('YYYY-MM-DD HH:mm:ss') },
          { title: t('meta.publishedAt'), key: 'pub', render: (_: unknown, r) => (r._meta.publishedAt ? dayjs(r._meta.publishedAt).format('YYYY-MM-DD HH:mm:ss') : '—') },
        ]}
        data-testid="version-table"
      />
      <Space>
        <Button icon={<DiffOutlined />} type="primary" disabled={picked.length !== 2} onClick={run} data-testid="compare-versions">
          {t('meta.history.compare')}
        </Button>
        {picked.length !== 2 && <Typography.Text type="secondary">{t('meta.history.pickTwo')}</Typography.Text>}
      </Space>
      {compare && <VersionDiff a={compare[0]} b={compare[1]} onlyChanged={onlyChanged} setOnlyChanged={setOnlyChanged} />}
    </Space>
  );
}

function VersionDiff({ a, b, onlyChanged, setOnlyChanged }: { a: Item; b: Item; onlyChanged: boolean; setOnlyChanged(v: boolean): void }) {
  const { t } = useI18n();
  const elements = useAsync(() => (a.kind === 'dataset' ? api.get<Item[]>('/api/meta/data-elements?limit=1000') : Promise.resolve([])), [a.kind]);
  const label = (key: string) => {
    const base = LABELS[key.replace(/\[.*$/, '')];
    return base ? `${t(base)}${key.includes('[') ? ` ${key.slice(key.indexOf('['))}` : ''}` : key;
  };
  const rows = useMemo(() => {
    const names = Object.fromEntries((elements.data ?? []).map(e => [e.id, `${e.identifier} ${e.name}`]));
    const fa = flatten(a, names);
    const fb = flatten(b, names);
    const keys = [...new Set([...fa.keys(), ...fb.keys()])];
    return keys.map(key => ({ key, left: fa.get(key), right: fb.get(key), changed: fa.get(key) !== fb.get(key) }));
  }, [a, b, elements.data]);
  const shown = onlyChanged ? rows.filter(r => r.changed) : rows;
  return (
    <Card
      size="small"
      title={`v${a.version} ↔ v${b.version}`}
      extra={
        <Space>
          {t('meta.history.onlyChanged')}
          <Switch size="small" checked={onlyChanged} onChange={setOnlyChanged} />
        </Space>
      }
      data-testid="version-diff"
    >
      {shown.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('meta.history.same')} />
      ) : (
        <Row>
          <Col span={24}>
            <Table
              size="small"
              pagination={false}
              dataSource={shown}
              rowClassName={r => (r.changed ? 'ls-diff-changed' : '')}
              columns={[
                { title: t('meta.history.field'), dataIndex: 'key', width: 240, render: (v: string) => <Space size={4}>{label(v)}<Typography.Text type="secondary" code style={{ fontSize: 11 }}>{v.replace(/\[.*$/, '')}</Typography.Text></Space> },
                { title: `v${a.version}`, dataIndex: 'left', render: (v?: string) => <span className="ls-diff-cell">{v ?? '—'}</span> },
                { title: `v${b.version}`, dataIndex: 'right', render: (v?: string) => <span className="ls-diff-cell">{v ?? '—'}</span> },
              ]}
            />
          </Col>
        </Row>
      )}
    </Card>
  );
}
