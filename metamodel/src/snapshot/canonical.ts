import { createHash } from 'node:crypto';
import { ItemKind, MetadataItem } from '../kinds';

/** JSON with object keys sorted recursively; undefined members are dropped as JSON.stringify does. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    return text === undefined ? 'null' : text;
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const record = value as Record<string, unknown>;
  const members = Object.keys(record)
    .filter(key => record[key] !== undefined && typeof record[key] !== 'function')
    .sort()
    .map(key => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
  return `{${members.join(',')}}`;
}

/** Referenced kinds first, so an item never precedes what it points to. */
export const KIND_ORDER: Record<ItemKind, number> = {
  'value-domain': 0,
  'data-element': 1,
  dataset: 2,
  screen: 3,
};

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareItems(a: MetadataItem, b: MetadataItem): number {
  return (
    KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
    compareText(a.identifier, b.identifier) ||
    a.version - b.version ||
    compareText(a.id, b.id)
  );
}

/** Items with their canonical JSON in deterministic order: kind, identifier, version, id, content. */
function canonicalEntries(items: readonly MetadataItem[]): { item: MetadataItem; json: string }[] {
  return items
    .map(item => ({ item, json: canonicalJson(item) }))
    .sort((a, b) => compareItems(a.item, b.item) || compareText(a.json, b.json));
}

export function sortItems(items: readonly MetadataItem[]): MetadataItem[] {
  return canonicalEntries(items).map(entry => entry.item);
}

/** SM3 (GB/T 32905) hex digest of the canonical JSON of the items in deterministic order. */
export function hashSnapshotItems(items: MetadataItem[]): string {
  const json = canonicalEntries(items).map(entry => entry.json);
  return createHash('sm3')
    .update(`[${json.join(',')}]`, 'utf8')
    .digest('hex');
}

/** The key of an item version. */
export function versionKey(item: { id: string; version: number }): string {
  return `${item.id}@${item.version}`;
}
