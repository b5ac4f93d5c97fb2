import { MetadataIssue, MetadataLookup } from '../contracts';
import { MetadataItem } from '../kinds';
import { checkDataElement } from './data-element';
import { checkDataset } from './dataset';
import { checkHeader } from './header';
import { IssueList, isObject } from './issues';
import { checkValueDomain } from './value-domain';
import { checkScreen } from './screen';

/**
 * Checks one metadata item (not data). With a lookup, references to other items are checked too.
 * An empty array means the item is valid.
 */
export function validateItem(item: MetadataItem, lookup?: MetadataLookup): MetadataIssue[] {
  const list = new IssueList();
  if (!isObject(item)) {
    list.add('', 'type', 'a metadata item must be an object');
    return list.issues;
  }
  checkHeader(item, list);
  switch (item.kind) {
    case 'data-element':
      checkDataElement(item, list, lookup);
      break;
    case 'value-domain':
      checkValueDomain(item, list);
      break;
    case 'dataset':
      checkDataset(item, list, lookup);
      break;
    case 'screen':
      checkScreen(item, list, lookup);
      break;
    default:
      list.add(
        'kind',
        'kind',
        `kind must be data-element, value-domain, dataset or screen (got ${String(
          (item as { kind: unknown }).kind,
        )})`,
      );
  }
  return list.issues;
}
