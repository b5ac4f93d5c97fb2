import { inject } from '@loopback/core';
import { OperationObject, Request, RequestBodyObject, RestBindings, get, post, requestBody } from '@loopback/rest';
import { Principal } from '../security/authz/principal';
import { bearerToken } from '../security/authz/guard';
import { openCredential } from '../security/identity/transport';
import { SecurityServices } from '../security/services';
import { badRequest } from '../util/errors';
import { LingshuBindings } from './keys';

const body: Partial<RequestBodyObject> = { content: { 'application/json': { schema: { type: 'object', additionalProperties: true } } } };
const op = (summary: string): OperationObject => ({ summary, tags: ['auth'], responses: { '200': { description: summary } } });

/** Sign-in with an SM2-encrypted password, sign-out, the current user, password change. */
export class AuthController {
  constructor(
    @inject(LingshuBindings.SECURITY) private readonly security: SecurityServices,
    @inject(RestBindings.Http.REQUEST) private readonly request: Request,
  ) {}

  @get('/api/auth/public-key', op('The SM2 public key that encrypts credentials (C1C3C2, hex)'))
  publicKey() {
    return { algorithm: 'SM2', cipherMode: 'C1C3C2', publicKey: this.security.transport.publicKey, payload: '{"password": string, "timestamp": epoch ms}' };
  }

  @post('/api/auth/login', op('Sign in: {username, encryptedPassword}'))
  async login(@requestBody(body) input: { username?: unknown; encryptedPassword?: unknown }) {
    const ip = this.request.socket.remoteAddress ?? 'unknown';
    this.security.loginLimiter.hit(ip);
    if (typeof input.username !== 'string' || !/^[A-Za-z0-9_.@-]{1,60}$/.test(input.username)) {
      throw badRequest('username must be 1–60 letters, digits or _.@-', [{ field: 'username', rule: 'format', message: 'letters, digits or _.@- (1–60)' }]);
    }
    const password = openCredential(this.security.transport.decrypt, input.encryptedPassword, 'encryptedPassword');
    const result = await this.security.auth.login(input.username, password, ip);
    return { token: result.token, expiresAt: result.expiresAt, user: await this.profile(result.principal) };
  }

  @post('/api/auth/logout', op('Sign out (ends this session)'))
  async logout() {
    const grant = await this.security.guard.check(this.request, { resource: 'self', action: 'update' });
    await this.security.auth.logout(grant.principal as Principal, bearerToken(this.request)!, grant.clientIp);
    return { ok: true };
  }

  @get('/api/auth/me', op('The signed-in user: roles and their permissions, institution, whether a password change is due'))
  async me() {
    const grant = await this.security.guard.check(this.request, { resource: 'self', action: 'read' });
    return this.profile(grant.principal as Principal);
  }

  @post('/api/auth/change-password', op('Change the password: {encryptedCurrentPassword, encryptedNewPassword}'))
  async changePassword(@requestBody(body) input: { encryptedCurrentPassword?: unknown; encryptedNewPassword?: unknown }) {
    const grant = await this.security.guard.check(this.request, { resource: 'self', action: 'update' });
    const decrypt = this.security.transport.decrypt;
    const current = openCredential(decrypt, input.encryptedCurrentPassword, 'encryptedCurrentPassword');
    const next = openCredential(decrypt, input.encryptedNewPassword, 'encryptedNewPassword');
    await this.security.auth.changePassword(grant.principal as Principal, current, next, grant.clientIp);
    return { ok: true, message: 'password changed; sign in again' };
  }

  /** The principal plus what a user interface shows and decides menus by: institution and role names, permissions. */
  private async profile(p: Principal) {
    const [org] = p.orgCode ? await this.security.db.query<{ name: string }>('SELECT name FROM org_unit WHERE code = $1', [p.orgCode]) : [];
    const roles = p.roles.length ? await this.security.db.query<{ code: string; name: string }>(`SELECT code, name FROM app_role WHERE code IN (${p.roles.map((_, i) => `$${i + 1}`).join(', ')})`, p.roles) : [];
    const names = new Map(roles.map(r => [r.code, r.name]));
    return { ...describe(p), orgName: org?.name ?? null, roleNames: p.roles.map(r => names.get(r) ?? r), permissions: p.permissions };
  }
}

export function describe(p: Principal) {
  return {
    id: p.userId,
    username: p.username,
    displayName: p.displayName,
    orgCode: p.orgCode,
    countyCode: p.countyCode,
    roles: p.roles,
    rowScope: p.rowScope,
    clearance: p.clearance,
    mustChangePassword: p.mustChangePassword,
  };
}
