import { HmacSm3 } from './hmac-sm3';
import { deriveKey } from './sm3';

export const BLIND_INDEX_LABEL = 'lingshu-blind';
/** 128 bits: collisions among even 10^12 distinct values stay below 10^-14. */
const INDEX_HEX_CHARS = 32;

/** Trim, NFKC (full-width ｘ → x), then upper-case ASCII letters so an ID number's x equals X. */
export function normalizeForIndex(value: string): string {
  return value.trim().normalize('NFKC').replace(/[a-z]+/g, s => s.toUpperCase());
}

/**
 * Deterministic keyed digest for equality search on an encrypted column: equal (normalized)
 * values give equal indexes, and without the key the index reveals nothing but equality.
 * Rotating the key means re-indexing every row, so give it its own, rarely rotated key.
 */
export function blindIndex(key: Uint8Array, value: string, normalize: (s: string) => string = normalizeForIndex): string {
  return new BlindIndexer(key, normalize).index(value);
}

/** `blindIndex` for one key and many values: the key is processed once. */
export class BlindIndexer {
  private readonly mac: HmacSm3;

  constructor(
    key: Uint8Array,
    private readonly normalize: (s: string) => string = normalizeForIndex,
  ) {
    this.mac = new HmacSm3(key);
  }

  index(value: string): string {
    return this.mac.digest(Buffer.from(this.normalize(value), 'utf8')).toString('hex', 0, INDEX_HEX_CHARS / 2);
  }
}

/** The blind-index key belonging to a data key, independent of its encryption and MAC keys. */
export function deriveBlindIndexKey(dataKey: Uint8Array): Buffer {
  return deriveKey(dataKey, BLIND_INDEX_LABEL);
}
