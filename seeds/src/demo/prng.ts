/**
 * Deterministic randomness: every generated row draws from its own mulberry32 stream, seeded by
 * hashing (seed, stream tag, row index), so row i depends only on the seed and i.
 */

/** Murmur3 finalizer: a good 32-bit mix. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const tagHashes = new Map<string, number>();

/** FNV-1a of a short tag, cached. */
function tagHash(tag: string): number {
  let h = tagHashes.get(tag);
  if (h !== undefined) return h;
  h = 0x811c9dc5;
  for (let i = 0; i < tag.length; i++) h = Math.imul(h ^ tag.charCodeAt(i), 0x01000193);
  h = fmix32(h >>> 0);
  tagHashes.set(tag, h);
  return h;
}

/** A 32-bit hash of (seed, tag, index); index may be any safe non-negative integer. */
export function hash32(seed: number, tag: string, index: number): number {
  const lo = index >>> 0;
  const hi = Math.floor(index / 4294967296) >>> 0;
  let h = fmix32((seed >>> 0) ^ tagHash(tag));
  h = fmix32(h ^ lo);
  h = fmix32((h + 0x9e3779b9) ^ hi);
  return h;
}

/** Uniform in [0, 1) from (seed, tag, index), without building a stream. */
export function unit(seed: number, tag: string, index: number): number {
  return hash32(seed, tag, index) / 4294967296;
}

export class Rng {
  private state: number;

  constructor(seed32: number) {
    this.state = seed32 >>> 0;
  }

  static for(seed: number, tag: string, index: number): Rng {
    return new Rng(hash32(seed, tag, index));
  }

  /** mulberry32: uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), 1 | t);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Integer in [min, max]. */
  range(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /** Standard normal by Box-Muller. */
  gaussian(): number {
    let u = this.next();
    while (u === 0) u = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  normal(mean: number, sd: number): number {
    return mean + sd * this.gaussian();
  }

  /** Digits as a string, e.g. digits(8) = "04719352". */
  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(this.int(10));
    return s;
  }
}

/** Weighted choice with a precomputed cumulative table (binary search). */
export class Weighted<T> {
  readonly items: readonly T[];
  private readonly cumulative: Float64Array;
  readonly total: number;

  constructor(entries: ReadonlyArray<readonly [T, number]>) {
    const kept = entries.filter(([, w]) => w > 0);
    if (kept.length === 0) throw new Error('Weighted: no positive weight');
    this.items = kept.map(([item]) => item);
    this.cumulative = new Float64Array(kept.length);
    let sum = 0;
    kept.forEach(([, w], i) => {
      sum += w;
      this.cumulative[i] = sum;
    });
    this.total = sum;
  }

  /** The item whose cumulative interval contains u·total, u in [0, 1). */
  at(u: number): T {
    const x = u * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cumulative[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo];
  }

  pick(rng: Rng): T {
    return this.at(rng.next());
  }
}
