import {
  DataElement,
  Dataset,
  DescribedValueDomain,
  EnumeratedValueDomain,
  Inclusion,
  MetadataItem,
  MetadataLookup,
  ResolvedDataset,
  ValueDomain,
} from '../index';

const header = { namespace: 'ws', version: 1, workflowStatus: 'published' as const };

export function sexDomain(): EnumeratedValueDomain {
  return {
    ...header,
    id: 'vd-sex',
    kind: 'value-domain',
    identifier: 'GB/T 2261.1',
    name: '人的性别代码',
    type: 'enumerated',
    values: [
      { code: '0', meaning: '未知的性别' },
      { code: '1', meaning: '男性' },
      { code: '2', meaning: '女性' },
      { code: '5', meaning: '女性改(变)为男性' },
      { code: '6', meaning: '男性改(变)为女性' },
      { code: '9', meaning: '未说明的性别' },
    ],
  };
}

/** CV02.01.101 with two invented validity windows to test code dates. */
export function idTypeDomain(): EnumeratedValueDomain {
  return {
    ...header,
    id: 'vd-id-type',
    kind: 'value-domain',
    identifier: 'CV02.01.101',
    name: '身份证件类别代码',
    type: 'enumerated',
    values: [
      { code: '01', meaning: '居民身份证' },
      { code: '03', meaning: '护照' },
      { code: '04', meaning: '军官证', validTo: '2020-12-31' },
      { code: '08', meaning: '电子证照', validFrom: '2030-01-01' },
      { code: '99', meaning: '其他法定有效证件' },
    ],
  };
}

export function ageDomain(): DescribedValueDomain {
  return {
    ...header,
    id: 'vd-age',
    kind: 'value-domain',
    identifier: 'CV02.01.900',
    name: '年龄(岁)',
    type: 'described',
    dataType: 'N',
    format: 'N1..3',
    minimum: 0,
    maximum: 150,
    unit: '岁',
  };
}

export function caseNoDomain(): DescribedValueDomain {
  return {
    ...header,
    id: 'vd-case-no',
    kind: 'value-domain',
    identifier: 'CV01.00.900',
    name: '病案号',
    type: 'described',
    dataType: 'S1',
    pattern: '[A-Z]{2}\\d{6}',
  };
}

function element(
  id: string,
  identifier: string,
  name: string,
  dataType: DataElement['dataType'],
  format: string,
  extra: Partial<DataElement> = {},
): DataElement {
  return { ...header, id, kind: 'data-element', identifier, name, dataType, format, ...extra };
}

export function elements(): DataElement[] {
  return [
    element('de-inpatient-no', 'DE01.00.014.00', '住院号', 'S1', 'AN..18'),
    element('de-name', 'DE02.01.039.00', '姓名', 'S1', 'A..50'),
    element('de-sex', 'DE02.01.040.00', '性别代码', 'S3', 'N1', { valueDomainId: 'vd-sex' }),
    element('de-age', 'DE02.01.026.00', '年龄(岁)', 'N', 'N1..3', { valueDomainId: 'vd-age' }),
    element('de-birth-date', 'DE02.01.005.01', '出生日期', 'D', 'D8'),
    element('de-id-type', 'DE02.01.031.00', '身份证件类别代码', 'S3', 'N2', {
      valueDomainId: 'vd-id-type',
    }),
    element('de-id-number', 'DE02.01.030.00', '身份证件号码', 'S1', 'AN..18', {
      checks: ['gb11643'],
    }),
    element('de-weight', 'DE04.10.188.00', '体重(kg)', 'N', 'N..6,2'),
    element('de-signed-at', 'DE09.00.053.00', '签名日期时间', 'DT', 'DT15'),
    element('de-diagnosis', 'DE05.01.024.00', '诊断代码', 'S1', 'AN..20'),
    element('de-org-code', 'DE08.10.052.00', '机构代码', 'S1', 'AN18', { checks: ['gb32100'] }),
    element('de-follow-up', 'DE06.00.202.00', '随访标志', 'L', 'T/F'),
    element('de-visit-time', 'DE06.00.203.00', '就诊时间', 'T', 'T6'),
    element('de-signature', 'DE09.00.999.00', '签名图像', 'BY', ''),
    element('de-case-no', 'DE01.00.004.00', '病案号', 'S1', 'AN..18', {
      valueDomainId: 'vd-case-no',
    }),
  ];
}

