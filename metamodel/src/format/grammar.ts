import { RepresentationFormat } from '../contracts';

/** A representation format that does not follow the WS grammar. */
export class FormatError extends Error {
  constructor(readonly source: string, readonly position: number, readonly detail: string) {
    super(`invalid representation format "${source}": ${detail} at position ${position}`);
    this.name = 'FormatError';
  }
}

type CharClass = RepresentationFormat['charClass'];

/** Longest first, so that `AN` wins over `A` and `DT` over `D`. */
const CLASSES: readonly CharClass[] = ['AN', 'DT', 'A', 'N', 'D', 'T'];
const TEMPORAL_LENGTH: Partial<Record<CharClass, number>> = { D: 8, DT: 15, T: 6 };

/** A tiny cursor over the trimmed format text. */
class Cursor {
  pos = 0;
  constructor(readonly text: string) {}

  get done(): boolean {
    return this.pos >= this.text.length;
  }

  eat(token: string): boolean {
    if (!this.text.startsWith(token, this.pos)) return false;
    this.pos += token.length;
    return true;
  }

  /** Reads an unsigned decimal integer, or returns undefined when none starts here. */
  integer(): number | undefined {
    const start = this.pos;
    while (!this.done && isDigit(this.text.charCodeAt(this.pos))) this.pos++;
    return this.pos === start ? undefined : Number(this.text.slice(start, this.pos));
  }

  fail(detail: string, position = this.pos): never {
    throw new FormatError(this.text, position, detail);
  }

  expectInteger(what: string): number {
    const value = this.integer();
    if (value === undefined) this.fail(`expected ${what}${this.foundSuffix()}`);
    return value;
  }

  foundSuffix(): string {
    return this.done ? ' but the format ended' : ` but found "${this.text[this.pos]}"`;
  }
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/**
 * Parses a WS representation format: `A`, `N` or `AN` with an optional length (`AN10`, `AN..50`,
 * `N1..3`) and, for `N`, decimals (`N..6,2`); or a temporal format `D8`, `DT15`, `T6`.
 */
export function parseFormat(source: string): RepresentationFormat {
  const text = typeof source === 'string' ? source.trim() : '';
  if (text === '') throw new FormatError(String(source ?? ''), 0, 'the format is empty');
  const cursor: Cursor = new Cursor(text);
  const charClass = CLASSES.find(c => cursor.eat(c));
  if (charClass === undefined) {
    cursor.fail(`unknown character class "${text[0]}" (expected A, N, AN, D, DT or T)`);
  }
  const format =
    TEMPORAL_LENGTH[charClass] !== undefined
      ? parseTemporal(cursor, charClass)
      : parseSized(cursor, charClass);
  if (!cursor.done) cursor.fail(`unexpected "${text[cursor.pos]}"`);
  return format;
}

function parseTemporal(cursor: Cursor, charClass: CharClass): RepresentationFormat {
  const expected = TEMPORAL_LENGTH[charClass] as number;
  const start = cursor.pos;
  const length = cursor.integer();
  if (length !== expected) {
    cursor.fail(`${charClass} must be written ${charClass}${expected}`, start);
  }
  return { charClass, minLength: expected, maxLength: expected, source: cursor.text };
}

function parseSized(cursor: Cursor, charClass: CharClass): RepresentationFormat {
  const format: RepresentationFormat = { charClass, source: cursor.text };
  if (cursor.done) return format;
  const minStart = cursor.pos;
  const first = cursor.integer();
  if (cursor.eat('..')) {
    const maxStart = cursor.pos;
    const max = cursor.expectInteger('a maximum length after ".."');
    if (max < 1) cursor.fail('the maximum length must be at least 1', maxStart);
    if (first !== undefined && first > max) {
      cursor.fail(`the minimum length ${first} exceeds the maximum length ${max}`, minStart);
    }
    if (first !== undefined) format.minLength = first;
    format.maxLength = max;
  } else if (first !== undefined) {
    if (first < 1) cursor.fail('the length must be at least 1', minStart);
    format.minLength = first;
    format.maxLength = first;
  } else {
    cursor.fail(`expected a length or ".."${cursor.foundSuffix()}`);
  }
  if (cursor.text[cursor.pos] === ',') parseScale(cursor, format);
  return format;
}

/** `N..6,2` and `N6,2` both mean at most 6 digits, 2 of them after the decimal point. */
function parseScale(cursor: Cursor, format: RepresentationFormat): void {
  if (format.charClass !== 'N') cursor.fail('decimals are only allowed for the N class');
  cursor.eat(',');
  const start = cursor.pos;
  const scale = cursor.expectInteger('a number of decimals after ","');
  const digits = format.maxLength as number;
  if (scale > digits) {
    cursor.fail(`${scale} decimals exceed the ${digits} total digits`, start);
  }
  if (format.minLength === format.maxLength) delete format.minLength;
  format.scale = scale;
}
