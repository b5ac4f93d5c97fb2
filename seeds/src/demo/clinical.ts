import { Rng, Weighted } from './prng';

/**
 * Clinical knowledge for the generator: how often each diagnosis of the ICD-10 subset is seen in
 * outpatient and inpatient care, who can have it, where it is treated, what is prescribed and
 * examined. Weights are rough relative frequencies for a Sichuan prefecture, not statistics.
 */

export interface DiagnosisProfile {
  code: string;
  /** Relative frequency among outpatient visits and among admissions. */
  out: number;
  inp: number;
  dept: string;
  sex?: '1' | '2';
  minAge?: number;
  maxAge?: number;
  /** Treated only in hospitals (not by township health centres). */
  hospitalOnly?: boolean;
  /** Chief complaint template: {d} days, {m} months, {y} years. */
  complaint: string;
  drugs?: readonly string[];
  exams?: readonly string[];
  /** Length of stay range in days. */
  los?: readonly [number, number];
  fever?: boolean;
  surgery?: boolean;
  /** Mortality per admission. */
  death?: number;
}

export const DIAGNOSES: readonly DiagnosisProfile[] = [
  { code: 'I10', out: 12, inp: 1, dept: '心血管内科', minAge: 25, complaint: '发现血压升高{y}年，复诊', drugs: ['YP0001', 'YP0002', 'YP0003', 'YP0004', 'YP0005', 'YP0007'], exams: ['JC0009', 'JC0008'], los: [5, 9] },
  { code: 'I11.9', out: 1, inp: 1, dept: '心血管内科', minAge: 45, complaint: '活动后胸闷{m}个月', drugs: ['YP0003', 'YP0006', 'YP0002'], exams: ['JC0007', 'JC0009'], los: [6, 10] },
  { code: 'I20.9', out: 1.5, inp: 2, dept: '心血管内科', minAge: 40, complaint: '反复胸痛{m}个月', drugs: ['YP0014', 'YP0012', 'YP0006'], exams: ['JC0009', 'JC0007'], los: [5, 9] },
  { code: 'I21.9', out: 0.2, inp: 1.5, dept: '心血管内科', minAge: 40, hospitalOnly: true, complaint: '突发胸痛{d}小时', drugs: ['YP0014', 'YP0015'], exams: ['JC0009'], los: [7, 14], death: 0.05 },
  { code: 'I25.1', out: 2, inp: 3, dept: '心血管内科', minAge: 45, complaint: '反复胸闷、心悸{y}年', drugs: ['YP0014', 'YP0012', 'YP0015', 'YP0006'], exams: ['JC0009', 'JC0007'], los: [6, 11] },
  { code: 'I48', out: 0.6, inp: 1, dept: '心血管内科', minAge: 50, complaint: '心悸、胸闷{d}天', drugs: ['YP0006'], exams: ['JC0009', 'JC0007'], los: [5, 10] },
  { code: 'I50.9', out: 0.6, inp: 2.5, dept: '心血管内科', minAge: 50, complaint: '活动后气促伴双下肢水肿{d}天', drugs: ['YP0046', 'YP0006'], exams: ['JC0007', 'JC0001'], los: [7, 15], death: 0.03 },
  { code: 'I61.9', out: 0.1, inp: 1, dept: '神经内科', minAge: 40, hospitalOnly: true, complaint: '突发头痛伴右侧肢体无力{d}小时', exams: ['JC0003'], los: [14, 28], death: 0.06 },
  { code: 'I63.9', out: 1, inp: 5, dept: '神经内科', minAge: 45, complaint: '左侧肢体麻木无力{d}天', drugs: ['YP0014', 'YP0012', 'YP0015'], exams: ['JC0003', 'JC0008'], los: [8, 16], death: 0.01 },
  { code: 'I69.3', out: 1, inp: 0.8, dept: '神经内科', minAge: 50, complaint: '脑梗死后肢体活动不利{y}年', drugs: ['YP0014', 'YP0012'], exams: ['JC0003'], los: [10, 20] },
  { code: 'G45.9', out: 0.4, inp: 0.8, dept: '神经内科', minAge: 45, complaint: '一过性头晕、言语不清{d}天', drugs: ['YP0014', 'YP0013'], exams: ['JC0003', 'JC0008'], los: [5, 9] },
  { code: 'G43.9', out: 0.8, inp: 0, dept: '神经内科', minAge: 14, maxAge: 65, complaint: '反复发作性头痛{y}年', drugs: ['YP0023'] },
  { code: 'G47.0', out: 1, inp: 0, dept: '神经内科', minAge: 18, complaint: '入睡困难{m}个月', drugs: ['YP0040'] },
  { code: 'R42', out: 1.5, inp: 0, dept: '神经内科', minAge: 18, complaint: '头晕{d}天', drugs: ['YP0037'], exams: ['JC0003'] },
  { code: 'R51', out: 0.8, inp: 0, dept: '神经内科', minAge: 10, complaint: '头痛{d}天', drugs: ['YP0023'] },
  { code: 'I83.9', out: 0.5, inp: 0.8, dept: '普通外科', minAge: 30, complaint: '双下肢静脉迂曲扩张{y}年', los: [4, 8], surgery: true },
  { code: 'E11.9', out: 7, inp: 1.5, dept: '内分泌科', minAge: 25, complaint: '口干、多饮{m}个月，血糖控制复诊', drugs: ['YP0008', 'YP0009', 'YP0010'], exams: ['JC0008'], los: [6, 12] },
  { code: 'E11.2', out: 0.6, inp: 0.8, dept: '内分泌科', minAge: 40, complaint: '血糖升高{y}年，泡沫尿{m}个月', drugs: ['YP0008', 'YP0011'], exams: ['JC0005'], los: [7, 13] },
  { code: 'E11.5', out: 0.5, inp: 0.8, dept: '内分泌科', minAge: 40, complaint: '血糖升高{y}年，双足麻木{m}个月', drugs: ['YP0008', 'YP0011', 'YP0037'], exams: ['JC0008'], los: [7, 13] },
  { code: 'E78.5', out: 2, inp: 0, dept: '心血管内科', minAge: 30, complaint: '体检发现血脂升高{m}个月', drugs: ['YP0012', 'YP0013'] },
  { code: 'E03.9', out: 0.6, inp: 0, dept: '内分泌科', minAge: 20, complaint: '乏力、怕冷{m}个月', drugs: ['YP0038'], exams: ['JC0006'] },
  { code: 'E05.9', out: 0.5, inp: 0.2, dept: '内分泌科', minAge: 18, complaint: '心悸、多汗、消瘦{m}个月', exams: ['JC0006'], los: [5, 8] },
  { code: 'E66.9', out: 0.3, inp: 0, dept: '内分泌科', minAge: 10, complaint: '体重增加{y}年' },
  { code: 'M10.9', out: 0.8, inp: 0, dept: '风湿免疫科', sex: '1', minAge: 30, complaint: '右足第一跖趾关节红肿疼痛{d}天', drugs: ['YP0045', 'YP0044'] },
  { code: 'J06.9', out: 14, inp: 0, dept: '呼吸内科', complaint: '咽痛、流涕、咳嗽{d}天', drugs: ['YP0025', 'YP0024', 'YP0016', 'YP0026'], fever: true },
  { code: 'J00', out: 4, inp: 0, dept: '呼吸内科', complaint: '鼻塞、流涕{d}天', drugs: ['YP0025', 'YP0024'] },
  { code: 'J02.9', out: 3, inp: 0, dept: '耳鼻咽喉科', complaint: '咽痛{d}天', drugs: ['YP0016', 'YP0017'] },
  { code: 'J03.9', out: 2, inp: 0.2, dept: '耳鼻咽喉科', maxAge: 40, complaint: '咽痛伴发热{d}天', drugs: ['YP0016', 'YP0018', 'YP0024'], fever: true, los: [3, 6] },
  { code: 'J11.1', out: 2, inp: 0.3, dept: '呼吸内科', complaint: '发热、全身酸痛{d}天', drugs: ['YP0024', 'YP0025'], fever: true, los: [4, 7] },
  { code: 'J18.9', out: 2, inp: 8, dept: '呼吸内科', complaint: '咳嗽、咳痰伴发热{d}天', drugs: ['YP0019', 'YP0020', 'YP0021', 'YP0022', 'YP0026'], exams: ['JC0001', 'JC0002'], fever: true, los: [6, 12], death: 0.01 },
  { code: 'J20.9', out: 5, inp: 1, dept: '呼吸内科', complaint: '咳嗽、咳痰{d}天', drugs: ['YP0026', 'YP0027', 'YP0019'], exams: ['JC0001'], los: [4, 8] },
  { code: 'J40', out: 1.5, inp: 0, dept: '呼吸内科', complaint: '反复咳嗽{m}个月', drugs: ['YP0026'], exams: ['JC0001'] },
  { code: 'J44.9', out: 2, inp: 4, dept: '呼吸内科', minAge: 50, complaint: '反复咳嗽、咳痰、气促{y}年，加重{d}天', drugs: ['YP0026', 'YP0029', 'YP0019'], exams: ['JC0001', 'JC0002'], los: [8, 14], death: 0.01 },
  { code: 'J45.9', out: 1, inp: 0.5, dept: '呼吸内科', complaint: '反复喘息{y}年', drugs: ['YP0028', 'YP0029'], exams: ['JC0001'], los: [5, 9] },
  { code: 'R05', out: 2, inp: 0, dept: '呼吸内科', complaint: '咳嗽{d}天', drugs: ['YP0027', 'YP0026'] },
  { code: 'R50.9', out: 1.5, inp: 0, dept: '内科', complaint: '发热{d}天', drugs: ['YP0024'], fever: true },
  { code: 'A16.2', out: 0.2, inp: 0.4, dept: '感染科', minAge: 15, hospitalOnly: true, complaint: '咳嗽、午后低热{m}个月', exams: ['JC0002', 'JC0001'], los: [10, 20] },
  { code: 'B18.1', out: 1, inp: 0.3, dept: '感染科', minAge: 18, complaint: '发现乙肝表面抗原阳性{y}年，复查', drugs: ['YP0042'], exams: ['JC0004'], los: [7, 12] },
  { code: 'B02.9', out: 0.6, inp: 0, dept: '皮肤科', minAge: 30, complaint: '右侧胸背部簇集性水疱伴疼痛{d}天', drugs: ['YP0041'] },
  { code: 'B08.4', out: 1, inp: 0.2, dept: '儿科', maxAge: 6, complaint: '发热伴手足皮疹{d}天', drugs: ['YP0024'], fever: true, los: [3, 6] },
  { code: 'A08.0', out: 0.6, inp: 0.2, dept: '儿科', maxAge: 5, complaint: '腹泻、呕吐{d}天', drugs: ['YP0033'], los: [3, 5] },
  { code: 'A09.0', out: 2, inp: 0.5, dept: '消化内科', complaint: '腹泻{d}天', drugs: ['YP0033', 'YP0020'], los: [3, 6] },
  { code: 'K29.5', out: 4, inp: 0, dept: '消化内科', minAge: 18, complaint: '反复上腹部不适{m}个月', drugs: ['YP0030', 'YP0032', 'YP0034'], exams: ['JC0010'] },
  { code: 'K29.7', out: 2, inp: 0, dept: '消化内科', minAge: 12, complaint: '上腹痛{d}天', drugs: ['YP0030', 'YP0032'] },
  { code: 'K21.9', out: 1, inp: 0, dept: '消化内科', minAge: 20, complaint: '反酸、烧心{m}个月', drugs: ['YP0031', 'YP0034'], exams: ['JC0010'] },
  { code: 'K25.9', out: 0.8, inp: 1, dept: '消化内科', minAge: 18, complaint: '反复上腹痛{m}个月', drugs: ['YP0031', 'YP0032'], exams: ['JC0010'], los: [5, 10] },
  { code: 'K52.9', out: 1.5, inp: 0, dept: '消化内科', complaint: '腹痛、腹泻{d}天', drugs: ['YP0033'] },
  { code: 'K35.9', out: 0.3, inp: 3, dept: '普通外科', minAge: 8, hospitalOnly: true, complaint: '转移性右下腹痛{d}小时', exams: ['JC0004'], los: [4, 8], surgery: true },
  { code: 'K80.2', out: 1, inp: 3, dept: '普通外科', minAge: 25, complaint: '反复右上腹隐痛{m}个月', exams: ['JC0004'], los: [4, 9], surgery: true },
  { code: 'K81.0', out: 0.3, inp: 1.5, dept: '普通外科', minAge: 25, hospitalOnly: true, complaint: '右上腹痛伴发热{d}天', exams: ['JC0004'], fever: true, los: [5, 10], surgery: true },
  { code: 'R10.4', out: 1.5, inp: 0, dept: '内科', complaint: '腹痛{d}天', exams: ['JC0004'] },
  { code: 'C34.9', out: 0.5, inp: 2, dept: '肿瘤科', minAge: 45, hospitalOnly: true, complaint: '咳嗽、痰中带血{m}个月', exams: ['JC0002'], los: [8, 20], surgery: true, death: 0.04 },
  { code: 'C16.9', out: 0.3, inp: 1.2, dept: '肿瘤科', minAge: 45, hospitalOnly: true, complaint: '上腹痛、消瘦{m}个月', exams: ['JC0010'], los: [10, 20], surgery: true, death: 0.04 },
  { code: 'C22.0', out: 0.2, inp: 1, dept: '肿瘤科', minAge: 40, hospitalOnly: true, complaint: '右上腹胀痛{m}个月', exams: ['JC0004'], los: [10, 20], death: 0.05 },
  { code: 'C18.9', out: 0.2, inp: 0.8, dept: '肿瘤科', minAge: 40, hospitalOnly: true, complaint: '大便习惯改变伴便血{m}个月', los: [10, 20], surgery: true, death: 0.03 },
  { code: 'C15.9', out: 0.2, inp: 0.8, dept: '肿瘤科', minAge: 45, hospitalOnly: true, complaint: '进行性吞咽困难{m}个月', exams: ['JC0010'], los: [10, 20], surgery: true, death: 0.04 },
  { code: 'C50.9', out: 0.3, inp: 0.8, dept: '肿瘤科', sex: '2', minAge: 30, hospitalOnly: true, complaint: '发现左乳肿块{m}个月', los: [7, 14], surgery: true, death: 0.01 },
  { code: 'D64.9', out: 0.6, inp: 0.3, dept: '内科', complaint: '乏力、头晕{m}个月', los: [5, 9] },
  { code: 'N39.0', out: 1.5, inp: 0.5, dept: '肾内科', complaint: '尿频、尿急、尿痛{d}天', drugs: ['YP0020'], exams: ['JC0005'], los: [4, 7] },
  { code: 'N40', out: 1, inp: 0.6, dept: '泌尿外科', sex: '1', minAge: 50, complaint: '进行性排尿困难{y}年', drugs: ['YP0043'], exams: ['JC0005'], los: [6, 10], surgery: true },
  { code: 'N20.0', out: 0.8, inp: 1, dept: '泌尿外科', minAge: 20, complaint: '左侧腰部绞痛{d}天', drugs: ['YP0044'], exams: ['JC0005'], los: [4, 8], surgery: true },
  { code: 'N18.9', out: 0.6, inp: 1, dept: '肾内科', minAge: 40, complaint: '发现肌酐升高{y}年', drugs: ['YP0046'], exams: ['JC0005'], los: [7, 14] },
  { code: 'N76.0', out: 1.2, inp: 0, dept: '妇产科', sex: '2', minAge: 18, maxAge: 60, complaint: '白带增多伴外阴瘙痒{d}天', exams: ['JC0013'] },
  { code: 'O80.0', out: 0, inp: 3, dept: '妇产科', sex: '2', minAge: 20, maxAge: 40, complaint: '停经39周，下腹阵痛{d}小时', exams: ['JC0014'], los: [2, 4] },
  { code: 'O82.9', out: 0, inp: 2.5, dept: '妇产科', sex: '2', minAge: 20, maxAge: 42, hospitalOnly: true, complaint: '停经38周，要求住院待产', exams: ['JC0014'], los: [4, 7], surgery: true },
  { code: 'Z34.9', out: 2, inp: 0, dept: '妇产科', sex: '2', minAge: 20, maxAge: 40, complaint: '停经{d}周，产前检查', exams: ['JC0014'] },
  { code: 'M17.9', out: 1.5, inp: 0.5, dept: '骨科', minAge: 45, complaint: '双膝关节疼痛{y}年', drugs: ['YP0044'], exams: ['JC0012'], los: [6, 12], surgery: true },
  { code: 'M51.2', out: 1, inp: 1, dept: '骨科', minAge: 25, complaint: '腰痛伴左下肢放射痛{m}个月', drugs: ['YP0044', 'YP0037'], exams: ['JC0011'], los: [7, 14], surgery: true },
  { code: 'M54.5', out: 1.5, inp: 0, dept: '骨科', minAge: 20, complaint: '腰痛{d}天', drugs: ['YP0044'], exams: ['JC0011'] },
  { code: 'M81.9', out: 0.8, inp: 0, dept: '骨科', minAge: 50, complaint: '腰背部疼痛{y}年', drugs: ['YP0039'], exams: ['JC0015'] },
  { code: 'S52.5', out: 0.5, inp: 0.8, dept: '骨科', complaint: '摔伤致右腕部肿痛{d}小时', drugs: ['YP0044'], los: [5, 10], surgery: true },
  { code: 'S72.0', out: 0.1, inp: 1.2, dept: '骨科', minAge: 60, hospitalOnly: true, complaint: '摔伤致左髋部疼痛、活动受限{d}小时', los: [10, 20], surgery: true, death: 0.02 },
  { code: 'S06.0', out: 0.3, inp: 0.6, dept: '神经外科', complaint: '头部外伤后头痛{d}小时', exams: ['JC0003'], los: [3, 7] },
  { code: 'T14.0', out: 1.5, inp: 0, dept: '急诊科', complaint: '外伤后局部疼痛{d}小时' },
  { code: 'F32.9', out: 0.5, inp: 0, dept: '精神科', minAge: 14, hospitalOnly: true, complaint: '情绪低落、兴趣减退{m}个月', drugs: ['YP0047'] },
  { code: 'F41.9', out: 0.5, inp: 0, dept: '精神科', minAge: 14, complaint: '紧张、担心、心慌{m}个月', drugs: ['YP0047'] },
  { code: 'F20.9', out: 0.2, inp: 0.4, dept: '精神科', minAge: 16, hospitalOnly: true, complaint: '言行异常{y}年，复诊', los: [20, 40] },
  { code: 'H10.9', out: 1, inp: 0, dept: '眼科', complaint: '双眼红、分泌物增多{d}天', drugs: ['YP0048'] },
  { code: 'H25.9', out: 0.6, inp: 1, dept: '眼科', minAge: 55, complaint: '双眼视物模糊{y}年', los: [2, 4], surgery: true },
  { code: 'H40.9', out: 0.3, inp: 0, dept: '眼科', minAge: 40, hospitalOnly: true, complaint: '视物模糊伴眼胀{m}个月' },
  { code: 'H66.9', out: 0.6, inp: 0, dept: '耳鼻咽喉科', complaint: '耳痛{d}天', drugs: ['YP0016'] },
  { code: 'K02.9', out: 1.5, inp: 0, dept: '口腔科', complaint: '牙痛{d}天', drugs: ['YP0023', 'YP0016'] },
  { code: 'K05.1', out: 0.8, inp: 0, dept: '口腔科', minAge: 12, complaint: '刷牙时牙龈出血{m}个月' },
  { code: 'L30.9', out: 1.2, inp: 0, dept: '皮肤科', complaint: '皮肤红斑伴瘙痒{d}天', drugs: ['YP0035'] },
  { code: 'L50.9', out: 1, inp: 0, dept: '皮肤科', complaint: '全身风团伴瘙痒{d}天', drugs: ['YP0036', 'YP0035'] },
  { code: 'Z00.0', out: 2, inp: 0, dept: '健康管理科', complaint: '健康体检', exams: ['JC0009', 'JC0004', 'JC0001'] },
];

