import { gb11643Check } from '../checks';
import { Township, dazhouCounties, dazhouTownshipList } from '../geo';
import { ageOn, dayOf, isoDate, ymdOf } from './calendar';
import { Chronic } from './clinical';
import { Institution, dazhouInstitutions } from './institutions';
import { personName } from './names';
import { Rng, Weighted, unit } from './prng';

/**
 * Synthetic residents of Dazhou. Person k depends only on (seed, k). Identity numbers are unique
 * by construction: k = 499·q + j gives the sequence number 2j+1 (male) or 2j+2 (female), and
 * (county, birth date) come from the q-th point of an irrational rotation offset per j, mapped
 * through the population's (county × birth date) distribution. Two persons with the same j have
 * different q, so different rotation points; the points are further apart than any (county, day)
 * cell is wide, so they fall in different cells and the numbers differ.
 */

export interface Person {
  index: number;
  idNumber: string;
  name: string;
  sexCode: '1' | '2';
  birthDay: number;
  birthDate: string;
  countyCode: string;
  countyName: string;
  township: Township;
  village: string;
  houseNo: string;
  postalCode: string;
  phone: string;
  ethnicCode: string;
  maritalCode: string;
  aboCode: string;
  rhCode: string;
  /** Whether a blood group is on record. */
  bloodRecorded: boolean;
  healthRecordNo: string;
  /** The primary-care institution holding the person's health record. */
  homeOrg: Institution;
  chronic: Chronic;
}

/** Birth dates are drawn up to this day; every person is born before the data window opens. */
const BIRTH_END = dayOf('2023-12-31');
const BIRTH_START = dayOf('1929-01-01');
/** Reference day for the age pyramid and age-dependent attributes. */
const REFERENCE = BIRTH_END;

/** Share of the population per 5-year age band (0-4 … 90-94), roughly Sichuan in the 2020s. */
const AGE_PYRAMID = [4.6, 5.6, 5.9, 5.0, 4.6, 5.6, 7.2, 6.4, 6.3, 8.0, 8.8, 7.5, 5.6, 6.5, 5.0, 3.3, 2.1, 1.1, 0.4];

/** Approximate population shares of the seven counties. */
const COUNTY_WEIGHTS: Record<string, number> = {
  '511702': 13,
  '511703': 16,
  '511722': 18,
  '511723': 8,
  '511724': 14,
  '511725': 20,
  '511781': 8,
};

/** County postal codes. */
const POSTAL: Record<string, string> = {
  '511702': '635000',
  '511703': '635000',
  '511722': '636150',
  '511723': '636250',
  '511724': '635100',
  '511725': '635200',
  '511781': '636350',
};

const GOLDEN = (Math.sqrt(5) - 1) / 2;
const SEQ_SLOTS = 499;

interface BirthTable {
  counties: { code: string; name: string; from: number; width: number }[];
  /** Cumulative probability per birth day (index = day - BIRTH_START). */
  cumulative: Float64Array;
}

let birthTable: BirthTable | undefined;

function births(): BirthTable {
  if (birthTable) return birthTable;
  const days = BIRTH_END - BIRTH_START + 1;
  const weights = new Float64Array(days);
  const bandDays = new Float64Array(AGE_PYRAMID.length);
  const bandOf = (day: number): number => Math.min(AGE_PYRAMID.length - 1, Math.floor(ageOn(day, REFERENCE) / 5));
  for (let i = 0; i < days; i++) bandDays[bandOf(BIRTH_START + i)]++;
  let sum = 0;
  for (let i = 0; i < days; i++) {
    const band = bandOf(BIRTH_START + i);
    sum += AGE_PYRAMID[band] / bandDays[band];
    weights[i] = sum;
  }
  for (let i = 0; i < days; i++) weights[i] /= sum;
  const counties = dazhouCounties();
  const total = counties.reduce((s, c) => s + (COUNTY_WEIGHTS[c.code] ?? 0), 0);
  let from = 0;
  const spans = counties.map(c => {
    const width = (COUNTY_WEIGHTS[c.code] ?? 0) / total;
    const span = { code: c.code, name: c.name, from, width };
    from += width;
    return span;
  });
  birthTable = { counties: spans, cumulative: weights };
  return birthTable;
}

