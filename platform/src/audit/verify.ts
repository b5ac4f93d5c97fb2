import { KeyObject } from 'node:crypto';
import { Queryable } from '../database/types';
import { GENESIS_HASH, chainHash, isHex64, macSecret } from './canonical';
import {
  CHECKPOINT_COLUMNS,
  ROW_COLUMNS,
  StoredCheckpoint,
  StoredRow,
  chainStartSetting,
  inSeqOrder,
  latestCheckpoint,
  macMatches,
  signatureProblem,
} from './stored';
import { AuditFinding, AuditVerifyKeys, FindingKind, SignatureVerifier } from './types';

export interface VerifyOptions {
  /**
   * The `head` of an earlier verification, kept outside the database. If that checkpoint is gone,
   * the trail was cut back: without an anchor, removing the newest checkpoints together with the
   * rows after the one before cannot be told from a trail that never had them.
   */
  anchor?: { seq: number; hash: string };
  /** Findings listed in full; the rest are counted (default 1000). */
  maxFindings?: number;
}

export interface AuditVerification {
  ok: boolean;
  /** Rows examined (after the chain start). */
  checked: number;
  sealed: number;
  unsealed: number;
  /** Rows from before the trail was authenticated: not checked. */
  legacy: number;
  checkpoints: number;
  /** The newest checkpoint that verified; keep it elsewhere and pass it back as `anchor`. */
  head: { seq: number; hash: string } | null;
  findings: AuditFinding[];
  omittedFindings: number;
}

const MAX_ORPHANS = 10_000;
const NEVER_SEALED = 'the MAC does not verify and the row was never sealed: inserted or edited directly';

/**
 * Recomputes every MAC, the hash chain and the checkpoint signatures, streaming both tables in
 * seq order. Reads no snapshot: rows up to the newest checkpoint no longer change, and rows the
 * sealer reaches meanwhile are treated as unsealed.
 */
export async function verifyAuditTrail(db: Queryable, keys: AuditVerifyKeys, options: VerifyOptions = {}): Promise<AuditVerification> {
  const [bounds] = await db.query<{ max_seq: number | null; zone: number | null }>(
    'SELECT (SELECT max(seq) FROM audit_log) AS max_seq, (SELECT max(seq) FROM audit_checkpoint) AS zone',
  );
  const walk = new ChainWalk(macSecret(keys.macKey), [keys.signer, ...(keys.retiredSigners ?? [])], options);
  const start = await walk.begin(db);
  const zone = Math.max(Number(bounds.zone ?? start), start);
  const maxSeq = Number(bounds.max_seq ?? start);
  walk.zone = zone;
  const [{ n }] = await db.query<{ n: number }>('SELECT count(*) AS n FROM audit_log WHERE seq <= $1', [start]);
  walk.result.legacy = Number(n);

  const rows = inSeqOrder<StoredRow>(db, `SELECT ${ROW_COLUMNS} FROM audit_log`, start, maxSeq);
  const checkpoints = inSeqOrder<StoredCheckpoint>(db, `SELECT ${CHECKPOINT_COLUMNS} FROM audit_checkpoint`, start, zone);
  let cp = await checkpoints.next();
  for await (const row of rows) {
    for (; !cp.done && cp.value.seq < row.seq; cp = await checkpoints.next()) walk.checkpoint(cp.value, undefined);
    walk.row(row);
    if (!cp.done && cp.value.seq === row.seq) {
      walk.checkpoint(cp.value, row);
      cp = await checkpoints.next();
    }
  }
  for (; !cp.done; cp = await checkpoints.next()) walk.checkpoint(cp.value, undefined);
  await walk.finish(db);
  return walk.result;
}

/** The state of one pass along the chain. */
class ChainWalk {
  readonly result: AuditVerification = {
    ok: true, checked: 0, sealed: 0, unsealed: 0, legacy: 0, checkpoints: 0, head: null, findings: [], omittedFindings: 0,
  };
  /** Rows up to here were sealed when the walk began. */
  zone = 0;
  private prev = GENESIS_HASH;
  private prevSeq = 0;
  /** A sealed row whose link failed: a deletion before it if the next link holds. */
  private suspect?: { after: number; seq: number };
  /** Valid unsealed rows inside the sealed zone since the last sealed row. */
  private orphans: StoredRow[] = [];
  private tailSealedFrom?: number;
  private anchorSeen = false;

  constructor(
    private readonly key: KeyObject,
    private readonly trusted: SignatureVerifier[],
    private readonly options: VerifyOptions,
  ) {}

  /** The chain starts at the signed genesis checkpoint (a zero hash), else at the setting. */
  async begin(db: Queryable): Promise<number> {
    const [first] = await db.query<StoredCheckpoint>(`SELECT ${CHECKPOINT_COLUMNS} FROM audit_checkpoint ORDER BY seq LIMIT 1`);
    if (first && first.hash === GENESIS_HASH && !signatureProblem(first, this.trusted)) {
      this.result.checkpoints++;
      this.checkAnchor(first);
      this.prevSeq = Number(first.seq);
      return this.prevSeq;
    }
    if (first) this.add('checkpoint-invalid', first.seq, 'the genesis checkpoint (where the chain starts) is missing or invalid');
    this.prevSeq = await chainStartSetting(db);
    return this.prevSeq;
  }

