/**
 * BM25 over arbitrary token lists (the suggester feeds character unigrams, bigrams and words,
 * each with a type prefix). Posting lists are flat arrays; a query touches only its own tokens.
 */

export interface Bm25Options {
  k1?: number;
  b?: number;
}

export interface Bm25Hit {
  doc: number;
  score: number;
}

export class Bm25Index {
  private readonly postings = new Map<string, { docs: number[]; tfs: number[] }>();
  private readonly lengths: number[] = [];
  private totalLength = 0;
  private readonly k1: number;
  private readonly b: number;

  constructor(options: Bm25Options = {}) {
    this.k1 = options.k1 ?? 1.2;
    this.b = options.b ?? 0.6;
  }

  get size(): number {
    return this.lengths.length;
  }

  /** Adds a document and returns its number (0, 1, 2, … in insertion order). */
  add(tokens: readonly string[]): number {
    const doc = this.lengths.length;
    const tf = new Map<string, number>();
    for (const t of tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
    for (const [t, n] of tf) {
      let p = this.postings.get(t);
      if (!p) {
        p = { docs: [], tfs: [] };
        this.postings.set(t, p);
      }
      p.docs.push(doc);
      p.tfs.push(n);
    }
    this.lengths.push(tokens.length);
    this.totalLength += tokens.length;
    return doc;
  }

  /** Documents that contain a token (empty when none). */
  documents(token: string): readonly number[] {
    return this.postings.get(token)?.docs ?? [];
  }

  idf(token: string): number {
    const df = this.postings.get(token)?.docs.length ?? 0;
    const n = this.lengths.length;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /**
   * Top `limit` documents for weighted query tokens. Tokens with a document frequency above
   * `maxDf` (share of the index) are skipped when the query has rarer tokens: they cost the most
   * and discriminate the least.
   */
  search(query: ReadonlyArray<readonly [string, number]>, limit = 50, maxDf = 0.2): Bm25Hit[] {
    const n = this.lengths.length;
    if (n === 0) return [];
    const avg = this.totalLength / n;
    const scores = new Float64Array(n);
    const touched: number[] = [];
    const terms = query
      .map(([t, w]) => ({ t, w, p: this.postings.get(t) }))
      .filter(x => x.p !== undefined) as Array<{ t: string; w: number; p: { docs: number[]; tfs: number[] } }>;
    const rare = terms.filter(x => x.p.docs.length <= maxDf * n);
    for (const { t, w, p } of rare.length > 0 ? rare : terms) {
      const idf = this.idf(t) * w;
      for (let i = 0; i < p.docs.length; i++) {
        const d = p.docs[i];
        const tf = p.tfs[i];
        const s = (idf * tf * (this.k1 + 1)) / (tf + this.k1 * (1 - this.b + (this.b * this.lengths[d]) / avg));
        if (scores[d] === 0) touched.push(d);
        scores[d] += s;
      }
    }
    return topK(touched, scores, limit);
  }
}

/** The `k` highest-scoring documents among `docs`, best first (ties by document number). */
export function topK(docs: readonly number[], scores: ArrayLike<number>, k: number): Bm25Hit[] {
  const heap: Bm25Hit[] = [];
  for (const doc of docs) {
    const score = scores[doc];
    if (heap.length < k) {
      heap.push({ doc, score });
      if (heap.length === k) heap.sort((a, b) => a.score - b.score);
    } else if (score > heap[0].score) {
      heap[0] = { doc, score };
      // restore ascending order by one insertion pass
      for (let i = 0; i + 1 < heap.length && heap[i].score > heap[i + 1].score; i++) [heap[i], heap[i + 1]] = [heap[i + 1], heap[i]];
    }
  }
  return heap.sort((a, b) => b.score - a.score || a.doc - b.doc);
}
