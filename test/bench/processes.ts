import { ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

const root = path.resolve(__dirname, '../../..');

/** LINGSHU_BENCH_PROFILE=dir writes a V8 CPU profile of every server process into dir at exit. */
const execArgv = process.env.LINGSHU_BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.LINGSHU_BENCH_PROFILE}`] : [];

/** Every server process of a run shares the master key (it reads keys the others created). */
export const SHARED_ENV = {
  LINGSHU_MASTER_KEY: randomBytes(32).toString('hex'),
  LINGSHU_ADMIN_PASSWORD: 'Bench#2026admin',
};

export interface Child {
  proc: ChildProcess;
  url: string;
  stop(): Promise<void>;
}

/** Starts a Lingshu server process and waits until /api/health answers; returns the time taken. */
export async function startLingshu(port: number, databaseUrl: string, env: Record<string, string> = {}): Promise<Child & { startMs: number }> {
  const started = Date.now();
  const proc = fork(path.join(root, 'platform/dist/main.js'), [], {
    execArgv,
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), LINGSHU_DEMO_DATA: 'none', LINGSHU_LOGIN_RATE_LIMIT: '10000', ...SHARED_ENV, ...env },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const url = `http://127.0.0.1:${port}`;
  await until(async () => (await fetch(`${url}/api/health`).catch(() => undefined))?.ok === true, 60_000);
  return { proc, url, startMs: Date.now() - started, stop: () => stop(proc) };
}

export async function startControl(port: number, args: string[]): Promise<Child> {
  const proc = fork(path.join(__dirname, 'control-server.js'), [String(port), ...args], { execArgv, stdio: ['ignore', 'ignore', 'inherit', 'ipc'], env: { ...process.env, ...SHARED_ENV } });
  await new Promise<void>((resolve, reject) => {
    proc.once('message', () => resolve());
    proc.once('exit', code => reject(new Error(`control server exited with ${code}`)));
  });
  return { proc, url: `http://127.0.0.1:${port}`, stop: () => stop(proc) };
}

function stop(proc: ChildProcess): Promise<void> {
  return new Promise(resolve => {
    if (proc.exitCode !== null) return resolve();
    proc.once('exit', () => resolve());
    proc.kill('SIGTERM');
  });
}

/** CPU time (user + system, ms) a process has used so far, from /proc (Linux). */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}
const CLOCK_TICKS = 100;

export async function until(check: () => Promise<boolean>, timeoutMs: number, stepMs = 5): Promise<number> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (await check()) return Date.now() - start;
    await new Promise(r => setTimeout(r, stepMs));
  }
  throw new Error(`not ready within ${timeoutMs} ms`);
}
