import { dazhouInstitutions, demoDataPlan, generateRecords, starterCatalog } from '@lingshu/seeds';
import { Platform } from './platform';
import { createUser } from './security/identity/auth-service';
import { OrgUnit, addOrgUnits } from './security/identity/org-units';
import { randomPassword } from './security/identity/password';
import { seedMappingDemo } from './mapping/demo';

const SYSTEM_ACTOR = 'system:seed';

export interface SeedOptions {
  demoData?: 'none' | 'small' | 'demo';
  log?: (line: string) => void;
  /** Known password for the demo accounts (else random, shown once). */
  adminPassword?: string;
}

/** Demo accounts, one per built-in business role, created with the demo data. */
const DEMO_USERS = [
  { username: 'std.owner', displayName: '标准管理员（演示）', roles: ['standard-owner'], org: null },
  { username: 'city.admin', displayName: '市数据管理员（演示）', roles: ['data-admin'], org: '511700' },
  { username: 'analyst', displayName: '统计分析员（演示）', roles: ['analyst'], org: '511700' },
  { username: 'county.tc', displayName: '通川区卫健局（演示）', roles: ['county-user'], org: '511702' },
  { username: 'hospital.zx', displayName: '达州市中心医院（演示）', roles: ['institution-user'], org: 'first-hospital' },
  { username: 'mapper', displayName: '标化人员（演示）', roles: ['mapper'], org: null },
  { username: 'mapper.zx', displayName: '中心医院标化人员（演示）', roles: ['mapper'], org: 'first-hospital' },
  { username: 'mapping.admin', displayName: '标化管理员（演示）', roles: ['mapping-admin'], org: null },
  { username: 'reviewer', displayName: '审核员（演示）', roles: ['reviewer'], org: null },
];

/**
 * Loads the starter catalog and, once, the synthetic demo data. Safe to run at every start:
 * catalog versions already present are skipped, and demo data is loaded only once.
 */
export async function seedPlatform(platform: Platform, options: SeedOptions = {}): Promise<void> {
  const log = options.log ?? (() => undefined);
  const result = await platform.importer.importItems(starterCatalog(), SYSTEM_ACTOR);
  if (result.added > 0) log(`starter catalog: ${result.added} metadata versions loaded`);
  const units = await addOrgUnits(platform.db, dazhouOrgUnits());
  if (units > 0) log(`institution tree: ${units} units`);
  const scale = options.demoData ?? 'none';
  if (scale !== 'none') await seedMappingDemo(platform.db, platform.jobs, platform.mapping, log);
  if (scale === 'none' || (await setting(platform, 'demo-data'))) return;
  await createDemoUsers(platform, options, log);
  const chunk = 5000;
  for (const { datasetCode, count } of demoDataPlan(scale)) {
    const rt = platform.registry.get(datasetCode);
    if (!rt) continue;
    for (let start = 0; start < count; start += chunk) {
      const rows = [...generateRecords(datasetCode, Math.min(chunk, count - start), { startIndex: start })];
      await platform.data.bulkCreate(rt, rows, SYSTEM_ACTOR);
    }
    log(`demo data: ${count} ${datasetCode} records`);
  }
  await platform.db.query(
    `INSERT INTO platform_setting (key, value, updated_at) VALUES ('demo-data', $1, now())`,
    [JSON.stringify({ scale, loadedAt: new Date().toISOString() })],
  );
}

async function setting(platform: Platform, key: string): Promise<unknown> {
  const [row] = await platform.db.query<{ value: unknown }>('SELECT value FROM platform_setting WHERE key = $1', [key]);
  return row?.value;
}

/** 达州市 → its 7 counties → the synthetic hospitals and primary-care institutions. */
function dazhouOrgUnits(): OrgUnit[] {
  const { hospitals, primaryCare } = dazhouInstitutions();
  const institutions = [...hospitals, ...primaryCare];
  const counties = new Map(institutions.map(i => [i.countyCode, i.countyName]));
  return [
    { code: '511700', name: '达州市', kind: 'city', divisionCode: '511700' },
    ...[...counties].map(([code, name]): OrgUnit => ({ code, name, kind: 'county', parentCode: '511700', divisionCode: code })),
    ...institutions.map((i): OrgUnit => ({ code: i.code, name: i.name, kind: 'institution', parentCode: i.countyCode, divisionCode: i.countyCode })),
  ];
}

async function createDemoUsers(platform: Platform, options: SeedOptions, log: (line: string) => void): Promise<void> {
  const firstHospital = dazhouInstitutions().hospitals[0].code;
  for (const u of DEMO_USERS) {
    const [exists] = await platform.db.query('SELECT 1 FROM app_user WHERE username = $1', [u.username]);
    if (exists) continue;
    const password = options.adminPassword ?? randomPassword();
    const orgCode = u.org === 'first-hospital' ? firstHospital : u.org;
    await createUser(platform.db, { username: u.username, displayName: u.displayName, orgCode, password, mustChange: false, roles: u.roles }, platform.security.integrity);
    log(`demo account ${u.username} (${u.roles.join(', ')})${options.adminPassword ? '' : `: password ${password}`}`);
  }
}
