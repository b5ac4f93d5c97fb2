import type { DataElement } from '@lingshu/metamodel';
import { DAZHOU, ElementSpec, dataElement } from './common';
import { CREDIT_CODE, DIVISIONS } from './divisions';
import { ICD10 } from './icd10';
import { DRUG_CATALOG, EXAM_ITEM_CATALOG, LAB_ITEM_CATALOG } from './local-codes';
import {
  ABO_BLOOD_GROUP,
  ADMINISTRATION_ROUTE,
  ADMISSION_ROUTE,
  DISCHARGE_DISPOSITION,
  ID_DOCUMENT_TYPE,
  MARITAL_STATUS,
  NATIONALITY,
  PATIENT_TYPE,
  RH_BLOOD_GROUP,
  SEX,
} from './value-domains';

/**
 * Data elements of WS/T 363 (namespace ws) and Dazhou's local extensions (namespace dazhou,
 * identifiers with a `.9nn` local segment). The constant names are used by the dataset
 * definitions; `E.NAME` is the element identifier.
 */
export const E = {
  // Part 1/2 标识
  MEDICAL_RECORD_NO: 'DE01.00.004.00',
  APPLICATION_NO: 'DE01.00.008.00',
  HEALTH_RECORD_NO: 'DE01.00.009.00',
  OUTPATIENT_NO: 'DE01.00.010.00',
  INPATIENT_NO: 'DE01.00.014.00',
  REPORT_NO: 'DE01.00.018.00',
  PRESCRIPTION_NO: 'DE01.00.020.00',
  HEALTH_CARD_NO: 'DE01.00.021.00',
  // Part 3 人口学及社会经济学特征
  EMPLOYER: 'DE02.01.004.00',
  BIRTH_DATE: 'DE02.01.005.01',
  ADDR_PROVINCE: 'DE02.01.009.01',
  ADDR_CITY: 'DE02.01.009.02',
  ADDR_COUNTY: 'DE02.01.009.03',
  ADDR_TOWNSHIP: 'DE02.01.009.04',
  ADDR_VILLAGE: 'DE02.01.009.05',
  ADDR_HOUSE_NO: 'DE02.01.009.06',
  PHONE: 'DE02.01.010.00',
  MARITAL_STATUS: 'DE02.01.018.00',
  NATIONALITY: 'DE02.01.025.00',
  AGE_YEARS: 'DE02.01.026.00',
  ID_NUMBER: 'DE02.01.030.00',
  ID_TYPE: 'DE02.01.031.00',
  NAME: 'DE02.01.039.00',
  SEX: 'DE02.01.040.00',
  POSTAL_CODE: 'DE02.01.047.00',
  PATIENT_TYPE: 'DE02.01.060.00',
  // Part 4 健康史
  EXAM_METHOD: 'DE02.10.027.00',
  PRESENT_ILLNESS: 'DE02.10.071.00',
  ADMISSION_COUNT: 'DE02.10.090.00',
  PAST_HISTORY: 'DE02.10.099.00',
  // Part 6-9 主诉、体格检查、临床辅助检查、实验室检查
  CHIEF_COMPLAINT: 'DE04.01.119.00',
  PULSE: 'DE04.10.118.00',
  HEIGHT: 'DE04.10.167.00',
  SYSTOLIC: 'DE04.10.174.00',
  DIASTOLIC: 'DE04.10.176.00',
  TEMPERATURE: 'DE04.10.186.00',
  WEIGHT: 'DE04.10.188.00',
  QUANT_RESULT: 'DE04.30.015.00',
  RESULT_UNIT: 'DE04.30.016.00',
  EXAM_CATEGORY: 'DE04.30.018.00',
  EXAM_ITEM_NAME: 'DE04.30.020.00',
  ABO: 'DE04.50.001.00',
  RH: 'DE04.50.010.00',
  LAB_REPORT_RESULT: 'DE04.50.130.00',
  EXAM_FINDINGS: 'DE04.50.131.00',
  EXAM_IMPRESSION: 'DE04.50.132.00',
  REPORT_DATE: 'DE04.50.133.00',
  SPECIMEN_TYPE: 'DE04.50.134.00',
  SAMPLING_TIME: 'DE04.50.137.00',
  EXAM_DATE: 'DE04.50.140.00',
  SPECIMEN_RECEIVED_TIME: 'DE04.50.141.00',
  // Part 10 医学诊断
  DIAGNOSIS_CODE: 'DE05.01.024.00',
  DIAGNOSIS_NAME: 'DE05.01.025.00',
  // Part 12 计划与干预
  DISCHARGE_TIME: 'DE06.00.017.00',
  VISIT_TIME: 'DE06.00.062.00',
  ADMISSION_TIME: 'DE06.00.092.00',
  ROUTE: 'DE06.00.134.00',
  DRUG_USAGE: 'DE06.00.136.00',
  DISCHARGE_DISPOSITION: 'DE06.00.223.00',
  PRESCRIPTION_DAYS: 'DE06.00.294.00',
  LENGTH_OF_STAY: 'DE06.00.310.00',
  ADMISSION_ROUTE: 'DE06.00.339.00',
  // Part 13 卫生费用
  SELF_PAY: 'DE07.00.001.00',
  PRESCRIPTION_AMOUNT: 'DE07.00.004.00',
  INPATIENT_TOTAL_COST: 'DE07.00.010.00',
  // Part 14/16 卫生机构、药品
  ORG_NAME: 'DE08.10.013.00',
  DEPT_NAME: 'DE08.10.026.00',
  ORG_CODE: 'DE08.10.052.00',
  DRUG_NAME: 'DE08.50.022.00',
  DOSE: 'DE08.50.023.00',
  DOSE_UNIT: 'DE08.50.024.00',
  PRESCRIPTION_DATE: 'DE08.50.033.00',
  DRUG_SPEC: 'DE08.50.043.00',
  PRESCRIPTION_ITEM_NO: 'DE08.50.056.00',
  // Part 17 卫生管理
  SIGN_TIME: 'DE09.00.053.00',
  // Dazhou local extensions (namespace dazhou)
  COUNTY_CODE: 'DE02.01.009.03.901',
  LAB_ITEM_CODE: 'DE04.30.019.00.901',
  EXAM_ITEM_CODE: 'DE04.30.019.00.902',
  DRUG_CODE: 'DE08.50.022.00.901',
} as const;

