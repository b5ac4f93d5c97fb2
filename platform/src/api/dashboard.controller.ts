import { inject } from '@loopback/core';
import { OperationObject, Request, RestBindings, get } from '@loopback/rest';
import { Database } from '../database';
import { AccessGrant, AccessRequest, RequestGuard } from '../extension-points';
import { MetadataStore } from '../metadata-store/store';
import { DataService } from '../runtime/data-service';
import { DatasetRegistry } from '../runtime/registry';
import { institutionColumn } from '../security/authz/data-policy';
import { ApiError } from '../util/errors';
import { LingshuBindings } from './keys';

const op = (summary: string): OperationObject => ({ summary, tags: ['dashboard'], responses: { '200': { description: summary } } });
const KINDS = ['data-element', 'value-domain', 'dataset'] as const;

/**
 * Figures for the home dashboard, each section only as far as the caller's roles reach: metadata
 * by kind and status (metadata readers), and records of the live datasets per dataset, institution
 * and day — inside the caller's row scope, skipping datasets the caller may not read.
 */
export class DashboardController {
  constructor(
    @inject(LingshuBindings.GUARD) private readonly guard: RequestGuard,
    @inject(LingshuBindings.STORE) private readonly store: MetadataStore,
    @inject(LingshuBindings.REGISTRY) private readonly registry: DatasetRegistry,
    @inject(LingshuBindings.DATA) private readonly data: DataService,
    @inject(LingshuBindings.DATABASE) private readonly db: Database,
    @inject(RestBindings.Http.REQUEST) private readonly request: Request,
  ) {}

  @get('/api/dashboard', op('Dashboard figures: metadata by kind and status; records per dataset, institution and day (row scope applies)'))
  async figures() {
    await this.guard.check(this.request, { resource: 'self', action: 'read' });
    return { metadata: await this.metadata(), records: await this.records() };
  }

  private async metadata() {
    for (const kind of KINDS) if (!(await this.allowed({ resource: `meta:${kind}`, action: 'read' }))) return null;
    return { byKindStatus: await this.store.countByStatus() };
  }

  private async records() {
    const byDataset: Array<{ code: string; name: string; count: number }> = [];
    const byOrg = new Map<string, number>();
    const byDay = new Map<string, number>();
    let readable = 0;
    for (const rt of this.registry.list()) {
      const grant = await this.allowed({ resource: `data:${rt.code}`, action: 'read' });
      if (!grant) continue;
      let policy;
      try {
        policy = grant.dataPolicy ? await grant.dataPolicy(rt) : undefined;
      } catch (err) {
        if (err instanceof ApiError && err.statusCode === 403) continue; // e.g. a scoped role on a dataset without an institution column
        throw err;
      }
      readable++;
      const count = await this.data.count(rt, undefined, policy);
      byDataset.push({ code: rt.code, name: rt.name, count });
      if (count === 0) continue;
      const orgColumn = institutionColumn(rt);
      if (orgColumn && !policy?.maskedColumns?.has(orgColumn)) {
        for (const { key, count: n } of await this.data.tally(rt, { column: orgColumn }, policy, 200)) byOrg.set(key, (byOrg.get(key) ?? 0) + n);
      }
      for (const { key, count: n } of await this.data.tally(rt, 'day', policy, 30)) byDay.set(key, (byDay.get(key) ?? 0) + n);
    }
    if (readable === 0) return null;
    const names = await this.orgNames([...byOrg.keys()]);
    return {
      total: byDataset.reduce((s, d) => s + d.count, 0),
      byDataset: byDataset.sort((a, b) => b.count - a.count),
      byInstitution: [...byOrg].map(([orgCode, count]) => ({ orgCode, orgName: names.get(orgCode) ?? null, count })).sort((a, b) => b.count - a.count).slice(0, 50),
      byDay: [...byDay].sort((a, b) => a[0].localeCompare(b[0])).slice(-30).map(([day, count]) => ({ day, count })),
    };
  }

  /** The grant, or null when the caller's roles do not reach this resource. A password change due still stops everything. */
  private async allowed(access: AccessRequest): Promise<AccessGrant | null> {
    try {
      return await this.guard.check(this.request, access);
    } catch (err) {
      if (err instanceof ApiError && err.statusCode === 403 && err.code !== 'PasswordChangeRequired') return null;
      throw err;
    }
  }

  private async orgNames(codes: string[]): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    for (let i = 0; i < codes.length; i += 200) {
      const chunk = codes.slice(i, i + 200);
      const rows = await this.db.query<{ code: string; name: string }>(`SELECT code, name FROM org_unit WHERE code IN (${chunk.map((_, j) => `$${j + 1}`).join(', ')})`, chunk);
      for (const r of rows) names.set(r.code, r.name);
    }
    return names;
  }
}
