export { columnTypeOf, isWidening } from './column-type';
export { datasetToJsonSchema } from './json-schema';
export { datasetToModelDefinition } from './model-definition';
export { tableNameOf } from './table';
