import { ResolvedDataset, ValueDomain } from '@lingshu/metamodel';
import { Database } from '../database';
import { ColumnState } from '../publisher/plan';
import type { FieldProtector } from '../security/crypto';
import { DatasetRuntime, withLiveDomains } from './dataset-runtime';

interface LiveRow {
  code: string;
  version: number;
  table_name: string;
  columns: ColumnState[];
  resolved: ResolvedDataset;
}

const LIVE_SQL = `SELECT t.code, t.version, t.table_name, t.columns, m.resolved
  FROM dataset_table t JOIN meta_item m ON m.id = t.dataset_id AND m.version = t.version
  WHERE t.status = 'live'`;

/**
 * The live dataset APIs of this process, by dataset code. Swapping a runtime is one map write,
 * so requests in flight finish on the version they started with.
 */
export class DatasetRegistry {
  private readonly byCode = new Map<string, DatasetRuntime>();
  private readonly listeners: Array<() => void> = [];

  constructor(
    private readonly db: Database,
    /** Needed by datasets with encrypted columns; the platform always passes one. */
    private readonly protector?: FieldProtector,
  ) {}

  get(code: string): DatasetRuntime | undefined {
    return this.byCode.get(code);
  }

  list(): DatasetRuntime[] {
    return [...this.byCode.values()].sort((a, b) => a.code.localeCompare(b.code));
  }

  /** Called after every change, e.g. to refresh derived documents. */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  async loadAll(): Promise<void> {
    const [rows, domains] = await Promise.all([this.db.query<LiveRow>(LIVE_SQL), this.liveDomains()]);
    this.byCode.clear();
    for (const row of rows) this.byCode.set(row.code, this.compile(row, domains));
    this.changed();
  }

  /** Re-reads one dataset from the store: mounts, replaces or unmounts its API. */
  async reload(code: string): Promise<void> {
    const [rows, domains] = await Promise.all([
      this.db.query<LiveRow>(`${LIVE_SQL} AND t.code = $1`, [code]),
      this.liveDomains(),
    ]);
    const current = this.byCode.get(code);
    if (rows.length === 0) this.byCode.delete(code);
    // Notifications may overtake each other: a slow reload must not put an older version back.
    else if (!current || rows[0].version >= current.version) this.byCode.set(code, this.compile(rows[0], domains));
    this.changed();
  }

  /** A value domain got a new published version: recompile the validators that use it. */
  async reloadDomain(domainId: string): Promise<void> {
    const users = this.list().filter(rt => rt.domainIds.has(domainId));
    if (users.length === 0) return;
    const domains = await this.liveDomains();
    for (const rt of users) this.byCode.set(rt.code, rt.withDomains(domains));
    this.changed();
  }

  private compile(row: LiveRow, domains: Map<string, ValueDomain>): DatasetRuntime {
    return new DatasetRuntime(withLiveDomains(row.resolved, domains), row.table_name, row.columns, this.protector);
  }

  private async liveDomains(): Promise<Map<string, ValueDomain>> {
    const rows = await this.db.query<{ body: ValueDomain }>(
      `SELECT body FROM meta_item WHERE kind = 'value-domain' AND workflow_status = 'published'`,
    );
    return new Map(rows.map(r => [r.body.id, r.body]));
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }
}
