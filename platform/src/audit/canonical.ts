import { KeyObject, createHmac, createSecretKey, hash } from 'node:crypto';
import { MacKey } from './types';

/**
 * The exact byte forms the audit trail authenticates. Changing any of them invalidates every
 * stored MAC, hash or signature, so each carries a version tag.
 *
 *   mac  = HMAC-SM3(macKey, UTF-8(canonicalJson(["lingshu-audit/1", at, actor, action, resource,
 *                                                record_id, detail, client_ip, outcome])))
 *   hash = SM3(prev_hash[32 bytes] ‖ mac[32 bytes] ‖ seq as unsigned 64-bit big-endian)
 *          with prev_hash = 32 zero bytes for the first row after the genesis checkpoint
 *   checkpoint signature = SM2-sign(UTF-8("lingshu-audit/1 checkpoint <seq> <hash>"))
 *
 * `at` is "YYYY-MM-DDTHH:MM:SS.mmmZ" (UTC, milliseconds); absent values are JSON null; `detail`
 * is the JSON value itself with object keys sorted (so jsonb's reordering does not matter);
 * hashes and MACs are lowercase hex; seq is decimal.
 */
export const MAC_FORM = 'lingshu-audit/1';
export const GENESIS_HASH = '0'.repeat(64);
const HEX64 = /^[0-9a-f]{64}$/;

/** The fields a MAC covers, in their canonical forms. */
export interface MacFields {
  at: string;
  actor: string;
  action: string;
  resource: string;
  recordId: string | null;
  detail: unknown;
  clientIp: string | null;
  outcome: string | null;
}

export function macSecret(key: MacKey): KeyObject {
  const secret = key instanceof KeyObject ? key : createSecretKey(key);
  if (secret.type !== 'secret' || (secret.symmetricKeySize ?? 0) < 16) {
    throw new Error('the audit MAC key must be a secret of at least 16 bytes');
  }
  return secret;
}

export function macOf(key: KeyObject, f: MacFields): string {
  const form = canonicalJson([MAC_FORM, f.at, f.actor, f.action, f.resource, f.recordId, f.detail ?? null, f.clientIp, f.outcome]);
  return createHmac('sm3', key).update(form, 'utf8').digest('hex');
}

export function chainHash(prevHash: string, mac: string, seq: number): string {
  const input = Buffer.alloc(72);
  input.write(prevHash, 0, 32, 'hex');
  input.write(mac, 32, 32, 'hex');
  input.writeBigUInt64BE(BigInt(seq), 64);
  return hash('sm3', input, 'hex');
}

export function isHex64(value: unknown): value is string {
  return typeof value === 'string' && HEX64.test(value);
}

export function checkpointMessage(seq: number, hash: string): string {
  return `${MAC_FORM} checkpoint ${seq} ${hash}`;
}

let cachedSecond = NaN;
let cachedPrefix = '';

/** An app timestamp: UTC, millisecond precision (as toISOString, which costs more per write). */
export function auditTime(now = Date.now()): string {
  const second = Math.floor(now / 1000);
  if (second !== cachedSecond) {
    cachedSecond = second;
    cachedPrefix = new Date(second * 1000).toISOString().slice(0, 20);
  }
  return `${cachedPrefix}${String(now - second * 1000).padStart(3, '0')}Z`;
}

/**
 * `at` as read back with to_char(at, 'YYYY-MM-DD"T"HH24:MI:SS.US'). A value with sub-millisecond
 * digits was not written by the platform; it keeps them, so its MAC fails.
 */
export function storedTime(text: string): string {
  return text.endsWith('000') ? `${text.slice(0, -3)}Z` : `${text}Z`;
}

/** JSON with object keys sorted, undefined members dropped: the same text for equal values. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) {
    // The usual MAC form (no detail) holds no objects: JSON.stringify is already canonical.
    if (!value.some(v => typeof v === 'object' && v !== null)) return JSON.stringify(value);
    return `[${value.map(v => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  }
  const obj = value as Record<string, unknown>;
  const members = Object.keys(obj)
    .sort()
    .filter(k => obj[k] !== undefined)
    .map(k => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`);
  return `{${members.join(',')}}`;
}