/** Maps u in [0,1) to a (county, birth day) cell of the joint distribution. */
function countyAndBirthDay(u: number): { code: string; name: string; day: number } {
  const table = births();
  let span = table.counties[table.counties.length - 1];
  for (const c of table.counties) {
    if (u < c.from + c.width) {
      span = c;
      break;
    }
  }
  const v = Math.min(0.999999999999, Math.max(0, (u - span.from) / span.width));
  const cum = table.cumulative;
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cum[mid] > v) hi = mid;
    else lo = mid + 1;
  }
  return { code: span.code, name: span.name, day: BIRTH_START + lo };
}

const PHONE_PREFIXES = [
  '130', '131', '132', '133', '134', '135', '136', '137', '138', '139', '147', '150', '151', '152',
  '153', '155', '156', '157', '158', '159', '166', '173', '177', '180', '181', '182', '183', '185',
  '186', '187', '188', '189', '191', '198', '199',
];

const ROADS = ['人民路', '建设路', '朝阳路', '中山街', '滨河路', '解放路', '新华街', '文化街', '南大街', '北外街', '凤凰大道', '翠屏路'];
const VILLAGES = ['新华', '红星', '双河', '桂花', '石桥', '柏林', '团结', '和平', '光明', '龙泉', '白果', '青松', '金竹', '凤凰', '向阳', '长岭', '清水', '黄桷', '大湾', '高峰'];

/** Ethnic groups other than 汉族, weighted (土家族 is native to 宣汉's 土家族乡). */
const MINORITIES = new Weighted<string>([
  ['15', 40], // 土家族
  ['33', 15], // 羌族
  ['07', 15], // 彝族
  ['03', 15], // 回族
  ['04', 10], // 藏族
  ['06', 5], // 苗族
]);

const ABO = new Weighted<string>([['1', 29], ['2', 26], ['3', 36], ['4', 7], ['5', 2]]);

let townshipsByCounty: Map<string, { list: Township[]; weights: Weighted<Township> }> | undefined;
let orgsByTownship: Map<string, Institution[]> | undefined;

function geography() {
  if (!townshipsByCounty || !orgsByTownship) {
    townshipsByCounty = new Map();
    for (const t of dazhouTownshipList()) {
      const entry = townshipsByCounty.get(t.countyCode) ?? { list: [], weights: undefined as unknown as Weighted<Township> };
      entry.list.push(t);
      townshipsByCounty.set(t.countyCode, entry);
    }
    for (const entry of townshipsByCounty.values()) {
      entry.weights = new Weighted(entry.list.map(t => [t, t.kind === 'street' ? 3 : t.kind === 'town' ? 1.5 : 0.7] as const));
    }
    orgsByTownship = new Map();
    for (const org of dazhouInstitutions().primaryCare) {
      const list = orgsByTownship.get(org.townshipCode as string) ?? [];
      list.push(org);
      orgsByTownship.set(org.townshipCode as string, list);
    }
  }
  return { townshipsByCounty, orgsByTownship };
}

function maritalStatus(rng: Rng, age: number): string {
  const u = rng.next();
  if (age < 20) return '10';
  if (age < 25) return u < 0.82 ? '10' : '20';
  if (age < 30) return u < 0.4 ? '10' : u < 0.97 ? '20' : '40';
  if (age < 40) return u < 0.1 ? '10' : u < 0.84 ? '20' : u < 0.88 ? '22' : u < 0.99 ? '40' : '90';
  if (age < 60) return u < 0.03 ? '10' : u < 0.83 ? '20' : u < 0.88 ? '22' : u < 0.92 ? '30' : '40';
  if (age < 75) return u < 0.76 ? '20' : u < 0.81 ? '22' : u < 0.96 ? '30' : '40';
  return u < 0.48 ? '20' : u < 0.98 ? '30' : '40';
}

