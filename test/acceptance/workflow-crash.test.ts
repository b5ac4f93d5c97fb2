import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TEST_PASSWORD, TestDatabase, createTestDatabase, signIn } from '../support';
import { CHAIN_USER, WorkflowServer, bootWorkflowServer, killHard } from '../support/workflow-server';

const INSTANCES = 30;
const STEPS = 4;

/**
 * kill -9 in the middle of a stream of task completions, restart, and check: every completion
 * the client saw acknowledged survived, no task is lost or duplicated (each case waits at
 * exactly one step, the one after its completed ones), and every case then runs to its end.
 */
describe('acceptance: workflow survives kill -9 mid-process (no task lost or duplicated)', () => {
  let tdb: TestDatabase;
  let dataDir: string;
  let server: WorkflowServer | undefined;
  const env: Record<string, string> = { WF_INSTANCES: String(INSTANCES), WF_TASKS: String(STEPS) };

  before(async () => {
    tdb = await createTestDatabase();
    env.WF_MASTER_KEY = randomBytes(32).toString('hex');
    if (tdb.kind === 'postgresql') env.WF_DATABASE_URL = tdb.config.databaseUrl!;
    else {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lingshu-wf-crash-'));
      env.WF_DATA_DIR = dataDir;
    }
  });
  after(async () => {
    if (server) await killHard(server.child);
    await tdb?.drop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('acknowledged completions persist, each case has exactly one open task, and all cases finish after the restart', async () => {
    server = await bootWorkflowServer(env);
    let api = (await signIn(server.url, CHAIN_USER, TEST_PASSWORD)).api;
    const cases = new Set(((await api.get('/api/workflow/tasks?view=mine&limit=500')).body as Array<{ instanceId: string }>).map(t => t.instanceId));
    assert.equal(cases.size, INSTANCES);
    const acknowledged = new Set<string>();
    let inFlight = 0;
    let sent = 0;
    // Four workers complete whatever is in the inbox; the server is killed after ~40 completions.
    const work = async () => {
      for (;;) {
        const inbox = await api.get('/api/workflow/tasks?view=mine&limit=500').catch(() => undefined);
        if (!inbox || inbox.status !== 200 || !inbox.body.length) return;
        const pick = inbox.body[Math.floor(Math.random() * inbox.body.length)];
        inFlight++;
        sent++;
        const res = await api.post(`/api/workflow/tasks/${pick.id}/complete`, { decision: 'approve' }).catch(() => undefined);
        inFlight--;
        if (!res) return;
        if (res.status === 200) acknowledged.add(pick.id);
      }
    };
    const workers = Array.from({ length: 4 }, () => work());
    while (acknowledged.size < 40) await new Promise(r => setTimeout(r, 5));
    const killedWith = inFlight;
    await killHard(server.child);
    server = undefined;
    await Promise.all(workers);
    console.log(`      killed with ${killedWith} completions in flight, ${acknowledged.size} acknowledged of ${sent} sent`);

    server = await bootWorkflowServer(env);
    api = (await signIn(server.url, CHAIN_USER, TEST_PASSWORD)).api;
    const check = async () => {
      const inbox = (await api.get('/api/workflow/tasks?view=mine&limit=500')).body as Array<{ instanceId: string }>;
      const byInstance = new Map<string, number>();
      for (const t of inbox) byInstance.set(t.instanceId, (byInstance.get(t.instanceId) ?? 0) + 1);
      return { inbox, byInstance };
    };
    const { inbox, byInstance } = await check();
    for (const [id, n] of byInstance) assert.equal(n, 1, `instance ${id} has ${n} open tasks`);
    // Cases not in the inbox must have ended; cases in it wait at the step after their completed ones.
    for (const t of inbox) {
      const detail = (await api.get(`/api/workflow/instances/${t.instanceId}`)).body;
      const done = detail.tasks.filter((x: { status: string }) => x.status === 'completed');
      const open = detail.tasks.filter((x: { status: string }) => x.status === 'open');
      assert.equal(open.length, 1);
      assert.equal(open[0].activityId, `step${done.length + 1}`, 'the open step follows the completed ones');
      assert.equal(detail.tasks.length, done.length + 1, 'no cancelled or duplicate rows');
    }
    for (const id of acknowledged) {
      const task = (await api.get(`/api/workflow/tasks/${id}`)).body;
      if (task.status !== 'completed') assert.fail(`acknowledged completion of ${id} was lost (${task.status})`);
    }
    // Drive everything to the end.
    for (;;) {
      const open = (await api.get('/api/workflow/tasks?view=mine&limit=500')).body as Array<{ id: string }>;
      if (!open.length) break;
      for (const t of open) assert.equal((await api.post(`/api/workflow/tasks/${t.id}/complete`, { decision: 'approve' })).status, 200);
    }
    for (const id of cases) {
      const detail = (await api.get(`/api/workflow/instances/${id}`)).body;
      assert.equal(detail.status, 'completed', `case ${id}`);
      assert.deepEqual(detail.tasks.map((t: { activityId: string; status: string }) => `${t.activityId}:${t.status}`), Array.from({ length: STEPS }, (_, i) => `step${i + 1}:completed`));
    }
  });
});
