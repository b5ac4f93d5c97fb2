import { BindingKey } from '@loopback/core';
import { AuditTrail } from '../audit/trail';
import type { SecurityServices } from '../security/services';
import { Database } from '../database';
import { RequestGuard } from '../extension-points';
import { MetadataStore } from '../metadata-store/store';
import { MetadataImporter } from '../publisher/importer';
import { Publisher } from '../publisher/publisher';
import { DatasetRegistry } from '../runtime/registry';
import type { JobRunner } from '../jobs/runner';
import type { FieldKeyAdmin } from '../security/key-admin';
import type { MetadataExcel } from '../screens/metadata-excel';
import type { ScreenService } from '../screens/screens';
import { DataService } from '../runtime/data-service';
import type { MappingService } from '../mapping/service';
import type { OpenResources, PublishGate, ResourceGrants, WorkflowService } from '../workflow';

export namespace LingshuBindings {
  export const DATABASE = BindingKey.create<Database>('lingshu.database');
  export const STORE = BindingKey.create<MetadataStore>('lingshu.metadata-store');
  export const PUBLISHER = BindingKey.create<Publisher>('lingshu.publisher');
  export const IMPORTER = BindingKey.create<MetadataImporter>('lingshu.importer');
  export const DATA = BindingKey.create<DataService>('lingshu.data-service');
  export const REGISTRY = BindingKey.create<DatasetRegistry>('lingshu.dataset-registry');
  export const GUARD = BindingKey.create<RequestGuard>('lingshu.request-guard');
  /** Search, export and verification of the audit trail (AuditController). */
  export const AUDIT = BindingKey.create<AuditTrail>('lingshu.audit');
  export const SECURITY = BindingKey.create<SecurityServices>('lingshu.security');
  export const JOBS = BindingKey.create<JobRunner>('lingshu.jobs');
  export const KEY_ADMIN = BindingKey.create<FieldKeyAdmin>('lingshu.key-admin');
  export const SCREENS = BindingKey.create<ScreenService>('lingshu.screens');
  export const METADATA_EXCEL = BindingKey.create<MetadataExcel>('lingshu.metadata-excel');
  export const WORKFLOW = BindingKey.create<WorkflowService>('lingshu.workflow');
  export const PUBLISH_GATE = BindingKey.create<PublishGate>('lingshu.publish-gate');
  export const GRANTS = BindingKey.create<ResourceGrants>('lingshu.resource-grants');
  export const RESOURCES = BindingKey.create<OpenResources>('lingshu.open-resources');
  export const MAPPING = BindingKey.create<MappingService>('lingshu.mapping');
}
