/**
 * The suggester: candidates from the trie (exact, abbreviations, names inside the entry,
 * prefixes), BM25 over character n-grams and words, and the knowledge base; scored by the
 * re-ranker, optionally refined by a neural similarity stage; a set of codes for a combined entry.
 */
import { ABBREVIATIONS } from './abbreviations';
import { Bm25Index } from './bm25';
import type { KnowledgeBase } from './knowledge';
import { bigrams, bracketVariants, charCoverage, core, dice, editSimilarity, normalize, splitCombined } from './normalize';
import { emptySignals, Reranker, sigmoid, SIGNAL_LABELS, type RankedExample, type Signals } from './rerank';
import { phoneticKey } from './phonetic';
import { RewriteRules, type RewriteRule } from './rewrites';
import { medicalSegmenter, type WordSegmenter } from './segment';
import { Trie, type TrieKind } from './trie';
import type { Term, Vocabulary } from './vocabulary-import';

/** A pluggable sentence-similarity stage (for example an ONNX model through onnxruntime-node). */
export interface NeuralStage {
  /** Cosine similarity (0..1) of the query with each name. */
  similarity(query: string, names: readonly string[]): Promise<number[]>;
  /** Optional recall: the vocabulary's `k` names nearest to the query (candidates the lexical stages missed). */
  nearest?(query: string, vocabulary: { id: string; terms: readonly Term[] }, k: number): Promise<Array<{ code: string; similarity: number }>>;
}

/** Candidates the neural stage's recall adds per query (beside the lexical ones), at this cosine or above. */
const NEURAL_RECALL = 10;
const NEURAL_RECALL_MIN = 0.5;
/** The neural signal's weight while the re-ranker has none of its own (its default weight is 0). */
export const NEURAL_WEIGHT = 2;

export interface SuggesterOptions {
  knowledge?: KnowledgeBase;
  reranker?: Reranker;
  segmenter?: WordSegmenter;
  /** Extra abbreviations [short, full]; the built-in list is always used. */
  abbreviations?: ReadonlyArray<readonly [string, string]>;
  /** Candidates scored per query (default 40). */
  candidates?: number;
  /** Confidence at or above which a proposal is auto-accepted (default 0.9). */
  autoAccept?: number;
  neural?: NeuralStage;
}

export interface Suggestion {
  code: string;
  name: string;
  /** Re-ranker score (log-odds). */
  score: number;
  /** 0..1. */
  confidence: number;
  /** The strongest signals, in words. */
  why: string[];
  signals: Signals;
}

export interface SuggestResult {
  text: string;
  normalized: string;
  candidates: Suggestion[];
  /** The proposed codes: one, or several for a combined entry. */
  proposal: string[];
  confidence: number;
  autoAccept: boolean;
}

interface Key {
  key: string;
  term: number;
  kind: TrieKind;
}

interface QueryForm {
  text: string;
  /** phoneticKey(text), set by forms(). */
  sound?: string;
  kind: 'plain' | 'abbreviation' | 'rewrite';
  /** The entry as given (same on every form). */
  raw: string;
  /** For a rewritten form: the learned rules applied and their (weakest) reliability. */
  rules?: RewriteRule[];
  reliability?: number;
}

export class Suggester {
  readonly dictionary: string;
  readonly terms: readonly Term[];
  readonly reranker: Reranker;
  readonly segmenter: WordSegmenter;
  autoAcceptAt: number;
  private readonly knowledge?: KnowledgeBase;
  private readonly neural?: NeuralStage;
  private readonly keys: Key[] = [];
  private readonly termKeys: string[][] = [];
  private readonly termWords: Array<Set<string>> = [];
  private readonly byCode = new Map<string, number>();
  private readonly trie = new Trie();
  /** The same keys read in pinyin (phonetic.ts), for homophone typos. */
  private readonly soundTrie = new Trie();
  private readonly termSounds: string[][] = [];
  private readonly bm25 = new Bm25Index();
  private readonly abbreviations: Array<[string, string]> = [];
  private readonly limit: number;
  /** Rewrites learned from this dictionary's confirmations (see rewrites.ts). */
  readonly rewrites: RewriteRules;
  /** How many knowledge-base entries have been read into `rewrites`. */
  private kbCursor = 0;

