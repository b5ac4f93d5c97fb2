import type { MacFields } from './canonical';
import { StoredRow } from './stored';
import { Database } from '../database/types';
import { badRequest } from '../util/errors';
import { AuditVerifyKeys } from './types';
import { AuditEntry, AuditOutcome, AuditWriter } from './writer';
import { AuditVerification, VerifyOptions, verifyAuditTrail } from './verify';

export interface AuditQuery {
  actor?: string;
  action?: string;
  /** Matches resources starting with this text. */
  resource?: string;
  /** ISO 8601 instants; without a zone they are read as UTC. */
  from?: string;
  to?: string;
  outcome?: string;
  limit?: number;
  offset?: number;
}

/** A stored row as the auditor sees it: the MAC'd fields, its position and whether it is sealed. */
export interface AuditRecord extends MacFields {
  seq: number;
  sealed: boolean;
}

const OUTCOMES: AuditOutcome[] = ['ok', 'denied', 'failed'];
const MAX_LIMIT = 1000;
const EXPORT_PAGE = 2000;
const COLUMNS =
  `seq, to_char(at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, actor, action, resource, record_id, detail, client_ip, outcome, mac, hash`;
const CSV_HEADER = ['seq', 'at', 'actor', 'action', 'resource', 'record_id', 'outcome', 'client_ip', 'detail', 'mac', 'hash'];

type Row = StoredRow;

/** The auditor's view of the trail: search, CSV export and verification. */
export class AuditTrail {
  constructor(
    private readonly db: Database,
    private readonly keys: AuditVerifyKeys,
    private readonly writer: AuditWriter,
  ) {}

  /** Newest first. */
  async search(query: AuditQuery): Promise<AuditRecord[]> {
    const where = whereOf(query);
    const limit = Math.max(1, Math.min(query.limit ?? 100, MAX_LIMIT));
    const params = [...where.params, limit, Math.max(0, query.offset ?? 0)];
    const rows = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM ${matching(where)} ORDER BY seq DESC LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    );
    return rows.map(present);
  }

  /** CSV (RFC 4180, UTF-8 with BOM for spreadsheet programs) in seq order, a page at a time. */
  async *exportCsv(query: AuditQuery): AsyncGenerator<string> {
    const where = whereOf(query);
    yield '\ufeff' + CSV_HEADER.join(',') + '\r\n';
    const page = { ...where, clauses: [...where.clauses, `seq > $${where.params.length + 1}`] };
    let after = -1;
    for (;;) {
      const sql = `SELECT ${COLUMNS} FROM ${matching(page)} ORDER BY seq LIMIT ${EXPORT_PAGE}`;
      const rows = await this.db.query<Row>(sql, [...where.params, after]);
      if (rows.length > 0) yield rows.map(csvLine).join('');
      if (rows.length < EXPORT_PAGE) return;
      after = rows[rows.length - 1].seq;
    }
  }

  verify(options?: VerifyOptions): Promise<AuditVerification> {
    return verifyAuditTrail(this.db, this.keys, options);
  }

  /** Reading the trail is itself audited. */
  recordAccess(entry: AuditEntry): Promise<void> {
    return this.writer.record(this.db, entry);
  }
}

interface Where {
  clauses: string[];
  params: unknown[];
  /** Filters on `at`. */
  timed: boolean;
}

/** The filter as SQL conditions, with every value checked (400 on a malformed one). */
function whereOf(query: AuditQuery): Where {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const add = (clause: string, value: unknown) => {
    params.push(value);
    clauses.push(clause.replace('?', `$${params.length}`));
  };
  if (query.actor) add('actor = ?', query.actor);
  if (query.action) add('action = ?', query.action);
  if (query.resource) add(`resource LIKE ? ESCAPE '!'`, query.resource.replace(/[!%_]/g, c => `!${c}`) + '%');
  if (query.from) add('at >= CAST(? AS timestamp)', utc(query.from, 'from'));
  if (query.to) add('at < CAST(? AS timestamp)', utc(query.to, 'to'));
  if (query.outcome) {
    if (!OUTCOMES.includes(query.outcome as AuditOutcome)) throw badRequest(`outcome must be one of ${OUTCOMES.join(', ')}`, [{ field: 'outcome', rule: 'enum', message: `one of ${OUTCOMES.join(', ')}` }]);
    add('outcome = ?', query.outcome);
  }
  return { clauses, params, timed: Boolean(query.from || query.to) };
}

/**
 * The rows a filter selects. With a time filter, sealed rows come through the partial index on
 * `at` (see schema.ts) and the unsealed ones, after the newest checkpoint, by primary key.
 */
function matching(where: Where): string {
  const cond = (extra: string[]) => {
    const all = [...where.clauses, ...extra];
    return all.length ? ` WHERE ${all.join(' AND ')}` : '';
  };
  if (!where.timed) return `audit_log${cond([])}`;
  const tail = 'seq > (SELECT COALESCE(max(seq), -1) FROM audit_checkpoint)';
  return `(SELECT * FROM audit_log${cond(['hash IS NOT NULL'])} UNION ALL SELECT * FROM audit_log${cond(['hash IS NULL', tail])}) AS audit_log`;
}

/** `at` holds UTC wall-clock time. */
function utc(value: string, field: string): string {
  const text = value.trim().replace(' ', 'T');
  const zoned = /(Z|[+-]\d\d:?\d\d)$/i.test(text) || !text.includes('T') ? text : `${text}Z`;
  const ms = Date.parse(zoned);
  if (Number.isNaN(ms)) throw badRequest(`${field} must be an ISO 8601 date or time`, [{ field, rule: 'format', message: 'e.g. 2026-11-26 or 2026-11-26T08:00:00+08:00' }]);
  return new Date(ms).toISOString().slice(0, 23);
}

function present(r: Row): AuditRecord {
  return {
    seq: r.seq, at: r.at, actor: r.actor, action: r.action, resource: r.resource, recordId: r.record_id,
    detail: r.detail ?? null, clientIp: r.client_ip, outcome: r.outcome, sealed: r.hash !== null,
  };
}

function csvLine(r: Row): string {
  const detail = r.detail === null || r.detail === undefined ? null : JSON.stringify(r.detail);
  const fields = [r.seq, r.at, r.actor, r.action, r.resource, r.record_id, r.outcome, r.client_ip, detail, r.mac, r.hash];
  return fields.map(csvField).join(',') + '\r\n';
}

/**
 * Quoted when needed; text a spreadsheet would run as a formula gets a leading apostrophe
 * (OWASP CSV injection), which an offline MAC check must strip again.
 */
function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
