import type { AuditWriter } from '../audit/writer';
import type { Database } from '../database/types';
import type { DataService } from '../runtime/data-service';
import type { DatasetRegistry } from '../runtime/registry';
import type { DatasetRuntime } from '../runtime/dataset-runtime';
import type { DataPolicyCompiler } from '../security/authz/data-policy';
import type { Principal } from '../security/authz/principal';
import { ApiError, ErrorDetail, badRequest, notFound, unprocessable } from '../util/errors';
import { MAX_LIMIT } from '../runtime/filter';
import type { ResourceGrants } from './grants';
import { sqlTime } from './service';
import type { Who, WorkflowService } from './service';
import ExcelJS from 'exceljs';
import { XLSX_TYPE, xlsxCell } from '../screens/data-export';

/**
 * Open-data resources: what a data user may apply for — a dataset, the fields offered, a row
 * filter, a masking profile (the clearance the data is shown at: 0 masks every personal field),
 * a description and an owner. Each save is the next version. Access comes only from an approved
 * `resource-approval` case (ResourceGrants); downloads are masked, limited to the granted fields
 * and audited.
 */
export interface ResourceRow {
  code: string;
  version: number;
  name: string;
  description: string | null;
  dataset_code: string;
  fields: string[];
  row_filter: Record<string, unknown> | null;
  clearance: number;
  owner: string;
  updated_by: string;
  updated_at: string;
}

export interface ResourceInput {
  name: string;
  description?: string;
  datasetCode: string;
  fields: string[];
  rowFilter?: Record<string, unknown>;
  clearance?: number;
  owner: string;
}

const COLUMNS = 'code, version, name, description, dataset_code, fields, row_filter, clearance, owner, updated_by, updated_at';
const CODE = /^[a-z][a-z0-9-]{1,99}$/;
const MAX_DOWNLOAD_ROWS = 100_000;