  constructor(vocabulary: Vocabulary, options: SuggesterOptions = {}) {
    this.dictionary = vocabulary.id;
    this.terms = vocabulary.terms;
    this.knowledge = options.knowledge;
    this.reranker = options.reranker ?? new Reranker();
    this.neural = options.neural;
    this.limit = options.candidates ?? 40;
    this.autoAcceptAt = options.autoAccept ?? 0.9;
    const words: string[] = [];
    const names = new Set(this.terms.map(t => normalize(t.name)));
    this.terms.forEach((t, i) => {
      this.byCode.set(t.code, i);
      const keys = new Map<string, TrieKind>();
      keys.set(normalize(t.name), 'name');
      const c = core(t.name);
      if (!keys.has(c)) keys.set(c, 'alias');
      for (const v of bracketVariants(t.name)) if (!keys.has(v)) keys.set(v, 'alias');
      // The name without ICD boilerplate (其他和未特指的腹痛 → 腹痛), unless another term has that name.
      const plain = normalize(withoutBoilerplate(t.name));
      if (plain.length >= 2 && !keys.has(plain) && !names.has(plain)) keys.set(plain, 'alias');
      for (const a of t.aliases ?? []) {
        const n = normalize(a);
        if (n && !keys.has(n)) keys.set(n, 'alias');
      }
      this.termKeys.push([...keys.keys()]);
      this.termSounds.push([...keys.keys()].map(phoneticKey));
      for (const [key, kind] of keys) {
        if (!key) continue;
        this.keys.push({ key, term: i, kind });
        this.trie.insert(key, i, kind);
        this.soundTrie.insert(phoneticKey(key), i, kind);
        if (key.length <= 8) words.push(key);
      }
    });
    this.addAbbreviations(ABBREVIATIONS);
    if (options.abbreviations) this.addAbbreviations(options.abbreviations);
    this.segmenter = options.segmenter ?? medicalSegmenter();
    this.segmenter.add(words).add(this.abbreviations.map(([s]) => s));
    for (const k of this.keys) this.bm25.add(this.tokens(k.key));
    this.terms.forEach((_t, i) => this.termWords.push(new Set(this.termKeys[i].flatMap(k => this.segmenter.cut(k)))));
    this.rewrites = new RewriteRules(segment => this.inVocabulary(segment));
  }

  /** Whether a normalized segment occurs inside any standard name or alias. */
  private inVocabulary(segment: string): boolean {
    const grams = bigrams(segment);
    if (grams.length === 0) return true;
    let rarest: readonly number[] | undefined;
    for (const g of grams) {
      const docs = this.bm25.documents(`b:${g}`);
      if (docs.length === 0) return false;
      if (!rarest || docs.length < rarest.length) rarest = docs;
    }
    return rarest!.some(d => this.keys[d].key.includes(segment));
  }

  /** Reads confirmations added to the knowledge base since the last query into the learned rewrites. */
  private syncKnowledge(): void {
    const kb = this.knowledge;
    if (!kb) return;
    const all = kb.entries();
    for (; this.kbCursor < all.length; this.kbCursor++) {
      const c = all[this.kbCursor];
      if (c.dictionary !== this.dictionary) continue;
      if (c.codes.length === 1) {
        const t = this.byCode.get(c.codes[0]);
        if (t !== undefined) this.rewrites.learn(c.normalized, this.termKeys[t]);
        continue;
      }
      // A combined entry: each part against the code it aligns with best.
      const parts = splitCombined(c.sourceText).map(p => core(p));
      if (parts.length !== c.codes.length) continue;
      for (const part of parts) {
        let bestKeys: string[] | undefined;
        let best = 0;
        for (const code of c.codes) {
          const t = this.byCode.get(code);
          if (t === undefined) continue;
          for (const k of this.termKeys[t]) {
            const d = dice(part, k);
            if (d > best) [best, bestKeys] = [d, this.termKeys[t]];
          }
        }
        if (bestKeys && best > 0) this.rewrites.learn(part, bestKeys);
      }
    }
  }

