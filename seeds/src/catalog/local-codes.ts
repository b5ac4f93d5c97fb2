import type { EnumeratedValueDomain } from '@lingshu/metamodel';
import { DAZHOU, enumeratedDomain } from './common';

/**
 * Dazhou regional code tables (namespace dazhou, LOCAL): the drug, laboratory-item and
 * examination-item catalogues that the regional platform maps hospital codes to. Codes are
 * defined here (YPnnnn, JYnnnn, JCnnnn); they are not national codes and not LOINC.
 * Identifiers use the CV99 range that vendors conventionally use for local code tables.
 */

export const DRUG_CATALOG = 'CV99.08.001';
export const LAB_ITEM_CATALOG = 'CV99.04.001';
export const EXAM_ITEM_CATALOG = 'CV99.04.002';

export interface DrugInfo {
  code: string;
  /** 通用名 with dosage form. */
  name: string;
  /** 规格 */
  spec: string;
  /** Usual single dose and its unit. */
  dose: number;
  unit: string;
  /** 用药途径 code (CV06.00.102 subset). */
  route: string;
  /** 用法 text as written on a prescription. */
  usage: string;
  /** Unit price of one package (元) and the usual number of packages. */
  price: number;
  packs: number;
}

export const DRUGS: readonly DrugInfo[] = [
  { code: 'YP0001', name: '硝苯地平缓释片', spec: '10mg×30片', dose: 10, unit: 'mg', route: '1', usage: '口服，每日2次', price: 12.5, packs: 2 },
  { code: 'YP0002', name: '苯磺酸氨氯地平片', spec: '5mg×28片', dose: 5, unit: 'mg', route: '1', usage: '口服，每日1次', price: 9.8, packs: 2 },
  { code: 'YP0003', name: '厄贝沙坦片', spec: '150mg×14片', dose: 150, unit: 'mg', route: '1', usage: '口服，每日1次', price: 15.6, packs: 2 },
  { code: 'YP0004', name: '缬沙坦胶囊', spec: '80mg×28粒', dose: 80, unit: 'mg', route: '1', usage: '口服，每日1次', price: 18.2, packs: 1 },
  { code: 'YP0005', name: '马来酸依那普利片', spec: '10mg×16片', dose: 10, unit: 'mg', route: '1', usage: '口服，每日1次', price: 6.4, packs: 2 },
  { code: 'YP0006', name: '琥珀酸美托洛尔缓释片', spec: '47.5mg×7片', dose: 47.5, unit: 'mg', route: '1', usage: '口服，每日1次', price: 21.3, packs: 4 },
  { code: 'YP0007', name: '氢氯噻嗪片', spec: '25mg×100片', dose: 25, unit: 'mg', route: '1', usage: '口服，每日1次', price: 5.2, packs: 1 },
  { code: 'YP0008', name: '盐酸二甲双胍片', spec: '0.5g×20片', dose: 0.5, unit: 'g', route: '1', usage: '口服，每日3次，餐中服', price: 7.9, packs: 3 },
  { code: 'YP0009', name: '格列美脲片', spec: '2mg×15片', dose: 2, unit: 'mg', route: '1', usage: '口服，每日1次，早餐前', price: 16.8, packs: 2 },
  { code: 'YP0010', name: '阿卡波糖片', spec: '50mg×30片', dose: 50, unit: 'mg', route: '1', usage: '口服，每日3次，与第一口饭同嚼服', price: 32.5, packs: 2 },
  { code: 'YP0011', name: '门冬胰岛素注射液', spec: '3mL:300单位', dose: 8, unit: '单位', route: '401', usage: '皮下注射，每日3次，餐前', price: 68.0, packs: 2 },
  { code: 'YP0012', name: '阿托伐他汀钙片', spec: '20mg×7片', dose: 20, unit: 'mg', route: '1', usage: '口服，每晚1次', price: 13.7, packs: 4 },
  { code: 'YP0013', name: '瑞舒伐他汀钙片', spec: '10mg×7片', dose: 10, unit: 'mg', route: '1', usage: '口服，每晚1次', price: 11.9, packs: 4 },
  { code: 'YP0014', name: '阿司匹林肠溶片', spec: '100mg×30片', dose: 100, unit: 'mg', route: '1', usage: '口服，每日1次', price: 14.5, packs: 1 },
  { code: 'YP0015', name: '硫酸氢氯吡格雷片', spec: '75mg×7片', dose: 75, unit: 'mg', route: '1', usage: '口服，每日1次', price: 22.4, packs: 4 },
  { code: 'YP0016', name: '阿莫西林胶囊', spec: '0.25g×24粒', dose: 0.5, unit: 'g', route: '1', usage: '口服，每日3次', price: 8.6, packs: 2 },
  { code: 'YP0017', name: '头孢克肟胶囊', spec: '0.1g×6粒', dose: 0.1, unit: 'g', route: '1', usage: '口服，每日2次', price: 16.2, packs: 2 },
  { code: 'YP0018', name: '头孢呋辛酯片', spec: '0.25g×12片', dose: 0.25, unit: 'g', route: '1', usage: '口服，每日2次，餐后', price: 19.5, packs: 1 },
  { code: 'YP0019', name: '阿奇霉素片', spec: '0.25g×6片', dose: 0.5, unit: 'g', route: '1', usage: '口服，每日1次', price: 17.3, packs: 1 },
  { code: 'YP0020', name: '左氧氟沙星片', spec: '0.5g×4片', dose: 0.5, unit: 'g', route: '1', usage: '口服，每日1次', price: 14.8, packs: 2 },
  { code: 'YP0021', name: '注射用头孢曲松钠', spec: '1g', dose: 2, unit: 'g', route: '404', usage: '静脉滴注，每日1次', price: 6.5, packs: 6 },
  { code: 'YP0022', name: '氯化钠注射液', spec: '0.9%:100mL', dose: 100, unit: 'mL', route: '404', usage: '静脉滴注，每日1次，溶媒', price: 3.2, packs: 3 },
  { code: 'YP0023', name: '布洛芬缓释胶囊', spec: '0.3g×20粒', dose: 0.3, unit: 'g', route: '1', usage: '口服，每日2次，必要时', price: 11.4, packs: 1 },
  { code: 'YP0024', name: '对乙酰氨基酚片', spec: '0.5g×12片', dose: 0.5, unit: 'g', route: '1', usage: '口服，发热时服用，间隔不少于4小时', price: 4.3, packs: 1 },
  { code: 'YP0025', name: '复方氨酚烷胺片', spec: '12片', dose: 1, unit: '片', route: '1', usage: '口服，每日2次', price: 9.9, packs: 1 },
  { code: 'YP0026', name: '盐酸氨溴索片', spec: '30mg×20片', dose: 30, unit: 'mg', route: '1', usage: '口服，每日3次', price: 8.1, packs: 1 },
  { code: 'YP0027', name: '氢溴酸右美沙芬片', spec: '15mg×24片', dose: 15, unit: 'mg', route: '1', usage: '口服，每日3次', price: 7.6, packs: 1 },
  { code: 'YP0028', name: '孟鲁司特钠片', spec: '10mg×5片', dose: 10, unit: 'mg', route: '1', usage: '口服，每晚1次', price: 25.6, packs: 2 },
  { code: 'YP0029', name: '硫酸沙丁胺醇吸入气雾剂', spec: '100μg×200揿', dose: 2, unit: '揿', route: '5', usage: '吸入，喘息发作时', price: 23.0, packs: 1 },
  { code: 'YP0030', name: '奥美拉唑肠溶胶囊', spec: '20mg×14粒', dose: 20, unit: 'mg', route: '1', usage: '口服，每日1次，早餐前', price: 10.6, packs: 2 },
  { code: 'YP0031', name: '雷贝拉唑钠肠溶片', spec: '10mg×7片', dose: 10, unit: 'mg', route: '1', usage: '口服，每日1次，早餐前', price: 19.8, packs: 2 },
  { code: 'YP0032', name: '铝碳酸镁咀嚼片', spec: '0.5g×20片', dose: 1, unit: 'g', route: '1', usage: '嚼服，每日3次，餐后', price: 12.2, packs: 1 },
  { code: 'YP0033', name: '蒙脱石散', spec: '3g×10袋', dose: 3, unit: 'g', route: '1', usage: '口服，每日3次', price: 11.5, packs: 1 },
  { code: 'YP0034', name: '枸橼酸莫沙必利片', spec: '5mg×24片', dose: 5, unit: 'mg', route: '1', usage: '口服，每日3次，餐前', price: 18.6, packs: 1 },
  { code: 'YP0035', name: '氯雷他定片', spec: '10mg×6片', dose: 10, unit: 'mg', route: '1', usage: '口服，每日1次', price: 9.2, packs: 2 },
  { code: 'YP0036', name: '盐酸西替利嗪片', spec: '10mg×12片', dose: 10, unit: 'mg', route: '1', usage: '口服，每日1次', price: 13.1, packs: 1 },
  { code: 'YP0037', name: '甲钴胺片', spec: '0.5mg×20片', dose: 0.5, unit: 'mg', route: '1', usage: '口服，每日3次', price: 24.7, packs: 2 },
  { code: 'YP0038', name: '左甲状腺素钠片', spec: '50μg×100片', dose: 50, unit: 'μg', route: '1', usage: '口服，每日1次，早餐前', price: 26.3, packs: 1 },
  { code: 'YP0039', name: '碳酸钙D3片', spec: '600mg×60片', dose: 600, unit: 'mg', route: '1', usage: '口服，每日1次', price: 29.8, packs: 1 },
  { code: 'YP0040', name: '艾司唑仑片', spec: '1mg×20片', dose: 1, unit: 'mg', route: '1', usage: '口服，睡前1次', price: 3.6, packs: 1 },
  { code: 'YP0041', name: '盐酸伐昔洛韦片', spec: '0.3g×6片', dose: 0.3, unit: 'g', route: '1', usage: '口服，每日2次', price: 18.9, packs: 3 },
  { code: 'YP0042', name: '恩替卡韦分散片', spec: '0.5mg×7片', dose: 0.5, unit: 'mg', route: '1', usage: '口服，每日1次，空腹', price: 12.6, packs: 4 },
  { code: 'YP0043', name: '盐酸坦索罗辛缓释胶囊', spec: '0.2mg×10粒', dose: 0.2, unit: 'mg', route: '1', usage: '口服，每日1次，餐后', price: 27.5, packs: 3 },
  { code: 'YP0044', name: '双氯芬酸钠缓释片', spec: '75mg×10片', dose: 75, unit: 'mg', route: '1', usage: '口服，每日1次，餐后', price: 8.8, packs: 1 },
  { code: 'YP0045', name: '非布司他片', spec: '40mg×16片', dose: 40, unit: 'mg', route: '1', usage: '口服，每日1次', price: 32.9, packs: 1 },
  { code: 'YP0046', name: '呋塞米片', spec: '20mg×100片', dose: 20, unit: 'mg', route: '1', usage: '口服，每日1次', price: 4.9, packs: 1 },
  { code: 'YP0047', name: '盐酸舍曲林片', spec: '50mg×14片', dose: 50, unit: 'mg', route: '1', usage: '口服，每日1次', price: 38.6, packs: 2 },
  { code: 'YP0048', name: '妥布霉素滴眼液', spec: '0.3%:5mL', dose: 1, unit: '滴', route: '6', usage: '滴眼，每日4次', price: 14.2, packs: 1 },
] as const;

