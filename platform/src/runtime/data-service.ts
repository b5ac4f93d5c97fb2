import { RecordError } from '@lingshu/metamodel';
import { Database, Queryable } from '../database';
import { audit } from '../util/audit';
import { ErrorDetail, PG_UNIQUE_VIOLATION, conflict, notFound, sqlState, unprocessable } from '../util/errors';
import { DatasetRuntime } from './dataset-runtime';
import { Filter, WhereCompiler, compileFields, compileOrder, pageOf } from './filter';

type Row = Record<string, unknown>;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ROWS_PER_STATEMENT = 5000;
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
    return row;
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
    return this.run(rt, sql, params);
  }

  async count(rt: DatasetRuntime, whereFilter: Filter['where']): Promise<number> {
    const where = new WhereCompiler(rt.queryColumns);
    const sql = `SELECT count(*) AS count FROM "${rt.table}"${where.compile(whereFilter)}`;
    const [row] = await this.run<{ count: number }>(rt, sql, where.params);
    return Number(row.count);
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
    return row;
  }

  async replace(rt: DatasetRuntime, id: string, body: unknown, actor: string): Promise<Row> {
    const record = this.validated(rt, body, false);
    const params = rt.insertParams(this.existingId(rt, id), record);
    params.push(actor);
    const [row] = await this.writeOrConflict(rt, () => this.db.prepared<Row>(rt.statement.replace, rt.sql.replace, params));
    if (!row) throw notFound(`no ${rt.code} record with id ${id}`);
    return row;
  }

  async update(rt: DatasetRuntime, id: string, body: unknown, actor: string): Promise<Row> {
    const record = this.validated(rt, body, true);
    const present = rt.columnNames.filter(c => c in record);
    if (present.length === 0) return this.findById(rt, id);
    const params = rt.patchParams(this.existingId(rt, id), present, record);
    params.push(actor);
    const [row] = await this.writeOrConflict(rt, () => this.db.query<Row>(rt.patchStatement(present), params));
    if (!row) throw notFound(`no ${rt.code} record with id ${id}`);
    return row;
  }

  async remove(rt: DatasetRuntime, id: string, actor: string): Promise<void> {
    const [row] = await this.db.prepared<Row>(rt.statement.remove, rt.sql.remove, [this.existingId(rt, id), actor]);
    if (!row) throw notFound(`no ${rt.code} record with id ${id}`);
  }

  /**
   * All or nothing: every record is validated first, and any error rejects the whole batch; the
   * rows then go in with multi-row INSERTs inside one transaction.
   */
  async bulkCreate(rt: DatasetRuntime, body: unknown, actor: string): Promise<{ count: number; ids: string[] }> {
    if (!Array.isArray(body)) {
      throw unprocessable('a bulk request body must be a JSON array of records', [{ rule: 'type', message: 'body must be an array' }]);
    }
    const records = this.validatedBatch(rt, body);
    this.assertNoDuplicateKeys(rt, records);
    const ids = records.map(() => rt.newId());
    await this.writeOrConflict(rt, () =>
      this.db.transaction(async tx => {
        await this.insertChunks(tx, rt, records, ids);
        await audit(tx, actor, 'data.bulk-create', `data:${rt.code}`, null, { count: ids.length, firstId: ids[0], lastId: ids[ids.length - 1] });
      }),
      records,
    );
    // Fresh statistics now rather than whenever autovacuum gets to it: until then the planner
    // thinks the table is tiny and picks sequential scans for every filtered query.
    if (ids.length >= ANALYZE_AFTER_ROWS) await this.db.query(`ANALYZE "${rt.table}"`);
    return { count: ids.length, ids };
  }

  private async insertChunks(tx: Queryable, rt: DatasetRuntime, records: Row[], ids: string[]): Promise<void> {
    for (let start = 0; start < records.length; start += ROWS_PER_STATEMENT) {
      const end = Math.min(records.length, start + ROWS_PER_STATEMENT);
      await tx.query(rt.bulkInsert, rt.bulkParams(ids.slice(start, end), records.slice(start, end)));
    }
  }

  private validated(rt: DatasetRuntime, body: unknown, partial: boolean): Row {
    const { value, errors } = rt.validator(body, { partial });
    if (errors.length > 0) throw unprocessable(describe(rt, errors.length), errors.map(e => detail(e)));
    return value;
  }

  private validatedBatch(rt: DatasetRuntime, body: unknown[]): Row[] {
    const details: ErrorDetail[] = [];
    let failed = 0;
    const values = body.map((record, index) => {
      const { value, errors } = rt.validator(record);
      if (errors.length > 0) failed++;
      for (const e of errors) if (details.length < MAX_REPORTED_ERRORS) details.push(detail(e, index));
      return value;
    });
    if (failed > 0) throw unprocessable(`${failed} of ${body.length} ${rt.code} records are not valid; nothing was written`, details);
    return values;
  }

  private assertNoDuplicateKeys(rt: DatasetRuntime, records: Row[]): void {
    const seen = new Map<string, number>();
    const details: ErrorDetail[] = [];
    records.forEach((r, index) => {
      const key = JSON.stringify(rt.keyColumns.map(c => r[c] ?? null));
      const first = seen.get(key);
      if (first === undefined) seen.set(key, index);
      else if (details.length < MAX_REPORTED_ERRORS) {
        details.push({ index, field: rt.keyColumns.join(','), rule: 'duplicate-key', message: `repeats the key of record ${first}` });
      }
    });
    if (details.length > 0) throw unprocessable(`${details.length} records repeat a key within the batch; nothing was written`, details);
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
