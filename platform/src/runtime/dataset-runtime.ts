import { RecordValidator, ResolvedDataset, ValueDomain, compileRecordValidator, datasetToJsonSchema } from '@lingshu/metamodel';
import { ColumnState, blindIndexColumn } from '../publisher/plan';
import type { FieldProtector } from '../security/crypto';
import { QueryColumn } from './filter';
import { uuidv7 } from '../util/ids';
import { COPY_NULL, copyText } from '../database/copy';

const q = (name: string) => `"${name}"`;
const MAX_NAMED_QUERIES = 200;
/** Audit actions of the single-statement writes; DataService MACs rows with the same names. */
export const DATA_AUDIT_ACTIONS = { create: 'data.create', replace: 'data.replace', update: 'data.update', remove: 'data.delete' } as const;
/** Parameters each audited write takes after its own: at, actor, client_ip, mac. */
export const AUDIT_PARAM_COUNT = 4;
let runtimeSerial = 0;
/** Elements at this sensitivity or above are personal information: reading them is audited. */
export const PERSONAL_SENSITIVITY = 2;

/** A column encrypted at rest: its place in the column list, its blind index and its token binding. */
interface EncryptedColumn {
  column: string;
  at: number;
  blindIndex: string;
  /** Associated data of its tokens: stable across column renames. */
  place: string;
}
const SYSTEM_COLUMNS: QueryColumn[] = [
  { column: 'id', type: { sql: 'uuid', family: 'text' } },
  { column: 'created_at', type: { sql: 'timestamp', family: 'timestamp' } },
  { column: 'updated_at', type: { sql: 'timestamp', family: 'timestamp' } },
];

/**
 * Everything a published dataset version needs at request time, compiled once: column list,
 * statements, the record validator and the JSON schemas. Immutable and shared by all requests.
 */
export class DatasetRuntime {
  readonly code: string;
  readonly name: string;
  readonly datasetId: string;
  readonly version: number;
  readonly table: string;
  /** The audit trail's resource for this dataset's records. */
  readonly auditResource: string;
  readonly columns: ColumnState[];
  /** Business columns, in order. */
  readonly columnNames: string[];
  /** Business and system columns a client may filter, sort and select on. */
  readonly queryColumns: Map<string, QueryColumn>;
  readonly keyColumns: string[];
  readonly validator: RecordValidator;
  readonly schema: Record<string, unknown>;
  readonly partialSchema: Record<string, unknown>;
  /** Value-domain ids whose live version this runtime validates against. */
  readonly domainIds: Set<string>;
  readonly selectList: string;
  readonly sql: {
    byId: string;
    insert: string;
    replace: string;
    remove: string;
  };
  /** Turns a stored row into its API form (binary columns as base64); identity when no column needs it. */
  readonly present: <R extends Record<string, unknown>>(row: R) => R;
  /** Holds personal information (an element of PERSONAL_SENSITIVITY or more): reads are audited. */
  readonly personal: boolean;
  /** Columns encrypted at rest (empty for most datasets). */
  readonly encrypted: EncryptedColumn[];
  /** Names of the prepared statements (unique per dataset version). */
  readonly statement: { byId: string; insert: string; replace: string; remove: string };
  private readonly toParam: Array<(v: unknown) => unknown>;
  private readonly toCopy: Array<(v: unknown) => string>;
  private readonly patchSql = new Map<string, string>();
  private readonly queryNames = new Map<string, string>();
  private readonly statementPrefix: string;

  constructor(
    readonly resolved: ResolvedDataset,
    table: string,
    columns: ColumnState[],
    readonly protector?: FieldProtector,
  ) {
    const ds = resolved.dataset;
    this.code = ds.code;
    this.name = ds.name;
    this.datasetId = ds.id;
    this.version = ds.version;
    this.table = table;
    this.auditResource = `data:${ds.code}`;
    this.columns = columns;
    this.columnNames = columns.map(c => c.column);
    this.keyColumns = columns.filter(c => c.key).map(c => c.column);
    this.personal = columns.some(c => (resolved.elements[c.elementId]?.sensitivity ?? 0) >= PERSONAL_SENSITIVITY);
    this.encrypted = columns.flatMap((c, at) => (c.encrypted ? [{ column: c.column, at, blindIndex: blindIndexColumn(c.column), place: `${ds.id}/${c.elementId}` }] : []));
    if (this.encrypted.length > 0 && !protector) throw new Error(`dataset ${ds.code} has encrypted columns but no field protector was given`);
    this.queryColumns = new Map([...SYSTEM_COLUMNS, ...columns].map(c => [c.column, this.queryColumn(c)]));
    this.validator = compileRecordValidator(resolved);
    this.schema = datasetToJsonSchema(resolved);
    this.partialSchema = datasetToJsonSchema(resolved, { partial: true });
    this.domainIds = new Set(Object.keys(resolved.valueDomains));
    this.toParam = columns.map(c => this.sealed(c, paramConverter(c)));
    this.toCopy = columns.map(c => this.sealed(c, copyConverter(c)));
    this.present = presenter(columns);
    this.selectList = ['id', ...this.columnNames, 'created_at', 'updated_at'].map(q).join(', ');
    this.sql = this.compileStatements();
    // Statement names live per connection for the connection's life; a new runtime (even of the
    // same version) must never reuse a name for different text.
    const prefix = `${this.code}_v${this.version}_${++runtimeSerial}`;
    this.statementPrefix = prefix;
    this.statement = { byId: `${prefix}_byid`, insert: `${prefix}_insert`, replace: `${prefix}_replace`, remove: `${prefix}_remove` };
  }

