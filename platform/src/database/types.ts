/** The few things the platform needs from a database, on PostgreSQL and on embedded PGlite alike. */
export interface Queryable {
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
}

export interface Database extends Queryable {
  readonly kind: 'postgresql' | 'pglite';
  /** Runs `work` in one transaction; rolls back when it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * A fast read path: a statement prepared once per connection under `name`.
   * On PGlite (one session) it is an ordinary query.
   */
  prepared<R = Record<string, unknown>>(name: string, sql: string, params: unknown[]): Promise<R[]>;
  /** Subscribes to NOTIFY on a channel; resolves once listening. */
  listen(channel: string, onMessage: (payload: string) => void): Promise<void>;
  notify(tx: Queryable, channel: string, payload: string): Promise<void>;
  version(): Promise<string>;
  close(): Promise<void>;
}
