import { RecordError, RecordValidator, RecordValidationResult } from '../contracts';
import { DataElement, Inclusion, ResolvedDataset } from '../kinds';
import { elementFormat } from '../format/element-format';
import { FormatError } from '../format/grammar';
import { domainOf, elementOf, orderedInclusions } from '../compile/resolved';
import { SYSTEM_COLUMNS } from './dataset';
import { checksumSteps, domainSteps } from './domain-steps';
import { numberStep } from './numbers';
import { base64Step, booleanStep } from './others';
import { Env, FAIL, Step, chain, fail, plural, typeName } from './steps';
import { stringStep } from './strings';
import { dateStep, dateTimeStep, timeStep } from './temporal';

interface Field {
  column: string;
  required: boolean;
  maxOccurs: number;
  check: Step;
}

function typeStep(element: DataElement): Step {
  switch (element.dataType) {
    case 'S1':
    case 'S2':
    case 'S3':
      return stringStep(formatOf(element));
    case 'N':
      return numberStep(formatOf(element));
    case 'D':
      return dateStep;
    case 'DT':
      return dateTimeStep;
    case 'T':
      return timeStep;
    case 'L':
      return booleanStep;
    case 'BY':
      return base64Step;
    default:
      throw new Error(
        `data element ${element.identifier}: unknown data type ${String(element.dataType)}`,
      );
  }
}

function formatOf(element: DataElement) {
  try {
    return elementFormat(element);
  } catch (e) {
    if (e instanceof FormatError)
      throw new Error(`data element ${element.identifier}: ${e.message}`);
    throw e;
  }
}

function compileField(inclusion: Inclusion, resolved: ResolvedDataset): Field {
  const element = elementOf(resolved, inclusion);
  const steps = [
    typeStep(element),
    ...domainSteps(element, domainOf(resolved, element)),
    ...checksumSteps(element),
  ];
  return {
    column: inclusion.column,
    required: inclusion.obligation === 'M',
    maxOccurs: inclusion.maxOccurs ?? 1,
    check: chain(steps),
  };
}

function truncate(value: unknown): unknown {
  return typeof value === 'string' && value.length > 100 ? value.slice(0, 100) : value;
}

function recordError(
  field: string,
  rule: string,
  message: string,
  value: unknown,
  position?: number,
): RecordError {
  const error: RecordError = { field, rule, message, value: truncate(value) };
  if (position !== undefined) error.position = position;
  return error;
}

function isEmpty(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    value === '' ||
    (Array.isArray(value) && value.length === 0)
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Checks each item of a repeating field; position is the item index. */
function checkItems(field: Field, raw: unknown, env: Env, errors: RecordError[]): unknown {
  if (!Array.isArray(raw)) {
    errors.push(
      recordError(
        field.column,
        'type',
        `must be an array of at most ${plural(field.maxOccurs, 'item')} (got ${typeName(raw)})`,
        raw,
      ),
    );
    return FAIL;
  }
  if (raw.length > field.maxOccurs) {
    errors.push(
      recordError(
        field.column,
        'max-occurs',
        `must have at most ${plural(field.maxOccurs, 'item')} (got ${raw.length})`,
        raw,
      ),
    );
    return FAIL;
  }
  const out: unknown[] = new Array(raw.length);
  let failed = false;
  for (let i = 0; i < raw.length; i++) {
    const v = isEmpty(raw[i]) ? fail(env, 'type', 'must not be empty') : field.check(raw[i], env);
    if (v === FAIL) {
      errors.push(recordError(field.column, env.rule, `item ${i}: ${env.message}`, raw[i], i));
      failed = true;
    }
    out[i] = v;
  }
  return failed ? FAIL : out;
}

function checkField(field: Field, raw: unknown, env: Env, errors: RecordError[]): unknown {
  if (field.maxOccurs > 1) return checkItems(field, raw, env, errors);
  const v = field.check(raw, env);
  if (v === FAIL) errors.push(recordError(field.column, env.rule, env.message, raw, env.position));
  return v;
}

/**
 * Compiles the record validator of a published dataset version once; the returned closure does
 * only the per-value work (precomputed formats, regexes and code tables).
 */
export function compileRecordValidator(resolved: ResolvedDataset): RecordValidator {
  const fields = orderedInclusions(resolved.dataset).map(inclusion =>
    compileField(inclusion, resolved),
  );
  const known = new Set<string>([...SYSTEM_COLUMNS, ...fields.map(f => f.column)]);
  const unknownMessage = `is not a column of dataset ${resolved.dataset.code}`;
  const hasOwn = Object.prototype.hasOwnProperty;

  return (record, options): RecordValidationResult => {
    if (!isPlainObject(record)) {
      return {
        value: {},
        errors: [
          recordError('', 'type', `record must be a JSON object (got ${typeName(record)})`, record),
        ],
      };
    }
    const partial = options?.partial === true;
    const env: Env = { rule: '', message: '', position: undefined, today: options?.today };
    const value: Record<string, unknown> = {};
    const errors: RecordError[] = [];
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i];
      const present = hasOwn.call(record, field.column);
      const raw = present ? record[field.column] : undefined;
      if (isEmpty(raw)) {
        // PATCH may omit a mandatory field but may not clear it.
        if (field.required && (present || !partial))
          errors.push(recordError(field.column, 'required', 'is required', raw));
        else if (present || !partial) value[field.column] = null;
        continue;
      }
      const v = checkField(field, raw, env, errors);
      if (v !== FAIL) value[field.column] = v;
    }
    for (const key in record) {
      if (!known.has(key) && hasOwn.call(record, key)) {
        errors.push(recordError(key, 'unknown-field', unknownMessage, record[key]));
      }
    }
    return { value, errors };
  };
}
