import { randomUUID } from 'node:crypto';
import { Database } from '../../database';
import { ApiError, unprocessable } from '../../util/errors';
import { Principal } from '../authz/principal';
import { hashPassword, passwordProblems, verifyPassword } from './password';
import { SecurityPolicy } from './policy';
import { SessionManager, iso } from './sessions';
import { UserDirectory, UserRow } from './users';
import type { AccessIntegrity } from './access-integrity';

/** A security event for the audit trail (logins, failures, lockouts, password changes). */
export interface SecurityEvent {
  actor: string;
  action: string;
  resource: string;
  recordId?: string;
  detail?: Record<string, unknown>;
  clientIp?: string;
  outcome: 'ok' | 'denied' | 'failed';
}
export type SecurityEventSink = (event: SecurityEvent) => Promise<void>;

export interface LoginResult {
  token: string;
  expiresAt: string;
  principal: Principal;
}

const INVALID = 'invalid user name or password';
/** Verified against when the user does not exist, so both paths cost the same time. */
let decoyHash: Promise<string> | undefined;

/** Sign-in, sign-out and password changes, with lockout and the password policy. */
export class AuthService {
  constructor(
    private readonly db: Database,
    private readonly users: UserDirectory,
    private readonly sessions: SessionManager,
    private readonly policy: () => SecurityPolicy,
    private readonly events: SecurityEventSink,
  ) {}

  async login(username: string, password: string, clientIp?: string): Promise<LoginResult> {
    const user = await this.users.byUsername(username);
    if (!user || user.status !== 'active') {
      await verifyPassword(password, await (decoyHash ??= hashPassword('decoy-password-Aa1!')));
      await this.events({ actor: username.slice(0, 60), action: 'auth.login', resource: 'auth', outcome: 'failed', clientIp, detail: { reason: user ? 'disabled' : 'unknown-user' } });
      throw new ApiError(401, 'Unauthorized', INVALID);
    }
    const lockedFor = remainingLock(user);
    if (lockedFor > 0) {
      await this.events({ actor: user.username, action: 'auth.login', resource: 'auth', recordId: user.id, outcome: 'denied', clientIp, detail: { reason: 'locked' } });
      throw locked(lockedFor);
    }
    if (!(await verifyPassword(password, user.password_hash))) return this.failed(user, clientIp);
    const policy = this.policy();
    const expired = policy.passwordMaxAgeDays > 0 && Date.now() - Date.parse(`${user.password_changed_at}Z`) > policy.passwordMaxAgeDays * 86_400_000;
    const mustChange = user.must_change || expired;
    await this.db.query('UPDATE app_user SET failed_count = 0, locked_until = NULL, must_change = $2 WHERE id = $1', [user.id, mustChange]);
    const principal = await this.users.principal(user, mustChange);
    const session = await this.sessions.create(principal, clientIp);
    await this.events({ actor: user.username, action: 'auth.login', resource: 'auth', recordId: user.id, outcome: 'ok', clientIp, detail: { mustChange } });
    return { ...session, principal };
  }

  async logout(principal: Principal, token: string, clientIp?: string): Promise<void> {
    await this.sessions.revoke(token);
    await this.events({ actor: principal.username, action: 'auth.logout', resource: 'auth', recordId: principal.userId, outcome: 'ok', clientIp });
  }

  async changePassword(principal: Principal, current: string, next: string, clientIp?: string): Promise<void> {
    const user = (await this.users.byId(principal.userId))!;
    if (!(await verifyPassword(current, user.password_hash))) {
      await this.events({ actor: user.username, action: 'auth.change-password', resource: 'auth', recordId: user.id, outcome: 'failed', clientIp, detail: { reason: 'wrong-current' } });
      throw unprocessable('the current password is wrong', [{ field: 'currentPassword', rule: 'password', message: 'does not match' }]);
    }
    await this.assertAcceptable(user, next);
    await setPassword(this.db, user, next, false, this.policy().passwordHistory);
    await this.sessions.revokeUser(user.id);
    await this.events({ actor: user.username, action: 'auth.change-password', resource: 'auth', recordId: user.id, outcome: 'ok', clientIp });
  }

  async assertAcceptable(user: UserRow, next: string): Promise<void> {
    const policy = this.policy();
    const problems = passwordProblems(next, policy, user.username);
    const recent = [user.password_hash, ...user.password_history].slice(0, Math.max(1, policy.passwordHistory));
    for (const old of recent) {
      if (await verifyPassword(next, old)) {
        problems.push(`must differ from the last ${policy.passwordHistory} passwords`);
        break;
      }
    }
    if (problems.length) {
      throw unprocessable('the new password does not meet the password policy', problems.map(message => ({ field: 'newPassword', rule: 'password-policy', message })));
    }
  }

  private async failed(user: UserRow, clientIp?: string): Promise<never> {
    const policy = this.policy();
    const count = user.failed_count + 1;
    const lock = count >= policy.lockoutThreshold;
    await this.db.query('UPDATE app_user SET failed_count = $2, locked_until = $3 WHERE id = $1', [
      user.id,
      lock ? 0 : count,
      lock ? iso(Date.now() + policy.lockoutMinutes * 60_000) : null,
    ]);
    await this.events({ actor: user.username, action: lock ? 'auth.lockout' : 'auth.login', resource: 'auth', recordId: user.id, outcome: 'failed', clientIp, detail: { failures: count } });
    if (lock) throw locked(policy.lockoutMinutes * 60_000);
    throw new ApiError(401, 'Unauthorized', INVALID);
  }
}

/** Replaces a password, keeping the previous hashes for the no-reuse rule. */
export async function setPassword(db: Database, user: UserRow, next: string, mustChange: boolean, keep: number): Promise<void> {
  const history = [user.password_hash, ...user.password_history].slice(0, Math.max(0, keep));
  await db.query(
    'UPDATE app_user SET password_hash = $2, password_history = $3, password_changed_at = $4, must_change = $5, failed_count = 0, locked_until = NULL WHERE id = $1',
    [user.id, await hashPassword(next), JSON.stringify(history), iso(Date.now()), mustChange],
  );
}

export async function createUser(
  db: Database,
  input: { username: string; displayName: string; orgCode?: string | null; password: string; mustChange: boolean; roles: string[] },
  integrity: AccessIntegrity,
): Promise<string> {
  const id = randomUUID();
  await db.transaction(async tx => {
    await tx.query(
      `INSERT INTO app_user (id, username, display_name, org_code, password_hash, password_history, password_changed_at, must_change, failed_count, status, created_at)
       VALUES ($1, $2, $3, $4, $5, '[]', $6, $7, 0, 'active', $6)`,
      [id, input.username, input.displayName, input.orgCode ?? null, await hashPassword(input.password), iso(Date.now()), input.mustChange],
    );
    for (const role of input.roles) await tx.query('INSERT INTO user_role (user_id, role_code) VALUES ($1, $2)', [id, role]);
    await integrity.sealUser(tx, id);
  });
  return id;
}

function remainingLock(user: UserRow): number {
  return user.locked_until ? Date.parse(`${user.locked_until}Z`) - Date.now() : 0;
}

function locked(ms: number): ApiError {
  const minutes = Math.ceil(ms / 60_000);
  return new ApiError(423, 'Locked', `the account is locked after repeated failed sign-ins; try again in ${minutes} minute${minutes > 1 ? 's' : ''}`);
}