export interface LabItemInfo {
  code: string;
  name: string;
  unit: string;
  specimen: string;
  category: string;
  /** Reference interval [low, high]; the female interval when it differs. */
  ref: readonly [number, number];
  refFemale?: readonly [number, number];
  /** Decimal places reported. */
  decimals: number;
}

export const LAB_ITEMS: readonly LabItemInfo[] = [
  { code: 'JY0001', name: '白细胞计数', unit: '×10^9/L', specimen: '全血', category: '临床血液学检验', ref: [3.5, 9.5], decimals: 2 },
  { code: 'JY0002', name: '红细胞计数', unit: '×10^12/L', specimen: '全血', category: '临床血液学检验', ref: [4.3, 5.8], refFemale: [3.8, 5.1], decimals: 2 },
  { code: 'JY0003', name: '血红蛋白', unit: 'g/L', specimen: '全血', category: '临床血液学检验', ref: [130, 175], refFemale: [115, 150], decimals: 0 },
  { code: 'JY0004', name: '血小板计数', unit: '×10^9/L', specimen: '全血', category: '临床血液学检验', ref: [125, 350], decimals: 0 },
  { code: 'JY0005', name: '中性粒细胞百分比', unit: '%', specimen: '全血', category: '临床血液学检验', ref: [40, 75], decimals: 1 },
  { code: 'JY0006', name: '淋巴细胞百分比', unit: '%', specimen: '全血', category: '临床血液学检验', ref: [20, 50], decimals: 1 },
  { code: 'JY0007', name: '葡萄糖(空腹)', unit: 'mmol/L', specimen: '血清', category: '临床化学检验', ref: [3.9, 6.1], decimals: 2 },
  { code: 'JY0008', name: '糖化血红蛋白', unit: '%', specimen: '全血', category: '临床化学检验', ref: [4.0, 6.0], decimals: 1 },
  { code: 'JY0009', name: '总胆固醇', unit: 'mmol/L', specimen: '血清', category: '临床化学检验', ref: [2.8, 5.2], decimals: 2 },
  { code: 'JY0010', name: '甘油三酯', unit: 'mmol/L', specimen: '血清', category: '临床化学检验', ref: [0.45, 1.7], decimals: 2 },
  { code: 'JY0011', name: '低密度脂蛋白胆固醇', unit: 'mmol/L', specimen: '血清', category: '临床化学检验', ref: [1.5, 3.4], decimals: 2 },
  { code: 'JY0012', name: '高密度脂蛋白胆固醇', unit: 'mmol/L', specimen: '血清', category: '临床化学检验', ref: [1.0, 1.9], decimals: 2 },
  { code: 'JY0013', name: '丙氨酸氨基转移酶', unit: 'U/L', specimen: '血清', category: '临床化学检验', ref: [9, 50], refFemale: [7, 40], decimals: 0 },
  { code: 'JY0014', name: '天门冬氨酸氨基转移酶', unit: 'U/L', specimen: '血清', category: '临床化学检验', ref: [15, 40], refFemale: [13, 35], decimals: 0 },
  { code: 'JY0015', name: '总胆红素', unit: 'μmol/L', specimen: '血清', category: '临床化学检验', ref: [3.4, 20.5], decimals: 1 },
  { code: 'JY0016', name: '白蛋白', unit: 'g/L', specimen: '血清', category: '临床化学检验', ref: [40, 55], decimals: 1 },
  { code: 'JY0017', name: '肌酐', unit: 'μmol/L', specimen: '血清', category: '临床化学检验', ref: [57, 111], refFemale: [41, 81], decimals: 0 },
  { code: 'JY0018', name: '尿素', unit: 'mmol/L', specimen: '血清', category: '临床化学检验', ref: [3.1, 8.0], decimals: 2 },
  { code: 'JY0019', name: '尿酸', unit: 'μmol/L', specimen: '血清', category: '临床化学检验', ref: [208, 428], refFemale: [155, 357], decimals: 0 },
  { code: 'JY0020', name: '钾', unit: 'mmol/L', specimen: '血清', category: '临床化学检验', ref: [3.5, 5.3], decimals: 2 },
  { code: 'JY0021', name: '钠', unit: 'mmol/L', specimen: '血清', category: '临床化学检验', ref: [137, 147], decimals: 1 },
  { code: 'JY0022', name: 'C反应蛋白', unit: 'mg/L', specimen: '血清', category: '临床免疫学检验', ref: [0, 10], decimals: 1 },
  { code: 'JY0023', name: '凝血酶原时间', unit: 's', specimen: '血浆', category: '临床血液学检验', ref: [9.4, 12.5], decimals: 1 },
  { code: 'JY0024', name: '国际标准化比值', unit: 'INR', specimen: '血浆', category: '临床血液学检验', ref: [0.8, 1.2], decimals: 2 },
  { code: 'JY0025', name: 'D-二聚体', unit: 'mg/L FEU', specimen: '血浆', category: '临床血液学检验', ref: [0, 0.5], decimals: 2 },
  { code: 'JY0026', name: '高敏肌钙蛋白I', unit: 'ng/L', specimen: '血清', category: '临床免疫学检验', ref: [0, 26], decimals: 1 },
  { code: 'JY0027', name: 'N末端B型利钠肽原', unit: 'pg/mL', specimen: '血清', category: '临床免疫学检验', ref: [0, 125], decimals: 0 },
  { code: 'JY0028', name: '促甲状腺激素', unit: 'mIU/L', specimen: '血清', category: '临床免疫学检验', ref: [0.27, 4.2], decimals: 2 },
  { code: 'JY0029', name: '游离甲状腺素', unit: 'pmol/L', specimen: '血清', category: '临床免疫学检验', ref: [12, 22], decimals: 2 },
  { code: 'JY0030', name: '乙型肝炎病毒表面抗原(定量)', unit: 'IU/mL', specimen: '血清', category: '临床免疫学检验', ref: [0, 0.05], decimals: 2 },
] as const;

