import { RepresentationFormat } from '../contracts';
import { DataElement, Inclusion, ResolvedDataset, ValueDomain } from '../kinds';
import { elementFormat } from '../format/element-format';
import { domainOf, elementOf, orderedInclusions } from './resolved';

type Schema = Record<string, unknown>;

const TIME_PATTERN = '^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$';

/** Schema of one scalar value, in the normalized shape the record validator produces. */
function scalarSchema(element: DataElement, format: RepresentationFormat | undefined): Schema {
  switch (element.dataType) {
    case 'N':
      return numberSchema(format);
    case 'D':
      return { type: 'string', format: 'date' };
    case 'DT':
      return { type: 'string', format: 'date-time' };
    case 'T':
      return { type: 'string', pattern: TIME_PATTERN };
    case 'L':
      return { type: 'boolean' };
    case 'BY':
      return { type: 'string', format: 'byte' };
    default:
      return stringSchema(format);
  }
}

function numberSchema(format: RepresentationFormat | undefined): Schema {
  const scale = format?.scale ?? 0;
  const schema: Schema = { type: scale > 0 ? 'number' : 'integer' };
  const integerDigits = format?.maxLength === undefined ? Infinity : format.maxLength - scale;
  // Beyond 15 digits a double cannot state the bound exactly; leave it to the column type.
  if (integerDigits + scale <= 15) {
    const maximum = Number((10 ** integerDigits - 10 ** -scale).toFixed(scale));
    schema.maximum = maximum;
    schema.minimum = -maximum;
  }
  return schema;
}

function stringSchema(format: RepresentationFormat | undefined): Schema {
  const schema: Schema = { type: 'string' };
  if (format?.minLength !== undefined) schema.minLength = format.minLength;
  if (format?.maxLength !== undefined) schema.maxLength = format.maxLength;
  if (format?.charClass === 'N') schema.pattern = '^[0-9]*$';
  if (format?.charClass === 'A') schema.pattern = '^[^0-9]*$';
  return schema;
}

function applyDomain(schema: Schema, element: DataElement, domain: ValueDomain | undefined): void {
  if (domain === undefined) return;
  if (domain.type === 'enumerated') {
    if (element.dataType === 'S2' || element.dataType === 'S3')
      schema.enum = domain.values.map(v => v.code);
    return;
  }
  if (domain.minimum !== undefined) schema.minimum = domain.minimum;
  if (domain.maximum !== undefined) schema.maximum = domain.maximum;
  if (domain.pattern !== undefined) schema.pattern = `^(?:${domain.pattern})$`;
}

/** The schema of one inclusion's property, before nullability. */
export function columnSchema(resolved: ResolvedDataset, inclusion: Inclusion): Schema {
  const element = elementOf(resolved, inclusion);
  const value = scalarSchema(element, elementFormat(element));
  applyDomain(value, element, domainOf(resolved, element));
  const maxOccurs = inclusion.maxOccurs ?? 1;
  const schema: Schema =
    maxOccurs > 1 ? { type: 'array', maxItems: maxOccurs, items: value } : value;
  schema.description = `${inclusion.localName ?? element.name} (${element.identifier})`;
  schema['x-element-id'] = element.id;
  if (inclusion.internalId !== undefined) schema['x-internal-id'] = inclusion.internalId;
  if (inclusion.obligation !== 'M') schema.nullable = true;
  return schema;
}

const SYSTEM_PROPERTIES = {
  id: { type: 'string', format: 'uuid', readOnly: true },
  created_at: { type: 'string', format: 'date-time', readOnly: true },
  updated_at: { type: 'string', format: 'date-time', readOnly: true },
};

/**
 * An OpenAPI 3.0 schema of a dataset's records. It describes the normalized (stored) shape; the
 * record validator also accepts D8/DT15 dates and numeric strings on input.
 */
export function datasetToJsonSchema(
  resolved: ResolvedDataset,
  options: { partial?: boolean } = {},
): Record<string, unknown> {
  const { dataset } = resolved;
  const properties: Record<string, Schema> = { id: { ...SYSTEM_PROPERTIES.id } };
  const required: string[] = [];
  for (const inclusion of orderedInclusions(dataset)) {
    properties[inclusion.column] = columnSchema(resolved, inclusion);
    if (inclusion.obligation === 'M') required.push(inclusion.column);
  }
  properties.created_at = { ...SYSTEM_PROPERTIES.created_at };
  properties.updated_at = { ...SYSTEM_PROPERTIES.updated_at };
  const schema: Schema = {
    type: 'object',
    title: dataset.code,
    description: dataset.name,
    properties,
    additionalProperties: false,
  };
  if (!options.partial && required.length > 0) schema.required = required;
  return schema;
}