export class OpenResources {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditWriter,
    private readonly registry: DatasetRegistry,
    private readonly data: DataService,
    private readonly policies: DataPolicyCompiler,
    private readonly grants: ResourceGrants,
    private readonly workflow: WorkflowService,
  ) {}

  /** Masking at a resource's profile: every row, personal fields above `clearance` masked. */
  private profile(rt: DatasetRuntime, clearance: number) {
    return this.policies.policyFor({ rowScope: 'all', clearance, roles: [], permissions: [], roleKey: `profile:${clearance}` } as unknown as Principal, rt);
  }

  /** The catalogue: the latest version of each resource, optionally matching `q` in name or description. */
  async search(q?: string): Promise<ResourceRow[]> {
    const like = q ? `%${q.replace(/[%_\\]/g, m => `\\${m}`)}%` : null;
    return this.db.query<ResourceRow>(
      `SELECT ${COLUMNS} FROM wf_resource r WHERE version = (SELECT max(version) FROM wf_resource x WHERE x.code = r.code)
       AND (CAST($1 AS text) IS NULL OR name LIKE $1 OR description LIKE $1 OR code LIKE $1) ORDER BY code LIMIT 500`,
      [like],
    );
  }

  async get(code: string): Promise<ResourceRow | undefined> {
    if (!CODE.test(code)) return undefined;
    const [row] = await this.db.query<ResourceRow>(`SELECT ${COLUMNS} FROM wf_resource WHERE code = $1 ORDER BY version DESC LIMIT 1`, [code]);
    return row;
  }

  /** Every version of a resource, newest first. */
  async versions(code: string): Promise<ResourceRow[]> {
    if (!CODE.test(code)) return [];
    return this.db.query<ResourceRow>(`SELECT ${COLUMNS} FROM wf_resource WHERE code = $1 ORDER BY version DESC LIMIT 500`, [code]);
  }

  /** Creates the resource or saves its next version. */
  async save(code: string, input: ResourceInput, who: Who): Promise<ResourceRow> {
    const issues: ErrorDetail[] = [];
    if (!CODE.test(code)) issues.push({ field: 'code', rule: 'pattern', message: 'lower-case letters, digits and -, starting with a letter' });
    if (typeof input?.name !== 'string' || !input.name.trim() || input.name.length > 200) issues.push({ field: 'name', rule: 'required', message: '1–200 characters' });
    if (typeof input?.owner !== 'string' || !input.owner.trim() || input.owner.length > 100) issues.push({ field: 'owner', rule: 'required', message: 'the owning department or person' });
    const rt = typeof input?.datasetCode === 'string' ? this.registry.get(input.datasetCode) : undefined;
    if (!rt) issues.push({ field: 'datasetCode', rule: 'exists', message: 'a live dataset code' });
    const fields = Array.isArray(input?.fields) ? input.fields : [];
    if (!fields.length) issues.push({ field: 'fields', rule: 'required', message: 'at least one column of the dataset' });
    fields.forEach((f, i) => {
      if (rt && !rt.columnNames.includes(f)) issues.push({ field: `fields[${i}]`, rule: 'exists', message: `${String(f).slice(0, 63)} is not a column of ${rt.code}`, index: i });
    });
    const clearance = input?.clearance ?? 0;
    if (!Number.isInteger(clearance) || clearance < 0 || clearance > 4) issues.push({ field: 'clearance', rule: 'range', message: 'masking profile: the sensitivity shown unmasked, 0–4' });
    if (input?.rowFilter !== undefined && (input.rowFilter === null || typeof input.rowFilter !== 'object' || Array.isArray(input.rowFilter))) {
      issues.push({ field: 'rowFilter', rule: 'type', message: 'a where filter object' });
    }
    if (issues.length) throw unprocessable('invalid resource', issues);
    if (input.rowFilter) await this.checkRowFilter(rt!, input.rowFilter, clearance);
    return this.db.transaction(async tx => {
      await tx.query('SELECT pg_advisory_xact_lock(7340103)');
      const [last] = await tx.query<{ v: number | null }>('SELECT max(version) AS v FROM wf_resource WHERE code = $1', [code]);
      const version = Number(last?.v ?? 0) + 1;
      const [row] = await tx.query<ResourceRow>(
        `INSERT INTO wf_resource (code, version, name, description, dataset_code, fields, row_filter, clearance, owner, updated_by, updated_at)
         VALUES ($1, $2, $3, $4, $5, CAST($6 AS jsonb), CAST($7 AS jsonb), $8, $9, $10, now()) RETURNING ${COLUMNS}`,
        [code, version, input.name.trim(), input.description ?? null, rt!.code, JSON.stringify(fields), input.rowFilter ? JSON.stringify(input.rowFilter) : null, clearance, input.owner.trim(), who.username],
      );
      await this.audit.record(tx, { actor: who.username, clientIp: who.clientIp, action: 'workflow.resource.save', resource: `resource:${code}`, recordId: code, detail: { version } });
      return row;
    });
  }

  /**
   * The row filter must compile against the dataset's live (published) version in the platform's
   * where language and touch no column masked at the resource's profile; else 400 naming
   * `rowFilter.<path>` and the rule.
   */
  private async checkRowFilter(rt: DatasetRuntime, where: Record<string, unknown>, clearance: number): Promise<void> {
    try {
      await this.data.count(rt, where, await this.profile(rt, clearance));
    } catch (err) {
      if (!(err instanceof ApiError) || err.statusCode < 400 || err.statusCode >= 500) throw err;
      const details = (err.details?.length ? err.details : [{ rule: 'filter', message: err.message }]).map(d => {
        const at = d.path ?? d.field;
        const path = at ? `rowFilter.${String(at).replace(/^where\.?/, '')}`.replace(/\.$/, '') : 'rowFilter';
        const message = d.rule === 'masked-field' ? `masked at the resource's masking profile (${clearance}): filtering on it would reveal it` : d.message;
        return { ...d, field: path, path, message };
      });
      throw badRequest(`invalid row filter: ${err.message.replace(/^invalid filter: /, '')}`, details);
    }
  }

  /**
   * The caller's applications for resources (resource-approval cases they started), newest first,
   * each with its state: in-approval, granted (until expiresAt), expired, revoked, rejected or cancelled.
   */
  async applications(username: string): Promise<Application[]> {
    const cases = await this.db.query<{ id: string; title: string; status: string; variables: Record<string, unknown>; started_at: string; ended_at: string | null }>(
      `SELECT id, title, status, variables, started_at, ended_at FROM wf_instance WHERE started_by = $1 AND definition_key = 'resource-approval'
       ORDER BY started_at DESC LIMIT 500`,
      [username],
    );
    const ids = cases.map(c => c.id);
    const grants = new Map((await this.grants.ofInstances(ids)).map(g => [g.instance_id, g]));
    const open = ids.length
      ? await this.db.query<{ instance_id: string; name: string }>(`SELECT instance_id, name FROM wf_task WHERE status = 'open' AND instance_id = ANY(CAST($1 AS uuid[])) ORDER BY created_at`, [ids])
      : [];
    const now = sqlTime();
    const names = new Map((await this.search()).map(r => [r.code, r.name]));
    return cases.map(c => {
      const v = c.variables;
      const grant = grants.get(c.id);
      const state: Application['state'] = grant
        ? grant.revoked_at ? 'revoked' : grant.expires_at <= now ? 'expired' : 'granted'
        : c.status === 'running' ? 'in-approval' : c.status === 'cancelled' ? 'cancelled' : 'rejected';
      const resourceId = typeof v.resourceId === 'string' ? v.resourceId : '';
      return {
        instanceId: c.id, title: c.title, resourceId, resourceName: names.get(resourceId) ?? null, state,
        purpose: typeof v.purpose === 'string' ? v.purpose : null, fields: Array.isArray(v.fields) ? (v.fields as string[]) : [],
        periodDays: typeof v.periodDays === 'number' ? v.periodDays : null,
        pendingTasks: open.filter(t => t.instance_id === c.id).map(t => t.name),
        startedAt: `${c.started_at}Z`, endedAt: c.ended_at ? `${c.ended_at}Z` : null,
        grant: grant ? { id: grant.id, grantedAt: `${grant.granted_at}Z`, expiresAt: `${grant.expires_at}Z`, revokedAt: grant.revoked_at ? `${grant.revoked_at}Z` : null, revokeReason: grant.revoke_reason } : null,
      };
    });
  }

  /** Live datasets a resource can be made of, with their columns (name, title, sensitivity). */
  datasets(): Array<{ code: string; name: string; version: number; columns: Array<{ name: string; title: string; sensitivity: number }> }> {
    return this.registry.list().map(rt => ({ code: rt.code, name: rt.name, version: rt.version, columns: columnsOf(rt) })).sort((a, b) => a.code.localeCompare(b.code));
  }

  /** The dataset's name and its columns' titles (for the catalogue), when the dataset is live. */
  describe(datasetCode: string): { datasetName: string; fieldTitles: Record<string, string> } | undefined {
    const rt = this.registry.get(datasetCode);
    return rt && { datasetName: rt.name, fieldTitles: Object.fromEntries(columnsOf(rt).map(c => [c.name, c.title])) };
  }

  /** Starts a resource-approval case for the caller: purpose, fields (a subset of the resource's) and period. */
  async apply(code: string, input: { purpose: string; fields?: string[]; periodDays?: number }, who: Who) {
    const resource = await this.get(code);
    if (!resource) throw notFound(`no resource ${code.slice(0, 100)}`);
    const issues: ErrorDetail[] = [];
    if (typeof input?.purpose !== 'string' || !input.purpose.trim() || input.purpose.length > 2000) issues.push({ field: 'purpose', rule: 'required', message: 'what the data is for, 1–2000 characters' });
    const fields = input?.fields ?? resource.fields;
    if (!Array.isArray(fields) || !fields.length) issues.push({ field: 'fields', rule: 'required', message: 'at least one field' });
    else fields.forEach((f, i) => {
      if (!resource.fields.includes(f)) issues.push({ field: `fields[${i}]`, rule: 'offered', message: `${String(f).slice(0, 63)} is not offered by ${code}`, index: i });
    });
    const days = input?.periodDays ?? 90;
    if (!Number.isInteger(days) || days < 1 || days > 366) issues.push({ field: 'periodDays', rule: 'range', message: 'a whole number of days, 1–366' });
    if (issues.length) throw badRequest('invalid application', issues);
    return this.workflow.start('resource-approval', {
      title: `数据资源申请：${resource.name}`,
      businessKey: code,
      variables: { resourceId: code, purpose: input.purpose, fields, periodDays: days },
    }, who);
  }

  /** The granted fields of the resource's rows, masked at the resource's profile; audited. */
  async download(code: string, format: 'csv' | 'xlsx', who: Who): Promise<{ body: string | Buffer; type: string; filename: string }> {
    const resource = await this.get(code);
    if (!resource) throw notFound(`no resource ${code.slice(0, 100)}`);
    const grant = await this.grants.active(who.username, code);
    if (!grant) throw new ApiError(403, 'Forbidden', `you hold no current grant on ${code}: apply with POST /api/workflow/resources/${code}/apply`);
    const rt = this.registry.get(resource.dataset_code);
    if (!rt) throw new ApiError(409, 'Conflict', `dataset ${resource.dataset_code} of ${code} is not live`);
    const fields = grant.fields.filter(f => resource.fields.includes(f) && rt.columnNames.includes(f));
    const policy = await this.profile(rt, resource.clearance);
    const rows: Array<Record<string, unknown>> = [];
    for (let offset = 0; offset < MAX_DOWNLOAD_ROWS; offset += MAX_LIMIT) {
      const page = await this.data.find(rt, { where: resource.row_filter ?? undefined, fields: ['id', ...fields], limit: MAX_LIMIT, offset }, policy);
      rows.push(...page);
      if (page.length < MAX_LIMIT) break;
    }
    await this.audit.record(this.db, {
      actor: who.username, clientIp: who.clientIp, action: 'workflow.resource.download', resource: `resource:${code}`, recordId: grant.id,
      detail: { version: resource.version, format, rows: rows.length, fields, clearance: resource.clearance },
    });
    const filename = `${code}-${new Date().toISOString().slice(0, 10)}.${format}`;
    return format === 'csv'
      ? { body: toCsv(fields, rows), type: 'text/csv; charset=utf-8', filename }
      : { body: await toXlsx(resource.name, fields, rows), type: XLSX_TYPE, filename };
  }
}

