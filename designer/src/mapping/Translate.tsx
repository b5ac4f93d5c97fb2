import { useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Card, Col, Form, Input, Radio, Row, Select, Space, Table, Tag, Typography } from 'antd';
import { TranslationOutlined } from '@ant-design/icons';
import { query } from '../shell/api';
import { describeError } from '../shell/errors';
import { useI18n } from '../shell/i18n';
import { useSession } from '../shell/session';
import { ErrorState } from '../shell/states';
import { useAsync } from '../shell/useAsync';
import { M, TranslateItem, TranslateResult, mappingApi } from './api';
import { useLabel } from './parts';

const MAX_LINES = 1000;
const STATUS_COLORS: Record<TranslateResult['status'], string> = { confirmed: 'success', auto: 'processing', unmapped: 'default' };

interface Row {
  key: number;
  input: string;
  result: TranslateResult;
}

/**
 * translate(institution, dictionary or kind, local code or text) → standard codes, for one line
 * or many pasted lines; shows how each was found and the API call an integrator makes.
 */
export default function Translate() {
  const { t } = useI18n();
  const label = useLabel();
  const { user } = useSession();
  const { message } = App.useApp();
  const dictionaries = useAsync(() => mappingApi.dictionaries(), []);
  const [institution, setInstitution] = useState<string>();
  const [dictionary, setDictionary] = useState<string>();
  const [mode, setMode] = useState<'code' | 'text'>('text');
  const [lines, setLines] = useState('');
  const [busy, setBusy] = useState(false);
  const [rows, setRows] = useState<Row[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const institutions = useMemo(() => {
    const seen = new Map<string, string>();
    for (const d of dictionaries.data ?? []) if (!seen.has(d.institution)) seen.set(d.institution, d.institutionName ?? d.institution);
    return [...seen].map(([value, name]) => ({ value, label: `${name}（${value}）` }));
  }, [dictionaries.data]);

  useEffect(() => {
    if (institution || !institutions.length) return;
    setInstitution(institutions.find(i => i.value === user?.orgCode)?.value ?? institutions[0].value);
  }, [institutions, institution, user?.orgCode]);

  const own = useMemo(() => (dictionaries.data ?? []).filter(d => d.institution === institution), [dictionaries.data, institution]);
  const dictionaryOptions = useMemo(() => {
    const kinds = new Map<string, number>();
    for (const d of own) kinds.set(d.kind, (kinds.get(d.kind) ?? 0) + 1);
    return [
      { label: t('map.kind'), options: [...kinds].map(([kind, count]) => ({ value: kind, label: t('map.tr.byKind', { kind: label('map.kind', kind), count }) })) },
      { label: t('menu.mapDictionaries'), options: own.map(d => ({ value: d.id, label: `${d.name}（${label('map.kind', d.kind)}）` })) },
    ];
  }, [own, t, label]);
  const dictionaryName = (id?: string) => (dictionaries.data ?? []).find(d => d.id === id)?.name ?? id ?? '—';

  useEffect(() => {
    if (dictionary && (own.some(d => d.id === dictionary || d.kind === dictionary))) return;
    setDictionary(own[0]?.kind);
  }, [own, dictionary]);

  const items: TranslateItem[] = lines
    .split('\n')
    .map(l => l.trim())
    .filter(Boolean)
    .map(l => (mode === 'code' ? { code: l } : { text: l }));

  const run = async () => {
    setProblem(null);
    if (!institution || !dictionary) return setProblem(t('map.tr.pick'));
    if (!items.length) return setProblem(t('map.tr.empty'));
    if (items.length > MAX_LINES) return setProblem(t('map.tr.tooMany'));
    setBusy(true);
    try {
      const results = await mappingApi.translate({ institution, dictionary, items });
      setRows(results.map((result, i) => ({ key: i, input: items[i].code ?? items[i].text ?? '', result })));
    } catch (err) {
      message.error(describeError(t, err));
    } finally {
      setBusy(false);
    }
  };

  const call = (() => {
    const inst = institution ?? '<institution>';
    const dict = dictionary ?? '<dictionary>';
    const first = items[0] ?? (mode === 'code' ? { code: '<local code>' } : { text: '<text>' });
    const get = `GET ${M}/translate${query({ institution: inst, dictionary: dict, ...first })}`;
    const post = `POST ${M}/translate\nContent-Type: application/json\n\n${JSON.stringify({ institution: inst, dictionary: dict, items: items.length ? items.slice(0, 3) : [first] }, null, 2)}`;
    return `${get}\n\n${post}`;
  })();

  if (dictionaries.error) return <ErrorState error={dictionaries.error} onRetry={dictionaries.reload} />;

  return (
    <>
      <div className="ls-page-header">
        <Typography.Title level={4}>{t('menu.mapTranslate')}</Typography.Title>
      </div>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Card>
            <Form layout="vertical">
              <Row gutter={12}>
                <Col span={12}>
                  <Form.Item label={t('map.institution')} required>
                    <Select showSearch optionFilterProp="label" loading={dictionaries.loading} options={institutions} value={institution} onChange={v => { setInstitution(v); setDictionary(undefined); }} data-testid="translate-institution" />
                  </Form.Item>
                </Col>
                <Col span={12}>
                  <Form.Item label={t('map.tr.dictionary')} required>
                    <Select options={dictionaryOptions} value={dictionary} onChange={setDictionary} data-testid="translate-dictionary" />
                  </Form.Item>
                </Col>
              </Row>
              <Form.Item label={t('map.tr.mode')}>
                <Radio.Group value={mode} onChange={e => setMode(e.target.value)} optionType="button" data-testid="translate-mode">
                  <Radio.Button value="text">{t('map.tr.modeText')}</Radio.Button>
                  <Radio.Button value="code">{t('map.tr.modeCode')}</Radio.Button>
                </Radio.Group>
              </Form.Item>
              <Form.Item label={t('map.tr.lines')}>
                <Input.TextArea rows={6} value={lines} onChange={e => setLines(e.target.value)} data-testid="translate-lines" />
              </Form.Item>
              {problem && <Alert type="warning" showIcon message={problem} style={{ marginBottom: 12 }} />}
              <Button type="primary" icon={<TranslationOutlined />} loading={busy} onClick={run} data-testid="translate-run">
                {t('map.tr.run')}
              </Button>
            </Form>
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card title={t('map.tr.call')}>
            <Typography.Paragraph type="secondary">{t('map.tr.callHint')}</Typography.Paragraph>
            <pre data-testid="translate-call" style={{ background: '#f6f8fa', padding: 12, borderRadius: 6, fontSize: 12, whiteSpace: 'pre-wrap', wordBreak: 'break-all', margin: 0 }}>
              {call}
            </pre>
          </Card>
        </Col>
      </Row>
      {rows && (
        <Card style={{ marginTop: 16 }}>
          <Table<Row>
            size="middle"
            dataSource={rows}
            pagination={{ pageSize: 50, hideOnSinglePage: true }}
            data-testid="translate-results"
            columns={[
              { title: t('map.tr.input'), dataIndex: 'input' },
              {
                title: t('map.tr.result'),
                key: 'codes',
                render: (_, r) =>
                  r.result.codes.length ? (
                    <Space size={[4, 4]} wrap>
                      {(r.result.terms ?? r.result.codes.map(code => ({ code, name: '' }))).map(c => (
                        <Tag key={c.code} color="green" data-testid="translate-code">
                          {c.code} {c.name && c.name !== c.code ? c.name : ''}
                        </Tag>
                      ))}
                    </Space>
                  ) : r.result.candidates?.length ? (
                    <Space size={[4, 4]} wrap data-testid="translate-candidates">
                      <Typography.Text type="secondary">{t('map.tr.candidates')}</Typography.Text>
                      {r.result.candidates.map(c => (
                        <Tag key={c.code}>
                          {c.code} {c.name} · {c.confidence.toFixed(2)}
                        </Tag>
                      ))}
                    </Space>
                  ) : (
                    '—'
                  ),
              },
              { title: t('map.status'), key: 'status', render: (_, r) => <Tag color={STATUS_COLORS[r.result.status]}>{label('map.tr.status', r.result.status)}</Tag> },
              { title: t('map.tr.how'), key: 'how', render: (_, r) => <span data-testid="translate-how">{label('map.tr.source', r.result.source)}</span> },
              { title: t('map.confidence'), key: 'confidence', align: 'right', render: (_, r) => r.result.confidence.toFixed(2) },
              { title: t('map.tr.answeredBy'), key: 'dictionary', render: (_, r) => dictionaryName(r.result.dictionary) },
            ]}
          />
        </Card>
      )}
    </>
  );
}
