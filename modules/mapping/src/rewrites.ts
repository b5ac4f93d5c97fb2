/**
 * Rewrites learned from confirmations. When a reviewer confirms local text A → a code whose
 * standard name is B, A and B are aligned (longest common subsequence, runs of ≥ 2 characters as
 * anchors) and every differing stretch becomes a rewrite A-segment → B-segment: 脑梗塞后遗症期 →
 * 脑梗死后遗症 gives 梗塞 → 梗死 and 症期 → 症. Later queries containing a learned segment are also
 * matched in rewritten form, so one confirmation helps every entry that shares the habit (the
 * same legacy name, abbreviation or house qualifier), not only the same text.
 *
 * A rule's reliability grows with the number of distinct confirmed texts that produced it, and is
 * cut when its source segment is itself standard wording (it occurs inside a vocabulary name).
 */
import { bigrams } from './normalize';

export interface RewriteRule {
  from: string;
  to: string;
  /** Distinct confirmed texts that produced the rule. */
  support: number;
  /** Some of those texts (for "why" and to leave a text's own rules out when re-training). */
  sources: string[];
  /** The source segment occurs in a standard name. */
  standard: boolean;
}

export interface RewrittenForm {
  text: string;
  rules: RewriteRule[];
  /** 0..1: the weakest rule's reliability. */
  reliability: number;
}

const MAX_SOURCES = 4;
const MAX_FROM = 12;

/** Reliability of a rule: support 1 → 0.5, 2 → 0.67, 3 → 0.75 …; standard wording × 0.3. */
export function reliability(rule: RewriteRule, support = rule.support): number {
  return (support / (support + 1)) * (rule.standard ? 0.3 : 1);
}

/**
 * Aligns a (local) with b (standard) and returns the differing stretches as [from, to] pairs, with
 * one character of context from the neighbouring anchor when a stretch is a single character.
 */
export function alignRewrites(a: string, b: string): Array<[string, string]> {
  const x = [...a];
  const y = [...b];
  const n = x.length;
  const m = y.length;
  if (n === 0 || m === 0 || n > 40 || m > 60) return [];
  // LCS table.
  const dp: Uint16Array[] = [];
  for (let i = 0; i <= n; i++) dp.push(new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      dp[i][j] = x[i] === y[j] ? dp[i + 1][j + 1] + 1 : Math.max(dp[i + 1][j], dp[i][j + 1]);
    }
  }
  // Matched pairs, grouped into runs.
  const runs: Array<{ i: number; j: number; len: number }> = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (x[i] === y[j] && dp[i][j] === dp[i + 1][j + 1] + 1) {
      const last = runs[runs.length - 1];
      if (last && last.i + last.len === i && last.j + last.len === j) last.len++;
      else runs.push({ i, j, len: 1 });
      i++;
      j++;
    } else if (dp[i + 1][j] >= dp[i][j + 1]) i++;
    else j++;
  }
  const anchors = runs.filter(r => r.len >= 2);
  const out: Array<[string, string]> = [];
  const push = (ai: number, aj: number, bi: number, bj: number, left: string, right: string) => {
    let from = x.slice(ai, aj).join('');
    let to = y.slice(bi, bj).join('');
    if (!from) return; // the standard name says more: nothing to rewrite in a query
    // Wording the standard name has elsewhere was moved (感染（急性） ↔ 急性感染), not rewritten.
    const elsewhere = y.slice(0, bi).join('') + '\u0000' + y.slice(bj).join('');
    if (bigrams(from).some(g => g.length === 2 && elsewhere.includes(g))) return;
    if ([...from].length < 2) {
      if (left) [from, to] = [left + from, left + to];
      else if (right) [from, to] = [from + right, to + right];
    }
    if ([...from].length >= 2 && [...from].length <= MAX_FROM && from !== to) out.push([from, to]);
  };
  if (anchors.length === 0) {
    push(0, n, 0, m, '', '');
    return out;
  }
  let pa = 0;
  let pb = 0;
  let left = '';
  for (const r of anchors) {
    push(pa, r.i, pb, r.j, left, x[r.i]);
    pa = r.i + r.len;
    pb = r.j + r.len;
    left = x[pa - 1];
  }
  push(pa, n, pb, m, left, '');
  return out;
}

export class RewriteRules {
  private readonly rules = new Map<string, Map<string, RewriteRule>>();
  private readonly learned = new Set<string>();
  private maxLen = 0;

