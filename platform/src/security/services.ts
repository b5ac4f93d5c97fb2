import { Database } from '../database';
import { AuthService, SecurityEventSink } from './identity/auth-service';
import { SecurityPolicy, loadPolicy } from './identity/policy';
import { SessionManager } from './identity/sessions';
import { UserDirectory } from './identity/users';
import { DataPolicyCompiler } from './authz/data-policy';
import { SecurityGuard } from './authz/guard';
import { RateLimiter } from './rate-limit';
import { Sm2Decrypt } from './identity/transport';
import type { AuditEntry } from '../audit/writer';
import { AccessIntegrity } from './identity/access-integrity';

export interface SecurityOptions {
  loginRateLimit: number;
  /** MACs over roles and role assignments (GM/T 0054 integrity of access-control data). */
  integrity: AccessIntegrity;
  /** Where refused requests are recorded. */
  onDenied?: (entry: AuditEntry) => void;
}

export const SECURITY_CHANNEL = 'lingshu_security';

/** The security core's parts, built once per process. */
export class SecurityServices {
  policy: SecurityPolicy;
  readonly users: UserDirectory;
  readonly sessions: SessionManager;
  readonly auth: AuthService;
  readonly dataPolicies: DataPolicyCompiler;
  readonly guard: SecurityGuard;
  readonly integrity: AccessIntegrity;
  /** Sign-in attempts per minute per client address. */
  readonly loginLimiter: RateLimiter;

  private constructor(
    readonly db: Database,
    policy: SecurityPolicy,
    readonly events: SecurityEventSink,
    readonly transport: { publicKey: string; decrypt: Sm2Decrypt },
    options: SecurityOptions,
  ) {
    this.policy = policy;
    this.loginLimiter = new RateLimiter(options.loginRateLimit, 60_000);
    this.integrity = options.integrity;
    this.users = new UserDirectory(db, options.integrity, (subject, user) => {
      events({ actor: user.username, action: 'security.integrity-violation', resource: 'security', recordId: user.id, detail: { subject }, outcome: 'denied' }).catch(() => undefined);
    });
    this.sessions = new SessionManager(db, this.users, () => this.policy);
    this.auth = new AuthService(db, this.users, this.sessions, () => this.policy, events);
    this.dataPolicies = new DataPolicyCompiler(db);
    this.guard = new SecurityGuard(this.sessions, this.dataPolicies, options.onDenied);
  }

  static async create(
    db: Database,
    events: SecurityEventSink,
    transport: { publicKey: string; decrypt: Sm2Decrypt },
    options: SecurityOptions,
  ): Promise<SecurityServices> {
    const services = new SecurityServices(db, await loadPolicy(db), events, transport, options);
    await services.users.ensureBuiltinRoles();
    await db.listen(SECURITY_CHANNEL, () => {
      services.changed().catch(() => undefined);
    });
    return services;
  }

  /** Another process (or this one) changed roles, assignments, policy or the institution tree. */
  async changed(): Promise<void> {
    this.policy = await loadPolicy(this.db);
    this.sessions.forgetPrincipals();
    this.guard.forgetDecisions();
    this.dataPolicies.forgetOrgs();
  }

  async announceChange(): Promise<void> {
    await this.db.query('SELECT pg_notify($1, $2)', [SECURITY_CHANNEL, 'changed']);
    await this.changed();
  }
}
