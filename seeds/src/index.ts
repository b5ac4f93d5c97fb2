export { stableId, uuidV5, LINGSHU_SEED_NAMESPACE } from './ids';
export { gb11643Check, isGb11643, gb32100Check, isGb32100, gb11714Check } from './checks';
export { sichuanDivisions, dazhouCounties, dazhouTownshipList } from './geo';
export type { Division, Township } from './geo';
export {
  starterCatalog,
  valueDomains,
  dataElements,
  datasets,
  DATASET_CODES,
  UNVERIFIED_IDENTIFIERS,
  WS,
  DAZHOU,
  valueDomainId,
  dataElementId,
  datasetId,
  E as ELEMENTS,
} from './catalog';
export type { DatasetCode } from './catalog';
export * from './demo';
export { workflowModels, WORKFLOW_KEYS } from './workflows';
