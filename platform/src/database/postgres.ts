import pg from 'pg';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { from as copyFrom } from 'pg-copy-streams';
import { copyStatement } from './copy';
import { Database, Queryable, Transaction as Tx } from './types';
import { VALUE_PARSERS } from './pg-types';

const types = {
  getTypeParser(oid: number, format?: string) {
    const parse = VALUE_PARSERS[oid];
    return parse ?? pg.types.getTypeParser(oid, format as 'text');
  },
};

export class PostgresDatabase implements Database {
  readonly kind = 'postgresql' as const;
  private readonly pool: pg.Pool;
  private listener?: pg.Client;
  private readonly handlers = new Map<string, Array<(payload: string) => void>>();

  constructor(
    private readonly url: string,
    poolSize = 10,
  ) {
    this.pool = new pg.Pool({ connectionString: url, max: poolSize, types });
    // An idle client that errors (server restart) must not crash the process.
    this.pool.on('error', () => undefined);
  }

  async query<R>(sql: string, params?: unknown[]): Promise<R[]> {
    const result = await this.pool.query(sql, params as unknown[]);
    return result.rows as R[];
  }

  async prepared<R>(name: string, sql: string, params: unknown[]): Promise<R[]> {
    const result = await this.pool.query({ name, text: sql, values: params });
    return result.rows as R[];
  }

  async transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    const tx: Tx = {
      query: async <R>(sql: string, params?: unknown[]) =>
        (await client.query(sql, params as unknown[])).rows as R[],
      copyIn: (table, columns, chunks) =>
        pipeline(Readable.from(chunks), client.query(copyFrom(copyStatement(table, columns, 'STDIN')))),
    };
    try {
      await client.query('BEGIN');
      const result = await work(tx);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  async listen(channel: string, onMessage: (payload: string) => void): Promise<void> {
    if (!this.listener) {
      this.listener = new pg.Client({ connectionString: this.url });
      this.listener.on('notification', msg => {
        for (const h of this.handlers.get(msg.channel) ?? []) h(msg.payload ?? '');
      });
      this.listener.on('error', () => undefined);
      await this.listener.connect();
    }
    const list = this.handlers.get(channel) ?? [];
    if (list.length === 0) await this.listener.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    list.push(onMessage);
    this.handlers.set(channel, list);
  }

  async notify(tx: Queryable, channel: string, payload: string): Promise<void> {
    await tx.query('SELECT pg_notify($1, $2)', [channel, payload]);
  }

  async version(): Promise<string> {
    const [row] = await this.query<{ v: string }>('SELECT version() AS v');
    return row.v;
  }

  async close(): Promise<void> {
    await this.listener?.end().catch(() => undefined);
    await this.pool.end();
  }
}
