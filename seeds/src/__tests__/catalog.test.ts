import assert from 'node:assert/strict';
import type { DataElement, Dataset, EnumeratedValueDomain, MetadataItem, Screen, ValueDomain } from '@lingshu/metamodel';
import { validateItem } from '@lingshu/metamodel';
import { DRUGS, EXAM_ABNORMAL, EXAM_ITEMS, LAB_ITEMS } from '../catalog/local-codes';
import { DIAGNOSES } from '../demo/clinical';
import { DATASET_CODES, UNVERIFIED_IDENTIFIERS, dataElementId, starterCatalog, valueDomainId } from '../index';

const catalog = starterCatalog();
const domains = catalog.filter((i): i is ValueDomain => i.kind === 'value-domain');
const elements = catalog.filter((i): i is DataElement => i.kind === 'data-element');
const datasets = catalog.filter((i): i is Dataset => i.kind === 'dataset');
const domainById = new Map(domains.map(d => [d.id, d]));
const elementById = new Map(elements.map(e => [e.id, e]));

function enumerated(identifier: string, namespace = 'ws'): EnumeratedValueDomain {
  const d = domainById.get(valueDomainId(identifier, namespace));
  assert.ok(d, `value domain ${identifier} is missing`);
  assert.equal(d.type, 'enumerated');
  return d as EnumeratedValueDomain;
}

