import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface TestDatabase {
  /** Config fragment for startPlatform: a fresh PostgreSQL database, or in-memory PGlite. */
  config: { databaseUrl?: string; dataDir?: string; masterKey: string };
  kind: 'postgresql' | 'pglite';
  drop(): Promise<void>;
}

/**
 * A throwaway database per suite. With LINGSHU_TEST_DATABASE_URL the suite gets its own
 * PostgreSQL database (created and dropped here); otherwise an in-memory PGlite.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const admin = process.env.LINGSHU_TEST_DATABASE_URL;
  // One master key per database, so that several instances on it can read each other's keys.
  const masterKey = randomBytes(32).toString('hex');
  if (!admin) return { config: { dataDir: 'memory', masterKey }, kind: 'pglite', drop: async () => undefined };
  const name = `lingshu_test_${randomBytes(6).toString('hex')}`;
  await withClient(admin, c => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    config: { databaseUrl: url.toString(), masterKey },
    kind: 'postgresql',
    drop: () => withClient(admin, c => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

async function withClient<T>(url: string, work: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