export interface ExamItemInfo {
  code: string;
  name: string;
  category: string;
  method: string;
  normal: readonly [findings: string, impression: string];
}

export const EXAM_ITEMS: readonly ExamItemInfo[] = [
  { code: 'JC0001', name: '胸部X线摄影(正位)', category: '放射', method: 'DR', normal: ['双肺纹理清晰，肺野内未见明显实质性病变；心影大小、形态未见异常；双侧膈面光整，肋膈角锐利。', '胸部正位片未见明显异常。'] },
  { code: 'JC0002', name: '胸部CT平扫', category: '放射', method: 'CT', normal: ['双肺支气管血管束走行自然，肺实质内未见明确结节及实变影；纵隔内未见肿大淋巴结；双侧胸腔未见积液。', '胸部CT平扫未见明显异常。'] },
  { code: 'JC0003', name: '头颅CT平扫', category: '放射', method: 'CT', normal: ['脑实质内未见异常密度影，脑室系统大小形态正常，中线结构居中，颅骨未见骨折。', '头颅CT平扫未见明显异常。'] },
  { code: 'JC0004', name: '腹部超声(肝胆胰脾)', category: '超声', method: '彩色多普勒超声', normal: ['肝脏大小形态正常，实质回声均匀；胆囊壁光滑，腔内未见异常回声；胰腺、脾脏未见明显异常。', '肝胆胰脾未见明显异常。'] },
  { code: 'JC0005', name: '泌尿系超声', category: '超声', method: '彩色多普勒超声', normal: ['双肾大小形态正常，集合系统未见分离，未见明显强回声；输尿管未见扩张；膀胱充盈可，壁光滑。', '泌尿系未见明显异常。'] },
  { code: 'JC0006', name: '甲状腺超声', category: '超声', method: '彩色多普勒超声', normal: ['甲状腺大小形态正常，实质回声均匀，未见明显结节，CDFI未见异常血流信号。', '甲状腺未见明显异常。'] },
  { code: 'JC0007', name: '心脏彩色多普勒超声', category: '超声', method: '彩色多普勒超声', normal: ['各房室内径正常，室间隔及左室壁厚度正常，运动协调；各瓣膜形态及启闭未见异常；左室射血分数正常。', '心脏结构及功能未见明显异常。'] },
  { code: 'JC0008', name: '颈动脉超声', category: '超声', method: '彩色多普勒超声', normal: ['双侧颈总动脉、颈内动脉及颈外动脉内中膜不厚，管腔内未见斑块，血流通畅。', '双侧颈动脉未见明显异常。'] },
  { code: 'JC0009', name: '常规心电图', category: '心电', method: '十二导联心电图', normal: ['窦性心律，心率72次/分，P-R间期0.16s，QRS时限0.08s，ST-T未见异常。', '正常心电图。'] },
  { code: 'JC0010', name: '电子胃镜检查', category: '内镜', method: '电子胃镜', normal: ['食管黏膜光滑，齿状线清晰；胃底、胃体黏膜未见糜烂及溃疡；幽门圆，十二指肠球部及降部未见异常。', '胃镜检查未见明显异常。'] },
  { code: 'JC0011', name: '腰椎MRI平扫', category: '放射', method: 'MRI', normal: ['腰椎生理曲度存在，各椎体形态信号未见异常，椎间盘未见明显突出，椎管未见狭窄。', '腰椎MRI平扫未见明显异常。'] },
  { code: 'JC0012', name: '膝关节X线摄影(正侧位)', category: '放射', method: 'DR', normal: ['膝关节诸骨骨质结构完整，关节间隙正常，关节面光整，周围软组织未见异常。', '膝关节未见明显异常。'] },
  { code: 'JC0013', name: '妇科超声(子宫附件)', category: '超声', method: '彩色多普勒超声', normal: ['子宫大小形态正常，肌层回声均匀，内膜居中；双侧附件区未见明显包块。', '子宫附件未见明显异常。'] },
  { code: 'JC0014', name: '产科超声', category: '超声', method: '彩色多普勒超声', normal: ['宫内单活胎，胎心搏动规律，胎儿各项生长径线与孕周相符，胎盘位置正常，羊水量适中。', '宫内单活胎，超声孕周与孕周相符。'] },
  { code: 'JC0015', name: '骨密度测定(双能X线)', category: '放射', method: '双能X线吸收法', normal: ['腰椎及股骨颈骨密度T值均大于-1.0。', '骨量正常。'] },
] as const;