describe('seeds: starter catalog', () => {
  it('has at least 60 data elements, 12 value domains and 6 datasets', () => {
    assert.ok(elements.length >= 60, `${elements.length} elements`);
    assert.ok(domains.length >= 12, `${domains.length} value domains`);
    assert.ok(datasets.length >= 6, `${datasets.length} datasets`);
  });

  it('lists value domains, then elements, then datasets, then screens', () => {
    const order = catalog.map(i => ['value-domain', 'data-element', 'dataset', 'screen'].indexOf(i.kind));
    assert.ok(!order.includes(-1));
    assert.deepEqual(order, [...order].sort((a, b) => a - b));
  });

  it('has unique ids and unique (namespace, identifier, version)', () => {
    assert.equal(new Set(catalog.map(i => i.id)).size, catalog.length);
    const scoped = catalog.map(i => `${i.kind}|${i.namespace}|${i.identifier}|${i.version}`);
    assert.equal(new Set(scoped).size, catalog.length);
  });

  it('is stable across calls and returns fresh objects', () => {
    const again = starterCatalog();
    assert.deepEqual(again, catalog);
    assert.notEqual(again[0], catalog[0]);
    (again[0] as { name: string }).name = 'changed';
    assert.notEqual(starterCatalog()[0].name, 'changed');
  });

  it('publishes every item at version 1 with a steward and a Standard registration', () => {
    for (const item of catalog as MetadataItem[]) {
      assert.equal(item.workflowStatus, 'published', item.identifier);
      assert.equal(item.version, 1, item.identifier);
      assert.ok(['ws', 'dazhou'].includes(item.namespace), item.identifier);
      assert.ok(item.steward && item.definition, item.identifier);
      assert.equal(item.registrations?.[0]?.status, 5, item.identifier);
      assert.equal(item.registrations?.[0]?.authority, item.namespace === 'ws' ? 'NHC' : 'DZWJW');
    }
  });

  it('keeps national items in ws and flags local code tables in dazhou', () => {
    const local = catalog.filter(i => i.namespace === 'dazhou' && i.kind !== 'screen').map(i => i.identifier).sort();
    assert.deepEqual(local, [
      'CV99.04.001',
      'CV99.04.002',
      'CV99.08.001',
      'DE02.01.009.03.901',
      'DE04.30.019.00.901',
      'DE04.30.019.00.902',
      'DE08.50.022.00.901',
    ]);
    for (const id of local) assert.ok(UNVERIFIED_IDENTIFIERS.includes(id), `${id} is listed as local/unverified`);
    assert.ok(datasets.every(d => d.namespace === 'ws'));
  });

  it('has the four case-query screens, each valid and searching persons by ID number or name', () => {
    const screens = catalog.filter((i): i is Screen => i.kind === 'screen');
    assert.deepEqual(screens.map(s => s.name), ['门诊诊疗信息', '住院诊疗信息', '检验信息', '检查信息']);
    const lookup = {
      element: (id: string) => elementById.get(id),
      valueDomain: (id: string) => domainById.get(id),
      dataset: (ref: { id?: string; code?: string }) => datasets.find(d => d.id === ref.id),
    };
    for (const s of screens) {
      assert.equal(s.namespace, 'dazhou');
      assert.deepEqual(validateItem(s, lookup), [], s.name);
      const person = s.list.filters[0];
      assert.deepEqual(person.anyOf?.map(a => a.field), ['id_number', 'patient_name']);
      assert.equal(s.menu?.group, '病例查询');
    }
  });

  it('has GB/T 2261.1 sex codes with the WS value-set OID', () => {
    const sex = enumerated('GB/T 2261.1-2003');
    assert.equal(sex.oid, '2.16.156.10011.2.3.3.4');
    assert.deepEqual(sex.values.map(v => v.code), ['0', '1', '2', '5', '6', '9']);
    assert.equal(sex.values[1].meaning, '男性');
  });

  it('has the 56 nationalities of GB 3304 in the standard order', () => {
    const nat = enumerated('GB 3304-1991');
    assert.equal(nat.values.length, 56);
    assert.deepEqual(nat.values.map(v => v.code), Array.from({ length: 56 }, (_, i) => String(i + 1).padStart(2, '0')));
    assert.equal(nat.values[0].meaning, '汉族');
    assert.equal(nat.values[14].meaning, '土家族');
    assert.equal(nat.values[32].meaning, '羌族');
    assert.equal(nat.values[55].meaning, '基诺族');
    assert.equal(new Set(nat.values.map(v => v.meaning)).size, 56);
    assert.deepEqual(nat.values.map(v => v.order), Array.from({ length: 56 }, (_, i) => i + 1));
  });

  it('has the Sichuan divisions of GB/T 2260 including Dazhou and its 7 counties', () => {
    const div = enumerated('GB/T 2260-2007');
    const byCode = new Map(div.values.map(v => [v.code, v.meaning]));
    assert.equal(byCode.get('510000'), '四川省');
    assert.equal(byCode.get('510100'), '成都市');
    assert.equal(byCode.get('511700'), '达州市');
    const dazhou = div.values.filter(v => /^5117\d\d$/.test(v.code) && v.code !== '511700');
    assert.deepEqual(
      dazhou.map(v => `${v.code} ${v.meaning}`),
      ['511702 通川区', '511703 达川区', '511722 宣汉县', '511723 开江县', '511724 大竹县', '511725 渠县', '511781 万源市'],
    );
    const prefectures = div.values.filter(v => /^51\d\d00$/.test(v.code) && v.code !== '510000');
    assert.equal(prefectures.length, 21);
    assert.ok(div.values.length > 150, `${div.values.length} divisions`);
    assert.ok(div.values.every(v => /^51\d{4}$/.test(v.code)));
  });

  it('has the other national code tables of the brief', () => {
    assert.deepEqual(enumerated('GB/T 2261.2-2003').values.map(v => v.code), ['10', '20', '21', '22', '23', '30', '40', '90']);
    assert.deepEqual(enumerated('CV02.01.101').values.map(v => v.code), ['01', '02', '03', '04', '05', '06', '07', '99']);
    assert.deepEqual(enumerated('CV04.50.005').values.map(v => v.meaning), ['A型', 'B型', 'O型', 'AB型', '不详']);
    assert.deepEqual(enumerated('CV04.50.020').values.map(v => v.meaning), ['阴性', '阳性', '不详']);
    assert.deepEqual(enumerated('CV06.00.226').values.map(v => v.code), ['1', '2', '3', '4', '5', '9']);
    assert.deepEqual(enumerated('CV09.00.403').values.map(v => v.meaning), ['门诊', '急诊', '其他医疗机构转入', '其他']);
    const ws218 = enumerated('WS 218-2002').values.map(v => v.code);
    for (const code of ['A100', 'A210', 'A300', 'B100', 'C210', 'D600']) assert.ok(ws218.includes(code), code);
  });

  it('has an ICD-10 subset of at least 60 codes with Chinese names', () => {
    const icd = enumerated('GB/T 14396-2016');
    assert.ok(icd.values.length >= 60);
    const byCode = new Map(icd.values.map(v => [v.code, v.meaning]));
    assert.equal(byCode.get('I10'), '特发性(原发性)高血压');
    assert.equal(byCode.get('E11.9'), '2型糖尿病不伴有并发症');
    assert.equal(byCode.get('J06.9'), '急性上呼吸道感染');
    assert.ok(icd.values.every(v => /^[A-Z]\d{2}(\.\d{1,2})?$/.test(v.code) && /[\u4e00-\u9fa5]/.test(v.meaning)));
  });

  it('has local drug, lab-item and exam-item catalogues', () => {
    assert.ok(enumerated('CV99.08.001', 'dazhou').values.length >= 30);
    assert.ok(enumerated('CV99.04.001', 'dazhou').values.length >= 20);
    assert.ok(enumerated('CV99.04.002', 'dazhou').values.length >= 10);
  });

  it('gives permissible values code, meaning and 1-based order', () => {
    for (const d of domains) {
      if (d.type !== 'enumerated') continue;
      assert.equal(new Set(d.values.map(v => v.code)).size, d.values.length, d.identifier);
      d.values.forEach((v, i) => assert.equal(v.order, i + 1, `${d.identifier} ${v.code}`));
    }
  });

  it('binds every S3 element to an existing value domain', () => {
    for (const e of elements) {
      if (e.dataType === 'S3') assert.ok(e.valueDomainId && domainById.has(e.valueDomainId), e.identifier);
      if (e.valueDomainId) assert.ok(domainById.has(e.valueDomainId), e.identifier);
    }
  });

  it('has the key elements of the brief with their WS types and formats', () => {
    const el = (identifier: string): DataElement => {
      const e = elementById.get(dataElementId(identifier));
      assert.ok(e, identifier);
      return e;
    };
    assert.deepEqual([el('DE02.01.039.00').dataType, el('DE02.01.039.00').format], ['S1', 'A..50']);
    assert.deepEqual([el('DE02.01.040.00').dataType, el('DE02.01.040.00').format], ['S3', 'N1']);
    assert.equal(el('DE02.01.040.00').valueDomainId, valueDomainId('GB/T 2261.1-2003'));
    assert.deepEqual(el('DE02.01.030.00').checks, ['gb11643']);
    assert.equal(el('DE02.01.030.00').sensitivity, 3);
    assert.deepEqual([el('DE02.01.005.01').dataType, el('DE02.01.005.01').format], ['D', 'D8']);
    assert.deepEqual([el('DE02.01.026.00').dataType, el('DE02.01.026.00').format], ['N', 'N1..3']);
    assert.deepEqual([el('DE09.00.053.00').dataType, el('DE09.00.053.00').format], ['DT', 'DT15']);
    assert.equal(el('DE05.01.024.00').valueDomainId, valueDomainId('GB/T 14396-2016'));
    assert.deepEqual(el('DE08.10.052.00').checks, ['gb32100']);
    for (const id of ['DE02.01.039.00', 'DE02.01.010.00', 'DE02.01.009.06', 'DE02.01.030.00']) {
      assert.ok((el(id).sensitivity ?? 0) >= 2, `${id} is sensitive`);
    }
  });

  it('defines the six datasets with org_code, a mandatory primary key and the person id', () => {
    assert.deepEqual(datasets.map(d => d.code).sort(), [...DATASET_CODES].sort());
    for (const d of datasets) {
      const columns = d.inclusions.map(i => i.column);
      assert.equal(new Set(columns).size, columns.length, d.code);
      assert.ok(columns.every(c => /^[a-z][a-z0-9_]*$/.test(c)), d.code);
      assert.ok(columns.includes('org_code'), `${d.code} has org_code`);
      assert.ok(columns.includes('id_number'), `${d.code} has id_number`);
      const keys = d.inclusions.filter(i => i.primaryKey);
      assert.ok(keys.length >= 1, d.code);
      assert.ok(keys.every(k => k.obligation === 'M'), d.code);
      assert.ok(keys.some(k => k.column === 'org_code'), `${d.code} keys include org_code`);
      assert.deepEqual(d.inclusions.map(i => i.order), d.inclusions.map((_, i) => i + 1));
      for (const inc of d.inclusions) {
        assert.ok(elementById.has(inc.elementId), `${d.code}.${inc.column} element exists`);
        if (inc.obligation === 'C') assert.ok(inc.condition, `${d.code}.${inc.column} has a condition`);
        if (inc.internalId) assert.match(inc.internalId, /^HDSD\d{2}\.\d{2}\.\d{3}$/);
      }
      const orgCode = d.inclusions.find(i => i.column === 'org_code');
      assert.equal(orgCode?.elementId, dataElementId('DE08.10.052.00'));
    }
  });

  it('uses the WS 445 internal identifiers it knows (住院病案首页)', () => {
    const home = datasets.find(d => d.code === 'inpatient_homepage') as Dataset;
    const byColumn = new Map(home.inclusions.map(i => [i.column, i.internalId]));
    assert.equal(byColumn.get('patient_name'), 'HDSD00.11.110');
    assert.equal(byColumn.get('discharge_disposition_code'), 'HDSD00.11.057');
    assert.equal(byColumn.get('main_diagnosis_code'), 'HDSD00.11.023');
  });

  it('keeps the generator knowledge consistent with the catalog', () => {
    const icd = new Set(enumerated('GB/T 14396-2016').values.map(v => v.code));
    const drugs = new Set(DRUGS.map(d => d.code));
    const exams = new Set(EXAM_ITEMS.map(x => x.code));
    for (const dx of DIAGNOSES) {
      assert.ok(icd.has(dx.code), dx.code);
      for (const d of dx.drugs ?? []) assert.ok(drugs.has(d), `${dx.code} ${d}`);
      for (const x of dx.exams ?? []) assert.ok(exams.has(x), `${dx.code} ${x}`);
    }
    for (const [code, byDx] of Object.entries(EXAM_ABNORMAL)) {
      assert.ok(exams.has(code), code);
      for (const dx of Object.keys(byDx)) assert.ok(icd.has(dx), `${code} ${dx}`);
    }
    for (const l of LAB_ITEMS) assert.ok(l.ref[0] <= l.ref[1], l.code);
  });
});
