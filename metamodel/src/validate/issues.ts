import { MetadataIssue } from '../contracts';

/** Collects issues; `at` builds a child collector that prefixes paths. */
export class IssueList {
  constructor(readonly issues: MetadataIssue[] = [], private readonly prefix = '') {}

  add(path: string, rule: string, message: string): void {
    const full = this.prefix === '' ? path : path === '' ? this.prefix : `${this.prefix}/${path}`;
    this.issues.push({ path: full, rule, message });
  }

  at(path: string | number): IssueList {
    const full = this.prefix === '' ? String(path) : `${this.prefix}/${path}`;
    return new IssueList(this.issues, full);
  }
}

export function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function requireText(list: IssueList, item: object, key: string, label = key): void {
  if (!isNonEmptyString((item as Record<string, unknown>)[key])) {
    list.add(key, 'required', `${label} must be a non-empty string`);
  }
}

/** A whole-value matcher for a value-domain pattern; throws SyntaxError on a bad pattern. */
export function wholeMatch(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`);
}
