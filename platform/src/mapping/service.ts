import { Mapper, NEURAL_WEIGHT, SIGNAL_LABELS, core, importVocabulary, pinyinInitials, type Confirmation, type Feature, type OnnxNeuralStage, type Suggestion, type Term } from '@lingshu/mapping';
import type { AuditWriter } from '../audit/writer';
import type { Database, Queryable } from '../database/types';
import type { JobContext, JobRunner } from '../jobs/runner';
import { ApiError, badRequest, conflict, notFound, type ErrorDetail } from '../util/errors';
import { uuidv7 } from '../util/ids';
import type { ActionContext, Who, WorkflowService } from '../workflow/service';
import { MappingSync, type MappingChange } from './sync';
import { MAX_UPLOAD, checkEntries, entriesFromRows, readTable, tableFormat, type SourceEntry, type Upload } from './parse';

export const VOCABULARY_DOMAINS = ['diagnosis', 'operation', 'drug', 'lab', 'exam', 'department', 'value-domain'] as const;
export const DICTIONARY_KINDS = [
  'department-outpatient', 'department-admin', 'department-checkup', 'value-domain', 'drug', 'diagnosis', 'operation', 'exam', 'lab', 'lab-order-item',
] as const;
export const ENTRY_STATUSES = ['pending', 'suggested', 'confirmed', 'unmappable', 'review'] as const;
export const IMPORT_JOB = 'mapping.vocabulary-import';
export const SUGGEST_JOB = 'mapping.suggest';
export const REVIEW_PROCESS = 'generic-review';
const REVIEW_KEY_PREFIX = 'mapping-entry:';
const DEFAULT_AUTO_ACCEPT = 0.9;
const TOP_K = 5;
const TRANSLATE_CANDIDATES = 3;
const IMPORT_BATCH = 1000;
const SUGGEST_BATCH = 50;
const VOCAB_CODE = /^[^\u0000-\u001f]{1,100}$/;

export type EntryStatus = (typeof ENTRY_STATUSES)[number];

interface VocabularyRow {
  code: string;
  name: string;
  domain: string;
  value_domain: string | null;
  version: number;
  terms: number;
  auto_accept: number | null;
  imported_at: string | null;
}

interface DictionaryRow {
  id: string;
  institution: string;
  kind: string;
  name: string;
  vocabulary: string;
  second_check: boolean;
  auto_accept: number | null;
  version: number;
  loaded_at: string | null;
}

interface EntryRow {
  id: string;
  dictionary_id: string;
  code: string;
  name: string;
  attributes: Record<string, string> | null;
  removed: boolean;
  status: EntryStatus;
  codes: string[] | null;
  auto: boolean;
  mapped_by: string | null;
  mapped_at: string | null;
  proposal: string[] | null;
  suggestions: StoredSuggestion[] | null;
  confidence: number | null;
  pending_codes: string[] | null;
  review_instance: string | null;
  reason: string | null;
}

export interface StoredSuggestion {
  code: string;
  name: string;
  score: number;
  confidence: number;
  why: Array<{ signal: string; label: string; value: number }>;
}

export interface TranslateResult {
  codes: string[];
  status: 'confirmed' | 'auto' | 'unmapped';
  source: 'entry' | 'local-code' | 'text' | 'suggester' | 'none';
  confidence: number;
  /** The standard names of `codes`, in the same order. */
  terms: Array<{ code: string; name: string }>;
  /** The dictionary (id) whose entry or vocabulary answered. */
  dictionary: string;
  /** When unmapped by the suggester: its best candidates (for review, never to be used as the answer). */
  candidates?: Array<{ code: string; name: string; confidence: number }>;
}

const ENTRY_COLUMNS = `id, dictionary_id, code, name, attributes, removed, status, codes, auto, mapped_by, mapped_at, proposal, suggestions, confidence,
  pending_codes, review_instance, reason`;
const DICT_COLUMNS = 'id, institution, kind, name, vocabulary, second_check, auto_accept, version, loaded_at';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const iso = (v: string | null | undefined) => (v ? `${v}Z` : null);
const round = (n: number, d = 3) => Math.round(n * 10 ** d) / 10 ** d;
const sameAttributes = (a: Record<string, string> | null, b: Record<string, string>) => JSON.stringify(sortKeys(a ?? {})) === JSON.stringify(sortKeys(b));
const sortKeys = (o: Record<string, string>) => Object.fromEntries(Object.entries(o).sort(([x], [y]) => (x < y ? -1 : 1)));

const forbidden = (message: string, details?: ErrorDetail[]) => new ApiError(403, 'Forbidden', message, details);

function required(field: string, message: string, value?: unknown): ApiError {
  return badRequest(`${field}: ${message}`, [{ field, rule: 'required', message, ...(value !== undefined ? { value } : {}) }]);
}

/**
 * Master-data mapping on the platform: vocabularies and source dictionaries in the database, the
 * matching engine (@lingshu/mapping's Mapper) in memory, loaded at start and updated at once by
 * every confirmation. Every write is audited; the controller checks permissions.
 */
export class MappingService {
  readonly mapper: Mapper;
  /** The neural-similarity stage, when a model is configured (LINGSHU_MAPPING_MODEL). */
  private readonly neural?: OnnxNeuralStage;
  private readonly vocabularies = new Map<string, VocabularyRow>();
  /** dictionary id + local code → the entry's current mapping (confirmed or auto only). */
  private readonly mapped = new Map<string, { codes: string[]; auto: boolean }>();
  /** dictionary id + local code → the entry exists (any status). */
  private readonly known = new Set<string>();
  private workflow?: WorkflowService;
  /** Tells the other platform processes on this database what changed (sync.ts). */
  private readonly sync: MappingSync;

  constructor(
    private readonly db: Database,
    private readonly audit: AuditWriter,
    private readonly jobs: JobRunner,
    options: { neural?: OnnxNeuralStage } = {},
  ) {
    this.neural = options.neural;
    this.mapper = new Mapper(undefined, this.neural ? { neural: this.neural } : {});
    this.sync = new MappingSync(db, uuidv7());
    jobs.register(IMPORT_JOB, ctx => this.runImport(ctx));
    jobs.register(SUGGEST_JOB, ctx => this.runSuggest(ctx));
  }

  /** Second check through the generic review process: its completion approves or rejects the entry. */
  attachWorkflow(workflow: WorkflowService): void {
    this.workflow = workflow;
    workflow.onCompleted(REVIEW_PROCESS, (tx, ctx) => this.reviewCompleted(tx, ctx));
  }

  // ---- institution scope

  /** org code → whether it is an institution (a user bound to one sees only its rows). */
  private readonly orgIsInstitution = new Map<string, boolean>();

  /**
   * The institution a user works for, or null for centre-level users (no org unit, or a city or
   * county unit): those see every institution's dictionaries, tasks, entries and knowledge.
   */
  async scopeOf(who?: Pick<Who, 'orgCode'>): Promise<string | null> {
    const org = who?.orgCode;
    if (!org) return null;
    let institution = this.orgIsInstitution.get(org);
    if (institution === undefined) {
      const [row] = await this.db.query<{ kind: string }>('SELECT kind FROM org_unit WHERE code = $1', [org]);
      institution = !row || row.kind === 'institution';
      this.orgIsInstitution.set(org, institution);
    }
    return institution ? org : null;
  }

  /** 403 when a user bound to an institution names another one (a filter, a new dictionary, translate). */
  private async checkInstitution(who: Pick<Who, 'orgCode'> | undefined, institution: string | undefined, field = 'institution'): Promise<string | null> {
    const scope = await this.scopeOf(who);
    if (scope && institution !== undefined && institution !== scope) {
      throw forbidden(`${field}: your account works for institution ${scope} only`, [{ field, rule: 'scope', message: `only ${scope}`, value: institution.slice(0, 40) }]);
    }
    return scope;
  }

  /** Loads vocabularies, the knowledge base and the current mappings into memory. */
  async load(): Promise<void> {
    for (const v of await this.db.query<VocabularyRow>('SELECT code, name, domain, value_domain, version, terms, auto_accept, imported_at FROM map_vocabulary')) {
      this.vocabularies.set(v.code, v);
      await this.buildSuggester(v);
    }
    for (const k of await this.db.query<{ institution: string; vocabulary: string; source_code: string | null; source_text: string; codes: string[]; by_user: string; at: string }>(
      'SELECT institution, vocabulary, source_code, source_text, codes, by_user, at FROM map_knowledge ORDER BY at, id',
    )) {
      if (!this.vocabularies.has(k.vocabulary)) continue;
      this.mapper.knowledge.confirm({ institution: k.institution, dictionary: k.vocabulary, sourceCode: k.source_code ?? undefined, sourceText: k.source_text, codes: k.codes, by: k.by_user, at: `${k.at}Z` });
    }
    for (const e of await this.db.query<{ dictionary_id: string; code: string; status: string; codes: string[] | null; auto: boolean }>(
      'SELECT dictionary_id, code, status, codes, auto FROM map_entry WHERE NOT removed',
    )) {
      this.known.add(`${e.dictionary_id}\u0000${e.code}`);
      if (e.status === 'confirmed' && e.codes) this.mapped.set(`${e.dictionary_id}\u0000${e.code}`, { codes: e.codes, auto: e.auto });
    }
    await this.sync.listen(change => this.applyChange(change));
  }

  /** Another process changed the mapping state: read the changed rows back. */
  private async applyChange(change: MappingChange): Promise<void> {
    if (change.kind === 'vocabulary') return this.reloadVocabulary(change.code);
    if (change.kind === 'knowledge') {
      const rows = await this.db.query<{ institution: string; vocabulary: string; source_code: string | null; source_text: string; codes: string[]; by_user: string; at: string }>(
        'SELECT institution, vocabulary, source_code, source_text, codes, by_user, at FROM map_knowledge WHERE id = ANY(CAST($1 AS uuid[])) ORDER BY at, id', [change.ids],
      );
      for (const k of rows) {
        if (!this.vocabularies.has(k.vocabulary)) continue;
        this.mapper.confirm({ institution: k.institution, dictionary: k.vocabulary, sourceCode: k.source_code ?? undefined, sourceText: k.source_text, codes: k.codes, by: k.by_user, at: `${k.at}Z` });
      }
      return;
    }
    const prefix = `${change.dictionaryId}\u0000`;
    const rows = await this.db.query<{ code: string; status: string; codes: string[] | null; auto: boolean; removed: boolean }>(
      `SELECT code, status, codes, auto, removed FROM map_entry WHERE dictionary_id = $1${change.codes ? ' AND code = ANY($2)' : ''}`,
      change.codes ? [change.dictionaryId, change.codes] : [change.dictionaryId],
    );
    if (!change.codes) {
      for (const key of [...this.known]) if (key.startsWith(prefix)) this.known.delete(key);
      for (const key of [...this.mapped.keys()]) if (key.startsWith(prefix)) this.mapped.delete(key);
    }
    const seen = new Set(rows.map(r => r.code));
    for (const code of change.codes ?? []) {
      if (seen.has(code)) continue;
      this.known.delete(prefix + code);
      this.mapped.delete(prefix + code);
    }
    for (const r of rows) {
      const key = prefix + r.code;
      if (r.removed) this.known.delete(key);
      else this.known.add(key);
      if (!r.removed && r.status === 'confirmed' && r.codes) this.mapped.set(key, { codes: r.codes, auto: r.auto });
      else this.mapped.delete(key);
    }
  }

