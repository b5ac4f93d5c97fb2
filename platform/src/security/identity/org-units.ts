import { Queryable } from '../../database';

export interface OrgUnit {
  code: string;
  name: string;
  kind: 'city' | 'county' | 'institution' | 'department';
  parentCode?: string;
  /** GB/T 2260 county (or city) the unit belongs to: drives county row scope. */
  divisionCode?: string;
}

/** Adds the units that are missing (by code); existing ones are left as they are. */
export async function addOrgUnits(q: Queryable, units: OrgUnit[]): Promise<number> {
  const existing = new Set((await q.query<{ code: string }>('SELECT code FROM org_unit')).map(r => r.code));
  let added = 0;
  for (const u of units.filter(x => !existing.has(x.code))) {
    await q.query('INSERT INTO org_unit (code, name, kind, parent_code, division_code, created_at) VALUES ($1, $2, $3, $4, $5, now())', [
      u.code, u.name, u.kind, u.parentCode ?? null, u.divisionCode ?? null,
    ]);
    added++;
  }
  return added;
}
