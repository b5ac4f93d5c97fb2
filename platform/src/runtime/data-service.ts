import { RecordError } from '@lingshu/metamodel';
import { Database, Queryable } from '../database';
import { Actor, AuditWriter, actorOf, devAuditWriter } from '../audit/writer';
import { DataAccessPolicy } from '../extension-points';
import { CryptoError, MissingKeyError } from '../security/crypto';
import { ApiError, ErrorDetail, PG_UNIQUE_VIOLATION, badRequest, conflict, notFound, sqlState, unprocessable } from '../util/errors';
import { DATA_AUDIT_ACTIONS, DatasetRuntime } from './dataset-runtime';
import { Filter, WhereCompiler, compileFields, compileOrder, fieldsOf, pageOf } from './filter';

type Row = Record<string, unknown>;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ROWS_PER_CHUNK = 1000;
const ANALYZE_AFTER_ROWS = 5000;
const MAX_REPORTED_ERRORS = 1000;

/**
 * Reads and writes of one dataset through its compiled runtime: validation from metadata, one
 * statement per request where possible, an audit row in the same unit as each write.
 */
export class DataService {
  constructor(
    private readonly db: Database,
    private readonly auditLog: AuditWriter = devAuditWriter(),
  ) {}

  /** A record outside the caller's row scope does not exist for that caller (404, not 403). */
  async findById(rt: DatasetRuntime, id: string, policy?: DataAccessPolicy): Promise<Row> {
    if (!UUID.test(id)) throw notFound(`no ${rt.code} record with id ${id.slice(0, 40)}`);
    const [row] = await this.db.prepared<Row>(rt.statement.byId, rt.sql.byId, [id]);
    if (!row || (policy && !policy.permitsRow(row))) throw notFound(`no ${rt.code} record with id ${id}`);
    return this.shown(rt, row, policy);
  }

  async find(rt: DatasetRuntime, filter: Filter, policy?: DataAccessPolicy): Promise<Row[]> {
    assertNotProbingMasked(filter.where, filter.order, policy);
    const where = new WhereCompiler(rt.queryColumns);
    const whereSql = where.compile(scoped(filter.where, policy));
    const order = compileOrder(filter.order, rt.queryColumns) || ' ORDER BY "id"';
    const fields = compileFields(filter.fields, rt.queryColumns);
    const { limit, offset } = pageOf(filter);
    const select = fields ? fields.map(f => `"${f}"`).join(', ') : rt.selectList;
    const params = [...where.params, limit, offset];
    const sql = `SELECT ${select} FROM "${rt.table}"${whereSql}${order} LIMIT $${params.length - 1} OFFSET $${params.length}`;
    return this.shownAll(rt, await this.run(rt, sql, params), policy);
  }

  async count(rt: DatasetRuntime, whereFilter: Filter['where'], policy?: DataAccessPolicy): Promise<number> {
    assertNotProbingMasked(whereFilter, undefined, policy);
    const where = new WhereCompiler(rt.queryColumns);
    const sql = `SELECT count(*) AS count FROM "${rt.table}"${where.compile(scoped(whereFilter, policy))}`;
    const [row] = await this.run<{ count: number }>(rt, sql, where.params);
    return Number(row.count);
  }

  /**
   * Record counts inside the caller's row scope, grouped by one column (largest first) or by the
   * day records arrived (latest first). For dashboards; a masked column cannot be grouped on.
   */
  async tally(rt: DatasetRuntime, by: { column: string } | 'day', policy?: DataAccessPolicy, limit = 50): Promise<Array<{ key: string; count: number }>> {
    let key = `to_char("created_at", 'YYYY-MM-DD')`;
    if (by !== 'day') {
      if (!rt.columnNames.includes(by.column)) throw badRequest(`${rt.code} has no column ${by.column}`);
      if (rt.encrypted.some(e => e.column === by.column)) throw badRequest(`${by.column} is encrypted at rest and cannot be grouped on`);
      assertNotProbingMasked(undefined, [by.column], policy);
      key = `"${by.column}"`;
    }
    const where = new WhereCompiler(rt.queryColumns);
    const whereSql = where.compile(scoped(undefined, policy));
    const params = [...where.params, Math.min(limit, 1000)];
    const sql = `SELECT ${key} AS key, count(*) AS count FROM "${rt.table}"${whereSql} GROUP BY 1 ORDER BY ${by === 'day' ? '1 DESC' : '2 DESC, 1'} LIMIT $${params.length}`;
    const rows = await this.db.query<{ key: string | null; count: number | string }>(sql, params);
    return rows.map(r => ({ key: r.key ?? '', count: Number(r.count) }));
  }

  private async shown(rt: DatasetRuntime, row: Row, policy?: DataAccessPolicy): Promise<Row> {
    return (await this.shownAll(rt, [row], policy))[0];
  }

