import { useMemo } from 'react';
import { Card, Col, Row, Statistic, Typography } from 'antd';
import type { EChartsCoreOption } from 'echarts/core';
import { api } from '../shell/api';
import { useI18n } from '../shell/i18n';
import { useSession } from '../shell/session';
import { EmptyState, ErrorState, PanelSkeleton } from '../shell/states';
import { useAsync } from '../shell/useAsync';
import { Chart } from './Chart';

/** What GET /api/dashboard answers; a section the caller may not see is null. */
export interface Figures {
  metadata: { byKindStatus: Array<{ kind: string; status: string; count: number }> } | null;
  records: {
    total: number;
    byDataset: Array<{ code: string; name: string; count: number }>;
    byInstitution: Array<{ orgCode: string; orgName: string | null; count: number }>;
    byDay: Array<{ day: string; count: number }>;
  } | null;
}

const KINDS = ['data-element', 'value-domain', 'dataset'] as const;
const STATUSES = ['draft', 'review', 'published', 'superseded', 'retired'] as const;
const STATUS_COLORS = ['#bfbfbf', '#1677ff', '#52c41a', '#faad14', '#ff4d4f'];

export default function Dashboard() {
  const { t } = useI18n();
  const { user } = useSession();
  const figures = useAsync(() => api.get<Figures>('/api/dashboard'), []);
  return (
    <>
      <div className="ls-page-header">
        <div>
          <Typography.Title level={4}>{t('dash.title')}</Typography.Title>
          <Typography.Text type="secondary">{t('dash.welcome', { name: user?.displayName ?? '' })}</Typography.Text>
        </div>
      </div>
      {figures.error ? <ErrorState error={figures.error} onRetry={figures.reload} /> : figures.loading || !figures.data ? <Card><PanelSkeleton /></Card> : <Panels data={figures.data} />}
    </>
  );
}

function Panels({ data }: { data: Figures }) {
  const { t } = useI18n();
  const count = (kind: string, status: string) => data.metadata?.byKindStatus.filter(r => r.kind === kind && r.status === status).reduce((s, r) => s + r.count, 0) ?? 0;
  const drafts = KINDS.reduce((s, k) => s + count(k, 'draft') + count(k, 'review'), 0);

  const metaOption = useMemo<EChartsCoreOption | null>(() => {
    if (!data.metadata) return null;
    return {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0 },
      grid: { left: 8, right: 16, bottom: 8, top: 40, containLabel: true },
      xAxis: { type: 'category', data: KINDS.map(k => t(`kind.${k}`)) },
      yAxis: { type: 'value', minInterval: 1 },
      color: STATUS_COLORS,
      series: STATUSES.map(s => ({ name: t(`meta.status.${s}`), type: 'bar', stack: 'total', barMaxWidth: 48, data: KINDS.map(k => count(k, s)) })),
    };
  }, [data, t]);

  const records = data.records;
  const orgOption = useMemo<EChartsCoreOption | null>(() => {
    if (!records?.byInstitution.length) return null;
    const rows = records.byInstitution.slice(0, 15).reverse();
    return {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      grid: { left: 8, right: 24, bottom: 8, top: 8, containLabel: true },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: rows.map(r => r.orgName ?? r.orgCode), axisLabel: { width: 160, overflow: 'truncate' } },
      series: [{ name: t('dash.records'), type: 'bar', data: rows.map(r => r.count), itemStyle: { color: '#1677ff' }, barMaxWidth: 18 }],
    };
  }, [records, t]);

  const dayOption = useMemo<EChartsCoreOption | null>(() => {
    if (!records?.byDay.length) return null;
    return {
      tooltip: { trigger: 'axis' },
      grid: { left: 8, right: 16, bottom: 8, top: 16, containLabel: true },
      xAxis: { type: 'category', data: records.byDay.map(r => r.day) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [{ name: t('dash.records'), type: 'bar', barMaxWidth: 36, itemStyle: { color: '#13c2c2' }, data: records.byDay.map(r => r.count) }],
    };
  }, [records, t]);

  const datasetOption = useMemo<EChartsCoreOption | null>(() => {
    if (!records?.byDataset.length) return null;
    return {
      tooltip: { trigger: 'item' },
      legend: { type: 'scroll', orient: 'vertical', right: 0, top: 'middle' },
      series: [{ name: t('dash.records'), type: 'pie', radius: ['40%', '70%'], center: ['35%', '50%'], label: { show: false }, data: records.byDataset.map(r => ({ name: r.name, value: r.count })) }],
    };
  }, [records, t]);

  const statSpan = records ? 6 : 8;
  const chartCard = (title: string, option: EChartsCoreOption | null, testId: string, empty = t('dash.noData')) => (
    <Card title={title} variant="borderless" style={{ height: '100%' }}>
      {option ? <Chart option={option} testId={testId} /> : <div style={{ height: 320, display: 'flex', alignItems: 'center', justifyContent: 'center' }}><EmptyState description={empty} /></div>}
    </Card>
  );

  return (
    <Row gutter={[16, 16]}>
      {data.metadata && (
        <>
          <Col xs={12} lg={statSpan}><Card variant="borderless"><Statistic title={t('dash.publishedDatasets')} value={count('dataset', 'published')} /></Card></Col>
          <Col xs={12} lg={statSpan}><Card variant="borderless"><Statistic title={t('dash.publishedElements')} value={count('data-element', 'published')} /></Card></Col>
          <Col xs={12} lg={statSpan}><Card variant="borderless"><Statistic title={t('dash.drafts')} value={drafts} /></Card></Col>
        </>
      )}
      {records && (
        <Col xs={12} lg={6}><Card variant="borderless"><Statistic title={t('dash.totalRecords')} value={records.total} /></Card></Col>
      )}
      {records ? (
        <>
          <Col xs={24} xl={12}>{chartCard(t('dash.recordsByOrg'), orgOption, 'chart-org')}</Col>
          <Col xs={24} xl={12}>{chartCard(t('dash.recordsByDay'), dayOption, 'chart-day')}</Col>
          <Col xs={24} xl={12}>{chartCard(t('dash.recordsByDataset'), datasetOption, 'chart-dataset')}</Col>
        </>
      ) : null}
      {metaOption && <Col xs={24} xl={records ? 12 : 24}>{chartCard(t('dash.metaByStatus'), metaOption, 'chart-meta')}</Col>}
      {!records && !metaOption && (
        <Col span={24}>
          <Card variant="borderless"><EmptyState description={t('dash.noAccess')} /></Card>
        </Col>
      )}
    </Row>
  );
}
