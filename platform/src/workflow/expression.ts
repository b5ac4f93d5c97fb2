/**
 * The condition language of process models: comparisons and logic over process variables,
 * parsed by hand and interpreted over a tree — never `eval` or `new Function` of user text.
 *
 *   outcome == "approved" && (amount > 1000 || urgent)      not rejected      level in ["A", "B"]
 *
 * Names are process variables (dotted paths into objects, `a[0]` into lists); only own
 * properties are read, so nothing reaches prototypes or functions. Kept small on purpose: the
 * platform's general expression language can replace it behind `compileCondition`.
 */

export class ExpressionError extends Error {
  constructor(message: string, readonly position: number) {
    super(`${message} at position ${position}`);
    this.name = 'ExpressionError';
  }
}

type Node =
  | { t: 'lit'; v: unknown }
  | { t: 'path'; parts: Array<string | number> }
  | { t: 'list'; items: Node[] }
  | { t: 'not'; e: Node }
  | { t: 'neg'; e: Node }
  | { t: 'bin'; op: string; a: Node; b: Node };

interface Token {
  k: 'num' | 'str' | 'name' | 'op' | 'end';
  v: string;
  pos: number;
}

const OPS = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '!', '(', ')', '[', ']', ',', '.', '+', '-', '*', '/', '%'];
const WORD_OPS = new Map([['and', '&&'], ['or', '||'], ['not', '!'], ['in', 'in']]);
const FORBIDDEN = new Set(['__proto__', 'prototype', 'constructor']);
const MAX_LENGTH = 2000;

function tokenize(src: string): Token[] {
  if (src.length > MAX_LENGTH) throw new ExpressionError(`expression longer than ${MAX_LENGTH} characters`, MAX_LENGTH);
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (/[0-9]/.test(c)) {
      const m = /^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(src.slice(i))!;
      out.push({ k: 'num', v: m[0], pos: i });
      i += m[0].length;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let s = '';
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\\' && j + 1 < src.length) {
          const e = src[j + 1];
          s += e === 'n' ? '\n' : e === 't' ? '\t' : e;
          j += 2;
        } else s += src[j++];
      }
      if (j >= src.length) throw new ExpressionError('unterminated string', i);
      out.push({ k: 'str', v: s, pos: i });
      i = j + 1;
      continue;
    }
    if (/[A-Za-z_$\u4e00-\u9fff]/.test(c)) {
      const m = /^[A-Za-z_$0-9\u4e00-\u9fff]+/.exec(src.slice(i))!;
      const word = m[0];
      const op = WORD_OPS.get(word);
      out.push(op ? { k: 'op', v: op, pos: i } : { k: 'name', v: word, pos: i });
      i += word.length;
      continue;
    }
    const op = OPS.find(o => src.startsWith(o, i));
    if (!op) throw new ExpressionError(`unexpected character "${c}"`, i);
    out.push({ k: 'op', v: op, pos: i });
    i += op.length;
  }
  out.push({ k: 'end', v: '', pos: src.length });
  return out;
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): Node {
    const node = this.or();
    const t = this.peek();
    if (t.k !== 'end') throw new ExpressionError(`unexpected "${t.v}"`, t.pos);
    return node;
  }

  private peek(): Token {
    return this.tokens[this.i];
  }

  private take(op?: string): Token | undefined {
    const t = this.peek();
    if (op === undefined || (t.k === 'op' && t.v === op)) {
      this.i++;
      return t;
    }
    return undefined;
  }

  private expect(op: string): void {
    const t = this.peek();
    if (!this.take(op)) throw new ExpressionError(`expected "${op}" but found "${t.v || 'end'}"`, t.pos);
  }

  private or(): Node {
    let a = this.and();
    while (this.take('||')) a = { t: 'bin', op: '||', a, b: this.and() };
    return a;
  }

  private and(): Node {
    let a = this.not();
    while (this.take('&&')) a = { t: 'bin', op: '&&', a, b: this.not() };
    return a;
  }

  private not(): Node {
    if (this.take('!')) return { t: 'not', e: this.not() };
    return this.comparison();
  }

  private comparison(): Node {
    const a = this.additive();
    const t = this.peek();
    if (t.k === 'op' && ['==', '!=', '<', '<=', '>', '>=', 'in'].includes(t.v)) {
      this.i++;
      return { t: 'bin', op: t.v, a, b: this.additive() };
    }
    return a;
  }

  private additive(): Node {
    let a = this.multiplicative();
    for (;;) {
      const t = this.peek();
      if (t.k === 'op' && (t.v === '+' || t.v === '-')) {
        this.i++;
        a = { t: 'bin', op: t.v, a, b: this.multiplicative() };
      } else return a;
    }
  }

  private multiplicative(): Node {
    let a = this.unary();
    for (;;) {
      const t = this.peek();
      if (t.k === 'op' && (t.v === '*' || t.v === '/' || t.v === '%')) {
        this.i++;
        a = { t: 'bin', op: t.v, a, b: this.unary() };
      } else return a;
    }
  }

  private unary(): Node {
    if (this.take('-')) return { t: 'neg', e: this.unary() };
    return this.primary();
  }

  private primary(): Node {
    const t = this.peek();
    if (t.k === 'num') {
      this.i++;
      return { t: 'lit', v: Number(t.v) };
    }
    if (t.k === 'str') {
      this.i++;
      return { t: 'lit', v: t.v };
    }
    if (this.take('(')) {
      const e = this.or();
      this.expect(')');
      return e;
    }
    if (this.take('[')) {
      const items: Node[] = [];
      if (!this.take(']')) {
        do items.push(this.or());
        while (this.take(','));
        this.expect(']');
      }
      return { t: 'list', items };
    }
    if (t.k === 'name') {
      this.i++;
      if (t.v === 'true' || t.v === 'false') return { t: 'lit', v: t.v === 'true' };
      if (t.v === 'null') return { t: 'lit', v: null };
      const parts: Array<string | number> = [this.name(t)];
      for (;;) {
        if (this.take('.')) {
          const n = this.peek();
          if (n.k !== 'name') throw new ExpressionError('expected a property name after "."', n.pos);
          this.i++;
          parts.push(this.name(n));
        } else if (this.take('[')) {
          const n = this.peek();
          if (n.k !== 'num' && n.k !== 'str') throw new ExpressionError('expected a number or string index', n.pos);
          this.i++;
          parts.push(n.k === 'num' ? Number(n.v) : this.name(n));
          this.expect(']');
        } else break;
      }
      return { t: 'path', parts };
    }
    throw new ExpressionError(t.k === 'end' ? 'unexpected end of expression' : `unexpected "${t.v}"`, t.pos);
  }

  private name(t: Token): string {
    if (FORBIDDEN.has(t.v)) throw new ExpressionError(`"${t.v}" is not allowed`, t.pos);
    return t.v;
  }
}

