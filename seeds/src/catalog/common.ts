import type {
  DataElement,
  DataType,
  ElementCheck,
  EnumeratedValueDomain,
  ItemHeader,
  ItemKind,
  PermissibleValue,
  RegistrationStatus,
} from '@lingshu/metamodel';
import { stableId } from '../ids';

/** Namespace of the national standards (WS/T, GB, GB/T). */
export const WS = 'ws';
/** Namespace of Dazhou's regional (local) extensions and code tables. */
export const DAZHOU = 'dazhou';

const STANDARD = 5 as RegistrationStatus.Standard;

interface Authority {
  steward: string;
  registrations: ItemHeader['registrations'];
}

const AUTHORITIES: Record<string, Authority> = {
  [WS]: {
    steward: '国家卫生健康委统计信息中心',
    registrations: [{ authority: 'NHC', status: STANDARD }],
  },
  [DAZHOU]: {
    steward: '达州市卫生健康委员会',
    registrations: [{ authority: 'DZWJW', status: STANDARD }],
  },
};

export const SUBMITTER = 'lingshu-seeds';

export function itemHeader<K extends ItemKind>(
  kind: K,
  namespace: string,
  identifier: string,
  name: string,
  definition: string,
  extra: { origin?: string; comments?: string } = {},
): ItemHeader & { kind: K } {
  const authority = AUTHORITIES[namespace];
  if (!authority) throw new Error(`no authority for namespace ${namespace}`);
  return {
    id: stableId(kind, namespace, identifier),
    kind,
    namespace,
    identifier,
    version: 1,
    name,
    definition,
    steward: authority.steward,
    submitter: SUBMITTER,
    ...(extra.origin ? { origin: extra.origin } : {}),
    ...(extra.comments ? { comments: extra.comments } : {}),
    registrations: authority.registrations?.map(r => ({ ...r })),
    workflowStatus: 'published',
  };
}

export const valueDomainId = (identifier: string, namespace: string = WS): string =>
  stableId('value-domain', namespace, identifier);
export const dataElementId = (identifier: string, namespace: string = WS): string =>
  stableId('data-element', namespace, identifier);
export const datasetId = (identifier: string, namespace: string = WS): string =>
  stableId('dataset', namespace, identifier);

/** [code, meaning] pairs to permissible values with 1-based order. */
export function values(pairs: ReadonlyArray<readonly [string, string]>): PermissibleValue[] {
  return pairs.map(([code, meaning], i) => ({ code, meaning, order: i + 1 }));
}

export interface DomainSpec {
  namespace?: string;
  identifier: string;
  name: string;
  definition: string;
  oid?: string;
  origin?: string;
  comments?: string;
  values: PermissibleValue[];
}

export function enumeratedDomain(spec: DomainSpec): EnumeratedValueDomain {
  const ns = spec.namespace ?? WS;
  return {
    ...itemHeader('value-domain', ns, spec.identifier, spec.name, spec.definition, spec),
    type: 'enumerated',
    ...(spec.oid ? { oid: spec.oid } : {}),
    values: spec.values,
  };
}

export interface ElementSpec {
  namespace?: string;
  identifier: string;
  name: string;
  definition: string;
  dataType: DataType;
  format: string;
  /** Identifier (not id) of the value domain; resolved with its namespace. */
  domain?: string;
  domainNamespace?: string;
  unit?: string;
  synonyms?: string[];
  checks?: ElementCheck[];
  sensitivity: number;
  encrypted?: boolean;
  comments?: string;
  origin?: string;
}

export function dataElement(spec: ElementSpec): DataElement {
  const ns = spec.namespace ?? WS;
  const element: DataElement = {
    ...itemHeader('data-element', ns, spec.identifier, spec.name, spec.definition, spec),
    dataType: spec.dataType,
    format: spec.format,
    sensitivity: spec.sensitivity,
  };
  if (spec.domain) element.valueDomainId = valueDomainId(spec.domain, spec.domainNamespace ?? WS);
  if (spec.unit) element.unit = spec.unit;
  if (spec.synonyms) element.synonyms = spec.synonyms;
  if (spec.checks) element.checks = spec.checks;
  if (spec.encrypted) element.encrypted = true;
  return element;
}
