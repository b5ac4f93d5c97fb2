import { DataElement } from './data-element';
import { Dataset } from './dataset';
import { ValueDomain } from './value-domain';

/**
 * A dataset version together with the exact element and value-domain versions it was published
 * against. Published versions are stored resolved, so they stay immutable and self-contained.
 */
export interface ResolvedDataset {
  dataset: Dataset;
  /** by element id */
  elements: Record<string, DataElement>;
  /** by value-domain id */
  valueDomains: Record<string, ValueDomain>;
}

export type MetadataItem = DataElement | import('./value-domain').ValueDomain | Dataset | import('./screen').Screen;
