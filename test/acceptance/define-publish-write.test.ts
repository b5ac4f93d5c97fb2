import assert from 'node:assert/strict';
import { gb11643CheckChar } from '@lingshu/metamodel';
import { Platform, seedPlatform, startPlatform } from '@lingshu/platform';
import { client, createTestDatabase, TestDatabase, userApi, waitFor } from '../support';

/** A synthetic, checksum-valid GB 11643 number. */
function idNumber(seq: number): string {
  const body = `51172219900307${String(seq % 1000).padStart(3, '0')}`;
  return body + gb11643CheckChar(body);
}

describe('acceptance: define → publish → write over HTTP', function () {
  let tdb: TestDatabase;
  let platform: Platform;
  let api: ReturnType<typeof client>;
  const ids: Record<string, string> = {};

  before(async () => {
    tdb = await createTestDatabase();
    platform = await startPlatform({ ...tdb.config, port: 0 });
    await seedPlatform(platform, { demoData: 'none' });
    api = await userApi(platform, 'owner', ['standard-owner', 'data-admin']);
  });
  after(async () => {
    await platform?.stop();
    await tdb?.drop();
  });

  it('answers health with the database kind and version', async () => {
    const res = await client(platform.url).get('/api/health');
    assert.equal(res.status, 200);
    assert.equal(res.body.database.kind, tdb.kind);
    assert.match(res.body.database.version, /PostgreSQL \d+/);
  });

  it('serves the seeded catalog as live APIs', async () => {
    const res = await api.get('/api/data');
    assert.equal(res.status, 200);
    assert.ok(res.body.length >= 6, `expected ≥ 6 live datasets, got ${res.body.length}`);
  });

  it('a standard owner defines a value domain, elements and a dataset as drafts', async () => {
    const domain = await api.post('/api/meta/value-domains', {
      namespace: 'dazhou', identifier: 'CV99.01.001', name: '随访方式代码', type: 'enumerated',
      values: [{ code: '1', meaning: '门诊', order: 1 }, { code: '2', meaning: '家庭', order: 2 }, { code: '3', meaning: '电话', order: 3 }],
    });
    assert.equal(domain.status, 200, JSON.stringify(domain.body));
    assert.equal(domain.body.workflowStatus, 'draft');
    assert.deepEqual(domain.body._meta.allowedActions, ['submit', 'publish']);
    ids.domain = domain.body.id;
    const mk = (identifier: string, name: string, dataType: string, format: string, extra = {}) =>
      api.post('/api/meta/data-elements', { namespace: 'dazhou', identifier, name, dataType, format, ...extra });
    const els = await Promise.all([
      mk('DE99.01.001.00', '随访方式代码', 'S3', 'N1', { valueDomainId: ids.domain }),
      mk('DE99.01.002.00', '随访日期', 'D', 'D8'),
      mk('DE99.01.003.00', '随访对象身份证号', 'S1', 'AN..18', { checks: ['gb11643'] }),
      mk('DE99.01.004.00', '随访医生', 'S1', 'A..20'),
    ]);
    for (const e of els) assert.equal(e.status, 200, JSON.stringify(e.body));
    [ids.way, ids.date, ids.person, ids.doctor] = els.map(e => e.body.id);
    const ds = await api.post('/api/meta/datasets', {
      namespace: 'dazhou', identifier: 'DZ.FU.01', code: 'follow_up', name: '随访记录',
      inclusions: [
        { elementId: ids.person, column: 'id_number', obligation: 'M', order: 1, primaryKey: true },
        { elementId: ids.date, column: 'visit_date', obligation: 'M', order: 2, primaryKey: true },
        { elementId: ids.way, column: 'way_code', obligation: 'M', order: 3 },
        { elementId: ids.doctor, column: 'doctor', obligation: 'O', order: 4 },
      ],
    });
    assert.equal(ds.status, 200, JSON.stringify(ds.body));
    ids.dataset = ds.body.id;
  });

  it('rejects invalid metadata with the path and rule of each problem', async () => {
    const res = await api.post('/api/meta/data-elements', { namespace: 'dazhou', identifier: 'XX1', name: '坏', dataType: 'S1', format: 'AN..' });
    assert.equal(res.status, 422);
    const rules = res.body.error.details.map((d: { rule: string }) => d.rule);
    assert.ok(rules.includes('identifier-shape'), JSON.stringify(res.body));
    assert.ok(rules.includes('format'), JSON.stringify(res.body));
    assert.equal(JSON.stringify(res.body).includes('    at '), false, 'no stack trace');
  });

  it('publishing a dataset whose elements are drafts names them', async () => {
    const res = await api.post(`/api/meta/datasets/${ids.dataset}/publish`);
    assert.equal(res.status, 422);
    assert.equal(res.body.error.details[0].rule, 'not-published');
  });

  it('publishing makes the table and the API live at once, and /openapi.json shows it', async () => {
    for (const id of [ids.domain]) assert.equal((await api.post(`/api/meta/value-domains/${id}/publish`)).status, 200);
    for (const id of [ids.way, ids.date, ids.person, ids.doctor]) assert.equal((await api.post(`/api/meta/data-elements/${id}/publish`)).status, 200);
    const started = Date.now();
    const res = await api.post(`/api/meta/datasets/${ids.dataset}/publish`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.workflowStatus, 'published');
    const list = await api.get('/api/data/follow_up');
    assert.equal(list.status, 200);
    assert.deepEqual(list.body, []);
    assert.ok(Date.now() - started < 5000);
    const spec = await api.get('/openapi.json');
    assert.ok(spec.body.paths['/api/data/follow_up'], 'list path in spec');
    assert.ok(spec.body.paths['/api/data/follow_up/{id}'].patch, 'patch in spec');
    assert.equal(spec.body.components.schemas.dataset_follow_up.properties.way_code.enum.join(','), '1,2,3');
  });

  it('valid writes succeed; invalid writes get 422 with field, rule and position', async () => {
    const ok = await api.post('/api/data/follow_up', { id_number: idNumber(1), visit_date: '20261101', way_code: '2', doctor: '王医生' });
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
    assert.equal(ok.body.visit_date, '2026-11-01');
    ids.record = ok.body.id;
    const bad = await api.post('/api/data/follow_up', { id_number: '511722199003070000', visit_date: '20261341', way_code: '9', doctor: 'Dr5' });
    assert.equal(bad.status, 422);
    const byField = Object.fromEntries(bad.body.error.details.map((d: { field: string; rule: string }) => [d.field, d]));
    assert.equal(byField.id_number.rule, 'checksum');
    assert.equal(byField.visit_date.rule, 'format');
    assert.equal(byField.way_code.rule, 'code');
    assert.equal(byField.doctor.rule, 'charset');
    assert.equal(byField.doctor.position, 2);
    const missing = await api.post('/api/data/follow_up', { visit_date: '20261101', way_code: '1' });
    assert.equal(missing.body.error.details[0].rule, 'required');
    assert.equal((await api.get('/api/data/follow_up/count')).body.count, 1, 'nothing half-written');
  });

  it('reads back, patches, filters and counts', async () => {
    const one = await api.get(`/api/data/follow_up/${ids.record}`);
    assert.equal(one.status, 200);
    assert.equal(one.body.doctor, '王医生');
    const patched = await api.patch(`/api/data/follow_up/${ids.record}`, { way_code: '3' });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.way_code, '3');
    const filtered = await api.get(`/api/data/follow_up?filter=${encodeURIComponent(JSON.stringify({ where: { way_code: '3' }, fields: ['id_number', 'way_code'] }))}`);
    assert.deepEqual(Object.keys(filtered.body[0]).sort(), ['id_number', 'way_code']);
    assert.equal((await api.get('/api/data/follow_up/count?way_code=1')).body.count, 0);
    assert.equal((await api.get('/api/data/follow_up?limit=5000')).status, 400);
    assert.equal((await api.get('/api/data/follow_up/not-a-uuid')).status, 404);
  });

  it('bulk is all or nothing over HTTP', async () => {
    const rows = Array.from({ length: 50 }, (_, i) => ({ id_number: idNumber(100 + i), visit_date: '2026-10-01', way_code: '1' }));
    const bad = await api.post('/api/data/follow_up/bulk', [...rows, { id_number: idNumber(999), visit_date: 'soon', way_code: '1' }]);
    assert.equal(bad.status, 422);
    assert.equal(bad.body.error.details[0].index, 50);
    assert.equal((await api.get('/api/data/follow_up/count')).body.count, 1);
    const good = await api.post('/api/data/follow_up/bulk', rows);
    assert.equal(good.status, 201);
    assert.equal((await api.get('/api/data/follow_up/count')).body.count, 51);
  });

  it('a schema change keeps the data: rename a column and add one', async () => {
    const current = (await api.get(`/api/meta/datasets/${ids.dataset}`)).body;
    const draft = await api.put(`/api/meta/datasets/${ids.dataset}`, {
      ...current,
      inclusions: current.inclusions.map((i: { column: string }) => (i.column === 'doctor' ? { ...i, column: 'doctor_name' } : i)),
    });
    assert.equal(draft.status, 200);
    assert.equal(draft.body.version, 2);
    const plan = await api.get(`/api/meta/datasets/${ids.dataset}/migration-plan`);
    assert.deepEqual(plan.body.steps.map((s: { op: string }) => s.op), ['rename-column']);
    assert.equal((await api.post(`/api/meta/datasets/${ids.dataset}/publish`)).status, 200);
    const one = await api.get(`/api/data/follow_up/${ids.record}`);
    assert.equal(one.body.doctor_name, '王医生');
    const history = await api.get(`/api/meta/datasets/${ids.dataset}/versions`);
    assert.deepEqual(history.body.map((v: { workflowStatus: string }) => v.workflowStatus), ['superseded', 'published']);
  });

  it('hostile input gets a 4xx without a stack trace', async () => {
    const notJson = await api.raw('POST', '/api/data/follow_up', '{"id_number": ');
    assert.equal(notJson.status, 400);
    const arr = await api.post('/api/data/follow_up', [1, 2]);
    assert.equal(arr.status, 422);
    const sql = await api.get(`/api/data/follow_up?order=${encodeURIComponent('id; DROP TABLE x')}`);
    assert.equal(sql.status, 400);
    const unknown = await api.get('/api/data/nope');
    assert.equal(unknown.status, 404);
    const badPath = await api.get('/api/data/follow_up/%E0%A4%A');
    assert.equal(badPath.status, 400);
    const huge = await api.get('/api/data/outpatient_visit?age=1e300');
    assert.equal(huge.status, 400);
    const noType = await api.raw('POST', '/api/data/follow_up', undefined);
    assert.equal(noType.status, 415);
    for (const r of [notJson, arr, sql, unknown, badPath, huge, noType]) assert.equal(JSON.stringify(r.body).includes('    at '), false);
  });

  it('snapshot export → diff → apply moves metadata to another instance and guards the base', async function () {
    const snap = await api.get('/api/meta/snapshot?namespace=dazhou');
    assert.equal(snap.status, 200);
    assert.equal(snap.body.format, 'lingshu-snapshot/1');
    const other = await createTestDatabase();
    const target = await startPlatform({ ...other.config, port: 0 });
    try {
      await seedPlatform(target, { demoData: 'none' });
      const api2 = await userApi(target, 'owner', ['standard-owner', 'data-admin']);
      const changes = await api2.post('/api/meta/snapshot/diff', { target: snap.body, namespace: 'dazhou' });
      assert.equal(changes.status, 200);
      assert.ok(changes.body.changes.length >= 6);
      const applied = await api2.post('/api/meta/snapshot/apply?namespace=dazhou', changes.body);
      assert.equal(applied.status, 200, JSON.stringify(applied.body));
      assert.equal((await api2.get('/api/data/follow_up')).status, 200);
      const again = await api2.post('/api/meta/snapshot/apply?namespace=dazhou', changes.body);
      assert.equal(again.status, 409, 'a change list applies to the state it was made against only');
    } finally {
      await target.stop();
      await other.drop();
    }
  });

  it('a second instance on the same PostgreSQL serves a newly published API within 2 s', async function () {
    if (tdb.kind !== 'postgresql') this.skip();
    const second = await startPlatform({ ...tdb.config, port: 0 });
    try {
      const api2 = await userApi(second, 'owner', ['standard-owner', 'data-admin']);
      const ds = await api.post('/api/meta/datasets', {
        namespace: 'dazhou', identifier: 'DZ.FU.02', code: 'follow_up_short', name: '随访简表',
        inclusions: [{ elementId: ids.person, column: 'id_number', obligation: 'M', order: 1, primaryKey: true }],
      });
      assert.equal((await api2.get('/api/data/follow_up_short')).status, 404);
      const published = Date.now();
      assert.equal((await api.post(`/api/meta/datasets/${ds.body.id}/publish`)).status, 200);
      const elapsed = await waitFor(async () => (await api2.get('/api/data/follow_up_short')).status === 200, 2000, 20);
      assert.ok(Date.now() - published <= 2000, `live on the second instance after ${elapsed} ms`);
    } finally {
      await second.stop();
    }
  });
});
