/**
 * The knowledge-base evaluation ("kb" mode): diagnosis lists of several institutions, each written in
 * its own house style with the hard variants real hospital strings have — legacy and colloquial names
 * (脑梗塞, 前列腺肥大, 老年痴呆, 综合症), abbreviations (心梗, 慢阻肺, 上感), extra clinical qualifiers
 * (site, laterality, stage, grade, remarks), ICD boilerplate left out, word order, homophone typos and
 * combined diagnoses. The lists of all institutions but the last are loaded as confirmed mappings
 * first; the last institution's list is what is measured.
 *
 * Synonym facts: SYNONYMS below, sources in bench/data/SOURCE.md. The item texts are synthetic
 * (generated here); the mix of variants was set so the lexical baselines land near the 42 % top-1
 * reported for real hospital strings — nothing here is tuned to the engine.
 */
import { normalize, core } from '../src/normalize';
import type { Term, Vocabulary } from '../src/vocabulary-import';
import { rng, type GoldItem } from './gold';

export interface InstitutionItem extends GoldItem {
  institution: string;
}

/**
 * [standard segment, local forms, source key (bench/data/SOURCE.md)]. A segment is replaced inside
 * any vocabulary name that contains it, so one fact applies to many names (脑梗死后遗症 → 脑梗塞后遗症).
 */
export const SYNONYMS: ReadonlyArray<readonly [string, readonly string[], string]> = [
  ['梗死', ['梗塞'], 'S1'],
  ['综合征', ['综合症'], 'S2'],
  ['脑内出血', ['脑出血', '脑溢血'], 'S3'],
  ['短暂性大脑缺血性发作', ['短暂性脑缺血发作', '一过性脑缺血发作', 'TIA'], 'S3'],
  ['前列腺增生', ['前列腺肥大', '良性前列腺增生症'], 'S4'],
  ['阿尔茨海默病', ['老年痴呆', '老年性痴呆'], 'S5'],
  ['恶性肿瘤', ['癌'], 'S6'],
  ['急性心肌梗死', ['急性心梗'], 'S7'],
  ['心肌梗死', ['心梗'], 'S7'],
  ['慢性阻塞性肺病', ['慢阻肺', 'COPD', '慢性阻塞性肺疾病'], 'S7'],
  ['急性上呼吸道感染', ['上感', '急性上感', '上呼吸道感染'], 'S7'],
  ['动脉硬化性心脏病', ['冠心病', '冠状动脉粥样硬化性心脏病'], 'S7'],
  ['甲状腺毒症[甲状腺功能亢进症]', ['甲亢'], 'S7'],
  ['甲状腺功能减退症', ['甲减'], 'S7'],
  ['心房颤动和扑动', ['房颤', '心房颤动'], 'S7'],
  ['心力衰竭', ['心衰', '心功能不全'], 'S7'],
  ['慢性乙型病毒性肝炎', ['慢性乙肝', '乙肝'], 'S7'],
  ['高脂血症', ['高血脂', '血脂异常'], 'S7'],
  ['2型糖尿病', ['糖尿病2型', 'Ⅱ型糖尿病', 'T2DM'], 'S7'],
  ['特发性(原发性)高血压', ['高血压病', '原发性高血压', '高血压'], 'S7'],
  ['肠道病毒性水疱性口炎伴皮疹(手足口病)', ['手足口病'], 'S7'],
  ['急性鼻咽炎[普通感冒]', ['感冒', '普通感冒'], 'S7'],
  ['其他特指的椎间盘移位(腰椎间盘突出)', ['腰椎间盘突出症', '腰突症'], 'S7'],
  ['胆囊结石', ['胆结石'], 'S8'],
  ['泌尿道感染', ['尿路感染', '泌尿系感染'], 'S8'],
  ['龋病', ['龋齿'], 'S8'],
  ['剖宫产术分娩', ['剖宫产'], 'S8'],
  ['头位顺产', ['顺产'], 'S8'],
  ['一般医学检查', ['体检', '健康查体'], 'S8'],
  ['抑郁发作', ['抑郁症'], 'S8'],
  ['焦虑障碍', ['焦虑症'], 'S8'],
  ['失眠症', ['失眠'], 'S8'],
  ['下背痛', ['腰痛'], 'S8'],
  ['哮喘', ['支气管哮喘'], 'S8'],
  ['慢性龈炎', ['牙龈炎'], 'S8'],
  ['乳房', ['乳腺'], 'S8'],
  ['支气管和肺', ['肺'], 'S8'],
  // Ways hospital lists word the synthesized vocabulary's modifiers (writing habits, not synonym facts).
  ['个人史', ['病史', '既往史'], 'H'],
  ['家族史', ['家族遗传史'], 'H'],
  ['后遗症', ['后遗症期'], 'H'],
  ['伴出血', ['并出血'], 'H'],
  ['伴穿孔', ['并穿孔'], 'H'],
  ['术后', ['术后状态'], 'H'],
];

