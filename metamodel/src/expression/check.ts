import { ARRAY_METHODS, BLOCKED_KEYS, SAFE_FUNCTIONS, STRING_METHODS } from './evaluate';
import { ExpressionError, Node, parseExpression } from './parser';

/** Formily compiles a string that is exactly `{{ … }}` (surrounding blanks allowed). */
export const EXPRESSION_RE = /^\s*\{\{([\s\S]*)\}\}\s*$/;

export interface ExpressionIssue {
  /** JSON-pointer-like path of the string in the schema, e.g. `properties/sex/x-visible`. */
  path: string;
  rule: 'expression-syntax' | 'expression-refused' | 'statement-not-allowed';
  message: string;
  /** The offending text, truncated to 200 characters. */
  value: string;
}

/**
 * What the evaluator would refuse, found without running anything: blocked property names,
 * calls of functions that are not whitelisted, methods other than the pure string/array ones.
 * (A computed key is only known at run time; the evaluator refuses those there.)
 */
export function refusedParts(node: Node, functions: readonly string[] = []): string[] {
  const found: string[] = [];
  const visit = (n: Node): void => {
    switch (n.type) {
      case 'identifier':
        if (BLOCKED_KEYS.has(n.name)) found.push(`"${n.name}" is not accessible`);
        return;
      case 'member':
        if (n.property.type === 'literal' && BLOCKED_KEYS.has(String(n.property.value))) found.push(`"${String(n.property.value)}" is not accessible`);
        visit(n.object);
        visit(n.property);
        return;
      case 'call':
        if (n.callee.type === 'identifier') {
          if (!(n.callee.name in SAFE_FUNCTIONS) && !functions.includes(n.callee.name)) found.push(`"${n.callee.name}" is not a function an expression may call`);
        } else if (n.callee.type === 'member' && n.callee.property.type === 'literal') {
          const name = String(n.callee.property.value);
          if (!STRING_METHODS.has(name) && !ARRAY_METHODS.has(name)) found.push(`method "${name}" is not allowed`);
          visit(n.callee.object);
        } else if (n.callee.type === 'member') {
          visit(n.callee);
        } else {
          found.push('only named functions and string or array methods can be called');
          visit(n.callee);
        }
        n.args.forEach(visit);
        return;
      case 'unary':
        return visit(n.argument);
      case 'binary':
      case 'logical':
        visit(n.left);
        return visit(n.right);
      case 'conditional':
        visit(n.test);
        visit(n.consequent);
        return visit(n.alternate);
      case 'array':
        return n.elements.forEach(visit);
      case 'object':
        for (const p of n.properties) {
          if (BLOCKED_KEYS.has(p.key)) found.push(`"${p.key}" is not allowed as a key`);
          visit(p.value);
        }
        return;
      default:
        return;
    }
  };
  visit(node);
  return found;
}

/**
 * Every `{{ }}` in a (Formily) schema that the safe language does not accept (syntax) or would
 * refuse (blocked names, calls), so a screen that relies on code is refused when it is saved
 * rather than silently inert when it is shown. `x-reactions` `run` strings are statements that
 * Formily wraps in a function: never allowed. `functions` names extra whitelisted functions.
 */
export function checkSchemaExpressions(schema: unknown, basePath = '', functions: readonly string[] = []): ExpressionIssue[] {
  const issues: ExpressionIssue[] = [];
  const seen = new Set<unknown>();
  const walk = (value: unknown, path: string, key: string | undefined, parentIsFulfill: boolean): void => {
    if (typeof value === 'string') {
      if (parentIsFulfill && key === 'run') {
        issues.push({ path, rule: 'statement-not-allowed', message: 'x-reactions "run" executes statements; use "state" or "schema" with an expression instead', value: value.slice(0, 200) });
        return;
      }
      const m = EXPRESSION_RE.exec(value);
      if (!m) return;
      try {
        const refused = refusedParts(parseExpression(m[1]), functions);
        if (refused.length) issues.push({ path, rule: 'expression-refused', message: refused.join('; '), value: value.slice(0, 200) });
      } catch (err) {
        if (!(err instanceof ExpressionError)) throw err;
        issues.push({ path, rule: 'expression-syntax', message: err.message, value: value.slice(0, 200) });
      }
      return;
    }
    if (value === null || typeof value !== 'object' || seen.has(value)) return;
    seen.add(value);
    const isFulfill = key === 'fulfill' || key === 'otherwise';
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, join(path, String(i)), undefined, false));
    else for (const [k, v] of Object.entries(value)) walk(v, join(path, k), k, isFulfill);
  };
  walk(schema, basePath, undefined, false);
  return issues;
}

function join(path: string, key: string): string {
  const escaped = key.replace(/~/g, '~0').replace(/\//g, '~1');
  return path ? `${path}/${escaped}` : escaped;
}
