const DATA_ELEMENT = /^DE\d{2}\.\d{2}\.\d{3}\.\d{2}(?:\.\d{3})*$/;
const VALUE_DOMAIN = /^(CV\d{2}\.\d{2}\.\d{3}|(GB|GB\/T|WS|WS\/T) [0-9.]+(-\d{4})?)$/;
const DATASET_ELEMENT = /^HDSD\d{2}\.\d{2}\.\d{3}$/;

/** `DEcc.ss.nnn.vv`, optionally followed by local `.nnn` segments (`DE02.01.039.00.178`). */
export function isDataElementIdentifier(s: string): boolean {
  return typeof s === 'string' && DATA_ELEMENT.test(s);
}

/** `CVcc.ss.nnn`, or a national standard such as `GB/T 2261.1`, `GB 3304`, `WS 218-2002`. */
export function isValueDomainIdentifier(s: string): boolean {
  return typeof s === 'string' && VALUE_DOMAIN.test(s);
}

/** Dataset-local identifier `HDSDpp.ss.nnn`. */
export function isDatasetElementIdentifier(s: string): boolean {
  return typeof s === 'string' && DATASET_ELEMENT.test(s);
}