function inclusion(
  order: number,
  column: string,
  elementId: string,
  obligation: Inclusion['obligation'],
  extra: Partial<Inclusion> = {},
): Inclusion {
  return { order, column, elementId, obligation, ...extra };
}

export function dataset(): Dataset {
  return {
    ...header,
    id: 'ds-discharge',
    kind: 'dataset',
    identifier: 'HDSD00.09',
    name: '出院评估与指导',
    code: 'discharge_assessment',
    inclusions: [
      inclusion(1, 'inpatient_no', 'de-inpatient-no', 'M', {
        primaryKey: true,
        internalId: 'HDSD00.09.085',
      }),
      inclusion(2, 'patient_name', 'de-name', 'M', {
        localName: '患者姓名',
        internalId: 'HDSD00.09.029',
      }),
      inclusion(3, 'sex_code', 'de-sex', 'M', { internalId: 'HDSD00.09.071' }),
      inclusion(4, 'age', 'de-age', 'O', { internalId: 'HDSD00.09.042' }),
      inclusion(5, 'birth_date', 'de-birth-date', 'O'),
      inclusion(6, 'id_type', 'de-id-type', 'O'),
      inclusion(7, 'id_number', 'de-id-number', 'C', { condition: 'when id_type is 01' }),
      inclusion(8, 'weight_kg', 'de-weight', 'O'),
      inclusion(9, 'signed_at', 'de-signed-at', 'M', { internalId: 'HDSD00.09.047' }),
      inclusion(10, 'diagnosis_codes', 'de-diagnosis', 'O', { maxOccurs: 3 }),
      inclusion(11, 'org_code', 'de-org-code', 'O'),
      inclusion(12, 'follow_up', 'de-follow-up', 'O'),
      inclusion(13, 'visit_time', 'de-visit-time', 'O'),
      inclusion(14, 'signature', 'de-signature', 'O'),
      inclusion(15, 'case_no', 'de-case-no', 'O'),
    ],
  };
}

export function domains(): ValueDomain[] {
  return [sexDomain(), idTypeDomain(), ageDomain(), caseNoDomain()];
}

export function allItems(): MetadataItem[] {
  return [...domains(), ...elements(), dataset()];
}

export function resolved(): ResolvedDataset {
  return {
    dataset: dataset(),
    elements: Object.fromEntries(elements().map(e => [e.id, e])),
    valueDomains: Object.fromEntries(domains().map(d => [d.id, d])),
  };
}

export function lookupOf(items: MetadataItem[]): MetadataLookup {
  return {
    element: id => items.find((i): i is DataElement => i.kind === 'data-element' && i.id === id),
    valueDomain: id =>
      items.find((i): i is ValueDomain => i.kind === 'value-domain' && i.id === id),
  };
}

/** A valid citizen identity number (the example in GB 11643) and a valid credit code. */
export const VALID_ID_NUMBER = '11010519491231002X';
export const VALID_CREDIT_CODE = '91350100M000100Y43';

/** A record that passes the discharge_assessment validator. */
export function goodRecord(): Record<string, unknown> {
  return {
    inpatient_no: 'ZY20240001',
    patient_name: '张三',
    sex_code: '1',
    age: 74,
    birth_date: '19491231',
    id_type: '01',
    id_number: VALID_ID_NUMBER,
    weight_kg: '65.50',
    signed_at: '20240105T093000',
    diagnosis_codes: ['I10', 'E11.9'],
    org_code: VALID_CREDIT_CODE,
    follow_up: 'T',
    visit_time: '093000',
    signature: 'iVBORw0KGgo=',
    case_no: 'BA123456',
  };
}
