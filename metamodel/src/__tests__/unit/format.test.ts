import assert from 'node:assert/strict';
import {
  FormatError,
  gb11643CheckChar,
  gb32100CheckChar,
  isDataElementIdentifier,
  isDatasetElementIdentifier,
  isValidGb11643,
  isValidGb32100,
  isValueDomainIdentifier,
  parseFormat,
} from '../../index';
import { VALID_CREDIT_CODE, VALID_ID_NUMBER } from '../fixtures';

describe('parseFormat', () => {
  const good: [string, object][] = [
    ['N1', { charClass: 'N', minLength: 1, maxLength: 1 }],
    ['AN10', { charClass: 'AN', minLength: 10, maxLength: 10 }],
    ['AN..50', { charClass: 'AN', maxLength: 50 }],
    ['A..50', { charClass: 'A', maxLength: 50 }],
    ['N1..3', { charClass: 'N', minLength: 1, maxLength: 3 }],
    ['AN4..20', { charClass: 'AN', minLength: 4, maxLength: 20 }],
    ['N..6,2', { charClass: 'N', maxLength: 6, scale: 2 }],
    ['N6,2', { charClass: 'N', maxLength: 6, scale: 2 }],
    ['N..6,0', { charClass: 'N', maxLength: 6, scale: 0 }],
    ['D8', { charClass: 'D', minLength: 8, maxLength: 8 }],
    ['DT15', { charClass: 'DT', minLength: 15, maxLength: 15 }],
    ['T6', { charClass: 'T', minLength: 6, maxLength: 6 }],
    ['AN', { charClass: 'AN' }],
    ['A', { charClass: 'A' }],
    ['N', { charClass: 'N' }],
  ];
  for (const [source, expected] of good) {
    it(`parses ${source}`, () => {
      assert.deepEqual(parseFormat(source), { ...expected, source });
    });
  }

  it('trims whitespace and keeps the trimmed source', () => {
    assert.deepEqual(parseFormat('  AN..18 '), {
      charClass: 'AN',
      maxLength: 18,
      source: 'AN..18',
    });
  });

  const bad: [string, RegExp][] = [
    ['X5', /unknown character class "X".*position 0/],
    ['AN..', /expected a maximum length after "\.\.".*position 4/],
    ['N3..1', /minimum length 3 exceeds the maximum length 1/],
    ['N..2,3', /3 decimals exceed the 2 total digits.*position 5/],
    ['AN..50,2', /decimals are only allowed for the N class/],
    ['D9', /D must be written D8/],
    ['DT14', /DT must be written DT15/],
    ['T', /T must be written T6/],
    ['AN0', /length must be at least 1/],
    ['N5x', /unexpected "x" at position 2/],
    ['AN,2', /expected a length or "\.\."/],
    ['an..50', /unknown character class "a"/],
    ['', /empty/],
    ['   ', /empty/],
  ];
  for (const [source, message] of bad) {
    it(`rejects ${JSON.stringify(source)}`, () => {
      assert.throws(
        () => parseFormat(source),
        (e: unknown) => {
          assert.ok(e instanceof FormatError);
          assert.match(e.message, message);
          return true;
        },
      );
    });
  }

  it('names the offending text in the message', () => {
    assert.throws(() => parseFormat('N3..1'), /"N3\.\.1"/);
  });
});

describe('identifiers', () => {
  it('accepts data element identifiers with optional local segments', () => {
    assert.ok(isDataElementIdentifier('DE02.01.039.00'));
    assert.ok(isDataElementIdentifier('DE02.01.039.00.178'));
    assert.ok(isDataElementIdentifier('DE02.01.039.00.178.001'));
  });

  it('rejects malformed data element identifiers', () => {
    for (const s of [
      'DE02.01.039',
      'DE2.01.039.00',
      'de02.01.039.00',
      'DE02.01.039.00.',
      'DE02.01.039.00.17',
      'CV02.01.101',
    ]) {
      assert.equal(isDataElementIdentifier(s), false, s);
    }
  });

  it('accepts CV and national-standard value domain identifiers', () => {
    for (const s of [
      'CV02.01.101',
      'GB/T 2261.1',
      'GB 3304',
      'WS 218',
      'WS 218-2002',
      'WS/T 364',
      'GB/T 2261.1-2003',
    ]) {
      assert.ok(isValueDomainIdentifier(s), s);
    }
  });

  it('rejects other value domain identifiers', () => {
    for (const s of ['CV02.01.10', 'GB2261', 'ISO 3166', 'GB/T', 'CV02.01.101 ']) {
      assert.equal(isValueDomainIdentifier(s), false, s);
    }
  });

  it('checks dataset element identifiers', () => {
    assert.ok(isDatasetElementIdentifier('HDSD00.09.029'));
    assert.equal(isDatasetElementIdentifier('HDSD00.09.29'), false);
    assert.equal(isDatasetElementIdentifier('HDSD00.09'), false);
  });
});

describe('GB 11643 citizen identity number', () => {
  it('accepts the example from the standard', () => {
    assert.ok(isValidGb11643(VALID_ID_NUMBER));
    assert.ok(isValidGb11643(VALID_ID_NUMBER.toLowerCase()));
    assert.equal(gb11643CheckChar(VALID_ID_NUMBER.slice(0, 17)), 'X');
  });

  it('rejects a flipped check character', () => {
    assert.equal(isValidGb11643('110105194912310020'), false);
    assert.equal(isValidGb11643('110105194912310021'), false);
  });

  it('computes the check character from the weights', () => {
    // Σ digit·weight for 51170219900307123 = 246; 246 mod 11 = 4 → "10X98765432"[4] = "8"
    assert.equal(gb11643CheckChar('51170219900307123'), '8');
    assert.ok(isValidGb11643('511702199003071238'));
  });

  it('rejects an impossible birth date even with a matching check character', () => {
    const first17 = '11010519490230002';
    assert.equal(isValidGb11643(first17 + gb11643CheckChar(first17)), false);
  });

  it('rejects wrong lengths and characters', () => {
    for (const s of [
      '11010519491231002',
      '11010519491231002XX',
      '1101051949123100XX',
      '110105194912310 2X',
    ]) {
      assert.equal(isValidGb11643(s), false, s);
    }
    assert.throws(() => gb11643CheckChar('123'), RangeError);
  });
});

describe('GB 32100 unified social credit code', () => {
  it('accepts a code whose check character follows from the weights', () => {
    // 9·1+1·3+3·9+5·27+0·19+1·26+0·16+0·17+M(21)·20+0·29+0·25+0·13+1·8+0·24+0·10+Y(30)·30+4·28
    // = 1640; 1640 mod 31 = 28; 31 − 28 = 3
    assert.equal(gb32100CheckChar(VALID_CREDIT_CODE.slice(0, 17)), '3');
    assert.ok(isValidGb32100(VALID_CREDIT_CODE));
  });

  it('maps a remainder of 0 to check character 0', () => {
    const first17 = '00000000000000000';
    assert.equal(gb32100CheckChar(first17), '0');
    assert.ok(isValidGb32100(first17 + '0'));
  });

  it('rejects a changed check character, forbidden letters and lower case', () => {
    assert.equal(isValidGb32100('91350100M000100Y44'), false);
    assert.equal(isValidGb32100('91350100I000100Y43'), false);
    assert.equal(isValidGb32100('91350100m000100Y43'), false);
    assert.equal(isValidGb32100('91350100M000100Y4'), false);
  });
});
