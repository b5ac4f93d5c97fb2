import assert from 'node:assert/strict';
import {
  ColumnType,
  DataElement,
  columnTypeOf,
  datasetToJsonSchema,
  datasetToModelDefinition,
  isWidening,
  tableNameOf,
} from '../../index';
import { elements, resolved } from '../fixtures';

function el(dataType: DataElement['dataType'], format: string): DataElement {
  return { ...elements()[0], dataType, format };
}

function sqlOf(dataType: DataElement['dataType'], format: string, maxOccurs?: number): string {
  return columnTypeOf(el(dataType, format), maxOccurs).sql;
}

const t = (sql: string): ColumnType => {
  const varchar = /^varchar\((\d+)\)$/.exec(sql);
  if (varchar) return { sql, family: 'text', length: Number(varchar[1]) };
  const numeric = /^numeric\((\d+),(\d+)\)$/.exec(sql);
  if (numeric)
    return { sql, family: 'numeric', precision: Number(numeric[1]), scale: Number(numeric[2]) };
  const families: Record<string, ColumnType['family']> = {
    text: 'text',
    integer: 'integer',
    bigint: 'integer',
    numeric: 'numeric',
    date: 'date',
    timestamp: 'timestamp',
    jsonb: 'json',
  };
  return { sql, family: families[sql] };
};

describe('columnTypeOf', () => {
  it('maps strings to varchar(n) or text', () => {
    assert.deepEqual(columnTypeOf(el('S1', 'AN..50')), {
      sql: 'varchar(50)',
      family: 'text',
      length: 50,
    });
    assert.equal(sqlOf('S3', 'N1'), 'varchar(1)');
    assert.deepEqual(columnTypeOf(el('S1', 'AN')), { sql: 'text', family: 'text' });
  });

  it('maps numbers by digits and scale', () => {
    assert.deepEqual(columnTypeOf(el('N', 'N..6,2')), {
      sql: 'numeric(6,2)',
      family: 'numeric',
      precision: 6,
      scale: 2,
    });
    assert.equal(sqlOf('N', 'N1..3'), 'integer');
    assert.equal(sqlOf('N', 'N..9'), 'integer');
    assert.equal(sqlOf('N', 'N..10'), 'bigint');
    assert.equal(sqlOf('N', 'N..18'), 'bigint');
    assert.equal(sqlOf('N', 'N..19'), 'numeric');
    assert.equal(sqlOf('N', 'N'), 'numeric');
    assert.equal(sqlOf('N', 'N..6,0'), 'integer');
  });

  it('maps the other types', () => {
    assert.equal(sqlOf('D', 'D8'), 'date');
    assert.equal(sqlOf('DT', 'DT15'), 'timestamp');
    assert.equal(sqlOf('T', 'T6'), 'time');
    assert.equal(sqlOf('L', 'T/F'), 'boolean');
    assert.equal(sqlOf('BY', ''), 'bytea');
  });

  it('stores repeating values as jsonb', () => {
    assert.deepEqual(columnTypeOf(el('S1', 'AN..20'), 3), { sql: 'jsonb', family: 'json' });
  });
});

describe('isWidening', () => {
  const widening: [string, string][] = [
    ['varchar(10)', 'varchar(10)'],
    ['varchar(10)', 'varchar(20)'],
    ['varchar(10)', 'text'],
    ['integer', 'bigint'],
    ['integer', 'numeric'],
    ['bigint', 'numeric'],
    ['integer', 'numeric(12,2)'],
    ['numeric(6,2)', 'numeric(8,3)'],
    ['numeric(6,2)', 'numeric'],
  ];
  const narrowing: [string, string][] = [
    ['varchar(20)', 'varchar(10)'],
    ['text', 'varchar(10)'],
    ['bigint', 'integer'],
    ['numeric', 'bigint'],
    ['numeric(6,2)', 'integer'],
    ['numeric(6,2)', 'numeric(6,3)'],
    ['numeric(6,2)', 'numeric(5,2)'],
    ['numeric', 'numeric(10,2)'],
    ['integer', 'numeric(11,2)'],
    ['date', 'timestamp'],
    ['integer', 'text'],
    ['jsonb', 'text'],
  ];
  for (const [from, to] of widening)
    it(`${from} → ${to} widens`, () => assert.equal(isWidening(t(from), t(to)), true));
  for (const [from, to] of narrowing)
    it(`${from} → ${to} does not`, () => assert.equal(isWidening(t(from), t(to)), false));
});

