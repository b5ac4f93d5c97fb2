import { randomBytes } from 'node:crypto';
import type { SchemaStep } from '../database/schema';
import type { Database, Queryable } from '../database/types';
import { uuidv7 } from '../util/ids';

export type JobStatus = 'queued' | 'running' | 'paused' | 'done' | 'failed' | 'cancelled';
type StopRequest = 'pause' | 'cancel';

export const JOB_SCHEMA_STEPS: SchemaStep[] = [
  {
    id: 50,
    name: 'background jobs',
    sql: [
      `CREATE TABLE job (
        id uuid PRIMARY KEY,
        kind varchar(60) NOT NULL,
        title varchar(200) NOT NULL,
        resource varchar(200) NOT NULL,
        status varchar(20) NOT NULL,
        stop_request varchar(20),
        params jsonb NOT NULL,
        state jsonb,
        done bigint NOT NULL DEFAULT 0,
        total bigint,
        error text,
        created_by varchar(100) NOT NULL,
        created_at timestamp NOT NULL,
        started_at timestamp,
        run_started_at timestamp,
        run_done_start bigint NOT NULL DEFAULT 0,
        updated_at timestamp NOT NULL,
        finished_at timestamp,
        lease_owner varchar(40),
        lease_until timestamp
      )`,
      `CREATE INDEX job_status ON job (status, created_at)`,
    ],
  },
];

/** A job as the API shows it: progress in percent and an estimate of the time left. */
export interface JobView {
  id: string;
  kind: string;
  title: string;
  resource: string;
  status: JobStatus;
  stopRequest: StopRequest | null;
  done: number;
  total: number | null;
  percent: number | null;
  etaSeconds: number | null;
  error: string | null;
  createdBy: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

interface JobRow {
  id: string;
  kind: string;
  title: string;
  resource: string;
  status: JobStatus;
  stop_request: StopRequest | null;
  params: Record<string, unknown>;
  state: Record<string, unknown> | null;
  done: string | number;
  total: string | number | null;
  error: string | null;
  created_by: string;
  created_at: Date | string;
  started_at: Date | string | null;
  run_started_at: Date | string | null;
  run_done_start: string | number;
  finished_at: Date | string | null;
  now: Date | string;
}

/** What a handler sees of its job. State survives pauses, crashes and restarts. */
export interface JobContext {
  readonly id: string;
  readonly params: Record<string, unknown>;
  /** The state saved by the last `progress` call (null on the first run). */
  readonly state: Record<string, unknown> | null;
  readonly done: number;
  /**
   * Saves progress and state, renews the lease; throws JobStopped when someone asked to pause or
   * cancel, so a handler calls it between units of work that are each complete.
   */
  progress(done: number, total: number | null, state: Record<string, unknown>): Promise<void>;
}

export type JobHandler = (ctx: JobContext) => Promise<void>;

export class JobStopped extends Error {
  constructor(readonly request: StopRequest) {
    super(`job ${request} requested`);
  }
}

export interface EnqueueInput {
  kind: string;
  title: string;
  /** The authorization resource: who may read or control the job. */
  resource: string;
  params?: Record<string, unknown>;
  createdBy: string;
}

const LEASE_SECONDS = 30;
const JOB_COLUMNS = `id, kind, title, resource, status, stop_request, params, state, done, total, error, created_by,
  created_at, started_at, run_started_at, run_done_start, finished_at, CAST(now() AS timestamp) AS now`;

/**
 * Long work in the background, shared through the database: any instance claims a queued job
 * (or one whose owner stopped renewing its lease: a crash), runs its handler, and records
 * progress. A paused job keeps its state and resumes where it stopped.
 */
export class JobRunner {
  private readonly handlers = new Map<string, JobHandler>();
  private readonly owner = randomBytes(8).toString('hex');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly db: Database,
    private readonly log: (line: string) => void = () => undefined,
    private readonly pollMs = 1000,
  ) {}

  register(kind: string, handler: JobHandler): void {
    this.handlers.set(kind, handler);
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Queues a job inside the caller's transaction, so it exists exactly if the change that asks for it commits. */
  async enqueue(q: Queryable, input: EnqueueInput): Promise<string> {
    const id = uuidv7();
    await q.query(
      `INSERT INTO job (id, kind, title, resource, status, params, created_by, created_at, updated_at)
       VALUES ($1, $2, $3, $4, 'queued', CAST($5 AS jsonb), $6, now(), now())`,
      [id, input.kind, input.title.slice(0, 200), input.resource, JSON.stringify(input.params ?? {}), input.createdBy],
    );
    return id;
  }

  /** Looks for work soon (after a local enqueue commits). */
  wake(): void {
    if (!this.stopped && !this.running) this.schedule(0);
  }

  async get(id: string): Promise<JobView | undefined> {
    const [row] = await this.db.query<JobRow>(`SELECT ${JOB_COLUMNS} FROM job WHERE id = $1`, [id]);
    return row && view(row);
  }

  async list(filter: { kind?: string; status?: string; limit?: number } = {}): Promise<JobView[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.kind) where.push(`kind = $${params.push(filter.kind)}`);
    if (filter.status) where.push(`status = $${params.push(filter.status)}`);
    const sql = `SELECT ${JOB_COLUMNS} FROM job${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC LIMIT $${params.push(filter.limit ?? 100)}`;
    return (await this.db.query<JobRow>(sql, params)).map(view);
  }

