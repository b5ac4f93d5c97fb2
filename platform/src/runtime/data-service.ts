import { RecordError } from '@lingshu/metamodel';
import { Database, Queryable } from '../database';
import { audit } from '../util/audit';
import { ErrorDetail, PG_UNIQUE_VIOLATION, conflict, notFound, sqlState, unprocessable } from '../util/errors';
import { DatasetRuntime } from './dataset-runtime';
import { Filter, WhereCompiler, compileFields, compileOrder, pageOf } from './filter';

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
  constructor(private readonly db: Database) {}

  async findById(rt: DatasetRuntime, id: string): Promise<Row> {
    if (!UUID.test(id)) throw notFound(`no ${rt.code} record with id ${id.slice(0, 40)}`);
    const [row] = await this.db.prepared<Row>(rt.statement.byId, rt.sql.byId, [id]);
    if (!row) throw notFound(`no ${rt.code} record with id ${id}`);
    return rt.present(row);
  }

  async find(rt: DatasetRuntime, filter: Filter): Promise<Row[]> {
    const where = new WhereCompiler(rt.queryColumns);
    const whereSql = where.compile(filter.where);
    const order = compileOrder(filter.order, rt.queryColumns) || ' ORDER BY "id"';
    const fields = compileFields(filter.fields, rt.queryColumns);
    const { limit, offset } = pageOf(filter);
    const select = fields ? fields.map(f => `"${f}"`).join(', ') : rt.selectList;
    const params = [...where.params, limit, offset];
    const sql = `SELECT ${select} FROM "${rt.table}"${whereSql}${order} LIMIT $${params.length - 1} OFFSET $${params.length}`;
    return (await this.run(rt, sql, params)).map(rt.present);
  }

  async count(rt: DatasetRuntime, whereFilter: Filter['where']): Promise<number> {
    const where = new WhereCompiler(rt.queryColumns);
    const sql = `SELECT count(*) AS count FROM "${rt.table}"${where.compile(whereFilter)}`;
    const [row] = await this.run<{ count: number }>(rt, sql, where.params);
    return Number(row.count);
  }

  private analyzeSoon(table: string): void {
    this.db.query(`ANALYZE "${table}"`).catch(err => console.error(`[lingshu] ANALYZE ${table} failed: ${(err as Error).message}`));
  }

  private run<R = Row>(rt: DatasetRuntime, sql: string, params: unknown[]): Promise<R[]> {
    const name = rt.statementFor(sql);
    return name ? this.db.prepared<R>(name, sql, params) : this.db.query<R>(sql, params);
  }

  async create(rt: DatasetRuntime, body: unknown, actor: string): Promise<Row> {
    const record = this.validated(rt, body, false);
    const params = rt.insertParams(rt.newId(), record);
    params.push(actor);
    const [row] = await this.writeOrConflict(rt, () => this.db.prepared<Row>(rt.statement.insert, rt.sql.insert, params));
    return rt.present(row);
  }

  async replace(rt: DatasetRuntime, id: string, body: unknown, actor: string): Promise<Row> {
    const record = this.validated(rt, body, false);
    const params = rt.insertParams(this.existingId(rt, id), record);
    params.push(actor);
    const [row] = await this.writeOrConflict(rt, () => this.db.prepared<Row>(rt.statement.replace, rt.sql.replace, params));
    if (!row) throw notFound(`no ${rt.code} record with id ${id}`);
    return rt.present(row);
  }

  async update(rt: DatasetRuntime, id: string, body: unknown, actor: string): Promise<Row> {
    const record = this.validated(rt, body, true);
    const present = rt.columnNames.filter(c => c in record);
    if (present.length === 0) return this.findById(rt, id);
    const params = rt.patchParams(this.existingId(rt, id), present, record);
    params.push(actor);
    const [row] = await this.writeOrConflict(rt, () => this.db.query<Row>(rt.patchStatement(present), params));
    if (!row) throw notFound(`no ${rt.code} record with id ${id}`);
    return rt.present(row);
  }

  async remove(rt: DatasetRuntime, id: string, actor: string): Promise<void> {
    const [row] = await this.db.prepared<Row>(rt.statement.remove, rt.sql.remove, [this.existingId(rt, id), actor]);
    if (!row) throw notFound(`no ${rt.code} record with id ${id}`);
  }

  /**
   * All or nothing: one COPY inside one transaction, fed while the records are validated (node
   * and the database work at once). Any invalid record fails the batch and rolls it back.
   */
  async bulkCreate(rt: DatasetRuntime, body: unknown, actor: string): Promise<{ count: number; ids: string[] }> {
    if (!Array.isArray(body)) {
      throw unprocessable('a bulk request body must be a JSON array of records', [{ rule: 'type', message: 'body must be an array' }]);
    }
    const check = new BatchCheck(rt, body.length);
    const ids: string[] = [];
    await this.writeOrConflict(
      rt,
      () =>
        this.db.transaction(async tx => {
          // The transaction's own timestamp, as now() would give each single insert.
          const [{ at }] = await tx.query<{ at: string }>('SELECT CAST(LOCALTIMESTAMP AS varchar) AS at');
          await tx.copyIn(rt.table, rt.copyColumns, encodedChunks(rt, body, check, ids, at));
          check.throwIfFailed();
          await audit(tx, actor, 'data.bulk-create', `data:${rt.code}`, null, { count: ids.length, firstId: ids[0], lastId: ids[ids.length - 1] });
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

  private existingId(rt: DatasetRuntime, id: string): string {
    if (!UUID.test(id)) throw notFound(`no ${rt.code} record with id ${id.slice(0, 40)}`);
    return id;
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
    const keyCols = rt.keyColumns.map(c => `"${c}"`).join(', ');
    const stored = new Set<string>();
    for (let start = 0; start < batch.length; start += 500) {
      const slice = batch.slice(start, start + 500);
      const params: unknown[] = [];
      const tuples = slice.map(r => `(${rt.keyColumns.map(c => { params.push(r[c] ?? null); return `$${params.length}`; }).join(', ')})`);
      const rows = await this.db.query<Row>(`SELECT ${keyCols} FROM "${rt.table}" WHERE (${keyCols}) IN (${tuples.join(', ')})`, params);
      for (const r of rows) stored.add(JSON.stringify(rt.keyColumns.map(c => String(r[c]))));
    }
    const details: ErrorDetail[] = [];
    batch.forEach((r, index) => {
      if (details.length < MAX_REPORTED_ERRORS && stored.has(JSON.stringify(rt.keyColumns.map(c => String(r[c]))))) {
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

  constructor(
    private readonly rt: DatasetRuntime,
    private readonly total: number,
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
      } else {
        this.checkKey(value, index);
      }
      chunk.push(value);
      this.rows.push(value);
    }
    return chunk;
  }

  throwIfFailed(): void {
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
