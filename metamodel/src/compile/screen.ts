import { RepresentationFormat } from '../contracts';
import {
  DataElement,
  Inclusion,
  ResolvedDataset,
  Screen,
  ScreenColumn,
  ScreenFilter,
  ScreenList,
  ValueDomain,
} from '../kinds';
import { elementFormat } from '../format/element-format';
import { domainOf, elementOf, orderedInclusions } from './resolved';

type Schema = Record<string, unknown>;
type Option = { value: string; label: string };

/** Value domains larger than this are typed in (exact match) rather than picked from a list. */
export const MAX_SELECT_OPTIONS = 300;
/** Free text longer than this is a text area in forms and is not offered as a filter or column. */
const LONG_TEXT = 100;
export const DEFAULT_PAGE_SIZE = 20;

const titleOf = (inclusion: Inclusion, element: DataElement) => inclusion.localName ?? element.name;

function optionsOf(domain: ValueDomain | undefined): Option[] | undefined {
  if (domain?.type !== 'enumerated' || domain.values.length > MAX_SELECT_OPTIONS) return undefined;
  return [...domain.values]
    .sort((a, b) => (a.order ?? 0) - (b.order ?? 0))
    .map(v => ({ value: v.code, label: `${v.code} ${v.meaning}` }));
}

/** An identifier: WS/T 363 part 1 (DE01.*), an ID or institution code, or part of the business key. */
function isIdentifier(inclusion: Inclusion, element: DataElement): boolean {
  return (
    inclusion.primaryKey === true ||
    element.identifier.startsWith('DE01.') ||
    (element.checks ?? []).some(c => c === 'gb11643' || c === 'gb32100')
  );
}

function fieldSchema(inclusion: Inclusion, element: DataElement, domain: ValueDomain | undefined): Schema {
  const title = titleOf(inclusion, element);
  const format = elementFormat(element);
  const required = inclusion.obligation === 'M';
  const rules: Schema[] = [];
  const schema: Schema = {
    type: 'string',
    title,
    'x-decorator': 'FormItem',
    'x-decorator-props': { tooltip: element.definition },
    'x-component': 'Input',
    'x-component-props': { allowClear: true },
    'x-element': element.identifier,
  };
  if (required) {
    schema.required = true;
    rules.push({ required: true, message: `请填写${title}` });
  }
  const options = optionsOf(domain);
  if (options) {
    schema.enum = options;
    schema['x-component'] = 'Select';
    schema['x-component-props'] = { allowClear: true, showSearch: true, optionFilterProp: 'label', placeholder: `请选择${title}` };
  } else {
    switch (element.dataType) {
      case 'N':
        Object.assign(schema, numberField(title, format, element, rules));
        break;
      case 'D':
        schema['x-component'] = 'DatePicker';
        schema['x-component-props'] = { format: 'YYYY-MM-DD', placeholder: `请选择${title}` };
        break;
      case 'DT':
        schema['x-component'] = 'DatePicker';
        schema['x-component-props'] = { showTime: true, format: 'YYYY-MM-DD[T]HH:mm:ss', placeholder: `请选择${title}` };
        break;
      case 'T':
        schema['x-component'] = 'TimePicker';
        schema['x-component-props'] = { format: 'HH:mm:ss' };
        break;
      case 'L':
        schema.type = 'boolean';
        schema['x-component'] = 'Switch';
        schema['x-component-props'] = {};
        break;
      case 'BY':
        schema['x-component'] = 'Input.TextArea';
        schema['x-component-props'] = { placeholder: 'Base64' };
        break;
      default:
        textRules(title, format, rules);
        if ((format?.maxLength ?? Infinity) > LONG_TEXT) schema['x-component'] = 'Input.TextArea';
        if (format?.maxLength !== undefined) (schema['x-component-props'] as Schema).maxLength = format.maxLength;
    }
  }
  if (domain?.type === 'described' && domain.pattern) rules.push({ pattern: `^(?:${domain.pattern})$`, message: `${title}不符合${domain.name}的格式` });
  if (element.checks?.includes('gb11643')) rules.push({ gb11643: true, message: `${title}不是有效的公民身份号码(GB 11643 校验位不符)` });
  if (element.checks?.includes('gb32100')) rules.push({ gb32100: true, message: `${title}不是有效的统一社会信用代码(GB 32100 校验位不符)` });
  if (rules.length) schema['x-validator'] = rules;
  return schema;
}

