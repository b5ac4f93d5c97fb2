import { useMemo, useState } from 'react';
import { Alert, App, Breadcrumb, Button, Card, Space, Typography } from 'antd';
import { createForm, Form } from '@formily/core';
import { FormProvider, createSchemaField } from '@formily/react';
import { ArrayTable, Checkbox, DatePicker, FormGrid, FormItem, FormLayout, Input, NumberPicker, Radio, Select } from '@formily/antd-v5';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError, ErrorDetail, api } from '../shell/api';
import { describeError, detailText } from '../shell/errors';
import { useI18n } from '../shell/i18n';
import { ErrorState, Loading } from '../shell/states';
import { useAsync } from '../shell/useAsync';
import { Item, KIND_BY_SLUG, Kind, MENU_LABEL, SLUG, toBody } from './kinds';
import { Option, schemaFor } from './schemas';

const SchemaField = createSchemaField({ components: { ArrayTable, Checkbox, DatePicker, FormGrid, FormItem, Input, NumberPicker, Radio, Select } });

/** Options a kind's form needs: value domains for an element, elements for a dataset. */
async function optionsFor(kind: Kind): Promise<Option[]> {
  if (kind === 'value-domain') return [];
  const source = kind === 'data-element' ? 'value-domains' : 'data-elements';
  const rows = await api.get<Item[]>(`/api/meta/${source}?limit=1000`);
  return rows.filter(r => r.workflowStatus !== 'retired').map(r => ({ value: r.id, label: `${r.identifier} ${r.name}` }));
}

/** Create or edit an item with a Formily form; the server's validation lands next to the fields it names. */
export default function ItemEditor() {
  const { kind: slug = '', id } = useParams();
  const kind = KIND_BY_SLUG[slug];
  const loaded = useAsync(async () => {
    const [item, options] = await Promise.all([id ? api.get<Item>(`/api/meta/${slug}/${id}`) : Promise.resolve(undefined), optionsFor(kind)]);
    return { item, options };
  }, [slug, id]);
  if (!kind) return <ErrorState error={new ApiError(404, 'NotFound', slug)} />;
  if (loaded.loading) return <Loading />;
  if (loaded.error || !loaded.data) return <ErrorState error={loaded.error} onRetry={loaded.reload} />;
  return <EditorForm key={`${slug}/${id ?? 'new'}`} kind={kind} item={loaded.data.item} options={loaded.data.options} />;
}

function EditorForm({ kind, item, options }: { kind: Kind; item?: Item; options: Option[] }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [saving, setSaving] = useState(false);
  const [problems, setProblems] = useState<ErrorDetail[]>([]);
  const [failure, setFailure] = useState<string | null>(null);
  const form = useMemo<Form>(() => createForm({ initialValues: (item ? structuredClone(item) : defaults(kind)) as Record<string, unknown> }), [item, kind]);
  const schema = useMemo(() => schemaFor(kind, t, options), [kind, t, options]);
  const frozen = item && !['draft', 'review'].includes(item.workflowStatus);

  const save = async () => {
    setProblems([]);
    setFailure(null);
    form.clearErrors();
    let values: Record<string, unknown>;
    try {
      values = (await form.submit()) as Record<string, unknown>;
    } catch {
      return; // client-side validation marked the fields
    }
    const body = toBody(values);
    if (kind === 'dataset' && Array.isArray(body.inclusions)) {
      body.inclusions = (body.inclusions as Array<Record<string, unknown>>).map((inc, i) => ({ ...inc, order: i + 1 }));
    }
    if (kind === 'value-domain') {
      if (body.type === 'enumerated') for (const k of ['dataType', 'format', 'minimum', 'maximum', 'pattern', 'unit']) delete body[k];
      else delete body.values;
    }
    setSaving(true);
    try {
      const saved = item ? await api.put<Item>(`/api/meta/${SLUG[kind]}/${item.id}`, body) : await api.post<Item>(`/api/meta/${SLUG[kind]}`, body);
      message.success(t('common.saved'));
      navigate(`/meta/${SLUG[kind]}/${saved.id}`);
    } catch (err) {
      if (err instanceof ApiError && err.status === 422 && err.details.length) {
        setProblems(err.details);
        for (const d of err.details) {
          const path = (d.path ?? d.field ?? '').replaceAll('/', '.');
          if (path) form.setFieldState(path, state => void (state.selfErrors = [detailText(t, d)]));
        }
      } else setFailure(describeError(t, err));
    } finally {
      setSaving(false);
    }
  };

  const title = item ? `${t('common.edit')} ${item.identifier} ${item.name}` : t(`meta.new.${kind}`);
  return (
    <>
      <Breadcrumb style={{ marginBottom: 12 }} items={[{ title: <Link to={`/meta/${SLUG[kind]}`}>{t(MENU_LABEL[kind])}</Link> }, { title }]} />
      <div className="ls-page-header">
        <Typography.Title level={4}>{title}</Typography.Title>
        <Space>
          <Button onClick={() => navigate(-1)}>{t('common.cancel')}</Button>
          <Button type="primary" loading={saving} onClick={save} data-testid="save-item">
            {t('common.save')}
          </Button>
        </Space>
      </div>
      {frozen && <Alert type="info" showIcon message={t('meta.edit.frozen')} style={{ marginBottom: 16 }} />}
      {failure && <Alert type="error" showIcon message={failure} style={{ marginBottom: 16 }} closable onClose={() => setFailure(null)} />}
      {problems.length > 0 && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          message={t('error.validation')}
          description={
            <ul style={{ margin: 0, paddingInlineStart: 20 }} data-testid="server-problems">
              {problems.map((p, i) => (
                <li key={i}>
                  <Typography.Text code>{p.path || p.field || '—'}</Typography.Text> {detailText(t, p)}
                </li>
              ))}
            </ul>
          }
        />
      )}
      <Card variant="borderless">
        <FormProvider form={form}>
          <FormLayout layout="vertical">
            <SchemaField schema={schema} />
          </FormLayout>
        </FormProvider>
      </Card>
    </>
  );
}

function defaults(kind: Kind): Record<string, unknown> {
  if (kind === 'value-domain') return { namespace: 'dazhou', type: 'enumerated', values: [{ code: '', meaning: '' }] };
  if (kind === 'dataset') return { namespace: 'dazhou', inclusions: [{ obligation: 'M', primaryKey: true }] };
  return { namespace: 'dazhou', sensitivity: 0 };
}
