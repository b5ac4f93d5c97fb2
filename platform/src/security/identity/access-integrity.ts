import { createHmac } from 'node:crypto';
import { canonicalJson } from '../../audit/canonical';
import type { SchemaStep } from '../../database/schema';
import type { Database, Queryable } from '../../database/types';
import { ApiError } from '../../util/errors';
import type { KeyRing } from '../crypto/keyring';
import { timingSafeEqualHex } from '../crypto/sm3';
import type { RoleDef } from '../authz/roles';

export const ACCESS_INTEGRITY_PURPOSE = 'access-control';
const INITIALIZED_SETTING = 'access-integrity-initialized';

export const ACCESS_INTEGRITY_SCHEMA_STEPS: SchemaStep[] = [
  {
    id: 41,
    name: 'access-control integrity',
    sql: ['ALTER TABLE app_user ADD COLUMN access_mac varchar(64)', 'ALTER TABLE app_role ADD COLUMN mac varchar(64)'],
  },
];

/** What decides a user's access: the account's identity, institution, status and role codes. */
export interface UserAccess {
  id: string;
  username: string;
  org_code: string | null;
  status: string;
}

export class IntegrityViolation extends ApiError {
  constructor(readonly subject: string) {
    super(403, 'IntegrityError', 'the access-control data of this account failed its integrity check; the security administrator has been alerted');
  }
}

/**
 * GM/T 0054 integrity of access-control data: every role definition and every account's access
 * (institution, status, roles) carries an HMAC-SM3 computed by the platform when it changes them
 * and checked whenever a principal is built. A role granted, an institution changed or a
 * permission widened directly in the database makes the account unusable instead of powerful.
 */
export class AccessIntegrity {
  constructor(private readonly key: Buffer) {}

  static async open(keyring: KeyRing): Promise<AccessIntegrity> {
    return new AccessIntegrity(await keyring.macKey(ACCESS_INTEGRITY_PURPOSE));
  }

  roleMac(role: RoleDef): string {
    const { code, adminKind, permissions, rowScope, clearance } = role;
    return this.mac(['role', { code, adminKind: adminKind ?? null, permissions, rowScope, clearance }]);
  }

  userMac(user: UserAccess, roleCodes: string[]): string {
    return this.mac(['user', user.id, user.username, user.org_code, user.status, [...roleCodes].sort()]);
  }

  /** Recomputes an account's MAC from what is stored now: call after every legitimate change, in its transaction. */
  async sealUser(q: Queryable, userId: string): Promise<void> {
    const [user] = await q.query<UserAccess>('SELECT id, username, org_code, status FROM app_user WHERE id = $1', [userId]);
    if (!user) return;
    const roles = await q.query<{ role_code: string }>('SELECT role_code FROM user_role WHERE user_id = $1', [userId]);
    await q.query('UPDATE app_user SET access_mac = $2 WHERE id = $1', [userId, this.userMac(user, roles.map(r => r.role_code))]);
  }

  /** Throws IntegrityViolation when the stored account or one of its roles was changed outside the platform. */
  check(user: UserAccess & { access_mac?: string | null }, roles: Array<RoleDef & { mac?: string | null }>): void {
    if (!equal(user.access_mac, this.userMac(user, roles.map(r => r.code)))) throw new IntegrityViolation(`user:${user.username}`);
    for (const role of roles) if (!equal(role.mac, this.roleMac(role))) throw new IntegrityViolation(`role:${role.code}`);
  }

  /**
   * Once, when a database from before this check is upgraded: seals what is there. After that,
   * a missing MAC is a violation like a wrong one.
   */
  async initialize(db: Database, roles: RoleDef[], log: (line: string) => void): Promise<void> {
    const [done] = await db.query('SELECT 1 FROM platform_setting WHERE key = $1', [INITIALIZED_SETTING]);
    if (done) return;
    const users = await db.query<{ id: string }>('SELECT id FROM app_user WHERE access_mac IS NULL');
    await db.transaction(async tx => {
      for (const role of roles) await tx.query('UPDATE app_role SET mac = $2 WHERE code = $1 AND mac IS NULL', [role.code, this.roleMac(role)]);
      for (const u of users) await this.sealUser(tx, u.id);
      await tx.query('INSERT INTO platform_setting (key, value, updated_at) VALUES ($1, CAST($2 AS jsonb), now())', [INITIALIZED_SETTING, JSON.stringify({ sealedUsers: users.length })]);
    });
    if (users.length > 0) log(`access-control integrity: sealed ${users.length} existing accounts`);
  }

  private mac(value: unknown): string {
    return createHmac('sm3', this.key).update(canonicalJson(value), 'utf8').digest('hex');
  }
}

function equal(stored: string | null | undefined, expected: string): boolean {
  return typeof stored === 'string' && stored.length === expected.length && timingSafeEqualHex(stored, expected);
}