function numberField(title: string, format: RepresentationFormat | undefined, element: DataElement, rules: Schema[]): Schema {
  const scale = format?.scale ?? 0;
  const digits = format?.maxLength === undefined ? undefined : format.maxLength - scale;
  const props: Schema = { precision: scale, style: { width: '100%' } };
  if (element.unit) props.addonAfter = element.unit;
  if (digits !== undefined && digits + scale <= 15) {
    const maximum = Number((10 ** digits - 10 ** -scale).toFixed(scale));
    rules.push({ maximum, message: `${title}不能大于${maximum}` });
    rules.push({ minimum: -maximum, message: `${title}不能小于${-maximum}` });
  }
  if (scale === 0) rules.push({ integer: true, message: `${title}必须是整数` });
  return { type: 'number', 'x-component': 'NumberPicker', 'x-component-props': props };
}

function textRules(title: string, format: RepresentationFormat | undefined, rules: Schema[]): void {
  if (!format) return;
  if (format.minLength !== undefined && format.minLength === format.maxLength) {
    rules.push({ len: format.minLength, message: `${title}应为${format.minLength}个字符` });
  } else {
    if (format.minLength !== undefined && format.minLength > 0) rules.push({ minLength: format.minLength, message: `${title}至少${format.minLength}个字符` });
    if (format.maxLength !== undefined) rules.push({ maxLength: format.maxLength, message: `${title}不能超过${format.maxLength}个字符` });
  }
  if (format.charClass === 'N') rules.push({ pattern: '^[0-9]*$', message: `${title}只能包含数字` });
  if (format.charClass === 'A') rules.push({ pattern: '^[^0-9]*$', message: `${title}不能包含数字` });
}

/**
 * The detail/edit form of a dataset as a Formily JSON schema: one field per inclusion, grouped
 * by the inclusion's group (a void `Card` node per group), with required, format, length,
 * value-domain and check-character rules and Chinese messages. Custom rules `gb11643` and
 * `gb32100` are for the front end to register (metamodel exports isValidGb11643/isValidGb32100).
 */
export function datasetToFormSchema(resolved: ResolvedDataset): Schema {
  const properties: Schema = {};
  const groups = new Map<string, Schema>();
  let index = 0;
  for (const inclusion of orderedInclusions(resolved.dataset)) {
    const element = elementOf(resolved, inclusion);
    const field: Schema = { ...fieldSchema(inclusion, element, domainOf(resolved, element)), 'x-index': index++ };
    if (inclusion.maxOccurs !== undefined && inclusion.maxOccurs > 1) {
      Object.assign(field, { type: 'array', 'x-component': 'Select', 'x-component-props': { ...(field['x-component-props'] as Schema), mode: 'tags' } });
    }
    const groupName = inclusion.group;
    if (!groupName) {
      properties[inclusion.column] = field;
      continue;
    }
    let group = groups.get(groupName);
    if (!group) {
      group = { type: 'void', 'x-component': 'Card', 'x-component-props': { title: groupName, size: 'small' }, 'x-index': index++, properties: {} };
      groups.set(groupName, group);
      properties[`group_${groups.size}`] = group;
    }
    (group.properties as Schema)[inclusion.column] = field;
  }
  return { type: 'object', title: resolved.dataset.name, properties };
}

