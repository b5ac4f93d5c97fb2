import { Tag } from 'antd';
import { useI18n } from '../shell/i18n';
import { STATUS_COLOR, Status } from './kinds';

export function StatusTag({ status }: { status: Status }) {
  const { t } = useI18n();
  return (
    <Tag color={STATUS_COLOR[status]} data-testid="status-tag" data-status={status}>
      {t(`meta.status.${status}`)}
    </Tag>
  );
}
