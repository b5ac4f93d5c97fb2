import { IncomingMessage } from 'node:http';
import { KeyObject, createHash } from 'node:crypto';
import { Queryable } from '../database/types';
import { auditTime, macOf, macSecret } from './canonical';
import { MacKey } from './types';

export type AuditOutcome = 'ok' | 'denied' | 'failed';

/** One audit event. Never put personal data in `detail`. */
export interface AuditEntry {
  actor: string;
  action: string;
  resource: string;
  recordId?: string | null;
  detail?: Record<string, unknown>;
  clientIp?: string;
  /** Defaults to 'ok'. */
  outcome?: AuditOutcome;
}

/** Who acts, as the trail records it: a bare actor name, or a guard's grant with the client address. */
export type Actor = string | { actor: string; clientIp?: string };

/** An entry with its application timestamp and MAC: the values of one audit_log row. */
export interface StampedEntry {
  /** Canonical form, "…T…Z". */
  at: string;
  /** The same instant as a SQL timestamp parameter (UTC wall clock). */
  atParam: string;
  actor: string;
  action: string;
  resource: string;
  recordId: string | null;
  /** JSON text for the jsonb column. */
  detail: string | null;
  clientIp: string | null;
  outcome: AuditOutcome;
  mac: string;
}

const MAX_IP = 64;

/**
 * Stamps and appends audit rows. Created once per process with the MAC key; every write path gets
 * the same instance. Rows go in through the caller's transaction (or statement), so a record and
 * the change it describes commit or roll back together.
 */
export class AuditWriter {
  private readonly key: KeyObject;

  constructor(macKey: MacKey) {
    this.key = macSecret(macKey);
  }

  stamp(entry: AuditEntry): StampedEntry {
    const at = auditTime();
    const detailText = entry.detail === undefined ? null : JSON.stringify(entry.detail);
    // Parsed back so that the MAC sees exactly what jsonb will store (no undefined, no Dates).
    const detail = detailText === null ? null : JSON.parse(detailText);
    const clientIp = entry.clientIp ? entry.clientIp.slice(0, MAX_IP) : null;
    const recordId = entry.recordId ?? null;
    const outcome = entry.outcome ?? 'ok';
    const { actor, action, resource } = entry;
    const mac = macOf(this.key, { at, actor, action, resource, recordId, detail, clientIp, outcome });
    return { at, atParam: at.slice(0, 23), actor, action, resource, recordId, detail: detailText, clientIp, outcome, mac };
  }

  /** Appends one row through `q`: the caller's transaction, or the database for a lone event. */
  async record(q: Queryable, entry: AuditEntry): Promise<void> {
    const s = this.stamp(entry);
    await q.query(
      `INSERT INTO audit_log (at, actor, action, resource, record_id, detail, client_ip, outcome, mac)
       VALUES (CAST($1 AS timestamp), $2, $3, $4, $5, CAST($6 AS jsonb), $7, $8, $9)`,
      [s.atParam, s.actor, s.action, s.resource, s.recordId, s.detail, s.clientIp, s.outcome, s.mac],
    );
  }
}

export function actorOf(who: Actor): { actor: string; clientIp?: string } {
  return typeof who === 'string' ? { actor: who } : { actor: who.actor, clientIp: who.clientIp };
}

export function actorName(who: Actor): string {
  return typeof who === 'string' ? who : who.actor;
}

/** The grant's actor with the client address: the guard's, else the socket's peer (never X-Forwarded-For). */
export function requestActor(req: IncomingMessage, grant: { actor: string; clientIp?: string }): { actor: string; clientIp?: string } {
  return { actor: grant.actor, clientIp: grant.clientIp ?? req.socket?.remoteAddress };
}

/**
 * Like the open guard, a stand-in for demos and tests: this key is public, so its MACs prove
 * nothing. Production constructs one AuditWriter with its own key and passes it everywhere.
 */
export const DEV_AUDIT_MAC_KEY: Buffer = createHash('sm3').update('lingshu development audit MAC key (public; not for production)').digest();

let devWriter: AuditWriter | undefined;

export function devAuditWriter(): AuditWriter {
  devWriter ??= new AuditWriter(DEV_AUDIT_MAC_KEY);
  return devWriter;
}