  row(r: StoredRow): void {
    this.result.checked++;
    const macOk = macMatches(this.key, r);
    if (r.seq > this.zone) this.tail(r, macOk);
    else if (r.hash === null) this.orphan(r, macOk);
    else this.sealedRow(r, macOk);
  }

  checkpoint(c: StoredCheckpoint, row: StoredRow | undefined): void {
    this.result.checkpoints++;
    const problem = signatureProblem(c, this.trusted);
    if (problem) return this.add('checkpoint-invalid', c.seq, problem);
    this.checkAnchor(c);
    if (!row || row.hash === null) {
      if (!row) this.add('deleted', this.prevSeq + 1, `the row sealed by the checkpoint at ${c.seq} is gone, with any after ${this.prevSeq}`, c.seq);
      if (this.suspect) this.confirmDeleted();
      // The signed hash stands in for the missing seal, so the rows after it still link.
      this.prev = c.hash;
      this.prevSeq = c.seq;
      this.orphans = [];
    } else if (row.hash !== c.hash) {
      this.add('checkpoint-invalid', c.seq, 'the chain here differs from the signed checkpoint: rows up to this seq were rewritten');
    } else {
      this.result.head = { seq: c.seq, hash: c.hash };
      if (this.suspect?.seq === c.seq) this.confirmDeleted();
    }
  }

  async finish(db: Queryable): Promise<void> {
    if (this.suspect) {
      this.add('chain-break', this.suspect.seq, 'the seal does not follow from the previous row, and nothing after it vouches for it');
    }
    if (this.tailSealedFrom !== undefined && Number((await latestCheckpoint(db))?.seq ?? -1) <= this.zone) {
      this.add('checkpoint-invalid', this.tailSealedFrom, 'rows after the newest checkpoint are sealed: a later checkpoint was deleted');
    }
    const { anchor } = this.options;
    if (anchor && !this.anchorSeen) this.add('deleted', anchor.seq, 'the anchored checkpoint is gone: the trail was cut back to an earlier checkpoint');
    this.result.ok = this.result.findings.length === 0 && this.result.omittedFindings === 0;
  }

  private tail(r: StoredRow, macOk: boolean): void {
    this.result.unsealed++;
    if (!macOk) this.add('forged', r.seq, NEVER_SEALED);
    if (r.hash !== null) this.tailSealedFrom ??= r.seq;
  }

  private orphan(r: StoredRow, macOk: boolean): void {
    this.result.unsealed++;
    if (!macOk) this.add('forged', r.seq, NEVER_SEALED);
    else this.add('chain-break', r.seq, 'a valid row outside the chain although later rows are sealed: its seal was removed, or it was put into a gap later');
    if (this.orphans.length < MAX_ORPHANS) this.orphans.push(r);
  }

  private sealedRow(r: StoredRow, macOk: boolean): void {
    this.result.sealed++;
    if (!macOk) this.add('modified', r.seq, 'the MAC does not verify: the row was changed after it was written');
    if (this.links(r) || this.linksThroughOrphans(r)) {
      if (this.suspect) this.confirmDeleted();
    } else if (this.suspect) {
      this.add('chain-break', this.suspect.seq, 'the seal follows neither from the row before nor leads to the row after: the seal was altered, or rows are missing on both sides');
      this.suspect = undefined;
    } else if (macOk) {
      this.suspect = { after: this.prevSeq, seq: r.seq };
    }
    // Carry on from the stored seal, so that one break is reported once.
    this.prev = r.hash!;
    this.prevSeq = r.seq;
    this.orphans = [];
  }

  private links(r: StoredRow, prev = this.prev): boolean {
    return isHex64(r.mac) && chainHash(prev, r.mac, r.seq) === r.hash;
  }

  /** Whether the chain runs through the orphans: they were sealed once, and lost their seals. */
  private linksThroughOrphans(r: StoredRow): boolean {
    if (this.orphans.length === 0 || this.orphans.length >= MAX_ORPHANS) return false;
    let prev = this.prev;
    for (const o of this.orphans) prev = chainHash(prev, o.mac!, o.seq);
    return this.links(r, prev);
  }

  private confirmDeleted(): void {
    const { after, seq } = this.suspect!;
    this.suspect = undefined;
    if (seq === after + 1) this.add('chain-break', seq, `the seal does not follow from row ${after}, yet no row can be missing in between: the previous seal was altered`);
    else this.add('deleted', after + 1, `rows between seq ${after} and ${seq} are missing: the seal of ${seq} does not follow from ${after}`, seq - 1);
  }

  private checkAnchor(c: StoredCheckpoint): void {
    const { anchor } = this.options;
    if (anchor?.seq !== Number(c.seq)) return;
    this.anchorSeen = true;
    if (anchor.hash !== c.hash) this.add('checkpoint-invalid', c.seq, 'differs from the anchored checkpoint kept outside the database');
  }

  private add(kind: FindingKind, seq: number, detail: string, toSeq?: number): void {
    const r = this.result;
    if (r.findings.length >= (this.options.maxFindings ?? 1000)) {
      r.omittedFindings++;
      return;
    }
    r.findings.push(toSeq === undefined || toSeq === seq ? { kind, seq: Number(seq), detail } : { kind, seq: Number(seq), toSeq, detail });
  }
}
