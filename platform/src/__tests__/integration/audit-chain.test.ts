import assert from 'node:assert/strict';
import { createSecretKey, randomBytes, randomUUID } from 'node:crypto';
import { RestApplication } from '@loopback/rest';
import { sm2 } from 'sm-crypto-v2';
import { AuditController } from '../../api/audit.controller';
import { LingshuBindings } from '../../api/keys';
import {
  AUDIT_SCHEMA_STEPS,
  AuditFinding,
  AuditKeys,
  AuditSealer,
  AuditTrail,
  AuditWriter,
  CHAIN_START_SETTING,
  Signer,
  chainHash,
  checkpointMessage,
  macOf,
  startAuditSealer,
  verifyAuditTrail,
} from '../../audit';
import { storedTime } from '../../audit/canonical';
import { ROW_COLUMNS, StoredRow } from '../../audit/stored';
import { Database, migratePlatformSchema, openDatabase } from '../../database';
import { AccessRequest, RequestGuard } from '../../extension-points';
import { MetadataStore } from '../../metadata-store/store';
import { MetadataImporter } from '../../publisher/importer';
import { Publisher } from '../../publisher/publisher';
import { DataService } from '../../runtime/data-service';
import { DatasetRegistry } from '../../runtime/registry';
import { TestDatabase, createTestDatabase } from '../../testing';
import { ApiError } from '../../util/errors';
import { IDS, idNumber, testCatalog } from '../fixtures';

function sm2Signer(): Signer {
  const { publicKey, privateKey } = sm2.generateKeyPairHex();
  return {
    publicKey,
    sign: data => sm2.doSignature(data, privateKey, { hash: true }),
    verify: (data, signature) => sm2.doVerifySignature(data, signature, publicKey, { hash: true }),
  };
}

const SIGNER = sm2Signer();
const CHECKPOINT_EVERY = 10;

/** One database with the audit schema, a writer and a sealer that collects what it refuses. */
class Fixture {
  readonly keys: AuditKeys = { macKey: randomBytes(32), signer: SIGNER };
  readonly writer = new AuditWriter(this.keys.macKey);
  refused: AuditFinding[] = [];
  sealer!: AuditSealer;
  db!: Database;
  tdb!: TestDatabase;

  async open(): Promise<this> {
    this.tdb = await createTestDatabase();
    this.db = await openDatabase({ url: this.tdb.config.databaseUrl, dataDir: this.tdb.config.dataDir });
    await migratePlatformSchema(this.db, AUDIT_SCHEMA_STEPS);
    this.sealer = this.startSealer(this.db);
    return this;
  }

  /** An empty trail and a new sealer (a new process, as far as the trail can tell). */
  async reset(): Promise<void> {
    await this.sealer.stop();
    await this.db.query('DELETE FROM audit_checkpoint');
    await this.db.query('DELETE FROM audit_log');
    await this.db.query(`UPDATE platform_setting SET value = '0' WHERE key = $1`, [CHAIN_START_SETTING]);
    this.refused = [];
    this.sealer = this.startSealer(this.db);
  }

  startSealer(db: Database): AuditSealer {
    return startAuditSealer(db, this.keys, { intervalMs: 60_000, checkpointEvery: CHECKPOINT_EVERY, onFinding: f => this.refused.push(f) });
  }

  async close(): Promise<void> {
    await this.sealer?.stop();
    await this.db?.close();
    await this.tdb?.drop();
  }

  /** `count` events, each in its own transaction, as the meta and bulk paths write them. */
  async write(count: number, actor = 'clerk'): Promise<void> {
    for (let i = 0; i < count; i++) {
      await this.db.transaction(tx =>
        this.writer.record(tx, {
          actor: `${actor}${i % 3}`,
          action: 'meta.update',
          resource: `dataset:${i}`,
          recordId: randomUUID(),
          detail: { version: i, nested: { z: [1, 'two', null], a: true }, 名称: '数据集' },
          clientIp: `10.0.0.${i % 250}`,
        }),
      );
    }
  }

