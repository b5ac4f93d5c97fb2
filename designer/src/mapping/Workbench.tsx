import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { InputRef } from 'antd';
import { Alert, App, Button, Card, Checkbox, Col, Descriptions, Drawer, Empty, Input, InputNumber, Modal, Pagination, Popconfirm, Progress, Row, Select, Slider, Space, Spin, Switch, Table, Tag, Timeline, Typography } from 'antd';
import { ArrowLeftOutlined, CheckOutlined, HistoryOutlined, QuestionCircleOutlined, RedoOutlined, SearchOutlined, StopOutlined } from '@ant-design/icons';
import { useNavigate, useParams } from 'react-router';
import { describeError } from '../shell/errors';
import { useI18n } from '../shell/i18n';
import { EmptyState, ErrorState, Loading } from '../shell/states';
import { useAsync } from '../shell/useAsync';
import { Entry, EntryPage, Suggestion, Term, codeText, mappingApi, whyTags } from './api';
import { ENTRY_STATUSES, EntryStatusTag, WhyTags, useLabel } from './parts';

const PAGE = 50;

/** Whether a key press belongs to a text field (and not to the workbench). */
function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  return el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.isContentEditable || !!el.closest?.('.ant-select');
}

/** The review workbench of one task: a filtered queue, the current entry with its candidates, keyboard first. */
export default function Workbench() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const label = useLabel();
  const { message } = App.useApp();
  const navigate = useNavigate();

  const meta = useAsync(async () => {
    const task = (await mappingApi.tasks()).find(x => x.id === id) ?? null;
    const dictionary = task ? (await mappingApi.dictionaries(task.institution)).find(d => d.id === task.dictionaryId) ?? null : null;
    return { task, vocabulary: task?.vocabulary ?? dictionary?.vocabulary ?? null, secondCheck: !!dictionary?.secondCheck };
  }, [id]);

  const [status, setStatus] = useState<string>('');
  const [q, setQ] = useState('');
  const [minConfidence, setMinConfidence] = useState<number | null>(null);
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<EntryPage | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [cursor, setCursor] = useState(0);
  const focusId = useRef<string | null>(null);
  const [selection, setSelection] = useState<string[]>([]);
  const [multi, setMulti] = useState(false);
  const [checked, setChecked] = useState<string[]>([]);
  const [searching, setSearching] = useState(false);
  const [unmappable, setUnmappable] = useState(false);
  const [help, setHelp] = useState(false);
  const [historyOf, setHistoryOf] = useState<Entry | null>(null);
  const [busy, setBusy] = useState(false);
  const [tick, setTick] = useState(0);

  const reload = useCallback((nextFocus?: string | null) => {
    focusId.current = nextFocus ?? null;
    setTick(x => x + 1);
  }, []);

  useEffect(() => {
    let live = true;
    mappingApi.entries(id, { status: status || undefined, q: q || undefined, minConfidence: minConfidence ?? undefined, offset, limit: PAGE }).then(
      p => {
        if (!live) return;
        setLoadError(null);
        setPage(p);
        setCursor(c => {
          const at = focusId.current ? p.items.findIndex(e => e.id === focusId.current) : -1;
          return at >= 0 ? at : Math.max(0, Math.min(c, p.items.length - 1));
        });
      },
      err => live && setLoadError(err),
    );
    return () => {
      live = false;
    };
  }, [id, status, q, minConfidence, offset, tick]);

  const items = page?.items ?? [];
  const entry: Entry | undefined = items[cursor];
  const suggestions: Suggestion[] = useMemo(() => (entry?.suggestions ?? []).map(s => ({ ...s, why: whyTags(s.why) })), [entry]);

  // A fresh entry starts with the proposed set, else the top candidate.
  useEffect(() => {
    if (!entry) return setSelection([]);
    const proposal = entry.proposal?.length ? entry.proposal : suggestions[0] ? [suggestions[0].code] : [];
    setSelection(proposal);
    setMulti(proposal.length > 1);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [entry?.id, entry?.status]);

  const queueRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    queueRef.current?.querySelector('[data-active="true"]')?.scrollIntoView({ block: 'nearest' });
  }, [cursor, page]);

  const run = useCallback(
    async (fn: () => Promise<unknown>, ok: string | ((result: unknown) => string), advance = true) => {
      if (busy) return;
      setBusy(true);
      try {
        const result = await fn();
        message.success(typeof ok === 'string' ? ok : ok(result));
        reload(advance ? items[cursor + 1]?.id ?? null : entry?.id ?? null);
      } catch (err) {
        message.error(describeError(t, err));
      } finally {
        setBusy(false);
      }
    },
    [busy, message, reload, items, cursor, entry, t],
  );

  const confirm = useCallback(
    (codes: string[]) => {
      if (!entry || !codes.length || entry.status === 'review') return;
      // With a second check the entry goes to review, not to confirmed: say which.
      void run(
        () => mappingApi.confirm(entry.id, codes),
        result => t((result as { status?: string })?.status === 'review' ? 'map.submittedOne' : 'map.confirmedOne', { code: entry.code, codes: codes.join('、') }),
      );
    },
    [entry, run, t],
  );
  const redo = useCallback(() => {
    if (entry) void run(() => mappingApi.redo(entry.id), t('map.redone'), false);
  }, [entry, run, t]);

  const pick = useCallback(
    (n: number) => {
      const s = suggestions[n];
      if (!s) return;
      setSelection(sel => (multi ? (sel.includes(s.code) ? sel.filter(c => c !== s.code) : [...sel, s.code]) : [s.code]));
    },
    [suggestions, multi],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (searching || unmappable || help || e.ctrlKey || e.metaKey || e.altKey) return;
      if (typing(e.target)) return;
      const k = e.key;
      if (k === 'ArrowDown' || k === 'j') setCursor(c => Math.min(c + 1, items.length - 1));
      else if (k === 'ArrowUp' || k === 'k') setCursor(c => Math.max(c - 1, 0));
      else if (/^[1-9]$/.test(k)) pick(Number(k) - 1);
      else if (k === 'Enter') confirm(selection);
      else if (k === '/') setSearching(true);
      else if (k === 'u') setUnmappable(!!entry);
      else if (k === 'r') redo();
      else if (k === 's') setMulti(m => !m);
      else if (k === 'h') setHistoryOf(entry ?? null);
      else if (k === '?') setHelp(true);
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [searching, unmappable, help, items.length, pick, confirm, selection, redo, entry]);

  if (meta.error) return <ErrorState error={meta.error} onRetry={meta.reload} />;
  if (meta.loading && !meta.data) return <Loading />;
  const task = meta.data?.task;

  return (
    <div data-testid="workbench">
      <div className="ls-page-header">
        <Space direction="vertical" size={0}>
          <Space>
            <Button type="text" icon={<ArrowLeftOutlined />} onClick={() => navigate('/mapping/tasks')}>
              {t('map.backToTasks')}
            </Button>
            <Typography.Title level={4} style={{ margin: 0 }}>
              {task ? `${task.institutionName ?? task.institution} · ${task.name}` : id}
            </Typography.Title>
            {task && <Tag>{label('map.kind', task.kind)}</Tag>}
            {meta.data?.secondCheck && <Tag color="purple">{t('map.secondCheck')}</Tag>}
          </Space>
          {task && (
            <Space size="large" style={{ paddingLeft: 40 }}>
              <span>{t('map.pctSuggested')} <Progress percent={Math.round(task.pctSuggested)} size="small" format={p => `${p}%`} style={{ width: 140, display: 'inline-flex' }} /></span>
              <span>{t('map.pctConfirmed')} <Progress percent={Math.round(task.pctConfirmed)} size="small" strokeColor="#52c41a" format={p => `${p}%`} style={{ width: 140, display: 'inline-flex' }} /></span>
            </Space>
          )}
        </Space>
        <Button icon={<QuestionCircleOutlined />} onClick={() => setHelp(true)} data-testid="keys-help">
          {t('map.keys')} (?)
        </Button>
      </div>
      <Row gutter={16}>
        <Col xs={24} lg={8} xxl={7}>
          <Card size="small" title={t('map.queue')} extra={page ? <Typography.Text type="secondary" data-testid="queue-total">{page.total}</Typography.Text> : null}>
            <Space direction="vertical" style={{ width: '100%' }}>
              <Select
                value={status}
                style={{ width: '100%' }}
                onChange={v => { setStatus(v); setOffset(0); setCursor(0); }}
                options={[{ value: '', label: t('map.any') }, ...ENTRY_STATUSES.map(s => ({ value: s, label: label('map.entry', s) }))]}
                data-testid="queue-status"
              />
              <Space.Compact style={{ width: '100%' }}>
                <Input.Search allowClear placeholder={t('map.filterText')} onSearch={v => { setQ(v.trim()); setOffset(0); setCursor(0); }} data-testid="queue-text" />
                <InputNumber min={0} max={1} step={0.05} placeholder={t('map.minConfidence')} value={minConfidence} onChange={v => { setMinConfidence(v); setOffset(0); }} style={{ width: 130 }} data-testid="queue-confidence" />
              </Space.Compact>
              {checked.length > 0 && (
                <Button
                  block
                  icon={<RedoOutlined />}
                  onClick={() => void run(async () => { await mappingApi.redoSet(id, checked); setChecked([]); }, t('map.redoneMany', { count: checked.length }), false)}
                  data-testid="redo-selected"
                >
                  {t('map.redoSelected', { count: checked.length })}
                </Button>
              )}
            </Space>
            <div ref={queueRef} className="ls-map-queue" style={{ maxHeight: 'calc(100vh - 420px)', minHeight: 240, overflowY: 'auto', marginTop: 8 }} data-testid="queue">
              {loadError ? (
                <ErrorState error={loadError} onRetry={() => reload()} />
              ) : !page ? (
                <Spin />
              ) : items.length === 0 ? (
                <Empty description={t('map.noEntry')} />
              ) : (
                items.map((e, i) => (
                  <div
                    key={e.id}
                    data-testid="queue-item"
                    data-active={i === cursor}
                    data-code={e.code}
                    data-status={e.status}
                    onClick={() => setCursor(i)}
                    style={{
                      display: 'flex',
                      gap: 8,
                      alignItems: 'center',
                      padding: '6px 8px',
                      cursor: 'pointer',
                      borderRadius: 6,
                      background: i === cursor ? '#e6f4ff' : undefined,
                      borderLeft: i === cursor ? '3px solid #1677ff' : '3px solid transparent',
                    }}
                  >
                    <Checkbox checked={checked.includes(e.id)} onClick={ev => ev.stopPropagation()} onChange={ev => setChecked(c => (ev.target.checked ? [...c, e.id] : c.filter(x => x !== e.id)))} />
                    <div style={{ flex: 1, minWidth: 0 }}>
                      <div style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>{e.code}</Typography.Text> {e.name}
                      </div>
                    </div>
                    {e.status === 'suggested' && (e.confidence ?? e.suggestions?.[0]?.confidence) != null && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{(e.confidence ?? e.suggestions[0].confidence).toFixed(2)}</Typography.Text>}
                    <EntryStatusTag status={e.status} />
                  </div>
                ))
              )}
            </div>
            {page && page.total > PAGE && (
              <Pagination size="small" simple current={offset / PAGE + 1} pageSize={PAGE} total={page.total} onChange={p => { setOffset((p - 1) * PAGE); setCursor(0); }} style={{ marginTop: 8 }} />
            )}
          </Card>
          <BatchAccept taskId={id} onDone={() => reload(entry?.id)} />
        </Col>
        <Col xs={24} lg={16} xxl={17}>
          {!entry ? (
            <Card>
              <Empty description={t('map.noEntry')} />
            </Card>
          ) : (
            <Card
              data-testid="current-entry"
              data-code={entry.code}
              data-status={entry.status}
              title={
                <Space>
                  <Typography.Text type="secondary">{t('map.localEntry')}</Typography.Text>
                  <Typography.Text code>{entry.code}</Typography.Text>
                  <Typography.Text strong style={{ fontSize: 16 }} data-testid="current-name">{entry.name}</Typography.Text>
                  <EntryStatusTag status={entry.status} />
                </Space>
              }
              extra={<Typography.Text type="secondary">{t('map.position', { n: offset + cursor + 1, total: page?.total ?? 0 })}</Typography.Text>}
            >
              {entry.status === 'review' && (
                <Alert
                  type="info"
                  showIcon
                  message={t('map.inReview')}
                  description={entry.pendingCodes?.length ? <Space wrap>{t('map.pendingCodes')}：{entry.pendingCodes.map(c => <Tag key={codeText(c)} color="purple">{codeText(c)}</Tag>)}</Space> : undefined}
                  style={{ marginBottom: 12 }}
                  data-testid="in-review"
                />
              )}
              {entry.mapping?.codes?.length ? (
                <Descriptions size="small" column={1} style={{ marginBottom: 12 }}>
                  <Descriptions.Item label={t('map.current')}>
                    <Space wrap data-testid="current-mapping">
                      {entry.mapping.codes.map(c => (
                        <Tag key={c.code} color={entry.status === 'review' ? 'purple' : 'green'}>
                          {c.code} {c.name}
                        </Tag>
                      ))}
                      {entry.mapping.auto && <Tag>{t('map.auto')}</Tag>}
                      {entry.mapping.by && <Typography.Text type="secondary">{entry.mapping.by} · {entry.mapping.at ? new Date(entry.mapping.at).toLocaleString() : ''}</Typography.Text>}
                    </Space>
                  </Descriptions.Item>
                </Descriptions>
              ) : null}
              {entry.status === 'unmappable' && entry.reason && <Alert type="warning" showIcon message={entry.reason} style={{ marginBottom: 12 }} />}
              {entry.proposal && entry.proposal.length > 1 && (
                <Alert type="success" style={{ marginBottom: 12 }} message={<Space wrap>{t('map.proposal')}：{entry.proposal.map(c => <Tag key={c}>{c}</Tag>)}</Space>} data-testid="proposal" />
              )}
              <Table<Suggestion>
                size="small"
                rowKey="code"
                pagination={false}
                dataSource={suggestions}
                locale={{ emptyText: t('map.noSuggestions') }}
                data-testid="suggestions"
                onRow={(s, i) => ({
                  onClick: () => pick(i ?? 0),
                  style: { cursor: 'pointer', background: selection.includes(s.code) ? '#f6ffed' : undefined },
                  'data-selected': selection.includes(s.code),
                  'data-code': s.code,
                } as React.HTMLAttributes<HTMLElement>)}
                columns={[
                  { title: '#', key: 'n', width: 48, render: (_, __, i) => <Tag color={selection.includes(suggestions[i].code) ? 'green' : undefined}>{i + 1}</Tag> },
                  { title: t('map.code'), dataIndex: 'code', width: 110 },
                  { title: t('map.name'), dataIndex: 'name', width: '32%' },
                  { title: t('map.score'), dataIndex: 'score', width: 80, align: 'right', render: (v: number) => v.toFixed(2) },
                  { title: t('map.confidence'), dataIndex: 'confidence', width: 140, render: (v: number) => <Progress percent={Math.round(v * 100)} size="small" format={p => `${p}%`} strokeColor={v >= 0.9 ? '#52c41a' : v >= 0.6 ? '#1677ff' : '#faad14'} /> },
                  { title: t('map.why'), dataIndex: 'why', render: w => <WhyTags why={w} /> },
                ]}
              />
              <Space wrap style={{ marginTop: 16 }}>
                <Button type="primary" icon={<CheckOutlined />} disabled={!selection.length || busy || entry.status === 'review'} onClick={() => confirm(selection)} data-testid="accept">
                  {selection.length > 1 ? t('map.acceptSelected', { count: selection.length }) : t('map.accept')} (Enter)
                </Button>
                <Button icon={<SearchOutlined />} onClick={() => setSearching(true)} data-testid="pick-another">
                  {t('map.pickAnother')} (/)
                </Button>
                <Button danger icon={<StopOutlined />} onClick={() => setUnmappable(true)} data-testid="mark-unmappable">
                  {t('map.markUnmappable')} (u)
                </Button>
                <Button icon={<RedoOutlined />} onClick={redo} data-testid="redo">
                  {t('map.redo')} (r)
                </Button>
                <Button icon={<HistoryOutlined />} onClick={() => setHistoryOf(entry)} data-testid="history">
                  {t('map.history')} (h)
                </Button>
                <Space>
                  <Switch size="small" checked={multi} onChange={setMulti} data-testid="multi" />
                  {t('map.multiSelect')} (s)
                </Space>
              </Space>
              {multi && selection.length > 0 && (
                <div style={{ marginTop: 8 }} data-testid="selection">
                  {selection.map(c => (
                    <Tag key={c} closable onClose={() => setSelection(s => s.filter(x => x !== c))} color="green">
                      {c}
                    </Tag>
                  ))}
                </div>
              )}
            </Card>
          )}
        </Col>
      </Row>
      <SearchModal
        open={searching}
        vocabulary={meta.data?.vocabulary ?? null}
        initial={entry?.name ?? ''}
        onClose={() => setSearching(false)}
        onPick={term => {
          setSearching(false);
          if (multi) setSelection(s => (s.includes(term.code) ? s : [...s, term.code]));
          else confirm([term.code]);
        }}
      />
      <UnmappableModal
        open={unmappable}
        onClose={() => setUnmappable(false)}
        onSubmit={reason => {
          setUnmappable(false);
          if (entry) void run(() => mappingApi.unmappable(entry.id, reason), t('map.markedUnmappable'));
        }}
      />
      <KeysHelp open={help} onClose={() => setHelp(false)} />
      <HistoryDrawer entry={historyOf} onClose={() => setHistoryOf(null)} />
    </div>
  );
}