  addAbbreviations(list: ReadonlyArray<readonly [string, string]>): void {
    for (const [s, f] of list) {
      const short = normalize(s);
      const full = normalize(f);
      if (short && full && short !== full) this.abbreviations.push([short, full]);
    }
    this.abbreviations.sort((a, b) => b[0].length - a[0].length);
  }

  /** Index tokens of a normalized text: words, character bigrams and unigrams. */
  private tokens(s: string): string[] {
    const out = bigrams(s).map(g => `b:${g}`);
    for (const ch of s) out.push(`u:${ch}`);
    for (const w of this.segmenter.cut(s)) if (w.length > 1) out.push(`w:${w}`);
    return out;
  }

  private queryTokens(s: string): Array<[string, number]> {
    const tf = new Map<string, number>();
    for (const t of this.tokens(s)) tf.set(t, (tf.get(t) ?? 0) + (t.startsWith('u:') ? 0.3 : 1));
    return [...tf];
  }

  /** The forms a query is matched in: normalized, without qualifiers, with abbreviations expanded. */
  private forms(text: string, exclude?: string): QueryForm[] {
    const n = normalize(text);
    const c = core(text);
    const raw = String(text ?? '');
    const out: QueryForm[] = [{ text: n, kind: 'plain', raw }];
    if (c !== n) out.push({ text: c, kind: 'plain', raw });
    // A bracketed modifier moved in front: 阴道炎（急性） → 急性阴道炎, 胆囊炎（急性）缓解期 → 急性胆囊炎缓解期.
    const m = /^(.+?)[(（[【]([^()（）[\]【】]{1,6})[)）\]】](.*)$/.exec(String(text ?? '').normalize('NFKC').trim());
    if (m) {
      const moved = core(m[2] + m[1] + m[3]);
      if (moved.length >= 2 && !out.some(f => f.text === moved)) out.push({ text: moved, kind: 'plain', raw });
    }
    for (const base of [c]) {
      let expanded = base;
      for (const [short, full] of this.abbreviations) {
        if (!expanded.includes(short)) continue;
        // Latin abbreviations only as whole tokens (not inside a longer Latin word).
        if (/^[a-z0-9]+$/.test(short) && !new RegExp(`(^|[^a-z])${short}([^a-z]|$)`).test(expanded)) continue;
        if (expanded.includes(full)) continue;
        expanded = expanded.replace(short, full);
      }
      if (expanded !== base) out.push({ text: expanded, kind: 'abbreviation', raw });
    }
    // Rewrites learned from confirmations (on the text without qualifiers).
    for (const r of this.rewrites.apply(c, exclude)) {
      if (!out.some(f => f.text === r.text)) out.push({ text: r.text, kind: 'rewrite', raw, rules: r.rules, reliability: r.reliability });
    }
    for (const f of out) f.sound = phoneticKey(f.text);
    return out;
  }

