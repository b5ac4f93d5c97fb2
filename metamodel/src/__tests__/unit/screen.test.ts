import assert from 'node:assert/strict';
import {
  Dataset,
  MetadataLookup,
  Screen,
  createSnapshot,
  datasetToFormSchema,
  datasetToQueryScreen,
  defaultScreenFor,
  diffSnapshots,
  screenQueryWhere,
  validateItem,
} from '../../index';
import { allItems, dataset, lookupOf, resolved } from '../fixtures';

type Schema = Record<string, any>;

/** Fields of a compiled form, through its group nodes. */
function fieldsOf(schema: Schema): Record<string, Schema> {
  const out: Record<string, Schema> = {};
  for (const [key, node] of Object.entries<Schema>(schema.properties ?? {})) {
    if (node.type === 'void') Object.assign(out, fieldsOf(node));
    else out[key] = node;
  }
  return out;
}

describe('datasetToFormSchema', () => {
  const fields = fieldsOf(datasetToFormSchema(resolved()));

  it('has one field per inclusion, in order, with the local name as title', () => {
    assert.deepEqual(Object.keys(fields), dataset().inclusions.map(i => i.column));
    assert.equal(fields.patient_name.title, '患者姓名');
  });

  it('chooses the component from the data type and value domain', () => {
    assert.equal(fields.patient_name['x-component'], 'Input');
    assert.equal(fields.sex_code['x-component'], 'Select');
    assert.deepEqual(fields.sex_code.enum.slice(0, 2), [
      { value: '0', label: '0 未知的性别' },
      { value: '1', label: '1 男性' },
    ]);
    assert.equal(fields.age['x-component'], 'NumberPicker');
    assert.equal(fields.weight_kg['x-component-props'].precision, 2);
    assert.equal(fields.birth_date['x-component'], 'DatePicker');
    assert.equal(fields.signed_at['x-component-props'].showTime, true);
    assert.equal(fields.follow_up.type, 'boolean');
    assert.equal(fields.visit_time['x-component'], 'TimePicker');
    assert.equal(fields.diagnosis_codes.type, 'array');
  });

  it('states required, length, format and check-character rules with Chinese messages', () => {
    assert.equal(fields.inpatient_no.required, true);
    assert.deepEqual(fields.inpatient_no['x-validator'][0], { required: true, message: '请填写住院号' });
    assert.ok(fields.inpatient_no['x-validator'].some((r: Schema) => r.maxLength === 18 && r.message === '住院号不能超过18个字符'));
    assert.ok(fields.patient_name['x-validator'].some((r: Schema) => r.pattern === '^[^0-9]*$'));
    assert.ok(fields.id_number['x-validator'].some((r: Schema) => r.gb11643 === true));
    assert.ok(fields.org_code['x-validator'].some((r: Schema) => r.len === 18));
    assert.ok(fields.weight_kg['x-validator'].some((r: Schema) => r.maximum === 9999.99));
    assert.ok(fields.age['x-validator'].some((r: Schema) => r.integer === true));
    assert.equal(fields.age.required, undefined);
  });
});

