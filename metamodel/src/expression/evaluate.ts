import { ExpressionError, Node, parseExpression } from './parser';

/**
 * Evaluates the safe expression language. The rules that keep it safe:
 *  - identifiers resolve only from the scope object's own properties (no globals, no `this`);
 *  - member access refuses `__proto__`, `constructor`, `prototype` and the other legacy
 *    accessors, and reads only own properties or getters that a class (not Object, Function or
 *    Array) defines — so `$self.value` works on a Formily field, `a.constructor` does not;
 *  - a function is never a value: it can only be called, and only if it is one of the
 *    whitelisted pure functions or a whitelisted string/array method;
 *  - object literals build null-prototype objects and refuse the same keys.
 * There is no assignment, no `new`, no function literal and no loop, so evaluation time is
 * bounded by the expression's length.
 */

export class ExpressionRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExpressionRefused';
  }
}

export type SafeFunction = (...args: unknown[]) => unknown;

export const BLOCKED_KEYS: ReadonlySet<string> = new Set([
  '__proto__', 'constructor', 'prototype', '__defineGetter__', '__defineSetter__',
  '__lookupGetter__', '__lookupSetter__', 'caller', 'callee', 'arguments',
]);

/** Pure helpers an expression may call by name. */
export const SAFE_FUNCTIONS: Readonly<Record<string, SafeFunction>> = Object.freeze({
  Number: (v: unknown) => Number(v),
  String: (v: unknown) => String(v),
  Boolean: (v: unknown) => Boolean(v),
  isNaN: (v: unknown) => Number.isNaN(Number(v)),
  parseInt: (v: unknown, radix?: unknown) => parseInt(String(v), radix === undefined ? 10 : Number(radix)),
  parseFloat: (v: unknown) => parseFloat(String(v)),
  abs: (v: unknown) => Math.abs(Number(v)),
  round: (v: unknown) => Math.round(Number(v)),
  floor: (v: unknown) => Math.floor(Number(v)),
  ceil: (v: unknown) => Math.ceil(Number(v)),
  max: (...v: unknown[]) => Math.max(...v.map(Number)),
  min: (...v: unknown[]) => Math.min(...v.map(Number)),
  /** Empty: undefined, null, '', an empty array or an object without own keys. */
  isEmpty: (v: unknown) =>
    v === undefined || v === null || v === '' || (Array.isArray(v) ? v.length === 0 : typeof v === 'object' && Object.keys(v as object).length === 0),
  len: (v: unknown) => (typeof v === 'string' || Array.isArray(v) ? v.length : 0),
});

export const STRING_METHODS: ReadonlySet<string> = new Set([
  'includes', 'startsWith', 'endsWith', 'indexOf', 'lastIndexOf', 'slice', 'substring', 'trim',
  'trimStart', 'trimEnd', 'toUpperCase', 'toLowerCase', 'charAt', 'split', 'at',
]);
export const ARRAY_METHODS: ReadonlySet<string> = new Set(['includes', 'indexOf', 'lastIndexOf', 'join', 'slice', 'at']);
/** Prototypes whose members are never readable as properties. */
const BUILTIN_PROTOTYPES = new Set<unknown>([Object.prototype, Function.prototype, Array.prototype, String.prototype]);

export interface EvaluateOptions {
  /** Extra pure functions an expression may call by name (in addition to SAFE_FUNCTIONS). */
  functions?: Readonly<Record<string, SafeFunction>>;
}

