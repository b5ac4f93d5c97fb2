import { ColumnType } from '@lingshu/metamodel';
import { ErrorDetail, badRequest } from '../util/errors';

/** The LoopBack filter shape: `{where, fields, order, limit, skip|offset}`. */
export interface Filter {
  where?: Where;
  fields?: string[] | Record<string, boolean>;
  order?: string | string[];
  limit?: number;
  skip?: number;
  offset?: number;
}
export type Where = Record<string, unknown>;

export interface QueryColumn {
  column: string;
  type: ColumnType;
  /** Set for a column encrypted at rest: equality goes to its blind index, nothing else works. */
  blindIndex?: { column: string; of: (plaintext: string) => string };
}

const EQUALITY_OPS = new Set(['eq', 'neq', 'inq', 'nin']);

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

const OPERATORS: Record<string, string> = { eq: '=', neq: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=', like: 'LIKE', nlike: 'NOT LIKE', ilike: 'ILIKE', nilike: 'NOT ILIKE' };
const q = (name: string) => `"${name}"`;

/**
 * Turns a client filter into parameterised SQL over a whitelist of columns. Values are checked
 * against the column's type here, so a bad filter is a 400 naming the field, not a SQL error.
 */
export class WhereCompiler {
  readonly params: unknown[] = [];

  constructor(private readonly columns: Map<string, QueryColumn>) {}

  compile(where: Where | undefined): string {
    if (where === undefined || where === null) return '';
    const sql = this.clause(where, 'where');
    return sql ? ` WHERE ${sql}` : '';
  }

  private clause(where: unknown, path: string): string {
    if (typeof where !== 'object' || where === null || Array.isArray(where)) {
      throw invalid(path, 'where-shape', 'must be an object');
    }
    const parts: string[] = [];
    for (const [key, cond] of Object.entries(where)) {
      if (key === 'and' || key === 'or') parts.push(this.logical(key, cond, `${path}.${key}`));
      else parts.push(this.condition(key, cond, `${path}.${key}`));
    }
    return parts.join(' AND ');
  }

  private logical(op: 'and' | 'or', list: unknown, path: string): string {
    if (!Array.isArray(list) || list.length === 0) throw invalid(path, 'where-shape', 'must be a non-empty array');
    return `(${list.map((w, i) => `(${this.clause(w, `${path}[${i}]`)})`).join(op === 'and' ? ' AND ' : ' OR ')})`;
  }

  private condition(field: string, cond: unknown, path: string): string {
    const col = this.columns.get(field);
    if (!col) throw invalid(path, 'unknown-field', `"${field}" is not a field of this dataset`, field);
    if (col.blindIndex) return this.blindCondition(col, col.blindIndex, cond, path);
    const name = q(field);
    if (cond === null) return `${name} IS NULL`;
    if (typeof cond !== 'object' || Array.isArray(cond)) return `${name} = ${this.param(col, cond, path)}`;
    const entries = Object.entries(cond as Record<string, unknown>);
    if (entries.length !== 1) throw invalid(path, 'where-shape', 'must name exactly one operator', field);
    const [op, value] = entries[0];
    if (op in OPERATORS) {
      if (value === null && (op === 'eq' || op === 'neq')) return `${name} IS ${op === 'eq' ? '' : 'NOT '}NULL`;
      const isPattern = op.includes('like');
      if (isPattern && typeof value !== 'string') throw invalid(`${path}.${op}`, 'type', 'a pattern must be a string', field);
      return `${name} ${OPERATORS[op]} ${isPattern ? this.push(value) : this.param(col, value, `${path}.${op}`)}`;
    }
    if (op === 'inq' || op === 'nin') {
      if (!Array.isArray(value) || value.length === 0) throw invalid(`${path}.${op}`, 'where-shape', 'must be a non-empty array', field);
      const list = value.map((v, i) => this.param(col, v, `${path}.${op}[${i}]`));
      return `${name} ${op === 'inq' ? 'IN' : 'NOT IN'} (${list.join(', ')})`;
    }
    if (op === 'between') {
      if (!Array.isArray(value) || value.length !== 2) throw invalid(`${path}.between`, 'where-shape', 'must be an array of two values', field);
      return `${name} BETWEEN ${this.param(col, value[0], `${path}.between[0]`)} AND ${this.param(col, value[1], `${path}.between[1]`)}`;
    }
    throw invalid(`${path}.${op}`, 'unknown-operator', `"${op}" is not a supported operator`, field);
  }

  /** Equality on an encrypted column, as equality of blind indexes (the values never reach SQL). */
  private blindCondition(col: QueryColumn, bi: NonNullable<QueryColumn['blindIndex']>, cond: unknown, path: string): string {
    const name = q(bi.column);
    const indexed = (v: unknown, at: string) => this.push(bi.of(String(coerceFilterValue(col, v, at))));
    if (cond === null) return `${name} IS NULL`;
    if (typeof cond !== 'object' || Array.isArray(cond)) return `${name} = ${indexed(cond, path)}`;
    const entries = Object.entries(cond as Record<string, unknown>);
    const [op, value] = entries.length === 1 ? entries[0] : ['', undefined];
    if (!EQUALITY_OPS.has(op)) {
      throw invalid(path, 'encrypted-field', `is encrypted at rest: only equality (eq, neq, inq, nin) can be searched`, col.column);
    }
    if (op === 'eq' || op === 'neq') {
      if (value === null) return `${name} IS ${op === 'eq' ? '' : 'NOT '}NULL`;
      return `${name} ${OPERATORS[op]} ${indexed(value, `${path}.${op}`)}`;
    }
    if (!Array.isArray(value) || value.length === 0) throw invalid(`${path}.${op}`, 'where-shape', 'must be a non-empty array', col.column);
    return `${name} ${op === 'inq' ? 'IN' : 'NOT IN'} (${value.map((v, i) => indexed(v, `${path}.${op}[${i}]`)).join(', ')})`;
  }

  private param(col: QueryColumn, value: unknown, path: string): string {
    return this.push(coerceFilterValue(col, value, path));
  }

  private push(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE8 = /^(\d{4})(\d{2})(\d{2})$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

/** Query strings carry text; a filter value must fit the column it is compared with. */
export function coerceFilterValue(col: QueryColumn, value: unknown, path: string): unknown {
  const fail = (what: string) => invalid(path, 'type', `must be ${what}`, col.column, value);
  switch (col.type.family) {
    case 'integer':
    case 'numeric': {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isFinite(n)) throw fail('a number');
      if (col.type.family === 'integer' && !Number.isInteger(n)) throw fail('an integer');
      return n;
    }
    case 'boolean':
      if (value === true || value === 'true') return true;
      if (value === false || value === 'false') return false;
      throw fail('true or false');
    case 'date': {
      if (typeof value !== 'string') throw fail('a date YYYY-MM-DD');
      const d8 = DATE8.exec(value);
      const text = d8 ? `${d8[1]}-${d8[2]}-${d8[3]}` : value;
      if (!DATE.test(text) || Number.isNaN(Date.parse(text))) throw fail('a date YYYY-MM-DD');
      return text;
    }
    case 'timestamp':
      if (typeof value !== 'string' || !(DATETIME.test(value) || DATE.test(value))) throw fail('a date-time YYYY-MM-DDTHH:mm:ss');
      return value;
    case 'json':
    case 'bytea':
      throw invalid(path, 'not-filterable', 'this field cannot be filtered', col.column);
    default:
      if (typeof value === 'number') return String(value);
      if (typeof value !== 'string') throw fail('a string');
      return value;
  }
}

/** The field names a where clause tests, through and/or. */
export function fieldsOf(where: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(where)) for (const w of where) fieldsOf(w, into);
  else if (typeof where === 'object' && where !== null) {
    for (const [k, v] of Object.entries(where)) (k === 'and' || k === 'or' ? fieldsOf(v, into) : into.add(k));
  }
  return into;
}

export function compileOrder(order: unknown, columns: Map<string, QueryColumn>): string {
  if (order === undefined || order === null || order === '') return '';
  const list = typeof order === 'string' ? order.split(',') : order;
  if (!Array.isArray(list)) throw invalid('order', 'order-shape', 'must be a string or an array of strings');
  const terms = list.map((term, i) => {
    const m = /^\s*([a-z_][a-z0-9_]*)(?:\s+(asc|desc))?\s*$/i.exec(String(term));
    if (!m || !columns.has(m[1])) throw invalid(`order[${i}]`, 'unknown-field', `"${String(term)}" is not a sortable field`);
    if (columns.get(m[1])!.blindIndex) throw invalid(`order[${i}]`, 'encrypted-field', `"${m[1]}" is encrypted at rest and cannot be sorted on`, m[1]);
    return `${q(m[1])} ${(m[2] ?? 'ASC').toUpperCase()}`;
  });
  return ` ORDER BY ${terms.join(', ')}`;
}

export function compileFields(fields: unknown, columns: Map<string, QueryColumn>): string[] | undefined {
  if (fields === undefined || fields === null) return undefined;
  let names: string[];
  if (typeof fields === 'string') names = fields.split(',').map(s => s.trim());
  else if (Array.isArray(fields)) names = fields.map(String);
  else if (typeof fields === 'object') names = Object.entries(fields).filter(([, on]) => on).map(([k]) => k);
  else throw invalid('fields', 'fields-shape', 'must be a list of field names');
  for (const [i, n] of names.entries()) {
    if (!columns.has(n)) throw invalid(`fields[${i}]`, 'unknown-field', `"${n}" is not a field of this dataset`);
  }
  return names.length ? names : undefined;
}

export function pageOf(filter: Filter): { limit: number; offset: number } {
  const limit = filter.limit ?? DEFAULT_LIMIT;
  const offset = filter.offset ?? filter.skip ?? 0;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw invalid('limit', 'range', `must be an integer from 1 to ${MAX_LIMIT}`, undefined, limit);
  }
  if (!Number.isInteger(offset) || offset < 0) throw invalid('offset', 'range', 'must be a non-negative integer', undefined, offset);
  return { limit, offset };
}

function invalid(path: string, rule: string, message: string, field?: string, value?: unknown) {
  const detail: ErrorDetail = { path, rule, message: `${path} ${message}` };
  if (field) detail.field = field;
  if (value !== undefined) detail.value = typeof value === 'string' ? value.slice(0, 100) : value;
  return badRequest(`invalid filter: ${detail.message}`, [detail]);
}