/** Abnormal report texts keyed by exam code then ICD-10 code. */
export const EXAM_ABNORMAL: Readonly<Record<string, Readonly<Record<string, readonly [string, string]>>>> = {
  JC0001: {
    'J18.9': ['右下肺野见斑片状模糊影，边缘不清；心影大小形态正常；双侧肋膈角锐利。', '右下肺炎症，建议治疗后复查。'],
    'J20.9': ['双肺纹理增多、增粗，未见明显实变影。', '支气管炎改变。'],
    'J44.9': ['双肺透亮度增高，肺纹理稀疏，膈肌低平。', '慢性支气管炎、肺气肿征象。'],
  },
  JC0002: {
    'C34.9': ['右肺上叶见不规则软组织密度肿块，边缘分叶、毛刺，纵隔见肿大淋巴结。', '右肺上叶占位，考虑肺癌，建议进一步检查。'],
    'J18.9': ['双肺下叶见斑片状磨玻璃及实变影。', '双肺下叶感染性病变。'],
    'A16.2': ['右肺上叶尖后段见斑点、条索状影，部分钙化。', '右肺上叶结核可能，请结合临床。'],
  },
  JC0003: {
    'I63.9': ['左侧基底节区见片状低密度影，边界欠清，中线结构居中。', '左侧基底节区脑梗死。'],
    'I61.9': ['右侧基底节区见团片状高密度影，周围见低密度水肿带。', '右侧基底节区脑出血。'],
    'S06.0': ['脑实质内未见异常密度影，颅骨未见骨折，头皮软组织稍肿胀。', '颅内未见明显出血及骨折。'],
  },
  JC0004: {
    'K80.2': ['胆囊大小正常，腔内见多个强回声团，后伴声影，随体位移动。', '胆囊多发结石。'],
    'K81.0': ['胆囊增大，壁增厚毛糙呈双边影，腔内见强回声团伴声影。', '急性胆囊炎，胆囊结石。'],
    'B18.1': ['肝脏实质回声增粗，分布欠均匀，门静脉内径正常。', '肝实质回声增粗，请结合临床。'],
    'C22.0': ['肝右叶见一低回声团块，边界不清，内见血流信号。', '肝右叶实性占位，建议进一步检查。'],
  },
  JC0005: {
    'N20.0': ['左肾下盏见一强回声，后伴声影，左肾集合系统轻度分离。', '左肾结石伴轻度积水。'],
    'N40': ['前列腺增大，形态饱满，内部回声不均。', '前列腺增生。'],
  },
  JC0006: {
    'E05.9': ['甲状腺弥漫性增大，实质回声减低不均，CDFI示血流信号丰富呈"火海征"。', '甲状腺弥漫性病变，符合甲亢表现。'],
    'E03.9': ['甲状腺体积缩小，实质回声减低、不均匀。', '甲状腺弥漫性病变，请结合甲功。'],
  },
  JC0007: {
    'I50.9': ['左心房、左心室增大，左室壁运动普遍减弱，二尖瓣轻度反流，左室射血分数约40%。', '左心增大，左室收缩功能减低。'],
    'I11.9': ['室间隔及左室后壁增厚，左室舒张功能减低。', '左室壁增厚，左室舒张功能减低，符合高血压心脏改变。'],
    'I25.1': ['左室下壁运动减弱，左室射血分数正常低限。', '节段性室壁运动异常。'],
  },
  JC0008: {
    'I63.9': ['双侧颈动脉内中膜增厚，左侧颈总动脉分叉处见混合回声斑块。', '双侧颈动脉粥样硬化伴斑块形成。'],
    'I10': ['双侧颈动脉内中膜增厚约1.1mm，未见明显斑块。', '双侧颈动脉内中膜增厚。'],
    'E11.9': ['双侧颈动脉内中膜增厚，右侧颈内动脉起始处见小斑块。', '颈动脉粥样硬化斑块形成。'],
  },
  JC0009: {
    I48: ['P波消失，代之以f波，心室率约110次/分，RR间期绝对不等。', '心房颤动。'],
    'I21.9': ['窦性心律，V1-V4导联ST段弓背向上抬高，可见病理性Q波。', '急性前壁心肌梗死。'],
    'I25.1': ['窦性心律，II、III、aVF导联ST段压低0.05mV，T波低平。', 'ST-T改变。'],
    'I20.9': ['窦性心律，V4-V6导联ST段水平型压低0.1mV。', 'ST段压低，提示心肌缺血。'],
  },
  JC0010: {
    'K29.5': ['胃窦黏膜红白相间，以红为主，可见散在点状糜烂。', '慢性非萎缩性胃炎伴糜烂。'],
    'K25.9': ['胃角见一约0.8cm溃疡，底覆白苔，周边黏膜充血水肿。', '胃角溃疡(A1期)。'],
    'C16.9': ['胃窦小弯侧见不规则溃疡型肿物，表面污秽，质脆易出血。', '胃窦占位，考虑胃癌，已取活检。'],
    'K21.9': ['食管下段黏膜充血，齿状线模糊，未见糜烂。', '反流性食管病可能。'],
  },
  JC0011: {
    'M51.2': ['L4/5椎间盘向后突出，压迫硬膜囊，左侧神经根受压。', 'L4/5椎间盘突出(中央偏左型)。'],
    'M54.5': ['腰椎退行性变，L4/5、L5/S1椎间盘膨出。', '腰椎退行性变，椎间盘膨出。'],
  },
  JC0012: {
    'M17.9': ['膝关节间隙变窄，关节面骨质硬化，边缘骨质增生。', '膝关节退行性骨关节病。'],
  },
  JC0013: {
    'N76.0': ['子宫大小形态正常，内膜厚约0.8cm；双侧附件区未见包块。', '子宫附件未见明显异常。'],
  },
  JC0014: {},
  JC0015: {
    'M81.9': ['腰椎L1-L4骨密度T值为-2.8，股骨颈T值为-2.6。', '骨质疏松。'],
  },
};

