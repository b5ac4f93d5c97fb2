import { randomBytes } from 'node:crypto';
import { sm3 } from '../crypto/hmac-sm3';
import { Database } from '../../database';
import { ApiError } from '../../util/errors';
import { Principal } from '../authz/principal';
import { SecurityPolicy } from './policy';
import { UserDirectory } from './users';

interface Live {
  principal: Principal;
  lastSeen: number;
  persistedAt: number;
  expiresAt: number;
}

/** How long a session's last-seen time may lag in the database (idle checks on other instances). */
const PERSIST_EVERY_MS = 60_000;

const unauthorized = (message: string) => new ApiError(401, 'Unauthorized', message);
const hashToken = (token: string) => sm3(Buffer.from(token, 'latin1')).toString('hex');

/**
 * Bearer-token sessions. Only the SM3 hash of a token is stored. Resolved principals are cached
 * per process, so an authenticated request costs a map lookup; idle and absolute expiry are
 * checked on every request.
 */
export class SessionManager {
  private readonly live = new Map<string, Live>();

  constructor(
    private readonly db: Database,
    private readonly users: UserDirectory,
    private readonly policy: () => SecurityPolicy,
  ) {}

  async create(principal: Principal, clientIp: string | undefined): Promise<{ token: string; expiresAt: string }> {
    const token = randomBytes(32).toString('base64url');
    const now = Date.now();
    const expiresAt = now + this.policy().sessionHours * 3_600_000;
    await this.db.query(
      'INSERT INTO app_session (token_hash, user_id, client_ip, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $4, $5)',
      [hashToken(token), principal.userId, clientIp ?? null, iso(now), iso(expiresAt)],
    );
    this.live.set(hashToken(token), { principal, lastSeen: now, persistedAt: now, expiresAt });
    return { token, expiresAt: new Date(expiresAt).toISOString() };
  }

  async resolve(token: string | undefined): Promise<Principal> {
    if (!token) throw unauthorized('sign in first: no bearer token');
    const key = hashToken(token);
    const session = this.live.get(key) ?? (await this.load(key));
    const now = Date.now();
    if (now > session.expiresAt || now - session.lastSeen > this.policy().idleMinutes * 60_000) {
      await this.end(key);
      throw unauthorized('the session has expired; sign in again');
    }
    session.lastSeen = now;
    if (now - session.persistedAt > PERSIST_EVERY_MS) {
      session.persistedAt = now;
      this.db.query('UPDATE app_session SET last_seen_at = $2 WHERE token_hash = $1', [key, iso(now)]).catch(() => undefined);
    }
    return session.principal;
  }

  async revoke(token: string): Promise<void> {
    await this.end(hashToken(token));
  }

  /** Ends every session of a user (password change, disable, role change). */
  async revokeUser(userId: string): Promise<void> {
    for (const [key, s] of this.live) if (s.principal.userId === userId) this.live.delete(key);
    await this.db.query('DELETE FROM app_session WHERE user_id = $1', [userId]);
  }

  /** Drops cached principals so the next request reloads roles (after a role definition changed). */
  forgetPrincipals(): void {
    this.live.clear();
  }

  private async load(key: string): Promise<Live> {
    const [row] = await this.db.query<{ user_id: string; last_seen_at: string; expires_at: string }>(
      'SELECT user_id, last_seen_at, expires_at FROM app_session WHERE token_hash = $1',
      [key],
    );
    if (!row) throw unauthorized('the session is not valid; sign in again');
    const user = await this.users.byId(row.user_id);
    if (!user || user.status !== 'active') {
      await this.end(key);
      throw unauthorized('the account is not active');
    }
    const lastSeen = Date.parse(`${row.last_seen_at}Z`);
    const live: Live = { principal: await this.users.principal(user, user.must_change), lastSeen, persistedAt: lastSeen, expiresAt: Date.parse(`${row.expires_at}Z`) };
    this.live.set(key, live);
    return live;
  }

  private async end(key: string): Promise<void> {
    this.live.delete(key);
    await this.db.query('DELETE FROM app_session WHERE token_hash = $1', [key]);
  }
}

/** Timestamps in our tables are UTC without a zone. */
export const iso = (ms: number) => new Date(ms).toISOString().slice(0, 23);
