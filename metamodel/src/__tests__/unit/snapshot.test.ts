import assert from 'node:assert/strict';
import {
  ChangeConflictError,
  DataElement,
  MetadataItem,
  StaleChangeListError,
  applyChangeList,
  createSnapshot,
  diffSnapshots,
  hashSnapshotItems,
} from '../../index';
import { allItems, sexDomain } from '../fixtures';

function reversedKeys<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).reverse()) as T;
}

/** b: one element edited, one new version of an element, the case-number domain removed. */
function changedItems(): MetadataItem[] {
  const items = allItems().filter(i => i.id !== 'vd-case-no');
  const name = items.find(i => i.id === 'de-name') as DataElement;
  name.format = 'A..100';
  name.definition = '患者姓名';
  const age = items.find(i => i.id === 'de-age') as DataElement;
  items.push({ ...age, version: 2, workflowStatus: 'draft' });
  const ds = items.find(i => i.kind === 'dataset');
  if (ds?.kind === 'dataset') ds.inclusions.pop(); // drop the case_no inclusion
  return items;
}

describe('snapshots', () => {
  it('sorts by kind, identifier and version', () => {
    const items = allItems();
    const snap = createSnapshot([...items].reverse(), { createdAt: '2024-01-01T00:00:00Z' });
    assert.equal(snap.format, 'lingshu-snapshot/1');
    assert.equal(snap.createdAt, '2024-01-01T00:00:00Z');
    assert.deepEqual(
      snap.items.map(i => i.kind),
      [...Array(4).fill('value-domain'), ...Array(15).fill('data-element'), 'dataset'],
    );
    assert.deepEqual(
      snap.items.slice(0, 4).map(i => i.identifier),
      ['CV01.00.900', 'CV02.01.101', 'CV02.01.900', 'GB/T 2261.1'],
    );
  });

  it('filters by namespace', () => {
    const other = { ...sexDomain(), id: 'local-sex', namespace: 'dazhou' };
    const snap = createSnapshot([...allItems(), other], { namespace: 'dazhou' });
    assert.equal(snap.namespace, 'dazhou');
    assert.deepEqual(
      snap.items.map(i => i.id),
      ['local-sex'],
    );
  });

  it('hashes independently of item order and key order', () => {
    const items = allItems();
    const hash = hashSnapshotItems(items);
    assert.match(hash, /^[0-9a-f]{64}$/);
    assert.equal(hashSnapshotItems([...items].reverse().map(reversedKeys)), hash);
  });

  it('hash changes with content', () => {
    const items = allItems();
    (items[0] as { name: string }).name = 'changed';
    assert.notEqual(hashSnapshotItems(items), hashSnapshotItems(allItems()));
  });
});

describe('diff and apply', () => {
  const a = createSnapshot(allItems(), { createdAt: 'a' });
  const b = createSnapshot(changedItems(), { createdAt: 'b' });

  it('lists adds, updates and removes in reference order', () => {
    const list = diffSnapshots(a, b);
    assert.equal(list.format, 'lingshu-changes/1');
    assert.equal(list.baseHash, hashSnapshotItems(a.items));
    assert.equal(list.targetHash, hashSnapshotItems(b.items));
    assert.deepEqual(
      list.changes.map(c => `${c.op} ${c.kind} ${c.id}@${c.version}`),
      [
        'add data-element de-age@2',
        'update data-element de-name@1',
        'update dataset ds-discharge@1',
        'remove value-domain vd-case-no@1',
      ],
    );
  });

  it('names the changed fields of updates', () => {
    const update = diffSnapshots(a, b).changes[1];
    assert.deepEqual(update.fields, ['definition', 'format']);
    assert.equal((update.before as DataElement).format, 'A..50');
    assert.equal((update.after as DataElement).format, 'A..100');
  });

  it('removes datasets before the elements they use', () => {
    const list = diffSnapshots(
      b,
      createSnapshot(allItems().filter(i => i.kind === 'value-domain')),
    );
    const removals = list.changes.filter(c => c.op === 'remove').map(c => c.kind);
    assert.deepEqual([...new Set(removals)], ['dataset', 'data-element']);
  });

  it('applying diff(a, b) to a gives b', () => {
    const result = applyChangeList(a.items, diffSnapshots(a, b));
    assert.equal(hashSnapshotItems(result), hashSnapshotItems(b.items));
    assert.deepEqual(result, b.items);
  });

  it('an empty diff applies as a no-op', () => {
    const list = diffSnapshots(a, a);
    assert.deepEqual(list.changes, []);
    assert.equal(hashSnapshotItems(applyChangeList(a.items, list)), list.baseHash);
  });

  it('refuses a stale change list', () => {
    const list = diffSnapshots(a, b);
    assert.throws(
      () => applyChangeList(b.items, list),
      (e: unknown) => {
        assert.ok(e instanceof StaleChangeListError);
        assert.equal(e.expected, list.baseHash);
        assert.equal(e.actual, hashSnapshotItems(b.items));
        return true;
      },
    );
  });

  it('reports conflicting changes', () => {
    const list = diffSnapshots(a, b);
    const add = list.changes.find(c => c.op === 'add');
    const remove = list.changes.find(c => c.op === 'remove');
    assert.ok(add && remove);
    const addTwice = { ...list, changes: [...list.changes, add] };
    assert.throws(() => applyChangeList(a.items, addTwice), /already exists/);
    assert.throws(() => applyChangeList(a.items, addTwice), ChangeConflictError);
    const removeMissing = { ...list, changes: [...list.changes, remove] };
    assert.throws(() => applyChangeList(a.items, removeMissing), /does not exist/);
  });

  it('detects a change list whose changes do not reach the target', () => {
    const list = diffSnapshots(a, b);
    assert.throws(
      () => applyChangeList(a.items, { ...list, changes: list.changes.slice(1) }),
      /not the target/,
    );
  });
});