describe('datasetToQueryScreen', () => {
  const list = datasetToQueryScreen(resolved());
  const byKey = Object.fromEntries(list.filters.map(f => [f.key, f]));

  it('compiles filters: value domain → select, dates → range, identifiers → exact, text → contains', () => {
    assert.equal(byKey.sex_code.operator, 'in');
    assert.equal(byKey.sex_code.input, 'select');
    assert.equal(byKey.birth_date.operator, 'range');
    assert.equal(byKey.signed_at.input, 'datetime-range');
    assert.equal(byKey.inpatient_no.operator, 'eq');
    assert.equal(byKey.id_number.operator, 'eq');
    assert.equal(byKey.org_code.operator, 'eq');
    assert.equal(byKey.patient_name.operator, 'contains');
    assert.equal(byKey.diagnosis_codes, undefined, 'multi-valued columns are not filtered');
  });

  it('lists columns with code meanings and sorts by the first date, newest first', () => {
    assert.ok(list.columns.some(c => c.field === 'sex_code' && c.options?.length));
    assert.equal(list.columns.some(c => c.field === 'signature'), false);
    assert.deepEqual(list.defaultSort, { field: 'birth_date', direction: 'desc' });
    assert.equal(list.pageSize, 20);
  });

  it('turns filter values into a data API where clause', () => {
    assert.equal(screenQueryWhere(list, {}), undefined);
    assert.deepEqual(screenQueryWhere(list, { patient_name: '张_%', sex_code: ['1', '2'], birth_date: ['2020-01-01', ''] }), {
      and: [{ patient_name: { like: '%张\\_\\%%' } }, { sex_code: { inq: ['1', '2'] } }, { birth_date: { gte: '2020-01-01' } }],
    });
    assert.deepEqual(screenQueryWhere(list, { signed_at: ['2026-01-01', '2026-01-31'] }), {
      signed_at: { between: ['2026-01-01', '2026-01-31T23:59:59'] },
    });
    const person = { filters: [{ key: 'person', title: '身份证号或姓名', operator: 'eq' as const, anyOf: [{ field: 'id_number', operator: 'eq' as const }, { field: 'patient_name', operator: 'eq' as const }] }] };
    assert.deepEqual(screenQueryWhere(person, { person: '张三' }), { or: [{ id_number: '张三' }, { patient_name: '张三' }] });
  });
});

describe('screen metadata', () => {
  const ds = dataset();
  const lookup: MetadataLookup = {
    ...lookupOf(allItems()),
    dataset: ref => (ref.id === ds.id || ref.code === ds.code ? (ds as Dataset) : undefined),
  };
  const screen = (): Screen => ({ ...defaultScreenFor(resolved()), id: 'scr-1', identifier: 'SCR.test', workflowStatus: 'draft', roles: ['analyst'] });

  it('a default screen is valid metadata', () => {
    assert.deepEqual(validateItem(screen(), lookup), []);
  });

  it('names each problem by path and rule', () => {
    const bad = screen() as unknown as Record<string, any>;
    bad.dataset = { code: 'nope' };
    bad.list.columns[0].field = 'not_a_column';
    bad.list.filters.push({ key: 'sex_code', title: 'x', field: 'sex_code', operator: 'like' });
    bad.list.pageSize = 5000;
    bad.roles = ['Bad Role'];
    bad.form.properties.inpatient_no = { 'x-visible': "{{ constructor.constructor('return process')() }}" };
    bad.form.properties.patient_name = { 'x-reactions': { fulfill: { run: 'fetch("x")' } } };
    const issues = validateItem(bad as Screen, lookup).map(i => `${i.path} ${i.rule}`);
    assert.deepEqual(issues.sort(), [
      'dataset reference',
      'form/properties/inpatient_no/x-visible expression-refused',
      'form/properties/patient_name/x-reactions/fulfill/run statement-not-allowed',
      `list/filters/${bad.list.filters.length - 1}/key duplicate-key`,
      `list/filters/${bad.list.filters.length - 1}/operator enum`,
      'list/pageSize range',
      'roles/0 role-shape',
    ].sort());
    const withDataset = { ...bad, dataset: { code: ds.code } } as Screen;
    assert.ok(validateItem(withDataset, lookup).some(i => i.path === 'list/columns/0/field' && i.rule === 'unknown-field'));
  });

  it('refuses a form expression that does not parse, naming its path', () => {
    const bad = screen();
    (bad.form!.properties as Record<string, unknown>).inpatient_no = { title: '{{ this }}' };
    assert.deepEqual(validateItem(bad, lookup).map(i => [i.path, i.rule]), [['form/properties/inpatient_no/title', 'expression-syntax']]);
  });

  it('takes part in snapshots and diffs after datasets', () => {
    const a = createSnapshot([...allItems()], { createdAt: 'x' });
    const b = createSnapshot([...allItems(), screen()], { createdAt: 'x' });
    assert.equal(b.items[b.items.length - 1].kind, 'screen');
    const changes = diffSnapshots(a, b).changes;
    assert.deepEqual(changes.map(c => [c.op, c.kind]), [['add', 'screen']]);
  });
});
