/**
 * A small expression language for Formily `{{ }}` expressions in user-authored screens: a
 * hand-written tokenizer and recursive-descent parser producing a plain AST. Nothing here
 * evaluates code; see evaluate.ts for the evaluator. Unsupported syntax (assignment, `this`,
 * `new`, functions, templates, regular expressions, increments, `in`/`instanceof`, sequences)
 * is a parse error with the character position.
 */

export type Node =
  | { type: 'literal'; value: string | number | boolean | null | undefined }
  | { type: 'identifier'; name: string }
  | { type: 'member'; object: Node; property: Node; computed: boolean }
  | { type: 'call'; callee: Node; args: Node[] }
  | { type: 'unary'; operator: '!' | '-' | '+' | 'typeof'; argument: Node }
  | { type: 'binary'; operator: string; left: Node; right: Node }
  | { type: 'logical'; operator: '&&' | '||' | '??'; left: Node; right: Node }
  | { type: 'conditional'; test: Node; consequent: Node; alternate: Node }
  | { type: 'array'; elements: Node[] }
  | { type: 'object'; properties: Array<{ key: string; value: Node }> };

export class ExpressionError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(`${message} at position ${position}`);
    this.name = 'ExpressionError';
  }
}

type TokenType = 'num' | 'str' | 'name' | 'punct' | 'eof';
interface Token {
  type: TokenType;
  value: string;
  pos: number;
  num?: number;
}

const PUNCTUATORS = [
  '===', '!==', '??', '?.', '&&', '||', '==', '!=', '<=', '>=',
  '+', '-', '*', '/', '%', '<', '>', '!', '?', ':', '.', ',', '(', ')', '[', ']', '{', '}',
];
/** Reserved words that never name a scope value. */
const KEYWORDS = new Set(['true', 'false', 'null', 'undefined', 'typeof']);
const FORBIDDEN_WORDS = new Set([
  'this', 'new', 'function', 'class', 'delete', 'void', 'in', 'instanceof', 'yield', 'await',
  'import', 'export', 'var', 'let', 'const', 'return', 'if', 'else', 'for', 'while', 'do',
  'with', 'throw', 'try', 'catch', 'finally', 'switch', 'case', 'default', 'debugger', 'super',
  'arguments', 'eval',
]);
const MAX_LENGTH = 2000;
const MAX_DEPTH = 64;

const isIdStart = (c: string) => /[A-Za-z_$\u4e00-\u9fff]/.test(c);
const isIdPart = (c: string) => /[A-Za-z0-9_$\u4e00-\u9fff]/.test(c);

export function tokenize(text: string): Token[] {
  if (text.length > MAX_LENGTH) throw new ExpressionError(`expression longer than ${MAX_LENGTH} characters`, MAX_LENGTH);
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(text[i + 1] ?? ''))) {
      const m = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/.exec(text.slice(i))!;
      i += m[0].length;
      if (isIdPart(text[i] ?? '')) throw new ExpressionError('malformed number', start);
      tokens.push({ type: 'num', value: m[0], num: Number(m[0]), pos: start });
      continue;
    }
    if (c === '"' || c === "'") {
      tokens.push({ type: 'str', value: readString(text, i), pos: start });
      i = skipString(text, i);
      continue;
    }
    if (c === '`') throw new ExpressionError('template literals are not allowed', i);
    if (isIdStart(c)) {
      while (i < text.length && isIdPart(text[i])) i++;
      tokens.push({ type: 'name', value: text.slice(start, i), pos: start });
      continue;
    }
    const p = PUNCTUATORS.find(op => text.startsWith(op, i));
    if (!p) throw new ExpressionError(`unexpected character "${c}"`, i);
    // `?.5` is the conditional operator followed by a number, as in JavaScript.
    if (p === '?.' && /[0-9]/.test(text[i + 2] ?? '')) {
      tokens.push({ type: 'punct', value: '?', pos: i });
      i += 1;
      continue;
    }
    tokens.push({ type: 'punct', value: p, pos: i });
    i += p.length;
  }
  tokens.push({ type: 'eof', value: '', pos: text.length });
  return tokens;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', '0': '\0' };

function readString(text: string, start: number): string {
  const quote = text[start];
  let out = '';
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (c === quote) return out;
    if (c === '\n') break;
    if (c === '\\') {
      const n = text[++i];
      if (n === undefined) break;
      if (n === 'u') {
        const hex = /^[0-9a-fA-F]{4}/.exec(text.slice(i + 1));
        if (!hex) throw new ExpressionError('malformed \\u escape', i);
        out += String.fromCharCode(parseInt(hex[0], 16));
        i += 4;
      } else if (n === 'x') {
        const hex = /^[0-9a-fA-F]{2}/.exec(text.slice(i + 1));
        if (!hex) throw new ExpressionError('malformed \\x escape', i);
        out += String.fromCharCode(parseInt(hex[0], 16));
        i += 2;
      } else out += ESCAPES[n] ?? n;
      continue;
    }
    out += c;
  }
  throw new ExpressionError('unterminated string', start);
}

function skipString(text: string, start: number): number {
  const quote = text[start];
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === quote) return i + 1;
  }
  return text.length;
}

const BINARY_LEVELS: string[][] = [
  ['==', '!=', '===', '!=='],
  ['<', '>', '<=', '>='],
  ['+', '-'],
  ['*', '/', '%'],
];

