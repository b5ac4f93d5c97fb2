import { MetadataItem } from '../kinds';
import { sortItems } from './canonical';

export const SNAPSHOT_FORMAT = 'lingshu-snapshot/1';

/** A set of item versions (an item id may appear with several versions). */
export interface Snapshot {
  format: 'lingshu-snapshot/1';
  namespace?: string;
  createdAt: string;
  items: MetadataItem[];
}

export function createSnapshot(
  items: MetadataItem[],
  options: { namespace?: string; createdAt?: string } = {},
): Snapshot {
  const { namespace } = options;
  const selected =
    namespace === undefined ? items : items.filter(item => item.namespace === namespace);
  const snapshot: Snapshot = {
    format: SNAPSHOT_FORMAT,
    createdAt: options.createdAt ?? new Date().toISOString(),
    items: sortItems(selected),
  };
  if (namespace !== undefined) snapshot.namespace = namespace;
  return snapshot;
}
