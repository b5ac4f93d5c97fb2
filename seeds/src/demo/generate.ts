import { DRUGS, DrugInfo, EXAM_ABNORMAL, EXAM_ITEMS, ExamItemInfo, LAB_ITEMS, LabItemInfo } from '../catalog/local-codes';
import { DATASET_CODES, DatasetCode } from '../catalog/datasets';
import { ageOn, compactDate, isoDate, isoDateTime } from './calendar';
import { Encounter, GeneratorContext, InpatientEncounter, inpatientEncounter, outpatientEncounter } from './encounters';
import { person } from './persons';
import { Institution, dazhouInstitutions } from './institutions';
import { Rng, hash32 } from './prng';

export interface GenerateOptions {
  /** Seed of the synthetic world; the same seed gives the same rows. Default 1. */
  seed?: number;
  /** Index of the first row; row i depends only on the seed and i. Default 0. */
  startIndex?: number;
  /**
   * Size of the person population encounters draw from. By default encounter rows refer to
   * persons below a limit that grows with the row index, so that loading the first n rows of
   * person_basic (as demoDataPlan does) covers every reference; see personLimit().
   */
  population?: number;
}

export const DEFAULT_SEED = 1;

type Row = Record<string, unknown>;

/** Removes undefined values (optional columns left empty). */
function compact(row: Record<string, unknown>): Row {
  for (const key of Object.keys(row)) if (row[key] === undefined) delete row[key];
  return row;
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');
const roundTo = (x: number, decimals: number): number => {
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
};

function patientColumns(enc: Encounter): Row {
  const p = enc.person;
  return {
    id_type_code: '01',
    id_number: p.idNumber,
    patient_name: p.name,
    sex_code: p.sexCode,
    age: enc.age,
  };
}

// ---------------------------------------------------------------- person_basic

function personRow(ctx: GeneratorContext, k: number): Row {
  const p = person(ctx.seed, k);
  return compact({
    org_code: p.homeOrg.code,
    org_name: p.homeOrg.name,
    health_record_no: p.healthRecordNo,
    id_type_code: '01',
    id_number: p.idNumber,
    patient_name: p.name,
    sex_code: p.sexCode,
    birth_date: p.birthDate,
    ethnic_code: p.ethnicCode,
    marital_status_code: p.maritalCode,
    phone: p.phone,
    addr_province: '四川省',
    addr_city: '达州市',
    addr_county: p.countyName,
    addr_township: p.township.name,
    addr_village: p.village,
    addr_house_no: p.houseNo,
    postal_code: p.postalCode,
    county_code: p.countyCode,
    abo_code: p.bloodRecorded ? p.aboCode : undefined,
    rh_code: p.bloodRecorded ? p.rhCode : undefined,
  });
}

// ---------------------------------------------------------------- outpatient_visit

function outpatientRow(ctx: GeneratorContext, e: number): Row {
  const enc = outpatientEncounter(ctx, e);
  return compact({
    org_code: enc.org.code,
    org_name: enc.org.name,
    outpatient_no: enc.number,
    patient_type_code: enc.patientType,
    ...patientColumns(enc),
    dept_name: enc.dept,
    visit_time: isoDateTime(enc.day, enc.seconds),
    chief_complaint: enc.complaint,
    systolic_bp: enc.systolic,
    diastolic_bp: enc.diastolic,
    temperature: enc.temperature,
    diagnosis_code: enc.dx.code,
    diagnosis_name: enc.dxName,
  });
}

// ---------------------------------------------------------------- inpatient_homepage

function inpatientRow(ctx: GeneratorContext, j: number): Row {
  const enc = inpatientEncounter(ctx, j);
  const p = enc.person;
  return compact({
    org_code: enc.org.code,
    org_name: enc.org.name,
    inpatient_no: enc.number,
    medical_record_no: enc.medicalRecordNo,
    admission_count: enc.admissionCount,
    patient_name: p.name,
    sex_code: p.sexCode,
    birth_date: p.birthDate,
    age: enc.age,
    ethnic_code: p.ethnicCode,
    id_type_code: '01',
    id_number: p.idNumber,
    marital_status_code: p.maritalCode,
    phone: p.phone,
    admission_route_code: enc.admissionRoute,
    admission_time: isoDateTime(enc.day, enc.seconds),
    discharge_time: isoDateTime(enc.dischargeDay, enc.dischargeSeconds),
    discharge_dept: enc.dept,
    length_of_stay: enc.lengthOfStay,
    main_diagnosis_code: enc.dx.code,
    main_diagnosis_name: enc.dxName,
    abo_code: p.aboCode,
    rh_code: p.rhCode,
    discharge_disposition_code: enc.disposition,
    total_cost: enc.totalCost,
    self_pay_amount: enc.selfPay,
  });
}

// ---------------------------------------------------------------- western_prescription

/** 12 rows per block, split into 5 prescriptions of 1-4 drugs. */
const RX_BLOCK = 12;
const RX_PER_BLOCK = 5;
const RX_PATTERNS: ReadonlyArray<readonly number[]> = [
  [3, 2, 3, 2, 2],
  [4, 2, 2, 2, 2],
  [2, 3, 2, 3, 2],
  [1, 3, 3, 3, 2],
  [3, 3, 2, 2, 2],
  [2, 2, 4, 1, 3],
  [2, 4, 2, 2, 2],
  [3, 1, 3, 2, 3],
];

const DRUG_BY_CODE = new Map(DRUGS.map(d => [d.code, d]));
const drug = (code: string): DrugInfo => DRUG_BY_CODE.get(code) as DrugInfo;
const HYPERTENSION_DRUGS = ['YP0002', 'YP0001', 'YP0003'];
const DIABETES_DRUGS = ['YP0008', 'YP0009'];
const GENERAL_DRUGS = ['YP0023', 'YP0037', 'YP0030', 'YP0035', 'YP0016', 'YP0039'];

/** The distinct drugs of prescription r, in order. */
function prescriptionDrugs(ctx: GeneratorContext, r: number, enc: Encounter, lines: number): DrugInfo[] {
  const rng = Rng.for(ctx.seed, 'rx-drugs', r);
  const pool = [...(enc.dx.drugs ?? [])];
  for (let i = pool.length - 1; i > 0; i--) {
    const k = rng.int(i + 1);
    [pool[i], pool[k]] = [pool[k], pool[i]];
  }
  const chosen: string[] = [];
  const add = (code: string): void => {
    if (chosen.length < lines && !chosen.includes(code)) chosen.push(code);
  };
  pool.slice(0, Math.max(1, lines - 1)).forEach(add);
  if (enc.person.chronic.hypertension) add(rng.pick(HYPERTENSION_DRUGS));
  if (enc.person.chronic.diabetes) add(rng.pick(DIABETES_DRUGS));
  pool.forEach(add);
  while (chosen.length < lines) add(rng.pick(GENERAL_DRUGS));
  return chosen.map(drug);
}

function prescriptionRow(ctx: GeneratorContext, i: number): Row {
  const block = Math.floor(i / RX_BLOCK);
  const pattern = RX_PATTERNS[hash32(ctx.seed, 'rx-pattern', block) % RX_PATTERNS.length];
  let offset = i % RX_BLOCK;
  let slot = 0;
  while (offset >= pattern[slot]) offset -= pattern[slot++];
  const r = block * RX_PER_BLOCK + slot;
  // Two of three outpatient encounters carry a prescription.
  const enc = outpatientEncounter(ctx, Math.floor((3 * r) / 2));
  const drugs = prescriptionDrugs(ctx, r, enc, pattern[slot]);
  const d = drugs[offset];
  const rng = Rng.for(ctx.seed, 'rx-line', i);
  const chronic = ['I10', 'I11.9', 'E11.9', 'E11.2', 'E11.5', 'E78.5', 'I25.1', 'B18.1', 'E03.9'].includes(enc.dx.code);
  const days = d.route === '404' ? rng.range(3, 5) : chronic ? rng.pick([14, 28, 30]) : rng.range(3, 7);
  const packs = Math.max(1, Math.round(d.packs * (chronic ? 2 : 1)));
  return compact({
    org_code: enc.org.code,
    org_name: enc.org.name,
    prescription_no: `CF${compactDate(enc.day)}${pad(r, 8)}`,
    item_no: String(offset + 1),
    outpatient_no: enc.number,
    ...patientColumns(enc),
    dept_name: enc.dept,
    prescription_date: isoDate(enc.day),
    diagnosis_code: enc.dx.code,
    diagnosis_name: enc.dxName,
    drug_code: d.code,
    drug_name: d.name,
    drug_spec: d.spec,
    dose: d.dose,
    dose_unit: d.unit,
    route_code: d.route,
    usage: d.usage,
    days,
    amount: roundTo(d.price * packs, 2),
  });
}

// ---------------------------------------------------------------- lab_report

const LAB_BY_CODE = new Map(LAB_ITEMS.map(l => [l.code, l]));
const lab = (code: string): LabItemInfo => LAB_BY_CODE.get(code) as LabItemInfo;
const ITEMS_PER_LAB_REPORT = 6;

/** Six-item panels; every report is one panel. */
const PANELS: Record<string, readonly string[]> = {
  cbc: ['JY0001', 'JY0002', 'JY0003', 'JY0004', 'JY0005', 'JY0006'],
  liverKidney: ['JY0013', 'JY0014', 'JY0015', 'JY0016', 'JY0017', 'JY0018'],
  glucoseLipids: ['JY0007', 'JY0008', 'JY0009', 'JY0010', 'JY0011', 'JY0012'],
  electrolytes: ['JY0020', 'JY0021', 'JY0017', 'JY0018', 'JY0019', 'JY0007'],
  cardiac: ['JY0023', 'JY0024', 'JY0025', 'JY0026', 'JY0027', 'JY0022'],
  thyroid: ['JY0028', 'JY0029', 'JY0030', 'JY0022', 'JY0019', 'JY0016'],
};

/** Panels a township health centre runs. */
const PRIMARY_PANELS = [PANELS.cbc, PANELS.liverKidney, PANELS.glucoseLipids, PANELS.electrolytes];

function panelFor(rng: Rng, enc: Encounter): readonly string[] {
  const panel = hospitalPanel(rng, enc);
  return enc.org.kind === 'primary-care' && !PRIMARY_PANELS.includes(panel) ? PANELS.cbc : panel;
}

function hospitalPanel(rng: Rng, enc: Encounter): readonly string[] {
  const code = enc.dx.code;
  const group = code.slice(0, 3);
  if (enc.dx.fever || ['J18', 'J20', 'J44', 'A09', 'K81', 'K35', 'N39'].includes(group)) return rng.chance(0.75) ? PANELS.cbc : PANELS.liverKidney;
  if (group === 'E11' || group === 'E78') return rng.chance(0.75) ? PANELS.glucoseLipids : PANELS.liverKidney;
  if (['I20', 'I21', 'I25', 'I48', 'I50', 'I63', 'I61'].includes(group)) return rng.chance(0.6) ? PANELS.cardiac : PANELS.glucoseLipids;
  if (group === 'E03' || group === 'E05' || group === 'B18') return rng.chance(0.7) ? PANELS.thyroid : PANELS.liverKidney;
  if (group === 'N18' || group === 'I10' || group === 'M10') return rng.chance(0.6) ? PANELS.electrolytes : PANELS.glucoseLipids;
  const u = rng.next();
  return u < 0.45 ? PANELS.cbc : u < 0.65 ? PANELS.liverKidney : u < 0.85 ? PANELS.glucoseLipids : u < 0.95 ? PANELS.electrolytes : PANELS.cardiac;
}

/** A plausible result: a disease-specific distribution when it applies, else mostly normal. */
function labValue(rng: Rng, item: LabItemInfo, enc: Encounter): number {
  const female = enc.person.sexCode === '2';
  const [low, high] = female && item.refFemale ? item.refFemale : item.ref;
  const group = enc.dx.code.slice(0, 3);
  const diabetic = enc.person.chronic.diabetes || group === 'E11';
  const infected = enc.dx.fever === true || ['J18', 'K81', 'K35', 'N39'].includes(group);
  let v: number | undefined;
  switch (item.code) {
    case 'JY0007':
      if (diabetic) v = rng.normal(8.6, 2.2);
      break;
    case 'JY0008':
      if (diabetic) v = rng.normal(7.9, 1.3);
      break;
    case 'JY0001':
      if (infected) v = rng.normal(12.5, 3);
      break;
    case 'JY0005':
      if (infected) v = rng.normal(81, 6);
      break;
    case 'JY0022':
      if (infected) v = rng.normal(38, 22);
      break;
    case 'JY0009':
    case 'JY0011':
      if (group === 'E78') v = item.code === 'JY0009' ? rng.normal(6.3, 0.7) : rng.normal(4.1, 0.5);
      break;
    case 'JY0010':
      if (group === 'E78') v = rng.normal(2.5, 0.9);
      break;
    case 'JY0017':
      if (group === 'N18' || enc.dx.code === 'E11.2') v = rng.normal(190, 60);
      break;
    case 'JY0018':
      if (group === 'N18' || enc.dx.code === 'E11.2') v = rng.normal(12.5, 3.5);
      break;
    case 'JY0019':
      if (group === 'M10') v = rng.normal(560, 70);
      break;
    case 'JY0026':
      if (group === 'I21') v = rng.normal(1800, 900);
      break;
    case 'JY0027':
      if (group === 'I50') v = rng.normal(2600, 1400);
      break;
    case 'JY0028':
      if (group === 'E05') v = rng.normal(0.03, 0.02);
      else if (group === 'E03') v = rng.normal(12, 5);
      break;
    case 'JY0029':
      if (group === 'E05') v = rng.normal(38, 9);
      else if (group === 'E03') v = rng.normal(8, 2);
      break;
    case 'JY0030':
      if (group === 'B18') v = rng.normal(1800, 1200);
      break;
    case 'JY0013':
      if (group === 'B18') v = rng.normal(78, 30);
      break;
    case 'JY0003':
      if (enc.dx.code === 'D64.9') v = rng.normal(92, 10);
      break;
  }
  if (v === undefined) {
    const mid = (low + high) / 2;
    const spread = (high - low) / 4;
    v = rng.chance(0.08) ? rng.normal(rng.chance(0.5) ? high + spread : Math.max(0, low - spread), spread) : rng.normal(mid, spread * 0.9);
  }
  return roundTo(Math.max(0, v), item.decimals);
}

/** Report r belongs to an admission for one in five, otherwise to an outpatient encounter. */
function reportEncounter(ctx: GeneratorContext, r: number, every: number, outpatientIndex: number): Encounter {
  return r % every === every - 1 ? inpatientEncounter(ctx, Math.floor(r / every)) : outpatientEncounter(ctx, outpatientIndex);
}

/** Day and second of a report event after the encounter starts (inside the stay for inpatients). */
function eventTime(rng: Rng, enc: Encounter): { day: number; seconds: number } {
  if (enc.kind === 'inpatient') {
    const stay = (enc as InpatientEncounter).dischargeDay - enc.day;
    const day = enc.day + Math.min(stay, rng.range(1, 2));
    return { day, seconds: 6 * 3600 + rng.int(5400) };
  }
  return { day: enc.day, seconds: Math.min(86399 - 7200, enc.seconds + 600 + rng.int(3000)) };
}

let stationCentres: Map<string, Institution> | undefined;

/**
 * The institution that issues a report: the encounter's, except that a community health service
 * station (B200) sends its patients to the street's community health service centre.
 */
function reportOrg(enc: Encounter): Institution {
  if (enc.org.category !== 'B200') return enc.org;
  if (!stationCentres) {
    stationCentres = new Map();
    for (const p of dazhouInstitutions().primaryCare) {
      if (p.category === 'B100') stationCentres.set(p.townshipCode as string, p);
    }
  }
  return stationCentres.get(enc.org.townshipCode as string) ?? enc.org;
}

function encounterColumns(enc: Encounter): Row {
  return {
    patient_type_code: enc.patientType,
    outpatient_no: enc.kind === 'outpatient' ? enc.number : undefined,
    inpatient_no: enc.kind === 'inpatient' ? enc.number : undefined,
  };
}

function labRow(ctx: GeneratorContext, i: number): Row {
  const r = Math.floor(i / ITEMS_PER_LAB_REPORT);
  const position = i % ITEMS_PER_LAB_REPORT;
  const enc = reportEncounter(ctx, r, 5, 2 * r);
  const reportRng = Rng.for(ctx.seed, 'lab-report', r);
  const panel = panelFor(reportRng, enc);
  const sample = eventTime(reportRng, enc);
  const receivedSeconds = sample.seconds + 900 + reportRng.int(3600);
  const reportDay = sample.day + (receivedSeconds > 16 * 3600 && reportRng.chance(0.5) ? 1 : 0);
  const item = lab(panel[position]);
  const value = labValue(Rng.for(ctx.seed, 'lab-value', i), item, enc);
  const org = reportOrg(enc);
  return compact({
    org_code: org.code,
    org_name: org.name,
    report_no: `JY${compactDate(reportDay)}${pad(r, 8)}`,
    ...encounterColumns(enc),
    ...patientColumns({ ...enc, age: ageOn(enc.person.birthDay, sample.day) }),
    specimen_type: item.specimen,
    sampling_time: isoDateTime(sample.day, sample.seconds),
    received_time: isoDateTime(sample.day, receivedSeconds),
    lab_category: item.category,
    item_code: item.code,
    item_name: item.name,
    result_value: value,
    result_unit: item.unit,
    report_date: isoDate(reportDay),
  });
}

// ---------------------------------------------------------------- exam_report

const EXAM_BY_CODE = new Map(EXAM_ITEMS.map(x => [x.code, x]));
const exam = (code: string): ExamItemInfo => EXAM_BY_CODE.get(code) as ExamItemInfo;
/** What a township health centre can do: DR, ultrasound and ECG. */
const PRIMARY_EXAMS = new Set(['JC0001', 'JC0004', 'JC0005', 'JC0009', 'JC0013', 'JC0014', 'JC0012']);

function examFor(rng: Rng, enc: Encounter): ExamItemInfo {
  const female = enc.person.sexCode === '2';
  const allowed = (code: string): boolean =>
    (enc.org.kind !== 'primary-care' || PRIMARY_EXAMS.has(code)) && (female || (code !== 'JC0013' && code !== 'JC0014'));
  const candidates = (enc.dx.exams ?? []).filter(allowed);
  if (candidates.length > 0 && rng.chance(0.85)) return exam(rng.pick(candidates));
  const defaults = enc.age >= 40 ? ['JC0009', 'JC0001', 'JC0004', 'JC0008'] : ['JC0001', 'JC0004', 'JC0009'];
  return exam(rng.pick(defaults.filter(allowed)));
}

function examRow(ctx: GeneratorContext, r: number): Row {
  const enc = reportEncounter(ctx, r, 4, 2 * r + 1);
  const rng = Rng.for(ctx.seed, 'exam-report', r);
  const item = examFor(rng, enc);
  const when = eventTime(rng, enc);
  const examDay = enc.kind === 'outpatient' && rng.chance(0.25) ? when.day + 1 : when.day;
  const reportDay = examDay + (item.category === '内镜' || item.method === 'MRI' ? rng.range(0, 1) : 0);
  const abnormal = EXAM_ABNORMAL[item.code]?.[enc.dx.code];
  const [findings, impression] = abnormal && rng.chance(0.8) ? abnormal : item.normal;
  const org = reportOrg(enc);
  return compact({
    org_code: org.code,
    org_name: org.name,
    report_no: `JC${compactDate(reportDay)}${pad(r, 8)}`,
    application_no: rng.chance(0.7) ? `SQ${pad(r, 12)}` : undefined,
    ...encounterColumns(enc),
    ...patientColumns({ ...enc, age: ageOn(enc.person.birthDay, examDay) }),
    exam_category: item.category,
    exam_item_code: item.code,
    exam_item_name: item.name,
    exam_method: item.method,
    exam_date: isoDate(examDay),
    findings,
    impression,
    report_date: isoDate(reportDay),
  });
}

// ---------------------------------------------------------------- entry point

const BUILDERS: Record<DatasetCode, (ctx: GeneratorContext, i: number) => Row> = {
  person_basic: personRow,
  outpatient_visit: outpatientRow,
  inpatient_homepage: inpatientRow,
  western_prescription: prescriptionRow,
  lab_report: labRow,
  exam_report: examRow,
};

function isDatasetCode(code: string): code is DatasetCode {
  return (DATASET_CODES as readonly string[]).includes(code);
}

/**
 * Synthetic records of a starter dataset whose keys are the dataset's columns. Rows
 * startIndex … startIndex+count-1 are produced lazily; row i depends only on (seed, i), so
 * windows of a stream can be generated independently and concatenated.
 */
export function* generateRecords(
  datasetCode: string,
  count: number,
  options: GenerateOptions = {},
): Generator<Record<string, unknown>> {
  if (!isDatasetCode(datasetCode)) {
    throw new Error(`no synthetic data generator for dataset "${datasetCode}" (known: ${DATASET_CODES.join(', ')})`);
  }
  const start = options.startIndex ?? 0;
  if (!Number.isSafeInteger(start) || start < 0) throw new RangeError(`startIndex must be a non-negative integer (got ${start})`);
  if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`count must be a non-negative integer (got ${count})`);
  if (options.population !== undefined && (!Number.isSafeInteger(options.population) || options.population < 1)) {
    throw new RangeError(`population must be a positive integer (got ${options.population})`);
  }
  const ctx: GeneratorContext = { seed: (options.seed ?? DEFAULT_SEED) >>> 0, population: options.population };
  const build = BUILDERS[datasetCode];
  for (let i = start; i < start + count; i++) yield build(ctx, i);
}
