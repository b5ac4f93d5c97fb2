import { PGlite, Transaction } from '@electric-sql/pglite';
import { Database, Queryable, Transaction as Tx } from './types';
import { VALUE_PARSERS } from './pg-types';
import { copyStatement } from './copy';

/**
 * Embedded PostgreSQL (WASM) in this process: one backend session for everything, so it suits
 * one machine, demos and tests; production runs on PostgreSQL.
 */
export class PgliteDatabase implements Database {
  readonly kind = 'pglite' as const;

  private constructor(private readonly db: PGlite) {}

  /** `dataDir` undefined keeps the database in memory. */
  static async open(dataDir?: string): Promise<PgliteDatabase> {
    const db = new PGlite({ dataDir, parsers: VALUE_PARSERS });
    await db.waitReady;
    return new PgliteDatabase(db);
  }

  async query<R>(sql: string, params?: unknown[]): Promise<R[]> {
    return (await this.db.query<R>(sql, params as unknown[])).rows;
  }

  prepared<R>(_name: string, sql: string, params: unknown[]): Promise<R[]> {
    return this.query<R>(sql, params);
  }

  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.db.transaction(async (t: Transaction) =>
      work({
        query: async <R>(sql: string, params?: unknown[]) => (await t.query<R>(sql, params as unknown[])).rows,
        // PGlite reads COPY input from a blob it mounts at /dev/blob.
        copyIn: async (table, columns, chunks) => {
          await t.query(copyStatement(table, columns, "'/dev/blob'"), [], { blob: new Blob([...chunks]) });
        },
      }),
    );
  }

  async listen(channel: string, onMessage: (payload: string) => void): Promise<void> {
    await this.db.listen(channel, onMessage);
  }

  async notify(tx: Queryable, channel: string, payload: string): Promise<void> {
    await tx.query('SELECT pg_notify($1, $2)', [channel, payload]);
  }

  async version(): Promise<string> {
    const [row] = await this.query<{ v: string }>('SELECT version() AS v');
    return `${row.v} (PGlite)`;
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}
