/**
 * The two lexical baselines of the benchmark, written for this harness:
 *  - Usagi-style: TF-IDF over character 2- and 3-grams, cosine similarity to every standard name.
 *  - CBLUE-style recall: word TF-IDF cosine (same segmenter as the engine) averaged with the
 *    character overlap coefficient |A∩B| / min(|A|, |B|).
 * Both use the same normalize() as the engine so differences come from the method.
 */
import { normalize } from '../src/normalize';
import { medicalSegmenter, type WordSegmenter } from '../src/segment';
import { topK } from '../src/bm25';
import type { Vocabulary } from '../src/vocabulary-import';

export interface Ranked {
  codes: string[];
}

export interface Method {
  name: string;
  rank(text: string, limit: number): string[];
}

class TfIdf {
  private readonly postings = new Map<string, Array<[number, number]>>();
  private readonly norms: number[] = [];
  private readonly df = new Map<string, number>();
  private n = 0;

  constructor(docs: string[][]) {
    this.n = docs.length;
    for (const d of docs) for (const t of new Set(d)) this.df.set(t, (this.df.get(t) ?? 0) + 1);
    docs.forEach((d, i) => {
      const tf = count(d);
      let norm = 0;
      for (const [t, c] of tf) {
        const w = c * this.idf(t);
        norm += w * w;
        let p = this.postings.get(t);
        if (!p) this.postings.set(t, (p = []));
        p.push([i, w]);
      }
      this.norms.push(Math.sqrt(norm) || 1);
    });
  }

  idf(t: string): number {
    return Math.log((this.n + 1) / ((this.df.get(t) ?? 0) + 1)) + 1;
  }

  /** Cosine similarity of the query with every document it shares a token with. */
  cosine(query: string[], scores: Float64Array, touched: number[], weight = 1): void {
    const tf = count(query);
    let qn = 0;
    const qw = new Map<string, number>();
    for (const [t, c] of tf) {
      const w = c * this.idf(t);
      qw.set(t, w);
      qn += w * w;
    }
    qn = Math.sqrt(qn) || 1;
    for (const [t, w] of qw) {
      for (const [d, dw] of this.postings.get(t) ?? []) {
        if (scores[d] === 0) touched.push(d);
        scores[d] += (weight * w * dw) / (qn * this.norms[d]);
      }
    }
  }
}

function count(tokens: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of tokens) m.set(t, (m.get(t) ?? 0) + 1);
  return m;
}

function ngrams(s: string, sizes: number[]): string[] {
  const chars = [...s];
  const out: string[] = [];
  for (const n of sizes) for (let i = 0; i + n <= chars.length; i++) out.push(chars.slice(i, i + n).join(''));
  if (out.length === 0 && chars.length > 0) out.push(s);
  return out;
}

export function usagi(vocabulary: Vocabulary): Method {
  const names = vocabulary.terms.map(t => normalize(t.name));
  const index = new TfIdf(names.map(n => ngrams(n, [2, 3])));
  return {
    name: 'baseline-usagi',
    rank(text, limit) {
      const scores = new Float64Array(names.length);
      const touched: number[] = [];
      index.cosine(ngrams(normalize(text), [2, 3]), scores, touched);
      return topK(touched, scores, limit).map(h => vocabulary.terms[h.doc].code);
    },
  };
}

export function cblue(vocabulary: Vocabulary, segmenter: WordSegmenter = medicalSegmenter()): Method {
  const names = vocabulary.terms.map(t => normalize(t.name));
  segmenter.add(names.filter(n => n.length <= 8));
  const index = new TfIdf(names.map(n => segmenter.cut(n)));
  const charSets = names.map(n => new Set(n));
  const byChar = new Map<string, number[]>();
  charSets.forEach((set, i) => {
    for (const ch of set) {
      let l = byChar.get(ch);
      if (!l) byChar.set(ch, (l = []));
      l.push(i);
    }
  });
  return {
    name: 'baseline-cblue',
    rank(text, limit) {
      const q = normalize(text);
      const scores = new Float64Array(names.length);
      const touched: number[] = [];
      index.cosine(segmenter.cut(q), scores, touched, 0.5);
      const qs = new Set(q);
      const overlap = new Map<number, number>();
      for (const ch of qs) for (const d of byChar.get(ch) ?? []) overlap.set(d, (overlap.get(d) ?? 0) + 1);
      for (const [d, c] of overlap) {
        if (scores[d] === 0) touched.push(d);
        scores[d] += (0.5 * c) / Math.min(qs.size, charSets[d].size);
      }
      return topK(touched, scores, limit).map(h => vocabulary.terms[h.doc].code);
    },
  };
}
