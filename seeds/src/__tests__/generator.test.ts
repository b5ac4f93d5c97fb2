import assert from 'node:assert/strict';
import type { Dataset, DataElement, EnumeratedValueDomain, ValueDomain } from '@lingshu/metamodel';
import { DATASET_CODES, demoDataPlan, generateRecords, person, starterCatalog } from '../index';
import { gb11643Ok, yearsBetween } from './helpers';

type Row = Record<string, unknown>;

const catalog = starterCatalog();
const datasets = new Map(catalog.filter((i): i is Dataset => i.kind === 'dataset').map(d => [d.code, d]));
const elements = new Map(catalog.filter((i): i is DataElement => i.kind === 'data-element').map(e => [e.id, e]));
const domains = new Map(catalog.filter((i): i is ValueDomain => i.kind === 'value-domain').map(d => [d.id, d]));

const rows = (code: string, count: number, options?: Parameters<typeof generateRecords>[2]): Row[] => [
  ...generateRecords(code, count, options),
];

const WINDOW = ['2024-01-01', '2026-10-31'];

describe('seeds: synthetic records', () => {
  const samples = new Map<string, Row[]>(DATASET_CODES.map(code => [code, rows(code, 300)]));

  it('is deterministic: the same seed gives identical rows', () => {
    for (const code of DATASET_CODES) {
      assert.deepEqual(rows(code, 300), samples.get(code), code);
      assert.deepEqual(rows(code, 50, { seed: 42 }), rows(code, 50, { seed: 42 }), code);
    }
  });

  it('differs between seeds', () => {
    for (const code of DATASET_CODES) {
      assert.notDeepEqual(rows(code, 20, { seed: 2 }), rows(code, 20, { seed: 3 }), code);
    }
  });

  it('concatenates startIndex windows to the same stream', () => {
    for (const code of DATASET_CODES) {
      const whole = rows(code, 120, { seed: 7 });
      const parts = [...rows(code, 50, { seed: 7 }), ...rows(code, 13, { seed: 7, startIndex: 50 }), ...rows(code, 57, { seed: 7, startIndex: 63 })];
      assert.deepEqual(parts, whole, code);
      // A late window does not depend on the rows before it.
      assert.deepEqual(rows(code, 5, { seed: 7, startIndex: 100_000 }), rows(code, 5, { seed: 7, startIndex: 100_000 }));
    }
  });

  it('is lazy and rejects unknown datasets and bad windows', () => {
    const it = generateRecords('person_basic', Number.MAX_SAFE_INTEGER - 10);
    assert.ok(it.next().value);
    assert.throws(() => [...generateRecords('no_such_dataset', 1)], /no synthetic data generator/);
    assert.throws(() => [...generateRecords('person_basic', 1, { startIndex: -1 })], RangeError);
    assert.equal(rows('person_basic', 0).length, 0);
  });

  it('uses only the dataset columns and fills every mandatory one', () => {
    for (const code of DATASET_CODES) {
      const ds = datasets.get(code) as Dataset;
      const columns = new Set(ds.inclusions.map(i => i.column));
      const mandatory = ds.inclusions.filter(i => i.obligation === 'M').map(i => i.column);
      for (const row of samples.get(code) as Row[]) {
        for (const key of Object.keys(row)) assert.ok(columns.has(key), `${code}.${key}`);
        for (const m of mandatory) assert.ok(row[m] !== undefined && row[m] !== null && row[m] !== '', `${code}.${m}`);
      }
    }
  });

  it('uses codes of the bound value domains', () => {
    for (const code of DATASET_CODES) {
      const ds = datasets.get(code) as Dataset;
      for (const inc of ds.inclusions) {
        const e = elements.get(inc.elementId) as DataElement;
        const d = e.valueDomainId ? domains.get(e.valueDomainId) : undefined;
        if (!d || d.type !== 'enumerated') continue;
        const allowed = new Set((d as EnumeratedValueDomain).values.map(v => v.code));
        for (const row of samples.get(code) as Row[]) {
          if (row[inc.column] !== undefined) assert.ok(allowed.has(row[inc.column] as string), `${code}.${inc.column}=${String(row[inc.column])}`);
        }
      }
    }
  });

  it('generates valid GB 11643 identity numbers whose sex digit matches sex_code', () => {
    for (const code of DATASET_CODES) {
      for (const row of samples.get(code) as Row[]) {
        const id = row.id_number as string;
        assert.ok(gb11643Ok(id), `${code} ${id}`);
        assert.match(id, /^5117(02|03|22|23|24|25|81)/);
        assert.equal(Number(id[16]) % 2 === 1 ? '1' : '2', row.sex_code, `${code} ${id}`);
        assert.equal(row.id_type_code, '01');
      }
    }
  });

  it('keeps birth dates, ages and event dates consistent', () => {
    for (const row of samples.get('person_basic') as Row[]) {
      const id = row.id_number as string;
      assert.equal(row.birth_date, `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`);
      assert.equal(row.county_code, id.slice(0, 6));
    }
    const birth = (row: Row): string => {
      const id = row.id_number as string;
      return `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
    };
    const checks: Array<[string, string]> = [
      ['outpatient_visit', 'visit_time'],
      ['inpatient_homepage', 'admission_time'],
      ['western_prescription', 'prescription_date'],
      ['lab_report', 'sampling_time'],
      ['exam_report', 'exam_date'],
    ];
    for (const [code, column] of checks) {
      for (const row of samples.get(code) as Row[]) {
        const on = (row[column] as string).slice(0, 10);
        assert.ok(on >= WINDOW[0] && on <= WINDOW[1], `${code} ${on}`);
        assert.equal(row.age, yearsBetween(birth(row), on), `${code} age`);
      }
    }
  });

  it('writes dates as YYYY-MM-DD and date-times as YYYY-MM-DDTHH:mm:ss', () => {
    for (const row of samples.get('inpatient_homepage') as Row[]) {
      assert.match(row.admission_time as string, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
      assert.ok((row.discharge_time as string) > (row.admission_time as string));
      const days = (Date.parse((row.discharge_time as string).slice(0, 10)) - Date.parse((row.admission_time as string).slice(0, 10))) / 86400000;
      assert.equal(row.length_of_stay, days);
      assert.ok((row.discharge_time as string).slice(0, 10) <= WINDOW[1]);
      assert.ok((row.self_pay_amount as number) < (row.total_cost as number));
    }
    for (const row of samples.get('person_basic') as Row[]) assert.match(row.birth_date as string, /^\d{4}-\d{2}-\d{2}$/);
  });

  it('generates plausible persons: phones, names, nationalities', () => {
    const persons = rows('person_basic', 2000);
    for (const p of persons) {
      assert.match(p.phone as string, /^1[3-9]\d{9}$/);
      assert.match(p.patient_name as string, /^[\u4e00-\u9fa5]{2,4}$/);
    }
    const han = persons.filter(p => p.ethnic_code === '01').length / persons.length;
    assert.ok(han > 0.97 && han < 1, `汉族 share ${han}`);
    const male = persons.filter(p => p.sex_code === '1').length / persons.length;
    assert.ok(male > 0.46 && male < 0.56, `male share ${male}`);
    const elderly = persons.filter(p => (p.birth_date as string) < '1964-01-01').length / persons.length;
    assert.ok(elderly > 0.15 && elderly < 0.35, `60+ share ${elderly}`);
  });

  it('never repeats an identity number in a large population', () => {
    const seen = new Set<string>();
    for (let k = 0; k < 60_000; k++) seen.add(person(1, k).idNumber);
    assert.equal(seen.size, 60_000);
  });

  it('skews visits to the big city hospitals and common diagnoses', () => {
    const visits = rows('outpatient_visit', 3000);
    const count = (f: (r: Row) => string): Map<string, number> => {
      const m = new Map<string, number>();
      for (const r of visits) m.set(f(r), (m.get(f(r)) ?? 0) + 1);
      return m;
    };
    const byOrg = [...count(r => r.org_name as string).entries()].sort((a, b) => b[1] - a[1]);
    assert.equal(byOrg[0][0], '达州市中心医院');
    const byDx = [...count(r => r.diagnosis_code as string).entries()].sort((a, b) => b[1] - a[1]);
    const top3 = byDx.slice(0, 3).map(([c]) => c);
    for (const c of ['I10', 'J06.9', 'E11.9']) assert.ok(top3.includes(c), `${c} in ${top3.join(',')}`);
    for (const r of visits) {
      assert.equal((r.outpatient_no as string).slice(0, 2), r.patient_type_code === '2' ? 'JZ' : 'MZ');
      if (r.systolic_bp !== undefined) assert.ok((r.diastolic_bp as number) < (r.systolic_bp as number));
    }
  });

  it('fills conditional columns exactly when their condition holds', () => {
    for (const code of ['lab_report', 'exam_report']) {
      for (const r of samples.get(code) as Row[]) {
        if (r.patient_type_code === '3') assert.ok(r.inpatient_no && !r.outpatient_no, code);
        else assert.ok(r.outpatient_no && !r.inpatient_no, code);
      }
    }
    for (const r of samples.get('outpatient_visit') as Row[]) {
      if (r.systolic_bp !== undefined) assert.ok(r.diastolic_bp !== undefined);
    }
  });

  it('numbers the drugs of a prescription 1…n without repeating a drug', () => {
    const lines = new Map<string, Row[]>();
    for (const r of rows('western_prescription', 600)) {
      const list = lines.get(r.prescription_no as string) ?? [];
      list.push(r);
      lines.set(r.prescription_no as string, list);
    }
    for (const [no, list] of lines) {
      assert.deepEqual(list.map(r => r.item_no), list.map((_, i) => String(i + 1)), no);
      assert.equal(new Set(list.map(r => r.drug_code)).size, list.length, no);
      assert.equal(new Set(list.map(r => r.outpatient_no)).size, 1, no);
    }
  });

  for (const scale of ['small', 'demo'] as const) {
    it(`plans ${scale} data whose references all resolve`, function () {
      this.timeout(20_000);
      const plan = demoDataPlan(scale);
      assert.equal(plan[0].datasetCode, 'person_basic');
      assert.deepEqual(plan.map(p => p.datasetCode).sort(), [...DATASET_CODES].sort());
      const data = new Map(plan.map(p => [p.datasetCode, rows(p.datasetCode, p.count)]));
      const persons = new Set((data.get('person_basic') as Row[]).map(r => r.id_number));
      assert.equal(persons.size, plan[0].count);
      const visits = new Set((data.get('outpatient_visit') as Row[]).map(r => r.outpatient_no));
      const stays = new Set((data.get('inpatient_homepage') as Row[]).map(r => r.inpatient_no));
      for (const [code, list] of data) {
        const ds = datasets.get(code) as Dataset;
        const key = ds.inclusions.filter(i => i.primaryKey).map(i => i.column);
        assert.equal(new Set(list.map(r => key.map(k => r[k]).join('|'))).size, list.length, `${code} primary keys are unique`);
        for (const r of list) {
          assert.ok(persons.has(r.id_number), `${code} refers to a loaded person`);
          if (code !== 'outpatient_visit' && r.outpatient_no) assert.ok(visits.has(r.outpatient_no), `${code} refers to a loaded visit`);
          if (code !== 'inpatient_homepage' && r.inpatient_no) assert.ok(stays.has(r.inpatient_no), `${code} refers to a loaded stay`);
        }
      }
      if (scale === 'small') assert.ok(plan.every(p => p.count >= 100 && p.count <= 1000));
      else assert.equal(plan[0].count, 2000);
    });
  }
});
