import { useMemo, useState } from 'react';
import { Alert, App, Button, Drawer, Empty, Space } from 'antd';
import { EditOutlined, SaveOutlined } from '@ant-design/icons';
import { createForm, isField } from '@formily/core';
import { FormProvider } from '@formily/react';
import { FormLayout } from '@formily/antd-v5';
import { ApiError, request } from '../shell/api';
import { describeError, detailText } from '../shell/errors';
import { useI18n } from '../shell/i18n';
import { useSession } from '../shell/session';
import { ScreenSchemaField } from './formily';
import { Row, RuntimeScreen } from './types';

const SYSTEM = new Set(['id', 'org_code', 'created_at', 'updated_at', 'created_by', 'updated_by', 'version']);

/** One record in the screen's Formily form: read-only, or editable for roles that may update the dataset. */
export function RecordDrawer({ screen, row, onClose, onSaved, readOnly }: { screen: RuntimeScreen; row: Row; onClose(): void; onSaved(row: Row): void; readOnly?: boolean }) {
  const { t } = useI18n();
  const { can } = useSession();
  const { message } = App.useApp();
  const code = screen.dataset.code!;
  const [editing, setEditing] = useState(false);
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const masked = useMemo(() => new Set(screen.masked ?? []), [screen.masked]);
  const form = useMemo(
    () =>
      createForm<any>({
        initialValues: structuredClone(row),
        readPretty: true,
        effects() {
          /* masked values are placeholders: never editable */
        },
      }),
    [row],
  );
  const mayEdit = !readOnly && can(`data:${code}`, 'update');

  const edit = () => {
    form.setPattern('editable');
    for (const name of masked) form.setFieldState(name, s => (s.pattern = 'readPretty'));
    setEditing(true);
  };
  const cancel = () => {
    form.reset();
    form.setPattern('readPretty');
    setProblem(null);
    setEditing(false);
  };

  const save = async () => {
    setProblem(null);
    form.clearErrors();
    let values: Record<string, unknown>;
    try {
      values = (await form.submit()) as Record<string, unknown>;
    } catch {
      return;
    }
    const patch: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(values)) {
      if (SYSTEM.has(k) || masked.has(k) || k.startsWith('_')) continue;
      if (JSON.stringify(v ?? null) !== JSON.stringify(row[k] ?? null)) patch[k] = v === undefined ? null : v;
    }
    if (Object.keys(patch).length === 0) return cancel();
    setSaving(true);
    try {
      const saved = await request<Row>('PATCH', `/api/data/${code}/${row.id}`, patch);
      message.success(t('run.saved'));
      form.setPattern('readPretty');
      setEditing(false);
      onSaved(saved);
    } catch (err) {
      if (err instanceof ApiError && (err.status === 422 || err.status === 400) && err.details.length) {
        const unplaced: string[] = [];
        for (const d of err.details) {
          const name = d.field ?? d.path ?? '';
          const field = name ? form.query(name).take() : undefined;
          if (field && isField(field)) field.setSelfErrors([...(field.selfErrors ?? []), detailText(t, d)]);
          else unplaced.push(`${name} ${detailText(t, d)}`);
        }
        setProblem(unplaced.length ? unplaced.join('；') : t('run.fixFields'));
      } else setProblem(describeError(t, err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Drawer
      open
      width={760}
      title={screen.menu?.title ?? screen.name}
      onClose={onClose}
      destroyOnHidden
      data-testid="record-drawer"
      extra={
        mayEdit && (
          <Space>
            {editing ? (
              <>
                <Button onClick={cancel}>{t('common.cancel')}</Button>
                <Button type="primary" icon={<SaveOutlined />} loading={saving} onClick={save} data-testid="record-save">
                  {t('common.save')}
                </Button>
              </>
            ) : (
              <Button icon={<EditOutlined />} onClick={edit} data-testid="record-edit">
                {t('run.edit')}
              </Button>
            )}
          </Space>
        )
      }
    >
      {problem && <Alert type="error" showIcon message={problem} style={{ marginBottom: 12 }} data-testid="record-problem" />}
      {screen.form ? (
        <FormProvider form={form}>
          <FormLayout layout="vertical" colon={false}>
            <ScreenSchemaField schema={screen.form} />
          </FormLayout>
        </FormProvider>
      ) : (
        <Empty />
      )}
    </Drawer>
  );
}
