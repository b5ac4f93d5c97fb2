import { Database } from '../../database';
import { DataAccessPolicy } from '../../extension-points';
import { DatasetRuntime } from '../../runtime/dataset-runtime';
import { ApiError } from '../../util/errors';
import { compileMasker, RowMasker } from './masking';
import { Principal } from './principal';

/** The data element that identifies an institution (组织机构代码), by which rows are scoped. */
const ORG_ELEMENT = 'DE08.10.052.00';
const ORG_COLUMN = 'org_code';

/** The column that names a record's institution: found by its data element, else by the conventional name. */
export function institutionColumn(rt: DatasetRuntime): string | null {
  const byElement = rt.columns.find(c => rt.resolved.elements[c.elementId]?.identifier === ORG_ELEMENT);
  return byElement?.column ?? (rt.columnNames.includes(ORG_COLUMN) ? ORG_COLUMN : null);
}

const forbidden = (message: string) => new ApiError(403, 'Forbidden', message);

/**
 * Row scope and field masking for one principal on one dataset, derived from metadata: the
 * institution column is found by its data element, masks by each element's sensitivity. Maskers
 * are compiled once per dataset version and clearance; county membership is cached.
 */
export class DataPolicyCompiler {
  private readonly maskers = new WeakMap<DatasetRuntime, Map<number, RowMasker>>();
  private readonly orgColumns = new WeakMap<DatasetRuntime, string | null>();
  private countyOrgs = new Map<string, string[]>();

  constructor(private readonly db: Database) {}

  async policyFor(principal: Principal, rt: DatasetRuntime): Promise<DataAccessPolicy> {
    const present = this.masker(rt, principal.clearance);
    const maskedColumns = present.masked;
    if (principal.rowScope === 'all') return { present, permitsRow: () => true, maskedColumns };
    const column = this.orgColumn(rt);
    if (!column) throw forbidden(`${rt.code} has no institution column, so a ${principal.rowScope}-scoped role cannot use it`);
    const orgs = await this.orgsInScope(principal);
    const allowed = new Set(orgs);
    return {
      present,
      where: { [column]: { inq: orgs.length ? orgs : ['\u0000'] } },
      permitsRow: row => allowed.has(String(row[column])),
      scopeColumn: column,
      maskedColumns,
    };
  }

  /** Call after the institution tree changes. */
  forgetOrgs(): void {
    this.countyOrgs = new Map();
  }

  private async orgsInScope(principal: Principal): Promise<string[]> {
    if (!principal.orgCode) throw forbidden('your account belongs to no institution, so it sees no scoped data');
    if (principal.rowScope === 'institution') return [principal.orgCode];
    const county = principal.countyCode;
    if (!county) throw forbidden('your institution has no county on record');
    let orgs = this.countyOrgs.get(county);
    if (!orgs) {
      const rows = await this.db.query<{ code: string }>('SELECT code FROM org_unit WHERE division_code = $1', [county]);
      orgs = rows.map(r => r.code);
      this.countyOrgs.set(county, orgs);
    }
    return orgs;
  }

  private orgColumn(rt: DatasetRuntime): string | null {
    let column = this.orgColumns.get(rt);
    if (column === undefined) {
      column = institutionColumn(rt);
      this.orgColumns.set(rt, column);
    }
    return column;
  }

  private masker(rt: DatasetRuntime, clearance: number): RowMasker {
    let byClearance = this.maskers.get(rt);
    if (!byClearance) this.maskers.set(rt, (byClearance = new Map()));
    let masker = byClearance.get(clearance);
    if (!masker) {
      masker = compileMasker(rt.columns.map(c => ({ column: c.column, element: rt.resolved.elements[c.elementId] })), clearance);
      byClearance.set(clearance, masker);
    }
    return masker;
  }
}
