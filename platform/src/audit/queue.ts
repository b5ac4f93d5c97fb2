import type { Database } from '../database/types';
import { AuditEntry, AuditWriter, StampedEntry } from './writer';

export interface AuditQueueOptions {
  /** Longest an entry waits before it is written. */
  flushMs?: number;
  /** Rows per INSERT. */
  batch?: number;
  /** Entries held while the database is unreachable; past this, new ones are counted as lost. */
  capacity?: number;
}

/** Reads by one reader of one resource in one window, gathered into one audit row. */
interface ReadGroup {
  entry: AuditEntry;
  at: number;
  reads: number;
  ids: unknown[];
  rows: number;
}

/** A coalesced read row lists at most this many record ids; more start another row. */
const IDS_PER_ROW = 1000;

/**
 * Audit rows for events that are not writes — reads of personal data, denied requests — kept in
 * memory and appended in batches off the request path. Reads by the same reader (actor, address,
 * action, resource, fields filtered on) within one window become one row listing every record id
 * read, so a busy reader costs an array push per request, not a row. An entry reaches the table
 * within `flushMs`; what a crash loses in that window is bounded and documented
 * (docs/compliance.md). Writes never come here: their audit row commits with them.
 */
export class AuditQueue {
  private pending: StampedEntry[] = [];
  private readonly reads = new Map<string, ReadGroup>();
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;
  private readonly flushMs: number;
  private readonly batch: number;
  private readonly capacity: number;
  /** Entries that could not be kept (database unreachable for long); reported by health. */
  lost = 0;

  constructor(
    private readonly db: Database,
    private readonly writer: AuditWriter,
    private readonly log: (line: string) => void = () => undefined,
    options: AuditQueueOptions = {},
  ) {
    this.flushMs = options.flushMs ?? 200;
    this.batch = options.batch ?? 500;
    this.capacity = options.capacity ?? 100_000;
  }

  note(entry: AuditEntry): void {
    if (this.pending.length >= this.capacity) {
      this.lost++;
      return;
    }
    this.pending.push(this.writer.stamp(entry));
    if (this.pending.length >= this.batch) this.schedule(0);
    else if (!this.timer) this.schedule(this.flushMs);
  }

  /**
   * A read of records: `ids` are the record ids returned; `filteredOn` names the fields the query
   * filtered on (never their values). One row per reader and window, recording when the first
   * read happened, how many requests and rows, and the ids.
   */
  noteRead(entry: Omit<AuditEntry, 'detail' | 'recordId'>, ids: unknown[], filteredOn?: string[]): void {
    const key = `${entry.actor}\u0000${entry.clientIp ?? ''}\u0000${entry.action}\u0000${entry.resource}\u0000${filteredOn?.join(',') ?? ''}`;
    let group = this.reads.get(key);
    if (!group) {
      if (this.reads.size + this.pending.length >= this.capacity) {
        this.lost++;
        return;
      }
      group = { entry: filteredOn ? { ...entry, detail: { filteredOn } } : entry, at: Date.now(), reads: 0, ids: [], rows: 0 };
      this.reads.set(key, group);
    }
    group.reads++;
    group.rows += ids.length;
    for (const id of ids) if (group.ids.length < IDS_PER_ROW) group.ids.push(id);
    if (group.ids.length >= IDS_PER_ROW) this.closeGroup(key, group);
    if (!this.timer) this.schedule(this.flushMs);
  }

  private closeGroup(key: string, group: ReadGroup): void {
    this.reads.delete(key);
    const detail = { ...group.entry.detail, reads: group.reads, rows: group.rows, ids: group.ids, firstReadAt: new Date(group.at).toISOString() };
    this.pending.push(this.writer.stamp({ ...group.entry, recordId: group.ids.length === 1 ? String(group.ids[0]) : null, detail }));
  }

  /** Writes everything noted so far. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    for (const [key, group] of this.reads) this.closeGroup(key, group);
    if (this.pending.length === 0) return;
    this.flushing = this.writeAll().finally(() => (this.flushing = undefined));
    await this.flushing;
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush().catch(err => {
        this.log(`audit queue: ${this.pending.length} entries wait for the database (${(err as Error).message})`);
        this.schedule(Math.max(this.flushMs, 1000));
      });
    }, ms);
    this.timer.unref();
  }

  private async writeAll(): Promise<void> {
    while (this.pending.length > 0) {
      const rows = this.pending.slice(0, this.batch);
      await this.insert(rows);
      this.pending = this.pending.slice(rows.length);
    }
  }

  private async insert(rows: StampedEntry[]): Promise<void> {
    const params: unknown[] = [];
    const tuples = rows.map(s => {
      const at = params.length;
      params.push(s.atParam, s.actor, s.action, s.resource, s.recordId, s.detail, s.clientIp, s.outcome, s.mac);
      const p = (i: number) => `$${at + i}`;
      return `(CAST(${p(1)} AS timestamp), ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, CAST(${p(6)} AS jsonb), ${p(7)}, ${p(8)}, ${p(9)})`;
    });
    await this.db.query(`INSERT INTO audit_log (at, actor, action, resource, record_id, detail, client_ip, outcome, mac) VALUES ${tuples.join(', ')}`, params);
  }
}