/** ICD-10 boilerplate that hospital lists leave out. */
const BOILERPLATE = /不伴有并发症|不伴并发症|\(未特指[^)]*\)|\(病毒未标明\)|未特指的|其他和未特指的|其他特指的/g;

/**
 * Clinical detail hospital strings carry and the standard name does not: stage, grade and risk,
 * course, status and visit remarks (written after the diagnosis) … Words that change the code
 * (病史 → personal history; 术后, 复发, 复发性, 轻度, which the vocabulary has as modifiers) are left out.
 */
const AFTER = [
  '（左）', '（右）', '(双侧)', '急性发作期', '慢性迁延期', '稳定期', '恢复期', '活动期', '缓解期', '进展期', 'Ⅰ期', 'Ⅱ期', 'Ⅲ期', 'Ⅳ期',
  '1级', '2级', '3级', '3级（极高危）', '(高危)', '(中危)', '（中度）', '早期', '中晚期', '（初发）', '（好转）', '（未愈）',
  '(已治疗)', '治疗后', '放化疗后', '(复查)', '随访', '待查', '？', '可能', '（门诊）', '（住院）', '（初诊）',
  '（控制不佳）', '（药物控制中）', '（多发）', '（单发）', '(病程5年)', '（首次）',
];
/** … and site, laterality and certainty (written before it). */
const BEFORE = [
  '左侧', '右侧', '双侧', '左', '右', '双', '左下肢', '右下肢', '左上肢', '右膝', '左膝', '腰部', '颈部', '头部', '胸部', '腹部', '左肺', '右肺',
  '多发', '疑似', '考虑', '陈旧性', '门诊',
];

/** Homophones and look-alikes seen in typed diagnoses (the gold builder's table and a few more). */
const HOMOPHONES: Record<string, string> = {
  梗: '埂', 塞: '赛', 症: '证', 瘤: '留', 脏: '藏', 肿: '种', 疡: '扬', 炎: '严', 胆: '但', 胃: '谓', 肠: '长', 肝: '干',
  腺: '线', 痛: '通', 脑: '恼', 肺: '废', 肾: '甚', 血: '雪', 囊: '襄', 管: '官', 性: '姓', 病: '并', 衰: '摔', 溃: '匮',
};

interface Style {
  /** Probability of writing a local synonym where one is known. */
  synonym: number;
  /** Which local form this institution prefers (index into the list, modulo its length). */
  form: number;
  /** Probability of one qualifier, and of a second. */
  qualifier: number;
  /** The institution's habitual qualifiers (drawn first). */
  habits: string[];
  typo: number;
  reorder: number;
  combined: number;
  boilerplate: number;
}

export interface RealisticOptions {
  institutions?: number;
  perInstitution?: number;
  seed?: number;
}

/**
 * Lists of `institutions` hospitals (names 'H1'…). Concepts are drawn with a popularity skew (the
 * real ICD-10 names most, then THUOCL disease names, then synthesized names), so common diagnoses
 * recur across hospitals in different spellings.
 */