  /** Rows as the caller may see them: decrypted, binary as base64, then masked. */
  private async shownAll(rt: DatasetRuntime, rows: Row[], policy?: DataAccessPolicy): Promise<Row[]> {
    const plain = rt.encrypted.length > 0 ? await revealed(rt, rows) : rows;
    return plain.map(row => {
      const out = rt.present(row);
      return policy ? policy.present(out) : out;
    });
  }

  private analyzeSoon(table: string): void {
    this.db.query(`ANALYZE "${table}"`).catch(err => console.error(`[lingshu] ANALYZE ${table} failed: ${(err as Error).message}`));
  }

  private run<R = Row>(rt: DatasetRuntime, sql: string, params: unknown[]): Promise<R[]> {
    const name = rt.statementFor(sql);
    return name ? this.db.prepared<R>(name, sql, params) : this.db.query<R>(sql, params);
  }

  async create(rt: DatasetRuntime, body: unknown, by: Actor, policy?: DataAccessPolicy): Promise<Row> {
    const record = this.validated(rt, body, false);
    assertInScope(rt, record, policy);
    const id = rt.newId();
    const params = rt.insertParams(id, record);
    params.push(...this.auditParams(rt, DATA_AUDIT_ACTIONS.create, id, by));
    const [row] = await this.writeOrConflict(rt, () => this.db.prepared<Row>(rt.statement.insert, rt.sql.insert, params));
    return this.shown(rt, row, policy);
  }

  async replace(rt: DatasetRuntime, id: string, body: unknown, by: Actor, policy?: DataAccessPolicy): Promise<Row> {
    const record = this.validated(rt, body, false);
    assertInScope(rt, record, policy);
    const recordId = await this.existingId(rt, id, policy);
    const params = rt.insertParams(recordId, record);
    params.push(...this.auditParams(rt, DATA_AUDIT_ACTIONS.replace, recordId, by));
    const [row] = await this.writeOrConflict(rt, () => this.db.prepared<Row>(rt.statement.replace, rt.sql.replace, params));
    if (!row) throw notFound(`no ${rt.code} record with id ${id}`);
    return this.shown(rt, row, policy);
  }

  async update(rt: DatasetRuntime, id: string, body: unknown, by: Actor, policy?: DataAccessPolicy): Promise<Row> {
    const record = this.validated(rt, body, true);
    const present = rt.columnNames.filter(c => c in record);
    if (present.length === 0) return this.findById(rt, id, policy);
    if (policy?.scopeColumn && policy.scopeColumn in record) assertInScope(rt, record, policy);
    const recordId = await this.existingId(rt, id, policy);
    const params = rt.patchParams(recordId, present, record);
    params.push(...this.auditParams(rt, DATA_AUDIT_ACTIONS.update, recordId, by));
    const [row] = await this.writeOrConflict(rt, () => this.db.query<Row>(rt.patchStatement(present), params));
    if (!row) throw notFound(`no ${rt.code} record with id ${id}`);
    return this.shown(rt, row, policy);
  }

  async remove(rt: DatasetRuntime, id: string, by: Actor, policy?: DataAccessPolicy): Promise<void> {
    const recordId = await this.existingId(rt, id, policy);
    const params = [recordId, ...this.auditParams(rt, DATA_AUDIT_ACTIONS.remove, recordId, by)];
    const [row] = await this.db.prepared<Row>(rt.statement.remove, rt.sql.remove, params);
    if (!row) throw notFound(`no ${rt.code} record with id ${id}`);
  }

  /** at, actor, client_ip and MAC of the audit row a single-statement write adds (see DatasetRuntime.audited). */
  private auditParams(rt: DatasetRuntime, action: string, recordId: string, by: Actor): unknown[] {
    const s = this.auditLog.stamp({ ...actorOf(by), action, resource: rt.auditResource, recordId });
    return [s.atParam, s.actor, s.clientIp, s.mac];
  }

