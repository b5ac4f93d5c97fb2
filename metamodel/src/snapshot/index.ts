export { type Snapshot, createSnapshot } from './snapshot';
export { hashSnapshotItems } from './canonical';
export {
  type Change,
  type ChangeList,
  diffSnapshots,
  applyChangeList,
  StaleChangeListError,
  ChangeConflictError,
} from './changes';
