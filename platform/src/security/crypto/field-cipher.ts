import { Cipher, createCipheriv, randomFillSync, timingSafeEqual } from 'node:crypto';
import { CryptoError } from './errors';
import { HmacSm3 } from './hmac-sm3';
import { deriveKey } from './sm3';

/**
 * Field-level encryption at rest, encrypt-then-MAC:
 *
 *   token = "v1." keyId "." base64url(IV ‖ C ‖ T)
 *   C     = SM4-CTR(Kenc, IV, UTF-8 plaintext)           IV: 16 random bytes
 *   T     = HMAC-SM3(Kmac, "v1." keyId "." ‖ IV ‖ C ‖ A ‖ uint32be(|A|))[0..16)
 *   Kenc  = HMAC-SM3(dataKey, "lingshu-enc")[0..16),  Kmac = HMAC-SM3(dataKey, "lingshu-mac")
 *
 * A is the associated data (e.g. "table.column"), which binds a token to its place: a token
 * copied into another column fails. No A and an empty A are the same. The tag is truncated to
 * 128 bits, the strength of SM4-128 itself and the length of a GCM tag: forging still takes
 * ~2^128 tries online, and an 18-character ID number costs 67 characters instead of 88.
 * Key ids are 1–40 characters of [A-Za-z0-9_-], so they never contain the separator.
 */
export const FIELD_TOKEN_VERSION = 'v1';
export const FIELD_KEY_LABELS = { encryption: 'lingshu-enc', mac: 'lingshu-mac' } as const;

const IV_BYTES = 16;
const TAG_BYTES = 16;
const DATA_KEY_BYTES = 32;
const KEY_ID = /^[A-Za-z0-9_-]{1,40}$/;
const TOKEN = /^v1\.([A-Za-z0-9_-]{1,40})\.[A-Za-z0-9_-]+$/;

export class FieldCipher {
  private readonly ctr: Sm4Ctr;
  private readonly mac: HmacSm3;
  /** Associated data as bytes with its length suffix, per place (a few hundred at most). */
  private readonly aadSuffixes = new Map<string, Buffer>();
  private readonly prefix: string;
  private readonly header: Buffer;

  constructor(
    readonly keyId: string,
    dataKey: Uint8Array,
  ) {
    if (!KEY_ID.test(keyId)) throw new CryptoError('key id must be 1-40 characters of A-Z a-z 0-9 _ -');
    if (dataKey.length !== DATA_KEY_BYTES) throw new CryptoError(`data key must be ${DATA_KEY_BYTES} bytes`);
    this.ctr = new Sm4Ctr(deriveKey(dataKey, FIELD_KEY_LABELS.encryption, 16));
    this.mac = new HmacSm3(deriveKey(dataKey, FIELD_KEY_LABELS.mac));
    this.prefix = `${FIELD_TOKEN_VERSION}.${keyId}.`;
    this.header = Buffer.from(this.prefix, 'ascii');
  }

  /** The key id a token names, without checking anything else; throws if it is not a token. */
  static keyIdOf(token: string): string {
    const match = typeof token === 'string' ? TOKEN.exec(token) : null;
    if (!match) throw new CryptoError('not a field encryption token (expected v1.<keyId>.<data>)');
    return match[1];
  }

  encrypt(plaintext: string, aad?: string): string {
    return this.encryptBytes(Buffer.from(plaintext, 'utf8'), aad);
  }

  decrypt(token: string, aad?: string): string {
    return this.decryptBytes(token, aad).toString('utf8');
  }

  encryptBytes(plaintext: Uint8Array, aad?: string): string {
    const sealed = Buffer.allocUnsafe(IV_BYTES + plaintext.length + TAG_BYTES);
    const ivAndCipher = sealed.subarray(0, IV_BYTES + plaintext.length);
    nextIv(sealed);
    this.ctr.apply(sealed.subarray(0, IV_BYTES), plaintext, sealed.subarray(IV_BYTES));
    this.tag(ivAndCipher, aad).copy(sealed, ivAndCipher.length, 0, TAG_BYTES);
    return this.prefix + sealed.toString('base64url');
  }

