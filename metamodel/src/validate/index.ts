export { validateItem } from './item';
export { compileRecordValidator } from './record';
