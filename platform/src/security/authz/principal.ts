import { Permission, RowScope } from './roles';

/** Who is calling, as resolved once per session and cached. Immutable. */
export interface Principal {
  userId: string;
  username: string;
  displayName: string;
  orgCode: string | null;
  /** GB/T 2260 county of the user's institution, for county row scope. */
  countyCode: string | null;
  roles: string[];
  permissions: Permission[];
  rowScope: RowScope;
  clearance: number;
  mustChangePassword: boolean;
  /** Cache key of the role set: decisions are shared between users with the same roles. */
  roleKey: string;
}
