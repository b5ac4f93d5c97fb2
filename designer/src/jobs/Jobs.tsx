import { ReactNode, useEffect, useRef, useState } from 'react';
import { App, Button, Card, Popconfirm, Progress, Space, Table, Tag, Tooltip, Typography } from 'antd';
import dayjs from 'dayjs';
import { api } from '../shell/api';
import { describeError } from '../shell/errors';
import { Translate, useI18n } from '../shell/i18n';
import { MessageKey } from '../shell/messages';
import { EmptyState, ErrorState } from '../shell/states';
import { useAsync } from '../shell/useAsync';

export interface JobView {
  id: string;
  kind: string;
  title: string;
  resource: string;
  status: 'queued' | 'running' | 'paused' | 'done' | 'failed' | 'cancelled';
  stopRequest: 'pause' | 'cancel' | null;
  done: number;
  total: number | null;
  percent: number | null;
  etaSeconds: number | null;
  error: string | null;
  createdBy: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

const REFRESH_MS = 2000;
const STATUS_COLOR: Record<JobView['status'], string> = { queued: 'default', running: 'processing', paused: 'warning', done: 'success', failed: 'error', cancelled: 'default' };
const isLive = (j: JobView) => j.status === 'queued' || j.status === 'running';

/** Reloads every two seconds while `live` holds. */
export function usePolling(live: boolean, reload: () => void): void {
  useEffect(() => {
    if (!live) return undefined;
    const timer = setInterval(reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, [live, reload]);
}

export function formatEta(t: Translate, seconds: number | null): string {
  if (seconds === null) return t('jobs.etaUnknown');
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return t('jobs.seconds', { n: s });
  if (s < 3600) return t('jobs.minutes', { m: Math.floor(s / 60), s: s % 60 });
  return t('jobs.hours', { h: Math.floor(s / 3600), m: Math.floor((s % 3600) / 60) });
}

/** Job titles are written "中文 / English" by the server: show the half of the UI's language. */
export function jobTitle(title: string, locale: string): string {
  const at = title.indexOf(' / ');
  if (at < 0) return title;
  return locale === 'zh-CN' ? title.slice(0, at) : title.slice(at + 3);
}

export function JobStatusTag({ job }: { job: JobView }) {
  const { t } = useI18n();
  return (
    <Space size={4}>
      <Tag color={STATUS_COLOR[job.status]} data-testid="job-status">{t(`jobs.status.${job.status}` as MessageKey)}</Tag>
      {job.stopRequest && isLive(job) && <Tag>{t('jobs.stopping')}</Tag>}
    </Space>
  );
}

const FINISHED = new Set<JobView['status']>(['done', 'failed', 'cancelled']);
const FOLLOW_MS = 500;

/** Follows one job (started by this page) until it ends; `onEnd` runs once with the last view. */
export function useJob(jobId: string | null, onEnd?: (job: JobView) => void): JobView | null {
  const [job, setJob] = useState<JobView | null>(null);
  const ended = useRef(onEnd);
  ended.current = onEnd;
  useEffect(() => {
    setJob(null);
    if (!jobId) return undefined;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const view = await api.get<JobView>(`/api/jobs/${encodeURIComponent(jobId)}`);
        if (stopped) return;
        setJob(view);
        if (FINISHED.has(view.status)) {
          ended.current?.(view);
          return;
        }
      } catch {
        if (stopped) return;
      }
      timer = setTimeout(poll, FOLLOW_MS);
    };
    void poll();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [jobId]);
  return job;
}

/** A job's progress bar with done/total and time left; an empty running bar until the first view. */
export function JobProgress({ job, title, testId = 'job-progress' }: { job: JobView | null; title?: ReactNode; testId?: string }) {
  const { t } = useI18n();
  if (!job) return <Progress percent={0} status="active" size="small" data-testid={testId} />;
  const percent = job.status === 'done' ? 100 : job.percent ?? 0;
  const status = job.status === 'failed' ? 'exception' : job.status === 'done' ? 'success' : isLive(job) ? 'active' : 'normal';
  return (
    <div data-testid={testId} data-status={job.status} data-percent={percent}>
      {title && <Typography.Text strong>{title}</Typography.Text>}
      <Progress percent={Math.round(percent * 10) / 10} status={status} size="small" />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {job.total !== null ? t('jobs.done', { done: job.done, total: job.total }) : job.done}
        {isLive(job) && ` · ${t('jobs.eta')} ${formatEta(t, job.etaSeconds)}`}
      </Typography.Text>
      {job.error && (
        <Typography.Paragraph type="danger" style={{ fontSize: 12, margin: 0 }}>
          {job.error}
        </Typography.Paragraph>
      )}
    </div>
  );
}

/** Pause, resume and cancel, for callers who may update the job's resource (the server decides). */
export function JobActions({ job, onChange }: { job: JobView; onChange: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const act = (action: 'pause' | 'resume' | 'cancel') => api.post(`/api/jobs/${job.id}/${action}`).then(onChange, err => message.error(describeError(t, err)));
  return (
    <Space size={4}>
      {job.status === 'running' && !job.stopRequest && <Button size="small" onClick={() => act('pause')}>{t('jobs.pause')}</Button>}
      {(job.status === 'paused' || job.status === 'failed') && <Button size="small" type="primary" onClick={() => act('resume')}>{t('jobs.resume')}</Button>}
      {(isLive(job) || job.status === 'paused') && (
        <Popconfirm title={t('jobs.cancelConfirm')} onConfirm={() => act('cancel')}>
          <Button size="small" danger>{t('jobs.cancel')}</Button>
        </Popconfirm>
      )}
    </Space>
  );
}

/** Jobs as a table: the jobs page, or one resource's jobs on its own page. */
export function JobTable({ kind, refreshKey }: { kind?: string; refreshKey?: unknown }) {
  const { t, locale } = useI18n();
  const jobs = useAsync(() => api.get<JobView[]>(`/api/jobs${kind ? `?kind=${encodeURIComponent(kind)}` : ''}`), [kind, refreshKey]);
  usePolling((jobs.data ?? []).some(j => isLive(j) || j.stopRequest !== null), jobs.reload);
  if (jobs.error) return <ErrorState error={jobs.error} onRetry={jobs.reload} />;
  return (
    <Table<JobView>
      rowKey="id"
      size="middle"
      loading={jobs.loading && !jobs.data}
      dataSource={jobs.data ?? []}
      locale={{ emptyText: <EmptyState /> }}
      pagination={{ defaultPageSize: 20, hideOnSinglePage: true }}
      columns={[
        { title: t('jobs.job'), dataIndex: 'title', render: (title: string, j) => <Tooltip title={j.kind}>{jobTitle(title, locale)}</Tooltip> },
        { title: t('jobs.status'), key: 'status', width: 140, render: (_: unknown, j) => <JobStatusTag job={j} /> },
        { title: t('jobs.progress'), key: 'progress', width: 280, render: (_: unknown, j) => <JobProgress job={j} /> },
        { title: t('jobs.createdBy'), dataIndex: 'createdBy', width: 120 },
        { title: t('jobs.createdAt'), dataIndex: 'createdAt', width: 170, render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm:ss') },
        { title: '', key: 'actions', width: 170, render: (_: unknown, j) => <JobActions job={j} onChange={jobs.reload} /> },
      ]}
    />
  );
}

/** Every background job the caller may see, with progress refreshed while any runs. */
export default function JobsPage() {
  const { t } = useI18n();
  return (
    <>
      <div className="ls-page-header">
        <Typography.Title level={4}>{t('jobs.title')}</Typography.Title>
        <Typography.Text type="secondary">{t('jobs.autoRefresh')}</Typography.Text>
      </div>
      <Card variant="borderless">
        <JobTable />
      </Card>
    </>
  );
}
