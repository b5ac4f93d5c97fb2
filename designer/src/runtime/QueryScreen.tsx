import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { App, Button, Card, Col, DatePicker, Form, Input, InputNumber, Row as GridRow, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { FormInstance, TableColumnsType, TablePaginationConfig } from 'antd';
import type { SorterResult } from 'antd/es/table/interface';
import { DownloadOutlined, LockOutlined, ReloadOutlined, SearchOutlined, UserOutlined } from '@ant-design/icons';
import { useParams } from 'react-router';
import { api } from '../shell/api';
import { describeError } from '../shell/errors';
import { useI18n } from '../shell/i18n';
import { ErrorState, Loading } from '../shell/states';
import { useAsync } from '../shell/useAsync';
import { filterParam, whereOf } from './filters';
import { RecordDrawer } from './RecordDrawer';
import { Row, RuntimeScreen, ScreenFilter, download, screenPath } from './types';

/** An end user's screen: the route /run/:type/:key loads it for the caller and shows the query. */
export default function RunScreen() {
  const { type = 'default', key = '' } = useParams();
  const loaded = useAsync(() => api.get<RuntimeScreen>(screenPath(type, key)), [type, key]);
  if (loaded.loading && !loaded.data) return <Loading />;
  if (loaded.error || !loaded.data) return <ErrorState error={loaded.error} onRetry={loaded.reload} />;
  return <QueryScreen key={`${type}/${key}`} screen={loaded.data} />;
}

function FilterInput({ filter }: { filter: ScreenFilter }) {
  const { t } = useI18n();
  switch (filter.input) {
    case 'select':
      return <Select allowClear showSearch optionFilterProp="label" mode={filter.operator === 'in' ? 'multiple' : undefined} maxTagCount="responsive" options={filter.options} placeholder={t('run.any')} />;
    case 'date-range':
      return <DatePicker.RangePicker allowEmpty={[true, true]} style={{ width: '100%' }} />;
    case 'datetime-range':
      return <DatePicker.RangePicker allowEmpty={[true, true]} style={{ width: '100%' }} />;
    case 'number-range':
      return <InputNumber style={{ width: '100%' }} />;
    default:
      return <Input allowClear placeholder={filter.operator === 'eq' ? t('run.exact') : t('run.contains')} />;
  }
}

interface Page {
  current: number;
  size: number;
  order?: string;
}

/** Filter form, server-paged and sorted table, Excel export and the record drawer; the generated and the designed screens alike. */
export function QueryScreen({ screen, preview }: { screen: RuntimeScreen; preview?: boolean }) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const code = screen.dataset.code!;
  const list = screen.list;
  const masked = useMemo(() => new Set(screen.masked ?? []), [screen.masked]);
  const person = useMemo(() => list.filters.find(f => f.anyOf && f.anyOf.length > 0), [list.filters]);
  const filters = useMemo(() => list.filters.filter(f => f !== person), [list.filters, person]);
  const defaultOrder = list.defaultSort ? `${list.defaultSort.field} ${list.defaultSort.direction.toUpperCase()}` : undefined;
  const [page, setPage] = useState<Page>({ current: 1, size: list.pageSize ?? 20, order: defaultOrder });
  const [where, setWhere] = useState<Record<string, unknown> | undefined>();
  const [rows, setRows] = useState<Row[]>([]);
  const [total, setTotal] = useState<number>(0);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>();
  const [open, setOpen] = useState<Row | null>(null);
  const [exporting, setExporting] = useState(false);
  const seq = useRef(0);
  const countFor = useRef<string | null>(null);

  const load = useCallback(async () => {
    const mine = ++seq.current;
    setLoading(true);
    setError(undefined);
    const whereKey = JSON.stringify(where ?? null);
    try {
      const rowsP = api.get<Row[]>(`/api/data/${code}?filter=${filterParam(where, { limit: page.size, skip: (page.current - 1) * page.size, order: page.order })}`);
      // The count depends on the filter only: paging and sorting reuse it.
      const countP = countFor.current === whereKey ? undefined : api.get<{ count: number }>(`/api/data/${code}/count?where=${encodeURIComponent(JSON.stringify(where ?? {}))}`);
      const [data, count] = await Promise.all([rowsP, countP]);
      if (mine !== seq.current) return;
      setRows(data);
      if (count) {
        setTotal(count.count);
        countFor.current = whereKey;
      }
    } catch (err) {
      if (mine === seq.current) setError(err);
    } finally {
      if (mine === seq.current) setLoading(false);
    }
  }, [code, where, page]);

  useEffect(() => {
    void load();
  }, [load]);

  const search = useCallback(() => {
    const values = form.getFieldsValue(true) as Record<string, unknown>;
    countFor.current = null;
    setWhere(whereOf(list, values));
    setPage(p => ({ ...p, current: 1 }));
  }, [form, list]);
  const reset = useCallback(() => {
    form.resetFields();
    search();
  }, [form, search]);

  const exportXlsx = async () => {
    setExporting(true);
    try {
      const filter = where || page.order ? `?filter=${filterParam(where, { order: page.order })}` : '';
      await download(`/api/data/${code}/export.xlsx${filter}`, `${code}.xlsx`);
    } catch (err) {
      message.error(describeError(t, err));
    } finally {
      setExporting(false);
    }
  };

  const columns = useMemo<TableColumnsType<Row>>(() => list.columns.map(c => {
    const labels = c.options ? new Map(c.options.map(o => [o.value, o.label])) : undefined;
    const sortOrder = page.order?.startsWith(`${c.field} `) ? (page.order.endsWith('DESC') ? 'descend' : 'ascend') : null;
    return {
      key: c.field,
      dataIndex: c.field,
      width: c.width,
      ellipsis: true,
      title: masked.has(c.field) ? (
        <Tooltip title={t('run.maskedColumn')}>
          <span data-masked="true">
            {c.title} <LockOutlined style={{ color: '#faad14' }} />
          </span>
        </Tooltip>
      ) : (
        c.title
      ),
      sorter: c.sortable && !masked.has(c.field),
      sortOrder: c.sortable ? sortOrder : undefined,
      render: (v: unknown) => {
        if (v === null || v === undefined || v === '') return <Typography.Text type="secondary">—</Typography.Text>;
        const text = Array.isArray(v) ? v.join('、') : typeof v === 'boolean' ? (v ? t('run.yes') : t('run.no')) : String(v);
        return labels?.get(text)?.replace(/^\S+\s/, '') ?? (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v) ? v.replace('T', ' ').replace(/(\.\d+)?Z?$/, '') : text);
      },
    };
  }), [list.columns, masked, page.order, t]);

  const onChange = (pagination: TablePaginationConfig, _f: unknown, sorter: SorterResult<Row> | SorterResult<Row>[]) => {
    const s = Array.isArray(sorter) ? sorter[0] : sorter;
    const order = s?.order && s.columnKey ? `${String(s.columnKey)} ${s.order === 'descend' ? 'DESC' : 'ASC'}` : defaultOrder;
    setPage({ current: order === page.order ? pagination.current ?? 1 : 1, size: pagination.pageSize ?? page.size, order });
  };

  return (
    <div data-testid="query-screen" data-dataset={code}>
      {!preview && (
        <div className="ls-page-header">
          <Typography.Title level={4}>{screen.menu?.title ?? screen.name}</Typography.Title>
          <Space>
            {masked.size > 0 && (
              <Tag icon={<LockOutlined />} color="gold" data-testid="masked-note">
                {t('run.maskedNote', { count: masked.size })}
              </Tag>
            )}
          </Space>
        </div>
      )}
      <QueryForm form={form} person={person} filters={filters} onSearch={search} onReset={reset} />
      <Card
        variant="borderless"
        size="small"
        title={locale === 'zh-CN' ? `共 ${total} 条` : `${total} records`}
        extra={
          <Space>
            <Button icon={<ReloadOutlined />} onClick={() => void load()} />
            <Button icon={<DownloadOutlined />} loading={exporting} onClick={exportXlsx} data-testid="export-xlsx">
              {t('run.export')}
            </Button>
          </Space>
        }
      >
        {error ? (
          <ErrorState error={error} onRetry={() => void load()} />
        ) : (
          <Table<Row>
            rowKey="id"
            size="small"
            loading={loading}
            columns={columns}
            dataSource={rows}
            scroll={{ x: Math.max(800, list.columns.length * 130) }}
            onChange={onChange}
            pagination={{ current: page.current, pageSize: page.size, total, showSizeChanger: true, pageSizeOptions: [10, 20, 50, 100], showTotal: n => (locale === 'zh-CN' ? `共 ${n} 条` : `${n} records`) }}
            onRow={r => ({ onClick: () => setOpen(r), style: { cursor: 'pointer' } })}
            data-testid="result-table"
          />
        )}
      </Card>
      {open && <RecordDrawer screen={screen} row={open} onClose={() => setOpen(null)} onSaved={r => { setOpen(r); void load(); }} readOnly={preview} />}
    </div>
  );
}