describe('datasetToJsonSchema', () => {
  const schema = datasetToJsonSchema(resolved()) as {
    type: string;
    title: string;
    description: string;
    required: string[];
    additionalProperties: boolean;
    properties: Record<string, Record<string, unknown>>;
  };

  it('describes the dataset', () => {
    assert.equal(schema.type, 'object');
    assert.equal(schema.title, 'discharge_assessment');
    assert.equal(schema.description, '出院评估与指导');
    assert.equal(schema.additionalProperties, false);
    assert.deepEqual(schema.required, ['inpatient_no', 'patient_name', 'sex_code', 'signed_at']);
  });

  it('lists the system properties as read-only', () => {
    assert.deepEqual(schema.properties.id, { type: 'string', format: 'uuid', readOnly: true });
    assert.deepEqual(schema.properties.created_at, {
      type: 'string',
      format: 'date-time',
      readOnly: true,
    });
    assert.deepEqual(Object.keys(schema.properties).slice(0, 2), ['id', 'inpatient_no']);
    assert.equal(Object.keys(schema.properties).at(-1), 'updated_at');
  });

  it('describes columns with types, lengths, codes and element ids', () => {
    const p = schema.properties;
    assert.deepEqual(p.patient_name, {
      type: 'string',
      maxLength: 50,
      pattern: '^[^0-9]*$',
      description: '患者姓名 (DE02.01.039.00)',
      'x-element-id': 'de-name',
      'x-internal-id': 'HDSD00.09.029',
    });
    assert.deepEqual(p.sex_code.enum, ['0', '1', '2', '5', '6', '9']);
    assert.equal(p.age.type, 'integer');
    assert.equal(p.age.maximum, 150);
    assert.equal(p.age.nullable, true);
    assert.equal(p.weight_kg.type, 'number');
    assert.equal(p.weight_kg.maximum, 9999.99);
    assert.equal(p.birth_date.format, 'date');
    assert.equal(p.signed_at.format, 'date-time');
    assert.equal(p.follow_up.type, 'boolean');
    assert.equal(p.signature.format, 'byte');
    assert.equal(p.case_no.pattern, '^(?:[A-Z]{2}\\d{6})$');
  });

  it('uses arrays for repeating columns', () => {
    const p = schema.properties.diagnosis_codes;
    assert.equal(p.type, 'array');
    assert.equal(p.maxItems, 3);
    assert.deepEqual(p.items, { type: 'string', maxLength: 20 });
  });

  it('requires nothing in partial mode', () => {
    assert.equal('required' in datasetToJsonSchema(resolved(), { partial: true }), false);
  });
});

describe('datasetToModelDefinition', () => {
  const model = datasetToModelDefinition(resolved());

  it('names the model and table', () => {
    assert.equal(model.name, 'discharge_assessment');
    assert.deepEqual(model.settings.postgresql, {
      schema: 'public',
      table: 'ds_discharge_assessment',
    });
    assert.equal(model.settings.strict, true);
  });

  it('has an id and system timestamps', () => {
    assert.equal(model.properties.id.id, true);
    assert.equal(model.properties.id.type, 'string');
    assert.equal(model.properties.created_at.type, 'date');
  });

  it('maps columns to LoopBack types and PostgreSQL columns', () => {
    const p = model.properties;
    assert.equal(p.patient_name.type, 'string');
    assert.equal(p.patient_name.required, true);
    assert.deepEqual(p.patient_name.postgresql, {
      columnName: 'patient_name',
      dataType: 'varchar(50)',
      nullable: 'NO',
    });
    assert.equal(p.age.type, 'number');
    assert.equal(p.age.required, false);
    assert.equal(p.follow_up.type, 'boolean');
    assert.equal(p.signature.type, 'buffer');
    assert.equal(p.diagnosis_codes.type, 'array');
    assert.equal(p.diagnosis_codes.itemType, 'string');
    assert.equal((p.weight_kg.postgresql as { dataType: string }).dataType, 'numeric(6,2)');
    assert.equal((p.weight_kg.jsonSchema as { type: string }).type, 'number');
  });

  it('builds safe table names only', () => {
    assert.equal(tableNameOf('outpatient'), 'ds_outpatient');
    assert.throws(() => tableNameOf('x; drop table y'), /invalid dataset code/);
  });
});
