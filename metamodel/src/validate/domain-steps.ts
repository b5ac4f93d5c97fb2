import { DataElement, DescribedValueDomain, EnumeratedValueDomain, ValueDomain } from '../kinds';
import { isValidGb11643, isValidGb32100 } from '../format/checksums';
import { localToday } from '../format/calendar';
import { wholeMatch } from './issues';
import { Env, Step, fail } from './steps';

interface Validity {
  from: string | undefined;
  to: string | undefined;
}

function todayOf(env: Env): string {
  if (env.today === undefined) env.today = localToday();
  return env.today;
}

/** Codes of an enumerated domain; null marks a code valid at all times (the common, fast case). */
function codeTable(domain: EnumeratedValueDomain): Map<string, Validity | null> {
  const table = new Map<string, Validity | null>();
  for (const v of domain.values) {
    const always = v.validFrom === undefined && v.validTo === undefined;
    table.set(v.code, always ? null : { from: v.validFrom, to: v.validTo });
  }
  return table;
}

export function codeStep(domain: EnumeratedValueDomain): Step {
  const table = codeTable(domain);
  const name = `value domain ${domain.identifier} (${domain.name})`;
  return (value, env) => {
    const validity = table.get(value as string);
    if (validity === null) return value;
    if (validity === undefined) return fail(env, 'code', `is not a code of ${name}`);
    const today = todayOf(env);
    if (validity.from !== undefined && today < validity.from) {
      return fail(
        env,
        'code',
        `code ${String(value)} of ${name} is not valid before ${validity.from}`,
      );
    }
    if (validity.to !== undefined && today > validity.to) {
      return fail(env, 'code', `code ${String(value)} of ${name} expired on ${validity.to}`);
    }
    return value;
  };
}

function rangeStep(domain: DescribedValueDomain): Step {
  const min = domain.minimum ?? -Infinity;
  const max = domain.maximum ?? Infinity;
  return (value, env) => {
    if (typeof value !== 'number') return value;
    if (value < min) return fail(env, 'range', `must be at least ${min} (got ${value})`);
    if (value > max) return fail(env, 'range', `must be at most ${max} (got ${value})`);
    return value;
  };
}

function patternStep(domain: DescribedValueDomain, pattern: string): Step {
  const re = wholeMatch(pattern);
  const message = `does not match the pattern /${pattern}/ of value domain ${domain.identifier}`;
  return (value, env) => (re.test(String(value)) ? value : fail(env, 'pattern', message));
}

/** Value-domain steps for an element; enumerated domains constrain only S2 and S3 values. */
export function domainSteps(element: DataElement, domain: ValueDomain | undefined): Step[] {
  if (domain === undefined) return [];
  if (domain.type === 'enumerated') {
    return element.dataType === 'S2' || element.dataType === 'S3' ? [codeStep(domain)] : [];
  }
  const steps: Step[] = [];
  if (domain.minimum !== undefined || domain.maximum !== undefined) steps.push(rangeStep(domain));
  if (domain.pattern !== undefined) steps.push(patternStep(domain, domain.pattern));
  return steps;
}

const CHECKSUMS = {
  gb11643: { test: isValidGb11643, label: 'GB 11643 citizen identity number' },
  gb32100: { test: isValidGb32100, label: 'GB 32100 unified social credit code' },
} as const;

export function checksumSteps(element: DataElement): Step[] {
  return (element.checks ?? []).map(check => {
    const { test, label } = CHECKSUMS[check];
    const message = `is not a valid ${label} (length, characters or check character)`;
    return (value: unknown, env: Env) =>
      typeof value === 'string' && test(value) ? value : fail(env, 'checksum', message);
  });
}