const BY_CODE = new Map(DIAGNOSES.map(d => [d.code, d]));

export function diagnosisProfile(code: string): DiagnosisProfile {
  const d = BY_CODE.get(code);
  if (!d) throw new Error(`no diagnosis profile for ${code}`);
  return d;
}

export function fits(d: DiagnosisProfile, sexCode: string, age: number): boolean {
  return (d.sex === undefined || d.sex === sexCode) && age >= (d.minAge ?? 0) && age <= (d.maxAge ?? 200);
}

const OUTPATIENT = new Weighted(DIAGNOSES.map(d => [d, d.out] as const));
const OUTPATIENT_PRIMARY = new Weighted(DIAGNOSES.filter(d => !d.hospitalOnly).map(d => [d, d.out] as const));
const INPATIENT = new Weighted(DIAGNOSES.map(d => [d, d.inp] as const));
const INPATIENT_PRIMARY = new Weighted(DIAGNOSES.filter(d => !d.hospitalOnly).map(d => [d, d.inp] as const));

/** Chronic conditions a person carries (stable across their visits). */
export interface Chronic {
  hypertension: boolean;
  diabetes: boolean;
  copd: boolean;
  coronary: boolean;
}

export type Setting = 'outpatient' | 'inpatient';

/**
 * A diagnosis fitting the person: chronic patients come back for their conditions; otherwise a
 * draw from the setting's frequencies restricted to the person's sex and age.
 */