  /** The same dataset version validating against newer published value domains. */
  withDomains(domains: Map<string, ValueDomain>): DatasetRuntime {
    return new DatasetRuntime(withLiveDomains(this.resolved, domains), this.table, this.columns, this.protector);
  }

  /** A stored row with its encrypted columns decrypted (a new object; the stored row is untouched). */
  reveal<R extends Record<string, unknown>>(row: R): R {
    if (this.encrypted.length === 0) return row;
    const out: Record<string, unknown> = { ...row };
    for (const e of this.encrypted) {
      const v = out[e.column];
      if (typeof v === 'string') out[e.column] = this.protector!.decrypt(v, e.place);
    }
    return out as R;
  }

  /** The blind index of a plaintext value of an encrypted column. */
  blindIndexOf(value: unknown): string | null {
    return value === undefined || value === null ? null : this.protector!.index(String(value));
  }

  private queryColumn(c: { column: string; type: ColumnState['type']; encrypted?: boolean }): QueryColumn {
    if (!c.encrypted) return { column: c.column, type: c.type };
    return { column: c.column, type: c.type, blindIndex: { column: blindIndexColumn(c.column), of: v => this.protector!.index(v) } };
  }

  /** For an encrypted column, the converter first seals the plaintext into a token bound to its place. */
  private sealed<T>(c: ColumnState, convert: (v: unknown) => T): (v: unknown) => T {
    if (!c.encrypted) return convert;
    const place = this.encrypted.find(e => e.column === c.column)!.place;
    return v => convert(v === undefined || v === null ? v : this.protector!.encrypt(String(v), place));
  }

  /**
   * A prepared-statement name for a generated query, so that repeated filter shapes are parsed
   * and planned once per connection. Bounded: past the limit, queries run unnamed.
   */
  statementFor(sql: string): string | undefined {
    let name = this.queryNames.get(sql);
    if (name === undefined && this.queryNames.size < MAX_NAMED_QUERIES) {
      name = `${this.statementPrefix}_q${this.queryNames.size}`;
      this.queryNames.set(sql, name);
    }
    return name;
  }

  /** Parameters for insert: id, then business columns in order. */
  insertParams(id: string, record: Record<string, unknown>): unknown[] {
    const params: unknown[] = [id];
    for (let i = 0; i < this.columnNames.length; i++) params.push(this.toParam[i](record[this.columnNames[i]]));
    for (const e of this.encrypted) params.push(this.blindIndexOf(record[e.column]));
    return params;
  }

  newId(): string {
    return uuidv7();
  }

  /** UPDATE for exactly the columns present in a partial record (cached per column set). */
  patchStatement(present: string[]): string {
    const key = present.join(',');
    let sql = this.patchSql.get(key);
    if (!sql) {
      const written = [...present, ...this.presentEncrypted(present).map(e => e.blindIndex)];
      const sets = written.map((c, i) => `${q(c)} = $${i + 2}`).join(', ');
      sql = this.audited(
        `UPDATE ${q(this.table)} SET ${sets}, updated_at = now() WHERE id = $1 RETURNING ${this.selectList}`,
        DATA_AUDIT_ACTIONS.update,
        written.length + 2,
      );
      if (this.patchSql.size < 256) this.patchSql.set(key, sql);
    }
    return sql;
  }

  patchParams(id: string, present: string[], record: Record<string, unknown>): unknown[] {
    const values = present.map(c => this.toParam[this.columnNames.indexOf(c)](record[c]));
    const indexes = this.presentEncrypted(present).map(e => this.blindIndexOf(record[e.column]));
    return [id, ...values, ...indexes];
  }

  private presentEncrypted(present: string[]): EncryptedColumn[] {
    return this.encrypted.length === 0 ? [] : this.encrypted.filter(e => present.includes(e.column));
  }

  /** Columns a bulk COPY fills, in copyText's order. */
  get copyColumns(): string[] {
    return this.insertColumnNames();
  }

