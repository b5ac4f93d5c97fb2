import { RepresentationFormat } from '../contracts';
import { DataElement } from '../kinds';
import { parseFormat } from './grammar';

/**
 * The parsed format of an element, or undefined for L and BY, whose WS formats (`T/F`, free
 * text) describe no length or character class and are not parsed.
 */
export function elementFormat(element: DataElement): RepresentationFormat | undefined {
  if (!formatApplies(element.dataType)) return undefined;
  return parseFormat(element.format);
}

export function formatApplies(dataType: string): boolean {
  return dataType !== 'L' && dataType !== 'BY';
}