  /**
   * All or nothing: one COPY inside one transaction, fed while the records are validated (node
   * and the database work at once). Any invalid record fails the batch and rolls it back.
   */
  async bulkCreate(rt: DatasetRuntime, body: unknown, by: Actor, policy?: DataAccessPolicy): Promise<{ count: number; ids: string[] }> {
    if (!Array.isArray(body)) {
      throw unprocessable('a bulk request body must be a JSON array of records', [{ rule: 'type', message: 'body must be an array' }]);
    }
    const check = new BatchCheck(rt, body.length, policy);
    const ids: string[] = [];
    await this.writeOrConflict(
      rt,
      () =>
        this.db.transaction(async tx => {
          // The transaction's own timestamp, as now() would give each single insert.
          const [{ at }] = await tx.query<{ at: string }>('SELECT CAST(LOCALTIMESTAMP AS varchar) AS at');
          await tx.copyIn(rt.table, rt.copyColumns, encodedChunks(rt, body, check, ids, at));
          check.throwIfFailed();
          await this.auditLog.record(tx, {
            ...actorOf(by),
            action: 'data.bulk-create',
            resource: rt.auditResource,
            detail: { count: ids.length, firstId: ids[0], lastId: ids[ids.length - 1] },
          });
        }),
      check.rows,
    );
    // Fresh statistics soon rather than whenever autovacuum gets to it: until then the planner
    // thinks the table is tiny and picks sequential scans for every filtered query. The client
    // need not wait for it.
    if (ids.length >= ANALYZE_AFTER_ROWS) this.analyzeSoon(rt.table);
    return { count: ids.length, ids };
  }

  private validated(rt: DatasetRuntime, body: unknown, partial: boolean): Row {
    const { value, errors } = rt.validator(body, { partial });
    if (errors.length > 0) throw unprocessable(describe(rt, errors.length), errors.map(e => detail(e)));
    return value;
  }

  /** Lowercase, as the database prints a uuid: the audit row's record id is MACed before the write. */
  /** The id of a record the caller may change; with a row scope, the stored row must be inside it. */
  private async existingId(rt: DatasetRuntime, id: string, policy?: DataAccessPolicy): Promise<string> {
    if (!UUID.test(id)) throw notFound(`no ${rt.code} record with id ${id.slice(0, 40)}`);
    if (policy?.scopeColumn) await this.findById(rt, id, policy);
    return id.toLowerCase();
  }

  /** A unique-key clash becomes a 409 naming the key (never its values) and, for a batch, the rows. */
  private async writeOrConflict<T>(rt: DatasetRuntime, write: () => Promise<T>, batch?: Row[]): Promise<T> {
    try {
      return await write();
    } catch (err) {
      if (sqlState(err) !== PG_UNIQUE_VIOLATION) throw err;
      const key = rt.keyColumns.join(', ');
      const details = batch ? await this.existingKeys(rt, batch) : undefined;
      throw conflict(`a ${rt.code} record with the same key (${key}) already exists${batch ? '; nothing was written' : ''}`, details);
    }
  }

  /** Which rows of a batch clash with stored keys (only on the error path). */
  private async existingKeys(rt: DatasetRuntime, batch: Row[]): Promise<ErrorDetail[]> {
    // An encrypted key column is compared through its blind index.
    const terms = rt.keyColumns.map(c => {
      const e = rt.encrypted.find(x => x.column === c);
      return e ? { column: e.blindIndex, of: (r: Row) => rt.blindIndexOf(r[c]) } : { column: c, of: (r: Row) => r[c] ?? null };
    });
    const keyCols = terms.map(t => `"${t.column}"`).join(', ');
    const keyOf = (values: unknown[]) => JSON.stringify(values.map(String));
    const stored = new Set<string>();
    for (let start = 0; start < batch.length; start += 500) {
      const slice = batch.slice(start, start + 500);
      const params: unknown[] = [];
      const tuples = slice.map(r => `(${terms.map(t => { params.push(t.of(r)); return `$${params.length}`; }).join(', ')})`);
      const rows = await this.db.query<Row>(`SELECT ${keyCols} FROM "${rt.table}" WHERE (${keyCols}) IN (${tuples.join(', ')})`, params);
      for (const r of rows) stored.add(keyOf(terms.map(t => r[t.column])));
    }
    const details: ErrorDetail[] = [];
    batch.forEach((r, index) => {
      if (details.length < MAX_REPORTED_ERRORS && stored.has(keyOf(terms.map(t => t.of(r))))) {
        details.push({ index, field: rt.keyColumns.join(','), rule: 'duplicate-key', message: 'a stored record already has this key' });
      }
    });
    return details;
  }
}

function detail(e: RecordError, index?: number): ErrorDetail {
  const d: ErrorDetail = { field: e.field, rule: e.rule, message: `${e.field}: ${e.message}` };
  if (index !== undefined) d.index = index;
  if (e.position !== undefined) d.position = e.position;
  if (e.value !== undefined) d.value = e.value;
  return d;
}

function describe(rt: DatasetRuntime, errors: number): string {
  return `the ${rt.code} record is not valid (${errors} error${errors > 1 ? 's' : ''}); nothing was written`;
}

/**
 * COPY text for a batch, chunk by chunk, validating as it goes. After the first invalid record
 * nothing more is emitted, but validation continues so that the client hears of every error.
 */
