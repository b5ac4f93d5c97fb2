import { ItemKind, MetadataItem } from '../kinds';
import {
  KIND_ORDER,
  canonicalJson,
  compareItems,
  hashSnapshotItems,
  sortItems,
  versionKey,
} from './canonical';
import { Snapshot } from './snapshot';

export interface Change {
  op: 'add' | 'update' | 'remove';
  kind: ItemKind;
  id: string;
  version: number;
  identifier: string;
  before?: MetadataItem;
  after?: MetadataItem;
  /** Changed top-level fields, for updates. */
  fields?: string[];
}

export interface ChangeList {
  format: 'lingshu-changes/1';
  baseHash: string;
  targetHash: string;
  changes: Change[];
}

/** The items no longer hash to the base the change list was made against. */
export class StaleChangeListError extends Error {
  constructor(readonly expected: string, readonly actual: string) {
    super(`the change list was made against ${expected} but the items hash to ${actual}`);
    this.name = 'StaleChangeListError';
  }
}

/** A change does not fit the items: an add of an existing version, or an update/remove of a missing one. */
export class ChangeConflictError extends Error {
  constructor(message: string, readonly change?: Change) {
    super(message);
    this.name = 'ChangeConflictError';
  }
}

function byKey(items: MetadataItem[]): Map<string, MetadataItem> {
  return new Map(items.map(item => [versionKey(item), item]));
}

function changedFields(before: MetadataItem, after: MetadataItem): string[] {
  const a = before as unknown as Record<string, unknown>;
  const b = after as unknown as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys.filter(key => canonicalJson(a[key]) !== canonicalJson(b[key]));
}

function change(op: Change['op'], item: MetadataItem, extra: Partial<Change>): Change {
  return {
    op,
    kind: item.kind,
    id: item.id,
    version: item.version,
    identifier: item.identifier,
    ...extra,
  };
}

/**
 * Changes that turn `from` into `to`, keyed by (id, version). Adds and updates come in reference
 * order (value domains, elements, datasets); removals follow, datasets first.
 */
export function diffSnapshots(from: Snapshot, to: Snapshot): ChangeList {
  const before = byKey(from.items);
  const after = byKey(to.items);
  const upserts: Change[] = [];
  for (const item of sortItems(to.items)) {
    const old = before.get(versionKey(item));
    if (old === undefined) upserts.push(change('add', item, { after: item }));
    else if (canonicalJson(old) !== canonicalJson(item)) {
      upserts.push(
        change('update', item, { before: old, after: item, fields: changedFields(old, item) }),
      );
    }
  }
  const removals = sortItems(from.items.filter(item => !after.has(versionKey(item))))
    .sort((a, b) => KIND_ORDER[b.kind] - KIND_ORDER[a.kind] || compareItems(a, b))
    .map(item => change('remove', item, { before: item }));
  return {
    format: 'lingshu-changes/1',
    baseHash: hashSnapshotItems(from.items),
    targetHash: hashSnapshotItems(to.items),
    changes: [...upserts, ...removals],
  };
}

function applyOne(current: Map<string, MetadataItem>, c: Change): void {
  const key = `${c.id}@${c.version}`;
  const exists = current.has(key);
  if (c.op === 'add' && exists)
    throw new ChangeConflictError(
      `cannot add ${c.kind} ${c.identifier} v${c.version}: it already exists`,
      c,
    );
  if (c.op !== 'add' && !exists)
    throw new ChangeConflictError(
      `cannot ${c.op} ${c.kind} ${c.identifier} v${c.version}: it does not exist`,
      c,
    );
  if (c.op === 'remove') current.delete(key);
  else if (c.after === undefined)
    throw new ChangeConflictError(
      `${c.op} of ${c.kind} ${c.identifier} v${c.version} carries no item`,
      c,
    );
  else current.set(key, c.after);
}

/**
 * Applies a change list to the items it was made against and returns the new items in
 * deterministic order. Checks the base hash first and the target hash last.
 */
export function applyChangeList(items: MetadataItem[], list: ChangeList): MetadataItem[] {
  const actual = hashSnapshotItems(items);
  if (actual !== list.baseHash) throw new StaleChangeListError(list.baseHash, actual);
  const current = byKey(items);
  for (const c of list.changes) applyOne(current, c);
  const result = sortItems([...current.values()]);
  const reached = hashSnapshotItems(result);
  if (reached !== list.targetHash) {
    throw new ChangeConflictError(
      `applying the changes gives ${reached}, not the target ${list.targetHash}`,
    );
  }
  return result;
}