/** "/": search the task's vocabulary and pick another code; ↑/↓ and Enter work inside. */
function SearchModal({ open, vocabulary, initial, onClose, onPick }: { open: boolean; vocabulary: string | null; initial: string; onClose(): void; onPick(term: Term): void }) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const [terms, setTerms] = useState<Term[]>([]);
  const [at, setAt] = useState(0);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const input = useRef<InputRef>(null);
  useEffect(() => {
    if (open) setText(initial);
  }, [open, initial]);
  useEffect(() => {
    if (!open || !vocabulary || !text.trim()) {
      setTerms([]);
      return;
    }
    let live = true;
    setLoading(true);
    const timer = setTimeout(() => {
      mappingApi.terms(vocabulary, text.trim(), 20).then(
        r => live && (setTerms(r), setAt(0), setError(null), setLoading(false)),
        e => live && (setError(e), setLoading(false)),
      );
    }, 200);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [open, vocabulary, text]);
  return (
    <Modal open={open} title={t('map.pickAnother')} footer={null} onCancel={onClose} width={720} afterOpenChange={o => o && input.current?.select()} destroyOnHidden>
      <Input
        ref={input}
        autoFocus
        allowClear
        prefix={<SearchOutlined />}
        value={text}
        placeholder={t('map.searchPlaceholder')}
        onChange={e => setText(e.target.value)}
        onKeyDown={e => {
          if (e.key === 'ArrowDown') setAt(a => Math.min(a + 1, terms.length - 1));
          else if (e.key === 'ArrowUp') setAt(a => Math.max(a - 1, 0));
          else if (e.key === 'Enter' && terms[at]) onPick(terms[at]);
          else return;
          e.preventDefault();
        }}
        data-testid="vocab-search"
      />
      {error ? <Alert type="error" message={describeError(t, error)} style={{ marginTop: 8 }} /> : null}
      <div style={{ marginTop: 8, maxHeight: 420, overflowY: 'auto' }} data-testid="vocab-results">
        {loading && !terms.length ? <Spin /> : null}
        {!loading && !error && text.trim() && !terms.length ? <EmptyState description={t('map.noTerms')} /> : null}
        {terms.map((term, i) => (
          <div
            key={term.code}
            data-testid="vocab-term"
            data-code={term.code}
            data-active={i === at}
            onMouseEnter={() => setAt(i)}
            onClick={() => onPick(term)}
            style={{ padding: '6px 8px', cursor: 'pointer', borderRadius: 6, background: i === at ? '#e6f4ff' : undefined }}
          >
            <Typography.Text code>{term.code}</Typography.Text> {term.name}
            {term.aliases?.length ? <Typography.Text type="secondary" style={{ fontSize: 12 }}>　{term.aliases.join('、')}</Typography.Text> : null}
          </div>
        ))}
      </div>
    </Modal>
  );
}