/** Identifiers of the local (namespace dazhou) elements. */
export const LOCAL_ELEMENTS: ReadonlySet<string> = new Set([E.COUNTY_CODE, E.LAB_ITEM_CODE, E.EXAM_ITEM_CODE, E.DRUG_CODE]);

export const elementNamespace = (identifier: string): string => (LOCAL_ELEMENTS.has(identifier) ? DAZHOU : 'ws');

type Spec = Omit<ElementSpec, 'identifier'>;
const s1 = (name: string, format: string, definition: string, sensitivity = 0, extra: Partial<Spec> = {}): Spec => ({
  name, definition, dataType: 'S1', format, sensitivity, ...extra,
});
const s3 = (name: string, format: string, domain: string, definition: string, sensitivity = 0, extra: Partial<Spec> = {}): Spec => ({
  name, definition, dataType: 'S3', format, domain, sensitivity, ...extra,
});
const num = (name: string, format: string, definition: string, unit?: string, sensitivity = 0): Spec => ({
  name, definition, dataType: 'N', format, sensitivity, ...(unit ? { unit } : {}),
});
const date = (name: string, definition: string, sensitivity = 0): Spec => ({ name, definition, dataType: 'D', format: 'D8', sensitivity });
const dateTime = (name: string, definition: string, sensitivity = 0): Spec => ({ name, definition, dataType: 'DT', format: 'DT15', sensitivity });

