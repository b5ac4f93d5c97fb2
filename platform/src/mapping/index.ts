export { MAPPING_SCHEMA_STEPS } from './schema';
export * from './service';
export { uploadFrom, type Upload, type SourceEntry } from './parse';
export * from './neural';
