import { sm2 } from 'sm-crypto-v2';
import { CryptoError } from './errors';
import { sm3 } from './sm3';

/** GM/T 0009 default signer identity, used in the Z value when none is given. */
export const SM2_DEFAULT_USER_ID = '1234567812345678';

/** C1C3C2, the GM/T 0009 order; C1 is written without its leading 04 (sm-crypto's convention). */
const C1C3C2 = 1;
const N = BigInt('0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123');
const HEX = /^[0-9a-fA-F]*$/;
const PRIVATE_KEY = /^[0-9a-fA-F]{64}$/;
const SIGNATURE = /^[0-9a-fA-F]{128}$/;

export interface Sm2KeyPair {
  /** Hex, uncompressed point: 04 ‖ x ‖ y (130 chars). */
  publicKey: string;
  /** Hex, 64 chars. */
  privateKey: string;
}

export interface Sm2Options {
  /** Signer identity for the Z value; defaults to SM2_DEFAULT_USER_ID. */
  userId?: string;
}

export interface Sm2SignOptions extends Sm2Options {
  /** The private key's own public key: saves deriving it on every call (a wrong one yields invalid signatures). */
  publicKey?: string;
}

export interface Signer {
  readonly publicKey: string;
  /** Hex r ‖ s (128 chars). */
  sign(data: string | Uint8Array): string;
  verify(data: string | Uint8Array, signatureHex: string): boolean;
}

type Point = ReturnType<typeof sm2.precomputePublicKey>;

interface PublicKeyInfo {
  point: Point;
  z: Uint8Array;
}

/**
 * Parsed public keys with their Z values and window-8 precomputed multiples: ~40 ms and ~0.7 MB
 * per key once, then verification runs ~6× faster. Few keys are ever live (signing keys), so a
 * small cache that simply empties when full is enough.
 */
const publicKeys = new Map<string, PublicKeyInfo>();
const MAX_CACHED_KEYS = 16;
const WINDOW_BITS = 8;

export function generateSm2KeyPair(): Sm2KeyPair {
  const { publicKey, privateKey } = sm2.generateKeyPairHex();
  return { publicKey, privateKey };
}

/** SM2 signature (GM/T 0003.2) over e = SM3(Z ‖ M), Z from the user id and public key. */
export function sm2Sign(message: string | Uint8Array, privateKey: string, options: Sm2SignOptions = {}): string {
  checkPrivateKey(privateKey);
  const publicKey = options.publicKey ?? sm2.getPublicKeyFromPrivateKey(privateKey);
  const e = digest(message, publicKeyInfo(publicKey, options.userId));
  try {
    return sm2.doSignature(e, privateKey);
  } catch (err) {
    throw new CryptoError('SM2 signing failed', { cause: err });
  }
}

/** False for any wrong, malformed or out-of-range input; never throws. */
export function sm2Verify(
  message: string | Uint8Array,
  signatureHex: string,
  publicKey: string,
  options: Sm2Options = {},
): boolean {
  try {
    if (typeof signatureHex !== 'string' || !SIGNATURE.test(signatureHex)) return false;
    if (!inRange(signatureHex.slice(0, 64)) || !inRange(signatureHex.slice(64))) return false;
    const key = publicKeyInfo(publicKey, options.userId);
    return sm2.doVerifySignature(digest(message, key), signatureHex, key.point);
  } catch {
    return false;
  }
}

/** SM2 public-key encryption of UTF-8 text; hex C1 ‖ C3 ‖ C2 without the 04 prefix. */
export function sm2Encrypt(plaintext: string, publicKey: string): string {
  const { point } = publicKeyInfo(publicKey);
  return sm2.doEncrypt(plaintext, point, C1C3C2);
}

export function sm2Decrypt(cipherHex: string, privateKey: string): string {
  checkPrivateKey(privateKey);
  if (typeof cipherHex !== 'string' || cipherHex.length < 192 || cipherHex.length % 2 || !HEX.test(cipherHex)) {
    throw new CryptoError('SM2 ciphertext is malformed');
  }
  let plain: Uint8Array | unknown[];
  try {
    plain = sm2.doDecrypt(cipherHex, privateKey, C1C3C2, { output: 'array' });
  } catch (err) {
    throw new CryptoError('SM2 decryption failed: the ciphertext is corrupt', { cause: err });
  }
  // sm-crypto-v2 signals a C3 (integrity) mismatch with an empty plain array.
  if (!(plain instanceof Uint8Array)) throw new CryptoError('SM2 decryption failed: wrong key or tampered ciphertext');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(plain);
  } catch (err) {
    throw new CryptoError('SM2 plaintext is not UTF-8 text', { cause: err });
  }
}

/** A signer over one key pair; checks that the two halves belong together. */
export function sm2Signer(keyPair: Sm2KeyPair, options: Sm2Options = {}): Signer {
  checkPrivateKey(keyPair.privateKey);
  if (!sm2.comparePublicKeyHex(sm2.getPublicKeyFromPrivateKey(keyPair.privateKey), keyPair.publicKey)) {
    throw new CryptoError('SM2 public key does not match the private key');
  }
  const { publicKey, privateKey } = keyPair;
  const signOptions = { ...options, publicKey };
  return {
    publicKey,
    sign: data => sm2Sign(data, privateKey, signOptions),
    verify: (data, signatureHex) => sm2Verify(data, signatureHex, publicKey, options),
  };
}

function digest(message: string | Uint8Array, key: PublicKeyInfo): Buffer {
  return sm3(Buffer.concat([key.z, typeof message === 'string' ? Buffer.from(message, 'utf8') : message]));
}

function publicKeyInfo(publicKey: string, userId = SM2_DEFAULT_USER_ID): PublicKeyInfo {
  const cacheKey = `${userId}\u0000${publicKey}`;
  let info = publicKeys.get(cacheKey);
  if (!info) {
    info = parsePublicKey(publicKey, userId);
    if (publicKeys.size >= MAX_CACHED_KEYS) publicKeys.clear();
    publicKeys.set(cacheKey, info);
  }
  return info;
}

function parsePublicKey(publicKey: string, userId: string): PublicKeyInfo {
  if (typeof publicKey !== 'string' || !/^(04[0-9a-fA-F]{128}|0[23][0-9a-fA-F]{64})$/.test(publicKey)) {
    throw new CryptoError('SM2 public key must be a hex 04‖x‖y or compressed point');
  }
  let point: Point;
  try {
    point = sm2.precomputePublicKey(publicKey, WINDOW_BITS);
  } catch (err) {
    throw new CryptoError('SM2 public key is not a point on the curve', { cause: err });
  }
  // The canonical uncompressed form, so that a compressed key yields the same Z.
  return { point, z: sm2.getZ(point.toHex(false), userId) };
}

function checkPrivateKey(privateKey: string): void {
  if (typeof privateKey !== 'string' || !PRIVATE_KEY.test(privateKey)) {
    throw new CryptoError('SM2 private key must be 64 hex characters');
  }
  const d = BigInt(`0x${privateKey}`);
  if (d < 1n || d > N - 2n) throw new CryptoError('SM2 private key is out of range');
}

function inRange(hex: string): boolean {
  const v = BigInt(`0x${hex}`);
  return v >= 1n && v < N;
}
