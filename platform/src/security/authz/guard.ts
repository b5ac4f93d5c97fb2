import { IncomingMessage } from 'node:http';
import type { AuditEntry } from '../../audit/writer';
import { AccessGrant, AccessRequest, RequestGuard } from '../../extension-points';
import { ApiError } from '../../util/errors';
import { SessionManager } from '../identity/sessions';
import { DataPolicyCompiler } from './data-policy';
import { Principal } from './principal';
import { permits } from './roles';

/** Resources a signed-in user may always use on their own account. */
const SELF = 'self';

/**
 * The security core's guard: bearer session → principal → role permissions, on every request.
 * Decisions are cached per role set, resource and action, so a warm check is two map lookups.
 */
export class SecurityGuard implements RequestGuard {
  private readonly decisions = new Map<string, boolean>();

  constructor(
    private readonly sessions: SessionManager,
    private readonly dataPolicies: DataPolicyCompiler,
    /** Records refused requests (off the request path). */
    private readonly onDenied: (entry: AuditEntry) => void = () => undefined,
  ) {}

  async check(req: IncomingMessage, access: AccessRequest): Promise<AccessGrant> {
    const principal = await this.sessions.resolve(bearerToken(req));
    if (principal.mustChangePassword && access.resource !== SELF) {
      this.denied(req, principal, access, 'password-change-required');
      throw new ApiError(403, 'PasswordChangeRequired', 'change your password before anything else (POST /api/auth/change-password)');
    }
    if (access.resource !== SELF && !this.allows(principal, access)) {
      this.denied(req, principal, access, 'role');
      throw new ApiError(403, 'Forbidden', `your roles (${principal.roles.join(', ') || 'none'}) do not allow ${access.action} on ${access.resource}`);
    }
    return {
      actor: principal.username,
      clientIp: req.socket.remoteAddress,
      principal,
      dataPolicy: rt => this.dataPolicies.policyFor(principal, rt),
    };
  }

  allows(principal: Principal, access: AccessRequest): boolean {
    const key = `${principal.roleKey}|${access.resource}|${access.action}`;
    let allowed = this.decisions.get(key);
    if (allowed === undefined) {
      allowed = permits(principal.permissions, access);
      if (this.decisions.size > 50_000) this.decisions.clear();
      this.decisions.set(key, allowed);
    }
    return allowed;
  }

  private denied(req: IncomingMessage, principal: Principal, access: AccessRequest, reason: string): void {
    this.onDenied({
      actor: principal.username,
      clientIp: req.socket.remoteAddress,
      action: 'access.denied',
      resource: access.resource,
      detail: { action: access.action, reason, method: req.method, path: (req.url ?? '').split('?')[0].slice(0, 200) },
      outcome: 'denied',
    });
  }

  /** After a role definition changes. */
  forgetDecisions(): void {
    this.decisions.clear();
  }
}

export function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const m = /^Bearer\s+([A-Za-z0-9_-]{20,200})$/.exec(header);
  return m?.[1];
}