const SPECS: Record<string, Spec> = {
  [E.MEDICAL_RECORD_NO]: s1('病案号', 'AN..18', '本医疗机构为患者住院病案设置的唯一性编码。原则上，同一患者在同一医疗机构多次住院应当使用同一病案号', 1),
  [E.APPLICATION_NO]: s1('电子申请单编号', 'AN..20', '按照某一特定编码规则赋予电子申请单的顺序号'),
  [E.HEALTH_RECORD_NO]: s1('城乡居民健康档案编号', 'N17', '城乡居民个人健康档案的编号', 2),
  [E.OUTPATIENT_NO]: s1('门(急)诊号', 'AN..18', '按照某一特定编码规则赋予门(急)诊就诊对象的顺序号', 1),
  [E.INPATIENT_NO]: s1('住院号', 'AN..18', '按照某一特定编码规则赋予住院就诊对象的顺序号', 1),
  [E.REPORT_NO]: s1('检查(检验)报告单编号', 'AN..20', '按照某一特定编码规则赋予检查(检验)报告单的顺序号'),
  [E.PRESCRIPTION_NO]: s1('处方编号', 'AN..30', '按照某一特定编码规则赋予门(急)诊处方的顺序号'),
  [E.HEALTH_CARD_NO]: s1('居民健康卡号', 'AN..18', '患者持有的全国统一的居民健康卡的编号', 2),
  [E.EMPLOYER]: s1('工作单位名称', 'AN..70', '个体当前所在的工作单位名称', 1),
  [E.BIRTH_DATE]: date('出生日期', '个体出生当日的公元纪年日期的完整描述', 2),
  [E.ADDR_PROVINCE]: s1('地址-省(自治区、直辖市)', 'AN..70', '个体或联系人地址中的省、自治区或直辖市名称', 1),
  [E.ADDR_CITY]: s1('地址-市(地区、州)', 'AN..70', '个体或联系人地址中的市、地区或州的名称', 1),
  [E.ADDR_COUNTY]: s1('地址-县(区)', 'AN..70', '个体或联系人地址中的县(区)的名称', 1),
  [E.ADDR_TOWNSHIP]: s1('地址-乡(镇、街道办事处)', 'AN..70', '个体或联系人地址中的乡、镇或城市的街道办事处名称', 2),
  [E.ADDR_VILLAGE]: s1('地址-村(街、路、里、弄等)', 'AN..70', '个体或联系人地址中的村或城市的街、路、里、弄等名称', 2),
  [E.ADDR_HOUSE_NO]: s1('地址-门牌号码', 'AN..70', '个体或联系人地址中的门牌号码', 3, { encrypted: true }),
  [E.PHONE]: s1('电话号码', 'AN..20', '个体或联系人的电话号码，包括国际、国内区号和分机号', 3, { encrypted: true }),
  [E.MARITAL_STATUS]: s3('婚姻状况代码', 'N2', MARITAL_STATUS, '个体当前婚姻状况在特定编码体系中的代码', 1),
  [E.NATIONALITY]: s3('民族', 'N2', NATIONALITY, '个体所属民族在特定编码体系中的代码', 1),
  [E.AGE_YEARS]: num('年龄(岁)', 'N1..3', '个体年龄满1周岁的实足年龄，为出生后按照日历计算的历法年龄，以实足年龄的相应整数填写', '岁', 1),
  [E.ID_NUMBER]: s1('身份证件号码', 'AN..18', '个体身份证件上的唯一法定标识符', 3, { checks: ['gb11643'], synonyms: ['身份证号'], encrypted: true }),
  [E.ID_TYPE]: s3('身份证件类别代码', 'N2', ID_DOCUMENT_TYPE, '个体身份证件所属类别在特定编码体系中的代码'),
  [E.NAME]: s1('姓名', 'A..50', '本人在公安户籍管理部门正式登记注册的姓氏和名称', 2),
  [E.SEX]: s3('性别代码', 'N1', SEX, '个体生理性别在特定编码体系中的代码', 1),
  [E.POSTAL_CODE]: s1('邮政编码', 'N6', '由阿拉伯数字组成，用来表示与地址对应的邮局及其投递区域的邮政通信代号', 1),
  [E.PATIENT_TYPE]: s3('患者类型代码', 'N1', PATIENT_TYPE, '患者就诊类型的分类代码'),
  [E.EXAM_METHOD]: s1('检查(检验)方法名称', 'AN..100', '患者接受医学检查(检验)项目所采用的方法名称'),
  [E.PRESENT_ILLNESS]: s1('现病史', 'AN..2000', '对患者当前所患疾病情况的详细描述', 2),
  [E.ADMISSION_COUNT]: num('住院次数', 'N1..3', '患者在本医疗机构住院诊治的次数', '次', 1),
  [E.PAST_HISTORY]: s1('既往史', 'AN..1000', '患者既往健康状况及重要相关病史的描述', 2),
  [E.CHIEF_COMPLAINT]: s1('主诉', 'AN..100', '对患者本次疾病相关的主要症状及其持续时间的描述，一般由患者本人或监护人描述', 2),
  [E.PULSE]: num('脉率(次/min)', 'N2..3', '每分钟脉搏次数的测量值，计量单位为次/min', '次/min', 1),
  [E.HEIGHT]: num('身高(cm)', 'N..5,1', '个体身高的测量值，计量单位为cm', 'cm', 1),
  [E.SYSTOLIC]: num('收缩压(mmHg)', 'N2..3', '收缩压的测量值，计量单位为mmHg', 'mmHg', 1),
  [E.DIASTOLIC]: num('舒张压(mmHg)', 'N2..3', '舒张压的测量值，计量单位为mmHg', 'mmHg', 1),
  [E.TEMPERATURE]: num('体温(℃)', 'N..4,1', '体温的测量值，计量单位为℃', '℃', 1),
  [E.WEIGHT]: num('体重(kg)', 'N..5,1', '个体体重的测量值，计量单位为kg', 'kg', 1),
  [E.QUANT_RESULT]: num('检查(检验)定量结果', 'N..12,4', '患者检查(检验)结果的测量值(定量)', undefined, 2),
  [E.RESULT_UNIT]: s1('检查(检验)计量单位', 'AN..20', '患者定量检查(检验)测量值的计量单位'),
  [E.EXAM_CATEGORY]: s1('检查(检验)类别', 'AN..100', '患者检查(检验)项目所属的类别详细描述'),
  [E.EXAM_ITEM_NAME]: s1('检查(检验)项目名称', 'AN..80', '患者检查(检验)项目的正式名称', 1),
  [E.ABO]: s3('ABO血型代码', 'N1', ABO_BLOOD_GROUP, '进行血型检查明确，或既往病历资料能够明确的患者ABO血型类别在特定编码体系中的代码', 1),
  [E.RH]: s3('Rh血型代码', 'N1', RH_BLOOD_GROUP, '进行血型检查明确，或既往病历资料能够明确的患者Rh血型的类别代码', 1),
  [E.LAB_REPORT_RESULT]: s1('检验报告结果', 'AN..200', '检验项目结果报告的客观说明', 2),
  [E.EXAM_FINDINGS]: s1('检查报告结果-客观所见', 'AN..1000', '检查项目结果报告的客观说明', 2),
  [E.EXAM_IMPRESSION]: s1('检查报告结果-主观提示', 'AN..1000', '检查项目结果报告的主观说明', 2),
  [E.REPORT_DATE]: date('检查(检验)报告日期', '检查(检验)报告当日的公元纪年日期的完整描述'),
  [E.SPECIMEN_TYPE]: s1('标本类别', 'AN..20', '对标本类别的描述'),
  [E.SAMPLING_TIME]: dateTime('标本采样日期时间', '采集标本时的公元纪年日期和时间的完整描述'),
  [E.EXAM_DATE]: date('检查(检验)日期', '检查(检验)项目执行当日的公元纪年日期的完整描述'),
  [E.SPECIMEN_RECEIVED_TIME]: dateTime('接收标本日期时间', '检验科室实际接收标本时的公元纪年日期和时间的完整描述'),
  [E.DIAGNOSIS_CODE]: s3('疾病诊断编码', 'AN..11', ICD10, '患者所患疾病在西医诊断特定编码体系(ICD-10)中的编码', 2, { synonyms: ['诊断代码', '西医诊断编码'] }),
  [E.DIAGNOSIS_NAME]: s1('疾病诊断名称', 'AN..50', '由医师根据患者就诊时的情况，综合分析所作出的西医诊断名称', 2),
  [E.DISCHARGE_TIME]: dateTime('出院日期时间', '患者实际办理出院手续时的公元纪年日期和时间的完整描述', 1),
  [E.VISIT_TIME]: dateTime('就诊日期时间', '患者在门(急)诊就诊时的公元纪年日期和时间的完整描述', 1),
  [E.ADMISSION_TIME]: dateTime('入院日期时间', '患者实际办理入院手续时的公元纪年日期和时间的完整描述', 1),
  [E.ROUTE]: s3('用药途径代码', 'N1..3', ADMINISTRATION_ROUTE, '药物使用途径在特定编码体系中的代码'),
  [E.DRUG_USAGE]: s1('关键药物用法', 'AN..100', '药物(含中药)治疗疾病具体用法的描述'),
  [E.DISCHARGE_DISPOSITION]: s3('离院方式代码', 'N1', DISCHARGE_DISPOSITION, '患者本次住院离开医院的方式在特定编码体系中的代码', 1),
  [E.PRESCRIPTION_DAYS]: num('处方有效天数', 'N1..2', '门(急)诊医师开具的处方的有效天数', 'd'),
  [E.LENGTH_OF_STAY]: num('实际住院天数', 'N1..4', '患者实际的住院天数，入院日与出院日只计算1天', 'd'),
  [E.ADMISSION_ROUTE]: s3('入院途径代码', 'N1', ADMISSION_ROUTE, '患者收治入院治疗的来源分类在特定编码体系中的代码'),
  [E.SELF_PAY]: num('住院总费用-自付金额(元)', 'N..10,2', '住院总费用中由患者支付的费用金额，计量单位为人民币元', '元', 1),
  [E.PRESCRIPTION_AMOUNT]: num('处方药品金额(元)', 'N..10,2', '处方药品的计价金额，计量单位为人民币元', '元'),
  [E.INPATIENT_TOTAL_COST]: num('住院总费用(元)', 'N..10,2', '患者住院期间所有项目的费用之和，计量单位为人民币元', '元', 1),
  [E.ORG_NAME]: s1('医疗机构名称', 'AN..70', '患者就诊所在的医疗机构的组织机构名称'),
  [E.DEPT_NAME]: s1('科室名称', 'AN..50', '患者在医疗机构就诊的科室名称'),
  [E.ORG_CODE]: s3('医疗机构组织机构代码', 'AN..22', CREDIT_CODE, '经《医疗机构执业许可证》登记的，并按照特定编码体系填写的代码；本平台采用18位统一社会信用代码', 0, {
    checks: ['gb32100'],
    synonyms: ['机构代码', '统一社会信用代码'],
  }),
  [E.DRUG_NAME]: s1('药物名称', 'AN..50', '药物通用名称'),
  [E.DOSE]: num('药物使用次剂量', 'N..8,3', '单次使用药物的剂量'),
  [E.DOSE_UNIT]: s1('药物使用剂量单位', 'AN..6', '标识药物剂量的计量单位'),
  [E.PRESCRIPTION_DATE]: date('处方开立日期', '门(急)诊医师开具处方当日的公元纪年日期的完整描述'),
  [E.DRUG_SPEC]: s1('药物规格', 'AN..20', '药物规格的描述，如0.25g'),
  [E.PRESCRIPTION_ITEM_NO]: s1('处方药品组号', 'N1..3', '由系统从1开始根据自然递增的原则赋予处方中每条药品的顺序号'),
  [E.SIGN_TIME]: dateTime('签名日期时间', '进行电子签名时的公元纪年日期和时间的完整描述'),
  [E.COUNTY_CODE]: s3('地址-县(区)行政区划代码', 'N6', DIVISIONS, '个体地址所在县(市、区)的GB/T 2260行政区划代码(地方扩展，用于按辖区统计与行范围授权)', 1, {
    namespace: DAZHOU,
    comments: '达州地方扩展：WS/T 363 以名称记录地址，本元素补充行政区划代码。',
  }),
  [E.LAB_ITEM_CODE]: s3('检验项目代码(达州)', 'AN..20', LAB_ITEM_CATALOG, '患者检验项目在达州市区域检验项目目录中的代码', 0, {
    namespace: DAZHOU,
    domainNamespace: DAZHOU,
    comments: '达州地方扩展：DE04.30.019.00 检查(检验)项目代码的地方编码体系。',
  }),
  [E.EXAM_ITEM_CODE]: s3('检查项目代码(达州)', 'AN..20', EXAM_ITEM_CATALOG, '患者检查项目在达州市区域检查项目目录中的代码', 0, {
    namespace: DAZHOU,
    domainNamespace: DAZHOU,
    comments: '达州地方扩展：DE04.30.019.00 检查(检验)项目代码的地方编码体系。',
  }),
  [E.DRUG_CODE]: s3('药品代码(达州)', 'AN..20', DRUG_CATALOG, '药物在达州市区域西药药品目录中的代码', 0, {
    namespace: DAZHOU,
    domainNamespace: DAZHOU,
    comments: '达州地方扩展：药物名称(DE08.50.022.00)的地方编码。',
  }),
};

export function dataElements(): DataElement[] {
  return Object.entries(SPECS)
    .map(([identifier, spec]) => dataElement({ ...spec, identifier }))
    .sort((a, b) => a.identifier.localeCompare(b.identifier));
}