/** Filters and columns of a dataset's default query screen. */
export function datasetToQueryScreen(resolved: ResolvedDataset): ScreenList {
  const filters: ScreenFilter[] = [];
  const columns: ScreenColumn[] = [];
  let defaultSort: ScreenList['defaultSort'];
  for (const inclusion of orderedInclusions(resolved.dataset)) {
    const element = elementOf(resolved, inclusion);
    const domain = domainOf(resolved, element);
    const format = elementFormat(element);
    const title = titleOf(inclusion, element);
    const field = inclusion.column;
    const options = optionsOf(domain);
    const long = (format?.maxLength ?? Infinity) > LONG_TEXT && (element.dataType === 'S1' || element.dataType === 'S2');
    const multi = (inclusion.maxOccurs ?? 1) > 1;
    if (!multi) {
      if (options) filters.push({ key: field, title, field, operator: 'in', input: 'select', options });
      else if (element.dataType === 'D') filters.push({ key: field, title, field, operator: 'range', input: 'date-range' });
      else if (element.dataType === 'DT') filters.push({ key: field, title, field, operator: 'range', input: 'datetime-range' });
      else if (isIdentifier(inclusion, element) && element.dataType !== 'N') filters.push({ key: field, title, field, operator: 'eq', input: 'input' });
      else if (element.dataType === 'S1' && !long) filters.push({ key: field, title, field, operator: 'contains', input: 'input' });
    }
    if (long || element.dataType === 'BY') continue;
    const column: ScreenColumn = { field, title };
    if (!multi && ['D', 'DT', 'T', 'N'].includes(element.dataType)) column.sortable = true;
    if (options) column.options = options;
    columns.push(column);
    if (!defaultSort && !multi && (element.dataType === 'DT' || element.dataType === 'D')) defaultSort = { field, direction: 'desc' };
  }
  const list: ScreenList = { columns, filters, pageSize: DEFAULT_PAGE_SIZE };
  if (defaultSort) list.defaultSort = defaultSort;
  return list;
}

/**
 * The screen every published dataset has without anyone designing it: its query list and its
 * form, compiled from the dataset version. It is not stored: it follows the dataset.
 */
export function defaultScreenFor(resolved: ResolvedDataset): Screen {
  const { dataset } = resolved;
  return {
    id: `default-${dataset.id}`,
    kind: 'screen',
    namespace: dataset.namespace,
    identifier: `SCR.${dataset.code}`,
    version: dataset.version,
    name: dataset.name,
    definition: `${dataset.name}的默认查询与录入界面(由数据集元数据生成)`,
    workflowStatus: 'published',
    dataset: { id: dataset.id, code: dataset.code },
    form: datasetToFormSchema(resolved),
    list: datasetToQueryScreen(resolved),
    menu: { group: '数据集', title: dataset.name },
  };
}

/** Escapes LIKE wildcards so a user's `%` or `_` is matched literally (backslash is PostgreSQL's default escape). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, m => `\\${m}`);
}

const isBlank = (v: unknown) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.every(isBlank));

function condition(field: string, operator: ScreenFilter['operator'], value: unknown, input?: ScreenFilter['input']): Record<string, unknown> | undefined {
  switch (operator) {
    case 'eq':
      return { [field]: value };
    case 'contains':
      return { [field]: { like: `%${escapeLike(String(value))}%` } };
    case 'prefix':
      return { [field]: { like: `${escapeLike(String(value))}%` } };
    case 'in':
      return { [field]: Array.isArray(value) ? { inq: value } : value };
    case 'range': {
      const [from, rawTo] = Array.isArray(value) ? value : [value, undefined];
      // A date typed as the upper bound of a date-time range includes that whole day.
      const to = input === 'datetime-range' && typeof rawTo === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(rawTo) ? `${rawTo}T23:59:59` : rawTo;
      if (!isBlank(from) && !isBlank(to)) return { [field]: { between: [from, to] } };
      if (!isBlank(from)) return { [field]: { gte: from } };
      if (!isBlank(to)) return { [field]: { lte: to } };
      return undefined;
    }
  }
}

/**
 * The LoopBack `where` of a query screen's filter values (keyed by filter key), as the data API
 * takes it in `?filter=`. Blank values are ignored; `anyOf` filters OR their fields.
 */
export function screenQueryWhere(list: Pick<ScreenList, 'filters'>, values: Record<string, unknown>): Record<string, unknown> | undefined {
  const parts: Record<string, unknown>[] = [];
  for (const f of list.filters) {
    const value = values[f.key];
    if (isBlank(value)) continue;
    if (f.anyOf) {
      const alternatives = f.anyOf.map(a => condition(a.field, a.operator, value, f.input)).filter((c): c is Record<string, unknown> => c !== undefined);
      if (alternatives.length === 1) parts.push(alternatives[0]);
      else if (alternatives.length > 1) parts.push({ or: alternatives });
    } else if (f.field) {
      const c = condition(f.field, f.operator, value, f.input);
      if (c) parts.push(c);
    }
  }
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? parts[0] : { and: parts };
}