export function localCodeDomains(): EnumeratedValueDomain[] {
  return [
    enumeratedDomain({
      namespace: DAZHOU,
      identifier: DRUG_CATALOG,
      name: '达州市区域西药药品目录(演示子集)',
      definition: '达州市全民健康信息平台用于处方标化的西药药品代码，按通用名和剂型编码。',
      origin: '达州市卫生健康委员会(地方扩展)',
      comments: '地方代码(LOCAL)：代码YPnnnn由本平台定义，非国家医保药品代码。',
      values: DRUGS.map((d, i) => ({ code: d.code, meaning: d.name, order: i + 1 })),
    }),
    enumeratedDomain({
      namespace: DAZHOU,
      identifier: LAB_ITEM_CATALOG,
      name: '达州市区域检验项目目录(演示子集)',
      definition: '达州市检查检验结果互认平台使用的检验项目代码。',
      origin: '达州市卫生健康委员会(地方扩展)',
      comments: '地方代码(LOCAL)：代码JYnnnn由本平台定义，未映射LOINC。',
      values: LAB_ITEMS.map((d, i) => ({ code: d.code, meaning: d.name, order: i + 1 })),
    }),
    enumeratedDomain({
      namespace: DAZHOU,
      identifier: EXAM_ITEM_CATALOG,
      name: '达州市区域检查项目目录(演示子集)',
      definition: '达州市检查检验结果互认平台使用的检查项目代码。',
      origin: '达州市卫生健康委员会(地方扩展)',
      comments: '地方代码(LOCAL)：代码JCnnnn由本平台定义。',
      values: EXAM_ITEMS.map((d, i) => ({ code: d.code, meaning: d.name, order: i + 1 })),
    }),
  ];
}
