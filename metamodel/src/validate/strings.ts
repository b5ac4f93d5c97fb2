import { RepresentationFormat } from '../contracts';
import { Step, fail, plural, typeName } from './steps';

const enum Charset {
  Letters,
  Digits,
  Any,
}

function charsetOf(format: RepresentationFormat | undefined): Charset {
  if (format?.charClass === 'A') return Charset.Letters;
  if (format?.charClass === 'N') return Charset.Digits;
  return Charset.Any;
}

/** Whether a UTF-16 unit breaks the class: A allows no ASCII digits, N only digits, none control characters. */
function isBad(charset: Charset, code: number): boolean {
  if (code < 0x20) return true;
  const digit = code >= 48 && code <= 57;
  return charset === Charset.Letters ? digit : charset === Charset.Digits ? !digit : false;
}

function charsetMessage(charset: Charset, char: string, position: number): string {
  const code = char.codePointAt(0) as number;
  if (code < 0x20) {
    const hex = code.toString(16).toUpperCase().padStart(4, '0');
    return `must not contain control characters (found U+${hex} at position ${position})`;
  }
  const found = `(found "${char}" at position ${position})`;
  return charset === Charset.Letters
    ? `must not contain digits ${found}`
    : `must contain only digits 0-9 ${found}`;
}

function lengthMessage(min: number, max: number, length: number): string {
  if (min === max) return `must be exactly ${plural(max, 'character')} (got ${length})`;
  return length > max
    ? `must be at most ${plural(max, 'character')} (got ${length})`
    : `must be at least ${plural(min, 'character')} (got ${length})`;
}

/**
 * S1/S2/S3 values: strings only (no coercion). Lengths and positions count Unicode code points,
 * as PostgreSQL's varchar(n) does.
 */
export function stringStep(format: RepresentationFormat | undefined): Step {
  const charset = charsetOf(format);
  const min = format?.minLength ?? 0;
  const max = format?.maxLength ?? Infinity;
  return (value, env) => {
    if (typeof value !== 'string')
      return fail(env, 'type', `must be a string (got ${typeName(value)})`);
    let length = 0;
    let badPosition = -1;
    let badIndex = 0;
    for (let i = 0; i < value.length; i++) {
      const code = value.charCodeAt(i);
      if (badPosition < 0 && isBad(charset, code)) {
        badPosition = length;
        badIndex = i;
      }
      if (code >= 0xd800 && code < 0xdc00 && i + 1 < value.length) {
        const next = value.charCodeAt(i + 1);
        if (next >= 0xdc00 && next < 0xe000) i++;
      }
      length++;
    }
    if (length > max || length < min) return fail(env, 'length', lengthMessage(min, max, length));
    if (badPosition >= 0) {
      const char = String.fromCodePoint(value.codePointAt(badIndex) as number);
      return fail(env, 'charset', charsetMessage(charset, char, badPosition), badPosition);
    }
    return value;
  };
}
