import { DataElement, Inclusion, ResolvedDataset } from '../kinds';
import { columnTypeOf } from './column-type';
import { columnSchema } from './json-schema';
import { elementOf, orderedInclusions } from './resolved';
import { tableNameOf } from './table';

type Property = Record<string, unknown>;

/** LoopBack property types. Dates stay strings so no time zone shifts a calendar date. */
const LB_TYPES: Record<string, string> = {
  S1: 'string',
  S2: 'string',
  S3: 'string',
  N: 'number',
  D: 'string',
  DT: 'string',
  T: 'string',
  L: 'boolean',
  BY: 'buffer',
};

function inclusionProperty(resolved: ResolvedDataset, inclusion: Inclusion): Property {
  const element: DataElement = elementOf(resolved, inclusion);
  const maxOccurs = inclusion.maxOccurs ?? 1;
  const column = columnTypeOf(element, maxOccurs);
  const jsonSchema = columnSchema(resolved, inclusion);
  const property: Property = {
    type: maxOccurs > 1 ? 'array' : LB_TYPES[element.dataType],
    required: inclusion.obligation === 'M',
    description: jsonSchema.description,
    jsonSchema,
    postgresql: {
      columnName: inclusion.column,
      dataType: column.sql,
      nullable: inclusion.obligation === 'M' ? 'NO' : 'YES',
    },
  };
  if (maxOccurs > 1) property.itemType = LB_TYPES[element.dataType];
  return property;
}

function systemProperties(): Record<string, Property> {
  const timestamp = (columnName: string): Property => ({
    type: 'date',
    jsonSchema: { format: 'date-time', readOnly: true },
    postgresql: { columnName, dataType: 'timestamp with time zone', nullable: 'NO' },
  });
  return {
    id: {
      type: 'string',
      id: true,
      defaultFn: 'uuidv4',
      jsonSchema: { format: 'uuid', readOnly: true },
      postgresql: { columnName: 'id', dataType: 'uuid', nullable: 'NO' },
    },
    created_at: timestamp('created_at'),
    updated_at: timestamp('updated_at'),
  };
}

/** A plain object in the shape of LoopBack 4's ModelDefinitionSyntax for a dataset's records. */
export function datasetToModelDefinition(resolved: ResolvedDataset): {
  name: string;
  properties: Record<string, Record<string, unknown>>;
  settings: Record<string, unknown>;
} {
  const { dataset } = resolved;
  const { id, created_at, updated_at } = systemProperties();
  const properties: Record<string, Property> = { id };
  for (const inclusion of orderedInclusions(dataset)) {
    properties[inclusion.column] = inclusionProperty(resolved, inclusion);
  }
  properties.created_at = created_at;
  properties.updated_at = updated_at;
  return {
    name: dataset.code,
    properties,
    settings: {
      strict: true,
      description: dataset.name,
      postgresql: { schema: 'public', table: tableNameOf(dataset.code) },
    },
  };
}