class Parser {
  private i = 0;
  private depth = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): Node {
    const node = this.conditional();
    const t = this.peek();
    if (t.type !== 'eof') throw new ExpressionError(`unexpected "${t.value}"`, t.pos);
    return node;
  }

  private peek(): Token {
    return this.tokens[this.i];
  }

  private next(): Token {
    return this.tokens[this.i++];
  }

  private isPunct(value: string): boolean {
    const t = this.peek();
    return t.type === 'punct' && t.value === value;
  }

  private expect(value: string): void {
    const t = this.next();
    if (t.type !== 'punct' || t.value !== value) throw new ExpressionError(`expected "${value}" but found "${t.value || 'end'}"`, t.pos);
  }

  private enter(pos: number): void {
    if (++this.depth > MAX_DEPTH) throw new ExpressionError('expression nested too deeply', pos);
  }

  private conditional(): Node {
    this.enter(this.peek().pos);
    const test = this.logical(0);
    let node = test;
    if (this.isPunct('?')) {
      this.next();
      const consequent = this.conditional();
      this.expect(':');
      const alternate = this.conditional();
      node = { type: 'conditional', test, consequent, alternate };
    }
    this.depth--;
    return node;
  }

  private logical(level: number): Node {
    const ops: Array<'??' | '||' | '&&'>[] = [['??'], ['||'], ['&&']];
    if (level >= ops.length) return this.binary(0);
    let left = this.logical(level + 1);
    while (this.peek().type === 'punct' && (ops[level] as string[]).includes(this.peek().value)) {
      const operator = this.next().value as '&&' | '||' | '??';
      left = { type: 'logical', operator, left, right: this.logical(level + 1) };
    }
    return left;
  }

  private binary(level: number): Node {
    if (level >= BINARY_LEVELS.length) return this.unary();
    let left = this.binary(level + 1);
    while (this.peek().type === 'punct' && BINARY_LEVELS[level].includes(this.peek().value)) {
      const operator = this.next().value;
      left = { type: 'binary', operator, left, right: this.binary(level + 1) };
    }
    return left;
  }

  private unary(): Node {
    const t = this.peek();
    if (t.type === 'punct' && (t.value === '!' || t.value === '-' || t.value === '+')) {
      this.next();
      this.enter(t.pos);
      const argument = this.unary();
      this.depth--;
      return { type: 'unary', operator: t.value as '!' | '-' | '+', argument };
    }
    if (t.type === 'name' && t.value === 'typeof') {
      this.next();
      return { type: 'unary', operator: 'typeof', argument: this.unary() };
    }
    return this.postfix();
  }

  private postfix(): Node {
    let node = this.primary();
    for (;;) {
      const t = this.peek();
      if (t.type !== 'punct') return node;
      if (t.value === '.' || t.value === '?.') {
        this.next();
        if (t.value === '?.' && this.isPunct('[')) {
          this.next();
          node = { type: 'member', object: node, property: this.conditional(), computed: true };
          this.expect(']');
          continue;
        }
        const name = this.next();
        if (name.type !== 'name') throw new ExpressionError(`expected a property name after "${t.value}"`, name.pos);
        node = { type: 'member', object: node, property: { type: 'literal', value: name.value }, computed: false };
      } else if (t.value === '[') {
        this.next();
        node = { type: 'member', object: node, property: this.conditional(), computed: true };
        this.expect(']');
      } else if (t.value === '(') {
        this.next();
        node = { type: 'call', callee: node, args: this.list(')') };
      } else return node;
    }
  }

  private list(close: string): Node[] {
    const items: Node[] = [];
    while (!this.isPunct(close)) {
      items.push(this.conditional());
      if (!this.isPunct(close)) this.expect(',');
    }
    this.next();
    return items;
  }

  private primary(): Node {
    const t = this.next();
    switch (t.type) {
      case 'num':
        return { type: 'literal', value: t.num! };
      case 'str':
        return { type: 'literal', value: t.value };
      case 'name':
        if (t.value === 'true' || t.value === 'false') return { type: 'literal', value: t.value === 'true' };
        if (t.value === 'null') return { type: 'literal', value: null };
        if (t.value === 'undefined') return { type: 'literal', value: undefined };
        if (FORBIDDEN_WORDS.has(t.value) || KEYWORDS.has(t.value)) throw new ExpressionError(`"${t.value}" is not allowed`, t.pos);
        return { type: 'identifier', name: t.value };
      case 'punct':
        if (t.value === '(') {
          const inner = this.conditional();
          this.expect(')');
          return inner;
        }
        if (t.value === '[') return { type: 'array', elements: this.list(']') };
        if (t.value === '{') return this.object();
        throw new ExpressionError(`unexpected "${t.value}"`, t.pos);
      default:
        throw new ExpressionError('unexpected end of expression', t.pos);
    }
  }

  private object(): Node {
    const properties: Array<{ key: string; value: Node }> = [];
    while (!this.isPunct('}')) {
      const k = this.next();
      if (k.type !== 'name' && k.type !== 'str' && k.type !== 'num') throw new ExpressionError('expected a property name', k.pos);
      const key = k.type === 'num' ? String(k.num) : k.value;
      this.expect(':');
      properties.push({ key, value: this.conditional() });
      if (!this.isPunct('}')) this.expect(',');
    }
    this.next();
    return { type: 'object', properties };
  }
}

/** Parses one expression (the text between `{{` and `}}`); throws ExpressionError. */
export function parseExpression(text: string): Node {
  return new Parser(tokenize(text)).parse();
}
