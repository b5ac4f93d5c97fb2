import { useMemo, useState } from 'react';
import { Avatar, Dropdown, Layout, Menu, Modal, Space, Tag, Tooltip, Typography, theme } from 'antd';
import type { MenuProps } from 'antd';
import { FieldTimeOutlined, ApartmentOutlined, AppstoreOutlined, LayoutOutlined, AuditOutlined, SafetyOutlined, TeamOutlined, BankOutlined, DashboardOutlined, DatabaseOutlined, DownOutlined, KeyOutlined, LogoutOutlined, SafetyCertificateOutlined, TagsOutlined, UserOutlined, PartitionOutlined, CloudDownloadOutlined, ContainerOutlined, FileDoneOutlined, ReadOutlined, InboxOutlined, NodeIndexOutlined, CheckSquareOutlined, BarChartOutlined, BookOutlined, BranchesOutlined } from '@ant-design/icons';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { ChangePasswordForm } from './ChangePassword';
import { useI18n } from './i18n';
import { LanguageSwitch } from './LanguageSwitch';
import { MessageKey } from './messages';
import { useSession } from './session';
import { useScreenMenu } from '../runtime/menu';
import { NotificationBell } from '../inbox/NotificationBell';

interface MenuEntry {
  key: string;
  label: MessageKey;
  icon: JSX.Element;
  /** Shown when the user may do this. */
  needs?: { resource: string; action: string };
  children?: MenuEntry[];
}

/** Modules of the app; an entry shows only for roles whose permissions reach it. */
export const MENU: MenuEntry[] = [
  { key: '/', label: 'menu.dashboard', icon: <DashboardOutlined /> },
  {
    key: 'metadata',
    label: 'menu.metadata',
    icon: <AppstoreOutlined />,
    children: [
      { key: '/meta/data-elements', label: 'menu.dataElements', icon: <TagsOutlined />, needs: { resource: 'meta:data-element', action: 'read' } },
      { key: '/meta/value-domains', label: 'menu.valueDomains', icon: <ApartmentOutlined />, needs: { resource: 'meta:value-domain', action: 'read' } },
      { key: '/meta/datasets', label: 'menu.datasets', icon: <DatabaseOutlined />, needs: { resource: 'meta:dataset', action: 'read' } },
      { key: '/screens', label: 'menu.screens', icon: <LayoutOutlined />, needs: { resource: 'meta:screen', action: 'create' } },
    ],
  },
  {
    key: 'opendata',
    label: 'menu.opendata',
    icon: <CloudDownloadOutlined />,
    children: [
      { key: '/opendata/catalogue', label: 'menu.odCatalogue', icon: <ReadOutlined /> },
      { key: '/opendata/mine', label: 'menu.odMine', icon: <FileDoneOutlined />, needs: { resource: 'workflow:start:resource-approval', action: 'create' } },
      { key: '/opendata/resources', label: 'menu.odResources', icon: <ContainerOutlined />, needs: { resource: 'workflow:resources', action: 'update' } },
      { key: '/opendata/grants', label: 'menu.odGrants', icon: <SafetyCertificateOutlined />, needs: { resource: 'workflow:grants', action: 'read' } },
    ],
  },
  {
    key: 'workflow',
    label: 'menu.workflow',
    icon: <NodeIndexOutlined />,
    children: [
      { key: '/inbox', label: 'menu.inbox', icon: <InboxOutlined /> },
      { key: '/workflow/processes', label: 'menu.processes', icon: <PartitionOutlined />, needs: { resource: 'workflow:definitions', action: 'read' } },
      { key: '/publish-gate', label: 'menu.publishGate', icon: <CheckSquareOutlined />, needs: { resource: 'workflow:definitions', action: 'admin' } },
    ],
  },
  {
    key: 'mapping',
    label: 'menu.mapping',
    icon: <BranchesOutlined />,
    children: [
      { key: '/mapping/tasks', label: 'menu.mapTasks', icon: <CheckSquareOutlined />, needs: { resource: 'mapping:tasks', action: 'read' } },
      { key: '/mapping/progress', label: 'menu.mapProgress', icon: <BarChartOutlined />, needs: { resource: 'mapping:tasks', action: 'read' } },
      { key: '/mapping/dictionaries', label: 'menu.mapDictionaries', icon: <BookOutlined />, needs: { resource: 'mapping:dictionaries', action: 'read' } },
      { key: '/mapping/vocabularies', label: 'menu.mapVocabularies', icon: <ReadOutlined />, needs: { resource: 'mapping:vocabularies', action: 'read' } },
      { key: '/mapping/knowledge', label: 'menu.mapKnowledge', icon: <DatabaseOutlined />, needs: { resource: 'mapping:knowledge', action: 'read' } },
      { key: '/mapping/translate', label: 'menu.mapTranslate', icon: <NodeIndexOutlined />, needs: { resource: 'mapping:translate', action: 'read' } },
    ],
  },
  {
    key: 'security',
    label: 'menu.security',
    icon: <SafetyOutlined />,
    children: [
      { key: '/security/users', label: 'menu.users', icon: <TeamOutlined />, needs: { resource: 'security:users', action: 'read' } },
      { key: '/security/keys', label: 'menu.keys', icon: <KeyOutlined />, needs: { resource: 'security:keys', action: 'read' } },
      { key: '/audit', label: 'menu.audit', icon: <AuditOutlined />, needs: { resource: 'audit', action: 'read' } },
    ],
  },
  { key: '/jobs', label: 'menu.jobs', icon: <FieldTimeOutlined /> },
];

