import { Step, fail, typeName } from './steps';

const TRUE = new Set<unknown>([true, 'true', '1', 'T', 1]);
const FALSE = new Set<unknown>([false, 'false', '0', 'F', 0]);

/** L: booleans, 'true'/'false', '1'/'0', 'T'/'F' (and the numbers 1/0), normalized to a boolean. */
export const booleanStep: Step = (value, env) => {
  if (TRUE.has(value)) return true;
  if (FALSE.has(value)) return false;
  return fail(env, 'type', `must be a boolean (true/false, 1/0 or T/F) (got ${typeName(value)})`);
};

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** BY: a standard base64 string with padding, kept as is. */
export const base64Step: Step = (value, env) => {
  if (typeof value !== 'string')
    return fail(env, 'type', `must be a base64 string (got ${typeName(value)})`);
  return BASE64.test(value)
    ? value
    : fail(env, 'format', 'must be base64-encoded (A-Z a-z 0-9 + / with = padding)');
};
