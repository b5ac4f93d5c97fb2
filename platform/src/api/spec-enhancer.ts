import { inject, injectable } from '@loopback/core';
import { OASEnhancer, OpenApiSpec, asSpecEnhancer } from '@loopback/rest';
import { DATA_PREFIX } from '../runtime/data-router';
import { DatasetRuntime } from '../runtime/dataset-runtime';
import { DatasetRegistry } from '../runtime/registry';
import { LingshuBindings } from './keys';

const json = (schema: object) => ({ content: { 'application/json': { schema } } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const errorResponse = (description: string) => ({ description, ...json(ref('LingshuError')) });
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const filterParam = {
  name: 'filter',
  in: 'query',
  description: 'LoopBack filter JSON: {"where":{…},"order":["field DESC"],"limit":20,"skip":0,"fields":["…"]}. Shorthands: limit, offset, order, fields, <field>=<value>.',
  schema: { type: 'string' },
};

/**
 * Publishes the live dataset APIs in /openapi.json: the spec always shows exactly what the
 * registry serves, because it is computed from the registry whenever the spec is asked for.
 */
@injectable(asSpecEnhancer)
export class DatasetSpecEnhancer implements OASEnhancer {
  name = 'lingshu-datasets';

  constructor(@inject(LingshuBindings.REGISTRY) private readonly registry: DatasetRegistry) {}

  modifySpec(spec: OpenApiSpec): OpenApiSpec {
    const schemas: Record<string, unknown> = { ...(spec.components?.schemas ?? {}), LingshuError: ERROR_SCHEMA };
    const paths = { ...spec.paths };
    for (const rt of this.registry.list()) {
      schemas[schemaName(rt)] = rt.schema;
      schemas[`${schemaName(rt)}Partial`] = rt.partialSchema;
      Object.assign(paths, pathsOf(rt));
    }
    return { ...spec, paths, components: { ...spec.components, schemas } } as OpenApiSpec;
  }
}

function schemaName(rt: DatasetRuntime): string {
  return `dataset_${rt.code}`;
}

function pathsOf(rt: DatasetRuntime): Record<string, unknown> {
  const base = `${DATA_PREFIX}/${rt.code}`;
  const tags = [`data: ${rt.name}`];
  const one = ref(schemaName(rt));
  const invalid = errorResponse('validation failed: every error names field, rule and position');
  return {
    [base]: {
      get: { tags, summary: `Find ${rt.name} records`, parameters: [filterParam], responses: { '200': { description: 'records', ...json({ type: 'array', items: one }) }, '400': errorResponse('invalid filter') } },
      post: { tags, summary: `Create a ${rt.name} record`, requestBody: { required: true, ...json(one) }, responses: { '201': { description: 'created', ...json(one) }, '409': errorResponse('key exists'), '422': invalid } },
    },
    [`${base}/count`]: {
      get: { tags, summary: `Count ${rt.name} records`, parameters: [{ name: 'where', in: 'query', schema: { type: 'string' } }], responses: { '200': { description: 'count', ...json({ type: 'object', properties: { count: { type: 'integer' } } }) } } },
    },
    [`${base}/bulk`]: {
      post: { tags, summary: `Create many ${rt.name} records, all or nothing`, requestBody: { required: true, ...json({ type: 'array', items: one }) }, responses: { '201': { description: 'created', ...json({ type: 'object', properties: { count: { type: 'integer' }, ids: { type: 'array', items: { type: 'string' } } } }) }, '409': errorResponse('a key exists'), '422': invalid } },
    },
    [`${base}/export.xlsx`]: {
      get: {
        tags, summary: `Export ${rt.name} records as an Excel file (row scope and masking apply; at most 100,000 rows; audited)`, parameters: [filterParam],
        responses: { '200': { description: 'Excel workbook', content: { 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: { type: 'string', format: 'binary' } } } }, '400': errorResponse('invalid filter'), '413': errorResponse('too many rows: narrow the filter') },
      },
    },
    [`${base}/{id}`]: {
      get: { tags, summary: `Get a ${rt.name} record`, parameters: [idParam], responses: { '200': { description: 'record', ...json(one) }, '404': errorResponse('not found') } },
      put: { tags, summary: `Replace a ${rt.name} record`, parameters: [idParam], requestBody: { required: true, ...json(one) }, responses: { '200': { description: 'replaced', ...json(one) }, '404': errorResponse('not found'), '422': invalid } },
      patch: { tags, summary: `Update fields of a ${rt.name} record`, parameters: [idParam], requestBody: { required: true, ...json(ref(`${schemaName(rt)}Partial`)) }, responses: { '200': { description: 'updated', ...json(one) }, '404': errorResponse('not found'), '422': invalid } },
      delete: { tags, summary: `Delete a ${rt.name} record`, parameters: [idParam], responses: { '204': { description: 'deleted' }, '404': errorResponse('not found') } },
    },
  };
}

const ERROR_SCHEMA = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: {
        statusCode: { type: 'integer' },
        name: { type: 'string' },
        message: { type: 'string' },
        details: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              index: { type: 'integer', description: 'record position in a batch' },
              field: { type: 'string' },
              rule: { type: 'string' },
              message: { type: 'string' },
              position: { type: 'integer', description: 'character position in the value' },
            },
          },
        },
      },
    },
  },
};
