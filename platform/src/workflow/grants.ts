import type { Database, Queryable } from '../database/types';
import type { AuditWriter } from '../audit/writer';
import { badRequest, notFound, unprocessable } from '../util/errors';
import { uuidv7 } from '../util/ids';
import { PlatformAction, sqlTime } from './service';

export interface GrantRow {
  id: string;
  resource_id: string;
  username: string;
  fields: string[];
  purpose: string | null;
  instance_id: string;
  granted_at: string;
  expires_at: string;
  revoked_at: string | null;
  revoked_by: string | null;
  revoke_reason: string | null;
}

const COLUMNS = 'id, resource_id, username, fields, purpose, instance_id, granted_at, expires_at, revoked_at, revoked_by, revoke_reason';

/**
 * Access to an open-data resource granted by an approved application: for the applicant, the
 * fields applied for, until it expires or is revoked. The download path asks `active()`.
 */
export class ResourceGrants {
  constructor(private readonly db: Database, private readonly audit: AuditWriter) {}

  /** The `grantResource` service task: variables resourceId, fields, purpose, periodDays (1–366, default 90). */
  readonly action: PlatformAction = async (tx, ctx) => {
    const v = ctx.variables;
    const days = v.periodDays === undefined ? 90 : Number(v.periodDays);
    if (typeof v.resourceId !== 'string' || !v.resourceId || v.resourceId.length > 200) {
      throw unprocessable('the application names no resource', [{ field: 'variables.resourceId', rule: 'required', message: 'the resource applied for' }]);
    }
    if (!Number.isInteger(days) || days < 1 || days > 366) {
      throw unprocessable('invalid access period', [{ field: 'variables.periodDays', rule: 'range', message: 'a whole number of days, 1–366' }]);
    }
    const fields = Array.isArray(v.fields) ? v.fields.filter((f): f is string => typeof f === 'string').slice(0, 500) : [];
    const id = uuidv7();
    const now = Date.now();
    await tx.query(
      `INSERT INTO wf_resource_grant (id, resource_id, username, fields, purpose, instance_id, granted_at, expires_at)
       VALUES ($1, $2, $3, CAST($4 AS jsonb), $5, $6, CAST($7 AS timestamp), CAST($8 AS timestamp))`,
      [id, v.resourceId, String(v.initiator), JSON.stringify(fields), typeof v.purpose === 'string' ? v.purpose.slice(0, 2000) : null, ctx.instance.id, sqlTime(now), sqlTime(now + days * 86_400_000)],
    );
    await this.audit.record(tx, { actor: ctx.actor, action: 'workflow.grant', resource: `resource:${v.resourceId}`, recordId: id, detail: { to: v.initiator, fields: fields.length, days, instance: ctx.instance.id } });
  };

  async list(username?: string): Promise<GrantRow[]> {
    return username
      ? this.db.query<GrantRow>(`SELECT ${COLUMNS} FROM wf_resource_grant WHERE username = $1 ORDER BY granted_at DESC LIMIT 500`, [username])
      : this.db.query<GrantRow>(`SELECT ${COLUMNS} FROM wf_resource_grant ORDER BY granted_at DESC LIMIT 500`);
  }

  /** The unexpired, unrevoked grant of a user on a resource, if any. */
  async active(username: string, resourceId: string, q: Queryable = this.db): Promise<GrantRow | undefined> {
    const [row] = await q.query<GrantRow>(
      `SELECT ${COLUMNS} FROM wf_resource_grant WHERE username = $1 AND resource_id = $2 AND revoked_at IS NULL AND expires_at > CAST($3 AS timestamp)
       ORDER BY expires_at DESC LIMIT 1`,
      [username, resourceId, sqlTime()],
    );
    return row;
  }

  /** The grants of the resource-approval cases given (by instance id). */
  async ofInstances(instanceIds: string[]): Promise<GrantRow[]> {
    if (!instanceIds.length) return [];
    return this.db.query<GrantRow>(`SELECT ${COLUMNS} FROM wf_resource_grant WHERE instance_id = ANY(CAST($1 AS uuid[]))`, [instanceIds]);
  }

  /** Ends a grant now; `reason` (at most 500 characters) is kept on the grant and in the audit. */
  async revoke(id: string, actor: { username: string; clientIp?: string }, reason?: string): Promise<GrantRow> {
    if (reason !== undefined && (typeof reason !== 'string' || reason.length > 500)) {
      throw badRequest('reason is text of at most 500 characters', [{ field: 'reason', rule: 'maxLength', message: 'at most 500 characters' }]);
    }
    const why = reason?.trim() || null;
    return this.db.transaction(async tx => {
      const [row] = await tx.query<GrantRow>(
        `UPDATE wf_resource_grant SET revoked_at = CAST($2 AS timestamp), revoked_by = $3, revoke_reason = $4 WHERE id = $1 AND revoked_at IS NULL RETURNING ${COLUMNS}`,
        [id, sqlTime(), actor.username, why],
      );
      if (!row) throw notFound(`no active grant ${id.slice(0, 40)}`);
      await this.audit.record(tx, { actor: actor.username, clientIp: actor.clientIp, action: 'workflow.grant.revoke', resource: `resource:${row.resource_id}`, recordId: id, detail: { user: row.username, reason: why } });
      return row;
    });
  }
}
