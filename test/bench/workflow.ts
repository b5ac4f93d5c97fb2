/**
 * Workflow benchmark: 1,000 running instances of a four-step process on PostgreSQL, then task
 * completions through the HTTP API (authorization, instance lock, engine recover → signal → save,
 * task reconciliation, timeline, audit, notification) with 2 concurrent clients. Reports
 * the client-side p50/p95/p99 of `POST /api/workflow/tasks/{id}/complete`.
 * LINGSHU_BENCH_DATABASE_URL: an admin URL (a fresh database is created and dropped).
 */
import { randomBytes } from 'node:crypto';
import { createTestDatabase } from '@lingshu/platform/dist/testing';
import { signIn, TEST_PASSWORD } from '../support/auth';
import { CHAIN_USER, bootWorkflowServer, killHard } from '../support/workflow-server';

const INSTANCES = Number(process.env.LINGSHU_BENCH_WF_INSTANCES ?? 1000);
const COMPLETIONS = Number(process.env.LINGSHU_BENCH_WF_COMPLETIONS ?? 1000);
const CLIENTS = Number(process.env.LINGSHU_BENCH_WF_CLIENTS ?? 2);

async function main() {
  process.env.LINGSHU_TEST_DATABASE_URL ??= process.env.LINGSHU_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:55432/postgres';
  const db = await createTestDatabase();
  const server = await bootWorkflowServer({
    WF_DATABASE_URL: db.config.databaseUrl!, WF_MASTER_KEY: randomBytes(32).toString('hex'), WF_INSTANCES: String(INSTANCES), WF_TASKS: '4',
  });
  try {
    const { api } = await signIn(server.url, CHAIN_USER, TEST_PASSWORD);
    const inbox = (await api.get('/api/workflow/tasks?view=mine&limit=500')).body as Array<{ id: string }>;
    const queue = inbox.map(t => t.id);
    const seen = new Set(queue);
    let refill: Promise<void> | undefined;
    // One refill at a time, so two clients never take the same task.
    const more = () => (refill ??= api.get('/api/workflow/tasks?view=mine&limit=500').then(r => {
      for (const t of r.body as Array<{ id: string }>) if (!seen.has(t.id)) (seen.add(t.id), queue.push(t.id));
      refill = undefined;
    }));
    const times: number[] = [];
    let errors = 0;
    const worker = async () => {
      while (times.length + errors < COMPLETIONS) {
        if (!queue.length) await more();
        const id = queue.shift();
        if (!id) return;
        const t0 = performance.now();
        const res = await api.post(`/api/workflow/tasks/${id}/complete`, { decision: 'approve', comment: '同意' });
        const ms = performance.now() - t0;
        if (res.status === 200) times.push(ms);
        else errors++;
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, () => worker()));
    times.sort((a, b) => a - b);
    const q = (p: number) => Math.round(times[Math.min(times.length - 1, Math.floor(p * times.length))] * 10) / 10;
    console.log(JSON.stringify({ name: 'workflow-complete-task', instances: INSTANCES, completions: times.length, clients: CLIENTS, p50ms: q(0.5), p95ms: q(0.95), p99ms: q(0.99), errors, target: 'p95 ≤ 50 ms' }));
  } finally {
    await killHard(server.child);
    await db.drop();
  }
}

main().catch(err => {
  console.error(err);
  process.exit(1);
});