function prevalence(age: number, table: ReadonlyArray<readonly [number, number]>): number {
  let p = 0;
  for (const [minAge, value] of table) if (age >= minAge) p = value;
  return p;
}

const HYPERTENSION = [[0, 0], [25, 0.02], [35, 0.1], [45, 0.22], [55, 0.38], [65, 0.5], [75, 0.58]] as const;
const DIABETES = [[0, 0], [25, 0.005], [35, 0.04], [45, 0.09], [55, 0.14], [65, 0.18]] as const;
const COPD = [[0, 0], [50, 0.04], [60, 0.08], [70, 0.12]] as const;
const CORONARY = [[0, 0], [45, 0.02], [55, 0.06], [65, 0.1]] as const;

/** Person k of the synthetic population (deterministic in seed and k). */
export function person(seed: number, k: number): Person {
  const j = k % SEQ_SLOTS;
  const q = Math.floor(k / SEQ_SLOTS);
  const offset = unit(seed, 'person-offset', j);
  const u = ((q + 0.5) * GOLDEN + offset) % 1;
  const cell = countyAndBirthDay(u);

  const rng = Rng.for(seed, 'person', k);
  const sexCode: '1' | '2' = rng.chance(0.512) ? '1' : '2';
  const seq = String(2 * j + (sexCode === '1' ? 1 : 2)).padStart(3, '0');
  const birth = ymdOf(cell.day);
  const first17 = `${cell.code}${isoDate(cell.day).replace(/-/g, '')}${seq}`;
  const idNumber = first17 + gb11643Check(first17);
  const age = ageOn(cell.day, REFERENCE);

  const { townshipsByCounty: byCounty, orgsByTownship: byTownship } = geography();
  const township = (byCounty.get(cell.code) as { weights: Weighted<Township> }).weights.pick(rng);
  const street = township.kind === 'street';
  const village = street ? rng.pick(ROADS) : `${rng.pick(VILLAGES)}村`;
  const houseNo = street ? `${rng.range(1, 480)}号${rng.range(1, 30)}栋${rng.range(1, 6)}单元` : `${rng.range(1, 12)}组${rng.range(1, 90)}号`;

  let ethnicCode = '01';
  const minorityRate = cell.code === '511722' ? 0.03 : 0.008;
  if (rng.chance(minorityRate)) ethnicCode = cell.code === '511722' && rng.chance(0.8) ? '15' : MINORITIES.pick(rng);

  const orgs = byTownship.get(township.code) as Institution[];
  const homeOrg = orgs[rng.int(orgs.length)];
  const chronic: Chronic = {
    hypertension: rng.chance(prevalence(age, HYPERTENSION)),
    diabetes: rng.chance(prevalence(age, DIABETES)),
    copd: rng.chance(prevalence(age, COPD)),
    coronary: rng.chance(prevalence(age, CORONARY)),
  };
  const name = personName(rng, sexCode, birth.year);
  const phone = rng.pick(PHONE_PREFIXES) + rng.digits(8);
  const rh = rng.next();
  return {
    index: k,
    idNumber,
    name,
    sexCode,
    birthDay: cell.day,
    birthDate: isoDate(cell.day),
    countyCode: cell.code,
    countyName: cell.name,
    township,
    village,
    houseNo,
    postalCode: POSTAL[cell.code] ?? '635000',
    phone,
    ethnicCode,
    maritalCode: maritalStatus(rng, age),
    aboCode: ABO.pick(rng),
    rhCode: rh < 0.994 ? '2' : rh < 0.998 ? '1' : '3',
    bloodRecorded: rng.chance(0.7),
    healthRecordNo: `${township.code}${String(rng.range(1, 30)).padStart(3, '0')}${String(k % 100000).padStart(5, '0')}`,
    homeOrg,
    chronic,
  };
}
