/**
 * Text normalization for matching local entries against standard terms.
 *
 * normalize(): NFKC (full-width → half-width, Ⅱ → II), lower case, brackets and punctuation
 * removed, Roman and Chinese numerals before 型/度/级/期 turned into digits, 伴有 → 伴.
 * core(): normalize() minus clinical qualifiers that standard vocabularies do not encode
 * (待查, 疑似, laterality 左/右/双侧, visit remarks).
 */

const ROMAN: Record<string, string> = { i: '1', ii: '2', iii: '3', iv: '4', v: '5', vi: '6' };
const CHINESE_DIGIT: Record<string, string> = { 一: '1', 二: '2', 三: '3', 四: '4', 五: '5', 六: '6', 两: '2' };

/** Characters removed outright (punctuation, brackets, separators, whitespace). */
const STRIP = /[\s()[\]{}<>【】〔〕〈〉《》「」『』（）［］｛｝,.;:!?'"`~@#$%^&*_=+|\\/，。；：！？、“”‘’·…—\-]/g;

export function normalize(text: string): string {
  let s = String(text ?? '').normalize('NFKC').toLowerCase();
  s = s.replace(/\b(i{1,3}|iv|vi?)(?=\s*[型度级期])/g, m => ROMAN[m.trim()] ?? m);
  s = s.replace(/([一二三四五六两])(?=[型度级期])/g, m => CHINESE_DIGIT[m]);
  s = s.replace(/伴有/g, '伴').replace(/合并有/g, '合并');
  return s.replace(STRIP, '');
}

/** Qualifiers that rarely change the standard code; removed in core(). Order matters (longest first). */
export const QUALIFIERS: readonly string[] = [
  '待查', '待排', '待除外', '疑似', '可能性大', '可能', '考虑', '初诊', '复诊', '首诊', '门诊', '住院', '入院', '出院',
  '左侧', '右侧', '双侧', '单侧',
];

const QUALIFIER_RE = new RegExp(QUALIFIERS.join('|'), 'g');

/** The normalized text without qualifiers; falls back to normalize() when nothing would remain. */
export function core(text: string): string {
  const n = normalize(text);
  // Bare 左/右/双 only at either end (双相情感障碍 keeps its 双).
  const c = n.replace(QUALIFIER_RE, '').replace(/^[左右双]|[左右双]$/g, '');
  return c.length >= 2 ? c : n;
}

/**
 * Alternative names a standard name implies: the name without its bracketed parts and each
 * bracketed part on its own (特发性(原发性)高血压 → 特发性高血压; 甲状腺毒症[甲状腺功能亢进症] →
 * 甲状腺毒症, 甲状腺功能亢进症). Returned normalized, without the full name itself.
 */
export function bracketVariants(name: string): string[] {
  const s = String(name ?? '').normalize('NFKC');
  const out = new Set<string>();
  const inner: string[] = [];
  const outer = s.replace(/[([{【〔]([^)\]}】〕]*)[)\]}】〕]/g, (_m, g: string) => {
    inner.push(g);
    return '';
  });
  if (inner.length === 0) return [];
  const o = normalize(outer);
  if (o.length >= 2) out.add(o);
  for (const g of inner) {
    const n = normalize(g);
    // A bracketed synonym (a whole name) rather than a remark such as 未特指 or 病毒未标明.
    if (n.length >= 4 && !/未|不|其他|标明|特指/.test(n)) out.add(n);
  }
  out.delete(normalize(s));
  return [...out];
}

/** Separators of a combined entry (高血压伴2型糖尿病, 肺炎；心衰). Applied to raw text. */
const SPLIT_RE = /[,，;；、/+＋\s]+|合并|伴|及/;

/** Splits a combined entry into its parts (normalized, at least 2 characters); one part when not combined. */
export function splitCombined(text: string): string[] {
  const parts = String(text ?? '')
    .normalize('NFKC')
    .trim()
    .replace(/伴有/g, '伴')
    .split(SPLIT_RE)
    .map(p => normalize(p))
    .filter(p => p.length >= 2);
  return parts.length > 0 ? parts : [normalize(text)];
}

/** Character bigrams of a normalized string (the string itself when shorter than 2). */
export function bigrams(s: string): string[] {
  const chars = [...s];
  if (chars.length < 2) return chars.length ? [chars[0]] : [];
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
  return out;
}

/** Dice coefficient over character bigram multisets. */
export function dice(a: string, b: string): number {
  const x = bigrams(a);
  const y = bigrams(b);
  if (x.length === 0 || y.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const g of x) counts.set(g, (counts.get(g) ?? 0) + 1);
  let common = 0;
  for (const g of y) {
    const c = counts.get(g) ?? 0;
    if (c > 0) {
      common++;
      counts.set(g, c - 1);
    }
  }
  return (2 * common) / (x.length + y.length);
}

/** Fraction of the characters of `part` (multiset) that also occur in `whole`. */
export function charCoverage(part: string, whole: string): number {
  const p = [...part];
  if (p.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of whole) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let hit = 0;
  for (const ch of p) {
    const c = counts.get(ch) ?? 0;
    if (c > 0) {
      hit++;
      counts.set(ch, c - 1);
    }
  }
  return hit / p.length;
}

/** Levenshtein similarity 1 − distance / max length, on code points. */
export function editSimilarity(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  const n = x.length;
  const m = y.length;
  if (n === 0 && m === 0) return 1;
  if (n === 0 || m === 0) return 0;
  let prev = new Array<number>(m + 1);
  let cur = new Array<number>(m + 1);
  for (let j = 0; j <= m; j++) prev[j] = j;
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    for (let j = 1; j <= m; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    [prev, cur] = [cur, prev];
  }
  return 1 - prev[m] / Math.max(n, m);
}
