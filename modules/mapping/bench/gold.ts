/**
 * Builds the benchmark vocabularies and the gold set (local name → standard codes), deterministically.
 *
 * Vocabularies:
 *  - diagnosis: the seeded ICD-10 subset (real codes, GB/T 14396-2016 names) + THUOCL disease names
 *    (MIT, synthetic codes X00001…) + derived names (modifier + base, synthetic codes) up to 40,000 terms.
 *  - drug: the seeded Dazhou drug catalogue + THUOCL drug names (synthetic codes) + dosage-form variants.
 *  - lab: the seeded Dazhou laboratory items + common items listed here (synthetic codes).
 *  - department: 医疗机构诊疗科目名录 codes (bench/departments.ts).
 * Gold items: standard names rewritten the way hospital systems write them (abbreviations, 左/右,
 * 伴 combinations, typos, full-width characters, extra qualifiers, reordering, salts and specs).
 * See bench/data/SOURCE.md.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ICD10_SUBSET } from '@lingshu/seeds/dist/catalog/icd10';
import { DRUGS, LAB_ITEMS } from '@lingshu/seeds/dist/catalog/local-codes';
import { bracketVariants, core, normalize } from '../src/normalize';
import type { Term, Vocabulary } from '../src/vocabulary-import';
import { DEPARTMENTS } from './departments';
import { ABBREVIATIONS } from '../src/abbreviations';

export type Domain = 'diagnosis' | 'drug' | 'lab' | 'department';

export interface GoldItem {
  domain: Domain;
  dictionary: string;
  text: string;
  codes: string[];
  variant: string;
}

export interface BenchData {
  vocabularies: Record<Domain, Vocabulary>;
  gold: GoldItem[];
}

export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function thuocl(): string[] {
  const file = path.resolve(__dirname, '..', '..', 'data', 'THUOCL_medical.txt');
  return fs.readFileSync(file, 'utf8').split('\n').map(l => l.split('\t')[0].trim()).filter(Boolean);
}

const DISEASE_RE = /(病|炎|症|癌|瘤|综合征|感染|损伤|骨折|出血|梗死|硬化|衰竭|结石|囊肿|溃疡|疝|畸形|中毒|障碍|贫血|积液|脱位|梗阻|增生|狭窄|麻痹|瘫痪|结核|肿大|坏死)$/;
const DRUG_RE = /(片|胶囊|注射液|颗粒|口服液|丸|霉素|西林|沙星|洛尔|地平|沙坦|普利|他汀|替丁|拉唑)$/;
const PREFIXES = ['急性', '慢性', '复发性', '先天性', '继发性', '老年性', '妊娠期', '新生儿', '药物性', '外伤性', '感染性', '过敏性', '家族性', '迟发性', '局限性', '弥漫性', '重度', '轻度'];
const SUFFIXES = ['伴出血', '伴感染', '伴穿孔', '伴梗阻', '不伴并发症', '后遗症', '个人史', '家族史', '恶化', '复发', '术后', '并发症'];
const FORMS = ['片', '胶囊', '注射液', '颗粒', '缓释片', '肠溶片', '口服溶液', '分散片'];

const EXTRA_LABS = [
  '总蛋白', '球蛋白', '直接胆红素', '间接胆红素', 'γ-谷氨酰转移酶', '碱性磷酸酶', '乳酸脱氢酶', '肌酸激酶', '肌酸激酶同工酶',
  '淀粉酶', '脂肪酶', '钙', '磷', '镁', '氯', '二氧化碳结合力', '胱抑素C', '同型半胱氨酸', '载脂蛋白A1', '载脂蛋白B',
  '红细胞沉降率', '降钙素原', '白细胞介素6', '铁蛋白', '叶酸', '维生素B12', '游离三碘甲状腺原氨酸', '甲胎蛋白', '癌胚抗原', '糖类抗原125',
  '尿蛋白定性', '尿潜血', '尿葡萄糖定性', '尿比重', '大便隐血试验', '活化部分凝血活酶时间', '凝血酶时间', '纤维蛋白原', '网织红细胞计数', '平均红细胞体积',
];

/** Short forms hospital systems use (full → short); the gold builder's own table. */
const GOLD_ABBR: ReadonlyArray<readonly [string, string]> = [
  ['慢性阻塞性肺疾病', '慢阻肺'], ['上呼吸道感染', '上感'], ['甲状腺功能亢进症', '甲亢'], ['甲状腺功能减退症', '甲减'],
  ['2型糖尿病', 'T2DM'], ['2型糖尿病', '糖尿病2型'], ['2型糖尿病', 'Ⅱ型糖尿病'], ['心房颤动', '房颤'], ['心力衰竭', '心衰'], ['急性心肌梗死', '急性心梗'],
  ['脑梗死', '脑梗塞'], ['慢性乙型病毒性肝炎', '慢性乙肝'], ['动脉硬化性心脏病', '冠心病'], ['特发性(原发性)高血压', '高血压病'],
  ['特发性(原发性)高血压', '原发性高血压'], ['慢性肾脏病', 'CKD'], ['高脂血症', '高血脂'], ['短暂性大脑缺血性发作', 'TIA'],
  ['支气管和肺恶性肿瘤', '肺癌'], ['胃恶性肿瘤', '胃癌'], ['食管恶性肿瘤', '食管癌'], ['结肠恶性肿瘤', '结肠癌'], ['乳房恶性肿瘤', '乳腺癌'],
  ['急性鼻咽炎[普通感冒]', '感冒'], ['肠道病毒性水疱性口炎伴皮疹(手足口病)', '手足口病'], ['慢性肾衰竭', '慢性肾衰'],
  ['白细胞计数', 'WBC'], ['红细胞计数', 'RBC'], ['血红蛋白', 'HGB'], ['血小板计数', 'PLT'], ['糖化血红蛋白', 'HbA1c'],
  ['丙氨酸氨基转移酶', 'ALT'], ['丙氨酸氨基转移酶', '谷丙转氨酶'], ['天门冬氨酸氨基转移酶', 'AST'], ['天门冬氨酸氨基转移酶', '谷草转氨酶'],
  ['总胆红素', 'TBIL'], ['肌酐', '血肌酐'], ['尿酸', '血尿酸'], ['钾', '血钾'], ['钠', '血钠'], ['C反应蛋白', 'CRP'], ['葡萄糖(空腹)', '空腹血糖'],
  ['低密度脂蛋白胆固醇', 'LDL-C'], ['高密度脂蛋白胆固醇', 'HDL-C'], ['总胆固醇', 'TC'], ['甘油三酯', 'TG'], ['促甲状腺激素', 'TSH'],
  ['心血管内科专业', '心内科'], ['消化内科专业', '消化科'], ['呼吸内科专业', '呼吸科'], ['神经内科专业', '神内'], ['神经外科专业', '神外'],
  ['普通外科专业', '普外科'], ['骨科专业', '骨科'], ['泌尿外科专业', '泌尿外科'], ['肾病学专业', '肾内科'], ['内分泌专业', '内分泌科'],
  ['血液内科专业', '血液科'], ['耳鼻咽喉科', '耳鼻喉科'], ['耳鼻咽喉科', '五官科'], ['医学检验科', '检验科'], ['医学影像科', '放射科'],
  ['康复医学科', '康复科'], ['急诊医学科', '急诊科'], ['妇科专业', '妇科'], ['产科专业', '产科'], ['重症医学科', 'ICU'],
];

