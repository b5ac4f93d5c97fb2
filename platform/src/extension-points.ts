import { IncomingMessage } from 'node:http';

/** What a request wants to do: `data:<dataset-code>` or `meta:<kind>`, with an action. */
export interface AccessRequest {
  resource: string;
  action: 'read' | 'create' | 'update' | 'delete' | 'publish' | 'admin';
}

export interface AccessGrant {
  /** Who acts: the audit trail records this. */
  actor: string;
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
