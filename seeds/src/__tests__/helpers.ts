/**
 * Independent re-implementations of the national check characters (from the standards' text in
 * shared/standards/README.md), so the tests do not validate the generator with its own code.
 */

export function gb11643Ok(id: string): boolean {
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = w.reduce((s, wi, i) => s + wi * Number(id[i]), 0);
  return '10X98765432'[sum % 11] === id[17];
}

export function gb32100Ok(code: string): boolean {
  const chars = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  if (code.length !== 18 || [...code].some(c => !chars.includes(c))) return false;
  const w = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const sum = w.reduce((s, wi, i) => s + wi * chars.indexOf(code[i]), 0);
  const check = 31 - (sum % 31);
  return chars[check === 31 ? 0 : check] === code[17];
}

/** Completed years between two YYYY-MM-DD dates. */
export function yearsBetween(birth: string, on: string): number {
  let age = Number(on.slice(0, 4)) - Number(birth.slice(0, 4));
  if (on.slice(5, 10) < birth.slice(5, 10)) age--;
  return age;
}
