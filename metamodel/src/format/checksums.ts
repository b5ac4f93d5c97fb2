import { digitsAt, isValidYmd } from './calendar';

const GB11643_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const GB11643_CHECK = '10X98765432';

/** GB 11643-1999 check character for the first 17 digits of a citizen identity number. */
export function gb11643CheckChar(first17: string): string {
  if (typeof first17 !== 'string' || !/^\d{17}$/.test(first17)) {
    throw new RangeError('GB 11643 check character needs exactly 17 digits');
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * GB11643_WEIGHTS[i];
  return GB11643_CHECK[sum % 11];
}

/** 18-character citizen identity number: 17 digits with a real birth date, then the check character. */
export function isValidGb11643(id: string): boolean {
  if (typeof id !== 'string' || !/^\d{17}[\dXx]$/.test(id)) return false;
  if (!isValidYmd(digitsAt(id, 6, 4), digitsAt(id, 10, 2), digitsAt(id, 12, 2))) return false;
  return gb11643CheckChar(id.slice(0, 17)) === id[17].toUpperCase();
}

/** The 31 characters of GB 32100-2015 (no I, O, Z, S, V), each worth its index. */
const GB32100_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const GB32100_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const GB32100_SHAPE = /^[0-9A-HJ-NPQRTUW-Y]{18}$/;

/** GB 32100-2015 check character for the first 17 characters of a unified social credit code. */
export function gb32100CheckChar(first17: string): string {
  if (typeof first17 !== 'string' || !/^[0-9A-HJ-NPQRTUW-Y]{17}$/.test(first17)) {
    throw new RangeError(
      'GB 32100 check character needs 17 characters from 0-9 A-H J-N P-R T U W-Y',
    );
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += GB32100_CHARS.indexOf(first17[i]) * GB32100_WEIGHTS[i];
  return GB32100_CHARS[(31 - (sum % 31)) % 31];
}

/** Unified social credit code (统一社会信用代码): 18 characters, the last a checksum. */
export function isValidGb32100(code: string): boolean {
  if (typeof code !== 'string' || !GB32100_SHAPE.test(code)) return false;
  return gb32100CheckChar(code.slice(0, 17)) === code[17];
}
