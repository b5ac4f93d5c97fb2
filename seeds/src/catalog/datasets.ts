import type { Dataset, Inclusion, Obligation } from '@lingshu/metamodel';
import { WS, dataElementId, itemHeader } from './common';
import { E, elementNamespace } from './elements';

interface IncOptions {
  internalId?: string;
  localName?: string;
  group?: string;
  pk?: boolean;
  condition?: string;
}

type Row = readonly [column: string, element: string, obligation: Obligation, options?: IncOptions];

function inclusions(rows: readonly Row[]): Inclusion[] {
  return rows.map(([column, element, obligation, o = {}], i) => {
    const inclusion: Inclusion = {
      elementId: dataElementId(element, elementNamespace(element)),
      column,
      obligation,
      order: i + 1,
    };
    if (o.internalId) inclusion.internalId = o.internalId;
    if (o.localName) inclusion.localName = o.localName;
    if (o.condition) inclusion.condition = o.condition;
    if (o.group) inclusion.group = o.group;
    if (o.pk) inclusion.primaryKey = true;
    return inclusion;
  });
}

interface DatasetSpec {
  identifier: string;
  code: string;
  name: string;
  definition: string;
  origin: string;
  comments?: string;
  rows: readonly Row[];
}

function dataset(spec: DatasetSpec): Dataset {
  return {
    ...itemHeader('dataset', WS, spec.identifier, spec.name, spec.definition, spec),
    code: spec.code,
    inclusions: inclusions(spec.rows),
  };
}

/** Dataset codes (API path segments). */
export const DATASET_CODES = [
  'person_basic',
  'outpatient_visit',
  'inpatient_homepage',
  'lab_report',
  'exam_report',
  'western_prescription',
] as const;
export type DatasetCode = (typeof DATASET_CODES)[number];

const ORG = '机构';
const PATIENT = '患者';

/** The encounter a report belongs to: outpatient/emergency number or inpatient number. */
const encounterRows = (group: string): Row[] => [
  ['patient_type_code', E.PATIENT_TYPE, 'M', { group }],
  ['outpatient_no', E.OUTPATIENT_NO, 'C', { group, condition: '患者类型代码为1(门诊)或2(急诊)时必填' }],
  ['inpatient_no', E.INPATIENT_NO, 'C', { group, condition: '患者类型代码为3(住院)时必填' }],
];

const patientRows = (group: string): Row[] => [
  ['id_type_code', E.ID_TYPE, 'M', { group }],
  ['id_number', E.ID_NUMBER, 'M', { group, localName: '患者身份证件号码' }],
  ['patient_name', E.NAME, 'M', { group, localName: '患者姓名' }],
  ['sex_code', E.SEX, 'M', { group }],
  ['age', E.AGE_YEARS, 'M', { group }],
];

