import type { MetadataItem, ValueDomain } from '@lingshu/metamodel';
import { creditCodeDomain, sichuanDivisionDomain } from './divisions';
import { datasets } from './datasets';
import { dataElements } from './elements';
import { icd10Domain } from './icd10';
import { localCodeDomains } from './local-codes';
import { nationalValueDomains } from './value-domains';
import { caseScreens } from './screens';

export * from './common';
export * from './datasets';
export * from './divisions';
export * from './elements';
export * from './icd10';
export * from './local-codes';
export * from './value-domains';
export * from './screens';

/*
 * UNVERIFIED_IDENTIFIERS — identifiers, names or formats not read in the standard texts
 * themselves. Data-element identifiers and names were cross-checked against public third-party
 * implementations of WS 445 / WS/T 500 (CDA templates, a WS 363 element table, a 病案首页 upload
 * mapping); the items below are the ones a reviewer should check against WS/T 363, WS/T 364 and
 * WS 445:
 *
 *   CV09.00.404        患者类型代码表: identifier seen in a vendor dictionary; values (1 门诊, 2 急诊,
 *                      3 住院, 9 其他) recalled, not read.
 *   CV06.00.102        用药途径代码表: identifier and codes (1-6, 9, 401-404) from memory.
 *   CV06.00.226        离院方式代码表 and CV09.00.403 入院途径代码表: identifiers from vendor code
 *                      citing WS 445 appendices; codes as printed on the 住院病案首页.
 *   CV04.50.005/.020   ABO / Rh(D) codes: the brief's values (the 病案首页 form adds 6 未查 / 4 未查).
 *   WS 218-2002        G110 妇幼保健院, and B200, C100, C210, C220: codes recalled, not read.
 *   DE08.10.052.00     format AN..22 (a third-party WS 363 table gives AN10, the old 9-character
 *                      organization code); this catalog binds it to GB 32100 18-character codes.
 *   DE01.00.018.00     name 检查(检验)报告单编号 (tables list 检查报告单编号 and a 检验 variant).
 *   DE01.00.020.00     format AN..30 (third-party table: N 30).
 *   DE04.30.016.00, DE08.50.043.00
 *                      format AN..20 (third-party table: A 20, which would forbid the digits of
 *                      "mmol/L" or "0.25g").
 *   DE04.50.131.00/.132.00
 *                      format AN..1000 (third-party table: AN 200).
 *   DE04.10.118.00     name 脉率(次/min) (third-party table: 脉搏).
 *   DE06.00.136.00     关键药物用法, used for a prescription line's 用法.
 *   DE02.10.027.00     检查(检验)方法名称 (seen in CDA templates only).
 *   HDSD00.02.*        internal ids of person_basic from a noisy transcription of WS 445.1.
 *   HDSD00.11.*        internal ids of inpatient_homepage from a vendor's 病案首页 upload mapping.
 *   WS445.pp.ss        dataset identifiers are a Lingshu convention (standard part . subset).
 *   CV99.04.001, CV99.04.002, CV99.08.001
 *                      LOCAL code tables (namespace dazhou) in the CV99 range vendors use locally.
 *   DE02.01.009.03.901, DE04.30.019.00.901, DE04.30.019.00.902, DE08.50.022.00.901
 *                      LOCAL element extensions (namespace dazhou) assigned by this package.
 */
export const UNVERIFIED_IDENTIFIERS: readonly string[] = [
  'CV09.00.404',
  'CV06.00.102',
  'CV06.00.226',
  'CV09.00.403',
  'WS 218-2002#G110',
  'DE08.10.052.00#format',
  'DE01.00.018.00#name',
  'DE01.00.020.00#format',
  'DE04.30.016.00#format',
  'DE08.50.043.00#format',
  'DE04.50.131.00#format',
  'DE04.50.132.00#format',
  'DE04.10.118.00#name',
  'DE06.00.136.00',
  'DE02.10.027.00',
  'HDSD00.02.*',
  'HDSD00.11.*',
  'WS445.*',
  'CV99.04.001',
  'CV99.04.002',
  'CV99.08.001',
  'DE02.01.009.03.901',
  'DE04.30.019.00.901',
  'DE04.30.019.00.902',
  'DE08.50.022.00.901',
];

/** All value domains: national (ws) then local (dazhou). */
export function valueDomains(): ValueDomain[] {
  return [
    ...nationalValueDomains(),
    icd10Domain(),
    sichuanDivisionDomain(),
    creditCodeDomain(),
    ...localCodeDomains(),
  ];
}

/**
 * The starter catalog: value domains, then data elements, then datasets, then the case-query
 * screens, all published at version 1. A fresh array of fresh objects on every call (callers
 * may mutate their copy).
 */
export function starterCatalog(): MetadataItem[] {
  const domains = valueDomains();
  const elements = dataElements();
  const sets = datasets();
  return [...domains, ...elements, ...sets, ...caseScreens(sets, elements, domains)];
}
