import type { DataElement, Dataset, ResolvedDataset, ValueDomain } from '@lingshu/metamodel/dist/kinds';
import { api } from '../shell/api';

/**
 * A dataset with its data elements and value domains, read through the metadata API (which the
 * screen designer may read even without rights on the dataset's records).
 */
export async function resolveDataset(dataset: Dataset): Promise<ResolvedDataset> {
  const [elements, domains] = await Promise.all([api.get<DataElement[]>('/api/meta/data-elements?limit=1000'), api.get<ValueDomain[]>('/api/meta/value-domains?limit=1000')]);
  const byElement = new Map(elements.map(e => [e.id, e]));
  const byDomain = new Map(domains.map(d => [d.id, d]));
  const resolved: ResolvedDataset = { dataset, elements: {}, valueDomains: {} };
  for (const inc of dataset.inclusions) {
    const e = byElement.get(inc.elementId);
    if (!e) continue;
    const d = e.valueDomainId ? byDomain.get(e.valueDomainId) : undefined;
    resolved.elements[e.id] = d || !e.valueDomainId ? e : { ...e, valueDomainId: undefined };
    if (d) resolved.valueDomains[d.id] = d;
  }
  resolved.dataset = { ...dataset, inclusions: dataset.inclusions.filter(i => resolved.elements[i.elementId]) };
  return resolved;
}