  /** Authenticates before decrypting: a wrong key, associated data or any altered byte throws. */
  decryptBytes(token: string, aad?: string): Buffer {
    const sealed = this.unpack(token);
    const tagAt = sealed.length - TAG_BYTES;
    const expected = this.tag(sealed.subarray(0, tagAt), aad).subarray(0, TAG_BYTES);
    if (!timingSafeEqual(expected, sealed.subarray(tagAt))) {
      throw new CryptoError('field token failed authentication: wrong key, wrong associated data or a tampered token');
    }
    const plaintext = Buffer.allocUnsafe(tagAt - IV_BYTES);
    this.ctr.apply(sealed.subarray(0, IV_BYTES), sealed.subarray(IV_BYTES, tagAt), plaintext);
    return plaintext;
  }

  private tag(ivAndCipher: Buffer, aad = ''): Buffer {
    return this.mac.digest(this.header, ivAndCipher, this.aadSuffix(aad));
  }

  /** A ‖ uint32be(|A|). */
  private aadSuffix(aad: string): Buffer {
    let suffix = this.aadSuffixes.get(aad);
    if (!suffix) {
      const bytes = Buffer.from(aad, 'utf8');
      suffix = Buffer.alloc(bytes.length + 4);
      bytes.copy(suffix);
      suffix.writeUInt32BE(bytes.length, bytes.length);
      if (this.aadSuffixes.size < 10_000) this.aadSuffixes.set(aad, suffix);
    }
    return suffix;
  }

  private unpack(token: string): Buffer {
    if (typeof token !== 'string' || !token.startsWith(this.prefix)) {
      const keyId = FieldCipher.keyIdOf(token);
      throw new CryptoError(`field token is under key ${keyId}, this cipher holds key ${this.keyId}`);
    }
    const encoded = token.slice(this.prefix.length);
    const sealed = Buffer.from(encoded, 'base64url');
    // Buffer.from skips stray characters and ignores spare bits: insist on the one canonical form.
    if (sealed.length < IV_BYTES + TAG_BYTES || sealed.toString('base64url') !== encoded) {
      throw new CryptoError('field token is malformed');
    }
    return sealed;
  }
}

export function keyIdOf(token: string): string {
  return FieldCipher.keyIdOf(token);
}

/**
 * SM4-CTR with a 128-bit big-endian counter, byte for byte what Node's `sm4-ctr` produces, but
 * from one reusable ECB context: creating a cipher context per short field costs as much as
 * the rest of the encryption together.
 */
export class Sm4Ctr {
  private readonly ecb: Cipher;

  constructor(key: Uint8Array) {
    this.ecb = createCipheriv('sm4-ecb', key, null);
    this.ecb.setAutoPadding(false);
  }

  /** Writes input XOR keystream(iv) to output (at least input.length bytes). */
  apply(iv: Uint8Array, input: Uint8Array, output: Uint8Array): void {
    const keystream = this.ecb.update(counterBlocks(iv, Math.ceil(input.length / 16)));
    for (let i = 0; i < input.length; i++) output[i] = input[i] ^ keystream[i];
  }
}

function counterBlocks(iv: Uint8Array, blocks: number): Buffer {
  const counters = Buffer.allocUnsafe(blocks * 16);
  if (blocks > 0) counters.set(iv);
  for (let at = 16; at < counters.length; at += 16) {
    counters.copyWithin(at, at - 16, at);
    for (let i = at + 15; i >= at; i--) {
      if (counters[i] !== 0xff) {
        counters[i]++;
        break;
      }
      counters[i] = 0;
    }
  }
  return counters;
}

/** IVs come from a pooled CSPRNG buffer: one randomFillSync per 256 tokens instead of per token. */
const ivPool = Buffer.alloc(IV_BYTES * 256);
let ivOffset = ivPool.length;

function nextIv(target: Buffer): void {
  if (ivOffset === ivPool.length) {
    randomFillSync(ivPool);
    ivOffset = 0;
  }
  ivPool.copy(target, 0, ivOffset, ivOffset + IV_BYTES);
  ivOffset += IV_BYTES;
}