function UnmappableModal({ open, onClose, onSubmit }: { open: boolean; onClose(): void; onSubmit(reason: string): void }) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  const input = useRef<InputRef>(null);
  useEffect(() => {
    if (open) setReason(t('map.unmappableDefault'));
  }, [open, t]);
  return (
    <Modal open={open} title={t('map.unmappableReason')} onCancel={onClose} onOk={() => reason.trim() && onSubmit(reason.trim())} okButtonProps={{ danger: true, 'data-testid': 'unmappable-ok' }} afterOpenChange={o => o && input.current?.focus()} destroyOnHidden>
      <Input ref={input} autoFocus value={reason} onChange={e => setReason(e.target.value)} onPressEnter={() => reason.trim() && onSubmit(reason.trim())} data-testid="unmappable-reason" />
    </Modal>
  );
}

function KeysHelp({ open, onClose }: { open: boolean; onClose(): void }) {
  const { t } = useI18n();
  const rows: Array<[string, string]> = [
    ['↑ / ↓ · k / j', t('map.key.move')],
    ['1 – 9', t('map.key.pick')],
    ['Enter', t('map.key.accept')],
    ['/', t('map.key.search')],
    ['u', t('map.key.unmappable')],
    ['r', t('map.key.redo')],
    ['s', t('map.key.multi')],
    ['h', t('map.key.history')],
    ['?', t('map.key.help')],
  ];
  return (
    <Modal open={open} title={t('map.keysHelp')} footer={null} onCancel={onClose} data-testid="keys-modal">
      <Table size="small" pagination={false} showHeader={false} rowKey={r => r[0]} dataSource={rows} columns={[{ key: 'k', width: 140, render: (_, r) => <Typography.Text keyboard>{r[0]}</Typography.Text> }, { key: 'v', render: (_, r) => r[1] }]} />
    </Modal>
  );
}

