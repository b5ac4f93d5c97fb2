import assert from 'node:assert/strict';
import { Dataset } from '@lingshu/metamodel';
import { Platform, startPlatform } from '../../platform';
import { createTestDatabase, TestDatabase } from '../../testing';
import { ApiError } from '../../util/errors';
import { IDS, idNumber, personDataset, testCatalog } from '../fixtures';

describe('publisher (integration)', () => {
  let tdb: TestDatabase;
  let platform: Platform;

  before(async () => {
    tdb = await createTestDatabase();
    platform = await startPlatform({ ...tdb.config, port: 0 });
    await platform.importer.importItems(testCatalog(), 'test');
  });
  after(async () => {
    await platform?.stop();
    await tdb?.drop();
  });

  const rt = () => platform.registry.get('test_person')!;
  const person = (seq: number, extra: Record<string, unknown> = {}) => {
    const nameColumn = rt().columnNames.includes('patient_name') ? 'patient_name' : 'person_name';
    return { id_number: idNumber(seq), [nameColumn]: '张三', sex_code: '1', ...extra };
  };

  it('publishing creates the table and mounts a runtime with the compiled validator', async () => {
    assert.ok(rt(), 'runtime mounted');
    assert.equal(rt().version, 1);
    const row = await platform.data.create(rt(), person(1, { birth_date: '19800101' }), 'test');
    assert.equal(row.birth_date, '1980-01-01');
    assert.match(String(row.id), /^[0-9a-f-]{36}$/);
  });

  it('a published version is frozen: an edit opens version 2 as a draft', async () => {
    const next: Dataset = { ...personDataset, name: '测试人员 v2' };
    const row = await platform.store.update('dataset', IDS.dataset, next as unknown as Record<string, unknown>, 'test');
    assert.equal(row.version, 2);
    assert.equal(row.workflow_status, 'draft');
    const v1 = await platform.store.version('dataset', IDS.dataset, 1);
    assert.equal(v1.workflow_status, 'published');
    assert.equal(v1.body.name, '测试人员');
  });

  it('renaming a column and adding one keeps every stored value', async () => {
    const next: Dataset = {
      ...personDataset,
      inclusions: [
        ...personDataset.inclusions.map(i => (i.column === 'person_name' ? { ...i, column: 'patient_name' } : i)),
        { elementId: IDS.phone, column: 'phone', obligation: 'O', order: 5 },
      ],
    };
    await platform.store.update('dataset', IDS.dataset, next as unknown as Record<string, unknown>, 'test');
    const plan = await platform.publisher.preview(IDS.dataset);
    assert.deepEqual(plan.steps.map(s => s.op).sort(), ['add-column', 'rename-column']);
    await platform.publisher.transition('dataset', IDS.dataset, 'publish', 'test');
    assert.equal(rt().version, 2);
    const rows = await platform.data.find(rt(), { where: { id_number: idNumber(1) } });
    assert.equal(rows.length, 1);
    assert.equal(rows[0].patient_name, '张三');
    assert.equal(rows[0].phone, null);
    assert.equal('person_name' in rows[0], false);
  });

  it('widening a format widens the column without touching data', async () => {
    const phone = (await platform.store.latest('data-element', IDS.phone)).body;
    await platform.store.update('data-element', IDS.phone, { ...phone, format: 'AN..40' }, 'test');
    await platform.publisher.transition('data-element', IDS.phone, 'publish', 'test');
    const ds = (await platform.store.latest('dataset', IDS.dataset)).body;
    await platform.store.update('dataset', IDS.dataset, { ...ds, name: '测试人员 v3' }, 'test');
    const plan = await platform.publisher.preview(IDS.dataset);
    assert.deepEqual(plan.steps.map(s => s.detail), ['widen phone varchar(20) → varchar(40)']);
    await platform.publisher.transition('dataset', IDS.dataset, 'publish', 'test');
    await platform.data.create(rt(), person(2, { patient_name: '李四', phone: '1'.repeat(40) }), 'test');
    assert.equal(await platform.data.count(rt(), undefined), 2);
  });

  it('refuses a destructive change, and the retire path keeps the data aside', async () => {
    const ds = (await platform.store.latest('dataset', IDS.dataset)).body as Dataset;
    const without = { ...ds, inclusions: ds.inclusions.filter(i => i.column !== 'phone') };
    await platform.store.update('dataset', IDS.dataset, without as unknown as Record<string, unknown>, 'test');
    await assert.rejects(
      platform.publisher.transition('dataset', IDS.dataset, 'publish', 'test'),
      (err: ApiError) => err.statusCode === 409 && err.details?.[0].rule === 'destructive-change' && err.details?.[0].field === 'phone',
    );
    assert.equal(rt().version, 3, 'the refused publish changed nothing');
    await platform.publisher.transition('dataset', IDS.dataset, 'publish', 'test', { retire: true });
    assert.equal(rt().version, 4);
    assert.equal(rt().columnNames.includes('phone'), false);
    const kept = await platform.db.query<{ n: number }>(`SELECT count(*) AS n FROM ds_test_person WHERE "_retired_v3_phone" IS NOT NULL`);
    assert.equal(Number(kept[0].n), 1);
    const [audit] = await platform.db.query<{ n: number }>(`SELECT count(*) AS n FROM audit_log WHERE action = 'meta.publish' AND detail->>'retire' = 'true'`);
    assert.equal(Number(audit.n), 1);
  });

  it('bulk insert is all or nothing and names the failing record and field', async () => {
    const before = await platform.data.count(rt(), undefined);
    const batch = [person(10), person(11, { sex_code: '7' }), person(12)];
    await assert.rejects(
      platform.data.bulkCreate(rt(), batch, 'test'),
      (err: ApiError) => err.statusCode === 422 && err.details?.length === 1 && err.details[0].index === 1 && err.details[0].field === 'sex_code' && err.details[0].rule === 'code',
    );
    await assert.rejects(
      platform.data.bulkCreate(rt(), [person(20), person(1)], 'test'),
      (err: ApiError) => err.statusCode === 409 && err.details?.[0].index === 1,
    );
    assert.equal(await platform.data.count(rt(), undefined), before);
    const ok = await platform.data.bulkCreate(rt(), Array.from({ length: 2500 }, (_, i) => person(100 + i)), 'test');
    assert.equal(ok.count, 2500);
    assert.equal(await platform.data.count(rt(), undefined), before + 2500);
  });

  it('filters, sorts, pages and counts with checked values', async () => {
    await platform.data.bulkCreate(rt(), [person(3000, { sex_code: '2', birth_date: '20000505' }), person(3001, { sex_code: '2', birth_date: '19990101' })], 'test');
    const women = await platform.data.find(rt(), { where: { sex_code: '2' }, order: 'birth_date DESC' });
    assert.deepEqual(women.map(r => r.birth_date), ['2000-05-05', '1999-01-01']);
    assert.equal(await platform.data.count(rt(), { sex_code: '2' }), 2);
    const page = await platform.data.find(rt(), { where: { birth_date: { gte: '1999-01-01' } }, limit: 1, skip: 1, order: ['birth_date ASC'] });
    assert.equal(page[0].birth_date, '2000-05-05');
    await assert.rejects(platform.data.find(rt(), { where: { nope: 1 } }), (e: ApiError) => e.statusCode === 400 && e.details?.[0].rule === 'unknown-field');
    await assert.rejects(platform.data.find(rt(), { where: { birth_date: { gt: "1' OR 1=1" } } }), (e: ApiError) => e.statusCode === 400 && e.details?.[0].field === 'birth_date');
  });

  it('a new code in a published value domain is accepted at once, without a new dataset version', async () => {
    await assert.rejects(platform.data.create(rt(), person(4000, { sex_code: '5' }), 'test'), (e: ApiError) => e.statusCode === 422);
    const domain = (await platform.store.latest('value-domain', IDS.sexDomain)).body as any;
    await platform.store.update('value-domain', IDS.sexDomain, { ...domain, values: [...domain.values, { code: '5', meaning: '女性改(变)为男性', order: 5 }] }, 'test');
    await platform.publisher.transition('value-domain', IDS.sexDomain, 'publish', 'test');
    const row = await platform.data.create(rt(), person(4000, { sex_code: '5' }), 'test');
    assert.equal(row.sex_code, '5');
    assert.equal(rt().version, 4);
  });

  it('start-up loads the live APIs from the store', async () => {
    await platform.registry.loadAll();
    assert.equal(rt().version, 4);
    assert.equal(rt().columnNames.join(','), 'id_number,patient_name,sex_code,birth_date');
  });
});
