/**
 * HMAC-SM3 (RFC 2104 over GB/T 32905 SM3) for one fixed key and many short messages.
 *
 * Node's createHmac('sm3', key) costs 3–10 µs a call, almost all of it in creating the OpenSSL
 * context and processing the key, against < 1 µs for the two or three SM3 blocks a field token
 * or a blind index needs. Here the key's inner and outer pad blocks are compressed once; each
 * message then costs its own blocks plus one outer block. Output equals createHmac's byte for
 * byte (checked against it in the tests for every length up to several blocks).
 */
export class HmacSm3 {
  private readonly innerState: Int32Array;
  private readonly outerState: Int32Array;

  constructor(key: Uint8Array) {
    const block = new Uint8Array(BLOCK);
    block.set(key.length > BLOCK ? sm3(key) : key);
    this.innerState = IV.slice();
    this.outerState = IV.slice();
    const w = new Int32Array(68);
    const pad = new Uint8Array(BLOCK);
    for (let i = 0; i < BLOCK; i++) pad[i] = block[i] ^ 0x36;
    compress(this.innerState, pad, 0, w);
    for (let i = 0; i < BLOCK; i++) pad[i] = block[i] ^ 0x5c;
    compress(this.outerState, pad, 0, w);
  }

  /** The MAC of the concatenation of parts (32 bytes). */
  digest(...parts: Uint8Array[]): Buffer {
    const inner = finish(this.innerState, parts);
    return finish(this.outerState, [inner]);
  }
}

/** SM3 of one message, with the same code (for keys longer than a block). */
export function sm3(message: Uint8Array): Buffer {
  return finish(IV, [message], 0);
}

const BLOCK = 64;
const IV = Int32Array.from([0x7380166f, 0x4914b2b9, 0x172442d7, 0xda8a0600, 0xa96f30bc, 0x163138aa, 0xe38dee4d, 0xb0fb0e4e]);
/** T_j rotated left by j mod 32, precomputed. */
const T = Int32Array.from({ length: 64 }, (_, j) => rotl(j < 16 ? 0x79cc4519 : 0x7a879d8a, j % 32));

/** Scratch space: hashing is synchronous, so one set serves every call. */
const SCRATCH_W = new Int32Array(68);
const SCRATCH_BLOCK = new Uint8Array(BLOCK);
const SCRATCH_VIEW = new DataView(SCRATCH_BLOCK.buffer);

function rotl(x: number, n: number): number {
  return (x << n) | (x >>> (32 - n));
}

/**
 * Hashes parts from a state that has already absorbed `prefixBytes` (one block for the HMAC pads),
 * without copying the parts into one buffer.
 */
function finish(start: Int32Array, parts: Uint8Array[], prefixBytes = BLOCK): Buffer {
  const state = start.slice();
  const w = SCRATCH_W;
  const block = SCRATCH_BLOCK;
  let filled = 0;
  let length = prefixBytes;
  for (const part of parts) {
    length += part.length;
    let at = 0;
    if (filled > 0) {
      const take = Math.min(BLOCK - filled, part.length);
      block.set(part.subarray(0, take), filled);
      filled += take;
      at = take;
      if (filled < BLOCK) continue;
      compress(state, block, 0, w);
      filled = 0;
    }
    for (; at + BLOCK <= part.length; at += BLOCK) compress(state, part, at, w);
    if (at < part.length) {
      block.set(part.subarray(at), 0);
      filled = part.length - at;
    }
  }
  block[filled++] = 0x80;
  if (filled > BLOCK - 8) {
    block.fill(0, filled);
    compress(state, block, 0, w);
    filled = 0;
  }
  block.fill(0, filled);
  const bits = length * 8;
  SCRATCH_VIEW.setUint32(56, Math.floor(bits / 0x100000000));
  SCRATCH_VIEW.setUint32(60, bits >>> 0);
  compress(state, block, 0, w);
  const out = Buffer.allocUnsafe(32);
  for (let i = 0; i < 8; i++) out.writeInt32BE(state[i], i * 4);
  return out;
}

function compress(v: Int32Array, bytes: Uint8Array, offset: number, w: Int32Array): void {
  for (let j = 0; j < 16; j++) {
    const o = offset + j * 4;
    w[j] = (bytes[o] << 24) | (bytes[o + 1] << 16) | (bytes[o + 2] << 8) | bytes[o + 3];
  }
  for (let j = 16; j < 68; j++) {
    const w3 = w[j - 3];
    const w13 = w[j - 13];
    const x = w[j - 16] ^ w[j - 9] ^ ((w3 << 15) | (w3 >>> 17));
    w[j] = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w13 << 7) | (w13 >>> 25)) ^ w[j - 6];
  }
  let a = v[0], b = v[1], c = v[2], d = v[3], e = v[4], f = v[5], g = v[6], h = v[7];
  for (let j = 0; j < 64; j++) {
    const a12 = (a << 12) | (a >>> 20);
    const s = (a12 + e + T[j]) | 0;
    const ss1 = (s << 7) | (s >>> 25);
    const wj = w[j];
    const tt1 = ((j < 16 ? a ^ b ^ c : (a & b) | (a & c) | (b & c)) + d + (ss1 ^ a12) + (wj ^ w[j + 4])) | 0;
    const tt2 = ((j < 16 ? e ^ f ^ g : (e & f) | (~e & g)) + h + ss1 + wj) | 0;
    d = c;
    c = (b << 9) | (b >>> 23);
    b = a;
    a = tt1;
    h = g;
    g = (f << 19) | (f >>> 13);
    f = e;
    e = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
  }
  v[0] ^= a; v[1] ^= b; v[2] ^= c; v[3] ^= d; v[4] ^= e; v[5] ^= f; v[6] ^= g; v[7] ^= h;
}
