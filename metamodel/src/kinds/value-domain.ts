import { ItemHeader } from './common';
import { DataType } from './data-element';

export interface PermissibleValue {
  code: string;
  meaning: string;
  order?: number;
  validFrom?: string; // YYYY-MM-DD inclusive
  validTo?: string; // YYYY-MM-DD inclusive
}

interface ValueDomainBase extends ItemHeader {
  kind: 'value-domain';
  /** e.g. CV02.01.101 or GB/T 2261.1 */
  identifier: string;
  /** OID of the code system, e.g. 2.16.156.10011.2.3.3.4 */
  oid?: string;
}

export interface EnumeratedValueDomain extends ValueDomainBase {
  type: 'enumerated';
  values: PermissibleValue[];
}

export interface DescribedValueDomain extends ValueDomainBase {
  type: 'described';
  dataType: DataType;
  format?: string;
  minimum?: number;
  maximum?: number;
  /** ECMAScript regular expression the whole value must match. */
  pattern?: string;
  unit?: string;
}

export type ValueDomain = EnumeratedValueDomain | DescribedValueDomain;
