import { inject } from '@loopback/core';
import { OperationObject, Request, RequestBodyObject, RestBindings, get, param, patch, post, put } from '@loopback/rest';
import { requestBody } from '@loopback/rest';
import { AccessRequest } from '../extension-points';
import { RoleDef, RowScope } from '../security/authz/roles';
import { createUser, setPassword } from '../security/identity/auth-service';
import { randomPassword } from '../security/identity/password';
import { SecurityPolicy, policyProblems, savePolicy } from '../security/identity/policy';
import { upsertRole } from '../security/identity/users';
import { SecurityServices } from '../security/services';
import { ApiError, badRequest, conflict, notFound, unprocessable } from '../util/errors';
import { LingshuBindings } from './keys';

const body: Partial<RequestBodyObject> = { content: { 'application/json': { schema: { type: 'object', additionalProperties: true } } } };
const op = (summary: string): OperationObject => ({ summary, tags: ['security'], responses: { '200': { description: summary } } });
const USERNAME = /^[A-Za-z0-9_.@-]{1,60}$/;
const ROLE_CODE = /^[a-z][a-z0-9-]{1,59}$/;
const SCOPES: RowScope[] = ['all', 'county', 'institution'];

/**
 * Accounts (system administrator), roles, role assignment and policy (security administrator),
 * the institution tree. Every change is audited and reaches every process at once.
 */
export class SecurityController {
  constructor(
    @inject(LingshuBindings.SECURITY) private readonly security: SecurityServices,
    @inject(RestBindings.Http.REQUEST) private readonly request: Request,
  ) {}

  @get('/api/security/users', op('Accounts (no secrets)'))
  async users() {
    await this.allow({ resource: 'security:users', action: 'read' });
    const rows = await this.security.db.query<Record<string, unknown>>(
      `SELECT u.id, u.username, u.display_name, u.org_code, u.status, u.must_change, u.locked_until, u.created_at,
              COALESCE((SELECT string_agg(ur.role_code, ',' ORDER BY ur.role_code) FROM user_role ur WHERE ur.user_id = u.id), '') AS roles
       FROM app_user u ORDER BY u.username`,
    );
    return rows.map(r => ({ ...r, roles: String(r.roles).split(',').filter(Boolean) }));
  }

  @post('/api/security/users', op('Create an account; answers its one-time password once'))
  async createAccount(@requestBody(body) input: { username?: unknown; displayName?: unknown; orgCode?: unknown }) {
    const grant = await this.allow({ resource: 'security:users', action: 'create' });
    if (typeof input.username !== 'string' || !USERNAME.test(input.username)) throw invalid('username', 'letters, digits or _.@- (1–60)');
    if (typeof input.displayName !== 'string' || input.displayName.trim() === '' || input.displayName.length > 100) throw invalid('displayName', '1–100 characters');
    const orgCode = input.orgCode === undefined || input.orgCode === null ? null : String(input.orgCode);
    if (orgCode && !(await this.orgExists(orgCode))) throw invalid('orgCode', `no institution ${orgCode.slice(0, 40)}`);
    if (await this.security.users.byUsername(input.username)) throw conflict(`user ${input.username} exists`);
    const password = randomPassword();
    const id = await createUser(this.security.db, { username: input.username, displayName: input.displayName, orgCode, password, mustChange: true, roles: [] }, this.security.integrity);
    await this.event(grant.actor, 'security.user-create', id, { username: input.username, orgCode });
    return { id, username: input.username, oneTimePassword: password, mustChangePassword: true };
  }

