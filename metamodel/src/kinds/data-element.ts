import { ItemHeader } from './common';

/** WS/T 363 data types. */
export type DataType = 'S1' | 'S2' | 'S3' | 'L' | 'N' | 'D' | 'DT' | 'T' | 'BY';
export const DATA_TYPES: readonly DataType[] = ['S1', 'S2', 'S3', 'L', 'N', 'D', 'DT', 'T', 'BY'];

/** Extra checks an element can ask for on its values. */
export type ElementCheck = 'gb11643' | 'gb32100';

export interface DataElement extends ItemHeader {
  kind: 'data-element';
  /** e.g. DE02.01.039.00 */
  identifier: string;
  dataType: DataType;
  /** WS representation format such as `AN..50`, `N1..3`, `N..6,2`, `D8`, `DT15`. */
  format: string;
  /** Stable id of the value domain (required for S3; optional for S2). */
  valueDomainId?: string;
  unit?: string;
  synonyms?: string[];
  checks?: ElementCheck[];
  /** Sensitivity level 0 (public) … 4 (highly sensitive); used by the security core. */
  sensitivity?: number;
  /**
   * Stored encrypted at rest (SM4 + HMAC-SM3) with a blind index for equality search. Only for
   * S1 text: an encrypted value can be found by equality but not ranged, sorted or matched.
   */
  encrypted?: boolean;
}