  /** COPY text for a chunk of validated records, one line per record; `at` is the write time. */
  copyText(ids: string[], records: Record<string, unknown>[], at: string): string {
    const stamps = `\t${at}\t${at}`;
    const lines = new Array<string>(records.length);
    const n = this.columnNames.length;
    for (let r = 0; r < records.length; r++) {
      const record = records[r];
      let line = ids[r];
      for (let c = 0; c < n; c++) line += '\t' + this.toCopy[c](record[this.columnNames[c]]);
      for (const e of this.encrypted) line += '\t' + (this.blindIndexOf(record[e.column]) ?? COPY_NULL);
      lines[r] = line + stamps;
    }
    return lines.join('\n') + '\n';
  }

  private insertColumnNames(): string[] {
    return ['id', ...this.columnNames, ...this.encrypted.map(e => e.blindIndex), 'created_at', 'updated_at'];
  }

  private compileStatements() {
    const t = q(this.table);
    const written = [...this.columnNames, ...this.encrypted.map(e => e.blindIndex)];
    const n = written.length;
    const values = Array.from({ length: n + 1 }, (_, i) => `$${i + 1}`).join(', ');
    const sets = written.map((c, i) => `${q(c)} = $${i + 2}`).join(', ');
    const columns = this.insertColumnNames().map(q).join(', ');
    return {
      byId: `SELECT ${this.selectList} FROM ${t} WHERE id = $1`,
      insert: this.audited(`INSERT INTO ${t} (${columns}) VALUES (${values}, now(), now()) RETURNING ${this.selectList}`, DATA_AUDIT_ACTIONS.create, n + 2),
      replace: this.audited(`UPDATE ${t} SET ${sets}, updated_at = now() WHERE id = $1 RETURNING ${this.selectList}`, DATA_AUDIT_ACTIONS.replace, n + 2),
      remove: this.audited(`DELETE FROM ${t} WHERE id = $1 RETURNING id`, DATA_AUDIT_ACTIONS.remove, 2),
    };
  }

  /**
   * Wraps a write so that its audit row rides in the same statement: one round trip, one atomic
   * unit. The row's at, actor, client_ip and MAC are parameters from `first` on (computed by the
   * caller for the record id it writes); the outcome is 'ok', since the row exists only if the
   * write happened.
   */
  private audited(write: string, action: string, first: number): string {
    const [at, actor, ip, mac] = Array.from({ length: AUDIT_PARAM_COUNT }, (_, i) => `$${first + i}`);
    return (
      `WITH w AS (${write}), a AS (INSERT INTO audit_log (at, actor, action, resource, record_id, client_ip, outcome, mac) ` +
      `SELECT CAST(${at} AS timestamp), ${actor}, '${action}', '${this.auditResource}', CAST(w.id AS varchar), ${ip}, 'ok', ${mac} FROM w) ` +
      'SELECT * FROM w'
    );
  }
}

/** New codes of a value domain apply to datasets at once, without a new dataset version. */
export function withLiveDomains(resolved: ResolvedDataset, domains: Map<string, ValueDomain>): ResolvedDataset {
  const valueDomains = { ...resolved.valueDomains };
  for (const id of Object.keys(valueDomains)) {
    const live = domains.get(id);
    if (live) valueDomains[id] = live;
  }
  return { ...resolved, valueDomains };
}

function presenter(columns: ColumnState[]): <R extends Record<string, unknown>>(row: R) => R {
  const binary = columns.filter(c => c.type.family === 'bytea').map(c => c.column);
  if (binary.length === 0) return row => row;
  return row => {
    for (const c of binary) {
      const v = row[c];
      if (v instanceof Uint8Array) (row as Record<string, unknown>)[c] = Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
    }
    return row;
  };
}

function copyConverter(col: ColumnState): (v: unknown) => string {
  const orNull = (f: (v: unknown) => string) => (v: unknown) => (v === undefined || v === null ? COPY_NULL : f(v));
  switch (col.type.family) {
    case 'json':
      return orNull(v => copyText(JSON.stringify(v)));
    case 'bytea':
      return orNull(v => `\\\\x${Buffer.from(String(v), 'base64').toString('hex')}`);
    case 'boolean':
      return orNull(v => (v ? 't' : 'f'));
    case 'text':
      return orNull(v => copyText(String(v)));
    default:
      return orNull(v => String(v));
  }
}

function paramConverter(col: ColumnState): (v: unknown) => unknown {
  switch (col.type.family) {
    case 'json':
      return v => (v === undefined || v === null ? null : JSON.stringify(v));
    case 'bytea':
      return v => (typeof v === 'string' ? Buffer.from(v, 'base64') : null);
    default:
      return v => (v === undefined ? null : v);
  }
}
