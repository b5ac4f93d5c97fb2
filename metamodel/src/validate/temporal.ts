import { digitsAt, isValidYmd } from '../format/calendar';
import { Env, Fail, Step, fail, typeName } from './steps';

const OK = 0;
const SHAPE = 1;
const CALENDAR = 2;

function checkYmd(s: string, y: number, m: number, d: number): number {
  const year = digitsAt(s, y, 4);
  const month = digitsAt(s, m, 2);
  const day = digitsAt(s, d, 2);
  if (year < 0 || month < 0 || day < 0) return SHAPE;
  return isValidYmd(year, month, day) ? OK : CALENDAR;
}

function checkHms(s: string, h: number, m: number, sec: number): number {
  const hour = digitsAt(s, h, 2);
  const minute = digitsAt(s, m, 2);
  const second = digitsAt(s, sec, 2);
  if (hour < 0 || minute < 0 || second < 0) return SHAPE;
  return hour <= 23 && minute <= 59 && second <= 59 ? OK : CALENDAR;
}

function notString(env: Env, what: string, value: unknown): Fail {
  return fail(env, 'type', `must be a ${what} string (got ${typeName(value)})`);
}

const DATE_SHAPE = 'must be a date as YYYYMMDD or YYYY-MM-DD';

/** D: `YYYYMMDD` (D8) or `YYYY-MM-DD`, normalized to `YYYY-MM-DD`. */
export const dateStep: Step = (value, env) => {
  if (typeof value !== 'string') return notString(env, 'date', value);
  const extended = value.length === 10 && value[4] === '-' && value[7] === '-';
  if (!extended && value.length !== 8) return fail(env, 'format', DATE_SHAPE);
  const state = extended ? checkYmd(value, 0, 5, 8) : checkYmd(value, 0, 4, 6);
  if (state === SHAPE) return fail(env, 'format', DATE_SHAPE);
  if (state === CALENDAR) return fail(env, 'format', `is not a real calendar date (got ${value})`);
  return extended ? value : `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}`;
};

const DATE_TIME_SHAPE =
  'must be a date-time as YYYYMMDDThhmmss, YYYYMMDDhhmmss, YYYY-MM-DDTHH:mm:ss or YYYY-MM-DD HH:mm:ss';
const ZONE = /(?:Z|[+-]\d{2}(?::?\d{2})?)$/;

/** Where the date and time parts of a date-time string start, or undefined when the shape is wrong. */
function dateTimeLayout(
  s: string,
): readonly [number, number, number, number, number, number, number] | undefined {
  if (s[4] === '-') {
    const ok = s[7] === '-' && (s[10] === 'T' || s[10] === ' ') && s[13] === ':' && s[16] === ':';
    return ok ? EXTENDED : undefined;
  }
  return s[8] === 'T' ? COMPACT_T : COMPACT;
}
// year, month, day, hour, minute, second, end of seconds
const EXTENDED = [0, 5, 8, 11, 14, 17, 19] as const;
const COMPACT_T = [0, 4, 6, 9, 11, 13, 15] as const;
const COMPACT = [0, 4, 6, 8, 10, 12, 14] as const;

/** Accepts nothing or `.` and 1-9 digits after the seconds; fractions are dropped (DT15 has seconds). */
function isFraction(s: string, from: number): boolean {
  if (from === s.length) return true;
  if (s[from] !== '.' || s.length - from < 2 || s.length - from > 10) return false;
  return digitsAt(s, from + 1, s.length - from - 1) >= 0;
}

/** DT: four accepted shapes, normalized to `YYYY-MM-DDTHH:mm:ss`. Time zones are rejected. */
export const dateTimeStep: Step = (value, env) => {
  if (typeof value !== 'string') return notString(env, 'date-time', value);
  const at = value.length >= 14 ? dateTimeLayout(value) : undefined;
  if (at === undefined || !isFraction(value, at[6])) {
    const zoned = value.length >= 15 && ZONE.test(value);
    return fail(
      env,
      'format',
      zoned ? 'must be local time without a time zone (Z or offset)' : DATE_TIME_SHAPE,
    );
  }
  const date = checkYmd(value, at[0], at[1], at[2]);
  const time = checkHms(value, at[3], at[4], at[5]);
  if (date === SHAPE || time === SHAPE) return fail(env, 'format', DATE_TIME_SHAPE);
  if (date === CALENDAR || time === CALENDAR) {
    return fail(env, 'format', `is not a real date and time (got ${value})`);
  }
  if (at === EXTENDED && value[10] === 'T' && value.length === 19) return value;
  return (
    `${value.slice(at[0], at[0] + 4)}-${value.slice(at[1], at[1] + 2)}-${value.slice(
      at[2],
      at[2] + 2,
    )}` +
    `T${value.slice(at[3], at[3] + 2)}:${value.slice(at[4], at[4] + 2)}:${value.slice(
      at[5],
      at[5] + 2,
    )}`
  );
};

const TIME_SHAPE = 'must be a time as hhmmss or HH:mm:ss';

/** T: `hhmmss` or `HH:mm:ss`, normalized to `HH:mm:ss`. */
export const timeStep: Step = (value, env) => {
  if (typeof value !== 'string') return notString(env, 'time', value);
  const extended = value.length === 8 && value[2] === ':' && value[5] === ':';
  if (!extended && value.length !== 6) return fail(env, 'format', TIME_SHAPE);
  const state = extended ? checkHms(value, 0, 3, 6) : checkHms(value, 0, 2, 4);
  if (state === SHAPE) return fail(env, 'format', TIME_SHAPE);
  if (state === CALENDAR) return fail(env, 'format', `is not a real time of day (got ${value})`);
  return extended ? value : `${value.slice(0, 2)}:${value.slice(2, 4)}:${value.slice(4, 6)}`;
};
