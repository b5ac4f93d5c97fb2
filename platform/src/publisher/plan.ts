import { ColumnType, ResolvedDataset, columnTypeOf, isWidening, tableNameOf } from '@lingshu/metamodel';

/** A physical column of a dataset table, tied to its data element by the element's stable id. */
export interface ColumnState {
  column: string;
  elementId: string;
  type: ColumnType;
  key: boolean;
  /** Holds field-encryption tokens; its blind index lives in `blindIndexColumn(column)`. */
  encrypted?: boolean;
}

export interface TableState {
  version: number;
  table: string;
  columns: ColumnState[];
}

export type StepOp = 'create-table' | 'add-column' | 'rename-column' | 'widen-column' | 'retire-column' | 'replace-key' | 'encrypt-column';

export interface MigrationStep {
  op: StepOp;
  column?: string;
  detail: string;
  sql: string[];
  /** Loses the column from the API; allowed only through the retire path, which keeps the data. */
  destructive: boolean;
}

export interface MigrationPlan {
  code: string;
  table: string;
  fromVersion?: number;
  toVersion: number;
  steps: MigrationStep[];
  columns: ColumnState[];
  /** Columns whose stored plaintext must be encrypted by a background job after publishing. */
  toEncrypt: string[];
}

const q = (name: string) => `"${name}"`;
/** Tokens are longer than the plaintext and vary in length, so an encrypted column is text. */
const TOKEN_TYPE: ColumnType = { sql: 'text', family: 'text' };
const BLIND_INDEX_TYPE = 'varchar(32)';

export function columnsOf(resolved: ResolvedDataset): ColumnState[] {
  return [...resolved.dataset.inclusions]
    .sort((a, b) => a.order - b.order)
    .map(inc => {
      const element = resolved.elements[inc.elementId];
      const encrypted = element.encrypted === true && (inc.maxOccurs ?? 1) === 1;
      const col: ColumnState = {
        column: inc.column,
        elementId: inc.elementId,
        type: encrypted ? { ...TOKEN_TYPE } : columnTypeOf(element, inc.maxOccurs ?? 1),
        key: inc.primaryKey === true,
      };
      if (encrypted) col.encrypted = true;
      return col;
    });
}

/** The blind-index column beside an encrypted column (a leading _ never clashes with a business column). */
export function blindIndexColumn(column: string): string {
  return `_bi_${column}`.slice(0, 63);
}

/** The columns a key or an index is built on: an encrypted column is indexed by its blind index. */
function indexedName(col: ColumnState): string {
  return q(col.encrypted ? blindIndexColumn(col.column) : col.column);
}

/**
 * The DDL that takes a dataset table from its published shape to the next version's. Columns are
 * matched by data element id, so a renamed column keeps its data. Nothing is ever dropped: a
 * removed or narrowed column is renamed aside (retired) and only when the caller asks for it.
 */
export function planMigration(previous: TableState | undefined, next: ResolvedDataset): MigrationPlan {
  const code = next.dataset.code;
  const table = previous?.table ?? tableNameOf(code);
  const columns = columnsOf(next);
  const plan: MigrationPlan = { code, table, fromVersion: previous?.version, toVersion: next.dataset.version, steps: [], columns, toEncrypt: [] };
  if (!previous) {
    plan.steps.push(createTable(table, columns));
    return plan;
  }
  const before = new Map(previous.columns.map(c => [c.elementId, c]));
  const after = new Set(columns.map(c => c.elementId));
  for (const old of previous.columns.filter(c => !after.has(c.elementId))) {
    plan.steps.push(retire(table, old, previous.version, 'removed from the dataset'));
  }
  for (const col of columns) {
    const old = before.get(col.elementId);
    if (!old) {
      plan.steps.push(addColumn(table, col));
      continue;
    }
    const name = old.column;
    if (old.encrypted && !col.encrypted) {
      // Decrypting in place would put plaintext where tokens were: keep the tokens aside instead.
      plan.steps.push(retire(table, old, previous.version, 'no longer encrypted'));
      plan.steps.push(addColumn(table, col, ' (replaces the retired encrypted column)'));
      continue;
    }
    if (!old.encrypted && col.encrypted) {
      plan.steps.push(encryptColumn(table, old));
      plan.toEncrypt.push(col.column);
    } else if (old.type.sql !== col.type.sql) {
      if (isWidening(old.type, col.type)) {
        plan.steps.push({ op: 'widen-column', column: name, detail: `widen ${name} ${old.type.sql} → ${col.type.sql}`, sql: [`ALTER TABLE ${q(table)} ALTER COLUMN ${q(name)} TYPE ${col.type.sql}`], destructive: false });
      } else {
        plan.steps.push(retire(table, old, previous.version, `narrowed ${old.type.sql} → ${col.type.sql}`));
        plan.steps.push(addColumn(table, col, ' (replaces the retired column)'));
        continue;
      }
    }
    if (name !== col.column) {
      const sql = [renameSql(table, name, col.column)];
      if (col.encrypted) sql.push(renameSql(table, blindIndexColumn(name), blindIndexColumn(col.column)));
      if (sortIndexed(col)) sql.push(`ALTER INDEX IF EXISTS ${sortIndexName(table, name)} RENAME TO ${sortIndexName(table, col.column)}`);
      plan.steps.push({ op: 'rename-column', column: col.column, detail: `rename ${name} → ${col.column}`, sql, destructive: false });
    }
  }
  const keyOf = (cs: ColumnState[]) => cs.filter(c => c.key).map(c => `${c.elementId}${c.encrypted ? '#bi' : ''}`).join(',');
  if (keyOf(previous.columns) !== keyOf(columns)) {
    plan.steps.push(replaceKey(table, columns));
  }
  return plan;
}

