export { parseFormat, FormatError } from './grammar';
export {
  isDataElementIdentifier,
  isValueDomainIdentifier,
  isDatasetElementIdentifier,
} from './identifiers';
export { gb11643CheckChar, isValidGb11643, gb32100CheckChar, isValidGb32100 } from './checksums';
