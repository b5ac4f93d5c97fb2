#!/usr/bin/env node
import fs from 'node:fs';
import { Snapshot, diffSnapshots } from '@lingshu/metamodel';
import { demoDataPlan, generateRecords } from '@lingshu/seeds';
import { sm2Encrypt } from './security/crypto';

const HELP = `lingshu — command line for a Lingshu server (LINGSHU_URL, default http://localhost:3000;
LINGSHU_TOKEN, a bearer token from 'lingshu login')

  lingshu login --user NAME --password PASS       sign in (SM2-encrypted); prints the token
  lingshu export [--namespace NS] [--out FILE]   export metadata as a snapshot document
  lingshu diff TARGET.json [--out FILE]          change list that turns the server's state into TARGET
  lingshu diff FROM.json TO.json [--out FILE]    change list between two snapshot files (offline)
  lingshu apply CHANGES.json [--namespace NS]    apply a change list (refused if the state moved on)
  lingshu import SNAPSHOT.json                   add the versions of a snapshot that are missing
  lingshu load-demo [--scale small|demo] [--dataset CODE --count N] [--start N]
                                                 generate synthetic records and bulk-load them
  lingshu health                                 database kind and version, live datasets`;

type Flags = Record<string, string>;

function parseArgs(argv: string[]): { command?: string; args: string[]; flags: Flags } {
  const args: string[] = [];
  const flags: Flags = {};
  for (let i = 0; i < argv.length; i++) {
    if (argv[i].startsWith('--')) flags[argv[i].slice(2)] = argv[i + 1]?.startsWith('--') || argv[i + 1] === undefined ? 'true' : argv[++i];
    else args.push(argv[i]);
  }
  return { command: args.shift(), args, flags };
}

const base = () => (process.env.LINGSHU_URL ?? 'http://localhost:3000').replace(/\/$/, '');

async function call(method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(base() + path, {
    method,
    headers: {
      ...(process.env.LINGSHU_TOKEN ? { authorization: `Bearer ${process.env.LINGSHU_TOKEN}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const parsed = text ? JSON.parse(text) : undefined;
  if (!res.ok) {
    const err = (parsed as { error?: { message?: string; details?: Array<{ index?: number; field?: string; rule?: string; message?: string }> } })?.error;
    const lines = (err?.details ?? []).slice(0, 20).map(d => `  - ${d.index !== undefined ? `#${d.index} ` : ''}${d.field ?? ''} [${d.rule}] ${d.message}`);
    throw new Error([`${res.status} ${err?.message ?? text}`, ...lines].join('\n'));
  }
  return parsed;
}

const readJson = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8'));

function output(value: unknown, flags: Flags): void {
  const text = JSON.stringify(value, null, 2);
  if (flags.out) fs.writeFileSync(flags.out, text + '\n');
  else process.stdout.write(text + '\n');
}

async function loadDemo(flags: Flags): Promise<void> {
  const plan = flags.dataset
    ? [{ datasetCode: flags.dataset, count: Number(flags.count ?? 1000) }]
    : demoDataPlan(flags.scale === 'small' ? 'small' : 'demo');
  const startAt = Number(flags.start ?? 0);
  for (const { datasetCode, count } of plan) {
    for (let done = 0; done < count; done += 5000) {
      const n = Math.min(5000, count - done);
      await call('POST', `/api/data/${datasetCode}/bulk`, [...generateRecords(datasetCode, n, { startIndex: startAt + done })]);
      process.stderr.write(`\r${datasetCode}: ${done + n}/${count} (${Math.round(((done + n) / count) * 100)}%)`);
    }
    process.stderr.write('\n');
  }
}

// `lingshu export | head` closes the pipe early: that is not an error.
process.stdout.on('error', err => {
  if ((err as NodeJS.ErrnoException).code === 'EPIPE') process.exit(0);
  throw err;
});

async function main(): Promise<void> {
  const { command, args, flags } = parseArgs(process.argv.slice(2));
  const ns = flags.namespace ? `?namespace=${encodeURIComponent(flags.namespace)}` : '';
  switch (command) {
    case 'export':
      return output(await call('GET', `/api/meta/snapshot${ns}`), flags);
    case 'diff':
      if (args.length === 2) return output(diffSnapshots(readJson(args[0]) as Snapshot, readJson(args[1]) as Snapshot), flags);
      if (args.length !== 1) break;
      return output(await call('POST', '/api/meta/snapshot/diff', { target: readJson(args[0]), namespace: flags.namespace }), flags);
    case 'apply':
      if (args.length !== 1) break;
      return output(await call('POST', `/api/meta/snapshot/apply${ns}`, readJson(args[0])), flags);
    case 'import':
      if (args.length !== 1) break;
      return output(await call('POST', '/api/meta/snapshot/import', readJson(args[0])), flags);
    case 'load-demo':
      return loadDemo(flags);
    case 'login': {
      if (!flags.user || !flags.password) break;
      const { publicKey } = (await call('GET', '/api/auth/public-key')) as { publicKey: string };
      const encryptedPassword = sm2Encrypt(JSON.stringify({ password: flags.password, timestamp: Date.now() }), publicKey);
      const result = (await call('POST', '/api/auth/login', { username: flags.user, encryptedPassword })) as { token: string };
      process.stdout.write(result.token + '\n');
      return;
    }
    case 'health':
      return output(await call('GET', '/api/health'), flags);
  }
  console.log(HELP);
  if (command && command !== 'help') process.exitCode = 2;
}

main().catch(err => {
  console.error(`lingshu: ${(err as Error).message}`);
  process.exitCode = 1;
});
