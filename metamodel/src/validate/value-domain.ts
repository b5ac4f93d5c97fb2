import {
  DATA_TYPES,
  DescribedValueDomain,
  EnumeratedValueDomain,
  PermissibleValue,
  ValueDomain,
} from '../kinds';
import { isIsoDate } from '../format/calendar';
import { isValueDomainIdentifier } from '../format/identifiers';
import { checkFormatText } from './data-element';
import { IssueList, isNonEmptyString, isObject, wholeMatch } from './issues';

export function checkValueDomain(domain: ValueDomain, list: IssueList): void {
  if (isNonEmptyString(domain.identifier) && !isValueDomainIdentifier(domain.identifier)) {
    list.add(
      'identifier',
      'identifier-shape',
      `identifier "${domain.identifier}" is neither CVcc.ss.nnn nor a national standard such as GB/T 2261.1`,
    );
  }
  if (domain.type === 'enumerated') checkEnumerated(domain, list);
  else if (domain.type === 'described') checkDescribed(domain, list);
  else
    list.add(
      'type',
      'type',
      `type must be enumerated or described (got ${String((domain as { type: unknown }).type)})`,
    );
}

function checkEnumerated(domain: EnumeratedValueDomain, list: IssueList): void {
  if (!Array.isArray(domain.values) || domain.values.length === 0) {
    list.add(
      'values',
      'values-required',
      'an enumerated value domain needs at least one permissible value',
    );
    return;
  }
  const seen = new Map<string, number>();
  domain.values.forEach((value, i) => {
    const at = list.at(`values/${i}`);
    if (!isObject(value)) return at.add('', 'type', 'a permissible value must be an object');
    checkPermissibleValue(value, at);
    const first = seen.get(value.code);
    if (first !== undefined) {
      at.add('code', 'duplicate-code', `code "${value.code}" is already used by values/${first}`);
    } else if (typeof value.code === 'string') {
      seen.set(value.code, i);
    }
  });
}

function checkPermissibleValue(value: PermissibleValue, at: IssueList): void {
  if (!isNonEmptyString(value.code)) at.add('code', 'required', 'code must be a non-empty string');
  if (!isNonEmptyString(value.meaning))
    at.add('meaning', 'required', 'meaning must be a non-empty string');
  const from = checkDate(value, 'validFrom', at);
  const to = checkDate(value, 'validTo', at);
  if (from !== undefined && to !== undefined && from > to) {
    at.add('validTo', 'validity', `validTo ${to} is before validFrom ${from}`);
  }
}

/** Returns the date when present and valid. */
function checkDate(
  value: PermissibleValue,
  key: 'validFrom' | 'validTo',
  at: IssueList,
): string | undefined {
  const date = value[key];
  if (date === undefined) return undefined;
  if (isIsoDate(date)) return date;
  at.add(key, 'date', `${key} must be a real date as YYYY-MM-DD (got ${String(date)})`);
  return undefined;
}

function checkDescribed(domain: DescribedValueDomain, list: IssueList): void {
  if (!DATA_TYPES.includes(domain.dataType)) {
    list.add(
      'dataType',
      'data-type',
      `dataType must be one of ${DATA_TYPES.join(', ')} (got ${String(domain.dataType)})`,
    );
  }
  if (domain.format !== undefined) checkFormatText(domain.format, list);
  checkRange(domain, list);
  if (domain.pattern !== undefined) checkPattern(domain.pattern, list);
}

function checkRange(domain: DescribedValueDomain, list: IssueList): void {
  const { minimum, maximum } = domain;
  for (const [key, bound] of [
    ['minimum', minimum],
    ['maximum', maximum],
  ] as const) {
    if (bound !== undefined && !Number.isFinite(bound)) {
      list.add(key, 'range', `${key} must be a finite number (got ${String(bound)})`);
    }
  }
  if (typeof minimum === 'number' && typeof maximum === 'number' && minimum > maximum) {
    list.add('maximum', 'range', `maximum ${maximum} is less than minimum ${minimum}`);
  }
}

function checkPattern(pattern: unknown, list: IssueList): void {
  if (typeof pattern !== 'string')
    return list.add('pattern', 'pattern', 'pattern must be a string');
  try {
    wholeMatch(pattern);
  } catch (e) {
    list.add('pattern', 'pattern', `pattern does not compile: ${(e as Error).message}`);
  }
}
