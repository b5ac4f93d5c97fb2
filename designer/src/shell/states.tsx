import { ReactNode } from 'react';
import { Button, Empty, Result, Skeleton, Spin } from 'antd';
import { describeError } from './errors';
import { useI18n } from './i18n';

/** Centered spinner for a page or a panel that is loading. */
export function Loading({ tip }: { tip?: string }) {
  const { t } = useI18n();
  return (
    <div className="ls-center" data-testid="loading">
      <Spin size="large" tip={tip ?? t('common.loading')}>
        <div style={{ width: 120, height: 60 }} />
      </Spin>
    </div>
  );
}

export function PanelSkeleton() {
  return <Skeleton active paragraph={{ rows: 6 }} />;
}

/** An error in place of a page's content, with a retry. */
export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  return (
    <Result
      status="warning"
      title={t('error.title')}
      subTitle={describeError(t, error)}
      extra={onRetry && <Button onClick={onRetry}>{t('common.retry')}</Button>}
    />
  );
}

export function EmptyState({ description, children }: { description?: string; children?: ReactNode }) {
  const { t } = useI18n();
  return (
    <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={description ?? t('common.empty')}>
      {children}
    </Empty>
  );
}
