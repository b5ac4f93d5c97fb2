export { dazhouInstitutions } from './institutions';
export type { CloudHisSystem, DazhouInstitutions, Institution, InstitutionKind, Tier } from './institutions';
export { generateRecords, DEFAULT_SEED } from './generate';
export type { GenerateOptions } from './generate';
export { demoDataPlan } from './plan';
export type { DemoPlanEntry } from './plan';
export { person } from './persons';
export type { Person } from './persons';
export { personLimit, personsNeeded, MIN_POPULATION } from './encounters';
