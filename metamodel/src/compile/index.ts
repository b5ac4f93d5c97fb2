export { columnTypeOf, isWidening } from './column-type';
export { datasetToJsonSchema } from './json-schema';
export { datasetToModelDefinition } from './model-definition';
export { tableNameOf } from './table';
export {
  DEFAULT_PAGE_SIZE,
  MAX_SELECT_OPTIONS,
  datasetToFormSchema,
  datasetToQueryScreen,
  defaultScreenFor,
  escapeLike,
  screenQueryWhere,
} from './screen';
