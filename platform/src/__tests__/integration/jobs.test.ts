import assert from 'node:assert/strict';
import { Database, migratePlatformSchema, openDatabase } from '../../database';
import { JOB_SCHEMA_STEPS, JobContext, JobRunner } from '../../jobs/runner';
import { createTestDatabase, TestDatabase } from '../../testing';

/** A job of `steps` units that records which units ran, so a resumed run can be checked for repeats. */
function countingJob(ran: number[], steps: number, onStep: (i: number) => Promise<void> = async () => undefined) {
  return async (ctx: JobContext) => {
    let next = Number(ctx.state?.next ?? 0);
    for (; next < steps; next++) {
      await onStep(next);
      ran.push(next);
      await ctx.progress(next + 1, steps, { next: next + 1 });
    }
  };
}

describe('job runner (integration)', () => {
  let tdb: TestDatabase;
  let db: Database;
  let runner: JobRunner;

  before(async () => {
    tdb = await createTestDatabase();
    db = await openDatabase({ url: tdb.config.databaseUrl, dataDir: tdb.config.dataDir });
    await migratePlatformSchema(db, JOB_SCHEMA_STEPS);
    runner = new JobRunner(db);
  });
  after(async () => {
    await runner?.stop();
    await db?.close();
    await tdb?.drop();
  });

  const enqueue = (kind: string) => runner.enqueue(db, { kind, title: kind, resource: 'test', createdBy: 'tester' });

  it('runs a job to its end with progress, percent and timestamps', async () => {
    const ran: number[] = [];
    runner.register('count-5', countingJob(ran, 5));
    const id = await enqueue('count-5');
    assert.equal((await runner.get(id))!.status, 'queued');
    await runner.drain();
    const job = (await runner.get(id))!;
    assert.deepEqual(ran, [0, 1, 2, 3, 4]);
    assert.equal(job.status, 'done');
    assert.equal(job.percent, 100);
    assert.ok(job.startedAt && job.finishedAt);
    assert.equal(job.etaSeconds, null, 'no estimate once finished');
  });

  it('a cancel asked for while running stops at the next unit and keeps the work done', async () => {
    const ran: number[] = [];
    let id = '';
    runner.register('cancel-me', countingJob(ran, 10, async i => {
      if (i === 3) await runner.requestStop(id, 'cancel');
    }));
    id = await enqueue('cancel-me');
    await runner.drain();
    const job = (await runner.get(id))!;
    assert.equal(job.status, 'cancelled');
    assert.deepEqual(ran, [0, 1, 2, 3]);
    assert.equal(job.done, 4);
    assert.equal((await runner.resume(id))!.status, 'cancelled', 'a cancelled job does not resume');
  });

  it('a paused job resumes from its saved state without repeating units', async () => {
    const ran: number[] = [];
    let id = '';
    let paused = false;
    runner.register('pause-me', countingJob(ran, 6, async i => {
      if (i === 2 && !paused) {
        paused = true;
        await runner.requestStop(id, 'pause');
      }
    }));
    id = await enqueue('pause-me');
    await runner.drain();
    assert.equal((await runner.get(id))!.status, 'paused');
    assert.equal((await runner.get(id))!.percent, 50);
    assert.equal((await runner.resume(id))!.status, 'queued');
    await runner.drain();
    assert.deepEqual(ran, [0, 1, 2, 3, 4, 5]);
    assert.equal((await runner.get(id))!.status, 'done');
  });

  it('a failing handler fails its job with the message; an unknown kind fails too', async () => {
    runner.register('boom', async () => {
      throw new Error('disk on fire');
    });
    const boom = await enqueue('boom');
    const unknown = await enqueue('no-such-kind');
    await runner.drain();
    assert.equal((await runner.get(boom))!.status, 'failed');
    assert.equal((await runner.get(boom))!.error, 'disk on fire');
    assert.match((await runner.get(unknown))!.error!, /no handler/);
    const failed = await runner.list({ status: 'failed' });
    assert.deepEqual(new Set(failed.map(j => j.id)), new Set([boom, unknown]));
  });

  it('a job whose owner stopped renewing its lease is taken over; a live lease is left alone', async () => {
    const ran: number[] = [];
    runner.register('orphan', countingJob(ran, 2));
    const id = await enqueue('orphan');
    await db.query(`UPDATE job SET status = 'running', lease_owner = 'other', lease_until = now() + interval '1 minute' WHERE id = $1`, [id]);
    await runner.drain();
    assert.deepEqual(ran, [], 'the other owner still holds it');
    await db.query(`UPDATE job SET lease_until = now() - interval '1 second' WHERE id = $1`, [id]);
    await runner.drain();
    assert.deepEqual(ran, [0, 1]);
    assert.equal((await runner.get(id))!.status, 'done');
  });
});
