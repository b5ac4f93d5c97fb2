import assert from 'node:assert/strict';
import { stableId, uuidV5 } from '../index';

const UUID_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('seeds: stable ids', () => {
  it('computes RFC 4122 version-5 UUIDs (known vector)', () => {
    // uuid5(NAMESPACE_DNS, "www.example.com") as every RFC 4122 implementation computes it.
    assert.equal(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8'), '2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('is deterministic and version-5 shaped', () => {
    const a = stableId('data-element', 'ws', 'DE02.01.039.00');
    assert.match(a, UUID_V5);
    assert.equal(stableId('data-element', 'ws', 'DE02.01.039.00'), a);
  });

  it('differs by kind, namespace and identifier', () => {
    const ids = new Set([
      stableId('data-element', 'ws', 'DE02.01.039.00'),
      stableId('value-domain', 'ws', 'DE02.01.039.00'),
      stableId('data-element', 'dazhou', 'DE02.01.039.00'),
      stableId('data-element', 'ws', 'DE02.01.040.00'),
      // no ambiguity from concatenation
      stableId('data-element', 'ws.DE02', '01.039.00'),
    ]);
    assert.equal(ids.size, 5);
  });
});
