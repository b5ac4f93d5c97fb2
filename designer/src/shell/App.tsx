import { lazy, Suspense } from 'react';
import { App as AntApp, Button, Card, ConfigProvider, Result } from 'antd';
import zhCN from 'antd/es/locale/zh_CN';
import enUS from 'antd/es/locale/en_US';
import { BrowserRouter, Route, Routes, useNavigate } from 'react-router';
import { AppLayout } from './AppLayout';
import { ChangePasswordForm } from './ChangePassword';
import { I18nProvider, useI18n } from './i18n';
import { LoginPage } from './Login';
import { SessionProvider, useSession } from './session';
import { Loading } from './states';

const Dashboard = lazy(() => import('../dashboard/Dashboard'));
const ItemList = lazy(() => import('../designer/ItemList'));
const ItemDetail = lazy(() => import('../designer/ItemDetail'));
const ItemEditor = lazy(() => import('../designer/ItemEditor'));
const AuditLog = lazy(() => import('../admin/AuditLog'));
const Users = lazy(() => import('../admin/Users'));
const Keys = lazy(() => import('../jobs/Keys'));
const Jobs = lazy(() => import('../jobs/Jobs'));
const RunScreen = lazy(() => import('../runtime/QueryScreen'));
const ScreenList = lazy(() => import('../screens/ScreenList'));
const ScreenDesigner = lazy(() => import('../screens/ScreenDesigner'));
const ProcessList = lazy(() => import('../workflow/ProcessList'));
const ProcessModeller = lazy(() => import('../workflow/Modeller'));
const InstanceView = lazy(() => import('../workflow/InstanceView'));
const OdCatalogue = lazy(() => import('../opendata/Catalogue'));
const OdMine = lazy(() => import('../opendata/MyAccess'));
const OdResources = lazy(() => import('../opendata/Resources'));
const OdGrants = lazy(() => import('../opendata/Grants'));
const Inbox = lazy(() => import('../inbox/Inbox'));
const CasePage = lazy(() => import('../inbox/CaseTimeline'));
const PublishGate = lazy(() => import('../inbox/PublishGate'));
const MapTasks = lazy(() => import('../mapping/Tasks'));
const MapWorkbench = lazy(() => import('../mapping/Workbench'));
const MapDictionaries = lazy(() => import('../mapping/Dictionaries'));
const MapVocabularies = lazy(() => import('../mapping/Vocabularies'));
const MapProgress = lazy(() => import('../mapping/ProgressDashboard'));
const MapKnowledge = lazy(() => import('../mapping/Knowledge'));
const MapTranslate = lazy(() => import('../mapping/Translate'));

const THEME = {
  token: { colorPrimary: '#1677ff', borderRadius: 6, fontFamily: "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif" },
  components: { Layout: { headerHeight: 56, headerPadding: '0 24px' } },
};

export function App() {
  return (
    <I18nProvider>
      <Localized />
    </I18nProvider>
  );
}

function Localized() {
  const { locale } = useI18n();
  return (
    <ConfigProvider locale={locale === 'zh-CN' ? zhCN : enUS} theme={THEME}>
      <AntApp>
        <SessionProvider>
          <BrowserRouter>
            <Gate />
          </BrowserRouter>
        </SessionProvider>
      </AntApp>
    </ConfigProvider>
  );
}

/** Signed out → sign-in; a password change due → only that; else the app. */
function Gate() {
  const { user, restoring, signOut } = useSession();
  const { t } = useI18n();
  if (restoring) return <Loading />;
  if (!user) return <LoginPage />;
  if (user.mustChangePassword) {
    return (
      <div className="ls-login">
        <Card className="ls-login-card" title={t('pwd.title')} data-testid="forced-password-change">
          <ChangePasswordForm forced onCancel={() => signOut()} />
        </Card>
      </div>
    );
  }
  return (
    <Suspense fallback={<Loading />}>
      <Routes>
        <Route element={<AppLayout />}>
          <Route index element={<Dashboard />} />
          <Route path="meta/:kind" element={<ItemList />} />
          <Route path="meta/:kind/new" element={<ItemEditor />} />
          <Route path="meta/:kind/:id" element={<ItemDetail />} />
          <Route path="meta/:kind/:id/edit" element={<ItemEditor />} />
          <Route path="audit" element={<AuditLog />} />
          <Route path="security/users" element={<Users />} />
          <Route path="security/keys" element={<Keys />} />
          <Route path="jobs" element={<Jobs />} />
          <Route path="run/:type/:key" element={<RunScreen />} />
          <Route path="screens" element={<ScreenList />} />
          <Route path="screens/new" element={<ScreenDesigner />} />
          <Route path="screens/:id" element={<ScreenDesigner />} />
          <Route path="workflow/processes" element={<ProcessList />} />
          <Route path="workflow/processes/:key" element={<ProcessModeller />} />
          <Route path="workflow/instances/:id" element={<InstanceView />} />
          <Route path="opendata/catalogue" element={<OdCatalogue />} />
          <Route path="opendata/mine" element={<OdMine />} />
          <Route path="opendata/resources" element={<OdResources />} />
          <Route path="opendata/grants" element={<OdGrants />} />
          <Route path="inbox" element={<Inbox />} />
          <Route path="inbox/cases/:id" element={<CasePage />} />
          <Route path="publish-gate" element={<PublishGate />} />
          <Route path="mapping/tasks" element={<MapTasks />} />
          <Route path="mapping/tasks/:id" element={<MapWorkbench />} />
          <Route path="mapping/dictionaries" element={<MapDictionaries />} />
          <Route path="mapping/vocabularies" element={<MapVocabularies />} />
          <Route path="mapping/progress" element={<MapProgress />} />
          <Route path="mapping/knowledge" element={<MapKnowledge />} />
          <Route path="mapping/translate" element={<MapTranslate />} />
          <Route path="*" element={<NotFound />} />
        </Route>
      </Routes>
    </Suspense>
  );
}

function NotFound() {
  const { t } = useI18n();
  const navigate = useNavigate();
  return <Result status="404" title="404" subTitle={t('error.pageNotFound')} extra={<Button onClick={() => navigate('/')}>{t('menu.dashboard')}</Button>} />;
}
