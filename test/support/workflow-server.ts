/**
 * A platform process for the workflow crash test and benchmark: starts on the database named by
 * the environment, makes sure the test account and the chain process exist, optionally starts
 * instances, prints `READY <url>` and serves until killed.
 *
 *   WF_DATABASE_URL or WF_DATA_DIR, WF_MASTER_KEY, WF_INSTANCES (to start on first boot), WF_TASKS (chain length)
 */
import { ChildProcess, spawn } from 'node:child_process';
import { createUser, startPlatform } from '@lingshu/platform';
import { TEST_PASSWORD } from './auth';

export const CHAIN_KEY = 'test-chain';
export const CHAIN_USER = 'chain.user';

export function chainModel(length: number): string {
  const tasks = Array.from({ length }, (_, i) => `<userTask id="step${i + 1}" name="第${i + 1}步" lingshu:assignee="\${initiator}"/>`).join('');
  const flows = ['start', ...Array.from({ length }, (_, i) => `step${i + 1}`), 'end']
    .slice(0, -1)
    .map((from, i, all) => `<sequenceFlow id="f${i}" sourceRef="${from}" targetRef="${i + 1 < all.length ? all[i + 1] : 'end'}"/>`)
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:lingshu="http://lingshu.dev/schema/bpmn" id="chain-defs" targetNamespace="http://lingshu.dev/test">
  <process id="${CHAIN_KEY}" isExecutable="true"><startEvent id="start"/>${tasks}${flows}<endEvent id="end"/></process>
</definitions>`;
}

export interface WorkflowServer {
  child: ChildProcess;
  url: string;
}

/** Forks this file as a platform process and waits for its `READY` line. */
export function bootWorkflowServer(env: Record<string, string>): Promise<WorkflowServer> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [__filename], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${err}`)), 300_000);
    child.stdout!.on('data', d => {
      out += d;
      const m = /READY (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1] });
      }
    });
    child.stderr!.on('data', d => (err += d));
    child.once('exit', code => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}: ${err}`));
    });
  });
}

/** SIGKILL: no shutdown code runs, as in a crash. */
export function killHard(child: ChildProcess): Promise<void> {
  return new Promise(resolve => {
    child.removeAllListeners('exit');
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

async function main() {
  const env = process.env;
  const platform = await startPlatform({
    databaseUrl: env.WF_DATABASE_URL || undefined,
    dataDir: env.WF_DATA_DIR,
    masterKey: env.WF_MASTER_KEY,
    adminPassword: TEST_PASSWORD,
    loginRateLimit: 1000,
    port: 0,
  });
  const who = { username: CHAIN_USER, roles: [] as string[], orgCode: null };
  if (!(await platform.security.users.byUsername(CHAIN_USER))) {
    await createUser(platform.db, { username: CHAIN_USER, displayName: CHAIN_USER, password: TEST_PASSWORD, mustChange: false, roles: ['reviewer'] }, platform.security.integrity);
  }
  if (!(await platform.workflow.definitions.latest(CHAIN_KEY))) {
    await platform.workflow.deploy({ key: CHAIN_KEY, xml: chainModel(Number(env.WF_TASKS ?? 5)) }, 'test');
    const n = Number(env.WF_INSTANCES ?? 0);
    const batch = 20;
    for (let i = 0; i < n; i += batch) {
      await Promise.all(Array.from({ length: Math.min(batch, n - i) }, (_, j) => platform.workflow.start(CHAIN_KEY, { businessKey: `case-${i + j}` }, who)));
    }
  }
  process.stdout.write(`READY ${platform.url}\n`);
  process.once('SIGTERM', () => platform.stop().then(() => process.exit(0)));
}

if (require.main === module) {
  main().catch(err => {
    process.stderr.write(`workflow server failed: ${(err as Error).stack}\n`);
    process.exit(1);
  });
}