  @patch('/api/security/users/{id}', op('Enable/disable, unlock, reset password, rename, move institution'))
  async updateAccount(@param.path.string('id') id: string, @requestBody(body) input: { status?: unknown; unlock?: unknown; resetPassword?: unknown; displayName?: unknown; orgCode?: unknown }) {
    const grant = await this.allow({ resource: 'security:users', action: 'update' });
    const user = await this.security.users.byId(this.uuid(id));
    if (!user) throw notFound(`no user ${id}`);
    const db = this.security.db;
    const result: Record<string, unknown> = { id };
    if (input.status !== undefined) {
      if (input.status !== 'active' && input.status !== 'disabled') throw invalid('status', 'active or disabled');
      await db.query('UPDATE app_user SET status = $2 WHERE id = $1', [id, input.status]);
    }
    if (input.unlock === true) await db.query('UPDATE app_user SET failed_count = 0, locked_until = NULL WHERE id = $1', [id]);
    if (typeof input.displayName === 'string' && input.displayName.trim()) await db.query('UPDATE app_user SET display_name = $2 WHERE id = $1', [id, input.displayName.slice(0, 100)]);
    if (input.orgCode !== undefined) {
      if (input.orgCode !== null && !(await this.orgExists(String(input.orgCode)))) throw invalid('orgCode', 'no such institution');
      await db.query('UPDATE app_user SET org_code = $2 WHERE id = $1', [id, input.orgCode]);
    }
    await this.security.integrity.sealUser(db, id);
    if (input.resetPassword === true) {
      result.oneTimePassword = randomPassword();
      await setPassword(db, user, result.oneTimePassword as string, true, this.security.policy.passwordHistory);
    }
    await this.security.sessions.revokeUser(id);
    await this.event(grant.actor, 'security.user-update', id, { status: input.status, unlock: input.unlock === true, resetPassword: input.resetPassword === true, orgCode: input.orgCode });
    return result;
  }

  @put('/api/security/users/{id}/roles', op('Assign roles: {roles: [codes]} (at most one administrator role, never mixed)'))
  async assignRoles(@param.path.string('id') id: string, @requestBody(body) input: { roles?: unknown }) {
    const grant = await this.allow({ resource: 'security:roles', action: 'update' });
    const user = await this.security.users.byId(this.uuid(id));
    if (!user) throw notFound(`no user ${id}`);
    if (!Array.isArray(input.roles) || input.roles.some(r => typeof r !== 'string')) throw invalid('roles', 'an array of role codes');
    const known = new Map((await this.security.users.roles()).map(r => [r.code, r]));
    const roles = [...new Set(input.roles as string[])];
    roles.forEach((r, i) => {
      if (!known.has(r)) throw unprocessable('unknown role', [{ field: `roles[${i}]`, rule: 'reference', message: `no role ${r.slice(0, 60)}` }]);
    });
    const admin = roles.filter(r => known.get(r)!.adminKind);
    if (admin.length > 0 && roles.length > 1) {
      throw unprocessable('separation of duties (三员分立): an administrator role is held alone', [{ field: 'roles', rule: 'separation-of-duties', message: `${admin.join(', ')} cannot be combined with other roles` }]);
    }
    await this.security.db.transaction(async tx => {
      await tx.query('DELETE FROM user_role WHERE user_id = $1', [id]);
      for (const r of roles) await tx.query('INSERT INTO user_role (user_id, role_code) VALUES ($1, $2)', [id, r]);
      await this.security.integrity.sealUser(tx, id);
    });
    await this.security.sessions.revokeUser(id);
    await this.event(grant.actor, 'security.role-assign', id, { roles });
    return { id, roles };
  }

  @get('/api/security/roles', op('Roles with their permissions, row scope and clearance'))
  async roles() {
    await this.allow({ resource: 'security:roles', action: 'read' });
    return this.security.users.roles();
  }

  @put('/api/security/roles/{code}', op('Create or change a custom role'))
  async saveRole(@param.path.string('code') code: string, @requestBody(body) input: Partial<RoleDef>) {
    const grant = await this.allow({ resource: 'security:roles', action: 'update' });
    if (!ROLE_CODE.test(code)) throw invalid('code', 'lower-case letters, digits and -');
    const existing = (await this.security.users.roles()).find(r => r.code === code);
    if (existing?.builtin) throw conflict(`${code} is built in and cannot be changed`);
    const role = checkedRole(code, input);
    await upsertRole(this.security.db, role, false, this.security.integrity);
    await this.event(grant.actor, 'security.role-save', code, { permissions: role.permissions, rowScope: role.rowScope, clearance: role.clearance });
    return role;
  }

