import { demoDataPlan, generateRecords, starterCatalog } from '@lingshu/seeds';
import { Platform } from './platform';

const SYSTEM_ACTOR = 'system:seed';

export interface SeedOptions {
  demoData?: 'none' | 'small' | 'demo';
  log?: (line: string) => void;
}

/**
 * Loads the starter catalog and, once, the synthetic demo data. Safe to run at every start:
 * catalog versions already present are skipped, and demo data is loaded only once.
 */
export async function seedPlatform(platform: Platform, options: SeedOptions = {}): Promise<void> {
  const log = options.log ?? (() => undefined);
  const result = await platform.importer.importItems(starterCatalog(), SYSTEM_ACTOR);
  if (result.added > 0) log(`starter catalog: ${result.added} metadata versions loaded`);
  const scale = options.demoData ?? 'none';
  if (scale === 'none' || (await setting(platform, 'demo-data'))) return;
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
