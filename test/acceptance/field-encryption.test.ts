import assert from 'node:assert/strict';
import { generateRecords } from '@lingshu/seeds';
import { Platform, seedPlatform, startPlatform } from '@lingshu/platform';
import { client, createTestDatabase, TestDatabase, userApi } from '../support';

type Api = ReturnType<typeof client>;
const TOKEN = /^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const where = (w: unknown) => `filter=${encodeURIComponent(JSON.stringify({ where: w }))}`;

describe('acceptance: SM4 encryption at rest, blind-index search and key rotation', function () {
  let tdb: TestDatabase;
  let platform: Platform;
  let admin: Api;
  let analyst: Api;
  let secadmin: Api;
  let owner: Api;

  before(async () => {
    tdb = await createTestDatabase();
    platform = await startPlatform({ ...tdb.config, port: 0 });
    await seedPlatform(platform, { demoData: 'small' });
    admin = await userApi(platform, 'enc.admin', ['data-admin']);
    analyst = await userApi(platform, 'enc.analyst', ['analyst']);
    secadmin = await userApi(platform, 'enc.secadmin', ['security-admin']);
    owner = await userApi(platform, 'enc.owner', ['standard-owner', 'data-admin']);
  });
  after(async () => {
    await platform?.stop();
    await tdb?.drop();
  });

  const stored = (sql: string, params: unknown[] = []) => platform.db.query<Record<string, string>>(sql, params);

  it('stores encrypted elements as SM4 tokens beside a blind index, and the API shows plaintext', async () => {
    const raw = await stored('SELECT id, id_number, _bi_id_number, phone FROM ds_person_basic ORDER BY id LIMIT 50');
    assert.ok(raw.length > 0);
    for (const r of raw) {
      assert.match(r.id_number, TOKEN);
      assert.match(r._bi_id_number, /^[0-9a-f]{32}$/);
      if (r.phone !== null) assert.match(r.phone, TOKEN);
    }
    const shown = (await admin.get(`/api/data/person_basic/${raw[0].id}`)).body;
    assert.match(shown.id_number, /^\d{17}[\dX]$/);
    assert.equal(shown._bi_id_number, undefined, 'the blind index is not part of the API');
    const plainInDb = await stored('SELECT count(*) AS n FROM ds_person_basic WHERE id_number = $1', [shown.id_number]);
    assert.equal(Number(plainInDb[0].n), 0, 'no plaintext ID number in the table');
  });

  it('finds a record by ID number through the blind index; other operators and sorting are refused', async () => {
    const [one] = (await admin.get('/api/data/person_basic?limit=1&offset=3')).body;
    const found = await admin.get(`/api/data/person_basic?id_number=${one.id_number}`);
    assert.equal(found.status, 200);
    assert.deepEqual(found.body.map((r: { id: string }) => r.id), [one.id]);
    const inq = await admin.get(`/api/data/person_basic/count?${where({ id_number: { inq: [one.id_number, '110101199003074514'] } })}`);
    assert.equal(inq.body.count, 1);
    const like = await admin.get(`/api/data/person_basic?${where({ id_number: { like: '5117%' } })}`);
    assert.equal(like.status, 400);
    assert.equal(like.body.error.details[0].rule, 'encrypted-field');
    assert.equal(like.body.error.details[0].field, 'id_number');
    const sorted = await admin.get('/api/data/person_basic?order=id_number');
    assert.equal(sorted.status, 400);
    assert.equal(sorted.body.error.details[0].rule, 'encrypted-field');
    const probe = await admin.get(`/api/data/person_basic?${where({ _bi_id_number: 'x' })}`);
    assert.equal(probe.status, 400, 'the blind index column is not a filter field');
  });

  it('keeps the business key unique through the blind index (409 on a duplicate ID number)', async () => {
    const [one] = (await admin.get('/api/data/person_basic?limit=1')).body;
    const { id, created_at, updated_at, ...copy } = one;
    const dup = await admin.post('/api/data/person_basic', copy);
    assert.equal(dup.status, 409, JSON.stringify(dup.body));
    const bulk = await admin.post('/api/data/person_basic/bulk', [copy]);
    assert.equal(bulk.status, 409);
    assert.equal(bulk.body.error.details[0].index, 0);
  });

  it('decrypts before masking: a low-clearance role sees the masked plaintext', async () => {
    const [row] = (await analyst.get('/api/data/person_basic?limit=1')).body;
    assert.match(row.id_number, /^\d{6}\*{8}\d{3}[\dX]$/);
  });

  it('a token altered or moved to another column is an integrity error without a stack trace', async () => {
    const [a, b] = await stored('SELECT id, id_number, phone FROM ds_person_basic WHERE phone IS NOT NULL ORDER BY id LIMIT 2');
    await platform.db.query('UPDATE ds_person_basic SET id_number = $2 WHERE id = $1', [a.id, b.phone]);
    const moved = await admin.get(`/api/data/person_basic/${a.id}`);
    assert.equal(moved.status, 500);
    assert.equal(moved.body.error.name, 'IntegrityError');
    assert.equal(JSON.stringify(moved.body).includes('    at '), false);
    const flipped = a.id_number.slice(0, -2) + (a.id_number.endsWith('AA') ? 'BB' : 'AA');
    await platform.db.query('UPDATE ds_person_basic SET id_number = $2 WHERE id = $1', [a.id, flipped]);
    assert.equal((await admin.get(`/api/data/person_basic/${a.id}`)).status, 500);
    await platform.db.query('UPDATE ds_person_basic SET id_number = $2 WHERE id = $1', [a.id, a.id_number]);
    assert.equal((await admin.get(`/api/data/person_basic/${a.id}`)).status, 200);
  });

  it('rotation: a job with progress re-encrypts everything, survives a pause and a crashed owner, and reads work throughout', async () => {
    const extra = [...generateRecords('person_basic', 1200, { seed: 77, startIndex: 500_000 })];
    const added = await admin.post('/api/data/person_basic/bulk', extra);
    assert.equal(added.status, 201, JSON.stringify(added.body).slice(0, 600));
    let total = 0;
    for (const rt of platform.registry.list().filter(r => r.encrypted.length > 0)) total += Number((await stored(`SELECT count(*) AS n FROM "${rt.table}"`))[0].n);
    const persons = Number((await stored('SELECT count(*) AS n FROM ds_person_basic'))[0].n);
    const oldKey = (await stored('SELECT id_number FROM ds_person_basic LIMIT 1'))[0].id_number.split('.')[1];

    assert.equal((await admin.post('/api/security/keys/rotate')).status, 403, 'only the security administrator rotates keys');
    await platform.jobs.stop(); // run the job by hand below, step by step
    const rotated = await secadmin.post('/api/security/keys/rotate');
    assert.equal(rotated.status, 200, JSON.stringify(rotated.body));
    const { keyId, jobId } = rotated.body;
    assert.notEqual(keyId, oldKey);
    const keys = (await secadmin.get('/api/security/keys')).body;
    assert.ok(keys.some((k: { id: string; status: string }) => k.id === oldKey && k.status === 'retired'));
    assert.ok(keys.every((k: Record<string, unknown>) => !('wrapped' in k) && !('key' in k)), 'no key material in the API');

    // A pause asked for as the job starts: it stops after its first batch.
    await platform.db.query(`UPDATE job SET stop_request = 'pause' WHERE id = $1`, [jobId]);
    await platform.jobs.drain();
    const paused = (await secadmin.get(`/api/jobs/${jobId}`)).body;
    assert.equal(paused.status, 'paused');
    assert.equal(paused.total, total);
    assert.ok(paused.done > 0 && paused.done < total, `done ${paused.done} of ${total}`);
    assert.ok(paused.percent > 0 && paused.percent < 100);
    const mixed = await stored(`SELECT count(*) AS n FROM ds_person_basic WHERE id_number LIKE $1`, [`v1.${keyId}.%`]);
    assert.ok(Number(mixed[0].n) < persons, 'not every person row moved yet');
    const all = await admin.get('/api/data/person_basic?limit=1000');
    assert.equal(all.status, 200, 'values under both keys read back');
    assert.equal((await analyst.get(`/api/jobs/${jobId}`)).status, 403);

    // Resumed, then its owner "crashes" mid-run: another runner takes the job over after the lease.
    assert.equal((await secadmin.post(`/api/jobs/${jobId}/resume`)).body.status, 'queued');
    await platform.db.query(`UPDATE job SET status = 'running', lease_owner = 'dead-instance', lease_until = now() - interval '1 minute' WHERE id = $1`, [jobId]);
    await platform.jobs.drain();
    const finished = (await secadmin.get(`/api/jobs/${jobId}`)).body;
    assert.equal(finished.status, 'done', JSON.stringify(finished));
    assert.equal(finished.done, total);
    assert.equal(finished.percent, 100);
    const left = await stored(`SELECT count(*) AS n FROM ds_person_basic WHERE id_number NOT LIKE $1 OR (phone IS NOT NULL AND phone NOT LIKE $1)`, [`v1.${keyId}.%`]);
    assert.equal(Number(left[0].n), 0, 'every value is under the new key');
    const [one] = (await admin.get('/api/data/person_basic?limit=1&offset=7')).body;
    assert.equal((await admin.get(`/api/data/person_basic?id_number=${one.id_number}`)).body.length, 1, 'the blind index still finds it');
    const audit = await stored(`SELECT count(*) AS n FROM audit_log WHERE action = 'data.reencrypt'`);
    assert.ok(Number(audit[0].n) >= 3);
    assert.ok((await secadmin.get('/api/jobs')).body.some((j: { id: string }) => j.id === jobId));
    platform.jobs.start();
  });

  it('a new version that encrypts a column queues a job that encrypts the stored plaintext', async () => {
    const element = await owner.post('/api/meta/data-elements', { namespace: 'dazhou', identifier: 'DE99.02.001.00', name: '医保卡号', dataType: 'S1', format: 'AN..20', sensitivity: 3 });
    const org = (await owner.get('/api/meta/data-elements?q=DE08.10.052.00')).body.find((e: { identifier: string }) => e.identifier === 'DE08.10.052.00');
    assert.equal(element.status, 200, JSON.stringify(element.body));
    await owner.post(`/api/meta/data-elements/${element.body.id}/publish`);
    const ds = await owner.post('/api/meta/datasets', {
      namespace: 'dazhou', identifier: 'HDS99.02', name: '医保登记', code: 'insurance_card',
      inclusions: [
        { elementId: org.id, column: 'org_code', obligation: 'M', order: 1, primaryKey: true },
        { elementId: element.body.id, column: 'card_no', obligation: 'M', order: 2, primaryKey: true },
      ],
    });
    assert.equal(ds.status, 200, JSON.stringify(ds.body));
    assert.equal((await owner.post(`/api/meta/datasets/${ds.body.id}/publish`)).status, 200);
    const rows = Array.from({ length: 30 }, (_, i) => ({ org_code: '125117004592983307', card_no: `YB${String(i).padStart(8, '0')}` }));
    assert.equal((await owner.post('/api/data/insurance_card/bulk', rows)).status, 201);

    const current = (await owner.get(`/api/meta/data-elements/${element.body.id}`)).body;
    assert.equal((await owner.put(`/api/meta/data-elements/${element.body.id}`, { ...current, encrypted: true })).status, 200);
    assert.equal((await owner.post(`/api/meta/data-elements/${element.body.id}/publish`)).status, 200);
    const dsNow = (await owner.get(`/api/meta/datasets/${ds.body.id}`)).body;
    assert.equal((await owner.put(`/api/meta/datasets/${ds.body.id}`, { ...dsNow, definition: 'card numbers encrypted at rest' })).status, 200);
    const plan = await owner.get(`/api/meta/datasets/${ds.body.id}/migration-plan`);
    assert.deepEqual(plan.body.steps.map((s: { op: string }) => s.op), ['encrypt-column', 'replace-key']);
    assert.equal((await owner.post(`/api/meta/datasets/${ds.body.id}/publish`)).status, 200);

    const before = await owner.get('/api/data/insurance_card?card_no=YB00000007');
    assert.equal(before.status, 200, 'plaintext rows read back while the job has not run');
    await platform.jobs.drain();
    const raw = await stored('SELECT card_no, _bi_card_no FROM ds_insurance_card');
    assert.ok(raw.every(r => TOKEN.test(r.card_no) && /^[0-9a-f]{32}$/.test(r._bi_card_no)));
    const found = await owner.get('/api/data/insurance_card?card_no=YB00000007');
    assert.equal(found.body.length, 1);
    assert.equal(found.body[0].card_no, 'YB00000007');
    const dup = await owner.post('/api/data/insurance_card', rows[3]);
    assert.equal(dup.status, 409, 'the key is now unique through the blind index');
  });

  it('metadata refuses encryption of a non-text element', async () => {
    const bad = await owner.post('/api/meta/data-elements', { namespace: 'dazhou', identifier: 'DE99.02.002.00', name: '体重', dataType: 'N', format: 'N..5,1', encrypted: true });
    assert.equal(bad.status, 422);
    assert.equal(bad.body.error.details[0].rule, 'encrypted-type');
  });
});
