import { MetadataLookup } from '../contracts';
import { Dataset, Inclusion } from '../kinds';
import { isDatasetElementIdentifier } from '../format/identifiers';
import { IssueList, isNonEmptyString, isObject } from './issues';

export const DATASET_CODE = /^[a-z][a-z0-9_]{1,39}$/;
const COLUMN = /^[a-z][a-z0-9_]{0,62}$/;
/** Columns every dataset table carries; inclusions may not use them. */
export const SYSTEM_COLUMNS: readonly string[] = ['id', 'created_at', 'updated_at'];
const OBLIGATIONS = ['M', 'C', 'O'];

export function checkDataset(dataset: Dataset, list: IssueList, lookup?: MetadataLookup): void {
  if (typeof dataset.code !== 'string' || !DATASET_CODE.test(dataset.code)) {
    list.add(
      'code',
      'code-shape',
      `code must be 2-40 characters of a-z, 0-9 and _ starting with a letter (got ${String(
        dataset.code,
      )})`,
    );
  }
  const inclusions = dataset.inclusions;
  if (!Array.isArray(inclusions) || inclusions.length === 0) {
    list.add('inclusions', 'inclusions-required', 'a dataset needs at least one inclusion');
    return;
  }
  const seen = { columns: new Map<string, number>(), elements: new Map<string, number>() };
  inclusions.forEach((inclusion, i) => {
    const at = list.at(`inclusions/${i}`);
    if (!isObject(inclusion)) return at.add('', 'type', 'an inclusion must be an object');
    checkInclusion(inclusion, at, lookup);
    checkUnique(seen.columns, inclusion.column, i, at, 'column', 'duplicate-column');
    checkUnique(seen.elements, inclusion.elementId, i, at, 'elementId', 'duplicate-element');
  });
  if (!inclusions.some(inclusion => isObject(inclusion) && inclusion.primaryKey === true)) {
    list.add('inclusions', 'key-required', 'at least one inclusion must be marked primaryKey');
  }
}

function checkUnique(
  seen: Map<string, number>,
  value: string,
  index: number,
  at: IssueList,
  key: 'column' | 'elementId',
  rule: string,
): void {
  if (typeof value !== 'string') return;
  const first = seen.get(value);
  if (first === undefined) seen.set(value, index);
  else at.add(key, rule, `${key} "${value}" is already used by inclusions/${first}`);
}

function checkInclusion(inclusion: Inclusion, at: IssueList, lookup?: MetadataLookup): void {
  checkColumn(inclusion.column, at);
  checkElementRef(inclusion.elementId, at, lookup);
  checkObligation(inclusion, at);
  const maxOccurs = inclusion.maxOccurs;
  if (maxOccurs !== undefined && (!Number.isInteger(maxOccurs) || maxOccurs < 1)) {
    at.add(
      'maxOccurs',
      'max-occurs',
      `maxOccurs must be an integer of at least 1 (got ${String(maxOccurs)})`,
    );
  }
  if (maxOccurs !== undefined && maxOccurs > 1 && lookup?.element(inclusion.elementId)?.encrypted) {
    at.add('maxOccurs', 'encrypted-repeat', 'an element encrypted at rest cannot repeat (maxOccurs must be 1)');
  }
  if (!Number.isFinite(inclusion.order)) {
    at.add('order', 'order', `order must be a number (got ${String(inclusion.order)})`);
  }
  const internalId = inclusion.internalId;
  if (internalId !== undefined && !isDatasetElementIdentifier(internalId)) {
    at.add(
      'internalId',
      'identifier-shape',
      `internalId "${String(internalId)}" is not of the form HDSDpp.ss.nnn`,
    );
  }
}

function checkColumn(column: unknown, at: IssueList): void {
  if (typeof column !== 'string' || !COLUMN.test(column)) {
    at.add(
      'column',
      'column-shape',
      `column must be 1-63 characters of a-z, 0-9 and _ starting with a letter (got ${String(
        column,
      )})`,
    );
  } else if (SYSTEM_COLUMNS.includes(column)) {
    at.add(
      'column',
      'reserved-column',
      `column "${column}" is reserved for the system (${SYSTEM_COLUMNS.join(', ')})`,
    );
  }
}

function checkElementRef(elementId: unknown, at: IssueList, lookup?: MetadataLookup): void {
  if (!isNonEmptyString(elementId)) {
    at.add('elementId', 'required', 'elementId must be a non-empty string');
  } else if (lookup && lookup.element(elementId) === undefined) {
    at.add('elementId', 'reference', `data element ${elementId} does not exist`);
  }
}

function checkObligation(inclusion: Inclusion, at: IssueList): void {
  const obligation = inclusion.obligation;
  if (!OBLIGATIONS.includes(obligation)) {
    at.add('obligation', 'obligation', `obligation must be M, C or O (got ${String(obligation)})`);
  }
  if (obligation === 'C' && !isNonEmptyString(inclusion.condition)) {
    at.add('condition', 'condition-required', 'obligation C (conditional) requires a condition');
  }
  if (inclusion.primaryKey === true && obligation !== 'M') {
    at.add(
      'obligation',
      'key-obligation',
      `a primary-key inclusion must be mandatory (M), not ${String(obligation)}`,
    );
  }
  if (inclusion.primaryKey === true && (inclusion.maxOccurs ?? 1) > 1) {
    at.add(
      'maxOccurs',
      'key-max-occurs',
      'a primary-key inclusion cannot repeat (maxOccurs must be 1)',
    );
  }
}