function HistoryDrawer({ entry, onClose }: { entry: Entry | null; onClose(): void }) {
  const { t } = useI18n();
  const label = useLabel();
  const events = useAsync(() => (entry ? mappingApi.history(entry.id) : Promise.resolve([])), [entry?.id]);
  return (
    <Drawer open={!!entry} width={520} title={entry ? t('map.historyTitle', { code: entry.code, name: entry.name }) : ''} onClose={onClose} destroyOnHidden>
      {events.error ? (
        <ErrorState error={events.error} onRetry={events.reload} />
      ) : events.loading ? (
        <Spin />
      ) : !events.data?.length ? (
        <Empty description={t('map.noHistory')} />
      ) : (
        <Timeline
          data-testid="history-timeline"
          items={events.data.map(ev => ({
            color: ev.action === 'unmappable' || ev.action === 'rejected' ? 'red' : ev.action === 'submitted' ? 'purple' : ev.action === 'redo' ? 'gray' : 'green',
            children: (
              <div>
                <Typography.Text strong>{label('map.action', ev.action)}</Typography.Text> <Typography.Text type="secondary">{ev.by} · {new Date(ev.at).toLocaleString()}</Typography.Text>
                {ev.codes?.length ? <div>{ev.codes.map(c => <Tag key={codeText(c)}>{codeText(c)}</Tag>)}</div> : null}
                {ev.comment ? <div><Typography.Text type="secondary">{ev.comment}</Typography.Text></div> : null}
              </div>
            ),
          }))}
        />
      )}
    </Drawer>
  );
}

