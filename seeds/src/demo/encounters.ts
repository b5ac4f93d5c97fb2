import { icd10Name } from '../catalog/icd10';
import { WINDOW_END, WINDOW_START, ageOn, compactDate, weekday } from './calendar';
import { DIAGNOSES, DiagnosisProfile, complaintText, diagnosisProfile, fits, pickDiagnosis } from './clinical';
import { Institution, dazhouInstitutions } from './institutions';
import { Person, person } from './persons';
import { Rng, Weighted } from './prng';

/**
 * Encounters shared by several datasets: outpatient encounter e is row e of outpatient_visit
 * and is referred to by prescriptions, lab and exam reports; inpatient encounter j is row j of
 * inpatient_homepage. Every encounter refers to a person k below personLimit(), so that the
 * persons a dataset's first n rows refer to are among the first rows of person_basic.
 */

export interface GeneratorContext {
  seed: number;
  /** When set, encounters pick persons uniformly in [0, population). */
  population?: number;
}

/** Persons referred to by the first rows of any dataset are at least these. */
export const MIN_POPULATION = 200;
/** Outpatient encounters per person and persons per admission, for the person limit. */
const OUTPATIENT_PER_PERSON = 3;
const PERSONS_PER_ADMISSION = 5;

export function personLimit(ctx: GeneratorContext, kind: 'outpatient' | 'inpatient', index: number): number {
  if (ctx.population !== undefined) return ctx.population;
  const needed = kind === 'outpatient' ? Math.ceil((index + 1) / OUTPATIENT_PER_PERSON) : (index + 1) * PERSONS_PER_ADMISSION;
  return Math.max(MIN_POPULATION, needed);
}

/** How many persons the first `count` rows of an encounter dataset refer to. */
export function personsNeeded(kind: 'outpatient' | 'inpatient', count: number): number {
  return count <= 0 ? 0 : personLimit({ seed: 0 }, kind, count - 1);
}

export interface Encounter {
  kind: 'outpatient' | 'inpatient';
  index: number;
  person: Person;
  org: Institution;
  /** 1 门诊, 2 急诊, 3 住院 */
  patientType: '1' | '2' | '3';
  number: string;
  dept: string;
  dx: DiagnosisProfile;
  dxName: string;
  /** Outpatient: the visit; inpatient: admission. */
  day: number;
  seconds: number;
  age: number;
}

export interface OutpatientEncounter extends Encounter {
  kind: 'outpatient';
  complaint: string;
  systolic?: number;
  diastolic?: number;
  temperature?: number;
}

export interface InpatientEncounter extends Encounter {
  kind: 'inpatient';
  dischargeDay: number;
  dischargeSeconds: number;
  lengthOfStay: number;
  admissionRoute: string;
  disposition: string;
  admissionCount: number;
  medicalRecordNo: string;
  totalCost: number;
  selfPay: number;
}

interface Facilities {
  city: Weighted<Institution>;
  /** county code → weighted hospitals of the county */
  county: Map<string, Weighted<Institution>>;
  /** county code → primary-care institutions */
  primary: Map<string, Institution[]>;
  /** county code → maternal and child health hospital */
  mch: Map<string, Institution>;
  cityMch: Institution;
}

let facilities: Facilities | undefined;

function hospitalWeight(h: Institution): number {
  if (h.category === 'G110') return 0; // chosen separately for women and children
  if (h.name === '达州市中心医院') return 40;
  if (h.tier === 'city') return h.category === 'A300' ? 20 : 15;
  if (h.tier === 'county-second') return 12;
  return h.category === 'A210' ? 22 : 50;
}

function getFacilities(): Facilities {
  if (facilities) return facilities;
  const { hospitals, primaryCare } = dazhouInstitutions();
  const city = new Weighted(hospitals.filter(h => h.tier === 'city').map(h => [h, hospitalWeight(h)] as const));
  const county = new Map<string, Weighted<Institution>>();
  const mch = new Map<string, Institution>();
  const counties = [...new Set(hospitals.map(h => h.countyCode))];
  for (const c of counties) {
    const list = hospitals.filter(h => h.countyCode === c && h.tier !== 'city');
    county.set(c, new Weighted(list.map(h => [h, hospitalWeight(h)] as const)));
    const m = list.find(h => h.category === 'G110');
    if (m) mch.set(c, m);
  }
  const primary = new Map<string, Institution[]>();
  for (const p of primaryCare) {
    const list = primary.get(p.countyCode) ?? [];
    list.push(p);
    primary.set(p.countyCode, list);
  }
  const cityMch = hospitals.find(h => h.tier === 'city' && h.category === 'G110') as Institution;
  facilities = { city, county, primary, mch, cityMch };
  return facilities;
}

const isMch = (org: Institution): boolean => org.category === 'G110';

/** Women's and children's care that a maternal and child health hospital provides. */
function mchEligible(p: Person, age: number): boolean {
  return age < 14 || (p.sexCode === '2' && age >= 20 && age <= 49);
}

