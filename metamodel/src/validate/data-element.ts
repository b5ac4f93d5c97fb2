import { MetadataLookup, RepresentationFormat } from '../contracts';
import { DATA_TYPES, DataElement, DataType } from '../kinds';
import { FormatError, parseFormat } from '../format/grammar';
import { formatApplies } from '../format/element-format';
import { isDataElementIdentifier } from '../format/identifiers';
import { IssueList, isNonEmptyString } from './issues';

const CHECKS = ['gb11643', 'gb32100'];

/** Character classes a data type's format may use, with how to phrase the requirement. */
const FORMAT_CLASSES: Partial<Record<DataType, { classes: string[]; expected: string }>> = {
  S1: { classes: ['A', 'N', 'AN'], expected: 'an A, N or AN format' },
  S2: { classes: ['A', 'N', 'AN'], expected: 'an A, N or AN format' },
  S3: { classes: ['A', 'N', 'AN'], expected: 'an A, N or AN format' },
  N: { classes: ['N'], expected: 'an N format such as N..6,2' },
  D: { classes: ['D'], expected: 'format D8' },
  DT: { classes: ['DT'], expected: 'format DT15' },
  T: { classes: ['T'], expected: 'format T6' },
};

export function checkDataElement(
  element: DataElement,
  list: IssueList,
  lookup?: MetadataLookup,
): void {
  if (isNonEmptyString(element.identifier) && !isDataElementIdentifier(element.identifier)) {
    list.add(
      'identifier',
      'identifier-shape',
      `identifier "${element.identifier}" is not of the form DEcc.ss.nnn.vv`,
    );
  }
  const typeKnown = DATA_TYPES.includes(element.dataType);
  if (!typeKnown) {
    list.add(
      'dataType',
      'data-type',
      `dataType must be one of ${DATA_TYPES.join(', ')} (got ${String(element.dataType)})`,
    );
  }
  if (typeKnown && formatApplies(element.dataType)) checkElementFormat(element, list);
  checkValueDomainRef(element, list, lookup);
  checkExtras(element, list);
}

/** Reports a parse failure and returns the parsed format otherwise. */
export function checkFormatText(
  format: unknown,
  list: IssueList,
): RepresentationFormat | undefined {
  try {
    return parseFormat(format as string);
  } catch (e) {
    if (!(e instanceof FormatError)) throw e;
    list.add('format', 'format', e.message);
    return undefined;
  }
}

function checkElementFormat(element: DataElement, list: IssueList): void {
  const format = checkFormatText(element.format, list);
  const rule = FORMAT_CLASSES[element.dataType];
  if (format === undefined || rule === undefined || rule.classes.includes(format.charClass)) return;
  list.add(
    'format',
    'format-type',
    `data type ${element.dataType} requires ${rule.expected} (got ${format.source})`,
  );
}

function checkValueDomainRef(element: DataElement, list: IssueList, lookup?: MetadataLookup): void {
  const id = element.valueDomainId;
  if (id === undefined || id === '') {
    if (element.dataType === 'S3') {
      list.add(
        'valueDomainId',
        'value-domain-required',
        'data type S3 (coded value) requires a valueDomainId',
      );
    }
    return;
  }
  if (lookup && lookup.valueDomain(id) === undefined) {
    list.add('valueDomainId', 'reference', `value domain ${id} does not exist`);
  }
}

function checkExtras(element: DataElement, list: IssueList): void {
  const s = element.sensitivity;
  if (s !== undefined && (!Number.isInteger(s) || s < 0 || s > 4)) {
    list.add(
      'sensitivity',
      'sensitivity',
      `sensitivity must be an integer from 0 to 4 (got ${String(s)})`,
    );
  }
  if (element.encrypted !== undefined && typeof element.encrypted !== 'boolean') {
    list.add('encrypted', 'type', `encrypted must be true or false (got ${String(element.encrypted)})`);
  } else if (element.encrypted && element.dataType !== 'S1') {
    list.add('encrypted', 'encrypted-type', `only S1 (text) elements can be encrypted at rest (this one is ${String(element.dataType)})`);
  }
  (element.checks ?? []).forEach((check, i) => {
    if (!CHECKS.includes(check)) {
      list.add(
        `checks/${i}`,
        'check',
        `unknown check "${String(check)}" (expected ${CHECKS.join(' or ')})`,
      );
    }
  });
}
