import { ItemHeader } from './common';

export type Obligation = 'M' | 'C' | 'O';

export interface Inclusion {
  /** Stable id of the data element. */
  elementId: string;
  /** Dataset-local identifier such as HDSD00.09.029. */
  internalId?: string;
  /** Local name, e.g. 患者姓名 for DE02.01.039.00 姓名. */
  localName?: string;
  /** Column (and API property) name: lower snake case, stable unless deliberately renamed. */
  column: string;
  obligation: Obligation;
  /** Human-readable condition for obligation C. */
  condition?: string;
  /** 1 by default; >1 stores a JSON array. */
  maxOccurs?: number;
  order: number;
  /** Group / subset (子集) name. */
  group?: string;
  primaryKey?: boolean;
}

export interface Dataset extends ItemHeader {
  kind: 'dataset';
  /** e.g. HDSD00.09 or WS365.01 */
  identifier: string;
  /** API path segment and table suffix: /api/data/{code}. Lower snake case. */
  code: string;
  inclusions: Inclusion[];
}
