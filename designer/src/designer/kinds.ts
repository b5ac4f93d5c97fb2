import { MessageKey } from '../shell/messages';

export type Kind = 'data-element' | 'value-domain' | 'dataset';
export type Status = 'draft' | 'review' | 'published' | 'superseded' | 'retired';
export type Action = 'submit' | 'withdraw' | 'publish' | 'retire';

/** URL segment (as the API names it) ↔ kind. */
export const KIND_BY_SLUG: Record<string, Kind> = { 'data-elements': 'data-element', 'value-domains': 'value-domain', datasets: 'dataset' };
export const SLUG: Record<Kind, string> = { 'data-element': 'data-elements', 'value-domain': 'value-domains', dataset: 'datasets' };
export const MENU_LABEL: Record<Kind, MessageKey> = { 'data-element': 'menu.dataElements', 'value-domain': 'menu.valueDomains', dataset: 'menu.datasets' };

export const STATUSES: Status[] = ['draft', 'review', 'published', 'superseded', 'retired'];
export const STATUS_COLOR: Record<Status, string> = { draft: 'default', review: 'processing', published: 'success', superseded: 'warning', retired: 'error' };

export interface PermissibleValue {
  code: string;
  meaning: string;
  order?: number;
  validFrom?: string;
  validTo?: string;
}

export interface Inclusion {
  elementId: string;
  internalId?: string;
  localName?: string;
  column: string;
  obligation: 'M' | 'C' | 'O';
  condition?: string;
  maxOccurs?: number;
  order: number;
  group?: string;
  primaryKey?: boolean;
}

/** An item version as the metadata API presents it. */
export interface Item {
  id: string;
  kind: Kind;
  namespace: string;
  identifier: string;
  version: number;
  name: string;
  definition?: string;
  steward?: string;
  submitter?: string;
  comments?: string;
  origin?: string;
  workflowStatus: Status;
  // data element
  dataType?: string;
  format?: string;
  valueDomainId?: string;
  unit?: string;
  sensitivity?: number;
  checks?: string[];
  synonyms?: string[];
  // value domain
  type?: 'enumerated' | 'described';
  oid?: string;
  values?: PermissibleValue[];
  minimum?: number;
  maximum?: number;
  pattern?: string;
  // dataset
  code?: string;
  inclusions?: Inclusion[];
  _meta: { createdBy: string; createdAt: string; updatedAt: string; publishedAt: string | null; allowedActions: Action[] };
}

/**
 * WS/T 363 parts by the data element identifier's class and subclass (DEcc.ss…). The part
 * numbers follow the standard's 17 parts; the class → part mapping is inferred from the
 * identifiers in WS 445/365 tables (e.g. DE04.50 laboratory, DE08.10 institution).
 */
const PARTS: Array<{ prefix: string; part: number; zh: string; en: string }> = [
  { prefix: 'DE01', part: 2, zh: '标识', en: 'Identification' },
  { prefix: 'DE02', part: 3, zh: '人口学及社会经济学特征', en: 'Demographic and socio-economic' },
  { prefix: 'DE03', part: 4, zh: '健康史', en: 'Health history' },
  { prefix: 'DE04.01', part: 6, zh: '主诉与症状', en: 'Chief complaint and symptoms' },
  { prefix: 'DE04.10', part: 7, zh: '体格检查', en: 'Physical examination' },
  { prefix: 'DE04.30', part: 8, zh: '临床辅助检查', en: 'Clinical auxiliary examination' },
  { prefix: 'DE04.50', part: 9, zh: '实验室检查', en: 'Laboratory examination' },
  { prefix: 'DE05.01', part: 10, zh: '医学诊断', en: 'Medical diagnosis' },
  { prefix: 'DE05.10', part: 11, zh: '医学评估', en: 'Medical assessment' },
  { prefix: 'DE06', part: 12, zh: '计划与干预', en: 'Plans and interventions' },
  { prefix: 'DE07', part: 13, zh: '卫生费用', en: 'Health expenditure' },
  { prefix: 'DE08.10', part: 14, zh: '卫生机构', en: 'Health institutions' },
  { prefix: 'DE08.30', part: 15, zh: '卫生人员', en: 'Health personnel' },
  { prefix: 'DE08.50', part: 16, zh: '药品与医疗器械', en: 'Drugs and medical devices' },
  { prefix: 'DE09', part: 17, zh: '卫生管理', en: 'Health management' },
];

export interface PartInfo {
  key: string;
  part: number | null;
  zh: string;
  en: string;
}

export function partOf(identifier: string): PartInfo {
  const hit = PARTS.filter(p => identifier.startsWith(p.prefix)).sort((a, b) => b.prefix.length - a.prefix.length)[0];
  return hit ? { key: `part-${hit.part}`, part: hit.part, zh: hit.zh, en: hit.en } : { key: 'part-other', part: null, zh: '', en: '' };
}

/** Strips what the server owns and Formily's row index before a save. */
export function toBody(values: Record<string, unknown>): Record<string, unknown> {
  const clean = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(clean);
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        if (k === '__DO_NOT_USE_THIS_PROPERTY_index__' || x === undefined || x === null || x === '') continue;
        out[k] = clean(x);
      }
      return out;
    }
    return v;
  };
  const body = clean(values) as Record<string, unknown>;
  for (const k of ['id', 'kind', 'version', 'workflowStatus', '_meta']) delete body[k];
  return body;
}
