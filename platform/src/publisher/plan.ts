import { ColumnType, ResolvedDataset, columnTypeOf, isWidening, tableNameOf } from '@lingshu/metamodel';

/** A physical column of a dataset table, tied to its data element by the element's stable id. */
export interface ColumnState {
  column: string;
  elementId: string;
  type: ColumnType;
  key: boolean;
}

export interface TableState {
  version: number;
  table: string;
  columns: ColumnState[];
}

export type StepOp = 'create-table' | 'add-column' | 'rename-column' | 'widen-column' | 'retire-column' | 'replace-key';

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
}

const q = (name: string) => `"${name}"`;

export function columnsOf(resolved: ResolvedDataset): ColumnState[] {
  return [...resolved.dataset.inclusions]
    .sort((a, b) => a.order - b.order)
    .map(inc => ({
      column: inc.column,
      elementId: inc.elementId,
      type: columnTypeOf(resolved.elements[inc.elementId], inc.maxOccurs ?? 1),
      key: inc.primaryKey === true,
    }));
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
  const plan: MigrationPlan = { code, table, fromVersion: previous?.version, toVersion: next.dataset.version, steps: [], columns };
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
      plan.steps.push({ op: 'add-column', column: col.column, detail: `add ${col.column} ${col.type.sql}`, sql: [`ALTER TABLE ${q(table)} ADD COLUMN ${q(col.column)} ${col.type.sql}`], destructive: false });
      continue;
    }
    const name = old.column;
    if (old.type.sql !== col.type.sql) {
      if (isWidening(old.type, col.type)) {
        plan.steps.push({ op: 'widen-column', column: name, detail: `widen ${name} ${old.type.sql} → ${col.type.sql}`, sql: [`ALTER TABLE ${q(table)} ALTER COLUMN ${q(name)} TYPE ${col.type.sql}`], destructive: false });
      } else {
        plan.steps.push(retire(table, old, previous.version, `narrowed ${old.type.sql} → ${col.type.sql}`));
        plan.steps.push({ op: 'add-column', column: col.column, detail: `add ${col.column} ${col.type.sql} (replaces the retired column)`, sql: [`ALTER TABLE ${q(table)} ADD COLUMN ${q(col.column)} ${col.type.sql}`], destructive: false });
        continue;
      }
    }
    if (name !== col.column) {
      plan.steps.push({ op: 'rename-column', column: col.column, detail: `rename ${name} → ${col.column}`, sql: [`ALTER TABLE ${q(table)} RENAME COLUMN ${q(name)} TO ${q(col.column)}`], destructive: false });
    }
  }
  const keyOf = (cs: ColumnState[]) => cs.filter(c => c.key).map(c => c.elementId).join(',');
  if (keyOf(previous.columns) !== keyOf(columns)) {
    plan.steps.push(replaceKey(table, columns));
  }
  return plan;
}

function createTable(table: string, columns: ColumnState[]): MigrationStep {
  const defs = columns.map(c => `${q(c.column)} ${c.type.sql}`);
  const keyCols = columns.filter(c => c.key).map(c => q(c.column));
  return {
    op: 'create-table',
    detail: `create ${table} with ${columns.length} columns`,
    sql: [
      `CREATE TABLE ${q(table)} (id uuid PRIMARY KEY, ${defs.join(', ')}, ` +
        'created_at timestamp NOT NULL DEFAULT now(), updated_at timestamp NOT NULL DEFAULT now())',
      `CREATE UNIQUE INDEX ${q(`${table}_key`)} ON ${q(table)} (${keyCols.join(', ')})`,
    ],
    destructive: false,
  };
}

function replaceKey(table: string, columns: ColumnState[]): MigrationStep {
  const keyCols = columns.filter(c => c.key).map(c => q(c.column));
  return {
    op: 'replace-key',
    detail: `business key becomes (${columns.filter(c => c.key).map(c => c.column).join(', ')})`,
    sql: [`DROP INDEX IF EXISTS ${q(`${table}_key`)}`, `CREATE UNIQUE INDEX ${q(`${table}_key`)} ON ${q(table)} (${keyCols.join(', ')})`],
    destructive: false,
  };
}

function retire(table: string, col: ColumnState, version: number, why: string): MigrationStep {
  const aside = retiredName(col.column, version);
  return {
    op: 'retire-column',
    column: col.column,
    detail: `retire ${col.column} (${why}); its data stays in ${aside}`,
    sql: [`ALTER TABLE ${q(table)} RENAME COLUMN ${q(col.column)} TO ${q(aside)}`],
    destructive: true,
  };
}

export function retiredName(column: string, version: number): string {
  return `_retired_v${version}_${column}`.slice(0, 63);
}
