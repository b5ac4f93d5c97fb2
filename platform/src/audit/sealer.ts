import { KeyObject } from 'node:crypto';
import { Database, Queryable } from '../database/types';
import { GENESIS_HASH, auditTime, chainHash, checkpointMessage, macSecret } from './canonical';
import { ROW_COLUMNS, StoredRow, chainStartSetting, latestCheckpoint, macMatches, signatureProblem } from './stored';
import { AuditFinding, AuditKeys } from './types';

/** Held inside each sealing transaction: one sealer at a time across all processes. */
const SEAL_LOCK = 7340020;
const MAX_PENDING_HORIZONS = 1000;

export interface SealerOptions {
  /** Pause between passes (default 500 ms). */
  intervalMs?: number;
  /**
   * A timed pass seals once a checkpoint's worth of rows waits, or once the newest checkpoint is
   * this old (default 5000 ms): under light traffic, one signed checkpoint per few seconds rather
   * than one per pass. This bounds how long a row stays unsealed. sealNow() always seals.
   */
  maxDelayMs?: number;
  /** Rows per sealing transaction (default 2000). */
  batchSize?: number;
  /** A signed checkpoint every this many sealed rows, and at the end of each pass (default 1000). */
  checkpointEvery?: number;
  /** Rows the sealer refuses to seal; default: logged (seq and kind only). */
  onFinding?: (finding: AuditFinding) => void;
}

export interface AuditSealer {
  /** Seals every row committed so far (up to the first bad one); resolves to the number sealed. */
  sealNow(): Promise<number>;
  stop(): Promise<void>;
}

interface Tip {
  seq: number;
  hash: string;
  /** When the checkpoint was signed (epoch ms). */
  signedAt?: number;
}

export function startAuditSealer(db: Database, keys: AuditKeys, options: SealerOptions = {}): AuditSealer {
  const sealer = new Sealer(db, keys, options);
  sealer.start();
  return sealer;
}

/**
 * Chains audit rows in seq order: hash = SM3(prev ‖ mac ‖ seq), after checking each row's MAC,
 * and signs a checkpoint at the end of each pass. A row whose MAC fails stops sealing there.
 */
class Sealer implements AuditSealer {
  private readonly key: KeyObject;
  private readonly horizon = new SealHorizon();
  private readonly intervalMs: number;
  private readonly maxDelayMs: number;
  private readonly batchSize: number;
  private readonly every: number;
  private readonly onFinding: (finding: AuditFinding) => void;
  private readonly reported = new Set<string>();
  private running: Promise<unknown> = Promise.resolve();
  private timer?: NodeJS.Timeout;
  private stopped = false;
  /** The checkpoint this sealer wrote last: no need to check its signature again. */
  private ownTip?: Tip;
  private lastError?: string;

  constructor(
    private readonly db: Database,
    private readonly keys: AuditKeys,
    options: SealerOptions,
  ) {
    this.key = macSecret(keys.macKey);
    this.intervalMs = options.intervalMs ?? 500;
    this.maxDelayMs = options.maxDelayMs ?? 5000;
    this.batchSize = options.batchSize ?? 2000;
    this.every = options.checkpointEvery ?? 1000;
    this.onFinding = options.onFinding ?? logFinding;
  }

