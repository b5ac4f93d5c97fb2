/**
 * Check characters of the national identifier standards, used to generate valid synthetic
 * identifiers (the metamodel validates them; these are the generating side).
 */

const GB11643_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const GB11643_CHECK = '10X98765432';

/** GB 11643-1999 公民身份号码: the check character of the first 17 digits. */
export function gb11643Check(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError(`GB 11643 needs 17 digits (got "${first17}")`);
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * GB11643_WEIGHTS[i];
  return GB11643_CHECK[sum % 11];
}

export function isGb11643(id: string): boolean {
  return /^\d{17}[\dX]$/.test(id) && gb11643Check(id.slice(0, 17)) === id[17];
}

/** GB 32100-2015 统一社会信用代码 alphabet: digits and upper-case letters without I O S V Z. */
export const GB32100_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const GB32100_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** GB 32100-2015: the check character of the first 17 characters. */
export function gb32100Check(first17: string): string {
  if (first17.length !== 17) throw new RangeError(`GB 32100 needs 17 characters (got "${first17}")`);
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = GB32100_CHARS.indexOf(first17[i]);
    if (v < 0) throw new RangeError(`"${first17[i]}" is not a GB 32100 character`);
    sum += v * GB32100_WEIGHTS[i];
  }
  return GB32100_CHARS[(31 - (sum % 31)) % 31];
}

export function isGb32100(code: string): boolean {
  return /^[0-9A-HJ-NPQRTUW-Y]{18}$/.test(code) && gb32100Check(code.slice(0, 17)) === code[17];
}

const GB11714_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

/**
 * GB 11714-1997 组织机构代码: the check character of the 8-character body (digits and upper-case
 * letters, A = 10 … Z = 35); 10 is written X and 11 is written 0. Positions 9-17 of a unified
 * social credit code carry such an organization code.
 */
export function gb11714Check(body8: string): string {
  if (!/^[0-9A-Z]{8}$/.test(body8)) throw new RangeError(`GB 11714 needs 8 characters (got "${body8}")`);
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += parseInt(body8[i], 36) * GB11714_WEIGHTS[i];
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}