const TYPOS: Record<string, string> = {
  梗: '埂', 塞: '赛', 症: '证', 瘤: '留', 脏: '藏', 肿: '种', 疡: '扬', 炎: '严', 囊: '曩', 胆: '但', 胃: '谓', 肠: '长', 肝: '干',
  腺: '线', 痛: '通', 伤: '份', 脑: '恼', 肺: '废', 肾: '甚', 素: '速', 酸: '算', 胶: '交', 粒: '立', 霉: '梅', 片: '篇', 血: '雪',
};
const QUALIFIERS = ['待查', '？', '?', '(待排)', '疑似', '可能', '（初诊）', '复诊', '（门诊）'];
const EXTRAS = ['（已治疗）', '3级', '高危', '稳定期', '首次发作', '（好转）', '(复查)', '急性发作期'];

function fullWidth(s: string): string {
  return s.replace(/[!-~]/g, ch => String.fromCharCode(ch.charCodeAt(0) + 0xfee0));
}

export function buildBenchData(seed = 20261126, diagnosisSize = 40000): BenchData {
  const rand = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const shuffle = <T>(xs: T[]): T[] => {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [xs[i], xs[j]] = [xs[j], xs[i]];
    }
    return xs;
  };
  const words = thuocl();

  // ---- vocabularies
  const seen = new Set<string>();
  const addTerm = (list: Term[], code: string, name: string): boolean => {
    // A name that equals another term's name or bracket variant would make the gold ambiguous.
    const ks = [normalize(name), ...bracketVariants(name)];
    if (ks.some(k => seen.has(k))) return false;
    for (const k of ks) seen.add(k);
    list.push({ code, name });
    return true;
  };
  const diag: Term[] = [];
  for (const [code, name] of ICD10_SUBSET) addTerm(diag, code, name);
  const realDiag = diag.length;
  let n = 0;
  // THUOCL words that are known short forms or synonyms of other names stay out of the vocabulary
  // (冠心病 is I25.1, not a term of its own).
  const synonyms = new Set([...GOLD_ABBR.map(([, short]) => normalize(short)), ...ABBREVIATIONS.flatMap(([a, b]) => [normalize(a), normalize(b)])]);
  for (const w of words) {
    if (DISEASE_RE.test(w) && w.length >= 2 && !synonyms.has(normalize(w))) addTerm(diag, `X${String(++n).padStart(5, '0')}`, w);
  }
  const baseDiag = diag.slice();
  const derived: Term[] = [];
  outer: for (let round = 0; ; round++) {
    for (const b of baseDiag) {
      if (diag.length >= diagnosisSize) break outer;
      const mod = round % 2 === 0 ? pick(PREFIXES) : pick(SUFFIXES);
      const name = round % 2 === 0 ? mod + b.name.replace(/\(.*?\)|\[.*?\]/g, '') : b.name.replace(/\(.*?\)|\[.*?\]/g, '') + mod;
      const t = { code: `${b.code}-${round}`, name };
      if (addTerm(diag, t.code, t.name)) derived.push(t);
    }
    if (round > 200) break;
  }
  seen.clear();
  const drug: Term[] = [];
  for (const d of DRUGS) addTerm(drug, d.code, d.name);
  const realDrug = drug.length;
  n = 0;
  const drugBases: string[] = [];
  for (const w of words) {
    if (!DRUG_RE.test(w) || w.length < 3) continue;
    if (addTerm(drug, `YPX${String(++n).padStart(5, '0')}`, w) && /(霉素|西林|沙星|洛尔|地平|沙坦|普利|他汀|替丁|拉唑)$/.test(w)) drugBases.push(w);
  }
  for (const b of drugBases) for (const f of FORMS.slice(0, 4)) addTerm(drug, `YPX${String(++n).padStart(5, '0')}`, b + f);
  seen.clear();
  const lab: Term[] = [];
  for (const l of LAB_ITEMS) addTerm(lab, l.code, l.name);
  EXTRA_LABS.forEach((name, i) => addTerm(lab, `JYX${String(i + 1).padStart(3, '0')}`, name));
  seen.clear();
  const dept: Term[] = [];
  for (const [code, name] of DEPARTMENTS) addTerm(dept, code, name);

  const vocabularies: Record<Domain, Vocabulary> = {
    diagnosis: { id: 'GB/T 14396-2016', terms: diag },
    drug: { id: 'CV99.08.001', terms: drug },
    lab: { id: 'CV99.04.001', terms: lab },
    department: { id: 'dept', terms: dept },
  };

  // ---- variants
  const keyOwner = new Map<Domain, Map<string, string>>();
  for (const [d, v] of Object.entries(vocabularies) as Array<[Domain, Vocabulary]>) {
    const m = new Map<string, string>();
    for (const t of v.terms) {
      m.set(core(t.name), m.has(core(t.name)) ? '*' : t.code);
    }
    keyOwner.set(d, m);
  }
  const typo = (s: string): string => {
    const chars = [...s];
    const idx = chars.map((c, i) => (TYPOS[c] ? i : -1)).filter(i => i >= 0);
    if (idx.length > 0 && rand() < 0.7) {
      const i = pick(idx);
      chars[i] = TYPOS[chars[i]];
      return chars.join('');
    }
    if (chars.length >= 4) {
      const i = 1 + Math.floor(rand() * (chars.length - 2));
      if (rand() < 0.5) chars.splice(i, 1);
      else [chars[i], chars[i + 1]] = [chars[i + 1], chars[i]];
    }
    return chars.join('');
  };
  const abbreviate = (s: string): string | undefined => {
    const opts = GOLD_ABBR.filter(([full]) => s.includes(full));
    if (opts.length === 0) return undefined;
    const [full, short] = pick(opts);
    return s.replace(full, short);
  };
  const lateral = (s: string): string => {
    const m = /^(左侧|右侧|双侧|左|右)(.+)$/.exec(s);
    if (m) return `${m[2]}(${m[1][0]})`;
    return rand() < 0.5 ? pick(['左侧', '右侧', '双侧', '左', '右']) + s : `${s}${pick(['(左)', '（右）', '（双侧）'])}`;
  };
  const reorder = (s: string): string | undefined => {
    const m = /^(.{1,4}性)(.{2,})$/.exec(s);
    return m ? `${m[2]}（${m[1]}）` : undefined;
  };
  const diagVariant = (name: string, kind: string): string | undefined => {
    const plain = rand() < 0.5 ? name : name.replace(/\(.*?\)|\[.*?\]/g, '');
    switch (kind) {
      case 'exact': return name;
      case 'width': return fullWidth(plain.replace(/\(/g, '(').replace(/\)/g, ')')).replace(/[ａ-ｚ]/g, c => c);
      case 'qualifier': return rand() < 0.5 ? plain + pick(QUALIFIERS) : pick(QUALIFIERS.slice(3)) + plain;
      case 'laterality': return lateral(plain);
      case 'typo': return typo(plain);
      case 'abbreviation': return abbreviate(name) ?? abbreviate(plain);
      case 'extra': return plain + pick(EXTRAS);
      case 'reorder': return reorder(plain);
      default: return undefined;
    }
  };
  const gold: GoldItem[] = [];
  const pushItem = (domain: Domain, text: string | undefined, codes: string[], variant: string): boolean => {
    if (!text || !text.trim()) return false;
    const owner = keyOwner.get(domain)!.get(core(text));
    if (owner !== undefined && (owner === '*' || !codes.includes(owner))) return false; // the variant is another term's name
    if (gold.some(g => g.domain === domain && g.text === text)) return false;
    gold.push({ domain, dictionary: vocabularies[domain].id, text, codes, variant });
    return true;
  };
  const DIAG_KINDS = ['exact', 'width', 'qualifier', 'laterality', 'typo', 'abbreviation', 'extra', 'reorder'];
  // Real ICD-10 names: several variants each.
  for (const t of diag.slice(0, realDiag)) {
    for (const kind of DIAG_KINDS) pushItem('diagnosis', diagVariant(t.name, kind), [t.code], kind);
    for (const [full, short] of GOLD_ABBR) if (t.name === full) pushItem('diagnosis', short, [t.code], 'abbreviation');
  }
  // THUOCL disease names and derived names: one or two variants each.
  const thuoclDiag = shuffle(diag.slice(realDiag, baseDiag.length));
  for (const t of thuoclDiag.slice(0, 1100)) {
    const kind = pick(DIAG_KINDS.filter(k => k !== 'abbreviation'));
    let text = diagVariant(t.name, kind);
    if (kind !== 'exact' && rand() < 0.25 && text) text = diagVariant(text, pick(['width', 'qualifier', 'laterality', 'typo']));
    pushItem('diagnosis', text, [t.code], kind);
  }
  for (const t of shuffle(derived.slice()).slice(0, 300)) {
    const kind = pick(['width', 'qualifier', 'laterality', 'typo', 'exact']);
    pushItem('diagnosis', diagVariant(t.name, kind), [t.code], `derived-${kind}`);
  }
  // Combined diagnoses (A伴B, A合并B, A；B).
  const combinable = [...diag.slice(0, realDiag), ...thuoclDiag.slice(0, 400)].filter(t => !/伴|合并|不伴/.test(t.name));
  for (let i = 0; i < 280; i++) {
    const a = pick(combinable);
    const b = pick(combinable);
    if (a.code === b.code) continue;
    const name = (t: Term) => {
      const plain = t.name.replace(/\(.*?\)|\[.*?\]/g, '');
      const ab = GOLD_ABBR.find(([full]) => full === t.name);
      return ab && rand() < 0.4 ? ab[1] : plain;
    };
    pushItem('diagnosis', `${name(a)}${pick(['伴', '伴', '合并', '；', '，'])}${name(b)}`, [a.code, b.code], 'combined');
  }
  // Drugs.
  const salt = /^(苯磺酸|马来酸|盐酸|琥珀酸|硫酸|酒石酸|富马酸|甲磺酸|门冬氨酸|阿卡波糖)/;
  const drugVariant = (t: Term, kind: string): string | undefined => {
    switch (kind) {
      case 'exact': return t.name;
      case 'salt': return salt.test(t.name) ? t.name.replace(salt, '') : undefined;
      case 'spec': return `${t.name}${pick(['10mg', '0.5g', '5mg*28片', '(20mg×30粒)', '100ml:0.2g', ' 250mg'])}`;
      case 'form': return t.name.replace(/片$/, '片剂').replace(/胶囊$/, '胶囊剂').replace(/注射液$/, '针').replace(/颗粒$/, '冲剂');
      case 'width': return fullWidth(t.name + pick(['10mg', '(国产)', '']));
      case 'typo': return typo(t.name);
      case 'extra': return pick(['(基药)', '【集采】', '(进口)', '(甲类)']) + t.name;
      default: return undefined;
    }
  };
  const DRUG_KINDS = ['exact', 'salt', 'spec', 'form', 'width', 'typo', 'extra'];
  for (const t of drug.slice(0, realDrug)) for (const kind of DRUG_KINDS) pushItem('drug', drugVariant(t, kind), [t.code], kind);
  for (const t of shuffle(drug.slice(realDrug)).slice(0, 450)) {
    const kind = pick(DRUG_KINDS.filter(k => k !== 'salt'));
    pushItem('drug', drugVariant(t, kind), [t.code], kind);
  }
  // Laboratory items.
  const labVariant = (t: Term, kind: string): string | undefined => {
    switch (kind) {
      case 'abbreviation': return abbreviate(t.name);
      case 'specimen': return pick(['血清', '血浆', '全血', '静脉血']) + t.name;
      case 'method': return t.name + pick(['测定', '检测', '(急诊)', '(干化学法)', '定量']);
      case 'width': return fullWidth(t.name);
      case 'typo': return typo(t.name);
      case 'exact': return t.name;
      default: return undefined;
    }
  };
  for (const t of lab) for (const kind of ['abbreviation', 'specimen', 'method', 'width', 'typo', 'exact']) pushItem('lab', labVariant(t, kind), [t.code], kind);
  for (const [full, short] of GOLD_ABBR) {
    const t = lab.find(x => x.name === full);
    if (t) pushItem('lab', short, [t.code], 'abbreviation');
  }
  // Departments.
  const deptVariant = (t: Term, kind: string): string | undefined => {
    switch (kind) {
      case 'abbreviation': return abbreviate(t.name) ?? t.name.replace(/专业$/, '科');
      case 'ward': return t.name.replace(/专业$/, '') + pick(['门诊', '病区', '一病区', '二病区', '住院部']);
      case 'drop': return /专业$/.test(t.name) ? t.name.replace(/专业$/, '') : undefined;
      case 'width': return fullWidth(t.name);
      case 'typo': return typo(t.name);
      default: return undefined;
    }
  };
  for (const t of dept) for (const kind of ['abbreviation', 'ward', 'drop', 'width', 'typo']) pushItem('department', deptVariant(t, kind), [t.code], kind);
  for (const [full, short] of GOLD_ABBR) {
    const t = dept.find(x => x.name === full);
    if (t) pushItem('department', short, [t.code], 'abbreviation');
  }
  return { vocabularies, gold };
}
