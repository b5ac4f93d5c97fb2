/**
 * Loaded first by the app: replaces Formily's `{{ }}` compiler (which runs `new Function`) with the
 * metamodel's safe expression language, so a user-authored schema cannot run arbitrary code,
 * and registers the check-character rules compiled forms name (`gb11643`, `gb32100`).
 */
import { Schema } from '@formily/json-schema';
import { registerValidateRules } from '@formily/validator';
import { compileSafe } from '@lingshu/metamodel/dist/expression';
import { isValidGb11643, isValidGb32100 } from '@lingshu/metamodel/dist/format/checksums';

Schema.registerCompiler(compileSafe);

const blank = (v: unknown) => v === undefined || v === null || v === '';
registerValidateRules({
  gb11643: (value, rule) => (blank(value) || !rule.gb11643 || isValidGb11643(String(value)) ? '' : String(rule.message ?? 'GB 11643')),
  gb32100: (value, rule) => (blank(value) || !rule.gb32100 || isValidGb32100(String(value)) ? '' : String(rule.message ?? 'GB 32100')),
});
