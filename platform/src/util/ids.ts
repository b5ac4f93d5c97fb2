import { randomBytes } from 'node:crypto';

const POOL_SIZE = 16 * 1024;
let pool = randomBytes(POOL_SIZE);
let offset = POOL_SIZE;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * A UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then random bits. Ids made in a row
 * sort together, so B-tree inserts on the primary key touch the right-hand pages instead of
 * random ones, which keeps bulk loads fast on large tables.
 */
export function uuidv7(now = Date.now()): string {
  if (offset + 10 > POOL_SIZE) {
    pool = randomBytes(POOL_SIZE);
    offset = 0;
  }
  const b = new Array<string>(16);
  let ms = now;
  for (let i = 5; i >= 0; i--) {
    b[i] = HEX[ms % 256];
    ms = Math.floor(ms / 256);
  }
  b[6] = HEX[0x70 | (pool[offset] & 0x0f)];
  b[7] = HEX[pool[offset + 1]];
  b[8] = HEX[0x80 | (pool[offset + 2] & 0x3f)];
  for (let i = 9; i < 16; i++) b[i] = HEX[pool[offset + i - 6]];
  offset += 10;
  return `${b[0]}${b[1]}${b[2]}${b[3]}-${b[4]}${b[5]}-${b[6]}${b[7]}-${b[8]}${b[9]}-${b[10]}${b[11]}${b[12]}${b[13]}${b[14]}${b[15]}`;
}
