import { RepresentationFormat } from '../contracts';
import { Step, fail, plural, typeName } from './steps';

const NUMERIC = /^-?\d+(?:\.\d+)?$/;
/** Above this many significant digits a double may not hold a decimal string exactly. */
const EXACT_DIGITS = 15;

/** Scratch for measure(): significant digits before and after the point. */
const counted = { integer: 0, fraction: 0 };

/** Counts digits of a plain decimal string, ignoring the sign, leading and trailing zeros. */
function measure(text: string): void {
  let start = text.charCodeAt(0) === 45 ? 1 : 0;
  let point = text.indexOf('.');
  if (point < 0) point = text.length;
  while (start < point && text.charCodeAt(start) === 48) start++;
  let end = text.length;
  if (point < end) {
    while (end > point + 1 && text.charCodeAt(end - 1) === 48) end--;
  }
  counted.integer = point - start;
  counted.fraction = end > point + 1 ? end - point - 1 : 0;
}

/** A finite number as a plain decimal string (no exponent). */
function plainNumber(n: number): string {
  const s = String(n);
  const e = s.indexOf('e');
  if (e < 0) return s;
  const sign = n < 0 ? '-' : '';
  const dot = s.indexOf('.');
  const mantissa = s.slice(sign.length, e).replace('.', '');
  const point = (dot < 0 ? e : dot) - sign.length + Number(s.slice(e + 1));
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${mantissa}`;
  if (point >= mantissa.length) return sign + mantissa + '0'.repeat(point - mantissa.length);
  return `${sign}${mantissa.slice(0, point)}.${mantissa.slice(point)}`;
}

/**
 * N values: a JS number or a numeric string, normalized to a number. Strings with more than 15
 * significant digits that a double cannot hold exactly are kept as strings (PostgreSQL takes both).
 */
export function numberStep(format: RepresentationFormat | undefined): Step {
  const scale = format?.scale ?? 0;
  const minDigits = format?.minLength;
  const maxInteger = format?.maxLength === undefined ? undefined : format.maxLength - scale;
  const beforePoint = scale > 0 ? ' before the decimal point' : '';
  return (value, env) => {
    let text: string;
    if (typeof value === 'number' && Number.isFinite(value)) text = plainNumber(value);
    else if (typeof value === 'string' && NUMERIC.test(value)) text = value;
    else return fail(env, 'type', `must be a number (got ${describe(value)})`);
    measure(text);
    const { integer, fraction } = counted;
    if (fraction > 0 && scale === 0) return fail(env, 'type', `must be an integer (got ${text})`);
    if (fraction > scale)
      return fail(
        env,
        'scale',
        `must have at most ${plural(scale, 'decimal place')} (got ${fraction})`,
      );
    if (maxInteger !== undefined && integer > maxInteger) {
      return fail(
        env,
        'length',
        `must have at most ${plural(maxInteger, 'digit')}${beforePoint} (got ${integer})`,
      );
    }
    const digits = Math.max(1, integer + fraction);
    if (minDigits !== undefined && digits < minDigits) {
      return fail(
        env,
        'length',
        `must have at least ${plural(minDigits, 'digit')} (got ${digits})`,
      );
    }
    if (typeof value === 'number') return value;
    const n = Number(text);
    return digits <= EXACT_DIGITS || Number.isSafeInteger(n) ? n : text;
  };
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `"${value.length > 20 ? value.slice(0, 20) + '…' : value}"`;
  if (typeof value === 'number') return String(value);
  return typeName(value);
}
