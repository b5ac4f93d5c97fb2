/** Dates as days since 1970-01-01 (UTC, no time zones), formatted as WS-friendly strings. */

const DAY_MS = 86400000;

export function dayOf(ymd: string): number {
  return Math.floor(Date.UTC(Number(ymd.slice(0, 4)), Number(ymd.slice(5, 7)) - 1, Number(ymd.slice(8, 10))) / DAY_MS);
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

export interface Ymd {
  year: number;
  month: number;
  day: number;
}

export function ymdOf(day: number): Ymd {
  const d = new Date(day * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** YYYY-MM-DD */
export function isoDate(day: number): string {
  const { year, month, day: d } = ymdOf(day);
  return `${year}-${pad2(month)}-${pad2(d)}`;
}

/** YYYYMMDD */
export function compactDate(day: number): string {
  const { year, month, day: d } = ymdOf(day);
  return `${year}${pad2(month)}${pad2(d)}`;
}

/** YYYY-MM-DDTHH:mm:ss from a day and the seconds since midnight. */
export function isoDateTime(day: number, seconds: number): string {
  const s = Math.max(0, Math.min(86399, Math.floor(seconds)));
  return `${isoDate(day)}T${pad2(Math.floor(s / 3600))}:${pad2(Math.floor(s / 60) % 60)}:${pad2(s % 60)}`;
}

/** Completed years of age on `onDay` for someone born on `birthDay`. */
export function ageOn(birthDay: number, onDay: number): number {
  const b = ymdOf(birthDay);
  const o = ymdOf(onDay);
  let age = o.year - b.year;
  if (o.month < b.month || (o.month === b.month && o.day < b.day)) age--;
  return age;
}

/** Day of the week, 0 = Sunday. */
export function weekday(day: number): number {
  return (day + 4) % 7; // 1970-01-01 was a Thursday
}

/** The demo data window (inclusive). */
export const WINDOW_START = dayOf('2024-01-01');
export const WINDOW_END = dayOf('2026-10-31');
