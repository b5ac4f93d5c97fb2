import { MetadataLookup } from '../contracts';
import { Dataset, FILTER_OPERATORS, Screen } from '../kinds';
import { checkSchemaExpressions } from '../expression/check';
import { IssueList, isNonEmptyString, isObject } from './issues';
import { DATASET_CODE, SYSTEM_COLUMNS } from './dataset';

const FIELD = /^[a-z][a-z0-9_]{0,62}$/;
const INPUTS = ['input', 'select', 'date-range', 'datetime-range', 'number-range'];
const ROLE = /^[a-z][a-z0-9-]{1,39}$/;
export const MAX_PAGE_SIZE = 1000;

/** Checks a screen's body; with a lookup that knows datasets, every field must be a column. */
export function checkScreen(screen: Screen, list: IssueList, lookup?: MetadataLookup): void {
  const ref = screen.dataset as unknown;
  let dataset: Dataset | undefined;
  if (!isObject(ref) || (!isNonEmptyString(ref.id) && !isNonEmptyString(ref.code))) {
    list.add('dataset', 'required', 'dataset must name the dataset by id or code');
  } else if (ref.code !== undefined && (typeof ref.code !== 'string' || !DATASET_CODE.test(ref.code))) {
    list.add('dataset/code', 'code-shape', `dataset code must be 2-40 characters of a-z, 0-9 and _ (got ${String(ref.code).slice(0, 60)})`);
  } else if (lookup?.dataset) {
    dataset = lookup.dataset(ref as Screen['dataset']);
    if (!dataset) list.add('dataset', 'reference', `dataset ${String(ref.code ?? ref.id)} does not exist`);
  }
  const columns = dataset ? new Set([...dataset.inclusions.map(i => i.column), ...SYSTEM_COLUMNS]) : undefined;
  const field = (at: IssueList, path: string, value: unknown) => {
    if (typeof value !== 'string' || !FIELD.test(value)) at.add(path, 'field-shape', `${path} must be a column name (got ${String(value).slice(0, 60)})`);
    else if (columns && !columns.has(value)) at.add(path, 'unknown-field', `"${value}" is not a column of dataset ${dataset!.code}`);
  };
  checkList(screen.list, list.at('list'), field);
  if (screen.form !== undefined) {
    if (!isObject(screen.form)) list.add('form', 'type', 'form must be a Formily JSON schema object');
    else for (const issue of checkSchemaExpressions(screen.form, 'form')) list.add(issue.path, issue.rule, issue.message);
  }
  if (screen.roles !== undefined) {
    if (!Array.isArray(screen.roles)) list.add('roles', 'type', 'roles must be an array of role codes');
    else screen.roles.forEach((r, i) => {
      if (typeof r !== 'string' || !ROLE.test(r)) list.add(`roles/${i}`, 'role-shape', `a role code is 2-40 characters of a-z, 0-9 and - (got ${String(r).slice(0, 60)})`);
    });
  }
  if (screen.menu !== undefined) {
    const menu = screen.menu as unknown;
    if (!isObject(menu)) list.add('menu', 'type', 'menu must be an object with group and title');
    else {
      if (!isNonEmptyString(menu.group)) list.add('menu/group', 'required', 'menu group must be a non-empty string');
      if (!isNonEmptyString(menu.title)) list.add('menu/title', 'required', 'menu title must be a non-empty string');
      if (menu.order !== undefined && !Number.isInteger(menu.order)) list.add('menu/order', 'type', 'menu order must be an integer');
    }
  }
}

function checkList(value: unknown, list: IssueList, field: (at: IssueList, path: string, value: unknown) => void): void {
  if (!isObject(value)) {
    list.add('', 'required', 'list must be an object with columns and filters');
    return;
  }
  const columns = value.columns;
  if (!Array.isArray(columns) || columns.length === 0) list.add('columns', 'required', 'a list needs at least one column');
  else columns.forEach((c: unknown, i) => {
    const at = list.at(`columns/${i}`);
    if (!isObject(c)) return at.add('', 'type', 'a column must be an object');
    field(at, 'field', c.field);
    if (!isNonEmptyString(c.title)) at.add('title', 'required', 'a column needs a title');
  });
  const filters = value.filters;
  if (!Array.isArray(filters)) list.add('filters', 'type', 'filters must be an array');
  else {
    const keys = new Set<string>();
    filters.forEach((f: unknown, i) => {
      const at = list.at(`filters/${i}`);
      if (!isObject(f)) return at.add('', 'type', 'a filter must be an object');
      if (!isNonEmptyString(f.key)) at.add('key', 'required', 'a filter needs a key');
      else if (keys.has(f.key)) at.add('key', 'duplicate-key', `filter key "${f.key}" is used twice`);
      else keys.add(f.key);
      if (!isNonEmptyString(f.title)) at.add('title', 'required', 'a filter needs a title');
      checkOperator(at, 'operator', f.operator);
      if (f.input !== undefined && !INPUTS.includes(f.input as string)) at.add('input', 'enum', `input must be one of ${INPUTS.join(', ')}`);
      if (f.anyOf !== undefined) {
        if (!Array.isArray(f.anyOf) || f.anyOf.length === 0) at.add('anyOf', 'type', 'anyOf must be a non-empty array of {field, operator}');
        else f.anyOf.forEach((a: unknown, j) => {
          if (!isObject(a)) return at.add(`anyOf/${j}`, 'type', 'must be {field, operator}');
          field(at, `anyOf/${j}/field`, a.field);
          checkOperator(at, `anyOf/${j}/operator`, a.operator);
        });
      } else field(at, 'field', f.field);
    });
  }
  const sort = value.defaultSort;
  if (sort !== undefined) {
    if (!isObject(sort)) list.add('defaultSort', 'type', 'defaultSort must be {field, direction}');
    else {
      field(list, 'defaultSort/field', sort.field);
      if (sort.direction !== 'asc' && sort.direction !== 'desc') list.add('defaultSort/direction', 'enum', 'direction must be asc or desc');
    }
  }
  const size = value.pageSize;
  if (size !== undefined && (!Number.isInteger(size) || (size as number) < 1 || (size as number) > MAX_PAGE_SIZE)) {
    list.add('pageSize', 'range', `pageSize must be an integer from 1 to ${MAX_PAGE_SIZE}`);
  }
}

function checkOperator(at: IssueList, path: string, op: unknown): void {
  if (!FILTER_OPERATORS.includes(op as never)) at.add(path, 'enum', `operator must be one of ${FILTER_OPERATORS.join(', ')} (got ${String(op).slice(0, 40)})`);
}