/** Accept every suggestion at or above a confidence, with a count of what that takes first. */
function BatchAccept({ taskId, onDone }: { taskId: string; onDone(): void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [threshold, setThreshold] = useState(0.9);
  const [count, setCount] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setCount(null);
    const timer = setTimeout(() => {
      mappingApi.entries(taskId, { status: 'suggested', minConfidence: threshold, limit: 1 }).then(
        p => live && setCount(p.total),
        () => live && setCount(null),
      );
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [taskId, threshold, tick]);
  const go = async () => {
    setBusy(true);
    try {
      const { accepted } = await mappingApi.batchAccept(taskId, threshold);
      message.success(t('map.batchDone', { accepted }));
      setTick(x => x + 1);
      onDone();
    } catch (err) {
      message.error(describeError(t, err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card size="small" title={t('map.batchAccept')} style={{ marginTop: 16 }} data-testid="batch-accept">
      <Typography.Text>{t('map.batchThreshold', { threshold: threshold.toFixed(2) })}</Typography.Text>
      <div data-testid="batch-threshold">
        <Slider min={0.5} max={1} step={0.01} value={threshold} onChange={setThreshold} />
      </div>
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Text type="secondary" data-testid="batch-preview" data-count={count ?? ''}>
          {count === null ? '…' : t('map.batchPreview', { count })}
        </Typography.Text>
        <Popconfirm title={t('map.batchPreview', { count: count ?? 0 })} onConfirm={go} okButtonProps={{ 'data-testid': 'batch-confirm' }}>
          <Button type="primary" loading={busy} disabled={!count} data-testid="batch-go">
            {t('map.batchAccept')}
          </Button>
        </Popconfirm>
      </Space>
    </Card>
  );
}