  private async reloadVocabulary(code: string): Promise<void> {
    const [row] = await this.db.query<VocabularyRow>('SELECT code, name, domain, value_domain, version, terms, auto_accept, imported_at FROM map_vocabulary WHERE code = $1', [code]);
    const before = this.vocabularies.get(code);
    if (!row) {
      if (!before) return;
      this.vocabularies.delete(code);
      this.mapper.removeVocabulary(code);
      return;
    }
    this.vocabularies.set(code, row);
    if (before && before.version === row.version) this.mapper.suggester(code).autoAcceptAt = row.auto_accept ?? DEFAULT_AUTO_ACCEPT;
    else await this.buildSuggester(row);
  }

  private async buildSuggester(v: VocabularyRow): Promise<void> {
    const rows = await this.db.query<{ code: string; name: string; aliases: string[] | null }>(
      'SELECT code, name, aliases FROM map_term WHERE vocabulary = $1 AND version = $2 ORDER BY code', [v.code, v.version],
    );
    const terms: Term[] = rows.map(r => (r.aliases?.length ? { code: r.code, name: r.name, aliases: r.aliases } : { code: r.code, name: r.name }));
    const s = this.mapper.addVocabulary({ id: v.code, terms }, { autoAccept: v.auto_accept ?? DEFAULT_AUTO_ACCEPT });
    // The name vectors for the neural stage's recall: computed (or read from their file) in the background.
    this.neural?.prepare({ id: v.code, terms: s.terms });
  }

  /** Whether the neural-similarity stage is active, with which model (file name and hash) and the state of its vectors. */
  status() {
    if (!this.neural) return { neural: { active: false as const, setting: 'LINGSHU_MAPPING_MODEL' } };
    const st = this.neural.status();
    const current = new Set(this.listVocabularies().map(v => v.code));
    return {
      neural: {
        active: true as const,
        model: st.model,
        weight: NEURAL_WEIGHT,
        cache: st.cache,
        vocabularies: st.vocabularies.filter(v => current.has(v.id)),
      },
    };
  }

  // ---- vocabularies

  listVocabularies() {
    return [...this.vocabularies.values()].sort((a, b) => a.code.localeCompare(b.code)).map(v => ({
      code: v.code, name: v.name, domain: v.domain, valueDomain: v.value_domain, terms: v.terms, version: v.version, importedAt: iso(v.imported_at), autoAccept: v.auto_accept,
    }));
  }

  vocabulary(code: string): VocabularyRow {
    const v = this.vocabularies.get(code);
    if (!v) throw notFound(`no vocabulary ${code.slice(0, 100)}`);
    return v;
  }

  async createVocabulary(input: { code?: unknown; name?: unknown; domain?: unknown; valueDomain?: unknown; autoAccept?: unknown }, who: Who) {
    const issues: ErrorDetail[] = [];
    if (typeof input?.code !== 'string' || !VOCAB_CODE.test(input.code.trim())) issues.push({ field: 'code', rule: 'pattern', message: '1–100 characters: the value-domain identifier, e.g. GB/T 14396-2016' });
    if (typeof input?.name !== 'string' || !input.name.trim() || input.name.length > 200) issues.push({ field: 'name', rule: 'required', message: '1–200 characters' });
    if (!VOCABULARY_DOMAINS.includes(input?.domain as never)) issues.push({ field: 'domain', rule: 'enum', message: `one of ${VOCABULARY_DOMAINS.join(', ')}` });
    if (input?.valueDomain !== undefined && input.valueDomain !== null && (typeof input.valueDomain !== 'string' || input.valueDomain.length > 100)) issues.push({ field: 'valueDomain', rule: 'type', message: 'a value-domain identifier' });
    const autoAccept = this.checkBand(input?.autoAccept, issues);
    if (issues.length) throw badRequest('invalid vocabulary', issues);
    const code = (input.code as string).trim();
    if (this.vocabularies.has(code)) throw conflict(`vocabulary ${code} exists`, [{ field: 'code', rule: 'unique', message: 'a vocabulary with this code exists' }]);
    const [row] = await this.db.transaction(async tx => {
      const rows = await tx.query<VocabularyRow>(
        `INSERT INTO map_vocabulary (code, name, domain, value_domain, version, terms, auto_accept, created_at) VALUES ($1, $2, $3, $4, 0, 0, $5, now())
         ON CONFLICT (code) DO NOTHING RETURNING code, name, domain, value_domain, version, terms, auto_accept, imported_at`,
        [code, (input.name as string).trim(), input.domain, (input.valueDomain as string | undefined) ?? code, autoAccept ?? null],
      );
      if (!rows.length) throw conflict(`vocabulary ${code} exists`, [{ field: 'code', rule: 'unique', message: 'a vocabulary with this code exists' }]);
      await this.audit.record(tx, { actor: who.username, clientIp: who.clientIp, action: 'mapping.vocabulary.create', resource: 'mapping:vocabularies', recordId: code });
      await this.sync.announce(tx, { kind: 'vocabulary', code });
      return rows;
    });
    this.vocabularies.set(code, row);
    this.mapper.addVocabulary({ id: code, terms: [] }, { autoAccept: row.auto_accept ?? DEFAULT_AUTO_ACCEPT });
    return this.listVocabularies().find(v => v.code === code)!;
  }

  /** Renames a vocabulary or sets its auto-accept band (null: the default 0.9). */
  async updateVocabulary(code: string, input: { name?: unknown; autoAccept?: unknown }, who: Who) {
    const v = this.vocabulary(code);
    const issues: ErrorDetail[] = [];
    if (input?.name !== undefined && (typeof input.name !== 'string' || !input.name.trim() || input.name.length > 200)) issues.push({ field: 'name', rule: 'required', message: '1–200 characters' });
    const band = this.checkBand(input?.autoAccept, issues);
    if (issues.length) throw badRequest('invalid vocabulary', issues);
    const autoAccept = 'autoAccept' in (input ?? {}) ? band ?? null : v.auto_accept;
    const [row] = await this.db.transaction(async tx => {
      const rows = await tx.query<VocabularyRow>(
        `UPDATE map_vocabulary SET name = $2, auto_accept = $3 WHERE code = $1 RETURNING code, name, domain, value_domain, version, terms, auto_accept, imported_at`,
        [code, typeof input.name === 'string' ? input.name.trim() : v.name, autoAccept],
      );
      await this.audit.record(tx, { actor: who.username, clientIp: who.clientIp, action: 'mapping.vocabulary.update', resource: 'mapping:vocabularies', recordId: code, detail: { autoAccept } });
      await this.sync.announce(tx, { kind: 'vocabulary', code });
      return rows;
    });
    this.vocabularies.set(code, row);
    this.mapper.suggester(code).autoAcceptAt = autoAccept ?? DEFAULT_AUTO_ACCEPT;
    return this.listVocabularies().find(x => x.code === code)!;
  }

  /**
   * Deletes a vocabulary and its terms; refused (409) while dictionaries or confirmed mappings
   * (knowledge-base rows) use it.
   */
  async deleteVocabulary(code: string, who: Who): Promise<{ deleted: string; terms: number }> {
    this.vocabulary(code);
    const terms = await this.db.transaction(async tx => {
      const [v] = await tx.query<{ terms: number }>('SELECT terms FROM map_vocabulary WHERE code = $1 FOR UPDATE', [code]);
      if (!v) throw notFound(`no vocabulary ${code.slice(0, 100)}`);
      const [{ n: dictionaries }] = await tx.query<{ n: number }>('SELECT count(*) AS n FROM map_dictionary WHERE vocabulary = $1', [code]);
      const [{ n: mappings }] = await tx.query<{ n: number }>('SELECT count(*) AS n FROM map_knowledge WHERE vocabulary = $1', [code]);
      if (Number(dictionaries) || Number(mappings)) {
        throw conflict(`vocabulary ${code} is in use by ${Number(mappings)} confirmed mapping(s) and ${Number(dictionaries)} dictionary(ies)`, [
          { field: 'code', rule: 'inUse', message: `${Number(mappings)} confirmed mappings, ${Number(dictionaries)} dictionaries`, value: { mappings: Number(mappings), dictionaries: Number(dictionaries) } },
        ]);
      }
      await tx.query('DELETE FROM map_term WHERE vocabulary = $1', [code]);
      await tx.query('DELETE FROM map_vocabulary WHERE code = $1', [code]);
      await this.audit.record(tx, { actor: who.username, clientIp: who.clientIp, action: 'mapping.vocabulary.delete', resource: 'mapping:vocabularies', recordId: code, detail: { terms: v.terms } });
      await this.sync.announce(tx, { kind: 'vocabulary', code });
      return v.terms;
    });
    this.vocabularies.delete(code);
    this.mapper.removeVocabulary(code);
    return { deleted: code, terms };
  }

