import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PgliteDatabase } from '../../database/pglite';
import {
  CRYPTO_SCHEMA_STEPS,
  CryptoError,
  KeyRing,
  loadMasterKey,
  sm2Sign,
  sm2Verify,
  unwrapKey,
  wrapKey,
} from '../../security/crypto';

describe('crypto: master key', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'lingshu-crypto-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates <dataDir>/master.key with 32 random bytes and mode 0600, then reads the same key', () => {
    const first = loadMasterKey({ env: {}, dataDir: dir });
    assert.equal(first.length, 32);
    assert.equal(first.source, 'file');
    assert.equal(first.ephemeral, false);
    const path = join(dir, 'master.key');
    if (process.platform !== 'win32') assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.deepEqual(readFileSync(path), Buffer.from(first));
    assert.deepEqual(Buffer.from(loadMasterKey({ env: {}, dataDir: dir })), Buffer.from(first));
    assert.deepEqual(readdirSync(dir), ['master.key'], 'no temp file left behind');
  });

  it('creates a missing data directory', () => {
    const nested = join(dir, 'a', 'b');
    assert.equal(loadMasterKey({ env: {}, dataDir: nested }).source, 'file');
    assert.equal(statSync(join(nested, 'master.key')).size, 32);
  });

  it('reads a hand-written hex key file and refuses a wrong-sized one', () => {
    const hex = randomBytes(32).toString('hex');
    writeFileSync(join(dir, 'master.key'), `${hex}\n`);
    assert.equal(loadMasterKey({ env: {}, dataDir: dir }).toString('hex'), hex);
    writeFileSync(join(dir, 'master.key'), randomBytes(16));
    assert.throws(() => loadMasterKey({ env: {}, dataDir: dir }), CryptoError);
  });

  it('prefers LINGSHU_MASTER_KEY and validates it', () => {
    const hex = randomBytes(32).toString('hex');
    const key = loadMasterKey({ env: { LINGSHU_MASTER_KEY: hex }, dataDir: dir });
    assert.equal(key.toString('hex'), hex);
    assert.equal(key.source, 'env');
    assert.deepEqual(readdirSync(dir), [], 'no file written when the environment supplies the key');
    assert.throws(() => loadMasterKey({ env: { LINGSHU_MASTER_KEY: 'abc' } }), CryptoError);
  });

  it('is ephemeral for memory or no data directory', () => {
    for (const dataDir of ['memory', undefined]) {
      const key = loadMasterKey({ env: {}, dataDir });
      assert.equal(key.ephemeral, true);
      assert.equal(key.source, 'ephemeral');
      assert.equal(key.length, 32);
    }
    assert.notDeepEqual(Buffer.from(loadMasterKey({ env: {} })), Buffer.from(loadMasterKey({ env: {} })));
  });
});

describe('crypto: key wrapping', () => {
  const master = randomBytes(32);

  it('round-trips and binds the context', () => {
    const dataKey = randomBytes(32);
    const wrapped = wrapKey(master, dataKey, 'crypto_key:a:b');
    assert.match(wrapped, /^v1\.master\./);
    assert.deepEqual(unwrapKey(master, wrapped, 'crypto_key:a:b'), dataKey);
    assert.throws(() => unwrapKey(master, wrapped, 'crypto_key:a:c'), CryptoError);
    assert.throws(() => unwrapKey(randomBytes(32), wrapped, 'crypto_key:a:b'), CryptoError);
  });
});