export function datasets(): Dataset[] {
  return [
    dataset({
      identifier: 'WS445.01.01',
      code: 'person_basic',
      name: '个人基本信息',
      definition: '居民(患者)的身份标识、人口学特征、联系方式与现住址，以及血型等基本健康信息；每个建档机构每人一条。',
      origin: 'WS 445.1-2014 病历概要 患者基本信息子集、基本健康信息子集(HDSD00.02)；参照WS 365-2011 个人基本信息',
      rows: [
        ['org_code', E.ORG_CODE, 'M', { pk: true, internalId: 'HDSD00.02.033', localName: '建档医疗机构组织机构代码', group: ORG }],
        ['org_name', E.ORG_NAME, 'O', { localName: '建档医疗机构名称', group: ORG }],
        ['health_record_no', E.HEALTH_RECORD_NO, 'O', { internalId: 'HDSD00.02.003', group: PATIENT }],
        ['id_type_code', E.ID_TYPE, 'M', { internalId: 'HDSD00.02.026', group: PATIENT }],
        ['id_number', E.ID_NUMBER, 'M', { pk: true, internalId: 'HDSD00.02.025', localName: '患者身份证件号码', group: PATIENT }],
        ['patient_name', E.NAME, 'M', { internalId: 'HDSD00.02.027', localName: '患者姓名', group: PATIENT }],
        ['sex_code', E.SEX, 'M', { internalId: 'HDSD00.02.050', group: PATIENT }],
        ['birth_date', E.BIRTH_DATE, 'M', { internalId: 'HDSD00.02.004', group: PATIENT }],
        ['ethnic_code', E.NATIONALITY, 'O', { internalId: 'HDSD00.02.042', group: PATIENT }],
        ['marital_status_code', E.MARITAL_STATUS, 'O', { internalId: 'HDSD00.02.028', group: PATIENT }],
        ['phone', E.PHONE, 'O', { internalId: 'HDSD00.02.023', localName: '患者电话号码', group: PATIENT }],
        ['addr_province', E.ADDR_PROVINCE, 'O', { internalId: 'HDSD00.02.010', localName: '现住址-省(自治区、直辖市)', group: '现住址' }],
        ['addr_city', E.ADDR_CITY, 'O', { internalId: 'HDSD00.02.011', localName: '现住址-市(地区、州)', group: '现住址' }],
        ['addr_county', E.ADDR_COUNTY, 'O', { internalId: 'HDSD00.02.012', localName: '现住址-县(区)', group: '现住址' }],
        ['addr_township', E.ADDR_TOWNSHIP, 'O', { internalId: 'HDSD00.02.013', localName: '现住址-乡(镇、街道办事处)', group: '现住址' }],
        ['addr_village', E.ADDR_VILLAGE, 'O', { internalId: 'HDSD00.02.007', localName: '现住址-村(街、路、里、弄等)', group: '现住址' }],
        ['addr_house_no', E.ADDR_HOUSE_NO, 'O', { internalId: 'HDSD00.02.009', localName: '现住址-门牌号码', group: '现住址' }],
        ['postal_code', E.POSTAL_CODE, 'O', { internalId: 'HDSD00.02.056', group: '现住址' }],
        ['county_code', E.COUNTY_CODE, 'M', { localName: '现住址-县(区)行政区划代码', group: '现住址' }],
        ['abo_code', E.ABO, 'O', { internalId: 'HDSD00.02.001', group: '基本健康信息' }],
        ['rh_code', E.RH, 'O', { internalId: 'HDSD00.02.002', group: '基本健康信息' }],
      ],
    }),
    dataset({
      identifier: 'WS445.02.01',
      code: 'outpatient_visit',
      name: '门(急)诊就诊记录',
      definition: '门诊、急诊就诊的就诊信息、主诉、生命体征与门(急)诊诊断，每次就诊一条。',
      origin: 'WS 445.2-2014 门(急)诊病历基本数据集 门(急)诊病历子集(HDSD00.03)，取子集',
      rows: [
        ['org_code', E.ORG_CODE, 'M', { pk: true, group: ORG }],
        ['org_name', E.ORG_NAME, 'M', { group: ORG }],
        ['outpatient_no', E.OUTPATIENT_NO, 'M', { pk: true, group: '就诊' }],
        ['patient_type_code', E.PATIENT_TYPE, 'M', { group: '就诊' }],
        ...patientRows(PATIENT),
        ['dept_name', E.DEPT_NAME, 'M', { localName: '就诊科室名称', group: '就诊' }],
        ['visit_time', E.VISIT_TIME, 'M', { group: '就诊' }],
        ['chief_complaint', E.CHIEF_COMPLAINT, 'O', { group: '就诊' }],
        ['systolic_bp', E.SYSTOLIC, 'O', { group: '体格检查' }],
        ['diastolic_bp', E.DIASTOLIC, 'C', { group: '体格检查', condition: '填写收缩压时必填' }],
        ['temperature', E.TEMPERATURE, 'O', { group: '体格检查' }],
        ['diagnosis_code', E.DIAGNOSIS_CODE, 'M', { localName: '门(急)诊诊断编码', group: '诊断' }],
        ['diagnosis_name', E.DIAGNOSIS_NAME, 'M', { localName: '门(急)诊诊断名称', group: '诊断' }],
      ],
    }),
    dataset({
      identifier: 'WS445.10.01',
      code: 'inpatient_homepage',
      name: '住院病案首页',
      definition: '住院病案首页的核心项目(子集)：患者信息、入出院信息、出院主要诊断、离院方式与住院费用，每次住院一条。',
      origin: 'WS 445.10-2014 住院病案首页基本数据集(HDSD00.11)，取子集',
      comments: '子集：手术操作、其他诊断与分项费用未收录。',
      rows: [
        ['org_code', E.ORG_CODE, 'M', { pk: true, internalId: 'HDSD00.11.119', group: ORG }],
        ['org_name', E.ORG_NAME, 'M', { internalId: 'HDSD00.11.118', group: ORG }],
        ['inpatient_no', E.INPATIENT_NO, 'M', { pk: true, group: '住院' }],
        ['medical_record_no', E.MEDICAL_RECORD_NO, 'M', { internalId: 'HDSD00.11.006', group: '住院' }],
        ['admission_count', E.ADMISSION_COUNT, 'M', { internalId: 'HDSD00.11.139', group: '住院' }],
        ['patient_name', E.NAME, 'M', { internalId: 'HDSD00.11.110', localName: '患者姓名', group: PATIENT }],
        ['sex_code', E.SEX, 'M', { internalId: 'HDSD00.11.109', group: PATIENT }],
        ['birth_date', E.BIRTH_DATE, 'M', { internalId: 'HDSD00.11.014', group: PATIENT }],
        ['age', E.AGE_YEARS, 'M', { internalId: 'HDSD00.11.079', group: PATIENT }],
        ['ethnic_code', E.NATIONALITY, 'O', { internalId: 'HDSD00.11.077', group: PATIENT }],
        ['id_type_code', E.ID_TYPE, 'M', { internalId: 'HDSD00.11.049', group: PATIENT }],
        ['id_number', E.ID_NUMBER, 'M', { internalId: 'HDSD00.11.048', localName: '患者身份证件号码', group: PATIENT }],
        ['marital_status_code', E.MARITAL_STATUS, 'O', { internalId: 'HDSD00.11.050', group: PATIENT }],
        ['phone', E.PHONE, 'O', { internalId: 'HDSD00.11.026', localName: '电话号码', group: PATIENT }],
        ['admission_route_code', E.ADMISSION_ROUTE, 'M', { internalId: 'HDSD00.11.086', group: '住院' }],
        ['admission_time', E.ADMISSION_TIME, 'M', { internalId: 'HDSD00.11.085', group: '住院' }],
        ['discharge_time', E.DISCHARGE_TIME, 'M', { internalId: 'HDSD00.11.019', group: '住院' }],
        ['discharge_dept', E.DEPT_NAME, 'M', { internalId: 'HDSD00.11.018', localName: '出院科别', group: '住院' }],
        ['length_of_stay', E.LENGTH_OF_STAY, 'M', { internalId: 'HDSD00.11.087', group: '住院' }],
        ['main_diagnosis_code', E.DIAGNOSIS_CODE, 'M', { internalId: 'HDSD00.11.023', localName: '出院诊断-主要诊断疾病编码', group: '出院诊断' }],
        ['main_diagnosis_name', E.DIAGNOSIS_NAME, 'M', { internalId: 'HDSD00.11.024', localName: '出院诊断-主要诊断名称', group: '出院诊断' }],
        ['abo_code', E.ABO, 'O', { internalId: 'HDSD00.11.003', group: '出院诊断' }],
        ['rh_code', E.RH, 'O', { internalId: 'HDSD00.11.004', group: '出院诊断' }],
        ['discharge_disposition_code', E.DISCHARGE_DISPOSITION, 'M', { internalId: 'HDSD00.11.057', group: '离院' }],
        ['total_cost', E.INPATIENT_TOTAL_COST, 'M', { internalId: 'HDSD00.11.142', group: '费用' }],
        ['self_pay_amount', E.SELF_PAY, 'O', { internalId: 'HDSD00.11.143', localName: '住院总费用-自付金额(元)', group: '费用' }],
      ],
    }),
    dataset({
      identifier: 'WS445.04.02',
      code: 'lab_report',
      name: '检验报告',
      definition: '检验报告的结果明细，每个检验项目结果一条；同一报告单的各项目共享报告单编号。',
      origin: 'WS 445.4-2014 检查检验记录基本数据集 检验记录子集(HDSD00.05)，取子集',
      rows: [
        ['org_code', E.ORG_CODE, 'M', { pk: true, localName: '检验报告机构组织机构代码', group: ORG }],
        ['org_name', E.ORG_NAME, 'M', { localName: '检验报告机构名称', group: ORG }],
        ['report_no', E.REPORT_NO, 'M', { pk: true, localName: '检验报告单编号', group: '报告' }],
        ...encounterRows('就诊'),
        ...patientRows(PATIENT),
        ['specimen_type', E.SPECIMEN_TYPE, 'M', { group: '标本' }],
        ['sampling_time', E.SAMPLING_TIME, 'M', { group: '标本' }],
        ['received_time', E.SPECIMEN_RECEIVED_TIME, 'O', { group: '标本' }],
        ['lab_category', E.EXAM_CATEGORY, 'O', { localName: '检验类别', group: '结果' }],
        ['item_code', E.LAB_ITEM_CODE, 'M', { pk: true, localName: '检验项目代码', group: '结果' }],
        ['item_name', E.EXAM_ITEM_NAME, 'M', { localName: '检验项目名称', group: '结果' }],
        ['result_value', E.QUANT_RESULT, 'M', { localName: '检验定量结果', group: '结果' }],
        ['result_unit', E.RESULT_UNIT, 'O', { localName: '检验定量结果计量单位', group: '结果' }],
        ['report_date', E.REPORT_DATE, 'M', { localName: '检验报告日期', group: '报告' }],
      ],
    }),
    dataset({
      identifier: 'WS445.04.01',
      code: 'exam_report',
      name: '检查报告',
      definition: '影像、超声、心电、内镜等检查报告，每份报告一条。',
      origin: 'WS 445.4-2014 检查检验记录基本数据集 检查记录子集(HDSD00.05)，取子集',
      rows: [
        ['org_code', E.ORG_CODE, 'M', { pk: true, localName: '检查报告机构组织机构代码', group: ORG }],
        ['org_name', E.ORG_NAME, 'M', { localName: '检查报告机构名称', group: ORG }],
        ['report_no', E.REPORT_NO, 'M', { pk: true, localName: '检查报告单编号', group: '报告' }],
        ['application_no', E.APPLICATION_NO, 'O', { group: '报告' }],
        ...encounterRows('就诊'),
        ...patientRows(PATIENT),
        ['exam_category', E.EXAM_CATEGORY, 'O', { localName: '检查类别', group: '检查' }],
        ['exam_item_code', E.EXAM_ITEM_CODE, 'M', { localName: '检查项目代码', group: '检查' }],
        ['exam_item_name', E.EXAM_ITEM_NAME, 'M', { localName: '检查项目名称', group: '检查' }],
        ['exam_method', E.EXAM_METHOD, 'O', { localName: '检查方法名称', group: '检查' }],
        ['exam_date', E.EXAM_DATE, 'M', { localName: '检查日期', group: '检查' }],
        ['findings', E.EXAM_FINDINGS, 'M', { group: '报告' }],
        ['impression', E.EXAM_IMPRESSION, 'M', { group: '报告' }],
        ['report_date', E.REPORT_DATE, 'M', { localName: '检查报告日期', group: '报告' }],
      ],
    }),
    dataset({
      identifier: 'WS445.03.01',
      code: 'western_prescription',
      name: '西药处方',
      definition: '门(急)诊西药处方的药品明细，每条处方药品一条；同一处方的药品共享处方编号。',
      origin: 'WS 445.3-2014 门(急)诊处方基本数据集 西药处方子集(HDSD00.04)，取子集',
      rows: [
        ['org_code', E.ORG_CODE, 'M', { pk: true, group: ORG }],
        ['org_name', E.ORG_NAME, 'M', { group: ORG }],
        ['prescription_no', E.PRESCRIPTION_NO, 'M', { pk: true, group: '处方' }],
        ['item_no', E.PRESCRIPTION_ITEM_NO, 'M', { pk: true, group: '处方' }],
        ['outpatient_no', E.OUTPATIENT_NO, 'M', { group: '处方' }],
        ...patientRows(PATIENT),
        ['dept_name', E.DEPT_NAME, 'M', { localName: '处方开立科室名称', group: '处方' }],
        ['prescription_date', E.PRESCRIPTION_DATE, 'M', { group: '处方' }],
        ['diagnosis_code', E.DIAGNOSIS_CODE, 'M', { group: '处方' }],
        ['diagnosis_name', E.DIAGNOSIS_NAME, 'O', { group: '处方' }],
        ['drug_code', E.DRUG_CODE, 'M', { localName: '药品代码', group: '药品' }],
        ['drug_name', E.DRUG_NAME, 'M', { group: '药品' }],
        ['drug_spec', E.DRUG_SPEC, 'O', { group: '药品' }],
        ['dose', E.DOSE, 'M', { group: '用法' }],
        ['dose_unit', E.DOSE_UNIT, 'M', { group: '用法' }],
        ['route_code', E.ROUTE, 'M', { group: '用法' }],
        ['usage', E.DRUG_USAGE, 'O', { localName: '药物用法', group: '用法' }],
        ['days', E.PRESCRIPTION_DAYS, 'O', { group: '用法' }],
        ['amount', E.PRESCRIPTION_AMOUNT, 'O', { group: '费用' }],
      ],
    }),
  ];
}