  /** Candidates (term numbers) with their best BM25 score. */
  private retrieve(forms: QueryForm[], kbCodes: Iterable<string>): Map<number, number> {
    const cand = new Map<number, number>();
    const put = (term: number, bm: number) => cand.set(term, Math.max(cand.get(term) ?? 0, bm));
    const lexical = new Map<number, number>();
    for (const f of forms) {
      for (const h of this.trie.exact(f.text)) put(h.id, 0);
      for (const h of this.trie.contained(f.text, 2)) put(h.id, 0);
      for (const h of this.trie.prefix(f.text, 5)) put(h.id, 0);
      const sound = f.sound ?? phoneticKey(f.text);
      for (const h of this.soundTrie.exact(sound)) put(h.id, 0);
      for (const h of this.soundTrie.contained(sound, 3)) put(h.id, 0);
      for (const h of this.bm25.search(this.queryTokens(f.text), this.limit)) {
        const t = this.keys[h.doc].term;
        lexical.set(t, Math.max(lexical.get(t) ?? 0, h.score));
      }
    }
    // The best BM25 candidates over all forms (not `limit` per form): the signals cost per candidate.
    const best = [...lexical].sort((a, b) => b[1] - a[1]).slice(0, Math.ceil(this.limit * 1.5));
    for (const [t, score] of best) put(t, score);
    for (const t of cand.keys()) if (lexical.has(t)) cand.set(t, lexical.get(t)!);
    for (const code of kbCodes) {
      const t = this.byCode.get(code);
      if (t !== undefined) put(t, 0);
    }
    return cand;
  }

  private signals(forms: QueryForm[], term: number, bm: number, bmTop: number, kb: KbView): Signals {
    const s = emptySignals();
    const keys = this.termKeys[term];
    const code = this.terms[term].code;
    const qWords = new Set(this.segmenter.cut(core(forms[0].raw)));
    const rewritten: Array<[number, number]> = []; // [similarity, reliability] per rewritten form
    const sounds = this.termSounds[term];
    for (const f of forms) {
      const q = f.text;
      const weight = f.kind === 'rewrite' ? (f.reliability ?? 0) : 1;
      s.soundAlike = Math.max(s.soundAlike, weight * this.soundAlike(q, f.sound ?? phoneticKey(q), keys, sounds));
      if (f.kind === 'rewrite') {
        let sim = 0;
        for (const k of keys) sim = Math.max(sim, q === k ? 1 : dice(q, k));
        rewritten.push([sim, f.reliability ?? 0]);
        continue;
      }
      for (const k of keys) {
        if (q === k) {
          if (f.kind === 'abbreviation') s.abbreviation = 1;
          else s.exact = 1;
        }
        s.dice = Math.max(s.dice, dice(q, k));
        s.queryCover = Math.max(s.queryCover, charCoverage(q, k));
        s.termCover = Math.max(s.termCover, charCoverage(k, q));
        s.edit = Math.max(s.edit, editSimilarity(q, k));
        if (k.length >= 2 && q.includes(k)) s.contained = Math.max(s.contained, k.length / q.length);
        if (q.startsWith(k) || k.startsWith(q)) s.prefix = 1;
      }
    }
    const tw = this.termWords[term];
    let inter = 0;
    for (const w of qWords) if (tw.has(w)) inter++;
    s.words = inter / (qWords.size + tw.size - inter || 1);
    s.bm25 = bmTop > 0 ? bm / bmTop : 0;
    // How much closer the learned rewrites bring the entry to this name, times the rules' reliability.
    // A rewrite that turns the entry into exactly this name counts at least half (like an abbreviation).
    for (const [sim, rel] of rewritten) s.kbRewrite = Math.max(s.kbRewrite, rel * Math.max(0, sim - s.dice, sim === 1 ? 0.5 : 0));
    s.kbExact = kb.exact.has(code) ? 1 : 0;
    s.kbSimilar = kb.similar.get(code) ?? 0;
    s.kbPrior = kb.counts.get(code) ?? 0;
    return s;
  }

