import { Database, Queryable } from '../../database';
import { Principal } from '../authz/principal';
import { BUILTIN_ROLES, Permission, RoleDef, RowScope, widerScope } from '../authz/roles';
import { AccessIntegrity, IntegrityViolation } from './access-integrity';

export interface UserRow {
  id: string;
  username: string;
  display_name: string;
  org_code: string | null;
  password_hash: string;
  password_history: string[];
  password_changed_at: string;
  must_change: boolean;
  failed_count: number;
  locked_until: string | null;
  status: 'active' | 'disabled';
  created_at: string;
  access_mac: string | null;
}

interface RoleRow {
  code: string;
  name: string;
  description: string | null;
  builtin: boolean;
  admin_kind: string | null;
  permissions: Permission[];
  row_scope: RowScope;
  clearance: number;
  mac: string | null;
}

export const USER_COLUMNS = 'id, username, display_name, org_code, password_hash, password_history, password_changed_at, must_change, failed_count, locked_until, status, created_at, access_mac';
const ROLE_COLUMNS = 'code, name, description, builtin, admin_kind, permissions, row_scope, clearance, mac';

/** Users, their roles and the principal they act as. */
export class UserDirectory {
  constructor(
    private readonly db: Database,
    readonly integrity: AccessIntegrity,
    /** Told of every integrity violation (the audit trail). */
    private readonly onViolation: (subject: string, user: UserRow) => void = () => undefined,
  ) {}

  async byUsername(username: string, q: Queryable = this.db): Promise<UserRow | undefined> {
    const [row] = await q.query<UserRow>(`SELECT ${USER_COLUMNS} FROM app_user WHERE username = $1`, [username]);
    return row;
  }

  async byId(id: string, q: Queryable = this.db): Promise<UserRow | undefined> {
    const [row] = await q.query<UserRow>(`SELECT ${USER_COLUMNS} FROM app_user WHERE id = $1`, [id]);
    return row;
  }

  async rolesOf(userId: string, q: Queryable = this.db): Promise<RoleDef[]> {
    return (await this.storedRolesOf(userId, q)).map(toRole);
  }

  private storedRolesOf(userId: string, q: Queryable = this.db): Promise<RoleRow[]> {
    return q.query<RoleRow>(
      `SELECT ${ROLE_COLUMNS.split(', ').map(c => `r.${c}`).join(', ')}
       FROM user_role ur JOIN app_role r ON r.code = ur.role_code WHERE ur.user_id = $1 ORDER BY r.code`,
      [userId],
    );
  }

  async roles(q: Queryable = this.db): Promise<Array<RoleDef & { builtin: boolean }>> {
    const rows = await q.query<RoleRow>(`SELECT ${ROLE_COLUMNS} FROM app_role ORDER BY code`);
    return rows.map(r => ({ ...toRole(r), builtin: r.builtin }));
  }

  /** Fails with IntegrityViolation when the account's access-control data was changed outside the platform. */
  async principal(user: UserRow, mustChange: boolean): Promise<Principal> {
    const stored = await this.storedRolesOf(user.id);
    const roles = stored.map(toRole);
    try {
      this.integrity.check(user, stored.map(r => ({ ...toRole(r), mac: r.mac })));
    } catch (err) {
      if (err instanceof IntegrityViolation) this.onViolation(err.subject, user);
      throw err;
    }
    const countyCode = user.org_code ? await this.countyOf(user.org_code) : null;
    return {
      userId: user.id,
      username: user.username,
      displayName: user.display_name,
      orgCode: user.org_code,
      countyCode,
      roles: roles.map(r => r.code),
      permissions: roles.flatMap(r => r.permissions),
      rowScope: roles.reduce<RowScope>((s, r) => widerScope(s, r.rowScope), 'institution'),
      clearance: roles.reduce((c, r) => Math.max(c, r.clearance), 0),
      mustChangePassword: mustChange,
      roleKey: roles.map(r => r.code).join(','),
    };
  }

  /** Built-in roles are rewritten at every start, so their definitions follow the code. */
  async ensureBuiltinRoles(): Promise<void> {
    await this.db.transaction(async tx => {
      for (const role of BUILTIN_ROLES) await upsertRole(tx, role, true, this.integrity);
    });
  }

  private async countyOf(orgCode: string): Promise<string | null> {
    const [row] = await this.db.query<{ division_code: string | null }>('SELECT division_code FROM org_unit WHERE code = $1', [orgCode]);
    return row?.division_code ?? null;
  }
}

export async function upsertRole(q: Queryable, role: RoleDef, builtin: boolean, integrity: AccessIntegrity): Promise<void> {
  const params = [role.code, role.name, role.description ?? null, builtin, role.adminKind ?? null, JSON.stringify(role.permissions), role.rowScope, role.clearance, integrity.roleMac(role)];
  const [updated] = await q.query(
    `UPDATE app_role SET name = $2, description = $3, builtin = $4, admin_kind = $5, permissions = $6, row_scope = $7, clearance = $8, mac = $9, updated_at = now()
     WHERE code = $1 RETURNING code`,
    params,
  );
  if (!updated) {
    await q.query(
      `INSERT INTO app_role (code, name, description, builtin, admin_kind, permissions, row_scope, clearance, mac, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, now())`,
      params,
    );
  }
}

function toRole(r: RoleRow): RoleDef {
  return {
    code: r.code,
    name: r.name,
    description: r.description ?? undefined,
    adminKind: (r.admin_kind ?? undefined) as RoleDef['adminKind'],
    permissions: r.permissions,
    rowScope: r.row_scope,
    clearance: r.clearance,
  };
}
