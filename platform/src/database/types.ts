/** The few things the platform needs from a database, on PostgreSQL and on embedded PGlite alike. */
export interface Queryable {
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
}

/** A connection inside a transaction. */
export interface Transaction extends Queryable {
  /**
   * COPY rows in PostgreSQL's text format (tab-separated, `\N` for null, escaped by the caller)
   * into the named columns of a table: the fastest way in for bulk loads. `chunks` is pulled
   * lazily, so producing the next chunk overlaps the server's work on the previous ones.
   */
  copyIn(table: string, columns: string[], chunks: Iterable<string>): Promise<void>;
}

export interface Database extends Queryable {
  readonly kind: 'postgresql' | 'pglite';
  /** Runs `work` in one transaction; rolls back when it throws. */
  transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T>;
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
