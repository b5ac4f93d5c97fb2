import type { DataElement, Dataset, ResolvedDataset, Screen, ScreenColumn, ScreenFilter, ValueDomain } from '@lingshu/metamodel';
import { datasetToFormSchema, datasetToQueryScreen } from '@lingshu/metamodel';
import { DAZHOU, itemHeader } from './common';

/**
 * The case queries (病例查询) of the requirement document as pure metadata: four screens over the
 * starter datasets, each with a person search by ID number or name. No module code: the form and
 * the column/filter lists are compiled from the datasets, then narrowed here.
 */

const CASE_GROUP = '病例查询';
/** Roles that use case queries; the security core still applies row scope and masking. */
const CASE_ROLES = ['data-admin', 'analyst', 'county-user', 'institution-user'];

/** Person search: an exact ID number or an exact name, whichever matches. */
const PERSON_SEARCH: ScreenFilter = {
  key: 'person',
  title: '身份证件号码或姓名',
  operator: 'eq',
  input: 'input',
  anyOf: [
    { field: 'id_number', operator: 'eq' },
    { field: 'patient_name', operator: 'eq' },
  ],
};

interface CaseSpec {
  identifier: string;
  name: string;
  datasetCode: string;
  order: number;
  /** Filters kept from the compiled ones, in this order (after the person search). */
  filters: string[];
  columns: string[];
}

const SPECS: CaseSpec[] = [
  {
    identifier: 'SCR.CASE.01', name: '门诊诊疗信息', datasetCode: 'outpatient_visit', order: 1,
    filters: ['visit_time', 'org_code', 'outpatient_no', 'patient_type_code', 'diagnosis_name', 'dept_name'],
    columns: ['visit_time', 'org_name', 'dept_name', 'outpatient_no', 'patient_name', 'sex_code', 'age', 'id_number', 'chief_complaint', 'diagnosis_code', 'diagnosis_name'],
  },
  {
    identifier: 'SCR.CASE.02', name: '住院诊疗信息', datasetCode: 'inpatient_homepage', order: 2,
    filters: ['admission_time', 'discharge_time', 'org_code', 'inpatient_no', 'main_diagnosis_name', 'discharge_disposition_code'],
    columns: ['admission_time', 'discharge_time', 'org_name', 'inpatient_no', 'patient_name', 'sex_code', 'age', 'id_number', 'discharge_dept', 'main_diagnosis_code', 'main_diagnosis_name', 'length_of_stay', 'total_cost'],
  },
  {
    identifier: 'SCR.CASE.03', name: '检验信息', datasetCode: 'lab_report', order: 3,
    filters: ['report_date', 'org_code', 'report_no', 'item_code', 'patient_type_code'],
    columns: ['report_date', 'org_name', 'report_no', 'patient_name', 'sex_code', 'age', 'id_number', 'specimen_type', 'item_name', 'result_value', 'result_unit'],
  },
  {
    identifier: 'SCR.CASE.04', name: '检查信息', datasetCode: 'exam_report', order: 4,
    filters: ['exam_date', 'report_date', 'org_code', 'report_no', 'exam_item_code', 'patient_type_code'],
    columns: ['exam_date', 'org_name', 'report_no', 'patient_name', 'sex_code', 'age', 'id_number', 'exam_item_name', 'exam_method', 'impression'],
  },
];

/** The dataset with the element and value-domain versions of the same catalog. */
function resolveFromCatalog(dataset: Dataset, elements: DataElement[], domains: ValueDomain[]): ResolvedDataset {
  const byElement = new Map(elements.map(e => [e.id, e]));
  const byDomain = new Map(domains.map(d => [d.id, d]));
  const resolved: ResolvedDataset = { dataset, elements: {}, valueDomains: {} };
  for (const inc of dataset.inclusions) {
    const e = byElement.get(inc.elementId);
    if (!e) throw new Error(`${dataset.code}: element ${inc.elementId} is not in the catalog`);
    resolved.elements[e.id] = e;
    if (e.valueDomainId) resolved.valueDomains[e.valueDomainId] = byDomain.get(e.valueDomainId)!;
  }
  return resolved;
}

function pick<T>(items: T[], keys: string[], keyOf: (t: T) => string, what: string): T[] {
  return keys.map(k => {
    const found = items.find(i => keyOf(i) === k);
    if (!found) throw new Error(`case screen: no ${what} ${k}`);
    return found;
  });
}

function longTextColumn(resolved: ResolvedDataset, field: string): ScreenColumn {
  const inc = resolved.dataset.inclusions.find(i => i.column === field);
  if (!inc) throw new Error(`case screen: no column ${field} in ${resolved.dataset.code}`);
  return { field, title: inc.localName ?? resolved.elements[inc.elementId].name };
}

export function caseScreens(datasets: Dataset[], elements: DataElement[], domains: ValueDomain[]): Screen[] {
  return SPECS.map(spec => {
    const dataset = datasets.find(d => d.code === spec.datasetCode);
    if (!dataset) throw new Error(`case screen ${spec.name}: no dataset ${spec.datasetCode}`);
    const resolved = resolveFromCatalog(dataset, elements, domains);
    const compiled = datasetToQueryScreen(resolved);
    const filters = [PERSON_SEARCH, ...pick(compiled.filters, spec.filters, f => f.key, 'filter')];
    // Long text (an exam's impression) is no default column, but a case query shows it.
    const columns: ScreenColumn[] = spec.columns.map(field => compiled.columns.find(c => c.field === field) ?? longTextColumn(resolved, field));
    const form = { ...datasetToFormSchema(resolved), 'x-pattern': 'readPretty' };
    return {
      ...itemHeader('screen', DAZHOU, spec.identifier, spec.name, `${spec.name}查询：按身份证件号码或姓名检索${dataset.name}，数据范围与脱敏按用户角色`),
      dataset: { id: dataset.id, code: dataset.code },
      form,
      list: { columns, filters, defaultSort: compiled.defaultSort, pageSize: 20 },
      roles: [...CASE_ROLES],
      menu: { group: CASE_GROUP, title: spec.name, order: spec.order },
    } as Screen;
  });
}