function chooseOrg(rng: Rng, p: Person, age: number, setting: 'outpatient' | 'inpatient'): Institution {
  const f = getFacilities();
  const u = rng.next();
  if (mchEligible(p, age) && rng.chance(0.12)) {
    return rng.chance(0.35) ? f.cityMch : (f.mch.get(p.countyCode) ?? f.cityMch);
  }
  const primaryShare = setting === 'outpatient' ? 0.32 : 0.08;
  if (u < primaryShare) {
    if (rng.chance(0.7)) return p.homeOrg;
    return rng.pick(f.primary.get(p.countyCode) as Institution[]);
  }
  const cityShare = p.countyCode === '511702' || p.countyCode === '511703' ? 0.55 : 0.3;
  if (rng.chance(cityShare)) return f.city.pick(rng);
  return (f.county.get(p.countyCode) as Weighted<Institution>).pick(rng);
}

const CHILD_DEPTS = new Set(['儿科', '呼吸内科', '消化内科', '内科', '耳鼻咽喉科', '皮肤科']);

/** Diagnoses a maternal and child health hospital treats, per setting and patient group. */
const MCH_TABLES = {
  outpatient: {
    child: new Weighted(DIAGNOSES.filter(d => CHILD_DEPTS.has(d.dept)).map(d => [d, d.out] as const)),
    woman: new Weighted(DIAGNOSES.filter(d => d.dept === '妇产科').map(d => [d, d.out] as const)),
  },
  inpatient: {
    child: new Weighted(DIAGNOSES.filter(d => CHILD_DEPTS.has(d.dept)).map(d => [d, d.inp] as const)),
    woman: new Weighted(DIAGNOSES.filter(d => d.dept === '妇产科' || d.code === 'C50.9').map(d => [d, d.inp] as const)),
  },
};

const PAEDIATRIC_DEPTS = new Set(['呼吸内科', '消化内科', '内科', '感染科', '神经内科', '内分泌科']);

function departmentOf(org: Institution, d: DiagnosisProfile, age: number, emergency: boolean): string {
  if (emergency) return '急诊科';
  if (org.kind === 'primary-care') return d.dept === '妇产科' ? '妇产科' : age < 14 ? '儿科' : '全科医疗科';
  if (age < 14 && PAEDIATRIC_DEPTS.has(d.dept)) return '儿科';
  if (isMch(org)) return age < 14 ? '儿科' : '妇产科';
  if (org.category === 'A210' && d.dept.endsWith('内科') && d.dept !== '内科') return `中医${d.dept}`.replace('中医心血管内科', '中医心病科');
  if (d.dept === '健康管理科' && org.tier !== 'city') return '体检中心';
  return d.dept;
}

