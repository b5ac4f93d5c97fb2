export * from './types';
export { GENESIS_HASH, canonicalJson, chainHash, checkpointMessage, macOf } from './canonical';
export { AUDIT_SCHEMA_STEPS, CHAIN_START_SETTING } from './schema';
export { Actor, AuditEntry, AuditOutcome, AuditWriter, DEV_AUDIT_MAC_KEY, StampedEntry, actorName, actorOf, devAuditWriter, requestActor } from './writer';
export { AuditSealer, SealerOptions, startAuditSealer } from './sealer';
export { AuditVerification, VerifyOptions, verifyAuditTrail } from './verify';
export { AuditQuery, AuditRecord, AuditTrail } from './trail';
export { AuditQueue, AuditQueueOptions } from './queue';