  private checkBand(value: unknown, issues: ErrorDetail[], field = 'autoAccept'): number | null | undefined {
    if (value === undefined || value === null) return value as null | undefined;
    if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
      issues.push({ field, rule: 'range', message: 'a confidence between 0 and 1 (null: the default)', value: typeof value === 'string' ? value.slice(0, 20) : value });
      return undefined;
    }
    return value;
  }

  /**
   * Checks the whole file now (400 naming row and column, nothing stored) and queues the job that
   * writes the terms as the next version.
   */
  async startImport(
    code: string,
    upload: Upload,
    options: { format?: string; codeColumn?: string; nameColumn?: string; aliasColumn?: string; name?: string; domain?: string },
    who: Who,
  ): Promise<{ jobId: string; terms: number }> {
    if (upload.content.length === 0) throw required('file', 'send the code table as the request body');
    if (upload.content.length > MAX_UPLOAD) throw badRequest('the file is too large', [{ field: 'file', rule: 'maxSize', message: `at most ${MAX_UPLOAD} bytes` }]);
    if (!this.vocabularies.has(code)) {
      if (!options.domain) throw notFound(`no vocabulary ${code.slice(0, 100)}: create it first (POST /api/mapping/vocabularies) or pass name and domain`);
      await this.createVocabulary({ code, name: options.name ?? code, domain: options.domain }, who);
    }
    const format = tableFormat(options.format, upload);
    const column = (v: string | undefined) => (v === undefined || v === '' ? undefined : /^\d+$/.test(v) ? Number(v) : v);
    const { terms, issues } = importVocabulary(upload.content, {
      format, codeColumn: column(options.codeColumn), nameColumn: column(options.nameColumn), aliasColumn: column(options.aliasColumn),
    });
    const details: ErrorDetail[] = issues.map(i => ({
      row: i.row, field: i.field, rule: i.rule === 'required' ? 'required' : i.field === 'file' ? 'format' : 'column', message: i.rule,
    }));
    terms.forEach(t => {
      if (t.code.length > 100) details.push({ field: 'code', rule: 'maxLength', message: `code ${t.code.slice(0, 40)}… is longer than 100 characters` });
      if (t.name.length > 500) details.push({ field: 'name', rule: 'maxLength', message: `name of ${t.code.slice(0, 40)} is longer than 500 characters` });
    });
    if (!details.length && terms.length === 0) details.push({ row: 2, field: 'file', rule: 'required', message: 'the table has no terms' });
    if (details.length) {
      const first = details[0];
      throw badRequest(`${details.length} invalid row${details.length === 1 ? '' : 's'}${first.row ? ` (first: row ${first.row}, column ${first.field}, ${first.rule})` : ''}; nothing was imported`, details.slice(0, 200));
    }
    const jobId = await this.db.transaction(async tx => {
      const id = await this.jobs.enqueue(tx, {
        kind: IMPORT_JOB, title: `导入标准代码表 ${code}（${terms.length} 条）`, resource: 'mapping:vocabularies', createdBy: who.username,
        params: { vocabulary: code, by: who.username, terms: terms.map(t => [t.code, t.name, t.aliases ?? []]) },
      });
      await this.audit.record(tx, { actor: who.username, clientIp: who.clientIp, action: 'mapping.vocabulary.import', resource: 'mapping:vocabularies', recordId: code, detail: { job: id, terms: terms.length, format } });
      return id;
    });
    this.jobs.wake();
    return { jobId, terms: terms.length };
  }

  /** Writes the terms as version n+1 in batches (resumable), then switches the vocabulary over in one transaction. */
  private async runImport(ctx: JobContext): Promise<void> {
    const code = String(ctx.params.vocabulary);
    const terms = ctx.params.terms as Array<[string, string, string[]]>;
    let version = Number(ctx.state?.version ?? 0);
    if (!version) {
      const [v] = await this.db.query<{ version: number }>('SELECT version FROM map_vocabulary WHERE code = $1', [code]);
      if (!v) throw new Error(`vocabulary ${code} no longer exists`);
      version = v.version + 1;
      await this.db.query('DELETE FROM map_term WHERE vocabulary = $1 AND version >= $2', [code, version]);
    }
    // The suggester index is a tenth of the work.
    const total = terms.length + Math.ceil(terms.length / 10);
    for (let i = ctx.done; i < terms.length; i += IMPORT_BATCH) {
      const batch = terms.slice(i, i + IMPORT_BATCH);
      const params: unknown[] = [code, version];
      const values = batch.map(([c, n, a]) => `($1, $2, $${params.push(c)}, $${params.push(n)}, CAST($${params.push(a.length ? JSON.stringify(a) : null)} AS jsonb))`);
      await this.db.query(`INSERT INTO map_term (vocabulary, version, code, name, aliases) VALUES ${values.join(', ')} ON CONFLICT DO NOTHING`, params);
      await ctx.progress(i + batch.length, total, { version });
    }
    const row = await this.db.transaction(async tx => {
      const [r] = await tx.query<VocabularyRow>(
        `UPDATE map_vocabulary SET version = $2, terms = $3, imported_at = now(), imported_by = $4 WHERE code = $1 AND version < $2
         RETURNING code, name, domain, value_domain, version, terms, auto_accept, imported_at`,
        [code, version, terms.length, String(ctx.params.by)],
      );
      if (!r) throw new Error(`vocabulary ${code} changed while importing`);
      await tx.query('DELETE FROM map_term WHERE vocabulary = $1 AND version < $2', [code, version]);
      await this.audit.record(tx, { actor: String(ctx.params.by), action: 'mapping.vocabulary.imported', resource: 'mapping:vocabularies', recordId: code, detail: { version, terms: terms.length, job: ctx.id } });
      await this.sync.announce(tx, { kind: 'vocabulary', code });
      return r;
    });
    this.vocabularies.set(code, row);
    await this.buildSuggester(row);
    await ctx.progress(total, total, { version, switched: true });
  }

  searchTerms(code: string, q: string | undefined, limit = 20) {
    const suggester = this.mapper.suggester(this.vocabulary(code).code);
    const n = Math.min(Math.max(Number.isInteger(limit) ? limit : 20, 1), 200);
    const query = (q ?? '').trim();
    const out: Array<{ code: string; name: string; aliases: string[] }> = [];
    if (query) {
      const exact = suggester.term(query);
      if (exact) out.push({ code: exact.code, name: exact.name, aliases: exact.aliases ?? [] });
    }
    // Latin letters may also be the pinyin initials of a name (gxy → 高血压), as users type them.
    const initials = /^[a-z]{2,}$/i.test(query) ? this.initialsOf(suggester) : undefined;
    const lower = query.toLowerCase();
    suggester.terms.forEach((t, i) => {
      if (out.length >= n || (query && t.code === query)) return;
      if (!query || t.code.startsWith(query) || t.name.includes(query) || (t.aliases ?? []).some(a => a.includes(query)) || initials?.[i].includes(lower)) {
        out.push({ code: t.code, name: t.name, aliases: t.aliases ?? [] });
      }
    });
    return out;
  }

  /** Pinyin initials of every name of a vocabulary, computed on the first search that needs them. */
  private readonly initials = new WeakMap<object, string[]>();
  private initialsOf(suggester: { terms: readonly Term[] }): string[] {
    let list = this.initials.get(suggester);
    if (!list) {
      list = suggester.terms.map(t => pinyinInitials(t.name));
      this.initials.set(suggester, list);
    }
    return list;
  }

  // ---- dictionaries

  async listDictionaries(filter: { institution?: string; kind?: string }, who?: Pick<Who, 'orgCode'>) {
    const scope = await this.checkInstitution(who, filter.institution);
    const institution = scope ?? filter.institution;
    const rows = await this.db.query<DictionaryRow & { institution_name: string | null; entries: number; task_id: string }>(
      `SELECT d.id, d.institution, d.kind, d.name, d.vocabulary, d.second_check, d.auto_accept, d.version, d.loaded_at, o.name AS institution_name, t.id AS task_id,
         (SELECT count(*) FROM map_entry e WHERE e.dictionary_id = d.id AND NOT e.removed) AS entries
       FROM map_dictionary d JOIN map_task t ON t.dictionary_id = d.id LEFT JOIN org_unit o ON o.code = d.institution
       WHERE (CAST($1 AS text) IS NULL OR d.institution = $1) AND (CAST($2 AS text) IS NULL OR d.kind = $2)
       ORDER BY d.institution, d.kind, d.name`,
      [institution ?? null, filter.kind ?? null],
    );
    return rows.map(d => ({
      id: d.id, institution: d.institution, institutionName: d.institution_name ?? d.institution, kind: d.kind, name: d.name, vocabulary: d.vocabulary,
      version: d.version, entries: Number(d.entries), loadedAt: iso(d.loaded_at), secondCheck: d.second_check, autoAccept: d.auto_accept, taskId: d.task_id,
    }));
  }

  async dictionary(id: string, q: Queryable = this.db, lock = false): Promise<DictionaryRow> {
    const [row] = UUID.test(id) ? await q.query<DictionaryRow>(`SELECT ${DICT_COLUMNS} FROM map_dictionary WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]) : [];
    if (!row) throw notFound(`no dictionary ${id.slice(0, 40)}`);
    return row;
  }

  /** A dictionary the user may see: another institution's answers 404, as if it did not exist. */
  async dictionaryFor(id: string, who?: Pick<Who, 'orgCode'>): Promise<DictionaryRow> {
    const d = await this.dictionary(id);
    const scope = await this.scopeOf(who);
    if (scope && d.institution !== scope) throw notFound(`no dictionary ${id.slice(0, 40)}`);
    return d;
  }

  async createDictionary(input: Record<string, unknown>, who: Who): Promise<{ id: string; taskId: string }> {
    const issues: ErrorDetail[] = [];
    const institution = typeof input?.institution === 'string' ? input.institution.trim() : '';
    if (institution) await this.checkInstitution(who, institution);
    if (!institution) issues.push({ field: 'institution', rule: 'required', message: 'an institution code (org unit)' });
    else {
      const [org] = await this.db.query('SELECT 1 FROM org_unit WHERE code = $1', [institution]);
      if (!org) issues.push({ field: 'institution', rule: 'exists', message: `no org unit ${institution.slice(0, 40)}`, value: institution.slice(0, 40) });
    }
    if (!DICTIONARY_KINDS.includes(input?.kind as never)) issues.push({ field: 'kind', rule: 'enum', message: `one of ${DICTIONARY_KINDS.join(', ')}` });
    if (typeof input?.name !== 'string' || !input.name.trim() || input.name.length > 200) issues.push({ field: 'name', rule: 'required', message: '1–200 characters' });
    if (typeof input?.vocabulary !== 'string' || !this.vocabularies.has(input.vocabulary)) issues.push({ field: 'vocabulary', rule: 'exists', message: 'the code of a standard vocabulary (GET /api/mapping/vocabularies)' });
    if (input?.secondCheck !== undefined && typeof input.secondCheck !== 'boolean') issues.push({ field: 'secondCheck', rule: 'type', message: 'true or false' });
    const autoAccept = this.checkBand(input?.autoAccept, issues);
    if (issues.length) throw badRequest('invalid dictionary', issues);
    const id = uuidv7();
    const taskId = uuidv7();
    await this.db.transaction(async tx => {
      await tx.query(
        `INSERT INTO map_dictionary (id, institution, kind, name, vocabulary, second_check, auto_accept, version, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8, now())`,
        [id, institution, input.kind, (input.name as string).trim(), input.vocabulary, input.secondCheck === true, autoAccept ?? null, who.username],
      );
      await tx.query('INSERT INTO map_task (id, dictionary_id, created_at) VALUES ($1, $2, now())', [taskId, id]);
      await this.audit.record(tx, { actor: who.username, clientIp: who.clientIp, action: 'mapping.dictionary.create', resource: 'mapping:dictionaries', recordId: id, detail: { institution, kind: input.kind, vocabulary: input.vocabulary } });
    });
    return { id, taskId };
  }

  async updateDictionary(id: string, input: Record<string, unknown>, who: Who) {
    const issues: ErrorDetail[] = [];
    if (input?.name !== undefined && (typeof input.name !== 'string' || !input.name.trim() || input.name.length > 200)) issues.push({ field: 'name', rule: 'required', message: '1–200 characters' });
    if (input?.secondCheck !== undefined && typeof input.secondCheck !== 'boolean') issues.push({ field: 'secondCheck', rule: 'type', message: 'true or false' });
    const autoAccept = this.checkBand(input?.autoAccept, issues);
    if (issues.length) throw badRequest('invalid dictionary', issues);
    await this.dictionaryFor(id, who);
    await this.db.transaction(async tx => {
      const d = await this.dictionary(id, tx, true);
      await tx.query('UPDATE map_dictionary SET name = $2, second_check = $3, auto_accept = $4 WHERE id = $1', [
        d.id, typeof input.name === 'string' ? input.name.trim() : d.name, typeof input.secondCheck === 'boolean' ? input.secondCheck : d.second_check,
        'autoAccept' in (input ?? {}) ? autoAccept ?? null : d.auto_accept,
      ]);
      await this.audit.record(tx, { actor: who.username, clientIp: who.clientIp, action: 'mapping.dictionary.update', resource: 'mapping:dictionaries', recordId: id, detail: { fields: Object.keys(input ?? {}).slice(0, 10) } });
    });
    return (await this.listDictionaries({})).find(d => d.id === id)!;
  }

  /**
   * Deletes a dictionary with its loads, changes, entries (and their history) and task, in one
   * transaction. Confirmed mappings stay in the knowledge base and keep helping suggestions.
   */
  async deleteDictionary(id: string, who: Who): Promise<{ deleted: string; entries: number; loads: number }> {
    await this.dictionaryFor(id, who);
    const result = await this.db.transaction(async tx => {
      const d = await this.dictionary(id, tx, true);
      // A second check under way would be left without its entry: finish or reject it first.
      const [{ n: inReview }] = await tx.query<{ n: number }>(`SELECT count(*) AS n FROM map_entry WHERE dictionary_id = $1 AND status = 'review'`, [id]);
      if (Number(inReview)) {
        throw conflict(`dictionary ${id} has ${Number(inReview)} entr${Number(inReview) === 1 ? 'y' : 'ies'} waiting for their second check`, [
          { field: 'id', rule: 'inReview', message: `${Number(inReview)} entries in review`, value: { review: Number(inReview) } },
        ]);
      }
      const entries = await tx.query<{ code: string }>('SELECT code FROM map_entry WHERE dictionary_id = $1', [id]);
      const [{ n: loads }] = await tx.query<{ n: number }>('SELECT count(*) AS n FROM map_load WHERE dictionary_id = $1', [id]);
      await tx.query('DELETE FROM map_entry_event WHERE entry_id IN (SELECT id FROM map_entry WHERE dictionary_id = $1)', [id]);
      await tx.query('DELETE FROM map_entry WHERE dictionary_id = $1', [id]);
      await tx.query('DELETE FROM map_change WHERE dictionary_id = $1', [id]);
      await tx.query('DELETE FROM map_load WHERE dictionary_id = $1', [id]);
      await tx.query('DELETE FROM map_task WHERE dictionary_id = $1', [id]);
      await tx.query('DELETE FROM map_dictionary WHERE id = $1', [id]);
      await this.audit.record(tx, {
        actor: who.username, clientIp: who.clientIp, action: 'mapping.dictionary.delete', resource: 'mapping:dictionaries', recordId: id,
        detail: { institution: d.institution, kind: d.kind, name: d.name, entries: entries.length, loads: Number(loads) },
      });
      await this.sync.announce(tx, { kind: 'entries', dictionaryId: id });
      return { codes: entries.map(e => e.code), loads: Number(loads) };
    });
    for (const code of result.codes) {
      this.known.delete(`${id}\u0000${code}`);
      this.mapped.delete(`${id}\u0000${code}`);
    }
    return { deleted: id, entries: result.codes.length, loads: result.loads };
  }

  /** Entries from a JSON body {entries:[…]} or an uploaded table. */
  entriesOf(body: Upload & { json?: unknown }, format?: string): SourceEntry[] {
    if (body.json !== undefined) {
      const entries = (body.json as { entries?: unknown })?.entries;
      if (entries === undefined) throw required('entries', 'an array of {code, name, ...attributes}');
      return checkEntries(entries, 'index');
    }
    if (body.content.length === 0) throw required('file', 'send the dictionary as a file or JSON {entries}');
    return entriesFromRows(readTable(body, tableFormat(format, body)));
  }

  /** A full snapshot of the dictionary as its next version: added, changed, removed, unchanged. */
  async loadDictionary(id: string, entries: SourceEntry[], who: Who) {
    const result = await this.db.transaction(async tx => {
      const d = await this.dictionary(id, tx, true);
      const version = d.version + 1;
      const current = new Map((await tx.query<EntryRow>(`SELECT ${ENTRY_COLUMNS} FROM map_entry WHERE dictionary_id = $1`, [id])).map(e => [e.code, e]));
      const counts = { added: 0, changed: 0, removed: 0, unchanged: 0 };
      const changes: Array<{ code: string; change: string; before: unknown; after: unknown }> = [];
      const events: Array<[string, string, string | null]> = [];
      const seen = new Set<string>();
      for (const e of entries) {
        seen.add(e.code);
        const old = current.get(e.code);
        if (!old || old.removed) {
          counts.added++;
          changes.push({ code: e.code, change: 'added', before: null, after: { name: e.name, attributes: e.attributes } });
          const entryId = old?.id ?? uuidv7();
          if (old) {
            await tx.query(`UPDATE map_entry SET name = $2, attributes = CAST($3 AS jsonb), removed = false, status = 'pending', codes = NULL, auto = false, mapped_by = NULL,
              mapped_at = NULL, proposal = NULL, suggestions = NULL, confidence = NULL, pending_codes = NULL, review_instance = NULL, reason = NULL, updated_at = now() WHERE id = $1`,
            [old.id, e.name, JSON.stringify(e.attributes)]);
          } else {
            await tx.query(`INSERT INTO map_entry (id, dictionary_id, code, name, attributes, removed, status, auto, updated_at)
              VALUES ($1, $2, $3, $4, CAST($5 AS jsonb), false, 'pending', false, now())`, [entryId, id, e.code, e.name, JSON.stringify(e.attributes)]);
          }
          events.push([entryId, 'loaded', `v${version}`]);
        } else if (old.name !== e.name || !sameAttributes(old.attributes, e.attributes)) {
          counts.changed++;
          changes.push({ code: e.code, change: 'changed', before: { name: old.name, attributes: old.attributes ?? {} }, after: { name: e.name, attributes: e.attributes } });
          // A new name needs a new look; attributes alone keep the mapping.
          const reset = old.name !== e.name && old.status !== 'review';
          await tx.query(`UPDATE map_entry SET name = $2, attributes = CAST($3 AS jsonb), updated_at = now()${reset ? `, status = 'pending', codes = NULL, auto = false, mapped_by = NULL,
            mapped_at = NULL, proposal = NULL, suggestions = NULL, confidence = NULL, reason = NULL` : ''} WHERE id = $1`, [old.id, e.name, JSON.stringify(e.attributes)]);
          events.push([old.id, 'changed', `v${version}: ${old.name} → ${e.name}`.slice(0, 1000)]);
        } else counts.unchanged++;
      }
      for (const old of current.values()) {
        if (old.removed || seen.has(old.code)) continue;
        counts.removed++;
        changes.push({ code: old.code, change: 'removed', before: { name: old.name, attributes: old.attributes ?? {} }, after: null });
        await tx.query('UPDATE map_entry SET removed = true, updated_at = now() WHERE id = $1', [old.id]);
        events.push([old.id, 'removed', `v${version}`]);
      }
      for (let i = 0; i < changes.length; i += 500) {
        const params: unknown[] = [id, version];
        const values = changes.slice(i, i + 500).map(c => `($1, $2, $${params.push(c.code)}, $${params.push(c.change)}, CAST($${params.push(c.before === null ? null : JSON.stringify(c.before))} AS jsonb), CAST($${params.push(c.after === null ? null : JSON.stringify(c.after))} AS jsonb))`);
        await tx.query(`INSERT INTO map_change (dictionary_id, version, code, change, before, after) VALUES ${values.join(', ')}`, params);
      }
      await this.events(tx, events.map(([entryId, action, comment]) => ({ entryId, action, by: who.username, comment })));
      await tx.query('UPDATE map_dictionary SET version = $2, loaded_at = now() WHERE id = $1', [id, version]);
      await tx.query('INSERT INTO map_load (dictionary_id, version, loaded_at, loaded_by, added, changed, removed, unchanged) VALUES ($1, $2, now(), $3, $4, $5, $6, $7)', [
        id, version, who.username, counts.added, counts.changed, counts.removed, counts.unchanged,
      ]);
      await this.audit.record(tx, { actor: who.username, clientIp: who.clientIp, action: 'mapping.dictionary.load', resource: 'mapping:dictionaries', recordId: id, detail: { version, ...counts } });
      await this.sync.announce(tx, { kind: 'entries', dictionaryId: id, codes: changes.map(c => c.code) });
      return { version, ...counts, changed: counts.changed, codes: changes };
    });
    for (const c of result.codes) {
      const key = `${id}\u0000${c.code}`;
      if (c.change === 'removed') this.known.delete(key);
      else this.known.add(key);
      if (c.change !== 'changed' || (c.before as { name: string }).name !== (c.after as { name: string }).name) this.mapped.delete(key);
    }
    return { version: result.version, added: result.added, changed: result.changed, removed: result.removed, unchanged: result.unchanged };
  }

  async loads(id: string, who?: Pick<Who, 'orgCode'>) {
    await this.dictionaryFor(id, who);
    const rows = await this.db.query<{ version: number; loaded_at: string; loaded_by: string; added: number; changed: number; removed: number; unchanged: number }>(
      'SELECT version, loaded_at, loaded_by, added, changed, removed, unchanged FROM map_load WHERE dictionary_id = $1 ORDER BY version DESC', [id],
    );
    return rows.map(r => ({ version: r.version, loadedAt: iso(r.loaded_at), by: r.loaded_by, added: r.added, changed: r.changed, removed: r.removed, unchanged: r.unchanged }));
  }

  async changes(id: string, version: number, who?: Pick<Who, 'orgCode'>) {
    await this.dictionaryFor(id, who);
    const rows = await this.db.query<{ code: string; change: string; before: unknown; after: unknown }>(
      'SELECT code, change, before, after FROM map_change WHERE dictionary_id = $1 AND version = $2 ORDER BY change, code', [id, version],
    );
    return rows.map(r => ({ code: r.code, change: r.change, ...(r.before ? { before: r.before } : {}), ...(r.after ? { after: r.after } : {}) }));
  }

  // ---- tasks

  async listTasks(filter: { institution?: string; status?: string; assignee?: string; id?: string }, who?: Pick<Who, 'orgCode'>) {
    const scope = await this.checkInstitution(who, filter.institution);
    const institution = scope ?? filter.institution;
    const rows = await this.db.query<{
      id: string; dictionary_id: string; institution: string; institution_name: string | null; kind: string; name: string; vocabulary: string; assignee: string | null;
      total: number; pending: number; suggested: number; confirmed: number; auto: number; unmappable: number; review: number;
    }>(
      `SELECT t.id, t.dictionary_id, d.institution, o.name AS institution_name, d.kind, d.name, d.vocabulary, t.assignee,
         count(e.id) AS total,
         count(e.id) FILTER (WHERE e.status = 'pending') AS pending,
         count(e.id) FILTER (WHERE e.suggestions IS NOT NULL) AS suggested,
         count(e.id) FILTER (WHERE e.status = 'confirmed') AS confirmed,
         count(e.id) FILTER (WHERE e.status = 'confirmed' AND e.auto) AS auto,
         count(e.id) FILTER (WHERE e.status = 'unmappable') AS unmappable,
         count(e.id) FILTER (WHERE e.status = 'review') AS review
       FROM map_task t JOIN map_dictionary d ON d.id = t.dictionary_id LEFT JOIN org_unit o ON o.code = d.institution
         LEFT JOIN map_entry e ON e.dictionary_id = d.id AND NOT e.removed
       WHERE (CAST($1 AS text) IS NULL OR d.institution = $1) AND (CAST($2 AS text) IS NULL OR t.assignee = $2) AND (CAST($3 AS text) IS NULL OR CAST(t.id AS text) = $3)
       GROUP BY t.id, t.dictionary_id, d.institution, o.name, d.kind, d.name, d.vocabulary, t.assignee
       ORDER BY d.institution, d.kind, d.name`,
      [institution ?? null, filter.assignee ?? null, filter.id ?? null],
    );
    const pct = (n: number, total: number) => (total === 0 ? 0 : Math.round((n / total) * 1000) / 10);
    return rows
      .map(r => {
        const total = Number(r.total);
        const confirmed = Number(r.confirmed);
        const unmappable = Number(r.unmappable);
        const status = total > 0 && confirmed + unmappable === total ? 'done' : r.assignee ? 'assigned' : 'open';
        return {
          id: r.id, dictionaryId: r.dictionary_id, institution: r.institution, institutionName: r.institution_name ?? r.institution, kind: r.kind, name: r.name,
          vocabulary: r.vocabulary, assignee: r.assignee, status, total, pending: Number(r.pending), suggested: Number(r.suggested), confirmed, auto: Number(r.auto),
          unmappable, inReview: Number(r.review), pctSuggested: pct(total - Number(r.pending), total), pctConfirmed: pct(confirmed, total),
        };
      })
      .filter(t => !filter.status || t.status === filter.status);
  }

  /** A task the user may see: another institution's answers 404. */
  async task(id: string, who?: Pick<Who, 'orgCode'>) {
    const scope = await this.scopeOf(who);
    const [t] = UUID.test(id) ? await this.listTasks({ id, institution: scope ?? undefined }) : [];
    if (!t) throw notFound(`no mapping task ${id.slice(0, 40)}`);
    return t;
  }

  async claim(id: string, who: Who) {
    await this.task(id, who);
    await this.db.transaction(async tx => {
      const [t] = UUID.test(id) ? await tx.query<{ assignee: string | null }>('SELECT assignee FROM map_task WHERE id = $1 FOR UPDATE', [id]) : [];
      if (!t) throw notFound(`no mapping task ${id.slice(0, 40)}`);
      if (t.assignee === who.username) return;
      if (t.assignee) throw conflict(`task ${id} is already claimed by ${t.assignee}`, [{ field: 'assignee', rule: 'claimed', message: `held by ${t.assignee}` }]);
      await tx.query('UPDATE map_task SET assignee = $2, assigned_by = $2, assigned_at = now() WHERE id = $1', [id, who.username]);
      await this.audit.record(tx, { actor: who.username, clientIp: who.clientIp, action: 'mapping.task.claim', resource: 'mapping:tasks', recordId: id });
    });
    return this.task(id);
  }

  async assign(id: string, user: unknown, who: Who) {
    if (user !== null && (typeof user !== 'string' || !user.trim())) throw required('user', 'a username (null releases the task)');
    if (typeof user === 'string') {
      const [u] = await this.db.query('SELECT 1 FROM app_user WHERE username = $1', [user]);
      if (!u) throw badRequest(`no user ${user.slice(0, 100)}`, [{ field: 'user', rule: 'exists', message: 'an existing username', value: user.slice(0, 100) }]);
    }
    await this.task(id, who);
    await this.db.transaction(async tx => {
      const [t] = UUID.test(id) ? await tx.query('SELECT 1 FROM map_task WHERE id = $1 FOR UPDATE', [id]) : [];
      if (!t) throw notFound(`no mapping task ${id.slice(0, 40)}`);
      await tx.query('UPDATE map_task SET assignee = $2, assigned_by = $3, assigned_at = now() WHERE id = $1', [id, user, who.username]);
      await this.audit.record(tx, { actor: who.username, clientIp: who.clientIp, action: 'mapping.task.assign', resource: 'mapping:tasks', recordId: id, detail: { to: user } });
    });
    return this.task(id);
  }

  async startSuggest(id: string, who: Who): Promise<{ jobId: string }> {
    const task = await this.task(id, who);
    const jobId = await this.db.transaction(async tx => {
      const job = await this.jobs.enqueue(tx, {
        kind: SUGGEST_JOB, title: `生成标化建议：${task.institutionName} ${task.name}`, resource: 'mapping:tasks', createdBy: who.username,
        params: { taskId: id, dictionaryId: task.dictionaryId, by: who.username },
      });
      await this.audit.record(tx, { actor: who.username, clientIp: who.clientIp, action: 'mapping.task.suggest', resource: 'mapping:tasks', recordId: id, detail: { job } });
      return job;
    });
    this.jobs.wake();
    return { jobId };
  }

  /** Suggestions for every pending entry, in batches; proposals in the auto-accept band become auto mappings. */
  private async runSuggest(ctx: JobContext): Promise<void> {
    const dictionaryId = String(ctx.params.dictionaryId);
    const d = await this.dictionary(dictionaryId);
    let total = Number(ctx.state?.total ?? 0);
    if (!total) {
      const [c] = await this.db.query<{ n: number }>(`SELECT count(*) AS n FROM map_entry WHERE dictionary_id = $1 AND status = 'pending' AND NOT removed`, [dictionaryId]);
      total = Number(c.n);
    }
    let done = ctx.done;
    for (;;) {
      const batch = await this.db.query<EntryRow>(
        `SELECT ${ENTRY_COLUMNS} FROM map_entry WHERE dictionary_id = $1 AND status = 'pending' AND NOT removed ORDER BY code LIMIT ${SUGGEST_BATCH}`, [dictionaryId],
      );
      if (!batch.length) break;
      const mapped: Array<[string, string[]]> = [];
      await this.db.transaction(async tx => {
        for (const e of batch) {
          // With a second check nothing is final without a reviewer: no auto-accept.
          const auto = await this.suggestEntry(tx, d, e, !d.second_check);
          if (auto) mapped.push([e.code, auto]);
        }
        await this.sync.announce(tx, { kind: 'entries', dictionaryId, codes: mapped.map(([code]) => code) });
      });
      for (const [code, codes] of mapped) this.mapped.set(`${dictionaryId}\u0000${code}`, { codes, auto: true });
      done += batch.length;
      await ctx.progress(Math.min(done, Math.max(total, done)), Math.max(total, done), { total });
    }
  }

  private band(d: DictionaryRow): number {
    return d.auto_accept ?? this.vocabularies.get(d.vocabulary)?.auto_accept ?? DEFAULT_AUTO_ACCEPT;
  }

  /** Computes and stores an entry's suggestions; returns the codes when they were auto-accepted. */
  private async suggestEntry(tx: Queryable, d: DictionaryRow, e: EntryRow, allowAuto: boolean): Promise<string[] | undefined> {
    const s = this.mapper.suggester(d.vocabulary);
    const r = this.neural ? await s.suggestAsync(e.name, { limit: TOP_K }) : s.suggest(e.name, { limit: TOP_K });
    const weights = this.neural ? { ...s.reranker.weights, neural: s.reranker.weights.neural || NEURAL_WEIGHT } : s.reranker.weights;
    const suggestions = r.candidates.slice(0, TOP_K).map(c => this.present(c, weights));
    const auto = allowAuto && r.proposal.length > 0 && r.confidence >= this.band(d);
    await tx.query(
      `UPDATE map_entry SET status = $2, suggestions = CAST($3 AS jsonb), proposal = CAST($4 AS jsonb), confidence = $5, codes = $6, auto = $7,
         mapped_by = $8, mapped_at = ${auto ? 'now()' : 'NULL'}, updated_at = now() WHERE id = $1`,
      [e.id, auto ? 'confirmed' : 'suggested', JSON.stringify(suggestions), JSON.stringify(r.proposal), round(r.confidence, 4), auto ? JSON.stringify(r.proposal) : null, auto, auto ? 'system:auto-accept' : null],
    );
    await this.events(tx, [{ entryId: e.id, action: auto ? 'auto' : 'suggested', by: auto ? 'system:auto-accept' : 'system:suggest', codes: auto ? r.proposal : r.proposal.length ? r.proposal : undefined, comment: `confidence ${round(r.confidence)}` }]);
    return auto ? r.proposal : undefined;
  }

  private present(c: Suggestion, weights: Record<Feature, number>): StoredSuggestion {
    const why = (Object.entries(c.signals) as Array<[Feature, number]>)
      .filter(([f, v]) => v > 0 && (weights[f] ?? 0) > 0)
      .sort((a, b) => b[1] * (weights[b[0]] ?? 0) - a[1] * (weights[a[0]] ?? 0))
      .slice(0, 4)
      .map(([f, v]) => ({ signal: f, label: SIGNAL_LABELS[f] ?? f, value: round(v) }));
    return { code: c.code, name: c.name, score: round(c.score), confidence: round(c.confidence, 4), why };
  }

  async batchAccept(id: string, threshold: unknown, who: Who): Promise<{ accepted: number }> {
    if (typeof threshold !== 'number' || !(threshold >= 0 && threshold <= 1)) {
      throw badRequest('threshold must be a confidence between 0 and 1', [{ field: 'threshold', rule: 'range', message: '0..1', value: typeof threshold === 'string' ? threshold.slice(0, 20) : threshold }]);
    }
    const task = await this.task(id, who);
    const rows = await this.db.query<{ id: string; proposal: string[] }>(
      `SELECT id, proposal FROM map_entry WHERE dictionary_id = $1 AND status = 'suggested' AND NOT removed AND confidence >= $2 ORDER BY code`,
      [task.dictionaryId, threshold],
    );
    let accepted = 0;
    for (const r of rows) {
      if (!r.proposal?.length) continue;
      await this.confirm(r.id, r.proposal, who, 'batch');
      accepted++;
    }
    await this.audit.record(this.db, { actor: who.username, clientIp: who.clientIp, action: 'mapping.task.batch-accept', resource: 'mapping:tasks', recordId: id, detail: { threshold, accepted } });
    return { accepted };
  }

  async progress(who?: Pick<Who, 'orgCode'>) {
    const tasks = await this.listTasks({}, who);
    const sum = (list: typeof tasks) => list.reduce(
      (a, t) => ({ total: a.total + t.total, suggested: a.suggested + (t.total - t.pending), confirmed: a.confirmed + t.confirmed, unmappable: a.unmappable + t.unmappable, inReview: a.inReview + t.inReview }),
      { total: 0, suggested: 0, confirmed: 0, unmappable: 0, inReview: 0 },
    );
    const group = <K extends 'institution' | 'kind'>(key: K) => {
      const m = new Map<string, typeof tasks>();
      for (const t of tasks) m.set(t[key], [...(m.get(t[key]) ?? []), t]);
      return [...m].map(([k, list]) => ({ k, list }));
    };
    const pcts = (s: ReturnType<typeof sum>) => ({ ...s, pctSuggested: s.total ? Math.round((s.suggested / s.total) * 1000) / 10 : 0, pctConfirmed: s.total ? Math.round((s.confirmed / s.total) * 1000) / 10 : 0 });
    return {
      institutions: group('institution').map(({ k, list }) => ({ institution: k, name: list[0].institutionName, dictionaries: list.length, ...pcts(sum(list)) })),
      byKind: group('kind').map(({ k, list }) => ({ kind: k, dictionaries: list.length, ...pcts(sum(list)) })),
      totals: { dictionaries: tasks.length, ...pcts(sum(tasks)) },
    };
  }

  // ---- entries

  async entries(taskId: string, filter: { status?: string; q?: string; minConfidence?: number; offset?: number; limit?: number }, who?: Pick<Who, 'orgCode'>) {
    const task = await this.task(taskId, who);
    const issues: ErrorDetail[] = [];
    if (filter.status !== undefined && !ENTRY_STATUSES.includes(filter.status as never)) issues.push({ field: 'status', rule: 'enum', message: `one of ${ENTRY_STATUSES.join(', ')}`, value: filter.status.slice(0, 20) });
    if (filter.minConfidence !== undefined && !(filter.minConfidence >= 0 && filter.minConfidence <= 1)) issues.push({ field: 'minConfidence', rule: 'range', message: '0..1' });
    const offset = filter.offset ?? 0;
    const limit = filter.limit ?? 50;
    if (!Number.isInteger(offset) || offset < 0) issues.push({ field: 'offset', rule: 'range', message: 'a whole number ≥ 0' });
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) issues.push({ field: 'limit', rule: 'range', message: '1–500' });
    if (issues.length) throw badRequest('invalid entry filter', issues);
    const like = filter.q ? `%${filter.q.replace(/[%_\\]/g, m => `\\${m}`)}%` : null;
    const where = `dictionary_id = $1 AND NOT removed AND (CAST($2 AS text) IS NULL OR status = $2) AND (CAST($3 AS text) IS NULL OR code LIKE $3 OR name LIKE $3)
      AND (CAST($4 AS double precision) IS NULL OR confidence >= $4)`;
    const params = [task.dictionaryId, filter.status ?? null, like, filter.minConfidence ?? null];
    const [{ n }] = await this.db.query<{ n: number }>(`SELECT count(*) AS n FROM map_entry WHERE ${where}`, params);
    const rows = await this.db.query<EntryRow>(`SELECT ${ENTRY_COLUMNS} FROM map_entry WHERE ${where} ORDER BY code LIMIT ${limit} OFFSET ${offset}`, params);
    return { total: Number(n), items: rows.map(e => this.presentEntry(e, task.vocabulary)) };
  }

  private presentEntry(e: EntryRow, vocabulary: string) {
    const s = this.mapper.suggester(vocabulary);
    const named = (codes: string[]) => codes.map(code => ({ code, name: s.term(code)?.name ?? code }));
    return {
      id: e.id, code: e.code, name: e.name, attributes: e.attributes ?? {}, status: e.status, confidence: e.confidence,
      ...(e.status === 'confirmed' && e.codes ? { mapping: { codes: named(e.codes), by: e.mapped_by, at: iso(e.mapped_at), auto: e.auto } } : {}),
      proposal: e.proposal ?? [],
      suggestions: e.suggestions ?? [],
      ...(e.pending_codes ? { pendingCodes: named(e.pending_codes) } : {}),
      ...(e.review_instance ? { reviewInstance: e.review_instance } : {}),
      ...(e.reason ? { reason: e.reason } : {}),
    };
  }

  private async entryWithDictionary(id: string, q: Queryable = this.db, lock = false): Promise<{ e: EntryRow; d: DictionaryRow }> {
    const [e] = UUID.test(id) ? await q.query<EntryRow>(`SELECT ${ENTRY_COLUMNS} FROM map_entry WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]) : [];
    if (!e || e.removed) throw notFound(`no entry ${id.slice(0, 40)}`);
    return { e, d: await this.dictionary(e.dictionary_id, q) };
  }

  /** An entry the user may see: another institution's answers 404. */
  private async entryFor(id: string, who?: Pick<Who, 'orgCode'>): Promise<{ e: EntryRow; d: DictionaryRow }> {
    const found = await this.entryWithDictionary(id);
    const scope = await this.scopeOf(who);
    if (scope && found.d.institution !== scope) throw notFound(`no entry ${id.slice(0, 40)}`);
    return found;
  }

  async entry(id: string, who?: Pick<Who, 'orgCode'>) {
    const { e, d } = await this.entryFor(id, who);
    return this.presentEntry(e, d.vocabulary);
  }

  private checkCodes(vocabulary: string, codes: unknown): string[] {
    if (!Array.isArray(codes) || codes.length === 0) throw required('codes', 'one or more standard codes');
    if (codes.length > 20) throw badRequest('at most 20 codes', [{ field: 'codes', rule: 'maxItems', message: 'at most 20 codes' }]);
    const s = this.mapper.suggester(vocabulary);
    const issues: ErrorDetail[] = [];
    codes.forEach((c, i) => {
      if (typeof c !== 'string' || !s.term(c)) issues.push({ field: `codes[${i}]`, index: i, rule: 'exists', message: `not a code of ${vocabulary}`, value: String(c).slice(0, 100) });
    });
    if (issues.length) throw badRequest(`codes: not in ${vocabulary}`, issues);
    return [...new Set(codes as string[])];
  }

  /**
   * Confirms an entry's mapping (one or more codes). Without a second check it is final at once:
   * the knowledge base row and the in-memory Mapper both learn it. With a second check the entry
   * waits in `review` while the generic review process runs.
   */
  async confirm(id: string, codesIn: unknown, who: Who, via: 'single' | 'batch' = 'single') {
    const { e, d } = await this.entryFor(id, who);
    const codes = this.checkCodes(d.vocabulary, codesIn);
    if (e.status === 'review') throw conflict(`entry ${e.code} is waiting for its second check`, [{ field: 'status', rule: 'state', message: 'in review' }]);
    if (d.second_check) {
      if (!this.workflow) throw new ApiError(503, 'ServiceUnavailable', 'the workflow service is not ready');
      const { instance } = await this.workflow.start(REVIEW_PROCESS, {
        businessKey: `${REVIEW_KEY_PREFIX}${e.id}`,
        title: `标化复核：${e.name}`.slice(0, 300),
        variables: { subject: `${d.name}：${e.code} ${e.name} → ${this.named(d.vocabulary, codes).map(c => `${c.code} ${c.name}`).join('；')}`.slice(0, 1000), entryId: e.id, dictionaryId: d.id, codes },
      }, who);
      await this.db.transaction(async tx => {
        await tx.query(`UPDATE map_entry SET status = 'review', pending_codes = CAST($2 AS jsonb), review_instance = $3, updated_at = now() WHERE id = $1`, [e.id, JSON.stringify(codes), instance.id]);
        await this.events(tx, [{ entryId: e.id, action: 'submitted', by: who.username, codes, comment: `review ${instance.id}` }]);
        await this.audit.record(tx, { actor: who.username, clientIp: who.clientIp, action: 'mapping.entry.submit', resource: 'mapping:tasks', recordId: e.id, detail: { codes, instance: instance.id, via } });
        await this.sync.announce(tx, { kind: 'entries', dictionaryId: d.id, codes: [e.code] });
      });
      this.mapped.delete(`${d.id}\u0000${e.code}`);
      return this.entry(id);
    }
    const c = await this.db.transaction(async tx => {
      const done = await this.finalize(tx, e, d, codes, who.username, 'confirmed', via === 'batch' ? 'batch accept' : undefined);
      await this.audit.record(tx, { actor: who.username, clientIp: who.clientIp, action: 'mapping.entry.confirm', resource: 'mapping:tasks', recordId: e.id, detail: { codes, via } });
      return done;
    });
    this.learn(c, d, e.code);
    return this.entry(id);
  }

  /** Stores the final mapping and its knowledge-base row inside `tx`; the caller teaches the Mapper after commit. */
  private async finalize(tx: Queryable, e: EntryRow, d: DictionaryRow, codes: string[], by: string, action: string, comment?: string): Promise<Confirmation> {
    const at = new Date().toISOString();
    await tx.query(
      `UPDATE map_entry SET status = 'confirmed', codes = CAST($2 AS jsonb), auto = false, mapped_by = $3, mapped_at = CAST($4 AS timestamp), pending_codes = NULL,
         review_instance = NULL, reason = NULL, updated_at = now() WHERE id = $1`,
      [e.id, JSON.stringify(codes), by, at.slice(0, 23).replace('T', ' ')],
    );
    const knowledgeId = uuidv7();
    await tx.query(
      `INSERT INTO map_knowledge (id, institution, vocabulary, source_code, source_text, normalized, codes, by_user, at)
       VALUES ($1, $2, $3, $4, $5, $6, CAST($7 AS jsonb), $8, CAST($9 AS timestamp))`,
      [knowledgeId, d.institution, d.vocabulary, e.code, e.name, core(e.name).slice(0, 500), JSON.stringify(codes), by, at.slice(0, 23).replace('T', ' ')],
    );
    await this.events(tx, [{ entryId: e.id, action, by, codes, comment }]);
    await this.sync.announce(tx, { kind: 'knowledge', ids: [knowledgeId] });
    await this.sync.announce(tx, { kind: 'entries', dictionaryId: d.id, codes: [e.code] });
    return { institution: d.institution, dictionary: d.vocabulary, sourceCode: e.code, sourceText: e.name, normalized: core(e.name), codes, by, at };
  }

  private learn(c: Confirmation, d: DictionaryRow, localCode: string): void {
    this.mapper.confirm({ institution: c.institution, dictionary: c.dictionary, sourceCode: c.sourceCode, sourceText: c.sourceText, codes: c.codes, by: c.by, at: c.at });
    this.mapped.set(`${d.id}\u0000${localCode}`, { codes: c.codes, auto: false });
  }

  /** The generic review of a mapping ended: approved makes it final, anything else returns the entry. */
  private async reviewCompleted(tx: Queryable, ctx: ActionContext): Promise<void> {
    const key = ctx.instance.business_key ?? '';
    if (!key.startsWith(REVIEW_KEY_PREFIX)) return;
    const [e] = await tx.query<EntryRow>(`SELECT ${ENTRY_COLUMNS} FROM map_entry WHERE id = $1 FOR UPDATE`, [key.slice(REVIEW_KEY_PREFIX.length)]);
    if (!e || e.status !== 'review' || e.review_instance !== ctx.instance.id) return;
    const d = await this.dictionary(e.dictionary_id, tx);
    if (ctx.variables.outcome === 'approved' && e.pending_codes?.length) {
      const c = await this.finalize(tx, e, d, e.pending_codes, ctx.instance.started_by, 'approved', `reviewed by ${ctx.actor}`);
      await this.audit.record(tx, { actor: ctx.actor, action: 'mapping.entry.approve', resource: 'mapping:tasks', recordId: e.id, detail: { codes: c.codes, instance: ctx.instance.id } });
      ctx.afterCommit(async () => this.learn(c, d, e.code));
    } else {
      await tx.query(`UPDATE map_entry SET status = $2, pending_codes = NULL, review_instance = NULL, updated_at = now() WHERE id = $1`, [e.id, e.suggestions ? 'suggested' : 'pending']);
      await this.events(tx, [{ entryId: e.id, action: 'rejected', by: ctx.actor, codes: e.pending_codes ?? undefined, comment: `outcome ${String(ctx.variables.outcome ?? 'rejected')}` }]);
      await this.audit.record(tx, { actor: ctx.actor, action: 'mapping.entry.reject', resource: 'mapping:tasks', recordId: e.id, detail: { instance: ctx.instance.id } });
    }
  }

  async unmappable(id: string, reason: unknown, who: Who) {
    if (typeof reason !== 'string' || !reason.trim()) throw required('reason', 'why the entry has no standard code');
    if (reason.length > 500) throw badRequest('reason: at most 500 characters', [{ field: 'reason', rule: 'maxLength', message: 'at most 500 characters' }]);
    const { e } = await this.entryFor(id, who);
    if (e.status === 'review') throw conflict(`entry ${e.code} is waiting for its second check`, [{ field: 'status', rule: 'state', message: 'in review' }]);
    await this.db.transaction(async tx => {
      await tx.query(`UPDATE map_entry SET status = 'unmappable', codes = NULL, auto = false, mapped_by = $2, mapped_at = now(), reason = $3, updated_at = now() WHERE id = $1`, [e.id, who.username, reason.trim()]);
      await this.events(tx, [{ entryId: e.id, action: 'unmappable', by: who.username, comment: reason.trim() }]);
      await this.audit.record(tx, { actor: who.username, clientIp: who.clientIp, action: 'mapping.entry.unmappable', resource: 'mapping:tasks', recordId: e.id });
      await this.sync.announce(tx, { kind: 'entries', dictionaryId: e.dictionary_id, codes: [e.code] });
    });
    this.mapped.delete(`${e.dictionary_id}\u0000${e.code}`);
    return this.entry(id);
  }

  /** Back to the start: the mapping is dropped and the suggestions are computed again (never auto-accepted). */
  async redo(id: string, who: Who) {
    const { e, d } = await this.entryFor(id, who);
    if (e.status === 'review') throw conflict(`entry ${e.code} is waiting for its second check`, [{ field: 'status', rule: 'state', message: 'in review' }]);
    await this.db.transaction(async tx => {
      await tx.query(`UPDATE map_entry SET status = 'pending', codes = NULL, auto = false, mapped_by = NULL, mapped_at = NULL, reason = NULL, updated_at = now() WHERE id = $1`, [e.id]);
      await this.events(tx, [{ entryId: e.id, action: 'redo', by: who.username, codes: e.codes ?? undefined }]);
      await this.suggestEntry(tx, d, e, false);
      await this.audit.record(tx, { actor: who.username, clientIp: who.clientIp, action: 'mapping.entry.redo', resource: 'mapping:tasks', recordId: e.id });
      await this.sync.announce(tx, { kind: 'entries', dictionaryId: e.dictionary_id, codes: [e.code] });
    });
    this.mapped.delete(`${e.dictionary_id}\u0000${e.code}`);
    return this.entry(id);
  }

  /** Redo for a set of entries of one task (the review screen's "redo a set"). */
  async redoMany(taskId: string, entryIds: unknown, who: Who): Promise<{ redone: number }> {
    const task = await this.task(taskId, who);
    if (!Array.isArray(entryIds) || entryIds.length === 0) throw required('entryIds', 'one or more entry ids of this task');
    if (entryIds.length > 500) throw badRequest('at most 500 entries at once', [{ field: 'entryIds', rule: 'maxItems', message: 'at most 500' }]);
    const issues: ErrorDetail[] = [];
    const ids = entryIds.filter((id, i) => {
      const ok = typeof id === 'string' && UUID.test(id);
      if (!ok) issues.push({ field: `entryIds[${i}]`, index: i, rule: 'format', message: 'an entry id', value: String(id).slice(0, 40) });
      return ok;
    }) as string[];
    const found = ids.length ? await this.db.query<{ id: string; status: string }>(
      'SELECT id, status FROM map_entry WHERE dictionary_id = $1 AND NOT removed AND id = ANY(CAST($2 AS uuid[]))', [task.dictionaryId, ids],
    ) : [];
    const byId = new Map(found.map(f => [f.id, f.status]));
    entryIds.forEach((id, i) => {
      if (typeof id !== 'string' || !UUID.test(id)) return;
      if (!byId.has(id)) issues.push({ field: `entryIds[${i}]`, index: i, rule: 'exists', message: 'not an entry of this task', value: id });
      else if (byId.get(id) === 'review') issues.push({ field: `entryIds[${i}]`, index: i, rule: 'state', message: 'waiting for its second check', value: id });
    });
    if (issues.length) throw badRequest('invalid entries; nothing was redone', issues);
    for (const id of new Set(ids)) await this.redo(id, who);
    return { redone: new Set(ids).size };
  }

  async history(id: string, who?: Pick<Who, 'orgCode'>) {
    await this.entryFor(id, who);
    const rows = await this.db.query<{ at: string; by_user: string; action: string; codes: string[] | null; comment: string | null }>(
      'SELECT at, by_user, action, codes, comment FROM map_entry_event WHERE entry_id = $1 ORDER BY seq', [id],
    );
    return rows.map(r => ({ at: iso(r.at), by: r.by_user, action: r.action, ...(r.codes ? { codes: r.codes } : {}), ...(r.comment ? { comment: r.comment } : {}) }));
  }

  private async events(tx: Queryable, list: Array<{ entryId: string; action: string; by: string; codes?: string[]; comment?: string | null }>): Promise<void> {
    for (let i = 0; i < list.length; i += 500) {
      const params: unknown[] = [];
      const values = list.slice(i, i + 500).map(ev =>
        `($${params.push(ev.entryId)}, now(), $${params.push(ev.by)}, $${params.push(ev.action)}, CAST($${params.push(ev.codes ? JSON.stringify(ev.codes) : null)} AS jsonb), $${params.push(ev.comment ? ev.comment.slice(0, 1000) : null)})`);
      await tx.query(`INSERT INTO map_entry_event (entry_id, at, by_user, action, codes, comment) VALUES ${values.join(', ')}`, params);
    }
  }

  // ---- knowledge base

  /**
   * The confirmed mappings, newest first, searchable by source text, local code or standard code
   * (substring), filtered by institution and vocabulary; a user bound to an institution sees its rows only.
   */
  async listKnowledge(filter: { q?: string; institution?: string; vocabulary?: string; offset?: number; limit?: number }, who?: Pick<Who, 'orgCode'>) {
    const scope = await this.checkInstitution(who, filter.institution);
    const issues: ErrorDetail[] = [];
    const offset = filter.offset ?? 0;
    const limit = filter.limit ?? 50;
    if (!Number.isInteger(offset) || offset < 0) issues.push({ field: 'offset', rule: 'range', message: 'a whole number ≥ 0' });
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) issues.push({ field: 'limit', rule: 'range', message: '1–500' });
    if (filter.q !== undefined && filter.q.length > 200) issues.push({ field: 'q', rule: 'maxLength', message: 'at most 200 characters' });
    if (issues.length) throw badRequest('invalid knowledge filter', issues);
    const q = filter.q?.trim();
    const like = q ? `%${q.replace(/[%_\\]/g, m => `\\${m}`)}%` : null;
    const where = `(CAST($1 AS text) IS NULL OR k.institution = $1) AND (CAST($2 AS text) IS NULL OR k.vocabulary = $2)
      AND (CAST($3 AS text) IS NULL OR k.source_text LIKE $3 OR k.normalized LIKE $3 OR k.source_code LIKE $3 OR CAST(k.codes AS text) LIKE $3 OR o.name LIKE $3)`;
    const params = [scope ?? filter.institution ?? null, filter.vocabulary ?? null, like];
    const from = 'FROM map_knowledge k LEFT JOIN org_unit o ON o.code = k.institution';
    const [{ n }] = await this.db.query<{ n: number }>(`SELECT count(*) AS n ${from} WHERE ${where}`, params);
    const rows = await this.db.query<{ id: string; institution: string; institution_name: string | null; vocabulary: string; source_code: string | null; source_text: string; normalized: string; codes: string[]; by_user: string; at: string }>(
      `SELECT k.id, k.institution, o.name AS institution_name, k.vocabulary, k.source_code, k.source_text, k.normalized, k.codes, k.by_user, k.at ${from}
       WHERE ${where} ORDER BY k.at DESC, k.id DESC LIMIT ${limit} OFFSET ${offset}`, params,
    );
    return {
      total: Number(n),
      items: rows.map(r => ({
        id: r.id, institution: r.institution, institutionName: r.institution_name ?? r.institution, vocabulary: r.vocabulary, sourceCode: r.source_code,
        sourceText: r.source_text, normalized: r.normalized, codes: this.named(r.vocabulary, r.codes), by: r.by_user, at: iso(r.at),
      })),
    };
  }

  /** Codes with their standard names (the code itself when the vocabulary or term is gone). */
  private named(vocabulary: string, codes: string[]): Array<{ code: string; name: string }> {
    const s = this.vocabularies.has(vocabulary) ? this.mapper.suggester(vocabulary) : undefined;
    return codes.map(code => ({ code, name: s?.term(code)?.name ?? code }));
  }

  async exportKnowledge(who?: Pick<Who, 'orgCode'>): Promise<string> {
    const scope = await this.scopeOf(who);
    const rows = await this.db.query<{ institution: string; vocabulary: string; source_code: string | null; source_text: string; normalized: string; codes: string[]; by_user: string; at: string }>(
      'SELECT institution, vocabulary, source_code, source_text, normalized, codes, by_user, at FROM map_knowledge WHERE (CAST($1 AS text) IS NULL OR institution = $1) ORDER BY at, id',
      [scope],
    );
    return rows.map(r => JSON.stringify({
      institution: r.institution, dictionary: r.vocabulary, ...(r.source_code ? { sourceCode: r.source_code } : {}), sourceText: r.source_text, normalized: r.normalized,
      codes: r.codes, by: r.by_user, at: `${r.at}Z`,
    })).join('\n') + (rows.length ? '\n' : '');
  }

  /** JSON Lines as exported; all or nothing (400 naming line and field). */
  async importKnowledge(text: string, who: Who): Promise<{ imported: number }> {
    const scope = await this.scopeOf(who);
    const issues: ErrorDetail[] = [];
    const items: Confirmation[] = [];
    text.split('\n').forEach((raw, i) => {
      const line = raw.trim();
      if (!line) return;
      const row = i + 1;
      let c: Record<string, unknown>;
      try {
        c = JSON.parse(line);
      } catch (err) {
        issues.push({ row, field: 'line', rule: 'json', message: (err as Error).message.slice(0, 200) });
        return;
      }
      const str = (f: string, max: number, optional = false) => {
        const v = c?.[f];
        if (optional && (v === undefined || v === null)) return undefined;
        if (typeof v !== 'string' || !v.trim() || v.length > max) {
          issues.push({ row, field: f, rule: 'required', message: `1–${max} characters` });
          return undefined;
        }
        return v;
      };
      const institution = str('institution', 40);
      if (institution && scope && institution !== scope) issues.push({ row, field: 'institution', rule: 'scope', message: `your account works for institution ${scope} only`, value: institution });
      const dictionary = str('dictionary', 100);
      const sourceCode = str('sourceCode', 100, true);
      const sourceText = str('sourceText', 500);
      const by = str('by', 100);
      const at = c?.at === undefined ? new Date().toISOString() : typeof c.at === 'string' && !Number.isNaN(Date.parse(c.at)) ? new Date(c.at).toISOString() : undefined;
      if (!at) issues.push({ row, field: 'at', rule: 'format', message: 'an ISO 8601 time' });
      if (dictionary && !this.vocabularies.has(dictionary)) {
        issues.push({ row, field: 'dictionary', rule: 'exists', message: `no vocabulary ${dictionary.slice(0, 100)}` });
        return;
      }
      const codes = c?.codes;
      if (!Array.isArray(codes) || !codes.length) issues.push({ row, field: 'codes', rule: 'required', message: 'one or more standard codes' });
      else if (dictionary) {
        const s = this.mapper.suggester(dictionary);
        codes.forEach((code, j) => {
          if (typeof code !== 'string' || !s.term(code)) issues.push({ row, field: `codes[${j}]`, rule: 'exists', message: `not a code of ${dictionary}`, value: String(code).slice(0, 100) });
        });
      }
      if (institution && dictionary && sourceText && by && at && Array.isArray(codes)) {
        items.push({ institution, dictionary, ...(sourceCode ? { sourceCode } : {}), sourceText, normalized: core(sourceText), codes: [...new Set(codes as string[])], by, at });
      }
    });
    if (issues.length) {
      const first = issues[0];
      const message = `${issues.length} invalid line${issues.length === 1 ? '' : 's'} (first: line ${first.row}, field ${first.field}, ${first.rule}); nothing was imported`;
      throw issues.some(i => i.rule === 'scope') ? forbidden(message, issues.slice(0, 200)) : badRequest(message, issues.slice(0, 200));
    }
    if (!items.length) throw required('file', 'JSON Lines of confirmations (as GET /api/mapping/knowledge/export writes them)');
    await this.db.transaction(async tx => {
      const ids: string[] = [];
      for (let i = 0; i < items.length; i += 500) {
        const params: unknown[] = [];
        const values = items.slice(i, i + 500).map(c =>
          `($${params.push(ids[ids.push(uuidv7()) - 1])}, $${params.push(c.institution)}, $${params.push(c.dictionary)}, $${params.push(c.sourceCode ?? null)}, $${params.push(c.sourceText)}, $${params.push(c.normalized.slice(0, 500))}, CAST($${params.push(JSON.stringify(c.codes))} AS jsonb), $${params.push(c.by)}, CAST($${params.push(c.at.slice(0, 23).replace('T', ' '))} AS timestamp))`);
        await tx.query(`INSERT INTO map_knowledge (id, institution, vocabulary, source_code, source_text, normalized, codes, by_user, at) VALUES ${values.join(', ')}`, params);
      }
      await this.audit.record(tx, { actor: who.username, clientIp: who.clientIp, action: 'mapping.knowledge.import', resource: 'mapping:knowledge', detail: { imported: items.length } });
      await this.sync.announce(tx, { kind: 'knowledge', ids });
    });
    for (const c of items) this.mapper.confirm(c, { learn: false });
    return { imported: items.length };
  }

  // ---- translate

  /**
   * Resolves a dictionary id, or a kind: every dictionary of that kind of the institution, the
   * oldest first (created_at, then id).
   */
  private async resolveDictionaries(institution: string, dictionary: string): Promise<DictionaryRow[]> {
    const rows = UUID.test(dictionary)
      ? await this.db.prepared<DictionaryRow>('mapping_dict_by_id', `SELECT ${DICT_COLUMNS} FROM map_dictionary WHERE id = $1 AND institution = $2`, [dictionary, institution])
      : await this.db.prepared<DictionaryRow>('mapping_dicts_by_kind', `SELECT ${DICT_COLUMNS} FROM map_dictionary WHERE kind = $1 AND institution = $2 ORDER BY created_at, id`, [dictionary, institution]);
    if (!rows.length) throw notFound(`institution ${institution.slice(0, 40)} has no dictionary ${dictionary.slice(0, 60)}`);
    return rows;
  }

  /**
   * translate(institution, dictionary, local code or text) → standard code(s), for the collection
   * pipeline: the entry with this local code first, then the knowledge base and the suggester.
   * A kind consults all of the institution's dictionaries of that kind, oldest first.
   */
  async translate(institution: string, dictionary: string, input: { code?: string; text?: string }, who?: Pick<Who, 'orgCode'>): Promise<TranslateResult> {
    await this.checkInstitution(who, institution);
    return this.translateIn(await this.resolveDictionaries(institution, dictionary), input);
  }

  async translateMany(institution: string, dictionary: string, items: Array<{ code?: string; text?: string }>, who?: Pick<Who, 'orgCode'>): Promise<TranslateResult[]> {
    await this.checkInstitution(who, institution);
    const ds = await this.resolveDictionaries(institution, dictionary);
    return items.map(i => this.translateIn(ds, i));
  }

  /**
   * Over the dictionaries in order: (1) the first whose entry with this local code has a confirmed
   * or auto mapping; an entry that exists but is not mapped answers `unmapped` when no text is given;
   * (2) the knowledge base and the suggester of each dictionary's vocabulary in the same order, the
   * first answer that is not `unmapped` winning.
   */
  private translateIn(ds: DictionaryRow[], input: { code?: string; text?: string }): TranslateResult {
    const code = input.code?.trim();
    const result = (d: DictionaryRow, r: Omit<TranslateResult, 'terms' | 'dictionary'>): TranslateResult => ({ ...r, terms: this.named(d.vocabulary, r.codes), dictionary: d.id });
    if (code) {
      let known: DictionaryRow | undefined;
      for (const d of ds) {
        const key = `${d.id}\u0000${code}`;
        const m = this.mapped.get(key);
        if (m) return result(d, { codes: m.codes, status: m.auto ? 'auto' : 'confirmed', source: 'entry', confidence: 1 });
        if (!known && this.known.has(key)) known = d;
      }
      if (known && !input.text) return result(known, { codes: [], status: 'unmapped', source: 'entry', confidence: 0 });
    }
    let first: TranslateResult | undefined;
    const asked = new Set<string>();
    for (const d of ds) {
      if (asked.has(d.vocabulary) || !this.vocabularies.has(d.vocabulary)) continue;
      asked.add(d.vocabulary);
      const t = this.mapper.translate(d.institution, d.vocabulary, input.text?.trim() || code || '');
      const r = result(d, { codes: t.codes, status: t.status, source: t.source, confidence: round(t.confidence, 4) });
      if (r.status !== 'unmapped') return r;
      if (t.candidates?.length) r.candidates = t.candidates.slice(0, TRANSLATE_CANDIDATES).map(c => ({ code: c.code, name: c.name, confidence: round(c.confidence, 4) }));
      first ??= r;
    }
    return first ?? result(ds[0], { codes: [], status: 'unmapped', source: 'none', confidence: 0 });
  }
}