  start(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.serial(() => this.sealAll(false))
        .then(() => (this.lastError = undefined))
        .catch(err => this.logError(err))
        .finally(() => this.start());
    }, this.intervalMs);
    this.timer.unref();
  }

  sealNow(): Promise<number> {
    return this.serial(() => this.sealAll(true));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Passes of this process never overlap (other processes are kept out by the lock). */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.running.then(work);
    this.running = next.catch(() => undefined);
    return next;
  }

  private async sealAll(force: boolean): Promise<number> {
    const horizon = await this.horizon.advance(this.db);
    let total = 0;
    while (!this.stopped) {
      const { sealed, more } = await this.db.transaction(tx => this.pass(tx, horizon, force));
      total += sealed;
      if (!more) break;
    }
    return total;
  }

  private async pass(tx: Queryable, horizon: number, force: boolean): Promise<{ sealed: number; more: boolean }> {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [SEAL_LOCK]);
    const tip = await this.tip(tx);
    if (!tip || (!force && !this.due(tip, horizon))) return { sealed: 0, more: false };
    const rows = await tx.query<StoredRow>(
      `SELECT ${ROW_COLUMNS} FROM audit_log WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT ${this.batchSize}`,
      [tip.seq, horizon],
    );
    const seals = this.chain(tip, rows);
    await this.save(tx, seals);
    return { sealed: seals.length, more: rows.length === this.batchSize && seals.length === rows.length };
  }

  /** The latest checkpoint, trusted only once its signature checks; the genesis on first run. */
  private async tip(tx: Queryable): Promise<Tip | undefined> {
    const latest = await latestCheckpoint(tx);
    if (!latest) return this.genesis(tx);
    const own = this.ownTip?.seq === latest.seq && this.ownTip.hash === latest.hash;
    const problem = own ? undefined : signatureProblem(latest, [this.keys.signer, ...(this.keys.retiredSigners ?? [])]);
    if (problem) {
      this.report({ kind: 'checkpoint-invalid', seq: latest.seq, detail: `${problem}; sealing stopped` });
      return undefined;
    }
    return { seq: latest.seq, hash: latest.hash, signedAt: Date.parse(`${latest.signed_at}Z`) };
  }

  /** Seq gaps only make `horizon - tip.seq` overcount, which seals a little early. */
  private due(tip: Tip, horizon: number): boolean {
    return horizon - tip.seq >= this.every || !(Date.now() - (tip.signedAt ?? 0) < this.maxDelayMs);
  }

  /** A signed zero hash at the chain start: where verification begins, so it cannot be moved. */
  private async genesis(tx: Queryable): Promise<Tip> {
    const seq = await chainStartSetting(tx);
    await this.checkpoint(tx, { seq, hash: GENESIS_HASH });
    return { seq, hash: GENESIS_HASH };
  }

  /** Chains rows in order up to the first that cannot be sealed. */
  private chain(tip: Tip, rows: StoredRow[]): Tip[] {
    const seals: Tip[] = [];
    let prev = tip.hash;
    for (const row of rows) {
      if (row.hash !== null) {
        this.report({ kind: 'chain-break', seq: row.seq, detail: 'the row already carries a seal the sealer did not write; sealing stopped' });
        break;
      }
      if (!macMatches(this.key, row)) {
        this.report({ kind: 'forged', seq: row.seq, detail: 'the MAC does not verify; sealing stopped' });
        break;
      }
      prev = chainHash(prev, row.mac!, row.seq);
      seals.push({ seq: row.seq, hash: prev });
    }
    return seals;
  }

  private async save(tx: Queryable, seals: Tip[]): Promise<void> {
    if (seals.length === 0) return;
    await tx.query(
      `UPDATE audit_log SET hash = s.hash
       FROM (SELECT unnest(CAST($1 AS bigint[])) AS seq, unnest(CAST($2 AS varchar[])) AS hash) s
       WHERE audit_log.seq = s.seq AND audit_log.hash IS NULL`,
      [seals.map(s => s.seq), seals.map(s => s.hash)],
    );
    for (let i = this.every - 1; i < seals.length - 1; i += this.every) await this.checkpoint(tx, seals[i]);
    await this.checkpoint(tx, seals[seals.length - 1]);
  }

  private async checkpoint(tx: Queryable, tip: Tip): Promise<void> {
    const { signer } = this.keys;
    await tx.query(
      'INSERT INTO audit_checkpoint (seq, hash, signature, public_key, signed_at) VALUES ($1, $2, $3, $4, CAST($5 AS timestamp))',
      [tip.seq, tip.hash, signer.sign(checkpointMessage(tip.seq, tip.hash)), signer.publicKey, auditTime().slice(0, 23)],
    );
    this.ownTip = tip;
  }

  /** Once per distinct error, not every half second while the database is away. */
  private logError(err: unknown): void {
    const message = String((err as Error)?.message ?? err).slice(0, 200);
    if (message !== this.lastError) console.error(`[lingshu] audit sealer: ${message}`);
    this.lastError = message;
  }

  private report(finding: AuditFinding): void {
    const key = `${finding.kind}:${finding.seq}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.onFinding(finding);
  }
}

/**
 * The highest seq below which no row can still appear. Rows commit out of seq order (a
 * transaction takes its number early and commits late), so sealing up to max(seq) could pass a
 * row that commits afterwards and leave it outside the chain for good.
 *
 * Each pass notes m = max(seq) together with the transactions holding a write lock on audit_log.
 * A row numbered below m that is not yet visible belongs to one of them: its INSERT took the lock
 * before taking the number, and the lock lasts until commit. Once none of them holds it any more,
 * m is final: at once when no audit write is in flight, else on a later pass. Unlike transaction
 * ids, this looks at this database only.
 */
class SealHorizon {
  private pending: Array<{ seq: number; holders: string[] }> = [];
  private final = 0;

  async advance(db: Queryable): Promise<number> {
    const [now] = await db.query<{ max_seq: number | null; holders: string[] | null }>(
      `SELECT (SELECT max(seq) FROM audit_log) AS max_seq,
         (SELECT array_agg(virtualtransaction) FROM pg_locks
          WHERE relation = CAST('audit_log' AS regclass) AND mode = 'RowExclusiveLock' AND granted) AS holders`,
    );
    const holding = new Set(now.holders ?? []);
    this.note({ seq: Number(now.max_seq ?? 0), holders: [...holding] });
    for (const p of this.pending) if (!p.holders.some(h => holding.has(h))) this.final = Math.max(this.final, p.seq);
    this.pending = this.pending.filter(p => p.seq > this.final && p.holders.length > 0);
    return this.final;
  }

  private note(entry: { seq: number; holders: string[] }): void {
    if (entry.holders.length === 0) this.final = Math.max(this.final, entry.seq);
    // Replacing the newest entry only delays its release, so the list can stay bounded.
    else if (this.pending.length >= MAX_PENDING_HORIZONS) this.pending[this.pending.length - 1] = entry;
    else this.pending.push(entry);
  }
}

function logFinding(f: AuditFinding): void {
  console.error(`[lingshu] audit trail: ${f.kind} at seq ${f.seq}: ${f.detail}`);
}
