import path from 'node:path';
import fs from 'node:fs';
import { Database } from './types';
import { PgliteDatabase } from './pglite';
import { PostgresDatabase } from './postgres';

export * from './types';
export { migratePlatformSchema, SchemaStep } from './schema';

export interface DatabaseConfig {
  /** postgres://… ; absent means embedded PGlite. */
  url?: string;
  /** PGlite data directory; `memory` keeps it in memory. */
  dataDir?: string;
  poolSize?: number;
}

export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  if (config.url) return new PostgresDatabase(config.url, config.poolSize);
  if (!config.dataDir || config.dataDir === 'memory') return PgliteDatabase.open();
  const dir = path.resolve(config.dataDir, 'pglite');
  fs.mkdirSync(dir, { recursive: true });
  return PgliteDatabase.open(dir);
}
