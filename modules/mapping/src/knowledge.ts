/**
 * The knowledge base: every confirmed mapping (who, when, institution, dictionary, local code,
 * normalized source text → standard codes). Suggesters read it on every query, so a
 * confirmation counts at once: the same text anywhere is top-1, similar texts rise.
 */
import { Bm25Index } from './bm25';
import { bigrams, core, dice, normalize } from './normalize';

export interface Confirmation {
  institution: string;
  dictionary: string;
  /** The institution's own code, when it has one. */
  sourceCode?: string;
  sourceText: string;
  /** core(sourceText), the key used for matching. */
  normalized: string;
  /** One or more standard codes (a combined diagnosis maps to several). */
  codes: string[];
  by: string;
  /** ISO 8601 time of the confirmation. */
  at: string;
}

export interface ConfirmInput {
  institution: string;
  dictionary: string;
  sourceCode?: string;
  sourceText: string;
  codes: string[];
  by: string;
  at?: string;
}

export interface SimilarEntry {
  entry: Confirmation;
  similarity: number;
}

interface DictionaryIndex {
  /** normalized text → code → number of confirmations. */
  byText: Map<string, Map<string, number>>;
  /** code → number of confirmations. */
  byCode: Map<string, number>;
  /** institution + local code → latest confirmation. */
  byLocalCode: Map<string, Confirmation>;
  /** BM25 over bigrams of distinct normalized texts, for similar-text look-ups. */
  texts: string[];
  textIndex: Bm25Index;
  textDoc: Map<string, number>;
  /** normalized text → latest confirmations with that text (one per institution/local code). */
  entries: Map<string, Confirmation[]>;
}

export class KnowledgeBase {
  private readonly all: Confirmation[] = [];
  private readonly dictionaries = new Map<string, DictionaryIndex>();
  private readonly listeners: Array<(c: Confirmation) => void> = [];

  get size(): number {
    return this.all.length;
  }

  onConfirm(listener: (c: Confirmation) => void): void {
    this.listeners.push(listener);
  }

  private index(dictionary: string): DictionaryIndex {
    let d = this.dictionaries.get(dictionary);
    if (!d) {
      d = { byText: new Map(), byCode: new Map(), byLocalCode: new Map(), texts: [], textIndex: new Bm25Index(), textDoc: new Map(), entries: new Map() };
      this.dictionaries.set(dictionary, d);
    }
    return d;
  }

  /** Records a confirmation. Throws on missing fields (callers validate user input first). */
  confirm(input: ConfirmInput): Confirmation {
    for (const f of ['institution', 'dictionary', 'sourceText', 'by'] as const) {
      if (!input[f] || !String(input[f]).trim()) throw new Error(`${f} is required`);
    }
    const codes = [...new Set((input.codes ?? []).map(c => String(c).trim()).filter(Boolean))];
    if (codes.length === 0) throw new Error('codes: at least one standard code is required');
    const c: Confirmation = {
      institution: input.institution,
      dictionary: input.dictionary,
      ...(input.sourceCode ? { sourceCode: input.sourceCode } : {}),
      sourceText: input.sourceText,
      normalized: core(input.sourceText),
      codes,
      by: input.by,
      at: input.at ?? new Date().toISOString(),
    };
    this.add(c);
    for (const l of this.listeners) l(c);
    return c;
  }

  private add(c: Confirmation): void {
    this.all.push(c);
    const d = this.index(c.dictionary);
    let codes = d.byText.get(c.normalized);
    if (!codes) {
      codes = new Map();
      d.byText.set(c.normalized, codes);
    }
    for (const code of c.codes) {
      codes.set(code, (codes.get(code) ?? 0) + 1);
      d.byCode.set(code, (d.byCode.get(code) ?? 0) + 1);
    }
    if (c.sourceCode) d.byLocalCode.set(`${c.institution}\u0000${c.sourceCode}`, c);
    if (!d.textDoc.has(c.normalized)) {
      d.textDoc.set(c.normalized, d.textIndex.add(bigrams(c.normalized)));
      d.texts.push(c.normalized);
    }
    const list = d.entries.get(c.normalized) ?? [];
    d.entries.set(c.normalized, [...list.filter(e => !(e.institution === c.institution && e.sourceCode === c.sourceCode && e.sourceText === c.sourceText)), c]);
  }

  /** Codes confirmed for exactly this text (normalized with core()), most confirmed first. */
  byText(dictionary: string, text: string, normalized = false): Array<{ code: string; count: number }> {
    const key = normalized ? text : core(text);
    const codes = this.dictionaries.get(dictionary)?.byText.get(key);
    if (!codes) return [];
    return [...codes].map(([code, count]) => ({ code, count })).sort((a, b) => b.count - a.count);
  }

  /** The latest confirmation of an institution's local code. */
  byLocalCode(institution: string, dictionary: string, sourceCode: string): Confirmation | undefined {
    return this.dictionaries.get(dictionary)?.byLocalCode.get(`${institution}\u0000${sourceCode}`);
  }

  /** Latest confirmation for exactly this normalized text. */
  latestForText(dictionary: string, normalizedText: string): Confirmation | undefined {
    const list = this.dictionaries.get(dictionary)?.entries.get(normalizedText);
    return list?.[list.length - 1];
  }

  /** How often a code has been confirmed in a dictionary. */
  codeCount(dictionary: string, code: string): number {
    return this.dictionaries.get(dictionary)?.byCode.get(code) ?? 0;
  }

  /** Confirmed texts similar to `normalizedText` (bigram Dice), best first. */
  similar(dictionary: string, normalizedText: string, limit = 10, minSimilarity = 0.3): SimilarEntry[] {
    const d = this.dictionaries.get(dictionary);
    if (!d || d.texts.length === 0) return [];
    const hits = d.textIndex.search(bigrams(normalizedText).map(g => [g, 1] as const), limit * 3, 1);
    const out: SimilarEntry[] = [];
    for (const h of hits) {
      const text = d.texts[h.doc];
      const similarity = dice(normalizedText, text);
      if (similarity < minSimilarity) continue;
      const entry = d.entries.get(text)!.at(-1)!;
      out.push({ entry, similarity });
    }
    return out.sort((a, b) => b.similarity - a.similarity).slice(0, limit);
  }

  /** Every confirmation, oldest first. */
  entries(): readonly Confirmation[] {
    return this.all;
  }

  /** JSON Lines, one confirmation per line. */
  export(): string {
    return this.all.map(c => JSON.stringify(c)).join('\n') + (this.all.length ? '\n' : '');
  }

  /** Loads JSON Lines written by export(); returns the number loaded and the bad lines. */
  import(jsonl: string): { loaded: number; errors: Array<{ line: number; rule: string }> } {
    const errors: Array<{ line: number; rule: string }> = [];
    let loaded = 0;
    jsonl.split('\n').forEach((raw, i) => {
      if (!raw.trim()) return;
      try {
        const c = JSON.parse(raw) as ConfirmInput;
        this.confirm(c);
        loaded++;
      } catch (e) {
        errors.push({ line: i + 1, rule: (e as Error).message });
      }
    });
    return { loaded, errors };
  }
}

export { normalize };
