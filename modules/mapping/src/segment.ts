/**
 * Word segmentation for the word signals. The default is jieba (@node-rs/jieba, its general
 * dictionary) with a medical dictionary: the THUOCL medical lexicon (MIT, data/) with its
 * frequencies, plus the words the caller adds (standard names, abbreviations). Where jieba's
 * native module cannot load, a pure-TypeScript bidirectional maximum matching over the same
 * words takes its place. For matching, words are one signal beside character n-grams.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** What the suggester needs of a segmenter. */
export interface WordSegmenter {
  add(words: Iterable<string>): this;
  cut(text: string): string[];
}

/** Bidirectional maximum matching over a word list. */
export class Segmenter implements WordSegmenter {
  private readonly words = new Set<string>();
  private maxLen = 1;

  constructor(words: Iterable<string> = []) {
    this.add(words);
  }

  add(words: Iterable<string>): this {
    for (const w of words) {
      const n = w.trim();
      if (n.length < 2 || n.length > 12) continue;
      this.words.add(n);
      if (n.length > this.maxLen) this.maxLen = n.length;
    }
    return this;
  }

  has(word: string): boolean {
    return this.words.has(word);
  }

  get size(): number {
    return this.words.size;
  }

  /** Words of a normalized string: the better of forward and backward maximum matching. */
  cut(text: string): string[] {
    const f = this.forward(text);
    const b = this.backward(text);
    const singles = (ws: string[]) => ws.filter(w => w.length === 1).length;
    if (b.length !== f.length) return b.length < f.length ? b : f;
    return singles(b) <= singles(f) ? b : f;
  }

  private forward(s: string): string[] {
    const out: string[] = [];
    let i = 0;
    while (i < s.length) {
      let len = Math.min(this.maxLen, s.length - i);
      while (len > 1 && !this.words.has(s.slice(i, i + len))) len--;
      out.push(s.slice(i, i + len));
      i += len;
    }
    return out;
  }

  private backward(s: string): string[] {
    const out: string[] = [];
    let j = s.length;
    while (j > 0) {
      let len = Math.min(this.maxLen, j);
      while (len > 1 && !this.words.has(s.slice(j - len, j))) len--;
      out.unshift(s.slice(j - len, j));
      j -= len;
    }
    return out;
  }
}

let thuocl: Array<[string, number]> | undefined;

/** The THUOCL medical lexicon (18,749 words with their corpus counts), read once from data/. */
function thuoclLexicon(): Array<[string, number]> {
  if (!thuocl) {
    const file = path.resolve(__dirname, '..', 'data', 'THUOCL_medical.txt');
    thuocl = fs.existsSync(file)
      ? fs
          .readFileSync(file, 'utf8')
          .split('\n')
          .map(l => l.split('\t'))
          .filter(([w]) => w?.trim())
          .map(([w, n]) => [w.trim(), Number(n) || 1] as [string, number])
      : [];
  }
  return thuocl;
}

/** The THUOCL medical lexicon words. */
export function thuoclWords(): string[] {
  return thuoclLexicon().map(([w]) => w);
}

interface JiebaModule {
  Jieba: { withDict(dict: Uint8Array): JiebaInstance };
}
interface JiebaInstance {
  loadDict(dict: Uint8Array): void;
  cut(sentence: string, hmm?: boolean): string[];
}

let jiebaDict: { module: JiebaModule; dict: Uint8Array } | null | undefined;

function loadJieba(): { module: JiebaModule; dict: Uint8Array } | null {
  if (jiebaDict === undefined) {
    try {
      /* eslint-disable @typescript-eslint/no-require-imports */
      jiebaDict = { module: require('@node-rs/jieba') as JiebaModule, dict: (require('@node-rs/jieba/dict') as { dict: Uint8Array }).dict };
    } catch {
      jiebaDict = null;
    }
  }
  return jiebaDict;
}

/** Frequency given to words the caller adds (standard names): high enough to be kept whole. */
const ADDED_WORD_FREQ = 3000;

/** jieba with the THUOCL medical dictionary; words added later join its dictionary. */
export class JiebaSegmenter implements WordSegmenter {
  private readonly jieba: JiebaInstance;
  private readonly known = new Set<string>();

  constructor(module: JiebaModule, dict: Uint8Array) {
    this.jieba = module.Jieba.withDict(dict);
    // Corpus counts → jieba frequencies on a log scale, so common medical words are kept whole.
    const lines = thuoclLexicon().map(([w, n]) => `${w} ${Math.max(1, Math.round(Math.log(n + 1) * 300))} n`);
    this.jieba.loadDict(Buffer.from(lines.join('\n')));
  }

  add(words: Iterable<string>): this {
    const lines: string[] = [];
    for (const w of words) {
      const n = w.trim();
      if (n.length < 2 || n.length > 12 || /\s/.test(n) || this.known.has(n)) continue;
      this.known.add(n);
      lines.push(`${n} ${ADDED_WORD_FREQ} n`);
    }
    if (lines.length > 0) this.jieba.loadDict(Buffer.from(lines.join('\n')));
    return this;
  }

  cut(text: string): string[] {
    return text ? this.jieba.cut(text, false) : [];
  }
}

/** jieba with the medical dictionary plus extra words (maximum matching where jieba cannot load). */
export function medicalSegmenter(extra: Iterable<string> = []): WordSegmenter {
  const j = loadJieba();
  const segmenter: WordSegmenter = j ? new JiebaSegmenter(j.module, j.dict) : new Segmenter(thuoclWords());
  return segmenter.add(extra);
}
