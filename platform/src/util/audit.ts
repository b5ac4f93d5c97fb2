import { Queryable } from '../database';

/**
 * Appends one audit record in the caller's transaction, so that the record and the change it
 * describes commit or roll back together. Never put personal data in `detail`.
 */
export async function audit(
  tx: Queryable,
  actor: string,
  action: string,
  resource: string,
  recordId: string | null,
  detail?: Record<string, unknown>,
): Promise<void> {
  await tx.query(
    'INSERT INTO audit_log (at, actor, action, resource, record_id, detail) VALUES (now(), $1, $2, $3, $4, $5)',
    [actor, action, resource, recordId, detail ? JSON.stringify(detail) : null],
  );
}