export interface Application {
  instanceId: string;
  title: string;
  resourceId: string;
  resourceName: string | null;
  state: 'in-approval' | 'granted' | 'expired' | 'revoked' | 'rejected' | 'cancelled';
  purpose: string | null;
  fields: string[];
  periodDays: number | null;
  pendingTasks: string[];
  startedAt: string;
  endedAt: string | null;
  grant: { id: string; grantedAt: string; expiresAt: string; revokedAt: string | null; revokeReason: string | null } | null;
}

function columnsOf(rt: DatasetRuntime): Array<{ name: string; title: string; sensitivity: number }> {
  const titles = new Map<string, { title: string; sensitivity: number }>();
  for (const inc of rt.resolved.dataset.inclusions) {
    const el = rt.resolved.elements[inc.elementId];
    titles.set(inc.column, { title: inc.localName ?? el?.name ?? inc.column, sensitivity: el?.sensitivity ?? 0 });
  }
  return rt.columnNames.map(c => ({ name: c, title: titles.get(c)?.title ?? c, sensitivity: titles.get(c)?.sensitivity ?? 0 }));
}

function text(v: unknown): string {
  return v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** RFC 4180 with a BOM (Excel reads it as UTF-8); cells starting with = + - @ are quoted with a leading ' against formula injection. */
function toCsv(fields: string[], rows: Array<Record<string, unknown>>): string {
  const cell = (v: unknown) => {
    let s = text(v);
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return `\uFEFF${[fields.join(','), ...rows.map(r => fields.map(f => cell(r[f])).join(','))].join('\r\n')}\r\n`;
}

/** A real .xlsx (Office Open XML) workbook: one sheet, the field codes as the bold header row. */
async function toXlsx(name: string, fields: string[], rows: Array<Record<string, unknown>>): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(name.replace(/[*?:\\/[\]]/g, ' ').slice(0, 31) || 'data');
  sheet.columns = fields.map(f => ({ header: f, key: f, width: Math.min(40, Math.max(10, f.length + 4)) }));
  sheet.getRow(1).font = { bold: true };
  for (const r of rows) sheet.addRow(fields.map(f => xlsxCell(r[f])));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
