import { IncomingMessage } from 'node:http';
import type { DatasetRuntime } from './runtime/dataset-runtime';

/** What a request wants to do: `data:<dataset-code>` or `meta:<kind>`, with an action. */
export interface AccessRequest {
  resource: string;
  action: 'read' | 'create' | 'update' | 'delete' | 'publish' | 'admin';
}

export interface AccessGrant {
  /** Who acts: the audit trail records this. */
  actor: string;
  /** The client's address for the audit trail; absent means the socket's peer address. */
  clientIp?: string;
  /** The signed-in principal, when a security guard resolved one. */
  principal?: unknown;
  /** Row scope and masking for one dataset; absent means everything, unmasked. */
  dataPolicy?: (rt: DatasetRuntime) => Promise<DataAccessPolicy>;
}

/** What one caller may see of one dataset. */
export interface DataAccessPolicy {
  /** A filter ANDed to every read (LoopBack where syntax over the dataset's columns). */
  where?: Record<string, unknown>;
  /** Whether a stored or submitted row is inside the caller's scope. */
  permitsRow(row: Record<string, unknown>): boolean;
  /** The row as this caller may see it (masked). */
  present<R extends Record<string, unknown>>(row: R): R;
  /** The column that carries the scope, when there is one. */
  scopeColumn?: string;
  /** Columns this caller sees masked: filtering or sorting on them would reveal their values. */
  maskedColumns?: ReadonlySet<string>;
}

/**
 * Every API call passes a guard before it touches data. The foundation ships an open guard for
 * single-user demos; the security core replaces it with identity, roles, row scope and masking.
 */
export interface RequestGuard {
  check(req: IncomingMessage, access: AccessRequest): Promise<AccessGrant>;
}

export const openGuard: RequestGuard = {
  check: async () => ({ actor: 'anonymous' }),
};