function createTable(table: string, columns: ColumnState[]): MigrationStep {
  const defs = columns.flatMap(c => [`${q(c.column)} ${c.type.sql}`, ...(c.encrypted ? [`${q(blindIndexColumn(c.column))} ${BLIND_INDEX_TYPE}`] : [])]);
  const keyCols = columns.filter(c => c.key).map(indexedName);
  return {
    op: 'create-table',
    detail: `create ${table} with ${columns.length} columns`,
    sql: [
      `CREATE TABLE ${q(table)} (id uuid PRIMARY KEY, ${defs.join(', ')}, ` +
        'created_at timestamp NOT NULL DEFAULT now(), updated_at timestamp NOT NULL DEFAULT now())',
      `CREATE UNIQUE INDEX ${q(`${table}_key`)} ON ${q(table)} (${keyCols.join(', ')})`,
      ...columns.filter(c => c.encrypted).map(c => blindIndexDdl(table, c.column)),
      ...columns.filter(sortIndexed).map(c => sortIndexDdl(table, c.column)),
    ],
    destructive: false,
  };
}

/**
 * Query screens sort by a date or date-time column (newest first) and page with LIMIT/OFFSET:
 * without an index every page sorts the whole table.
 */
const sortIndexed = (c: ColumnState) => !c.encrypted && !c.key && (c.type.family === 'date' || c.type.family === 'timestamp');

const sortIndexName = (table: string, column: string) => q(`${`${table}_${column}`.slice(0, 60)}_ix`);

function sortIndexDdl(table: string, column: string): string {
  return `CREATE INDEX IF NOT EXISTS ${sortIndexName(table, column)} ON ${q(table)} (${q(column)})`;
}

/** Equality search on an encrypted column goes through its blind index, so index it. */
function blindIndexDdl(table: string, column: string): string {
  return `CREATE INDEX ${q(`${table}${blindIndexColumn(column)}`.slice(0, 63))} ON ${q(table)} (${q(blindIndexColumn(column))})`;
}

function addColumn(table: string, col: ColumnState, why = ''): MigrationStep {
  const sql = [`ALTER TABLE ${q(table)} ADD COLUMN ${q(col.column)} ${col.type.sql}`];
  if (col.encrypted) sql.push(`ALTER TABLE ${q(table)} ADD COLUMN ${q(blindIndexColumn(col.column))} ${BLIND_INDEX_TYPE}`, blindIndexDdl(table, col.column));
  if (sortIndexed(col)) sql.push(sortIndexDdl(table, col.column));
  return { op: 'add-column', column: col.column, detail: `add ${col.column} ${col.type.sql}${col.encrypted ? ' (encrypted)' : ''}${why}`, sql, destructive: false };
}

function encryptColumn(table: string, old: ColumnState): MigrationStep {
  const sql = [`ALTER TABLE ${q(table)} ADD COLUMN ${q(blindIndexColumn(old.column))} ${BLIND_INDEX_TYPE}`, blindIndexDdl(table, old.column)];
  if (old.type.sql !== TOKEN_TYPE.sql) sql.unshift(`ALTER TABLE ${q(table)} ALTER COLUMN ${q(old.column)} TYPE ${TOKEN_TYPE.sql}`);
  return { op: 'encrypt-column', column: old.column, detail: `encrypt ${old.column} at rest (a background job encrypts the stored values)`, sql, destructive: false };
}

function replaceKey(table: string, columns: ColumnState[]): MigrationStep {
  const keyCols = columns.filter(c => c.key).map(indexedName);
  return {
    op: 'replace-key',
    detail: `business key becomes (${columns.filter(c => c.key).map(c => c.column).join(', ')})`,
    sql: [`DROP INDEX IF EXISTS ${q(`${table}_key`)}`, `CREATE UNIQUE INDEX ${q(`${table}_key`)} ON ${q(table)} (${keyCols.join(', ')})`],
    destructive: false,
  };
}

function retire(table: string, col: ColumnState, version: number, why: string): MigrationStep {
  const aside = retiredName(col.column, version);
  const sql = [`ALTER TABLE ${q(table)} RENAME COLUMN ${q(col.column)} TO ${q(aside)}`];
  if (col.encrypted) sql.push(renameSql(table, blindIndexColumn(col.column), retiredName(blindIndexColumn(col.column), version)));
  // Frees the sort index's name for a column that may come back under the same name.
  if (sortIndexed(col)) sql.push(`DROP INDEX IF EXISTS ${sortIndexName(table, col.column)}`);
  return {
    op: 'retire-column',
    column: col.column,
    detail: `retire ${col.column} (${why}); its data stays in ${aside}`,
    sql,
    destructive: true,
  };
}

function renameSql(table: string, from: string, to: string): string {
  return `ALTER TABLE ${q(table)} RENAME COLUMN ${q(from)} TO ${q(to)}`;
}

export function retiredName(column: string, version: number): string {
  return `_retired_v${version}_${column}`.slice(0, 63);
}
