import assert from 'node:assert/strict';
import { Platform, startPlatform } from '@lingshu/platform';
import { TEST_PASSWORD, TestDatabase, createTestDatabase, signIn, userApi, waitFor } from '../support';

type Api = Awaited<ReturnType<typeof userApi>>;

const VOCAB = 'SYNC-ICD';
const H1 = 'sync-h1';
const H2 = 'sync-h2'; // the knowledge import's institution

async function send(url: string, path: string, body: string, type: string, token: string) {
  const res = await fetch(url + path, { method: 'POST', headers: { 'content-type': type, authorization: `Bearer ${token}` }, body });
  return { status: res.status, body: (await res.json()) as any };
}

/**
 * Two platform processes on one PostgreSQL database: what one changes in the mapping state
 * (vocabularies, confirmations, knowledge imports, unmappable, deletions) counts in the other at
 * once, without a restart. PGlite is one process's database, so this runs on PostgreSQL only.
 */
describe('acceptance: mapping state across platform processes (PostgreSQL)', function () {
  let tdb: TestDatabase;
  let a: Platform;
  let b: Platform;
  let adminA: Api;
  let mapperA: Api;
  let mapperB: Api;
  let adminToken: string;
  let dictionary: string;

  before(async function () {
    tdb = await createTestDatabase();
    if (tdb.kind !== 'postgresql') this.skip();
    a = await startPlatform({ ...tdb.config, port: 0, adminPassword: TEST_PASSWORD });
    b = await startPlatform({ ...tdb.config, port: 0, adminPassword: TEST_PASSWORD });
    await a.db.query(`INSERT INTO org_unit (code, name, kind, created_at) VALUES ($1, '同步医院一', 'institution', now()), ($2, '同步医院二', 'institution', now())`, [H1, H2]);
    await userApi(a, 'sync.admin', ['mapping-admin']);
    await userApi(a, 'sync.mapper', ['mapper']);
    const admin = await signIn(a.url, 'sync.admin', TEST_PASSWORD);
    adminA = admin.api;
    adminToken = admin.token;
    mapperA = (await signIn(a.url, 'sync.mapper', TEST_PASSWORD)).api;
    mapperB = (await signIn(b.url, 'sync.mapper', TEST_PASSWORD)).api;
  });
  after(async () => {
    await b?.stop();
    await a?.stop();
    await tdb?.drop();
  });

  const translateB = async (query: string) => (await mapperB.get(`/api/mapping/translate?institution=${H1}&dictionary=${dictionary}&${query}`)).body;

  it('a vocabulary created and imported through one process is searchable through the other', async () => {
    assert.equal((await adminA.post('/api/mapping/vocabularies', { code: VOCAB, name: '同步测试', domain: 'diagnosis' })).status, 200);
    const csv = '编码,名称\nI10,特发性(原发性)高血压\nI63.9,脑梗死\nJ18.9,肺炎\nD64.9,贫血\n';
    const started = await send(a.url, `/api/mapping/vocabularies/${VOCAB}/import`, csv, 'text/csv', adminToken);
    assert.equal(started.status, 202, JSON.stringify(started.body));
    await waitFor(async () => (await mapperB.get(`/api/mapping/vocabularies/${VOCAB}/terms?q=${encodeURIComponent('脑梗死')}`)).body?.[0]?.code === 'I63.9', 30_000, 100);
    // A setting changed on one process holds on the other.
    assert.equal((await adminA.patch(`/api/mapping/vocabularies/${VOCAB}`, { autoAccept: 0.97 })).status, 200);
    await waitFor(async () => (await mapperB.get('/api/mapping/vocabularies')).body.find((v: { code: string }) => v.code === VOCAB)?.autoAccept === 0.97, 10_000, 50);
  });

  it('a confirmation through one process translates through the other at once; unmappable withdraws it', async () => {
    const d = await mapperA.post('/api/mapping/dictionaries', { institution: H1, kind: 'diagnosis', name: '同步诊断', vocabulary: VOCAB });
    assert.equal(d.status, 200, JSON.stringify(d.body));
    dictionary = d.body.id;
    assert.equal((await mapperA.post(`/api/mapping/dictionaries/${dictionary}/loads`, { entries: [{ code: 'L1', name: '院内脑卒中甲' }, { code: 'L2', name: '院内贫血乙' }] })).status, 200);
    const entries = (await mapperA.get(`/api/mapping/tasks/${d.body.taskId}/entries?limit=10`)).body.items as Array<{ id: string; code: string }>;
    const l1 = entries.find(e => e.code === 'L1')!;
    assert.equal((await translateB('code=L1')).status, 'unmapped');
    assert.equal((await mapperA.post(`/api/mapping/entries/${l1.id}/confirm`, { codes: ['I63.9'] })).status, 200);
    await waitFor(async () => (await translateB('code=L1')).status === 'confirmed', 10_000, 50);
    assert.deepEqual((await translateB('code=L1')).codes, ['I63.9']);
    // The knowledge base of the other process learned the text too (any institution, by text).
    const byText = await translateB(`text=${encodeURIComponent('院内脑卒中甲')}`);
    assert.deepEqual({ codes: byText.codes, status: byText.status, source: byText.source }, { codes: ['I63.9'], status: 'confirmed', source: 'text' });

    assert.equal((await mapperA.post(`/api/mapping/entries/${l1.id}/unmappable`, { reason: '测试撤回' })).status, 200);
    await waitFor(async () => (await translateB('code=L1')).source !== 'local-code', 10_000, 50);
  });

  it('a knowledge import through one process counts in the other; a deleted dictionary is gone there too', async () => {
    const line = JSON.stringify({ institution: H2, dictionary: VOCAB, sourceText: '院内贫血乙', codes: ['D64.9'], by: 'sync.admin' });
    const imported = await send(a.url, '/api/mapping/knowledge/import', `${line}\n`, 'application/x-ndjson', adminToken);
    assert.equal(imported.status, 200, JSON.stringify(imported.body));
    await waitFor(async () => (await translateB(`text=${encodeURIComponent('院内贫血乙')}`)).status === 'confirmed', 10_000, 50);
    assert.deepEqual((await translateB(`text=${encodeURIComponent('院内贫血乙')}`)).codes, ['D64.9']);

    assert.equal((await adminA.del(`/api/mapping/dictionaries/${dictionary}`)).status, 200);
    await waitFor(async () => (await mapperB.get(`/api/mapping/translate?institution=${H1}&dictionary=${dictionary}&code=L2`)).status === 404, 10_000, 50);
  });
});