  @get('/api/security/policy', op('Password, lockout and session policy'))
  async policy() {
    await this.allow({ resource: 'security:policy', action: 'read' });
    return this.security.policy;
  }

  @put('/api/security/policy', op('Change the password, lockout and session policy'))
  async savePolicy(@requestBody(body) input: Record<string, unknown>) {
    const grant = await this.allow({ resource: 'security:policy', action: 'update' });
    const problems = policyProblems(input);
    if (problems.length) throw unprocessable('the policy is not valid', problems.map(p => ({ field: p.field, rule: 'policy', message: p.message })));
    const next = { ...this.security.policy, ...input } as SecurityPolicy;
    await savePolicy(this.security.db, next);
    await this.event(grant.actor, 'security.policy-save', null, { ...next });
    return next;
  }

  @get('/api/security/org-units', op('The institution tree: city → county → institution → department'))
  async orgUnits(@param.query.string('parent') parent?: string) {
    await this.allow({ resource: 'security:org', action: 'read' });
    return parent
      ? this.security.db.query('SELECT code, name, kind, parent_code, division_code FROM org_unit WHERE parent_code = $1 ORDER BY code', [parent])
      : this.security.db.query('SELECT code, name, kind, parent_code, division_code FROM org_unit ORDER BY kind, code LIMIT 5000');
  }

  private async allow(access: AccessRequest) {
    return this.security.guard.check(this.request, access);
  }

  private async event(actor: string, action: string, recordId: string | null, detail: Record<string, unknown>) {
    await this.security.events({ actor, action, resource: 'security', recordId: recordId ?? undefined, detail, clientIp: this.request.socket.remoteAddress, outcome: 'ok' });
    await this.security.announceChange();
  }

  private async orgExists(code: string): Promise<boolean> {
    return (await this.security.db.query('SELECT 1 FROM org_unit WHERE code = $1', [code])).length > 0;
  }

  private uuid(id: string): string {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw notFound(`no user ${id.slice(0, 40)}`);
    return id;
  }
}

function checkedRole(code: string, input: Partial<RoleDef>): RoleDef {
  if (typeof input.name !== 'string' || !input.name.trim()) throw invalid('name', 'a non-empty name');
  if (!SCOPES.includes(input.rowScope as RowScope)) throw invalid('rowScope', SCOPES.join(', '));
  if (!Number.isInteger(input.clearance) || input.clearance! < 0 || input.clearance! > 4) throw invalid('clearance', 'an integer 0–4');
  if (!Array.isArray(input.permissions)) throw invalid('permissions', 'an array of {resource, actions}');
  for (const [i, p] of input.permissions.entries()) {
    if (typeof p?.resource !== 'string' || !Array.isArray(p.actions)) throw invalid(`permissions[${i}]`, '{resource, actions}');
    // Custom roles cannot reach the administrators' powers: those stay with the three built-in roles.
    if (p.resource === '*' || p.resource.startsWith('security') || p.resource.startsWith('audit')) {
      throw new ApiError(422, 'UnprocessableEntity', 'separation of duties (三员分立)', [{ field: `permissions[${i}].resource`, rule: 'separation-of-duties', message: `${p.resource} is reserved for the administrator roles` }]);
    }
  }
  return { code, name: input.name, description: input.description, permissions: input.permissions, rowScope: input.rowScope as RowScope, clearance: input.clearance! };
}

function invalid(field: string, expected: string) {
  return badRequest(`${field} must be ${expected}`, [{ field, rule: 'format', message: `must be ${expected}` }]);
}