function diagnose(rng: Rng, p: Person, age: number, org: Institution, setting: 'outpatient' | 'inpatient'): DiagnosisProfile {
  if (!isMch(org)) return pickDiagnosis(rng, setting, org.kind === 'primary-care', p.sexCode, age, p.chronic);
  const table = MCH_TABLES[setting][age < 14 ? 'child' : 'woman'];
  for (let i = 0; i < 40; i++) {
    const d = table.pick(rng);
    if (fits(d, p.sexCode, age)) return d;
  }
  return diagnosisProfile(age < 14 ? (setting === 'outpatient' ? 'J06.9' : 'J18.9') : setting === 'outpatient' ? 'N76.0' : 'C50.9');
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** Seconds since midnight of an outpatient visit: mostly mornings on weekdays. */
function clinicSeconds(rng: Rng): number {
  const morning = rng.chance(0.62);
  const start = morning ? 8 * 3600 : 14 * 3600;
  const span = morning ? 4 * 3600 : 3.5 * 3600;
  return start + rng.int(span);
}

function visitDay(rng: Rng): number {
  // Weekends see fewer outpatients: redraw a weekend day once in two.
  let day = WINDOW_START + rng.int(WINDOW_END - WINDOW_START + 1);
  const w = weekday(day);
  if ((w === 0 || w === 6) && rng.chance(0.5)) day = WINDOW_START + rng.int(WINDOW_END - WINDOW_START + 1);
  return day;
}

function pickPerson(ctx: GeneratorContext, rng: Rng, kind: 'outpatient' | 'inpatient', index: number): Person {
  const limit = personLimit(ctx, kind, index);
  if (kind === 'inpatient') {
    // Admissions skew old: keep the older of two candidates half of the time.
    const a = person(ctx.seed, rng.int(limit));
    const b = person(ctx.seed, rng.int(limit));
    if (!rng.chance(0.5)) return a;
    return a.birthDay <= b.birthDay ? a : b;
  }
  return person(ctx.seed, rng.int(limit));
}

const round1 = (x: number): number => Math.round(x * 10) / 10;
const round2 = (x: number): number => Math.round(x * 100) / 100;
const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

const outpatientCache = new Map<string, OutpatientEncounter>();

/** Outpatient (or emergency) encounter e. */
export function outpatientEncounter(ctx: GeneratorContext, e: number): OutpatientEncounter {
  const key = `${ctx.seed}:${ctx.population ?? ''}:${e}`;
  const hit = outpatientCache.get(key);
  if (hit) return hit;
  const rng = Rng.for(ctx.seed, 'outpatient', e);
  const p = pickPerson(ctx, rng, 'outpatient', e);
  const day = visitDay(rng);
  const age = ageOn(p.birthDay, day);
  const org = chooseOrg(rng, p, age, 'outpatient');
  const emergency = org.kind === 'hospital' && !isMch(org) && rng.chance(0.1);
  const dx = diagnose(rng, p, age, org, 'outpatient');
  const seconds = emergency ? rng.int(86400) : clinicSeconds(rng);
  const prefix = emergency ? 'JZ' : 'MZ';
  const enc: OutpatientEncounter = {
    kind: 'outpatient',
    index: e,
    person: p,
    org,
    patientType: emergency ? '2' : '1',
    number: `${prefix}${compactDate(day)}${pad(e, 8)}`,
    dept: departmentOf(org, dx, age, emergency),
    dx,
    dxName: icd10Name(dx.code),
    day,
    seconds,
    age,
    complaint: complaintText(rng, dx.complaint),
  };
  if (age >= 14 && rng.chance(0.7)) {
    const hypertensive = p.chronic.hypertension || dx.code === 'I10' || dx.code === 'I11.9';
    const sbp = hypertensive ? rng.normal(150, 14) : rng.normal(121 + Math.max(0, age - 40) * 0.4, 11);
    const dbp = hypertensive ? rng.normal(92, 9) : rng.normal(77, 8);
    enc.systolic = Math.round(clamp(sbp, 85, 220));
    enc.diastolic = Math.round(clamp(Math.min(dbp, enc.systolic - 20), 50, 130));
  }
  if (dx.fever || rng.chance(0.3)) {
    enc.temperature = round1(dx.fever ? clamp(rng.normal(38.3, 0.6), 37.3, 40.5) : clamp(rng.normal(36.6, 0.25), 35.8, 37.2));
  }
  if (outpatientCache.size > 20000) outpatientCache.clear();
  outpatientCache.set(key, enc);
  return enc;
}

const DISPOSITIONS = new Weighted<string>([['1', 90], ['2', 2], ['3', 3], ['4', 3], ['9', 1]]);
const ROUTES = new Weighted<string>([['1', 58], ['2', 36], ['3', 4], ['9', 2]]);

const inpatientCache = new Map<string, InpatientEncounter>();

/** Inpatient stay j (one 住院病案首页). */
export function inpatientEncounter(ctx: GeneratorContext, j: number): InpatientEncounter {
  const key = `${ctx.seed}:${ctx.population ?? ''}:${j}`;
  const hit = inpatientCache.get(key);
  if (hit) return hit;
  const rng = Rng.for(ctx.seed, 'inpatient', j);
  const p = pickPerson(ctx, rng, 'inpatient', j);
  // Admission no later than the window end minus the longest stay.
  const provisionalDay = WINDOW_START + rng.int(WINDOW_END - WINDOW_START - 40);
  const age = ageOn(p.birthDay, provisionalDay);
  const org = chooseOrg(rng, p, age, 'inpatient');
  const dx = diagnose(rng, p, age, org, 'inpatient');
  const [minLos, maxLos] = dx.los ?? [4, 10];
  const los = rng.range(minLos, maxLos);
  const day = provisionalDay;
  const route = dx.code === 'I21.9' || dx.code === 'I61.9' || dx.code === 'K35.9' ? (rng.chance(0.85) ? '2' : '1') : ROUTES.pick(rng);
  let disposition = rng.chance(dx.death ?? 0.003) ? '5' : DISPOSITIONS.pick(rng);
  if (disposition === '3' && age < 50) disposition = '1';
  const daily = org.tier === 'city' ? 1300 : org.tier === 'primary' ? 380 : 850;
  let total = los * daily * (0.75 + rng.next() * 0.6);
  if (dx.surgery) total += org.tier === 'city' ? 9000 + rng.next() * 30000 : 5000 + rng.next() * 15000;
  total = round2(total);
  const selfPay = round2(total * (0.22 + rng.next() * 0.25));
  const admissionCount = rng.chance(0.7) ? 1 : rng.chance(0.6) ? 2 : rng.range(3, 6);
  const admissionSeconds = route === '2' ? rng.int(86400) : 8 * 3600 + rng.int(10 * 3600);
  const enc: InpatientEncounter = {
    kind: 'inpatient',
    index: j,
    person: p,
    org,
    patientType: '3',
    number: `ZY${pad(j, 10)}`,
    dept: departmentOf(org, dx, age, false),
    dx,
    dxName: icd10Name(dx.code),
    day,
    seconds: admissionSeconds,
    age,
    dischargeDay: day + los,
    dischargeSeconds: 9 * 3600 + rng.int(7 * 3600),
    lengthOfStay: los,
    admissionRoute: route,
    disposition,
    admissionCount,
    medicalRecordNo: `BA${pad(p.index, 10)}`,
    totalCost: total,
    selfPay,
  };
  if (inpatientCache.size > 20000) inpatientCache.clear();
  inpatientCache.set(key, enc);
  return enc;
}