  constructor(private readonly isStandard: (segment: string) => boolean = () => false) {}

  get size(): number {
    let n = 0;
    for (const m of this.rules.values()) n += m.size;
    return n;
  }

  /**
   * Learns from one confirmation: `text` (normalized local text) confirmed to a term whose
   * normalized names are `names`; the name aligning best is used. Returns the rules touched.
   */
  learn(text: string, names: readonly string[]): RewriteRule[] {
    if (!text || names.length === 0 || names.includes(text)) return [];
    let best: Array<[string, string]> = [];
    let bestScore = -1;
    for (const name of names) {
      const pairs = alignRewrites(text, name);
      // Fewer, shorter differences = better alignment.
      const changed = pairs.reduce((s, [f, t]) => s + f.length + t.length, 0);
      const score = 1 / (1 + changed);
      if (score > bestScore) [best, bestScore] = [pairs, score];
    }
    const touched: RewriteRule[] = [];
    for (const [from, to] of best) {
      const key = `${from}\u0000${to}\u0000${text}`;
      if (this.learned.has(key)) continue;
      this.learned.add(key);
      let byTo = this.rules.get(from);
      if (!byTo) this.rules.set(from, (byTo = new Map()));
      let rule = byTo.get(to);
      if (!rule) {
        rule = { from, to, support: 0, sources: [], standard: this.isStandard(from) };
        byTo.set(to, rule);
        this.maxLen = Math.max(this.maxLen, from.length);
      }
      rule.support++;
      if (rule.sources.length < MAX_SOURCES) rule.sources.push(text);
      touched.push(rule);
    }
    return touched;
  }

  /** The rules learned for a source segment, most supported first. */
  rulesFor(from: string): RewriteRule[] {
    return [...(this.rules.get(from)?.values() ?? [])].sort((a, b) => b.support - a.support);
  }

  /**
   * Rewritten forms of a normalized query: all applicable rules at once (longest and best supported
   * first, not overlapping), and the single best rule on its own when several apply. `exclude` is a
   * confirmed text whose own contribution is left out (re-training).
   */
  apply(query: string, exclude?: string): RewrittenForm[] {
    if (this.rules.size === 0 || query.length < 2) return [];
    const hits: Array<{ start: number; rule: RewriteRule; rel: number }> = [];
    for (let s = 0; s < query.length; s++) {
      for (let len = Math.min(this.maxLen, query.length - s); len >= 2; len--) {
        const byTo = this.rules.get(query.slice(s, s + len));
        if (!byTo) continue;
        let best: { rule: RewriteRule; rel: number } | undefined;
        for (const rule of byTo.values()) {
          const support = rule.support - (exclude !== undefined && rule.sources.includes(exclude) ? 1 : 0);
          if (support <= 0) continue;
          const rel = reliability(rule, support);
          if (!best || rel > best.rel) best = { rule, rel };
        }
        if (best) hits.push({ start: s, ...best });
      }
    }
    if (hits.length === 0) return [];
    hits.sort((a, b) => b.rule.from.length - a.rule.from.length || b.rel - a.rel || a.start - b.start);
    const used = new Uint8Array(query.length);
    const chosen: typeof hits = [];
    for (const h of hits) {
      let free = true;
      for (let k = h.start; k < h.start + h.rule.from.length; k++) if (used[k]) free = false;
      if (!free) continue;
      for (let k = h.start; k < h.start + h.rule.from.length; k++) used[k] = 1;
      chosen.push(h);
    }
    const build = (list: typeof hits): RewrittenForm | undefined => {
      let out = '';
      let pos = 0;
      for (const h of [...list].sort((a, b) => a.start - b.start)) {
        out += query.slice(pos, h.start) + h.rule.to;
        pos = h.start + h.rule.from.length;
      }
      out += query.slice(pos);
      if (out.length < 2 || out === query) return undefined;
      return { text: out, rules: list.map(h => h.rule), reliability: Math.min(...list.map(h => h.rel)) };
    };
    const forms: RewrittenForm[] = [];
    const all = build(chosen);
    if (all) forms.push(all);
    if (chosen.length > 1) {
      const strongest = [...chosen].sort((a, b) => b.rel - a.rel)[0];
      const one = build([strongest]);
      if (one && one.text !== all?.text) forms.push(one);
    }
    return forms;
  }
}
