/**
 * Dictionary-based word segmentation (bidirectional maximum matching). The dictionary is the
 * THUOCL medical lexicon (MIT) shipped in data/, plus any words the caller adds (standard names,
 * abbreviations). Chosen over a jieba binding so the engine stays pure TypeScript with no native
 * build; for matching, words are only one signal beside character n-grams.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export class Segmenter {
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

let thuocl: string[] | undefined;

/** The THUOCL medical lexicon words (18,749), read once from the package's data folder. */
export function thuoclWords(): string[] {
  if (!thuocl) {
    const file = path.resolve(__dirname, '..', 'data', 'THUOCL_medical.txt');
    thuocl = fs.existsSync(file)
      ? fs.readFileSync(file, 'utf8').split('\n').map(l => l.split('\t')[0].trim()).filter(Boolean)
      : [];
  }
  return thuocl;
}

/** A segmenter over THUOCL plus extra words. */
export function medicalSegmenter(extra: Iterable<string> = []): Segmenter {
  return new Segmenter(thuoclWords()).add(extra);
}
