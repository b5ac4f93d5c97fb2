import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** SM3 (GB/T 32905) digest; strings are hashed as UTF-8. */
export function sm3(data: string | Uint8Array): Buffer {
  return createHash('sm3').update(data).digest();
}

export function sm3Hex(data: string | Uint8Array): string {
  return createHash('sm3').update(data).digest('hex');
}

/** HMAC-SM3 (GB/T 15852.2 construction with SM3); 32-byte tag. */
export function hmacSm3(key: Uint8Array, data: string | Uint8Array): Buffer {
  return createHmac('sm3', key).update(data).digest();
}

/**
 * Derives an independent subkey: HMAC-SM3(key, label), optionally truncated.
 * One PRF call per label gives keys that reveal nothing about each other or the parent key.
 */
export function deriveKey(key: Uint8Array, label: string, length = 32): Buffer {
  if (length < 1 || length > 32) throw new RangeError('derived key length must be 1..32 bytes');
  return hmacSm3(key, label).subarray(0, length);
}

/** Constant-time comparison of two hex strings (case-insensitive); only the length can leak. */
export function timingSafeEqualHex(a: string, b: string): boolean {
  const x = Buffer.from(a.toLowerCase(), 'latin1');
  const y = Buffer.from(b.toLowerCase(), 'latin1');
  return x.length === y.length && timingSafeEqual(x, y);
}