/** The filter form; memoised so that paging and sorting do not re-render its inputs. */
const QueryForm = memo(function QueryForm({ form, person, filters, onSearch, onReset }: { form: FormInstance; person?: ScreenFilter; filters: ScreenFilter[]; onSearch(): void; onReset(): void }) {
  const { t } = useI18n();
  return (
    <Form form={form} layout="vertical" onFinish={onSearch} data-testid="query-form">
      {person && (
        <Card variant="borderless" size="small" className="ls-person-search" style={{ marginBottom: 12 }}>
          <Space.Compact style={{ width: '100%', maxWidth: 640 }}>
            <Form.Item name={person.key} noStyle>
              <Input size="large" allowClear prefix={<UserOutlined />} placeholder={t('run.personPlaceholder', { title: person.title })} data-testid="person-search" onPressEnter={() => form.submit()} />
            </Form.Item>
            <Button size="large" type="primary" icon={<SearchOutlined />} onClick={() => form.submit()}>
              {t('run.search')}
            </Button>
          </Space.Compact>
        </Card>
      )}
      {filters.length > 0 && (
        <Card variant="borderless" size="small" style={{ marginBottom: 12 }}>
          <GridRow gutter={16}>
            {filters.map(f => (
              <Col key={f.key} xs={24} sm={12} lg={8} xl={6}>
                <Form.Item name={f.key} label={f.title} style={{ marginBottom: 8 }} data-filter={f.key}>
                  <FilterInput filter={f} />
                </Form.Item>
              </Col>
            ))}
          </GridRow>
          <Space>
            <Button type="primary" htmlType="submit" icon={<SearchOutlined />} data-testid="query-submit">
              {t('run.search')}
            </Button>
            <Button onClick={onReset}>{t('common.reset')}</Button>
          </Space>
        </Card>
      )}
    </Form>
  );
});