export function AppLayout() {
  const { t } = useI18n();
  const { user, can, signOut } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [collapsed, setCollapsed] = useState(false);
  const [changing, setChanging] = useState(false);
  const { token } = theme.useToken();
  const screenItems = useScreenMenu();

  const items = useMemo<MenuProps['items']>(() => {
    const visible = (e: MenuEntry) => !e.needs || can(e.needs.resource, e.needs.action);
    const modules = MENU.flatMap(e => {
      if (e.children) {
        const children = e.children.filter(visible).map(c => ({ key: c.key, icon: c.icon, label: t(c.label) }));
        return children.length ? [{ key: e.key, icon: e.icon, label: t(e.label), children }] : [];
      }
      return visible(e) ? [{ key: e.key, icon: e.icon, label: t(e.label) }] : [];
    });
    // Screens for end users come right after the dashboard.
    return [...modules.slice(0, 1), ...screenItems, ...modules.slice(1)];
  }, [can, t, screenItems]);

  const selected = location.pathname.startsWith('/run/') ? [decodeURI(location.pathname)] : MENU.flatMap(e => e.children ?? [e]).filter(e => e.key !== '/' && location.pathname.startsWith(e.key)).map(e => e.key);
  const userMenu: MenuProps['items'] = [
    { key: 'roles', icon: <SafetyCertificateOutlined />, label: `${t('user.roles')}：${(user?.roleNames ?? user?.roles ?? []).join('、') || '—'}`, disabled: true },
    { type: 'divider' },
    { key: 'password', icon: <KeyOutlined />, label: t('user.changePassword'), onClick: () => setChanging(true) },
    { type: 'divider' },
    { key: 'logout', icon: <LogoutOutlined />, label: t('user.logout'), onClick: () => signOut() },
  ];
  if (!user) return null;

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider collapsible collapsed={collapsed} onCollapse={setCollapsed} width={220} theme="dark">
        <div className="ls-brand" onClick={() => navigate('/')}>
          <div className="ls-logo-mark small">枢</div>
          {!collapsed && <span className="ls-brand-name">{t('app.name')}</span>}
        </div>
        <Menu
          theme="dark"
          mode="inline"
          items={items}
          selectedKeys={selected.length ? selected : [location.pathname === '/' ? '/' : '']}
          defaultOpenKeys={['metadata', 'workflow', 'mapping', 'security']}
          onClick={e => navigate(e.key)}
          data-testid="main-menu"
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header className="ls-header" style={{ background: token.colorBgContainer }}>
          <Typography.Text strong style={{ fontSize: 16 }}>
            {t('app.subtitle')}
          </Typography.Text>
          <Space size="middle">
            <Tooltip title={user.orgCode ?? undefined}>
              <Tag icon={<BankOutlined />} color="blue" data-testid="user-org" style={{ marginInlineEnd: 0 }}>
                {user.orgName ?? t('user.noOrg')}
              </Tag>
            </Tooltip>
            <NotificationBell />
            <LanguageSwitch light />
            <Dropdown menu={{ items: userMenu }} trigger={['click']}>
              <Space style={{ cursor: 'pointer' }} data-testid="user-menu">
                <Avatar size="small" icon={<UserOutlined />} style={{ background: token.colorPrimary }} />
                <span>{user.displayName}</span>
                <DownOutlined style={{ fontSize: 10 }} />
              </Space>
            </Dropdown>
          </Space>
        </Layout.Header>
        <Layout.Content className="ls-content">
          <Outlet />
        </Layout.Content>
        <Layout.Footer className="ls-footer">{t('app.footer')}</Layout.Footer>
      </Layout>
      <Modal open={changing} title={t('pwd.title')} footer={null} onCancel={() => setChanging(false)} destroyOnHidden>
        <ChangePasswordForm onCancel={() => setChanging(false)} />
      </Modal>
    </Layout>
  );
}
