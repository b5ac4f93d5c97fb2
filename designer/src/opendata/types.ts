import { download } from '../runtime/types';

/** An open-data resource as /api/workflow/resources presents it (latest version). */
export interface Resource {
  code: string;
  version: number;
  name: string;
  description: string | null;
  datasetCode: string;
  datasetName: string | null;
  fields: string[];
  fieldTitles: Record<string, string>;
  rowFilter: Record<string, unknown> | null;
  clearance: number;
  owner: string;
  updatedBy: string;
  updatedAt: string;
}

export type ApplicationState = 'in-approval' | 'granted' | 'expired' | 'revoked' | 'rejected' | 'cancelled';

export interface Application {
  instanceId: string;
  title: string;
  resourceId: string;
  resourceName: string | null;
  state: ApplicationState;
  purpose: string | null;
  fields: string[];
  periodDays: number | null;
  pendingTasks: string[];
  startedAt: string;
  endedAt: string | null;
  grant: { id: string; grantedAt: string; expiresAt: string; revokedAt: string | null; revokeReason: string | null } | null;
}

export interface Grant {
  id: string;
  resourceId: string;
  username: string;
  fields: string[];
  purpose: string | null;
  instanceId: string;
  grantedAt: string;
  expiresAt: string;
  revokedAt: string | null;
  revokedBy: string | null;
  revokeReason: string | null;
  state: 'active' | 'expired' | 'revoked';
}

export interface LiveDataset {
  code: string;
  name: string;
  version: number;
  columns: Array<{ name: string; title: string; sensitivity: number }>;
}

export const STATE_COLOR: Record<string, string> = {
  'in-approval': 'processing', granted: 'success', active: 'success', expired: 'default', revoked: 'error', rejected: 'warning', cancelled: 'default',
};

/** The granted, masked rows of a resource as CSV or .xlsx (the server audits each download). */
export function downloadResource(code: string, format: 'csv' | 'xlsx'): Promise<void> {
  return download(`/api/workflow/resources/${encodeURIComponent(code)}/download?format=${format}`, `${code}.${format}`);
}