  /** Pause or cancel: at once when the job is not running, else at its next progress call. */
  async requestStop(id: string, request: StopRequest): Promise<JobView | undefined> {
    const direct = request === 'pause' ? 'paused' : 'cancelled';
    const from = request === 'pause' ? `('queued')` : `('queued', 'paused')`;
    await this.db.query(`UPDATE job SET status = '${direct}', updated_at = now(), finished_at = ${request === 'cancel' ? 'now()' : 'NULL'} WHERE id = $1 AND status IN ${from}`, [id]);
    await this.db.query(`UPDATE job SET stop_request = $2, updated_at = now() WHERE id = $1 AND status = 'running'`, [id, request]);
    return this.get(id);
  }

  async resume(id: string): Promise<JobView | undefined> {
    await this.db.query(`UPDATE job SET status = 'queued', stop_request = NULL, updated_at = now() WHERE id = $1 AND status IN ('paused', 'failed')`, [id]);
    this.wake();
    return this.get(id);
  }

  /** Runs queued jobs until none is left; tests call it to run a job to its end deterministically. */
  async drain(): Promise<void> {
    await this.running;
    await this.work();
  }

  private async work(): Promise<void> {
    while (await this.runOne());
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.running = this.work()
        .catch(err => this.log(`job runner: ${(err as Error).message}`))
        .finally(() => {
          this.running = undefined;
          if (!this.stopped) this.schedule(this.pollMs);
        });
    }, ms);
    this.timer.unref();
  }

  private async runOne(): Promise<boolean> {
    const job = await this.claim();
    if (!job) return false;
    const handler = this.handlers.get(job.kind);
    if (!handler) {
      await this.finish(job.id, 'failed', `no handler for job kind ${job.kind}`);
      return true;
    }
    let done = Number(job.done);
    const ctx: JobContext = {
      id: job.id,
      params: job.params,
      state: job.state,
      get done() {
        return done;
      },
      progress: async (n, total, state) => {
        done = n;
        const [row] = await this.db.query<{ stop_request: StopRequest | null }>(
          `UPDATE job SET done = $2, total = $3, state = CAST($4 AS jsonb), updated_at = now(),
             lease_until = now() + interval '${LEASE_SECONDS} seconds'
           WHERE id = $1 AND lease_owner = $5 RETURNING stop_request`,
          [job.id, n, total, JSON.stringify(state), this.owner],
        );
        if (!row) throw new JobStopped('cancel'); // another instance took the job over
        if (row.stop_request) throw new JobStopped(row.stop_request);
      },
    };
    try {
      await handler(ctx);
      await this.finish(job.id, 'done', null);
    } catch (err) {
      if (err instanceof JobStopped) await this.finish(job.id, err.request === 'pause' ? 'paused' : 'cancelled', null);
      else {
        this.log(`job ${job.id} (${job.kind}) failed: ${(err as Error).message}`);
        await this.finish(job.id, 'failed', (err as Error).message.slice(0, 1000));
      }
    }
    return true;
  }

  private async claim(): Promise<JobRow | undefined> {
    const [row] = await this.db.query<JobRow>(
      `UPDATE job SET status = 'running', lease_owner = $1, lease_until = now() + interval '${LEASE_SECONDS} seconds',
         started_at = COALESCE(started_at, now()), run_started_at = now(), run_done_start = done, updated_at = now()
       WHERE id = (SELECT id FROM job WHERE status = 'queued' OR (status = 'running' AND lease_until < now())
                   ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
       RETURNING ${JOB_COLUMNS}`,
      [this.owner],
    );
    return row;
  }

  private async finish(id: string, status: JobStatus, error: string | null): Promise<void> {
    const final = status === 'done' || status === 'cancelled' || status === 'failed';
    await this.db.query(
      `UPDATE job SET status = $2, error = $3, stop_request = NULL, lease_owner = NULL, lease_until = NULL, updated_at = now(),
         finished_at = ${final ? 'now()' : 'NULL'} WHERE id = $1 AND lease_owner = $4`,
      [id, status, error, this.owner],
    );
  }
}

function view(row: JobRow): JobView {
  const done = Number(row.done);
  const total = row.total === null ? null : Number(row.total);
  const percent = total === null ? null : total === 0 ? 100 : Math.min(100, Math.round((done / total) * 1000) / 10);
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    resource: row.resource,
    status: row.status,
    stopRequest: row.stop_request,
    done,
    total,
    percent,
    etaSeconds: eta(row, done, total),
    error: row.error,
    createdBy: row.created_by,
    createdAt: iso(row.created_at)!,
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
  };
}

/** From the rate of the current run: a resumed job's earlier runs say little about this one. */
function eta(row: JobRow, done: number, total: number | null): number | null {
  if (row.status !== 'running' || total === null || !row.run_started_at) return null;
  const seconds = (toDate(row.now).getTime() - toDate(row.run_started_at).getTime()) / 1000;
  const rate = (done - Number(row.run_done_start)) / seconds;
  if (!(rate > 0) || !Number.isFinite(rate)) return null;
  return Math.max(0, Math.round((total - done) / rate));
}

function toDate(v: Date | string): Date {
  return v instanceof Date ? v : new Date(`${v.replace(' ', 'T')}Z`);
}

function iso(v: Date | string | null): string | null {
  return v === null ? null : toDate(v).toISOString();
}
