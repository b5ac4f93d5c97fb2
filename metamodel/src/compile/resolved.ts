import { DataElement, Dataset, Inclusion, ResolvedDataset, ValueDomain } from '../kinds';

/** Inclusions in `order` (stable for equal orders). */
export function orderedInclusions(dataset: Dataset): Inclusion[] {
  return [...dataset.inclusions].sort((a, b) => a.order - b.order);
}

export function elementOf(resolved: ResolvedDataset, inclusion: Inclusion): DataElement {
  const element = resolved.elements[inclusion.elementId];
  if (element === undefined) {
    throw new Error(
      `dataset ${resolved.dataset.identifier}: column ${inclusion.column} refers to data element ${inclusion.elementId}, which is not in the resolved dataset`,
    );
  }
  return element;
}

export function domainOf(resolved: ResolvedDataset, element: DataElement): ValueDomain | undefined {
  const id = element.valueDomainId;
  if (id === undefined || id === '') return undefined;
  const domain = resolved.valueDomains[id];
  if (domain === undefined) {
    throw new Error(
      `dataset ${resolved.dataset.identifier}: data element ${element.identifier} refers to value domain ${id}, which is not in the resolved dataset`,
    );
  }
  return domain;
}
