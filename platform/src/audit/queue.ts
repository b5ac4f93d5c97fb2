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

/**
 * Audit rows for events that are not writes — reads of personal data, denied requests — stamped
 * and MACed when they happen, appended in batches off the request path: a read costs one HMAC,
 * not a round trip. An entry reaches the table within `flushMs`; what a crash loses in that
 * window is bounded and documented (docs/compliance.md). Writes never come here: their audit row
 * commits with them.
 */
export class AuditQueue {
  private pending: StampedEntry[] = [];
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

  /** Writes everything noted so far. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
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