  verify(options = {}) {
    return verifyAuditTrail(this.db, this.keys, options);
  }

  async seqs(): Promise<number[]> {
    return (await this.db.query<{ seq: number }>('SELECT seq FROM audit_log ORDER BY seq')).map(r => r.seq);
  }

  async checkpointSeqs(): Promise<number[]> {
    return (await this.db.query<{ seq: number }>('SELECT seq FROM audit_checkpoint ORDER BY seq')).map(r => r.seq);
  }
}

const kinds = (findings: AuditFinding[]) => findings.map(f => `${f.kind}@${f.seq}`);

describe('audit trail: authenticated, chained, signed (integration)', () => {
  let fx: Fixture;
  before(async () => {
    fx = await new Fixture().open();
  });
  after(() => fx?.close());

  describe('the write paths', () => {
    it('every platform write path leaves rows that MAC, seal and verify', async () => {
      const { db, writer } = fx;
      const store = new MetadataStore(db, writer);
      const registry = new DatasetRegistry(db);
      const publisher = new Publisher(db, store, registry, writer);
      const importer = new MetadataImporter(db, store, publisher, writer);
      const data = new DataService(db, writer);
      const who = { actor: 'dr.wang', clientIp: '192.0.2.7' };

      await importer.importItems(testCatalog(), who);
      const rt = registry.get('test_person')!;
      const person = (n: number) => ({ id_number: idNumber(n), person_name: '张三', sex_code: '1' });
      const created = await data.create(rt, person(1), who);
      await data.update(rt, String(created.id).toUpperCase(), { person_name: '李四' }, who);
      await data.replace(rt, String(created.id), person(1), 'batch-job');
      await data.bulkCreate(rt, [person(2), person(3)], who);
      await data.remove(rt, String(created.id), who);
      const element = (await store.latest('data-element', IDS.phone)).body;
      await store.update('data-element', IDS.phone, { ...element, name: '联系电话' }, who);
      await publisher.transition('data-element', IDS.phone, 'publish', who);

      const rows = await db.query<{ action: string; actor: string; client_ip: string; outcome: string; record_id: string | null }>(
        'SELECT action, actor, client_ip, outcome, record_id FROM audit_log ORDER BY seq',
      );
      const actions = rows.map(r => r.action);
      for (const a of ['meta.import', 'meta.publish', 'data.create', 'data.update', 'data.replace', 'data.bulk-create', 'data.delete', 'meta.update']) {
        assert.ok(actions.includes(a), `an audit row for ${a}`);
      }
      const update = rows.find(r => r.action === 'data.update')!;
      assert.deepEqual([update.actor, update.client_ip, update.outcome, update.record_id], ['dr.wang', '192.0.2.7', 'ok', created.id]);
      assert.equal(rows.find(r => r.action === 'data.replace')!.client_ip, null);

      assert.equal(await fx.sealer.sealNow(), rows.length);
      assert.deepEqual(fx.refused, []);
      const result = await fx.verify();
      assert.deepEqual(result.findings, []);
      assert.equal(result.ok, true);
      assert.deepEqual([result.checked, result.sealed, result.unsealed, result.legacy], [rows.length, rows.length, 0, 0]);
      assert.equal(result.head?.seq, (await fx.seqs()).at(-1));
    });

    it('keeps `at` as the application time, in UTC with milliseconds', async () => {
      const before = Date.now();
      await fx.write(1);
      const [row] = await fx.db.query<StoredRow>(`SELECT ${ROW_COLUMNS} FROM audit_log ORDER BY seq DESC LIMIT 1`);
      const at = Date.parse(storedTime(row.at));
      assert.ok(at >= before - 1 && at <= Date.now(), `${row.at} is the write time`);
    });
  });

  describe('tampering', () => {
    beforeEach(async () => {
      await fx.reset();
      await fx.write(35);
      assert.equal(await fx.sealer.sealNow(), 35);
      assert.equal((await fx.verify()).ok, true);
    });

    it('(a) editing a sealed row is `modified` at its seq', async () => {
      const seq = (await fx.seqs())[12];
      await fx.db.query(`UPDATE audit_log SET actor = 'someone.else' WHERE seq = $1`, [seq]);
      const result = await fx.verify();
      assert.equal(result.ok, false);
      assert.deepEqual(kinds(result.findings), [`modified@${seq}`]);
    });

    it('(b) deleting a sealed row is `deleted`, naming the gap', async () => {
      const seqs = await fx.seqs();
      const gone = seqs[7];
      await fx.db.query('DELETE FROM audit_log WHERE seq = $1', [gone]);
      const result = await fx.verify();
      assert.deepEqual(kinds(result.findings), [`deleted@${gone}`]);
      assert.equal(result.findings[0].toSeq, undefined, 'exactly one seq can be missing');
      assert.match(result.findings[0].detail, new RegExp(`between seq ${seqs[6]} and ${seqs[8]}`));
    });

    it('(b) deleting several rows, one of them under a checkpoint, reports the range', async () => {
      const seqs = await fx.seqs();
      const checkpointed = (await fx.checkpointSeqs())[1];
      const i = seqs.indexOf(checkpointed);
      await fx.db.query('DELETE FROM audit_log WHERE seq BETWEEN $1 AND $2', [seqs[i - 2], checkpointed]);
      const result = await fx.verify();
      assert.deepEqual(kinds(result.findings), [`deleted@${seqs[i - 2]}`]);
      assert.equal(result.findings[0].toSeq, checkpointed);
    });

    it('(c) a row inserted with a made-up MAC is `forged`, and the sealer stops there', async () => {
      const [{ seq }] = await fx.db.query<{ seq: number }>(
        `INSERT INTO audit_log (at, actor, action, resource, record_id, mac, outcome)
         VALUES (now(), 'mallory', 'data.delete', 'data:person', NULL, $1, 'ok') RETURNING seq`,
        ['ab'.repeat(32)],
      );
      await fx.write(2);
      assert.equal(await fx.sealer.sealNow(), 0, 'nothing after the forged row is sealed');
      assert.deepEqual(kinds(fx.refused), [`forged@${seq}`]);
      const result = await fx.verify();
      assert.deepEqual(kinds(result.findings), [`forged@${seq}`]);
      assert.equal(result.unsealed, 3);
    });

    it('(d) editing a row before it is sealed makes its MAC fail (`forged`)', async () => {
      await fx.write(3);
      const seq = (await fx.seqs()).at(-2)!;
      await fx.db.query(`UPDATE audit_log SET detail = '{"version": 999}' WHERE seq = $1`, [seq]);
      assert.deepEqual(kinds((await fx.verify()).findings), [`forged@${seq}`]);
      assert.equal(await fx.sealer.sealNow(), 1, 'seals up to the edited row');
      assert.deepEqual(kinds(fx.refused), [`forged@${seq}`]);
    });

    it('(e) a consistent rewrite by someone with the MAC key but not the signing key fails the checkpoints', async () => {
      const seqs = await fx.seqs();
      const from = seqs[14];
      await rewriteFrom(fx, from, createSecretKey(fx.keys.macKey as Buffer));
      const result = await fx.verify();
      const firstCheckpoint = (await fx.checkpointSeqs()).find(s => s >= from)!;
      assert.equal(result.ok, false);
      assert.ok(result.findings.length > 0 && result.findings.every(f => f.kind === 'checkpoint-invalid'), kinds(result.findings).join());
      assert.equal(result.findings[0].seq, firstCheckpoint);
      assert.equal(result.head?.seq, (await fx.checkpointSeqs()).filter(s => s < from).at(-1), 'head: the last checkpoint before the rewrite');
    });

    it('(e) rewriting the checkpoints too: without the private key they do not verify', async () => {
      const from = (await fx.seqs())[14];
      await rewriteFrom(fx, from, createSecretKey(fx.keys.macKey as Buffer));
      const mallory = sm2Signer();
      const cps = await fx.db.query<{ seq: number }>('SELECT seq FROM audit_checkpoint WHERE seq >= $1 ORDER BY seq', [from]);
      for (const { seq } of cps) {
        const [{ hash }] = await fx.db.query<{ hash: string }>('SELECT hash FROM audit_log WHERE seq = $1', [seq]);
        // The first keeps the genuine key but cannot sign; the rest are signed with another key.
        const own = seq === cps[0].seq;
        const signature = own ? 'ab'.repeat(64) : mallory.sign(checkpointMessage(seq, hash));
        await fx.db.query('UPDATE audit_checkpoint SET hash = $2, signature = $3, public_key = $4 WHERE seq = $1', [
          seq, hash, signature, own ? SIGNER.publicKey : mallory.publicKey,
        ]);
      }
      const result = await fx.verify();
      assert.deepEqual(kinds(result.findings), cps.map(c => `checkpoint-invalid@${c.seq}`));
      assert.match(result.findings[0].detail, /signature does not verify/);
      assert.match(result.findings[1].detail, /not trusted/);
    });

    it('(f) cutting the tail: unsealed rows vanish unseen; sealed rows under a checkpoint do not', async () => {
      // Rows not sealed yet: nothing vouches for them, so their loss cannot be seen.
      await fx.write(4);
      const unsealed = (await fx.seqs()).slice(-4);
      await fx.db.query('DELETE FROM audit_log WHERE seq >= $1', [unsealed[0]]);
      assert.equal((await fx.verify()).ok, true, 'undetectable: the rows were never sealed');

      // Sealed rows, newest checkpoint kept: its signed hash names the missing row.
      const last = (await fx.checkpointSeqs()).at(-1)!;
      const seqs = await fx.seqs();
      await fx.db.query('DELETE FROM audit_log WHERE seq >= $1', [seqs.at(-3)]);
      const result = await fx.verify();
      assert.deepEqual(kinds(result.findings), [`deleted@${seqs.at(-3)}`]);
      assert.equal(result.findings[0].toSeq, last);
    });

    it('(f) cutting back to an earlier checkpoint is seen only against an anchor kept elsewhere', async () => {
      const { head } = await fx.verify();
      const cps = await fx.checkpointSeqs();
      const keep = cps.at(-2)!;
      await fx.db.query('DELETE FROM audit_checkpoint WHERE seq > $1', [keep]);
      await fx.db.query('DELETE FROM audit_log WHERE seq > $1', [keep]);
      const alone = await fx.verify();
      assert.equal(alone.ok, true, 'undetectable from the database alone');
      assert.equal(alone.head?.seq, keep);
      const anchored = await fx.verify({ anchor: head! });
      assert.deepEqual(kinds(anchored.findings), [`deleted@${head!.seq}`]);
    });

    it('removing a seal or a checkpoint is a chain-break / checkpoint finding', async () => {
      const seqs = await fx.seqs();
      const cps = await fx.checkpointSeqs();
      await fx.db.query('UPDATE audit_log SET hash = NULL WHERE seq = $1', [seqs[3]]);
      await fx.db.query(`UPDATE audit_log SET hash = repeat('0', 64) WHERE seq = $1`, [seqs[22]]);
      await fx.db.query('DELETE FROM audit_checkpoint WHERE seq = $1', [cps.at(-1)]);
      const result = await fx.verify();
      assert.deepEqual(kinds(result.findings), [`chain-break@${seqs[3]}`, `chain-break@${seqs[22]}`, `checkpoint-invalid@${seqs[30]}`]);
    });
  });

  describe('sealing', () => {
    beforeEach(() => fx.reset());

    it('two sealers at once (as two processes) neither double-seal nor break the chain', async () => {
      const second = fx.db.kind === 'postgresql' ? await openDatabase({ url: fx.tdb.config.databaseUrl }) : fx.db;
      const other = fx.startSealer(second);
      try {
        const writers = [fx.write(60, 'a'), fx.write(60, 'b')];
        const sealing = (async () => {
          for (let i = 0; i < 15; i++) await Promise.all([fx.sealer.sealNow(), other.sealNow()]);
        })();
        await Promise.all([...writers, sealing]);
        await Promise.all([fx.sealer.sealNow(), other.sealNow()]);
        // A sealer's horizon waits while the other one writes seals; alone, it goes to the end.
        await other.sealNow();
      } finally {
        await other.stop();
        if (second !== fx.db) await second.close();
      }
      assert.deepEqual(fx.refused, []);
      const result = await fx.verify();
      assert.deepEqual(result.findings, []);
      assert.deepEqual([result.checked, result.sealed], [120, 120]);
      const [{ n }] = await fx.db.query<{ n: number }>('SELECT count(*) AS n FROM (SELECT hash FROM audit_log GROUP BY hash HAVING count(*) > 1) d');
      assert.equal(Number(n), 0, 'every seal is distinct');
    });

    it('does not seal past a row whose transaction is still open (commit order ≠ seq order)', async function () {
      if (fx.db.kind !== 'postgresql') return this.skip(); // PGlite has one session: nothing commits late
      let release!: () => void;
      const gate = new Promise<void>(resolve => (release = resolve));
      let taken!: () => void;
      const numbered = new Promise<void>(resolve => (taken = resolve));
      const late = fx.db.transaction(async tx => {
        await fx.writer.record(tx, { actor: 'slow', action: 'meta.import', resource: 'meta:*' });
        taken();
        await gate;
      });
      await numbered;
      await fx.write(3);
      assert.equal(await fx.sealer.sealNow(), 0, 'the later rows wait for the open transaction');
      release();
      await late;
      assert.equal(await fx.sealer.sealNow(), 4);
      assert.deepEqual((await fx.verify()).findings, []);
    });

    it('leaves rows from before the trail as legacy, and starts the chain at a signed genesis', async () => {
      await fx.sealer.stop();
      await fx.db.query('DELETE FROM audit_checkpoint');
      for (let i = 0; i < 3; i++) {
        await fx.db.query(`INSERT INTO audit_log (at, actor, action, resource) VALUES (now(), 'old', 'meta.create', 'x')`);
      }
      const legacyEnd = (await fx.seqs()).at(-1)!;
      await fx.db.query('UPDATE platform_setting SET value = $2 WHERE key = $1', [CHAIN_START_SETTING, JSON.stringify(legacyEnd)]);
      fx.sealer = fx.startSealer(fx.db);
      await fx.write(5);
      assert.equal(await fx.sealer.sealNow(), 5);
      const result = await fx.verify();
      assert.deepEqual([result.ok, result.legacy, result.checked], [true, 3, 5]);
      // Moving the start later does not hide rows: the signed genesis decides where checking begins.
      await fx.db.query('UPDATE platform_setting SET value = $2 WHERE key = $1', [CHAIN_START_SETTING, JSON.stringify(legacyEnd + 4)]);
      const seq = (await fx.seqs())[4];
      await fx.db.query(`UPDATE audit_log SET outcome = 'denied' WHERE seq = $1`, [seq]);
      assert.deepEqual(kinds((await fx.verify()).findings), [`modified@${seq}`]);
    });

    it('timed passes wait for a checkpoint\'s worth of rows, or for maxDelayMs', async () => {
      const sealed = async () => Number((await fx.db.query<{ n: number }>('SELECT count(*) AS n FROM audit_log WHERE hash IS NOT NULL'))[0].n);
      const settle = () => new Promise(resolve => setTimeout(resolve, 400));
      // Positive expectations poll: a loaded machine may need more than one settle for a pass.
      const sealedReaches = async (n: number) => {
        for (const end = Date.now() + 10_000; Date.now() < end && (await sealed()) < n; ) await settle();
        return sealed();
      };
      await fx.write(1);
      await fx.sealer.sealNow();
      const patient = startAuditSealer(fx.db, fx.keys, { intervalMs: 20, maxDelayMs: 60_000, checkpointEvery: CHECKPOINT_EVERY });
      try {
        await fx.write(3);
        await settle();
        assert.equal(await sealed(), 1, 'three rows wait');
        await fx.write(CHECKPOINT_EVERY);
        assert.equal(await sealedReaches(1 + 3 + CHECKPOINT_EVERY), 1 + 3 + CHECKPOINT_EVERY, 'a checkpoint\'s worth is sealed at once');
      } finally {
        await patient.stop();
      }
      const eager = startAuditSealer(fx.db, fx.keys, { intervalMs: 20, maxDelayMs: 100, checkpointEvery: CHECKPOINT_EVERY });
      try {
        await fx.write(2);
        assert.equal(await sealedReaches(16), 16, 'sealed once the newest checkpoint is maxDelayMs old');
      } finally {
        await eager.stop();
      }
      assert.deepEqual((await fx.verify()).findings, []);
    });

    it('checkpoints every N sealed rows and at the end of a pass', async () => {
      await fx.write(25);
      await fx.sealer.sealNow();
      const seqs = await fx.seqs();
      const start = (await fx.checkpointSeqs())[0];
      assert.deepEqual(await fx.checkpointSeqs(), [start, seqs[9], seqs[19], seqs[24]]);
    });
  });

  describe('the auditor API', () => {
    let app: RestApplication;
    let base: string;
    const seen: AccessRequest[] = [];
    const guard: RequestGuard = {
      async check(req, access) {
        seen.push(access);
        if (req.headers['x-deny']) throw new ApiError(403, 'Forbidden', 'not an auditor');
        return { actor: 'auditor.li' };
      },
    };

    before(async () => {
      await fx.reset();
      await fx.write(6);
      await fx.writer.record(fx.db, { actor: '=cmd|calc', action: 'auth.login', resource: 'session', outcome: 'denied', clientIp: '203.0.113.9' });
      await fx.sealer.sealNow();
      app = new RestApplication({ rest: { port: 0, host: '127.0.0.1' } });
      app.bind(LingshuBindings.AUDIT).to(new AuditTrail(fx.db, fx.keys, fx.writer));
      app.bind(LingshuBindings.GUARD).to(guard);
      app.controller(AuditController);
      await app.start();
      base = app.restServer.url!;
    });
    after(() => app?.stop());

    it('searches newest first with filters, behind the guard', async () => {
      const newest = (await fx.seqs()).slice(-3).reverse();
      const all = await (await fetch(`${base}/api/audit?limit=3`)).json();
      assert.deepEqual(all.map((r: { seq: number }) => r.seq), newest);
      const denied = await (await fetch(`${base}/api/audit?outcome=denied`)).json();
      assert.deepEqual(denied.map((r: { actor: string; sealed: boolean }) => [r.actor, r.sealed]), [['=cmd|calc', true]]);
      const byPrefix = await (await fetch(`${base}/api/audit?resource=dataset:&actor=clerk1`)).json();
      assert.deepEqual(byPrefix.map((r: { resource: string }) => r.resource), ['dataset:4', 'dataset:1']);
      const future = await (await fetch(`${base}/api/audit?from=${new Date(Date.now() + 60_000).toISOString()}`)).json();
      assert.deepEqual(future, []);
      const minuteAgo = new Date(Date.now() - 60_000).toISOString();
      const recent: Array<{ seq: number; sealed: boolean }> = await (await fetch(`${base}/api/audit?from=${minuteAgo}&limit=1000`)).json();
      assert.ok(recent.some(r => r.sealed) && recent.some(r => !r.sealed), 'sealed rows through the time index, unsealed ones by seq');
      assert.deepEqual(recent.map(r => r.seq), [...recent.map(r => r.seq)].sort((a, b) => b - a));
      assert.deepEqual(await (await fetch(`${base}/api/audit?to=${minuteAgo}`)).json(), []);
      assert.equal((await fetch(`${base}/api/audit?from=yesterday`)).status, 400);
      assert.equal((await fetch(`${base}/api/audit`, { headers: { 'x-deny': '1' } })).status, 403);
      assert.ok(seen.every(a => a.resource === 'audit' && a.action === 'read'));
      const [last] = await fx.db.query<{ actor: string; action: string }>('SELECT actor, action FROM audit_log ORDER BY seq DESC LIMIT 1');
      assert.deepEqual(last, { actor: 'auditor.li', action: 'audit.search' }, 'reading the trail is audited');
    });

    it('exports CSV with a header row, neutralising spreadsheet formulas', async () => {
      const res = await fetch(`${base}/api/audit/export?outcome=denied`);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/csv/);
      const lines = (await res.text()).replace(/^\ufeff/, '').trim().split('\r\n');
      assert.equal(lines[0], 'seq,at,actor,action,resource,record_id,outcome,client_ip,detail,mac,hash');
      assert.equal(lines.length, 2);
      assert.match(lines[1], /^\d+,\d{4}-\d\d-\d\dT[\d:.]+Z,'=cmd\|calc,auth\.login,session,,denied,203\.0\.113\.9,,[0-9a-f]{64},[0-9a-f]{64}$/);
      const everything = (await (await fetch(`${base}/api/audit/export`)).text()).trim().split('\r\n');
      assert.ok(everything.length >= 8);
    });

    it('verifies, and reports tampering by seq without quoting the rows', async () => {
      const ok = await (await fetch(`${base}/api/audit/verify`)).json();
      assert.equal(ok.ok, true);
      const seq = (await fx.seqs())[2];
      await fx.db.query(`UPDATE audit_log SET actor = '张三' WHERE seq = $1`, [seq]);
      const bad = await (await fetch(`${base}/api/audit/verify`)).json();
      assert.deepEqual(kinds(bad.findings), [`modified@${seq}`]);
      assert.doesNotMatch(JSON.stringify(bad), /张三/);
      const anchored = await fetch(`${base}/api/audit/verify?anchorSeq=${ok.head.seq}`);
      assert.equal(anchored.status, 400);
    });
  });
});

/**
 * The attacker of case (e): has the MAC key (so every row MACs) but not the SM2 private key.
 * Changes a row and recomputes every MAC and seal from there on.
 */
async function rewriteFrom(fx: Fixture, from: number, key: ReturnType<typeof createSecretKey>): Promise<void> {
  const rows = await fx.db.query<StoredRow>(`SELECT ${ROW_COLUMNS} FROM audit_log ORDER BY seq`);
  let prev = '0'.repeat(64);
  for (const r of rows) {
    if (r.seq >= from) {
      const actor = r.seq === from ? 'nobody' : r.actor;
      const mac = macOf(key, { at: storedTime(r.at), actor, action: r.action, resource: r.resource, recordId: r.record_id, detail: r.detail, clientIp: r.client_ip, outcome: r.outcome });
      const hash = chainHash(prev, mac, r.seq);
      await fx.db.query('UPDATE audit_log SET actor = $2, mac = $3, hash = $4 WHERE seq = $1', [r.seq, actor, mac, hash]);
      prev = hash;
    } else {
      prev = r.hash!;
    }
  }
}
