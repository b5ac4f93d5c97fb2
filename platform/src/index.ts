export * from './platform';
export * from './seed';
export * from './config';
export * from './database';
export * from './extension-points';
export {
  AUDIT_SCHEMA_STEPS,
  Actor,
  AuditEntry,
  AuditFinding,
  AuditKeys,
  AuditSealer,
  AuditTrail,
  AuditVerification,
  AuditVerifyKeys,
  AuditWriter,
  devAuditWriter,
  startAuditSealer,
  verifyAuditTrail,
} from './audit';
export { MetadataStore } from './metadata-store/store';
export { Publisher, META_CHANNEL } from './publisher/publisher';
export { MetadataImporter } from './publisher/importer';
export { planMigration } from './publisher/plan';
export { DatasetRegistry } from './runtime/registry';
export { DataService } from './runtime/data-service';
export { DatasetRuntime } from './runtime/dataset-runtime';
export { SecurityServices } from './security/services';
export { createUser } from './security/identity/auth-service';
export { AccessIntegrity } from './security/identity/access-integrity';
export { setUserPassword } from './security/identity/admin-ops';
export * from './security/crypto';
export * from './workflow';
export * from './mapping';
