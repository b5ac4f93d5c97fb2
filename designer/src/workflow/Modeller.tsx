import { useCallback, useEffect, useRef, useState } from 'react';
import { Alert, App, Button, Card, List, Space, Table, Tag, Typography } from 'antd';
import { CheckCircleOutlined, CloudUploadOutlined, DownloadOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useLocation, useNavigate, useParams } from 'react-router';
import Modeler from 'bpmn-js/lib/Modeler';
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css';
import { api } from '../shell/api';
import { describeError } from '../shell/errors';
import { useI18n } from '../shell/i18n';
import { useSession } from '../shell/session';
import { ErrorState } from '../shell/states';
import { useAsync } from '../shell/useAsync';
import { LintProblem, LintResult, importWithLayout, lingshuModdle } from './bpmn';
import { PropertiesPanel } from './PropertiesPanel';
import './workflow.css';

/* eslint-disable @typescript-eslint/no-explicit-any */

interface Stored {
  key: string;
  latest: { id: string; version: number; name: string; xml: string };
  versions: Array<{ id: string; version: number; name: string; createdBy: string; createdAt: string }>;
}

/** Edits a process definition in bpmn-js; lint (the server's deploy checks) before deploying a new version. */
export default function ProcessModeller() {
  const { key = '' } = useParams();
  const location = useLocation();
  const navigate = useNavigate();
  const { t } = useI18n();
  const { message } = App.useApp();
  const { can } = useSession();
  const readOnly = !can('workflow:definitions', 'create');
  const draft = (location.state as { xml?: string } | null)?.xml;
  const stored = useAsync<Stored | undefined>(() => (draft ? Promise.resolve(undefined) : api.get<Stored>(`/api/workflow/processes/${encodeURIComponent(key)}`)), [key, draft]);
  const actions = useAsync(() => api.get<string[]>('/api/workflow/actions').catch(() => [] as string[]), []);
  const screens = useAsync(
    () => (can('meta:screen', 'read') ? api.get<Array<{ id: string; identifier: string; name: string }>>('/api/meta/screens?limit=1000').catch(() => []) : Promise.resolve([])),
    [],
  );
  const roles = useAsync(() => (can('security:roles', 'read') ? api.get<Array<{ code: string; name: string }>>('/api/security/roles').catch(() => []) : Promise.resolve([])), []);
  const container = useRef<HTMLDivElement>(null);
  const [modeler, setModeler] = useState<any>();
  const [selected, setSelected] = useState<any>();
  const [problems, setProblems] = useState<LintProblem[]>();
  const [dirty, setDirty] = useState(false);
  const [busy, setBusy] = useState<'lint' | 'deploy'>();
  const [importError, setImportError] = useState<string>();
  const [imported, setImported] = useState(0);

  useEffect(() => {
    const m = new (Modeler as any)({ container: container.current!, moddleExtensions: { lingshu: lingshuModdle } });
    m.on('selection.changed', (e: any) => setSelected(e.newSelection.length === 1 ? e.newSelection[0] : undefined));
    m.on('commandStack.changed', () => setDirty(true));
    setModeler(m);
    return () => m.destroy();
  }, []);

  const xml = draft ?? stored.data?.latest.xml;
  useEffect(() => {
    if (!modeler || !xml) return;
    setSelected(undefined);
    setProblems(undefined);
    setImported(0);
    importWithLayout(modeler, xml).then(
      () => {
        setDirty(!!draft);
        setImported(n => n + 1);
      },
      err => setImportError((err as Error).message),
    );
  }, [modeler, xml, draft]);

  const mark = useCallback(
    (list: LintProblem[]) => {
      const canvas = modeler.get('canvas');
      const registry = modeler.get('elementRegistry');
      for (const el of registry.getAll()) canvas.removeMarker(el.id, 'ls-problem');
      for (const p of list) if (p.elementId && registry.get(p.elementId)) canvas.addMarker(p.elementId, 'ls-problem');
    },
    [modeler],
  );

  const lint = useCallback(async (): Promise<{ ok: boolean; xml: string }> => {
    const { xml: current } = await modeler.saveXML({ format: true });
    const result = await api.post<LintResult>('/api/workflow/lint', { xml: current });
    setProblems(result.problems);
    mark(result.problems);
    return { ok: result.ok, xml: current };
  }, [modeler, mark]);

  const runLint = async () => {
    setBusy('lint');
    try {
      await lint();
    } catch (err) {
      message.error(describeError(t, err));
    } finally {
      setBusy(undefined);
    }
  };

  const deploy = async () => {
    setBusy('deploy');
    try {
      const { ok, xml: current } = await lint();
      if (!ok) return;
      const row = await api.post<{ version: number }>(`/api/workflow/processes/${encodeURIComponent(key)}`, { xml: current });
      message.success(t('mdl.deployed', { version: row.version }));
      setDirty(false);
      if (draft) navigate(`/workflow/processes/${key}`, { replace: true, state: null });
      else stored.reload();
    } catch (err) {
      message.error(describeError(t, err));
    } finally {
      setBusy(undefined);
    }
  };

  const download = async () => {
    const { xml: current } = await modeler.saveXML({ format: true });
    const url = URL.createObjectURL(new Blob([current], { type: 'application/xml' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `${key}.bpmn`;
    a.click();
    URL.revokeObjectURL(url);
  };

  const select = (id: string) => {
    const el = modeler?.get('elementRegistry').get(id);
    if (!el) return;
    modeler.get('selection').select(el);
    modeler.get('canvas').scrollToElement(el);
  };

  if (stored.error) return <ErrorState error={stored.error} onRetry={stored.reload} />;
  const latest = stored.data?.latest;
  return (
    <>
      <div className="ls-page-header">
        <Space align="baseline">
          <Typography.Title level={4} style={{ margin: 0 }}>
            {latest?.name ?? key}
          </Typography.Title>
          <Typography.Text code>{key}</Typography.Text>
          {latest && <Tag data-testid="latest-version">v{latest.version}</Tag>}
          {dirty && <Tag color="orange">{t('mdl.unsaved')}</Tag>}
        </Space>
        <Space>
          <Button icon={<DownloadOutlined />} onClick={download} disabled={!modeler}>{t('mdl.downloadXml')}</Button>
          <Button icon={<CheckCircleOutlined />} onClick={runLint} loading={busy === 'lint'} disabled={!modeler} data-testid="lint">{t('mdl.lint')}</Button>
          {!readOnly && (
            <Button type="primary" icon={<CloudUploadOutlined />} onClick={deploy} loading={busy === 'deploy'} disabled={!modeler} data-testid="deploy">
              {t('mdl.deploy')}
            </Button>
          )}
        </Space>
      </div>
      {readOnly && <Alert type="info" showIcon message={t('mdl.readOnly')} style={{ marginBottom: 12 }} />}
      {importError && <Alert type="error" showIcon message={importError} style={{ marginBottom: 12 }} />}
      {problems && (
        problems.length ? (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 12 }}
            data-testid="lint-problems"
            message={t('mdl.problems', { count: problems.length })}
            description={
              <List
                size="small"
                dataSource={problems}
                renderItem={p => (
                  <List.Item className="ls-bpmn-problem" onClick={() => p.elementId && select(p.elementId)}>
                    <Typography.Text code>{p.elementId ?? p.field ?? 'xml'}</Typography.Text> {p.rule}: {p.message}
                    {p.position !== undefined && ` (@${p.position})`}
                  </List.Item>
                )}
              />
            }
          />
        ) : (
          <Alert type="success" showIcon style={{ marginBottom: 12 }} message={t('mdl.lintClean')} data-testid="lint-clean" />
        )
      )}
      <div className="ls-bpmn-layout">
        <div className="ls-bpmn-canvas" ref={container} data-testid="bpmn-canvas" />
        <Card className="ls-bpmn-side" size="small" title={t('mdl.properties')}>
          {modeler && imported ? (
            <PropertiesPanel
              modeler={modeler}
              element={selected}
              actions={actions.data ?? []}
              screens={screens.data ?? []}
              roles={roles.data ?? []}
              problems={problems ?? []}
              readOnly={readOnly}
              onCheck={async () => {
                await lint();
              }}
              onSelect={select}
            />
          ) : (
            <Typography.Text type="secondary">{t('mdl.noSelection')}</Typography.Text>
          )}
        </Card>
      </div>
      {stored.data && (
        <Card size="small" title={t('mdl.versions')} style={{ marginTop: 12 }}>
          <Table
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={stored.data.versions}
            data-testid="version-table"
            columns={[
              { title: t('mdl.version'), dataIndex: 'version', width: 90, render: (v: number) => `v${v}` },
              { title: t('mdl.name'), dataIndex: 'name' },
              { title: t('mdl.deployedBy'), dataIndex: 'createdBy', width: 180 },
              { title: t('mdl.deployedAt'), dataIndex: 'createdAt', width: 180, render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm:ss') },
            ]}
          />
        </Card>
      )}
    </>
  );
}