export function buildRealistic(vocabulary: Vocabulary, realCount: number, options: RealisticOptions = {}): InstitutionItem[] {
  const { institutions = 8, perInstitution = 800, seed = 6 } = options;
  const rand = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const terms = vocabulary.terms;
  // Name → owner, to drop items whose text is another term's name.
  const owner = new Map<string, string>();
  for (const t of terms) owner.set(core(t.name), owner.has(core(t.name)) ? '*' : t.code);
  // Popularity: real names weight 40, THUOCL-derived (code X…) weight 2, synthesized 0.3.
  const weights = terms.map((t, i) => (i < realCount ? 40 : /^X\d+$/.test(t.code) ? 2 : 0.3));
  const cum: number[] = [];
  let sum = 0;
  for (const w of weights) cum.push((sum += w));
  const draw = (): Term => {
    const x = rand() * sum;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return terms[lo];
  };
  const real = new Set(terms.slice(0, realCount).map(t => t.code));
  const combinable = terms.slice(0, realCount).concat(terms.filter(t => /^X\d+$/.test(t.code)).slice(0, 300)).filter(t => !/伴|合并/.test(t.name));

  const local = (t: Term, style: Style): string => {
    let s = t.name;
    let synonymUsed = false;
    for (const [std, forms] of SYNONYMS) {
      if (s.includes(std) && rand() < style.synonym) {
        const next = s.replace(std, forms[(style.form + Math.floor(rand() * 1.4)) % forms.length]);
        // Not when the local form is itself another standard name (THUOCL has both 综合征 and 综合症 words).
        const o = owner.get(core(next));
        if (o !== undefined && o !== t.code) continue;
        s = next;
        synonymUsed = true;
      }
    }
    // Only real ICD-10 names: the synthesized vocabulary has X不伴并发症 as a concept of its own.
    if (real.has(t.code) && rand() < style.boilerplate) s = s.replace(BOILERPLATE, '');
    // Brackets: keep, drop the bracketed part, or keep only what is outside.
    s = rand() < 0.5 ? s.replace(/\(.*?\)|\[.*?\]/g, '') : s;
    if (!synonymUsed && rand() < style.reorder) {
      const m = /^(.{1,4}性)(.{2,})$/.exec(s);
      if (m) s = `${m[2]}（${m[1]}）`;
    }
    if (rand() < style.typo) {
      const chars = [...s];
      const idx = chars.map((c, i) => (HOMOPHONES[c] ? i : -1)).filter(i => i >= 0);
      if (idx.length > 0) {
        const i = pick(idx);
        chars[i] = HOMOPHONES[chars[i]];
        s = chars.join('');
      }
    }
    // 0–3 qualifiers, the institution's habits first.
    const r = rand();
    const count = r < 1 - style.qualifier ? 0 : r < 1 - style.qualifier / 2.2 ? 1 : r < 1 - style.qualifier / 6 ? 2 : 3;
    for (let k = 0; k < count; k++) {
      const q = rand() < 0.4 ? pick(style.habits) : rand() < 0.6 ? pick(AFTER) : pick(BEFORE);
      s = BEFORE.includes(q) ? q + s : s + q;
    }
    return s;
  };

  const items: InstitutionItem[] = [];
  for (let h = 1; h <= institutions; h++) {
    const style: Style = {
      synonym: 0.55 + 0.4 * rand(),
      form: Math.floor(rand() * 3),
      qualifier: 0.7 + 0.25 * rand(),
      habits: [pick(AFTER), pick(AFTER), pick(AFTER), pick(BEFORE), pick(BEFORE)],
      typo: 0.06 + 0.08 * rand(),
      reorder: 0.1 + 0.15 * rand(),
      combined: 0.06 + 0.06 * rand(),
      boilerplate: 0.6 + 0.4 * rand(),
    };
    const institution = `H${h}`;
    const seen = new Set<string>();
    let guard = 0;
    let count = 0;
    while (count < perInstitution && guard++ < perInstitution * 20) {
      let text: string;
      let codes: string[];
      let variant: string;
      if (rand() < style.combined) {
        const a = pick(combinable);
        const b = pick(combinable);
        if (a.code === b.code) continue;
        text = `${local(a, { ...style, qualifier: 0 })}${pick(['伴', '合并', '，', '；', ' '])}${local(b, { ...style, qualifier: 0 })}`;
        codes = [a.code, b.code];
        variant = 'combined';
      } else {
        const t = draw();
        text = local(t, style);
        codes = [t.code];
        variant = 'single';
      }
      const key = normalize(text);
      if (key.length < 2 || seen.has(key)) continue;
      const o = owner.get(core(text));
      if (o !== undefined && (o === '*' || !codes.includes(o))) continue; // the variant is another term's name
      seen.add(key);
      items.push({ domain: 'diagnosis', dictionary: vocabulary.id, text, codes, variant, institution });
      count++;
    }
  }
  return items;
}
