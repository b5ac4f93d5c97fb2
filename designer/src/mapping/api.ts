import { ApiError, api, download, getToken, query, request } from '../shell/api';

/** Shapes of /api/mapping (docs/mapping-api.md). */
export interface Vocabulary {
  code: string;
  name: string;
  domain: string;
  valueDomain?: string | null;
  terms: number;
  autoAccept?: number | null;
  version?: string | number | null;
  importedAt?: string | null;
}

export interface Term {
  code: string;
  name: string;
  aliases?: string[];
}

export interface Dictionary {
  id: string;
  institution: string;
  institutionName?: string | null;
  kind: string;
  name: string;
  vocabulary: string;
  version: number | null;
  entries: number;
  loadedAt?: string | null;
  secondCheck?: boolean;
  autoAccept?: number | null;
  taskId?: string;
}

export interface LoadSummary {
  version: number;
  loadedAt?: string;
  by?: string;
  added: number;
  changed: number;
  removed: number;
  unchanged: number;
}

export interface EntryChange {
  code: string;
  change: 'added' | 'changed' | 'removed';
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

export interface Task {
  id: string;
  dictionaryId: string;
  institution: string;
  institutionName?: string | null;
  kind: string;
  name: string;
  vocabulary?: string;
  assignee: string | null;
  status: string;
  total: number;
  pending?: number;
  suggested: number;
  confirmed: number;
  auto?: number;
  unmappable: number;
  inReview: number;
  pctSuggested: number;
  pctConfirmed: number;
}

export interface Why {
  signal: string;
  label: string;
  value?: number | string | null;
}

export interface Suggestion {
  code: string;
  name: string;
  score: number;
  confidence: number;
  why: Why[];
}

export type EntryStatus = 'pending' | 'suggested' | 'confirmed' | 'unmappable' | 'review';

export interface Entry {
  id: string;
  code: string;
  name: string;
  status: EntryStatus;
  mapping?: { codes: Array<{ code: string; name?: string }>; by?: string; at?: string; auto?: boolean } | null;
  proposal?: string[] | null;
  suggestions: Suggestion[];
  confidence?: number | null;
  attributes?: Record<string, unknown> | null;
  /** Codes waiting for the second check (status review). */
  pendingCodes?: Array<string | { code: string; name?: string }> | null;
  reviewInstance?: string | null;
  reason?: string | null;
}

export interface EntryPage {
  total: number;
  items: Entry[];
}

export interface HistoryEvent {
  at: string;
  by: string;
  action: string;
  codes?: Array<string | { code: string; name?: string }>;
  comment?: string | null;
}

export interface ProgressRow {
  institution?: string;
  kind?: string;
  name?: string;
  total: number;
  pending?: number;
  /** Entries that have suggestions, confirmed ones that had them included. */
  suggested: number;
  confirmed: number;
  unmappable: number;
  inReview?: number;
}

export interface Progress {
  institutions: ProgressRow[];
  byKind: ProgressRow[];
  totals: ProgressRow;
}

/** A confirmed mapping of the knowledge base (GET /api/mapping/knowledge). */
export interface KnowledgeRow {
  id: string;
  institution: string;
  institutionName?: string | null;
  vocabulary: string;
  sourceCode?: string | null;
  sourceText: string;
  normalized: string;
  codes: Array<{ code: string; name: string }>;
  by: string;
  at: string;
}

export interface KnowledgePage {
  total: number;
  items: KnowledgeRow[];
}

export type TranslateSource = 'entry' | 'local-code' | 'text' | 'suggester' | 'none';

export interface TranslateResult {
  codes: string[];
  status: 'confirmed' | 'auto' | 'unmapped';
  source: TranslateSource;
  confidence: number;
  terms?: Array<{ code: string; name: string }>;
  /** The dictionary whose entry or vocabulary answered. */
  dictionary?: string;
  /** When unmapped: the suggester's best candidates, for review. */
  candidates?: Array<{ code: string; name: string; confidence: number }>;
}

export interface TranslateItem {
  code?: string;
  text?: string;
}

/** What GET /api/jobs/{id} answers (platform/src/jobs/runner.ts JobView). */
export const M = '/api/mapping';

/** The signals of a suggestion as tags, whether the server sends objects or plain words. */
export function whyTags(why: unknown): Why[] {
  if (!Array.isArray(why)) return [];
  return why.map(w => (typeof w === 'string' ? { signal: w, label: w } : (w as Why)));
}

/** Posts a file as it is (CSV, TSV or XLSX) to a mapping endpoint; the format goes in the query. */
export async function upload<T>(path: string, file: File, params: Record<string, string | undefined>): Promise<T> {
  const format = params.format ?? formatOf(file.name);
  const type = format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : format === 'tsv' ? 'text/tab-separated-values' : 'text/csv';
  const headers: Record<string, string> = { 'content-type': type, accept: 'application/json' };
  const token = getToken();
  if (token) headers.authorization = `Bearer ${token}`;
  let res: Response;
  try {
    res = await fetch(`${path}${query({ ...params, format })}`, { method: 'POST', headers, body: file });
  } catch {
    throw new ApiError(0, 'NetworkError', 'network');
  }
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new ApiError(res.status, body.error?.name ?? String(res.status), body.error?.message ?? res.statusText, body.error?.details ?? []);
  return body as T;
}

/** Posts text (JSON Lines) as the raw body; errors as ApiError with their details. */
export async function postText<T>(path: string, text: string, type = 'application/x-ndjson'): Promise<T> {
  const headers: Record<string, string> = { 'content-type': type, accept: 'application/json' };
  const token = getToken();
  if (token) headers.authorization = `Bearer ${token}`;
  let res: Response;
  try {
    res = await fetch(path, { method: 'POST', headers, body: text });
  } catch {
    throw new ApiError(0, 'NetworkError', 'network');
  }
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new ApiError(res.status, body.error?.name ?? String(res.status), body.error?.message ?? res.statusText, body.error?.details ?? []);
  return body as T;
}


export function formatOf(name: string): 'csv' | 'tsv' | 'xlsx' {
  const lower = name.toLowerCase();
  if (lower.endsWith('.xlsx')) return 'xlsx';
  if (lower.endsWith('.tsv') || lower.endsWith('.txt')) return 'tsv';
  return 'csv';
}

export const mappingApi = {
  vocabularies: () => api.get<Vocabulary[]>(`${M}/vocabularies`),
  createVocabulary: (body: { code: string; name: string; domain: string; autoAccept?: number }) => api.post<Vocabulary>(`${M}/vocabularies`, body),
  terms: (code: string, q: string, limit = 20) => api.get<Term[]>(`${M}/vocabularies/${encodeURIComponent(code)}/terms${query({ q, limit })}`),
  dictionaries: (institution?: string, kind?: string) => api.get<Dictionary[]>(`${M}/dictionaries${query({ institution, kind })}`),
  createDictionary: (body: { institution: string; kind: string; name: string; vocabulary: string; secondCheck?: boolean }) => api.post<{ id: string; taskId?: string }>(`${M}/dictionaries`, body),
  loads: (id: string) => api.get<LoadSummary[]>(`${M}/dictionaries/${encodeURIComponent(id)}/loads`),
  changes: (id: string, version: number) => api.get<EntryChange[]>(`${M}/dictionaries/${encodeURIComponent(id)}/loads/${version}/changes`),
  tasks: (params: { institution?: string; status?: string; mine?: string } = {}) => api.get<Task[]>(`${M}/tasks${query(params)}`),
  claim: (id: string) => api.post(`${M}/tasks/${encodeURIComponent(id)}/claim`),
  assign: (id: string, user: string) => api.post(`${M}/tasks/${encodeURIComponent(id)}/assign`, { user }),
  suggest: (id: string) => api.post<{ jobId: string }>(`${M}/tasks/${encodeURIComponent(id)}/suggest`),
  entries: (id: string, params: { status?: string; q?: string; minConfidence?: number; offset?: number; limit?: number }) =>
    api.get<EntryPage>(`${M}/tasks/${encodeURIComponent(id)}/entries${query(params)}`),
  confirm: (entryId: string, codes: string[]) => api.post(`${M}/entries/${encodeURIComponent(entryId)}/confirm`, { codes }),
  unmappable: (entryId: string, reason: string) => api.post(`${M}/entries/${encodeURIComponent(entryId)}/unmappable`, { reason }),
  redoSet: (taskId: string, entryIds: string[]) => api.post<{ redone: number }>(`${M}/tasks/${encodeURIComponent(taskId)}/redo`, { entryIds }),
  redo: (entryId: string) => api.post(`${M}/entries/${encodeURIComponent(entryId)}/redo`),
  batchAccept: (taskId: string, threshold: number) => api.post<{ accepted: number }>(`${M}/tasks/${encodeURIComponent(taskId)}/batch-accept`, { threshold }),
  history: (entryId: string) => api.get<HistoryEvent[]>(`${M}/entries/${encodeURIComponent(entryId)}/history`),
  progress: () => api.get<Progress>(`${M}/progress`),
  updateVocabulary: (code: string, body: { name?: string; autoAccept?: number | null }) => request<Vocabulary>('PATCH', `${M}/vocabularies/${encodeURIComponent(code)}`, body),
  deleteVocabulary: (code: string) => api.del<{ deleted: string; terms: number }>(`${M}/vocabularies/${encodeURIComponent(code)}`),
  updateDictionary: (id: string, body: { name?: string; secondCheck?: boolean; autoAccept?: number | null }) => request<Dictionary>('PATCH', `${M}/dictionaries/${encodeURIComponent(id)}`, body),
  deleteDictionary: (id: string) => api.del<{ deleted: string; entries: number; loads: number }>(`${M}/dictionaries/${encodeURIComponent(id)}`),
  knowledge: (params: { q?: string; institution?: string; vocabulary?: string; offset?: number; limit?: number }) => api.get<KnowledgePage>(`${M}/knowledge${query(params)}`),
  importKnowledge: (text: string) => postText<{ imported: number }>(`${M}/knowledge/import`, text),
  exportKnowledge: () => download(`${M}/knowledge/export`, 'mapping-knowledge.jsonl'),
  translate: (body: { institution: string; dictionary: string; items: TranslateItem[] }) => api.post<TranslateResult[]>(`${M}/translate`, body),
};

/** A code as a word, whether the server sends 'I10' or {code: 'I10', name}. */
export function codeText(c: string | { code: string; name?: string | null }): string {
  return typeof c === 'string' ? c : c.name ? `${c.code} ${c.name}` : c.code;
}

/** Percent of a part, one decimal. */
export function pct(part: number, total: number): number {
  return total > 0 ? Math.round((part / total) * 1000) / 10 : 0;
}
