import { AccessRequest } from '../../extension-points';

export type Action = AccessRequest['action'];
export type RowScope = 'all' | 'county' | 'institution';
export type AdminKind = 'system' | 'security' | 'audit';

/** `resource` may end in `*` (prefix match); `actions` may be ['*']. */
export interface Permission {
  resource: string;
  actions: Array<Action | '*'>;
}

export interface RoleDef {
  code: string;
  name: string;
  description?: string;
  /** The three administrators of 三员分立; a user holds at most one of them. */
  adminKind?: AdminKind;
  permissions: Permission[];
  rowScope: RowScope;
  /** Highest data-element sensitivity (0–4) this role sees unmasked. */
  clearance: number;
}

const ALL: Array<Action | '*'> = ['*'];
const READ: Action[] = ['read'];
/** Data users apply for open-data resources through the resource-approval process. */
const APPLY_FOR_RESOURCES: Permission = { resource: 'workflow:start:resource-approval', actions: ['create'] };
/** What every approver role needs besides its inbox: the catalogue and the process models. */
const APPROVER: Permission[] = [{ resource: 'meta:*', actions: READ }, { resource: 'workflow:definitions', actions: READ }];

/**
 * Built-in roles. The three administrators split the system's powers (三员分立): the system
 * administrator runs metadata and accounts but reads no audit records and sets no security
 * policy; the security administrator manages roles, assignments and policy but touches no
 * business data; the auditor reads the audit trail and nothing else.
 */
export const BUILTIN_ROLES: RoleDef[] = [
  {
    code: 'system-admin', name: '系统管理员', adminKind: 'system', rowScope: 'all', clearance: 0,
    description: 'Metadata, publishing, accounts and institutions; no audit, no security policy, no business data',
    permissions: [{ resource: 'meta:*', actions: ALL }, { resource: 'security:users', actions: ['read', 'create', 'update'] }, { resource: 'security:org', actions: ALL }, { resource: 'workflow:definitions', actions: ALL }, { resource: 'workflow:instances', actions: READ }, { resource: 'workflow:resources', actions: ALL }],
  },
  {
    code: 'security-admin', name: '安全管理员', adminKind: 'security', rowScope: 'all', clearance: 0,
    description: 'Roles, role assignment, security policy; no business data',
    permissions: [{ resource: 'security:roles', actions: ALL }, { resource: 'security:policy', actions: ALL }, { resource: 'security:keys', actions: ALL }, { resource: 'security:users', actions: ['read', 'update'] }, { resource: 'security:org', actions: READ }, { resource: 'meta:*', actions: READ }],
  },
  {
    code: 'auditor', name: '安全审计员', adminKind: 'audit', rowScope: 'all', clearance: 0,
    description: 'Reads and exports the audit trail, verifies its integrity',
    permissions: [{ resource: 'audit', actions: READ }],
  },
  {
    code: 'standard-owner', name: '标准管理员', rowScope: 'all', clearance: 0,
    description: 'Drafts and publishes data elements, value domains and datasets',
    permissions: [{ resource: 'meta:*', actions: ALL }, { resource: 'workflow:definitions', actions: READ }, { resource: 'workflow:start:standard-drafting', actions: ['create'] }, { resource: 'workflow:start:generic-review', actions: ['create'] }],
  },
  {
    code: 'data-admin', name: '数据管理员', rowScope: 'all', clearance: 4,
    description: 'All data of the city, unmasked',
    permissions: [{ resource: 'data*', actions: ALL }, { resource: 'meta:*', actions: READ }, { resource: 'mapping:translate', actions: READ }],
  },
  {
    code: 'analyst', name: '统计分析员', rowScope: 'all', clearance: 1,
    description: 'Reads all data of the city with personal fields masked',
    permissions: [{ resource: 'data*', actions: READ }, { resource: 'meta:*', actions: READ }, APPLY_FOR_RESOURCES],
  },
  {
    code: 'county-user', name: '区县用户', rowScope: 'county', clearance: 2,
    description: 'Reads the data of the institutions in its county',
    permissions: [{ resource: 'data*', actions: READ }, { resource: 'meta:*', actions: READ }, APPLY_FOR_RESOURCES],
  },
  {
    code: 'institution-user', name: '机构用户', rowScope: 'institution', clearance: 3,
    description: 'Reads and writes the data of its own institution',
    permissions: [{ resource: 'data*', actions: ['read', 'create', 'update'] }, { resource: 'meta:*', actions: READ }, APPLY_FOR_RESOURCES],
  },
  {
    code: 'reviewer', name: '审核员', rowScope: 'all', clearance: 0,
    description: 'Reviews and comments on standards and second-level checks (generic review)',
    permissions: [...APPROVER, { resource: 'workflow:start:generic-review', actions: ['create'] }, { resource: 'mapping:*', actions: READ }],
  },
  {
    code: 'mapper', name: '标化人员', rowScope: 'all', clearance: 0,
    description: 'Loads source dictionaries, claims mapping tasks, reviews suggestions and confirms mappings',
    permissions: [
      { resource: 'meta:*', actions: READ }, { resource: 'mapping:vocabularies', actions: READ }, { resource: 'mapping:dictionaries', actions: ['read', 'create', 'update'] },
      { resource: 'mapping:tasks', actions: ['read', 'update'] }, { resource: 'mapping:knowledge', actions: READ }, { resource: 'mapping:translate', actions: READ },
    ],
  },
  {
    code: 'mapping-admin', name: '标化管理员', rowScope: 'all', clearance: 0,
    description: 'Imports standard vocabularies, assigns mapping tasks, imports and exports the mapping knowledge base',
    permissions: [{ resource: 'meta:*', actions: READ }, { resource: 'mapping:*', actions: ALL }],
  },
  {
    code: 'standard-approver', name: '标准审批人', rowScope: 'all', clearance: 0,
    description: 'Approves standards for publication',
    permissions: APPROVER,
  },
  {
    code: 'department-head', name: '科室负责人', rowScope: 'institution', clearance: 0,
    description: 'First approval of the resource applications of its institution',
    permissions: APPROVER,
  },
  {
    code: 'data-security-officer', name: '数据安全员', rowScope: 'all', clearance: 0,
    description: 'Approves resource applications for data security; lists and revokes grants',
    permissions: [...APPROVER, { resource: 'workflow:grants', actions: ALL }, { resource: 'workflow:resources', actions: ALL }, { resource: 'workflow:instances', actions: READ }],
  },
  {
    code: 'centre-director', name: '中心主任', rowScope: 'all', clearance: 0,
    description: 'Final approval of resource applications',
    permissions: [...APPROVER, { resource: 'workflow:instances', actions: READ }],
  },
];

const SCOPE_WIDTH: Record<RowScope, number> = { institution: 0, county: 1, all: 2 };

export function widerScope(a: RowScope, b: RowScope): RowScope {
  return SCOPE_WIDTH[a] >= SCOPE_WIDTH[b] ? a : b;
}

export function permits(permissions: Permission[], access: AccessRequest): boolean {
  return permissions.some(
    p => matches(p.resource, access.resource) && (p.actions.includes('*') || p.actions.includes(access.action)),
  );
}

function matches(pattern: string, resource: string): boolean {
  if (pattern === '*') return true;
  return pattern.endsWith('*') ? resource.startsWith(pattern.slice(0, -1)) : pattern === resource;
}