function* encodedChunks(rt: DatasetRuntime, body: unknown[], check: BatchCheck, ids: string[], at: string): Generator<string> {
  for (let start = 0; start < body.length; start += ROWS_PER_CHUNK) {
    const rows = check.validate(body, start, Math.min(body.length, start + ROWS_PER_CHUNK));
    if (check.failed) continue;
    const chunkIds = rows.map(() => rt.newId());
    ids.push(...chunkIds);
    yield rt.copyText(chunkIds, rows, at);
  }
}

/** Validates a batch chunk by chunk, including key uniqueness within the batch. */
class BatchCheck {
  readonly rows: Row[] = [];
  private readonly details: ErrorDetail[] = [];
  private readonly keys = new Map<string, number>();
  private invalid = 0;

  private outOfScope = 0;

  constructor(
    private readonly rt: DatasetRuntime,
    private readonly total: number,
    private readonly policy?: DataAccessPolicy,
  ) {}

  get failed(): boolean {
    return this.invalid > 0;
  }

  validate(body: unknown[], start: number, end: number): Row[] {
    const chunk: Row[] = [];
    for (let index = start; index < end; index++) {
      const { value, errors } = this.rt.validator(body[index]);
      if (errors.length > 0) {
        this.invalid++;
        for (const e of errors) this.report(detail(e, index));
      } else if (this.policy && !this.policy.permitsRow(value)) {
        this.invalid++;
        this.outOfScope++;
        this.report({ index, field: this.policy.scopeColumn, rule: 'row-scope', message: 'is outside the institutions you may write for' });
      } else {
        this.checkKey(value, index);
      }
      chunk.push(value);
      this.rows.push(value);
    }
    return chunk;
  }

  throwIfFailed(): void {
    if (this.outOfScope > 0) {
      throw new ApiError(403, 'Forbidden', `${this.outOfScope} of ${this.total} ${this.rt.code} records are outside your row scope; nothing was written`, this.details);
    }
    if (this.invalid > 0) {
      throw unprocessable(`${this.invalid} of ${this.total} ${this.rt.code} records are not valid; nothing was written`, this.details);
    }
  }

  private checkKey(row: Row, index: number): void {
    const key = JSON.stringify(this.rt.keyColumns.map(c => row[c] ?? null));
    const first = this.keys.get(key);
    if (first === undefined) {
      this.keys.set(key, index);
      return;
    }
    this.invalid++;
    this.report({ index, field: this.rt.keyColumns.join(','), rule: 'duplicate-key', message: `repeats the key of record ${first}` });
  }

  private report(d: ErrorDetail): void {
    if (this.details.length < MAX_REPORTED_ERRORS) this.details.push(d);
  }
}

/** The caller's scope filter ANDed to the client's. */
function scoped(where: Filter['where'], policy?: DataAccessPolicy): Filter['where'] {
  if (!policy?.where) return where;
  return where && Object.keys(where).length > 0 ? { and: [where, policy.where] } : policy.where;
}

/**
 * Decrypts the encrypted columns. A key this process has not met (rotated by another instance)
 * is loaded and the rows tried again; a token that fails authentication is an integrity error.
 */
async function revealed(rt: DatasetRuntime, rows: Row[]): Promise<Row[]> {
  for (;;) {
    try {
      return rows.map(row => rt.reveal(row));
    } catch (err) {
      if (err instanceof MissingKeyError) await rt.protector!.load(err.keyId);
      else if (err instanceof CryptoError) throw new ApiError(500, 'IntegrityError', `a stored encrypted value of ${rt.code} failed authentication: it was altered outside the platform`);
      else throw err;
    }
  }
}

function assertInScope(rt: DatasetRuntime, record: Row, policy?: DataAccessPolicy): void {
  if (policy && !policy.permitsRow(record)) {
    const field = policy.scopeColumn ?? '';
    throw new ApiError(403, 'Forbidden', `this ${rt.code} record belongs to an institution outside your row scope`, [
      { field, rule: 'row-scope', message: 'is outside the institutions you may write for' },
    ]);
  }
}

/** A field this caller sees masked may not be filtered or sorted on: that would reveal its values. */
function assertNotProbingMasked(where: unknown, order: unknown, policy?: DataAccessPolicy): void {
  const masked = policy?.maskedColumns;
  if (!masked || masked.size === 0) return;
  const used = fieldsOf(where);
  const terms = typeof order === 'string' ? order.split(',') : Array.isArray(order) ? order : [];
  for (const t of terms) used.add(String(t).trim().split(/\s+/)[0]);
  const hit = [...used].filter(c => masked.has(c));
  if (hit.length > 0) {
    throw new ApiError(403, 'Forbidden', `${hit.join(', ')} ${hit.length > 1 ? 'are' : 'is'} masked for your roles and cannot be filtered or sorted on`, hit.map(field => ({ field, rule: 'masked-field', message: 'masked for your roles' })));
  }
}
