import { DataElement, Dataset, EnumeratedValueDomain, MetadataItem, gb11643CheckChar } from '@lingshu/metamodel';

/** A small, self-contained catalog for platform tests (ids are fixed so tests can refer to them). */
export const IDS = {
  sexDomain: '00000000-0000-4000-8000-000000000001',
  name: '00000000-0000-4000-8000-000000000101',
  idNumber: '00000000-0000-4000-8000-000000000102',
  sex: '00000000-0000-4000-8000-000000000103',
  birth: '00000000-0000-4000-8000-000000000104',
  phone: '00000000-0000-4000-8000-000000000105',
  age: '00000000-0000-4000-8000-000000000106',
  dataset: '00000000-0000-4000-8000-000000000201',
};

const header = { namespace: 'test', version: 1, workflowStatus: 'published' as const };

export const sexDomain: EnumeratedValueDomain = {
  ...header, id: IDS.sexDomain, kind: 'value-domain', type: 'enumerated', identifier: 'GB/T 2261.1', name: '人的性别代码',
  values: [
    { code: '0', meaning: '未知的性别', order: 1 },
    { code: '1', meaning: '男性', order: 2 },
    { code: '2', meaning: '女性', order: 3 },
    { code: '9', meaning: '未说明的性别', order: 4 },
  ],
};

const element = (id: string, identifier: string, name: string, dataType: DataElement['dataType'], format: string, extra: Partial<DataElement> = {}): DataElement => ({
  ...header, id, kind: 'data-element', identifier, name, dataType, format, ...extra,
});

export const elements: DataElement[] = [
  element(IDS.name, 'DE02.01.039.00', '姓名', 'S1', 'A..50'),
  element(IDS.idNumber, 'DE02.01.030.00', '身份证件号码', 'S1', 'AN..18', { checks: ['gb11643'], sensitivity: 3 }),
  element(IDS.sex, 'DE02.01.040.00', '性别代码', 'S3', 'N1', { valueDomainId: IDS.sexDomain }),
  element(IDS.birth, 'DE02.01.005.01', '出生日期', 'D', 'D8'),
  element(IDS.phone, 'DE02.01.010.00', '电话号码', 'S1', 'AN..20'),
  element(IDS.age, 'DE02.01.026.00', '年龄(岁)', 'N', 'N1..3'),
];

export const personDataset: Dataset = {
  ...header, id: IDS.dataset, kind: 'dataset', identifier: 'TEST.01', code: 'test_person', name: '测试人员',
  inclusions: [
    { elementId: IDS.idNumber, column: 'id_number', obligation: 'M', order: 1, primaryKey: true, internalId: 'HDSD00.01.001' },
    { elementId: IDS.name, column: 'person_name', obligation: 'M', order: 2 },
    { elementId: IDS.sex, column: 'sex_code', obligation: 'M', order: 3 },
    { elementId: IDS.birth, column: 'birth_date', obligation: 'O', order: 4 },
  ],
};

export const testCatalog = (): MetadataItem[] => [sexDomain, ...elements, personDataset];

/** Valid GB 11643 numbers for tests (synthetic). */
export function idNumber(seq: number, area = '511702'): string {
  const day = new Date(Date.UTC(1980, 0, 1 + Math.floor(seq / 1000)));
  const birth = day.toISOString().slice(0, 10).replaceAll('-', '');
  const body = `${area}${birth}${String(seq % 1000).padStart(3, '0')}`;
  return body + gb11643CheckChar(body);
}
