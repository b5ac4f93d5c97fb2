/**
 * Hand-run micro-check (not a test): throughput of a compiled record validator on simple
 * 10-field records. Run: node metamodel/dist/__tests__/perf/record-validator-throughput.js
 */
import { compileRecordValidator, ResolvedDataset } from '../../index';
import { resolved } from '../fixtures';

const COLUMNS = [
  'inpatient_no',
  'patient_name',
  'sex_code',
  'age',
  'birth_date',
  'id_type',
  'weight_kg',
  'signed_at',
  'follow_up',
  'visit_time',
];

function tenFieldDataset(): ResolvedDataset {
  const r = resolved();
  r.dataset.inclusions = r.dataset.inclusions.filter(i => COLUMNS.includes(i.column));
  return r;
}

function record(i: number): Record<string, unknown> {
  return {
    inpatient_no: `ZY${String(i).padStart(8, '0')}`,
    patient_name: i % 2 ? '张三' : '李四',
    sex_code: i % 2 ? '1' : '2',
    age: i % 100,
    birth_date: '19491231',
    id_type: '01',
    weight_kg: '65.50',
    signed_at: '20240105T093000',
    follow_up: 'T',
    visit_time: '09:30:00',
  };
}

const validate = compileRecordValidator(tenFieldDataset());
const rows = Array.from({ length: 100_000 }, (_, i) => record(i));
let errors = 0;
for (let round = 0; round < 3; round++) {
  const start = process.hrtime.bigint();
  for (const row of rows) errors += validate(row, { today: '2024-06-01' }).errors.length;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(
    `round ${round + 1}: ${Math.round(rows.length / seconds).toLocaleString('en')} records/s`,
  );
}
if (errors > 0) throw new Error(`${errors} unexpected errors`);