  /** 1 when a name reads like the query but is written otherwise; its length share when it reads like a part of it. */
  private soundAlike(q: string, sound: string, keys: readonly string[], sounds: readonly string[]): number {
    let best = 0;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      const pk = sounds[i];
      if (q === k || q.includes(k)) return 0; // matched in writing: nothing to add
      if (sound === pk) best = 1;
      else if (pk.length >= 3 && sound.includes(pk)) best = Math.max(best, pk.length / sound.length);
    }
    return best;
  }

  private kbView(forms: QueryForm[], exclude?: string): KbView {
    const view: KbView = { exact: new Set(), similar: new Map(), counts: new Map(), exactCodes: [] };
    const kb = this.knowledge;
    if (!kb) return view;
    const key = core(forms[0].raw);
    if (key !== exclude) {
      const exact = kb.byText(this.dictionary, key, true);
      for (const e of exact) view.exact.add(e.code);
      view.exactCodes = exact.map(e => e.code);
    }
    const lookups: Array<[string, number]> = [[key, 1]];
    for (const f of forms) if (f.kind === 'rewrite') lookups.push([f.text, f.reliability ?? 0]);
    for (const [text, weight] of lookups) {
      for (const { entry, similarity } of kb.similar(this.dictionary, text, 8, 0.5)) {
        if (entry.normalized === exclude) continue;
        const v = Math.max(0, (similarity - 0.5) * 2) * weight;
        for (const code of entry.codes) view.similar.set(code, Math.max(view.similar.get(code) ?? 0, v));
      }
    }
    for (const code of [...view.exact, ...view.similar.keys()]) {
      view.counts.set(code, Math.min(1, Math.log1p(kb.codeCount(this.dictionary, code)) / 5));
    }
    return view;
  }

  /** Ranked candidates for one (already split) text. */
  private rank(text: string, limit: number, exclude?: string): { ranked: Suggestion[]; kb: KbView; forms: QueryForm[] } {
    this.syncKnowledge();
    const forms = this.forms(text, exclude);
    const kb = this.kbView(forms, exclude);
    const cand = this.retrieve(forms, [...kb.exact, ...kb.similar.keys()]);
    let bmTop = 0;
    for (const v of cand.values()) bmTop = Math.max(bmTop, v);
    const scored: Suggestion[] = [];
    for (const [term, bm] of cand) {
      const signals = this.signals(forms, term, bm, bmTop, kb);
      const t = this.terms[term];
      scored.push({ code: t.code, name: t.name, score: this.reranker.score(signals), confidence: 0, why: [], signals });
    }
    this.preferSpecific(scored, forms);
    // The same text confirmed before is top-1 whatever the lexical signals say (most confirmed first).
    if (kb.exactCodes.length > 0) {
      const top = Math.max(...scored.map(x => x.score));
      for (const x of scored) {
        const i = kb.exactCodes.indexOf(x.code);
        if (i >= 0) x.score = Math.max(x.score, top + 5 - i * 0.01);
      }
    }
    scored.sort((a, b) => b.score - a.score || a.code.localeCompare(b.code));
    const ranked = scored.slice(0, Math.max(limit, 2));
    ranked.forEach((s, i) => {
      const next = ranked[i + 1]?.score ?? s.score - 10;
      s.confidence = confidence(s.score, i === 0 ? next : ranked[0].score);
      if (i === 0 && s.signals.kbExact) s.confidence = Math.max(s.confidence, 0.99); // a reviewer confirmed this text
      s.why = this.explain(s.signals, forms);
    });
    return { ranked: ranked.slice(0, limit), kb, forms };
  }

  /**
   * Coding to the most specific name the entry supports: when a candidate's name is the leading
   * candidate's name plus more wording (糜烂性胃炎伴穿孔 ⊃ 糜烂性胃炎) and the rest of the entry has
   * that wording — read with the rewrites the knowledge base taught, so house qualifiers are out
   * (慢性迁延期 does not make 慢性干槽症) and house words are in (既往史 → 个人史) — the longer name
   * gets `specific` +1 and the leader −1. Combined
   * entries (A伴B, A，B) are left to the set proposal.
   */
  private preferSpecific(scored: Suggestion[], forms: QueryForm[]): void {
    if (scored.length < 2 || splitCombined(forms[0].raw).length > 1) return;
    const top = [...scored].sort((a, b) => b.score - a.score).slice(0, 12);
    const leader = top[0];
    const pKey = normalize(leader.name);
    if (pKey.length < 2) return;
    // Trailing phase remarks (急性发作期, 稳定期, 2期) say how the case is going, not which code it is.
    const withoutPhase = (q: string) => q.replace(/(?:[^期]{1,4}期)+$/, '');
    const entry = withoutPhase(forms.find(f => f.kind === 'plain' && f.text !== forms[0].text)?.text ?? forms[0].text);
    const rewritten = forms.find(f => f.kind === 'rewrite')?.text;
    const cleaned = rewritten === undefined ? undefined : withoutPhase(rewritten);
    const rest = (q: string) => {
      const left = [...pKey];
      return [...q].filter(ch => {
        const i = left.indexOf(ch);
        if (i < 0) return true;
        left.splice(i, 1);
        return false;
      }).join('');
    };
    const has = (extra: string, q: string) => {
      const r = rest(q);
      if (charCoverage(extra, r) < 0.6) return false;
      return [...extra].length < 2 ? r.includes(extra) : bigrams(extra).some(g => r.includes(g));
    };
    for (const child of top.slice(1)) {
      const cKey = normalize(child.name);
      if (cKey.length <= pKey.length || !cKey.includes(pKey)) continue;
      const extra = cKey.replace(pKey, '');
      if (!has(extra, cleaned ?? entry)) continue;
      child.signals.specific = 1;
      leader.signals.specific = -1;
      child.score = this.reranker.score(child.signals);
      leader.score = this.reranker.score(leader.signals);
      return;
    }
  }

  /** The re-ranker's reasons, with the learned rewrites spelled out. */
  private explain(signals: Signals, forms: QueryForm[]): string[] {
    const why = this.reranker.explain(signals);
    // Knowledge-base and specificity reasons are always named when they count, even outside the top three.
    for (const f of ['kbSimilar', 'kbRewrite', 'specific'] as const) {
      if (!why.includes(SIGNAL_LABELS[f]) && this.reranker.weights[f] * signals[f] > 0.3) why.push(SIGNAL_LABELS[f]);
    }
    const i = why.indexOf(SIGNAL_LABELS.kbRewrite);
    if (i >= 0 && forms.some(f => f.kind === 'rewrite')) {
      const rules = forms.filter(f => f.kind === 'rewrite').flatMap(f => f.rules ?? []);
      const shown = [...new Map(rules.map(r => [`${r.from}→${r.to}`, r])).values()].slice(0, 2);
      why[i] = `${SIGNAL_LABELS.kbRewrite} ${shown.map(r => `${r.from}→${r.to || '∅'} (${r.support} confirmed)`).join(', ')}`;
    }
    return why;
  }

  /** Suggestions for a local entry: ranked candidates and the proposed code set. */
  suggest(text: string, options: { limit?: number } = {}): SuggestResult {
    const limit = options.limit ?? 10;
    const whole = this.rank(text, limit);
    let candidates = whole.ranked;
    let proposal = candidates.length > 0 ? [candidates[0].code] : [];
    let conf = candidates[0]?.confidence ?? 0;
    if (whole.kb.exactCodes.length > 1) {
      // Confirmed before as a set.
      proposal = whole.kb.exactCodes;
    } else if (candidates.length > 0 && !(candidates[0].signals.exact || candidates[0].signals.kbExact || candidates[0].signals.abbreviation)) {
      const parts = splitCombined(text);
      // A standard name that itself joins two conditions (X伴出血) and is found in the entry is one code.
      const joined = /伴|合并|及/.test(normalize(candidates[0].name)) && candidates[0].signals.termCover >= 0.85;
      // "X不伴(有)Y" negates Y: one diagnosis, not two.
      const negated = /不伴/.test(normalize(text));
      if (parts.length >= 2 && candidates[0].signals.dice < 0.85 && !joined && !negated) {
        const tops = parts.map(p => this.rank(p, 3).ranked[0]).filter((s): s is Suggestion => s !== undefined);
        const codes = [...new Set(tops.map(t => t.code))];
        const partConf = Math.min(...tops.map(t => t.confidence));
        if (tops.length === parts.length && codes.length >= 2 && partConf >= Math.min(0.5, conf)) {
          proposal = codes;
          conf = partConf;
          const first = tops.filter((t, i) => tops.findIndex(u => u.code === t.code) === i);
          candidates = [...first, ...candidates.filter(c => !codes.includes(c.code))].slice(0, limit);
        }
      }
    }
    return {
      text,
      normalized: core(text),
      candidates,
      proposal,
      confidence: conf,
      autoAccept: proposal.length > 0 && conf >= this.autoAcceptAt,
    };
  }

  /** suggest() followed by the neural stage, when one is configured. */
  async suggestAsync(text: string, options: { limit?: number } = {}): Promise<SuggestResult> {
    const result = this.suggest(text, { limit: Math.max(options.limit ?? 10, 20) });
    if (!this.neural) return { ...result, candidates: result.candidates.slice(0, options.limit ?? 10) };
    // Recall: names near the entry that the lexical stages missed, scored like the others.
    const recalled = new Set<string>();
    if (this.neural.nearest) {
      const near = await this.neural.nearest(result.normalized, { id: this.dictionary, terms: this.terms }, NEURAL_RECALL);
      const have = new Set(result.candidates.map(c => c.code));
      const added = this.scoreCodes(text, near.filter(n => n.similarity >= NEURAL_RECALL_MIN && !have.has(n.code)).map(n => n.code));
      for (const c of added) recalled.add(c.code);
      result.candidates.push(...added);
    }
    if (result.candidates.length === 0) return result;
    const sims = await this.neural.similarity(result.normalized, result.candidates.map(c => c.name));
    const w = this.reranker.weights.neural || NEURAL_WEIGHT;
    for (let i = 0; i < result.candidates.length; i++) {
      const c = result.candidates[i];
      c.signals.neural = sims[i] ?? 0;
      c.score += w * c.signals.neural;
      c.why = this.explain(c.signals, []);
      // The reason names the sentence model when it counts (its default weight is 0: the stage supplies one).
      if (!c.why.includes(SIGNAL_LABELS.neural) && (recalled.has(c.code) || w * c.signals.neural > 0.3)) c.why.push(SIGNAL_LABELS.neural);
    }
    if (result.proposal.length === 0 && result.candidates.length > 0) result.proposal = [result.candidates[0].code];
    const single = result.proposal.length === 1;
    result.candidates.sort((a, b) => b.score - a.score);
    result.candidates.forEach((c, i) => (c.confidence = confidence(c.score, i === 0 ? (result.candidates[1]?.score ?? c.score - 10) : result.candidates[0].score)));
    // As in rank(): a text a reviewer confirmed keeps its confidence.
    if (result.candidates[0]?.signals.kbExact) result.candidates[0].confidence = Math.max(result.candidates[0].confidence, 0.99);
    if (single) {
      result.proposal = [result.candidates[0].code];
      result.confidence = result.candidates[0].confidence;
      result.autoAccept = result.confidence >= this.autoAcceptAt;
    }
    result.candidates = result.candidates.slice(0, options.limit ?? 10);
    return result;
  }

  /**
   * Learns from confirmed mappings: each confirmed code should outrank the other candidates.
   * Knowledge-base signals are computed without the confirmation's own text.
   */
  learn(confirmed: ReadonlyArray<{ text: string; codes: readonly string[] }>, options?: { epochs?: number; rate?: number }): void {
    const examples: RankedExample[] = [];
    for (const { text, codes } of confirmed) {
      const { ranked } = this.rank(text, 20, core(text));
      const negatives = ranked.filter(r => !codes.includes(r.code)).slice(0, 5).map(r => r.signals);
      for (const code of codes) {
        let pos = ranked.find(r => r.code === code)?.signals;
        if (!pos) {
          const term = this.byCode.get(code);
          if (term === undefined) continue;
          const forms = this.forms(text, core(text));
          pos = this.signals(forms, term, 0, 1, this.kbView(forms, core(text)));
        }
        if (negatives.length > 0) examples.push({ positive: pos, negatives });
      }
    }
    this.reranker.learn(examples, options);
  }

  /**
   * Re-trains the re-ranker on confirmed mappings and adopts the result only if it ranks a held-out
   * quarter of them better than the current model (so learning never makes suggestions worse on
   * what reviewers confirmed). Knowledge-base signals leave each mapping's own text out.
   */
  retrain(confirmed: ReadonlyArray<{ text: string; codes: readonly string[] }>, options: { epochs?: number; rate?: number } = {}): RetrainResult {
    const sets = confirmed.map(c => ({ codes: c.codes, ranked: this.rank(c.text, 30, core(c.text)).ranked }));
    const train = sets.filter((_s, i) => i % 4 !== 0);
    const held = sets.filter((_s, i) => i % 4 === 0);
    const examples: RankedExample[] = [];
    for (const { codes, ranked } of train) {
      const negatives = ranked.filter(r => !codes.includes(r.code)).slice(0, 5).map(r => r.signals);
      for (const r of ranked) if (codes.includes(r.code) && negatives.length > 0) examples.push({ positive: r.signals, negatives });
    }
    const trial = Reranker.fromJSON(this.reranker.toJSON());
    trial.learn(examples, { epochs: options.epochs ?? 3, rate: options.rate ?? 0.02 });
    const accuracy = (model: Reranker) => {
      if (held.length === 0) return 0;
      let ok = 0;
      for (const { codes, ranked } of held) {
        let best: Suggestion | undefined;
        let bestScore = -Infinity;
        for (const r of ranked) {
          const sc = model.score(r.signals);
          if (sc > bestScore) [best, bestScore] = [r, sc];
        }
        if (best && codes.includes(best.code)) ok++;
      }
      return ok / held.length;
    };
    const before = accuracy(this.reranker);
    const after = accuracy(trial);
    const adopted = held.length >= 10 && after > before;
    if (adopted) {
      this.reranker.weights = { ...trial.weights };
      this.reranker.updates += trial.updates;
    }
    return { examples: examples.length, heldOut: held.length, before, after, adopted };
  }

  /** Scores the given codes for an entry as rank() scores its candidates (for candidates found by the neural stage's recall). */
  scoreCodes(text: string, codes: readonly string[]): Suggestion[] {
    if (codes.length === 0) return [];
    this.syncKnowledge();
    const forms = this.forms(text);
    const kb = this.kbView(forms);
    const out: Suggestion[] = [];
    for (const code of codes) {
      const term = this.byCode.get(code);
      if (term === undefined) continue;
      const signals = this.signals(forms, term, 0, 1, kb);
      const t = this.terms[term];
      out.push({ code: t.code, name: t.name, score: this.reranker.score(signals), confidence: 0, why: [], signals });
    }
    return out;
  }

  term(code: string): Term | undefined {
    const i = this.byCode.get(code);
    return i === undefined ? undefined : this.terms[i];
  }
}

export interface RetrainResult {
  examples: number;
  heldOut: number;
  /** Top-1 on the held-out confirmations with the current and the re-trained model. */
  before: number;
  after: number;
  adopted: boolean;
}

interface KbView {
  exact: Set<string>;
  exactCodes: string[];
  similar: Map<string, number>;
  counts: Map<string, number>;
}

/** ICD title boilerplate that local names leave out. */
const BOILERPLATE = /其他和未特指的|其他和未特指|未特指的|其他特指的|[，,]\s*未特指$|[，,]\s*其他特指$/g;

export function withoutBoilerplate(name: string): string {
  return String(name ?? '').normalize('NFKC').replace(BOILERPLATE, '');
}

/** Confidence from the score and the margin over the runner-up. */
function confidence(score: number, other: number): number {
  const margin = Math.abs(score - other);
  return sigmoid(score) * (1 - 0.5 * Math.exp(-1.5 * margin));
}
