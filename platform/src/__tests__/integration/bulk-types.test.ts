import assert from 'node:assert/strict';
import { DataElement, Dataset } from '@lingshu/metamodel';
import { Platform, startPlatform } from '../../platform';
import { createTestDatabase, TestDatabase } from '../../testing';

const el = (n: number, dataType: DataElement['dataType'], format: string): DataElement => ({
  id: `00000000-0000-4000-8000-0000000003${String(n).padStart(2, '0')}`,
  kind: 'data-element', namespace: 'types', version: 1, workflowStatus: 'published',
  identifier: `DE99.99.${String(n).padStart(3, '0')}.00`, name: `类型 ${n}`, dataType, format,
});
const elements = [el(1, 'S1', 'AN..20'), el(2, 'S1', 'AN..200'), el(3, 'N', 'N..8,2'), el(4, 'L', 'T/F'), el(5, 'DT', 'DT15'), el(6, 'S1', 'AN..10'), el(7, 'BY', 'AN')];
const dataset: Dataset = {
  id: '00000000-0000-4000-8000-000000000399', kind: 'dataset', namespace: 'types', version: 1, workflowStatus: 'published',
  identifier: 'TYPES.01', code: 'all_types', name: '类型覆盖',
  inclusions: [
    { elementId: elements[0].id, column: 'code', obligation: 'M', order: 1, primaryKey: true },
    { elementId: elements[1].id, column: 'note', obligation: 'O', order: 2 },
    { elementId: elements[2].id, column: 'amount', obligation: 'O', order: 3 },
    { elementId: elements[3].id, column: 'flag', obligation: 'O', order: 4 },
    { elementId: elements[4].id, column: 'at', obligation: 'O', order: 5 },
    { elementId: elements[5].id, column: 'tags', obligation: 'O', order: 6, maxOccurs: 3 },
    { elementId: elements[6].id, column: 'blob', obligation: 'O', order: 7 },
  ],
};

/** Every column family survives the bulk COPY path and the single-insert path alike. */
describe('bulk load and single insert keep every type intact (integration)', () => {
  let tdb: TestDatabase;
  let platform: Platform;
  before(async () => {
    tdb = await createTestDatabase();
    platform = await startPlatform({ ...tdb.config, port: 0 });
    await platform.importer.importItems([...elements, dataset], 'test');
  });
  after(async () => {
    await platform?.stop();
    await tdb?.drop();
  });

  const record = (code: string) => ({
    code,
    note: 'C:\\temp\\x 反斜杠 and "quotes"',
    amount: 1234.5,
    flag: true,
    at: '20261101T083000',
    tags: ['a\\b', '标签', 'c'],
    blob: Buffer.from([0, 1, 2, 255]).toString('base64'),
  });
  const expected = (code: string) => ({ ...record(code), at: '2026-11-01T08:30:00' });
  const pick = (row: Record<string, unknown>) => Object.fromEntries(Object.keys(record('x')).map(k => [k, row[k]]));

  it('round-trips through bulk (COPY) and single insert', async () => {
    const rt = platform.registry.get('all_types')!;
    await platform.data.bulkCreate(rt, [record('bulk-1'), { code: 'bulk-2' }], 'test');
    const single = await platform.data.create(rt, record('single-1'), 'test');
    const [bulk1] = await platform.data.find(rt, { where: { code: 'bulk-1' } });
    const [bulk2] = await platform.data.find(rt, { where: { code: 'bulk-2' } });
    const normalize = (row: Record<string, unknown>) => ({ ...pick(row), blob: Buffer.isBuffer(row.blob) ? (row.blob as Buffer).toString('base64') : row.blob });
    assert.deepEqual(normalize(bulk1), expected('bulk-1'));
    assert.deepEqual(normalize(single), expected('single-1'));
    assert.equal(bulk2.note, null);
    assert.equal(bulk2.tags, null);
  });
});
