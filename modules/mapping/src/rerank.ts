/**
 * The re-ranker: a linear model over match signals, starting from hand-set weights and learned
 * from confirmed mappings (pairwise logistic loss, L2-regularised towards the starting weights so
 * a few confirmations cannot undo it). The score's sigmoid is the candidate's confidence.
 */

export const FEATURES = [
  'exact', // the query (normalized or without qualifiers) equals a standard name or alias
  'abbreviation', // equal after expanding a known abbreviation
  'dice', // character-bigram Dice with the closest name
  'queryCover', // share of the query's characters found in the name
  'termCover', // share of the name's characters found in the query
  'edit', // Levenshtein similarity
  'bm25', // BM25 (character n-grams and words) relative to the best candidate
  'contained', // the name occurs inside the query (length share)
  'prefix', // one starts with the other
  'words', // Jaccard over segmented words
  'kbExact', // the same text was confirmed to this code
  'kbSimilar', // similarity of the closest confirmed text mapped to this code
  'kbPrior', // how often this code has been confirmed (log-scaled)
  'kbRewrite', // closer after rewrites learned from confirmations (gain × rule reliability)
  'neural', // sentence-model cosine (0 when no model is configured)
  'specific', // +1: a more specific name whose extra wording the entry has; −1: its less specific parent
  'soundAlike', // the name read in pinyin equals (1) or is inside (length share) the entry read in pinyin, but not in writing
] as const;

export type Feature = (typeof FEATURES)[number];
export type Signals = Record<Feature, number>;

export const DEFAULT_WEIGHTS: Readonly<Signals> = {
  exact: 5,
  abbreviation: 4,
  dice: 3,
  queryCover: 2.5,
  termCover: 2,
  edit: 1.5,
  bm25: 1.5,
  contained: 0.5,
  prefix: 0.3,
  words: 1,
  kbExact: 7,
  kbSimilar: 4,
  kbPrior: 0.5,
  kbRewrite: 6,
  neural: 0,
  specific: 1.5,
  soundAlike: 3,
};
export const DEFAULT_BIAS = -7;

/** Human-readable names of the signals, for the "why" of a suggestion. */
export const SIGNAL_LABELS: Readonly<Record<Feature, string>> = {
  exact: 'exact name',
  abbreviation: 'known abbreviation',
  dice: 'character overlap',
  queryCover: 'covers the entry',
  termCover: 'name found in entry',
  edit: 'edit distance',
  bm25: 'BM25 n-grams/words',
  contained: 'name inside entry',
  prefix: 'prefix',
  words: 'word overlap',
  kbExact: 'confirmed before (same text)',
  kbSimilar: 'similar confirmed text',
  kbPrior: 'often confirmed',
  kbRewrite: 'learned rewrite',
  neural: 'sentence model',
  specific: 'most specific name that fits',
  soundAlike: 'sounds alike (pinyin)',
};

export interface RankedExample {
  positive: Signals;
  negatives: Signals[];
}

export class Reranker {
  weights: Signals;
  bias: number;
  private readonly prior: Signals;
  /** Number of pairwise updates applied (0 = hand-set weights). */
  updates = 0;

  constructor(weights: Partial<Signals> = {}, bias = DEFAULT_BIAS) {
    this.prior = { ...DEFAULT_WEIGHTS, ...weights };
    this.weights = { ...this.prior };
    this.bias = bias;
  }

  score(x: Signals): number {
    let s = this.bias;
    for (const f of FEATURES) s += this.weights[f] * x[f];
    return s;
  }

  /** The signals that contributed most to a score, strongest first. */
  explain(x: Signals, max = 3): string[] {
    return FEATURES.map(f => [f, this.weights[f] * x[f]] as const)
      .filter(([, c]) => c > 0.3)
      .sort((a, b) => b[1] - a[1])
      .slice(0, max)
      .map(([f]) => SIGNAL_LABELS[f]);
  }

  /**
   * Pairwise updates: the confirmed code should outscore every other candidate. Only pairs the
   * model gets wrong or nearly wrong move the weights.
   */
  learn(examples: readonly RankedExample[], options: { epochs?: number; rate?: number; l2?: number } = {}): void {
    const { epochs = 2, rate = 0.01, l2 = 0.05 } = options;
    for (let e = 0; e < epochs; e++) {
      for (const ex of examples) {
        const sp = this.score(ex.positive);
        for (const neg of ex.negatives) {
          const margin = sp - this.score(neg);
          if (margin > 0.5) continue;
          const g = 1 / (1 + Math.exp(margin)); // 1 − sigmoid(margin)
          for (const f of FEATURES) {
            this.weights[f] += rate * (g * (ex.positive[f] - neg[f]) - l2 * (this.weights[f] - this.prior[f]));
          }
          this.updates++;
        }
      }
    }
  }

  toJSON(): { weights: Signals; bias: number; updates: number } {
    return { weights: { ...this.weights }, bias: this.bias, updates: this.updates };
  }

  static fromJSON(json: { weights: Partial<Signals>; bias?: number }): Reranker {
    const r = new Reranker({}, json.bias ?? DEFAULT_BIAS);
    r.weights = { ...r.weights, ...json.weights };
    return r;
  }
}

export function emptySignals(): Signals {
  const s = {} as Signals;
  for (const f of FEATURES) s[f] = 0;
  return s;
}

export const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