export function pickDiagnosis(rng: Rng, setting: Setting, primaryCare: boolean, sexCode: string, age: number, chronic: Chronic): DiagnosisProfile {
  const out = setting === 'outpatient';
  if (chronic.hypertension && rng.chance(out ? 0.42 : 0.08)) return diagnosisProfile(rng.chance(0.92) ? 'I10' : 'I11.9');
  if (chronic.diabetes && rng.chance(out ? 0.38 : 0.1)) {
    const u = rng.next();
    return diagnosisProfile(u < 0.85 ? 'E11.9' : u < 0.93 ? 'E11.2' : 'E11.5');
  }
  if (chronic.copd && rng.chance(out ? 0.3 : 0.35)) return diagnosisProfile('J44.9');
  if (chronic.coronary && rng.chance(out ? 0.3 : 0.3)) return diagnosisProfile('I25.1');
  const table = out ? (primaryCare ? OUTPATIENT_PRIMARY : OUTPATIENT) : primaryCare ? INPATIENT_PRIMARY : INPATIENT;
  for (let i = 0; i < 40; i++) {
    const d = table.pick(rng);
    if (fits(d, sexCode, age)) return d;
  }
  return diagnosisProfile(out ? 'J06.9' : 'J18.9');
}

/** Fills the {d} {m} {y} placeholders of a complaint template. */
export function complaintText(rng: Rng, template: string): string {
  return template
    .replace('{d}', String(rng.range(1, 7)))
    .replace('{m}', String(rng.range(1, 11)))
    .replace('{y}', String(rng.range(1, 15)));
}
