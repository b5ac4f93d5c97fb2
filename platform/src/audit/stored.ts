import { KeyObject } from 'node:crypto';
import { Queryable } from '../database/types';
import { checkpointMessage, isHex64, macOf, storedTime } from './canonical';
import { CHAIN_START_SETTING } from './schema';
import { SignatureVerifier } from './types';

/** An audit_log row as the sealer and the verifier read it (`at` as to_char text, see storedTime). */
export interface StoredRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  resource: string;
  record_id: string | null;
  detail: unknown;
  client_ip: string | null;
  outcome: string | null;
  mac: string | null;
  hash: string | null;
}

export interface StoredCheckpoint {
  seq: number;
  hash: string;
  signature: string;
  public_key: string;
  /** Only read by latestCheckpoint. */
  signed_at?: string;
}

export const ROW_COLUMNS =
  `seq, to_char(at, 'YYYY-MM-DD"T"HH24:MI:SS.US') AS at, actor, action, resource, record_id, detail, client_ip, outcome, mac, hash`;
export const CHECKPOINT_COLUMNS = 'seq, hash, signature, public_key';

export function macMatches(key: KeyObject, r: StoredRow): boolean {
  if (!isHex64(r.mac)) return false;
  const fields = {
    at: storedTime(r.at),
    actor: r.actor,
    action: r.action,
    resource: r.resource,
    recordId: r.record_id,
    detail: r.detail,
    clientIp: r.client_ip,
    outcome: r.outcome,
  };
  return macOf(key, fields) === r.mac;
}

/** Why a checkpoint's signature is not acceptable, or undefined when it is. */
export function signatureProblem(c: StoredCheckpoint, trusted: SignatureVerifier[]): string | undefined {
  const key = c.public_key.toLowerCase();
  const verifier = trusted.find(v => v.publicKey.toLowerCase() === key);
  if (!verifier) return 'signed by a key that is not trusted';
  let valid = false;
  try {
    valid = isHex64(c.hash) && verifier.verify(checkpointMessage(c.seq, c.hash), c.signature);
  } catch {
    valid = false;
  }
  return valid ? undefined : 'the signature does not verify';
}

/** The last seq before rows carried MACs (0 on a platform that started with the trail). */
export async function chainStartSetting(q: Queryable): Promise<number> {
  const [row] = await q.query<{ value: unknown }>('SELECT value FROM platform_setting WHERE key = $1', [CHAIN_START_SETTING]);
  return Number(row?.value ?? 0);
}

export async function latestCheckpoint(q: Queryable): Promise<StoredCheckpoint | undefined> {
  const [row] = await q.query<StoredCheckpoint>(`SELECT ${CHECKPOINT_COLUMNS}, signed_at FROM audit_checkpoint ORDER BY seq DESC LIMIT 1`);
  return row;
}

/** Rows (or checkpoints) with after < seq ≤ upTo, in seq order, a page at a time. */
export async function* inSeqOrder<R extends { seq: number }>(
  q: Queryable,
  select: string,
  after: number,
  upTo: number,
  pageSize = 5000,
): AsyncGenerator<R> {
  for (;;) {
    const page = await q.query<R>(`${select} WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT ${pageSize}`, [after, upTo]);
    yield* page;
    if (page.length < pageSize) return;
    after = page[page.length - 1].seq;
  }
}
