import { useMemo } from 'react';
import { Card, Col, Row, Statistic } from 'antd';
import type { EChartsCoreOption } from 'echarts/core';
import { Chart } from '../dashboard/Chart';
import { useI18n } from '../shell/i18n';
import { EmptyState, ErrorState, PanelSkeleton } from '../shell/states';
import { useAsync } from '../shell/useAsync';
import { ProgressRow, mappingApi, pct } from './api';
import { STATUS_COLORS, useLabel, PageHeader } from './parts';

const STACK = ['confirmed', 'review', 'suggested', 'pending', 'unmappable'] as const;

/**
 * Counts of a row by status, each entry in exactly one. `suggested` counts entries that have
 * suggestions (confirmed ones included), so pending is what never had any (the server's own
 * figure when it sends one) and the open suggestions are what is left after the decided ones.
 */
export function stackOf(r: ProgressRow): Record<(typeof STACK)[number], number> {
  const review = r.inReview ?? 0;
  const pending = Math.max(0, r.pending ?? r.total - r.suggested);
  const suggested = Math.max(0, r.total - pending - r.confirmed - r.unmappable - review);
  return { confirmed: r.confirmed, review, suggested, pending, unmappable: r.unmappable };
}

/** Standardization progress across institutions and dictionary kinds, as charts. */
export default function ProgressDashboard() {
  const { t } = useI18n();
  const label = useLabel();
  const data = useAsync(() => mappingApi.progress(), []);

  const bars = (rows: ProgressRow[], name: (r: ProgressRow) => string): EChartsCoreOption => {
    const shown = rows.slice(0, 30).reverse();
    return {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0 },
      grid: { left: 8, right: 24, bottom: 8, top: 36, containLabel: true },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: shown.map(name), axisLabel: { width: 170, overflow: 'truncate' } },
      color: STACK.map(s => STATUS_COLORS[s]),
      series: STACK.map(s => ({ name: label('map.entry', s), type: 'bar', stack: 'all', barMaxWidth: 22, data: shown.map(r => stackOf(r)[s]) })),
    };
  };

  const byInstitution = useMemo(() => (data.data?.institutions.length ? bars(data.data.institutions, r => r.name ?? r.institution ?? '') : null), [data.data, t]); // eslint-disable-line react-hooks/exhaustive-deps
  const byKind = useMemo(() => (data.data?.byKind.length ? bars(data.data.byKind, r => label('map.kind', r.kind ?? r.name ?? '')) : null), [data.data, t]); // eslint-disable-line react-hooks/exhaustive-deps
  const totals = data.data?.totals;

  return (
    <>
      <PageHeader title={t('map.progressTitle')} onReload={data.reload} />
      {data.error ? (
        <ErrorState error={data.error} onRetry={data.reload} />
      ) : data.loading && !data.data ? (
        <Card>
          <PanelSkeleton />
        </Card>
      ) : (
        <>
          {totals && (
            <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
              <Col xs={12} md={6}>
                <Card>
                  <Statistic title={t('map.totalEntries')} value={totals.total} />
                </Card>
              </Col>
              <Col xs={12} md={6}>
                <Card>
                  <Statistic title={t('map.confirmedRate')} value={pct(totals.confirmed, totals.total)} suffix="%" valueStyle={{ color: STATUS_COLORS.confirmed }} data-testid="total-confirmed" />
                </Card>
              </Col>
              <Col xs={12} md={6}>
                <Card>
                  <Statistic title={t('map.suggestedRate')} value={pct(totals.total - stackOf(totals).pending, totals.total)} suffix="%" valueStyle={{ color: STATUS_COLORS.suggested }} />
                </Card>
              </Col>
              <Col xs={12} md={6}>
                <Card>
                  <Statistic title={t('map.unmappableCount')} value={totals.unmappable} valueStyle={{ color: STATUS_COLORS.unmappable }} />
                </Card>
              </Col>
            </Row>
          )}
          <Row gutter={[16, 16]}>
            <Col xs={24} xl={14}>
              <Card title={t('map.byInstitution')}>
                {byInstitution ? <Chart option={byInstitution} height={Math.max(280, (data.data?.institutions.length ?? 0) * 36 + 60)} testId="chart-institutions" /> : <EmptyState description={t('dash.noData')} />}
              </Card>
            </Col>
            <Col xs={24} xl={10}>
              <Card title={t('map.byKind')}>
                {byKind ? <Chart option={byKind} height={Math.max(280, (data.data?.byKind.length ?? 0) * 36 + 60)} testId="chart-kinds" /> : <EmptyState description={t('dash.noData')} />}
              </Card>
            </Col>
          </Row>
        </>
      )}
    </>
  );
}
