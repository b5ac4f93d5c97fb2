/**
 * Building blocks of compiled record validators. A step returns the normalized value, or FAIL
 * after writing the failure into the per-call Env (so the success path allocates nothing).
 */
export const FAIL: unique symbol = Symbol('fail');
export type Fail = typeof FAIL;

export interface Env {
  rule: string;
  message: string;
  position: number | undefined;
  /** YYYY-MM-DD; filled lazily when a step first needs it. */
  today: string | undefined;
}

export type Step = (value: unknown, env: Env) => unknown;

export function fail(env: Env, rule: string, message: string, position?: number): Fail {
  env.rule = rule;
  env.message = message;
  env.position = position;
  return FAIL;
}

export function chain(steps: Step[]): Step {
  if (steps.length === 1) return steps[0];
  return (value, env) => {
    for (let i = 0; i < steps.length && value !== FAIL; i++) value = steps[i](value, env);
    return value;
  };
}

export function typeName(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}

/** `1 character`, `2 digits`. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