describe('crypto: KeyRing on PGlite', function () {
  this.timeout(30_000);
  let db: PgliteDatabase;
  let ring: KeyRing;
  const master = randomBytes(32);

  before(async () => {
    db = await PgliteDatabase.open();
    for (const step of CRYPTO_SCHEMA_STEPS) for (const sql of step.sql) await db.query(sql);
    ring = await KeyRing.open(db, master);
  });
  after(async () => db?.close());

  it('contributes schema step 30', () => {
    assert.deepEqual(CRYPTO_SCHEMA_STEPS.map(s => s.id), [30]);
  });

  it('creates the first key of a purpose on demand and keeps returning it', async () => {
    const first = await ring.active('field:person');
    assert.equal(first.key.length, 32);
    assert.deepEqual(await ring.active('field:person'), first);
    const rows = await db.query<{ id: string; status: string; wrapped: string }>(
      `SELECT id, status, wrapped FROM crypto_key WHERE purpose = 'field:person'`,
    );
    assert.deepEqual(rows.map(r => [r.id, r.status]), [[first.id, 'active']]);
    assert.ok(!rows[0].wrapped.includes(first.key.toString('hex')), 'stored wrapped, never in clear');
    assert.deepEqual(unwrapKey(master, rows[0].wrapped, `crypto_key:${first.id}:field:person`), first.key);
  });

  it('creates one key when several callers ask at once', async () => {
    const ring2 = await KeyRing.open(db, master);
    const all = await Promise.all([ring, ring2, ring, ring2].map(r => r.active('field:concurrent')));
    assert.equal(new Set(all.map(k => k.id)).size, 1);
    const [{ count }] = await db.query<{ count: number }>(`SELECT count(*) AS count FROM crypto_key WHERE purpose = 'field:concurrent'`);
    assert.equal(count, 1);
  });

  it('rotates: the new key encrypts, the retired one still decrypts', async () => {
    const before = await ring.fieldCipher('field:visit');
    const oldToken = before.encrypt('旧数据', 'visit.diagnosis');
    const newId = await ring.rotate('field:visit');
    assert.notEqual(newId, before.keyId);
    const after = await ring.fieldCipher('field:visit');
    assert.equal(after.keyId, newId);
    const newToken = after.encrypt('新数据', 'visit.diagnosis');
    assert.equal((await ring.cipherFor(oldToken)).decrypt(oldToken, 'visit.diagnosis'), '旧数据');
    assert.equal((await ring.cipherFor(newToken)).decrypt(newToken, 'visit.diagnosis'), '新数据');
    const statuses = await db.query<{ id: string; status: string }>(
      `SELECT id, status FROM crypto_key WHERE purpose = 'field:visit' ORDER BY status`,
    );
    assert.deepEqual(statuses, [
      { id: newId, status: 'active' },
      { id: before.keyId, status: 'retired' },
    ]);
  });

  it('reads keys by id from a fresh ring over the same table, and rejects a wrong master key', async () => {
    const { id, key } = await ring.active('field:person');
    const token = (await ring.fieldCipher('field:person')).encrypt('11010519491231002X');
    const reopened = await KeyRing.open(db, master);
    assert.deepEqual(await reopened.byId(id), key);
    assert.equal((await reopened.cipherFor(token)).decrypt(token), '11010519491231002X');
    await assert.rejects(KeyRing.open(db, randomBytes(32)), CryptoError);
    await assert.rejects(reopened.byId('no-such-key'), CryptoError);
  });

  it('detects a wrapped key moved to another row', async () => {
    const a = await ring.active('swap:a');
    const b = await ring.active('swap:b');
    const [row] = await db.query<{ wrapped: string }>('SELECT wrapped FROM crypto_key WHERE id = $1', [a.id]);
    await db.query('UPDATE crypto_key SET wrapped = $1 WHERE id = $2', [row.wrapped, b.id]);
    // Rejected when opening (if it checks that row) or when the key is read.
    await assert.rejects(async () => (await KeyRing.open(db, master)).byId(b.id), CryptoError);
    await db.query(`DELETE FROM crypto_key WHERE purpose IN ('swap:a', 'swap:b')`);
  });

  it('keeps one SM2 signing pair per purpose: private key wrapped, public key readable', async () => {
    const pair = await ring.signingKeyPair();
    assert.match(pair.publicKey, /^04[0-9a-f]{128}$/);
    assert.deepEqual(await ring.signingKeyPair(), pair);
    const signature = sm2Sign('audit', pair.privateKey, { publicKey: pair.publicKey });
    assert.equal(sm2Verify('audit', signature, pair.publicKey), true);
    const [row] = await db.query<{ wrapped: string; purpose: string }>('SELECT wrapped, purpose FROM crypto_key WHERE id = $1', [pair.id]);
    assert.equal(row.purpose, 'audit-signing');
    assert.ok(row.wrapped.startsWith(`sm2:${pair.publicKey}:v1.master.`));
    assert.ok(!row.wrapped.includes(pair.privateKey));

    const rotated = await ring.rotate('audit-signing');
    const next = await ring.signingKeyPair();
    assert.equal(next.id, rotated);
    assert.notEqual(next.publicKey, pair.publicKey);
    assert.equal(await ring.publicKey(pair.id), pair.publicKey, 'a retired public key still verifies old entries');
    await assert.rejects(ring.active('audit-signing'), CryptoError);
    await assert.rejects(ring.signingKeyPair('field:person'), CryptoError);
  });

  it('derives MAC keys from a purpose and validates purposes', async () => {
    const mac = await ring.macKey('blind:person');
    assert.equal(mac.length, 32);
    assert.deepEqual(await ring.macKey('blind:person'), mac);
    assert.notDeepEqual(mac, (await ring.active('blind:person')).key);
    await assert.rejects(ring.active(''), CryptoError);
    await assert.rejects(ring.active('x'.repeat(41)), CryptoError);
  });

  it('sees another instance’s rotation after refresh()', async () => {
    const other = await KeyRing.open(db, master);
    const id = await other.rotate('field:person');
    assert.notEqual((await ring.active('field:person')).id, id);
    ring.refresh();
    assert.equal((await ring.active('field:person')).id, id);
  });
});
