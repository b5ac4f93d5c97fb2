import assert from 'node:assert/strict';
import { RecordError, RecordValidator, compileRecordValidator } from '../../index';
import { goodRecord, resolved } from '../fixtures';

const TODAY = '2024-06-01';

describe('compileRecordValidator', () => {
  let validate: RecordValidator;
  before(() => {
    validate = compileRecordValidator(resolved());
  });

  function errorsOf(change: Record<string, unknown>, options = { today: TODAY }): RecordError[] {
    return validate({ ...goodRecord(), ...change }, options).errors;
  }

  /** Asserts that changing a record yields exactly one error, and returns it. */
  function oneError(
    change: Record<string, unknown>,
    field: string,
    rule: string,
    message?: RegExp,
  ): RecordError {
    const errors = errorsOf(change);
    assert.equal(errors.length, 1, JSON.stringify(errors));
    assert.equal(errors[0].field, field);
    assert.equal(errors[0].rule, rule);
    if (message) assert.match(errors[0].message, message);
    return errors[0];
  }

  it('accepts and normalizes a good record', () => {
    const { value, errors } = validate(goodRecord(), { today: TODAY });
    assert.deepEqual(errors, []);
    assert.deepEqual(value, {
      inpatient_no: 'ZY20240001',
      patient_name: '张三',
      sex_code: '1',
      age: 74,
      birth_date: '1949-12-31',
      id_type: '01',
      id_number: '11010519491231002X',
      weight_kg: 65.5,
      signed_at: '2024-01-05T09:30:00',
      diagnosis_codes: ['I10', 'E11.9'],
      org_code: '91350100M000100Y43',
      follow_up: true,
      visit_time: '09:30:00',
      signature: 'iVBORw0KGgo=',
      case_no: 'BA123456',
    });
  });

  it('rejects a record that is not a plain object', () => {
    for (const record of [null, [], 'x', 5, new Date()]) {
      const { errors } = validate(record);
      assert.equal(errors.length, 1);
      assert.equal(errors[0].field, '');
      assert.equal(errors[0].rule, 'type');
    }
  });

  describe('presence', () => {
    it('requires mandatory fields (missing, null or empty)', () => {
      oneError({ patient_name: undefined }, 'patient_name', 'required', /is required/);
      oneError({ patient_name: null }, 'patient_name', 'required');
      oneError({ patient_name: '' }, 'patient_name', 'required');
    });

    it('fills missing optional fields with null', () => {
      const record = {
        inpatient_no: 'A1',
        patient_name: '李四',
        sex_code: '2',
        signed_at: '2024-01-05 09:30:00',
      };
      const { value, errors } = validate(record, { today: TODAY });
      assert.deepEqual(errors, []);
      assert.equal(value.age, null);
      assert.equal(value.diagnosis_codes, null);
      assert.equal(Object.keys(value).length, 15);
    });

    it('in partial mode skips missing mandatory fields and returns only present fields', () => {
      const { value, errors } = validate(
        { age: '42', weight_kg: null },
        { partial: true, today: TODAY },
      );
      assert.deepEqual(errors, []);
      assert.deepEqual(value, { age: 42, weight_kg: null });
    });

    it('in partial mode still refuses to clear a mandatory field', () => {
      const { errors } = validate({ patient_name: null }, { partial: true });
      assert.deepEqual(
        errors.map(e => [e.field, e.rule]),
        [['patient_name', 'required']],
      );
    });

    it('reports unknown fields but ignores system fields', () => {
      const error = oneError(
        {
          nickname: 'x',
          id: 'f47ac10b-58cc-4372-a567-0e02b2c3d479',
          created_at: 'x',
          updated_at: 'y',
        },
        'nickname',
        'unknown-field',
      );
      assert.match(error.message, /discharge_assessment/);
      const { value } = validate({ ...goodRecord(), id: 'abc' }, { today: TODAY });
      assert.equal('id' in value, false);
    });

    it('does not read inherited properties as values', () => {
      const record = Object.assign(Object.create(null), goodRecord());
      assert.deepEqual(validate(record, { today: TODAY }).errors, []);
    });
  });

  describe('strings', () => {
    it('does not coerce numbers to strings', () => {
      oneError({ inpatient_no: 12345 }, 'inpatient_no', 'type', /must be a string \(got number\)/);
    });

    it('checks the maximum length in characters', () => {
      assert.deepEqual(errorsOf({ patient_name: '张'.repeat(50) }), []);
      oneError({ patient_name: '张'.repeat(51) }, 'patient_name', 'length');
    });

    it('gives a precise length message', () => {
      const error = oneError({ patient_name: 'a'.repeat(51) }, 'patient_name', 'length');
      assert.equal(error.message, 'must be at most 50 characters (got 51)');
    });

    it('counts a surrogate pair as one character', () => {
      assert.deepEqual(errorsOf({ patient_name: '𠀀'.repeat(50) }), []);
    });

    it('checks fixed lengths', () => {
      const error = oneError({ org_code: '91350100M000100Y4' }, 'org_code', 'length');
      assert.equal(error.message, 'must be exactly 18 characters (got 17)');
    });

    it('rejects digits in A fields with the position of the first one', () => {
      const error = oneError({ patient_name: '张三2号' }, 'patient_name', 'charset', /digits/);
      assert.equal(error.position, 2);
      assert.equal(error.value, '张三2号');
    });

    it('rejects non-digits in N fields', () => {
      const error = oneError({ sex_code: 'M' }, 'sex_code', 'charset', /only digits/);
      assert.equal(error.position, 0);
    });

    it('rejects control characters in AN fields', () => {
      const error = oneError(
        { inpatient_no: 'ZY\n2024' },
        'inpatient_no',
        'charset',
        /U\+000A at position 2/,
      );
      assert.equal(error.position, 2);
    });

    it('truncates long values in errors to 100 characters', () => {
      const error = oneError({ patient_name: 'x'.repeat(500) }, 'patient_name', 'length');
      assert.equal(error.value, 'x'.repeat(100));
    });
  });

  describe('numbers', () => {
    it('accepts numbers and numeric strings and normalizes to numbers', () => {
      const { value } = validate({ ...goodRecord(), age: '007', weight_kg: 70 }, { today: TODAY });
      assert.equal(value.age, 7);
      assert.equal(value.weight_kg, 70);
    });

    it('rejects non-numbers', () => {
      oneError({ age: 'forty' }, 'age', 'type', /must be a number/);
      oneError({ age: true }, 'age', 'type');
      oneError({ age: Number.NaN }, 'age', 'type');
    });

    it('requires integers when there are no decimals', () => {
      oneError({ age: 42.5 }, 'age', 'type', /must be an integer/);
      assert.deepEqual(errorsOf({ age: '42.0' }), []);
    });

    it('checks digit counts', () => {
      // the domain maximum (150) is checked after the format
      oneError({ age: 1000 }, 'age', 'length', /at most 3 digits \(got 4\)/);
      oneError(
        { weight_kg: '12345.6' },
        'weight_kg',
        'length',
        /at most 4 digits before the decimal point \(got 5\)/,
      );
    });

    it('checks decimal places', () => {
      oneError({ weight_kg: 65.555 }, 'weight_kg', 'scale', /at most 2 decimal places \(got 3\)/);
      assert.deepEqual(errorsOf({ weight_kg: '65.500' }), []);
    });

    it('checks the described domain range', () => {
      oneError({ age: 151 }, 'age', 'range', /at most 150 \(got 151\)/);
      oneError({ age: -1 }, 'age', 'range', /at least 0/);
    });
  });

  describe('dates and times', () => {
    it('normalizes D8 and accepts YYYY-MM-DD', () => {
      assert.equal(
        validate({ ...goodRecord(), birth_date: '20240229' }).value.birth_date,
        '2024-02-29',
      );
      assert.equal(
        validate({ ...goodRecord(), birth_date: '2024-02-29' }).value.birth_date,
        '2024-02-29',
      );
    });

    it('rejects impossible and malformed dates', () => {
      oneError({ birth_date: '20230229' }, 'birth_date', 'format', /real calendar date/);
      oneError({ birth_date: '2023-13-01' }, 'birth_date', 'format');
      oneError({ birth_date: '2023/01/01' }, 'birth_date', 'format', /YYYYMMDD or YYYY-MM-DD/);
      oneError({ birth_date: '2023-0101' }, 'birth_date', 'format');
      oneError({ birth_date: 20230101 }, 'birth_date', 'type');
    });

    it('normalizes the four date-time shapes', () => {
      for (const input of [
        '20240105T093000',
        '20240105093000',
        '2024-01-05T09:30:00',
        '2024-01-05 09:30:00',
        '2024-01-05T09:30:00.250',
      ]) {
        const { value, errors } = validate({ ...goodRecord(), signed_at: input }, { today: TODAY });
        assert.deepEqual(errors, [], input);
        assert.equal(value.signed_at, '2024-01-05T09:30:00', input);
      }
    });

    it('rejects time zones and impossible date-times', () => {
      oneError({ signed_at: '2024-01-05T09:30:00Z' }, 'signed_at', 'format', /time zone/);
      oneError({ signed_at: '2024-01-05T09:30:00+08:00' }, 'signed_at', 'format', /time zone/);
      oneError({ signed_at: '20240105T246000' }, 'signed_at', 'format', /real date and time/);
      oneError({ signed_at: '20240105T0930' }, 'signed_at', 'format');
      oneError({ signed_at: '2024-01-05T09:30' }, 'signed_at', 'format');
    });

    it('normalizes times', () => {
      assert.equal(
        validate({ ...goodRecord(), visit_time: '235959' }).value.visit_time,
        '23:59:59',
      );
      assert.equal(
        validate({ ...goodRecord(), visit_time: '23:59:59' }).value.visit_time,
        '23:59:59',
      );
      oneError({ visit_time: '240000' }, 'visit_time', 'format');
      oneError({ visit_time: '9:30:00' }, 'visit_time', 'format');
    });
  });

  describe('booleans and binary', () => {
    it('normalizes logical values', () => {
      const cases: [unknown, boolean][] = [
        [true, true],
        ['false', false],
        ['1', true],
        ['0', false],
        ['T', true],
        ['F', false],
      ];
      for (const [input, expected] of cases) {
        assert.equal(
          validate({ ...goodRecord(), follow_up: input }).value.follow_up,
          expected,
          String(input),
        );
      }
      oneError({ follow_up: 'yes' }, 'follow_up', 'type');
    });

    it('requires base64 for BY', () => {
      oneError({ signature: 'not base64!' }, 'signature', 'format', /base64/);
      oneError({ signature: 'abc' }, 'signature', 'format');
    });
  });

  describe('value domains', () => {
    it('requires a code of the enumerated domain', () => {
      const error = oneError({ sex_code: '3' }, 'sex_code', 'code', /GB\/T 2261\.1/);
      assert.equal(error.value, '3');
    });

    it('honours code validity on the given day', () => {
      oneError(
        { id_type: '04', id_number: null },
        'id_type',
        'code',
        /CV02\.01\.101.*expired on 2020-12-31/,
      );
      assert.deepEqual(
        validate({ ...goodRecord(), id_type: '04' }, { today: '2020-12-31' }).errors,
        [],
      );
      oneError({ id_type: '08' }, 'id_type', 'code', /not valid before 2030-01-01/);
      assert.deepEqual(
        validate({ ...goodRecord(), id_type: '08' }, { today: '2030-01-01' }).errors,
        [],
      );
    });

    it('uses today by default', () => {
      assert.equal(validate({ ...goodRecord(), id_type: '04' }).errors[0]?.rule, 'code');
    });

    it('checks the described domain pattern', () => {
      oneError({ case_no: 'BA12345X' }, 'case_no', 'pattern', /CV01\.00\.900/);
    });
  });

  describe('checksums', () => {
    it('checks GB 11643 numbers', () => {
      oneError({ id_number: '110105194912310021' }, 'id_number', 'checksum', /GB 11643/);
    });

    it('checks GB 32100 codes', () => {
      oneError({ org_code: '91350100M000100Y44' }, 'org_code', 'checksum', /GB 32100/);
    });
  });

  describe('repeating fields', () => {
    it('accepts up to maxOccurs items', () => {
      assert.deepEqual(errorsOf({ diagnosis_codes: ['A', 'B', 'C'] }), []);
    });

    it('rejects more than maxOccurs items', () => {
      oneError(
        { diagnosis_codes: ['A', 'B', 'C', 'D'] },
        'diagnosis_codes',
        'max-occurs',
        /at most 3 items \(got 4\)/,
      );
    });

    it('requires an array', () => {
      oneError({ diagnosis_codes: 'I10' }, 'diagnosis_codes', 'type', /array/);
    });

    it('checks each item and reports its index as the position', () => {
      const error = oneError(
        { diagnosis_codes: ['I10', 'x'.repeat(21)] },
        'diagnosis_codes',
        'length',
        /^item 1: /,
      );
      assert.equal(error.position, 1);
      oneError(
        { diagnosis_codes: ['I10', null] },
        'diagnosis_codes',
        'type',
        /item 1: must not be empty/,
      );
    });
  });

  it('reports every failing field', () => {
    const { errors } = validate({ patient_name: 'A1', sex_code: '7', extra: 1 }, { today: TODAY });
    assert.deepEqual(
      errors.map(e => `${e.field}:${e.rule}`),
      [
        'inpatient_no:required',
        'patient_name:charset',
        'sex_code:code',
        'signed_at:required',
        'extra:unknown-field',
      ],
    );
  });

  it('fails to compile when an element is not resolved', () => {
    const r = resolved();
    delete r.elements['de-age'];
    assert.throws(() => compileRecordValidator(r), /de-age/);
  });
});
