import { Card, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { api } from '../shell/api';
import { useI18n } from '../shell/i18n';
import { EmptyState, ErrorState } from '../shell/states';
import { useAsync } from '../shell/useAsync';

interface Account {
  id: string;
  username: string;
  display_name: string;
  org_code: string | null;
  status: string;
  must_change: boolean;
  locked_until: string | null;
  created_at: string;
  roles: string[];
}

interface OrgUnit {
  code: string;
  name: string;
}

/** Accounts with their roles and institutions (read-only here; changes go through /api/security). */
export default function Users() {
  const { t } = useI18n();
  const users = useAsync(() => api.get<Account[]>('/api/security/users'), []);
  const orgs = useAsync(() => api.get<OrgUnit[]>('/api/security/org-units').catch(() => [] as OrgUnit[]), []);
  const roles = useAsync(() => api.get<Array<{ code: string; name: string }>>('/api/security/roles').catch(() => []), []);
  const orgName = new Map((orgs.data ?? []).map(o => [o.code, o.name]));
  const roleName = new Map((roles.data ?? []).map(r => [r.code, r.name]));
  return (
    <>
      <div className="ls-page-header">
        <Typography.Title level={4}>{t('menu.users')}</Typography.Title>
      </div>
      <Card variant="borderless">
        {users.error ? (
          <ErrorState error={users.error} onRetry={users.reload} />
        ) : (
          <Table<Account>
            rowKey="id"
            size="middle"
            loading={users.loading}
            dataSource={users.data ?? []}
            locale={{ emptyText: <EmptyState /> }}
            pagination={{ defaultPageSize: 20, hideOnSinglePage: true }}
            columns={[
              { title: t('users.username'), dataIndex: 'username', width: 150 },
              { title: t('users.displayName'), dataIndex: 'display_name' },
              { title: t('users.org'), dataIndex: 'org_code', render: (c: string | null) => (c ? orgName.get(c) ?? c : '—') },
              { title: t('users.roles'), dataIndex: 'roles', render: (rs: string[]) => rs.map(r => <Tag key={r}>{roleName.get(r) ?? r}</Tag>) },
              {
                title: t('users.status'),
                key: 'status',
                render: (_: unknown, u) => (
                  <>
                    <Tag color={u.status === 'active' ? 'success' : 'default'}>{t(u.status === 'active' ? 'users.status.active' : 'users.status.disabled')}</Tag>
                    {u.must_change && <Tag color="warning">{t('users.mustChange')}</Tag>}
                    {u.locked_until && dayjs(u.locked_until).isAfter(dayjs()) && <Tag color="error">{t('users.locked')}</Tag>}
                  </>
                ),
              },
              { title: t('users.createdAt'), dataIndex: 'created_at', width: 170, render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm') },
            ]}
            data-testid="users-table"
          />
        )}
      </Card>
    </>
  );
}
