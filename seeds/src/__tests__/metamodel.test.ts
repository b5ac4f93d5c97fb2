import assert from 'node:assert/strict';
import { compileRecordValidator, validateItem } from '@lingshu/metamodel';
import type { DataElement, Dataset, MetadataLookup, ResolvedDataset, ValueDomain } from '@lingshu/metamodel';
import { DATASET_CODES, generateRecords, starterCatalog } from '../index';

/** The catalog and the generated rows, checked by the metamodel's own validators. */
describe('seeds: against the metamodel validators', () => {
  const catalog = starterCatalog();
  const elements = new Map(catalog.filter((i): i is DataElement => i.kind === 'data-element').map(e => [e.id, e]));
  const domains = new Map(catalog.filter((i): i is ValueDomain => i.kind === 'value-domain').map(d => [d.id, d]));
  const lookup: MetadataLookup = { element: id => elements.get(id), valueDomain: id => domains.get(id) };

  it('every catalog item passes validateItem with no issues', () => {
    for (const item of catalog) {
      assert.deepEqual(validateItem(item, lookup), [], `${item.kind} ${item.namespace}:${item.identifier}`);
    }
  });

  function resolve(dataset: Dataset): ResolvedDataset {
    const resolved: ResolvedDataset = { dataset, elements: {}, valueDomains: {} };
    for (const inclusion of dataset.inclusions) {
      const element = elements.get(inclusion.elementId) as DataElement;
      resolved.elements[element.id] = element;
      if (element.valueDomainId) resolved.valueDomains[element.valueDomainId] = domains.get(element.valueDomainId) as ValueDomain;
    }
    return resolved;
  }

  for (const code of DATASET_CODES) {
    it(`200 generated ${code} rows pass compileRecordValidator`, () => {
      const dataset = catalog.find((i): i is Dataset => i.kind === 'dataset' && i.code === code) as Dataset;
      const validate = compileRecordValidator(resolve(dataset));
      for (const options of [{}, { seed: 99, startIndex: 10_000 }]) {
        let i = 0;
        for (const row of generateRecords(code, 200, options)) {
          const { errors } = validate(row, { today: '2026-11-01' });
          assert.deepEqual(errors, [], `${code} row ${i++} ${JSON.stringify(row)}`);
        }
      }
    });
  }
});
