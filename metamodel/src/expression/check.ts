import { ExpressionError, parseExpression } from './parser';

/** Formily compiles a string that is exactly `{{ … }}` (surrounding blanks allowed). */
export const EXPRESSION_RE = /^\s*\{\{([\s\S]*)\}\}\s*$/;

export interface ExpressionIssue {
  /** JSON-pointer-like path of the string in the schema, e.g. `properties/sex/x-visible`. */
  path: string;
  rule: 'expression-syntax' | 'statement-not-allowed';
  message: string;
  /** The offending text, truncated to 200 characters. */
  value: string;
}

/**
 * Every `{{ }}` in a (Formily) schema that the safe language does not accept, so a screen that
 * relies on code is refused when it is saved rather than silently inert when it is shown.
 * `x-reactions` `run` strings are statements that Formily wraps in a function: never allowed.
 */
export function checkSchemaExpressions(schema: unknown, basePath = ''): ExpressionIssue[] {
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
        parseExpression(m[1]);
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
