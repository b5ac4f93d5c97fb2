import assert from 'node:assert/strict';
import {
  DataElement,
  Dataset,
  EnumeratedValueDomain,
  MetadataIssue,
  MetadataItem,
  validateItem,
} from '../../index';
import {
  ageDomain,
  allItems,
  caseNoDomain,
  dataset,
  elements,
  idTypeDomain,
  lookupOf,
  sexDomain,
} from '../fixtures';

function element(id = 'de-sex'): DataElement {
  return elements().find(e => e.id === id) as DataElement;
}

/** Asserts exactly one issue with this rule and path. */
function assertIssue(issues: MetadataIssue[], rule: string, path: string, message?: RegExp): void {
  const hits = issues.filter(i => i.rule === rule && i.path === path);
  assert.equal(hits.length, 1, `expected ${rule} at ${path}, got ${JSON.stringify(issues)}`);
  if (message) assert.match(hits[0].message, message);
}

describe('validateItem', () => {
  it('accepts every fixture item, with references resolved', () => {
    const items = allItems();
    for (const item of items)
      assert.deepEqual(validateItem(item, lookupOf(items)), [], item.identifier);
  });

  describe('header', () => {
    it('requires id, namespace, identifier and name', () => {
      const issues = validateItem({
        ...element(),
        id: '',
        namespace: ' ',
        identifier: '',
        name: '',
      });
      for (const path of ['id', 'namespace', 'identifier', 'name'])
        assertIssue(issues, 'required', path);
    });

    it('requires a positive integer version', () => {
      assertIssue(
        validateItem({ ...element(), version: 0 }),
        'version',
        'version',
        /positive integer \(got 0\)/,
      );
      assertIssue(validateItem({ ...element(), version: 1.5 }), 'version', 'version');
    });

    it('requires a known workflow status', () => {
      const item = { ...element(), workflowStatus: 'approved' } as unknown as MetadataItem;
      assertIssue(validateItem(item), 'workflow-status', 'workflowStatus', /approved/);
    });

    it('requires registration statuses 0 to 8', () => {
      const item = {
        ...element(),
        registrations: [
          { authority: 'NHC', status: 5 },
          { authority: 'NHC', status: 9 },
        ],
      };
      const issues = validateItem(item);
      assertIssue(issues, 'registration-status', 'registrations/1/status', /0 to 8 \(got 9\)/);
      assert.equal(issues.length, 1);
    });

    it('rejects an unknown kind', () => {
      const item = { ...element(), kind: 'object-class' } as unknown as MetadataItem;
      assertIssue(validateItem(item), 'kind', 'kind');
    });
  });

  describe('data element', () => {
    it('checks the identifier shape', () => {
      assertIssue(
        validateItem({ ...element(), identifier: 'DE02.01.040' }),
        'identifier-shape',
        'identifier',
        /DEcc\.ss\.nnn\.vv/,
      );
    });

    it('requires a known data type', () => {
      const item = { ...element(), dataType: 'S4' } as unknown as DataElement;
      assertIssue(validateItem(item), 'data-type', 'dataType', /S4/);
    });

    it('reports the format error message', () => {
      assertIssue(
        validateItem({ ...element(), format: 'N3..1' }),
        'format',
        'format',
        /minimum length 3 exceeds/,
      );
    });

    it('requires the format to suit the data type', () => {
      assertIssue(
        validateItem({ ...element('de-birth-date'), format: 'AN8' }),
        'format-type',
        'format',
        /D requires format D8/,
      );
      assertIssue(
        validateItem({ ...element('de-signed-at'), format: 'D8' }),
        'format-type',
        'format',
        /DT15/,
      );
      assertIssue(
        validateItem({ ...element('de-visit-time'), format: 'N6' }),
        'format-type',
        'format',
        /T6/,
      );
      assertIssue(
        validateItem({ ...element('de-age'), format: 'AN..3' }),
        'format-type',
        'format',
        /N format/,
      );
      assertIssue(validateItem({ ...element('de-name'), format: 'D8' }), 'format-type', 'format');
    });

    it('does not parse the format of L and BY elements', () => {
      assert.deepEqual(validateItem(element('de-follow-up')), []);
      assert.deepEqual(validateItem(element('de-signature')), []);
    });

    it('requires a value domain for S3', () => {
      const { valueDomainId: _, ...item } = element();
      assertIssue(validateItem(item as DataElement), 'value-domain-required', 'valueDomainId');
    });

    it('checks the value domain reference only with a lookup', () => {
      const item = { ...element(), valueDomainId: 'vd-missing' };
      assert.deepEqual(validateItem(item), []);
      assertIssue(
        validateItem(item, lookupOf(allItems())),
        'reference',
        'valueDomainId',
        /vd-missing/,
      );
    });

    it('checks sensitivity and checks', () => {
      const item = { ...element(), sensitivity: 5, checks: ['luhn'] } as unknown as DataElement;
      const issues = validateItem(item);
      assertIssue(issues, 'sensitivity', 'sensitivity');
      assertIssue(issues, 'check', 'checks/0', /luhn/);
    });
  });

  describe('value domain', () => {
    it('checks the identifier shape', () => {
      assertIssue(
        validateItem({ ...sexDomain(), identifier: 'SEX' }),
        'identifier-shape',
        'identifier',
      );
    });

    it('needs at least one value', () => {
      assertIssue(validateItem({ ...sexDomain(), values: [] }), 'values-required', 'values');
    });

    it('reports duplicate codes at the later value', () => {
      const domain = sexDomain();
      domain.values[3].code = '1';
      assertIssue(
        validateItem(domain),
        'duplicate-code',
        'values/3/code',
        /already used by values\/1/,
      );
    });

    it('requires code and meaning', () => {
      const domain = sexDomain();
      domain.values[2] = { code: '', meaning: ' ' };
      const issues = validateItem(domain);
      assertIssue(issues, 'required', 'values/2/code');
      assertIssue(issues, 'required', 'values/2/meaning');
    });

    it('checks validity dates', () => {
      const domain: EnumeratedValueDomain = idTypeDomain();
      domain.values[0] = {
        code: '01',
        meaning: 'x',
        validFrom: '2021-01-01',
        validTo: '2020-12-31',
      };
      domain.values[1] = { code: '03', meaning: 'y', validFrom: '2021-02-30' };
      const issues = validateItem(domain);
      assertIssue(issues, 'validity', 'values/0/validTo', /before validFrom/);
      assertIssue(issues, 'date', 'values/1/validFrom', /2021-02-30/);
    });

    it('checks described domains: data type, format, range and pattern', () => {
      const domain = {
        ...ageDomain(),
        dataType: 'Q',
        format: 'X1',
        minimum: 10,
        maximum: 1,
      } as unknown as MetadataItem;
      const issues = validateItem(domain);
      assertIssue(issues, 'data-type', 'dataType');
      assertIssue(issues, 'format', 'format', /"X1"/);
      assertIssue(issues, 'range', 'maximum', /less than minimum/);
      assertIssue(
        validateItem({ ...caseNoDomain(), pattern: '[A-Z' }),
        'pattern',
        'pattern',
        /does not compile/,
      );
    });
  });

  describe('dataset', () => {
    function withInclusion(i: number, change: object): Dataset {
      const ds = dataset();
      ds.inclusions[i] = { ...ds.inclusions[i], ...change };
      return ds;
    }

    it('checks the code shape', () => {
      assertIssue(validateItem({ ...dataset(), code: 'Discharge' }), 'code-shape', 'code');
      assertIssue(validateItem({ ...dataset(), code: 'a' }), 'code-shape', 'code');
    });

    it('needs inclusions and a primary key', () => {
      assertIssue(
        validateItem({ ...dataset(), inclusions: [] }),
        'inclusions-required',
        'inclusions',
      );
      assertIssue(
        validateItem(withInclusion(0, { primaryKey: false })),
        'key-required',
        'inclusions',
      );
    });

    it('checks column names', () => {
      assertIssue(
        validateItem(withInclusion(2, { column: 'SexCode' })),
        'column-shape',
        'inclusions/2/column',
      );
      assertIssue(
        validateItem(withInclusion(2, { column: 'age' })),
        'duplicate-column',
        'inclusions/3/column',
        /inclusions\/2/,
      );
      for (const column of ['id', 'created_at', 'updated_at']) {
        assertIssue(
          validateItem(withInclusion(2, { column })),
          'reserved-column',
          'inclusions/2/column',
        );
      }
    });

    it('rejects an element included twice', () => {
      assertIssue(
        validateItem(withInclusion(4, { elementId: 'de-age' })),
        'duplicate-element',
        'inclusions/4/elementId',
      );
    });

    it('checks obligations and conditions', () => {
      assertIssue(
        validateItem(withInclusion(3, { obligation: 'X' })),
        'obligation',
        'inclusions/3/obligation',
      );
      assertIssue(
        validateItem(withInclusion(6, { condition: '' })),
        'condition-required',
        'inclusions/6/condition',
      );
      assertIssue(
        validateItem(withInclusion(0, { obligation: 'O' })),
        'key-obligation',
        'inclusions/0/obligation',
      );
    });

    it('checks maxOccurs and internal ids', () => {
      assertIssue(
        validateItem(withInclusion(9, { maxOccurs: 0 })),
        'max-occurs',
        'inclusions/9/maxOccurs',
      );
      assertIssue(
        validateItem(withInclusion(0, { maxOccurs: 2 })),
        'key-max-occurs',
        'inclusions/0/maxOccurs',
      );
      assertIssue(
        validateItem(withInclusion(1, { internalId: 'HDSD0.09.029' })),
        'identifier-shape',
        'inclusions/1/internalId',
      );
    });

    it('resolves element references with a lookup', () => {
      const ds = withInclusion(5, { elementId: 'de-gone' });
      assert.deepEqual(
        validateItem(ds).filter(i => i.rule === 'reference'),
        [],
      );
      assertIssue(
        validateItem(ds, lookupOf(allItems())),
        'reference',
        'inclusions/5/elementId',
        /de-gone/,
      );
    });
  });
});
