import { Alert, List, Tag, Typography } from 'antd';
import { ApiError, api } from '../shell/api';
import { describeError, detailText } from '../shell/errors';
import { useI18n } from '../shell/i18n';
import { PanelSkeleton } from '../shell/states';
import { useAsync } from '../shell/useAsync';
import { Item } from './kinds';

interface MigrationPlan {
  table: string;
  fromVersion?: number;
  toVersion: number;
  steps: Array<{ op: string; column?: string; detail: string; destructive: boolean }>;
}

const OP_COLOR: Record<string, string> = { 'create-table': 'green', 'add-column': 'blue', 'rename-column': 'purple', 'widen-column': 'cyan', 'retire-column': 'red', 'replace-key': 'orange' };

/** What publishing this dataset draft would do to its table, or why it cannot be published yet. */
export function MigrationPreview({ item }: { item: Item }) {
  const { t } = useI18n();
  const plan = useAsync(() => api.get<MigrationPlan>(`/api/meta/datasets/${item.id}/migration-plan`), [item.id, item.version, item._meta.updatedAt]);
  if (plan.loading) return <PanelSkeleton />;
  if (plan.error) {
    const err = plan.error;
    return (
      <Alert
        type="warning"
        showIcon
        message={t('ds.migration.blocked')}
        description={
          err instanceof ApiError && err.details.length ? (
            <ul style={{ margin: 0, paddingInlineStart: 20 }}>
              {err.details.map((d, i) => (
                <li key={i}>{detailText(t, d)}</li>
              ))}
            </ul>
          ) : (
            describeError(t, err)
          )
        }
        data-testid="migration-blocked"
      />
    );
  }
  const p = plan.data!;
  if (p.steps.length === 0) return <Alert type="success" showIcon message={t('ds.migration.none')} />;
  return (
    <List
      size="small"
      bordered
      header={<Typography.Text strong>{p.fromVersion ? `v${p.fromVersion} → v${p.toVersion} · ${p.table}` : t('ds.migration.new', { table: p.table })}</Typography.Text>}
      dataSource={p.steps}
      renderItem={step => (
        <List.Item>
          <span>
            <Tag color={OP_COLOR[step.op] ?? 'default'}>{step.op}</Tag>
            {step.column && <Typography.Text code>{step.column}</Typography.Text>} {step.detail}
            {step.destructive && <Tag color="red" style={{ marginInlineStart: 8 }}>{t('ds.migration.destructive')}</Tag>}
          </span>
        </List.Item>
      )}
      data-testid="migration-plan"
    />
  );
}