function lookup(scope: unknown, parts: Array<string | number>): unknown {
  let v = scope;
  for (const p of parts) {
    if (v === null || typeof v !== 'object') return undefined;
    if (!Object.prototype.hasOwnProperty.call(v, p)) return undefined;
    v = (v as Record<string | number, unknown>)[p];
  }
  return typeof v === 'function' ? undefined : v;
}

function equal(a: unknown, b: unknown): boolean {
  if (a === undefined) a = null;
  if (b === undefined) b = null;
  return a === b;
}

function evaluate(n: Node, scope: Record<string, unknown>): unknown {
  switch (n.t) {
    case 'lit':
      return n.v;
    case 'path':
      return lookup(scope, n.parts);
    case 'list':
      return n.items.map(i => evaluate(i, scope));
    case 'not':
      return !truthy(evaluate(n.e, scope));
    case 'neg':
      return -Number(evaluate(n.e, scope));
    case 'bin': {
      if (n.op === '&&') return truthy(evaluate(n.a, scope)) && truthy(evaluate(n.b, scope));
      if (n.op === '||') return truthy(evaluate(n.a, scope)) || truthy(evaluate(n.b, scope));
      const a = evaluate(n.a, scope);
      const b = evaluate(n.b, scope);
      switch (n.op) {
        case '==':
          return equal(a, b);
        case '!=':
          return !equal(a, b);
        case 'in':
          return Array.isArray(b) ? b.some(x => equal(x, a)) : typeof b === 'string' && typeof a === 'string' && b.includes(a);
        case '<':
        case '<=':
        case '>':
        case '>=':
          return compare(n.op, a, b);
        case '+':
          return typeof a === 'string' || typeof b === 'string' ? `${a ?? ''}${b ?? ''}` : Number(a) + Number(b);
        case '-':
          return Number(a) - Number(b);
        case '*':
          return Number(a) * Number(b);
        case '/':
          return Number(a) / Number(b);
        case '%':
          return Number(a) % Number(b);
      }
    }
  }
  return undefined;
}

function compare(op: string, a: unknown, b: unknown): boolean {
  // Mixed or missing operands compare false rather than coercing "10" < 9.
  if (!((typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string'))) return false;
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    default:
      return a >= b;
  }
}

function truthy(v: unknown): boolean {
  return Array.isArray(v) ? v.length > 0 : Boolean(v);
}

export interface CompiledExpression {
  readonly source: string;
  evaluate(variables: Record<string, unknown>): unknown;
  test(variables: Record<string, unknown>): boolean;
}

const cache = new Map<string, CompiledExpression>();

/** Parses once (cached by text); throws ExpressionError naming the position. */
export function compileCondition(source: string): CompiledExpression {
  let compiled = cache.get(source);
  if (!compiled) {
    const tree = new Parser(tokenize(source)).parse();
    compiled = {
      source,
      evaluate: vars => evaluate(tree, vars),
      test: vars => truthy(evaluate(tree, vars)),
    };
    if (cache.size > 5000) cache.clear();
    cache.set(source, compiled);
  }
  return compiled;
}

/** `${…}` around a whole string: the form BPMN models use for expressions. */
export function unwrapExpression(text: string): string | undefined {
  const m = /^\s*\$\{([\s\S]*)\}\s*$/.exec(text);
  return m ? m[1] : undefined;
}