const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/** Evaluates a parsed expression against a scope; throws ExpressionRefused for anything outside the subset. */
export function evaluateNode(node: Node, scope: unknown, options: EvaluateOptions = {}): unknown {
  const functions = options.functions;
  const refuse = (message: string): never => {
    throw new ExpressionRefused(message);
  };
  const valueOf = (v: unknown): unknown => (typeof v === 'function' ? refuse('a function is not a value') : v);

  const lookupFunction = (name: string): SafeFunction | undefined => {
    if (functions && hasOwn(functions, name)) return functions[name];
    if (hasOwn(SAFE_FUNCTIONS, name)) return SAFE_FUNCTIONS[name];
    return undefined;
  };

  const member = (object: unknown, key: unknown): unknown => {
    if (object === null || object === undefined) return undefined;
    if (typeof key !== 'string' && typeof key !== 'number') return refuse('a property name must be a string or a number');
    const k = String(key);
    if (BLOCKED_KEYS.has(k)) return refuse(`"${k}" is not accessible`);
    if (typeof object === 'string') {
      if (k === 'length') return object.length;
      return /^\d+$/.test(k) ? object[Number(k)] : undefined;
    }
    if (typeof object !== 'object') return undefined;
    if (hasOwn(object, k)) return valueOf((object as Record<string, unknown>)[k]);
    if (Array.isArray(object)) return undefined;
    // A getter a class defines (Formily's Field.value, Form.values): read through the object so
    // reactive proxies see the read.
    for (let proto = Object.getPrototypeOf(object); proto && !BUILTIN_PROTOTYPES.has(proto); proto = Object.getPrototypeOf(proto)) {
      const d = Object.getOwnPropertyDescriptor(proto, k);
      if (d) return d.get ? valueOf((object as Record<string, unknown>)[k]) : undefined;
    }
    return undefined;
  };

  const call = (callee: Node, args: unknown[]): unknown => {
    if (callee.type === 'identifier') {
      const fn = lookupFunction(callee.name);
      if (!fn) return refuse(`"${callee.name}" is not a function an expression may call`);
      return valueOf(fn(...args));
    }
    if (callee.type === 'member') {
      const target = ev(callee.object);
      const name = callee.computed ? ev(callee.property) : (callee.property as { value: string }).value;
      if (typeof name !== 'string' || BLOCKED_KEYS.has(name)) return refuse('this method is not allowed');
      if (typeof target === 'string' && STRING_METHODS.has(name)) {
        return (String.prototype as unknown as Record<string, SafeFunction>)[name].apply(target, args);
      }
      if (Array.isArray(target) && ARRAY_METHODS.has(name)) {
        return valueOf((Array.prototype as unknown as Record<string, SafeFunction>)[name].apply(target, args));
      }
      if (target === null || target === undefined) return undefined;
      return refuse(`method "${name}" is not allowed`);
    }
    return refuse('only named functions and string or array methods can be called');
  };

  const ev = (n: Node): unknown => {
    switch (n.type) {
      case 'literal':
        return n.value;
      case 'identifier':
        if (BLOCKED_KEYS.has(n.name)) return refuse(`"${n.name}" is not accessible`);
        if (scope !== null && typeof scope === 'object' && hasOwn(scope, n.name)) return valueOf((scope as Record<string, unknown>)[n.name]);
        return undefined;
      case 'member':
        return member(ev(n.object), n.computed ? ev(n.property) : (n.property as { value: string }).value);
      case 'call':
        return call(n.callee, n.args.map(a => valueOf(ev(a))));
      case 'unary': {
        const v = ev(n.argument);
        if (n.operator === '!') return !v;
        if (n.operator === 'typeof') return typeof v;
        return n.operator === '-' ? -(v as number) : +(v as number);
      }
      case 'binary':
        return binary(n.operator, ev(n.left), ev(n.right));
      case 'logical': {
        const left = ev(n.left);
        if (n.operator === '&&') return left ? ev(n.right) : left;
        if (n.operator === '||') return left ? left : ev(n.right);
        return left ?? ev(n.right);
      }
      case 'conditional':
        return ev(n.test) ? ev(n.consequent) : ev(n.alternate);
      case 'array':
        return n.elements.map(ev);
      case 'object': {
        const out = Object.create(null) as Record<string, unknown>;
        for (const p of n.properties) {
          if (BLOCKED_KEYS.has(p.key)) refuse(`"${p.key}" is not allowed as a key`);
          out[p.key] = ev(p.value);
        }
        return out;
      }
    }
  };
  return ev(node);
}

/**
 * Operands of arithmetic and comparison: objects would run their own `valueOf`/`toString`, so
 * only primitives (and arrays of them, joined) take part.
 */
function primitive(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  return Array.isArray(v) ? v : NaN;
}

function binary(op: string, a: unknown, b: unknown): unknown {
  if (op === '===') return a === b;
  if (op === '!==') return a !== b;
  const isObj = (v: unknown) => v !== null && typeof v === 'object';
  // Loose equality with an object would convert it with its own methods: compare by identity.
  // eslint-disable-next-line eqeqeq
  if (op === '==') return isObj(a) || isObj(b) ? a === b : a == b;
  // eslint-disable-next-line eqeqeq
  if (op === '!=') return isObj(a) || isObj(b) ? a !== b : a != b;
  const x = primitive(a) as number;
  const y = primitive(b) as number;
  switch (op) {
    case '<': return x < y;
    case '>': return x > y;
    case '<=': return x <= y;
    case '>=': return x >= y;
    case '+': return x + y;
    case '-': return x - y;
    case '*': return x * y;
    case '/': return x / y;
    case '%': return x % y;
  }
  throw new ExpressionRefused(`operator ${op} is not supported`);
}

const cache = new Map<string, Node | ExpressionError>();
const CACHE_LIMIT = 2000;

/** Parses with a small cache (screens evaluate the same expressions on every render). */
export function parseCached(expression: string): Node {
  let entry = cache.get(expression);
  if (entry === undefined) {
    try {
      entry = parseExpression(expression);
    } catch (err) {
      if (!(err instanceof ExpressionError)) throw err;
      entry = err;
    }
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(expression, entry);
  }
  if (entry instanceof ExpressionError) throw entry;
  return entry;
}

/** Evaluates an expression; throws ExpressionError (syntax) or ExpressionRefused (outside the subset). */
export function evaluateExpression(expression: string, scope: unknown, options?: EvaluateOptions): unknown {
  return evaluateNode(parseCached(expression), scope, options);
}

/**
 * A drop-in for Formily's expression compiler (`Schema.registerCompiler(compileSafe)`): same
 * arguments (the text inside `{{ }}` and the scope), but an expression outside the safe subset
 * evaluates to `undefined` instead of running.
 */
export function compileSafe(expression: string, scope?: unknown): unknown {
  try {
    return evaluateExpression(expression, scope ?? {});
  } catch {
    return undefined;
  }
}

/** A compiler like compileSafe with extra whitelisted functions (e.g. app helpers). */
export function createSafeCompiler(options: EvaluateOptions & { onError?: (expression: string, error: Error) => void }) {
  return (expression: string, scope?: unknown): unknown => {
    try {
      return evaluateExpression(expression, scope ?? {}, options);
    } catch (err) {
      options.onError?.(expression, err as Error);
      return undefined;
    }
  };
}
