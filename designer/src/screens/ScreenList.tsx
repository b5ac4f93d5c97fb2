import { Button, Card, Space, Table, Tag, Typography } from 'antd';
import { PlayCircleOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { Link, useNavigate } from 'react-router';
import { api } from '../shell/api';
import { useI18n } from '../shell/i18n';
import { ErrorState } from '../shell/states';
import { useAsync } from '../shell/useAsync';
import { StatusTag } from '../designer/StatusTag';
import type { Status } from '../designer/kinds';
import type { Screen } from '../runtime/types';
import { routeOf } from '../runtime/types';

type Row = Screen & { _meta: { updatedAt: string } };

/** The screens (designed query screens) as metadata: open one in the designer or make a new one. */
export default function ScreenList() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const list = useAsync(() => api.get<Row[]>('/api/meta/screens?limit=1000'), []);
  if (list.error) return <ErrorState error={list.error} onRetry={list.reload} />;
  return (
    <>
      <div className="ls-page-header">
        <Typography.Title level={4}>{t('menu.screens')}</Typography.Title>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/screens/new')} data-testid="new-screen">
          {t('scr.new')}
        </Button>
      </div>
      <Card variant="borderless">
        <Table<Row>
          rowKey="id"
          size="middle"
          loading={list.loading}
          dataSource={list.data ?? []}
          data-testid="screen-table"
          columns={[
            { title: t('meta.name'), dataIndex: 'name', render: (v: string, r) => <Link to={`/screens/${r.id}`}>{v}</Link> },
            { title: t('meta.identifier'), dataIndex: 'identifier', width: 200 },
            { title: t('scr.dataset'), key: 'dataset', width: 180, render: (_: unknown, r) => <Typography.Text code>{r.dataset.code ?? r.dataset.id}</Typography.Text> },
            { title: t('scr.menuGroup'), key: 'menu', width: 140, render: (_: unknown, r) => (r.menu ? <Tag>{r.menu.group}</Tag> : '—') },
            { title: t('meta.version'), dataIndex: 'version', width: 70, render: (v: number) => `v${v}` },
            { title: t('meta.status'), dataIndex: 'workflowStatus', width: 100, render: (s: Status) => <StatusTag status={s} /> },
            { title: t('meta.updatedAt'), key: 'updated', width: 150, render: (_: unknown, r) => dayjs(r._meta.updatedAt).format('YYYY-MM-DD HH:mm') },
            {
              key: 'run',
              width: 90,
              render: (_: unknown, r) =>
                r.workflowStatus === 'published' && (
                  <Space>
                    <Button size="small" type="link" icon={<PlayCircleOutlined />} onClick={() => navigate(routeOf({ type: 'screen', key: r.id }))}>
                      {t('scr.open')}
                    </Button>
                  </Space>
                ),
            },
          ]}
        />
      </Card>
    </>
  );
}
