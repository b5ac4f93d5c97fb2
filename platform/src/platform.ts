import http from 'node:http';
import { AddressInfo } from 'node:net';
import { LingshuApplication } from './api/application';
import { LingshuBindings } from './api/keys';
import { Database, migratePlatformSchema, openDatabase } from './database';
import { RequestGuard, openGuard } from './extension-points';
import { MetadataStore } from './metadata-store/store';
import { MetadataImporter } from './publisher/importer';
import { META_CHANNEL, MetaEvent, Publisher } from './publisher/publisher';
import { DataRouter } from './runtime/data-router';
import { DataService } from './runtime/data-service';
import { DatasetRegistry } from './runtime/registry';
import { landingPage } from './api/landing';
import { WebApp, defaultDesignerDir } from './api/web-app';
import { AuditController } from './api/audit.controller';
import { AuthController } from './api/auth.controller';
import { DashboardController } from './api/dashboard.controller';
import { SecurityController } from './api/security.controller';
import { AuditQueue, AuditSealer, AuditTrail, AuditWriter, startAuditSealer } from './audit';
import { CRYPTO_SCHEMA_STEPS, FieldProtector, KeyRing, loadMasterKey, sm2Decrypt, sm2Signer } from './security/crypto';
import { ensureAdministrators } from './security/identity/bootstrap';
import { IDENTITY_SCHEMA_STEPS } from './security/identity/schema';
import { ACCESS_INTEGRITY_SCHEMA_STEPS, AccessIntegrity } from './security/identity/access-integrity';
import { SecurityServices } from './security/services';
import { securityHeaders } from './util/http';
import { JOB_SCHEMA_STEPS, JobRunner } from './jobs/runner';
import { JobsController } from './api/jobs.controller';
import { CryptoKeysController } from './api/crypto-keys.controller';
import { REENCRYPT_JOB, reencryptJob } from './security/field-reencrypt';
import { FieldKeyAdmin, KEYS_CHANNEL } from './security/key-admin';
import { ScreensController } from './api/screens.controller';
import { DataExportRouter } from './screens/data-export';
import { MetadataExcel } from './screens/metadata-excel';
import { ScreenService } from './screens/screens';
import { OpenResources, WORKFLOW_SCHEMA_STEPS, WorkflowService, openWorkflow } from './workflow';
import { WorkflowController } from './api/workflow.controller';
import { ensureWorkflowDefinitions } from './workflow/seed';
import { MAPPING_SCHEMA_STEPS, MappingService, mappingModelFromEnv, openMappingModel, type MappingModelSettings } from './mapping';
import { MappingController } from './api/mapping.controller';

export interface PlatformConfig {
  /** PostgreSQL URL; absent means embedded PGlite. */
  databaseUrl?: string;
  /** PGlite data directory, or 'memory'. */
  dataDir?: string;
  port?: number;
  host?: string;
  /** Replaces the security core's guard (tests of the bare runtime use `openGuard`). */
  guard?: RequestGuard;
  poolSize?: number;
  /** Master key (64 hex digits); else LINGSHU_MASTER_KEY, else `<dataDir>/master.key`. Every instance on one database needs the same. */
  masterKey?: string;
  /** Password for the three administrators at first start (else random, written to a 0600 file). */
  adminPassword?: string;
  /** How often the workflow timer poller looks for due timers (default 1000 ms). */
  workflowTimerMs?: number;
  /** Sign-in attempts per minute per client address (default 30). */
  loginRateLimit?: number;
  /**
   * The designer web app's build (served at `/`); else LINGSHU_DESIGNER_DIR, else
   * `<repo>/designer/dist`. `false` or a folder without index.html: the plain start page.
   */
  designerDir?: string | false;
  log?: (line: string) => void;
  /** Excel export of query results: row cap (default 100,000) and rows read per statement (default 1,000). */
  dataExport?: { rowCap?: number; pageSize?: number };
  /**
   * The mapping suggester's neural stage (an ONNX sentence model); else LINGSHU_MAPPING_MODEL,
   * LINGSHU_MAPPING_MODEL_VOCAB, LINGSHU_MAPPING_MODEL_MAX_TOKENS; `false`: none whatever the environment.
   */
  mappingModel?: MappingModelSettings | false;
}

export interface Platform {
  readonly url: string;
  readonly db: Database;
  readonly store: MetadataStore;
  readonly publisher: Publisher;
  readonly importer: MetadataImporter;
  readonly registry: DatasetRegistry;
  readonly data: DataService;
  readonly app: LingshuApplication;
  readonly keyring: KeyRing;
  readonly audit: { writer: AuditWriter; sealer: AuditSealer; trail: AuditTrail; queue: AuditQueue };
  readonly security: SecurityServices;
  readonly jobs: JobRunner;
  readonly protector: FieldProtector;
  readonly workflow: WorkflowService;
  /** Master-data mapping: translate(institution, dictionary, {code, text}) for the collection pipeline. */
  readonly mapping: MappingService;
  stop(): Promise<void>;
}

/** Opens the database, loads the live dataset APIs and serves HTTP. No seeding here: see seed.ts. */
export async function startPlatform(config: PlatformConfig = {}): Promise<Platform> {
  const log = config.log ?? (() => undefined);
  // The neural stage first: a bad model setting stops the start before anything is opened.
  const modelSettings = config.mappingModel === false ? undefined : config.mappingModel ?? mappingModelFromEnv(process.env);
  const neural = modelSettings ? await openMappingModel(modelSettings, config.dataDir) : undefined;
  if (neural) {
    const m = neural.model.info;
    log(`mapping: neural stage active (${m.file}, ${m.hash.slice(0, 20)}…, ${m.dimensions} dimensions, ${m.output})`);
  }
  const db = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, poolSize: config.poolSize });
  await migratePlatformSchema(db, [...CRYPTO_SCHEMA_STEPS, ...IDENTITY_SCHEMA_STEPS, ...ACCESS_INTEGRITY_SCHEMA_STEPS, ...JOB_SCHEMA_STEPS, ...WORKFLOW_SCHEMA_STEPS, ...MAPPING_SCHEMA_STEPS]);
  const master = loadMasterKey({ env: config.masterKey ? { LINGSHU_MASTER_KEY: config.masterKey } : process.env, dataDir: config.dataDir });
  if (master.ephemeral) log('master key is ephemeral (in-memory database, no LINGSHU_MASTER_KEY): keys die with the process');
  const keyring = await KeyRing.open(db, master);
  const audit = await openAudit(db, keyring);
  const store = new MetadataStore(db, audit.writer);
  const protector = await FieldProtector.open(keyring);
  const registry = new DatasetRegistry(db, protector);
  const jobs = new JobRunner(db, log);
  const publisher = new Publisher(db, store, registry, audit.writer, jobs);
  jobs.register(REENCRYPT_JOB, reencryptJob(db, registry, protector, audit.writer));
  const keyAdmin = new FieldKeyAdmin(db, protector, jobs, audit.writer);
  const importer = new MetadataImporter(db, store, publisher, audit.writer);
  const data = new DataService(db, audit.writer);
  const transportKeys = await keyring.signingKeyPair('login-transport');
  const security = await SecurityServices.create(
    db,
    event => audit.writer.record(db, event),
    { publicKey: transportKeys.publicKey, decrypt: cipher => sm2Decrypt(cipher, transportKeys.privateKey) },
    { loginRateLimit: config.loginRateLimit ?? 30, onDenied: entry => audit.queue.note(entry), integrity: await AccessIntegrity.open(keyring) },
  );
  await security.integrity.initialize(db, await security.users.roles(), log);
  await ensureAdministrators(db, { dataDir: config.dataDir, adminPassword: config.adminPassword, log, integrity: security.integrity });
  const guard = config.guard ?? security.guard;
  await registry.loadAll();
  await db.listen(META_CHANNEL, payload => {
    publisher.apply(JSON.parse(payload) as MetaEvent).catch(err => console.error(`[lingshu] reload failed: ${(err as Error).message}`));
  });
  await db.listen(KEYS_CHANNEL, () => {
    protector.refresh().catch(err => console.error(`[lingshu] key refresh failed: ${(err as Error).message}`));
  });
  const mapping = new MappingService(db, audit.writer, jobs, { neural });
  await mapping.load();
  jobs.start();
  const workflow = openWorkflow(db, audit.writer, publisher, log);
  mapping.attachWorkflow(workflow.service);
  await ensureWorkflowDefinitions(workflow.service, log);
  workflow.startTimers(config.workflowTimerMs ?? 1000);

  const app = new LingshuApplication();
  app.bind(LingshuBindings.DATABASE).to(db);
  app.bind(LingshuBindings.STORE).to(store);
  app.bind(LingshuBindings.PUBLISHER).to(publisher);
  app.bind(LingshuBindings.IMPORTER).to(importer);
  app.bind(LingshuBindings.REGISTRY).to(registry);
  app.bind(LingshuBindings.DATA).to(data);
  app.bind(LingshuBindings.GUARD).to(guard);
  app.bind(LingshuBindings.AUDIT).to(audit.trail);
  app.bind(LingshuBindings.SECURITY).to(security);
  app.bind(LingshuBindings.JOBS).to(jobs);
  app.bind(LingshuBindings.KEY_ADMIN).to(keyAdmin);
  app.bind(LingshuBindings.WORKFLOW).to(workflow.service);
  app.bind(LingshuBindings.PUBLISH_GATE).to(workflow.gate);
  app.bind(LingshuBindings.GRANTS).to(workflow.grants);
  app.bind(LingshuBindings.RESOURCES).to(new OpenResources(db, audit.writer, registry, data, security.dataPolicies, workflow.grants, workflow.service));
  app.controller(WorkflowController);
  app.controller(JobsController);
  app.controller(CryptoKeysController);
  app.controller(AuthController);
  app.controller(SecurityController);
  app.controller(AuditController);
  app.bind(LingshuBindings.SCREENS).to(new ScreenService(store, registry, guard));
  app.bind(LingshuBindings.METADATA_EXCEL).to(new MetadataExcel(db, store, audit.writer));
  app.controller(ScreensController);
  app.controller(DashboardController);
  app.bind(LingshuBindings.MAPPING).to(mapping);
  app.controller(MappingController);
  await app.start();

  const router = new DataRouter(registry, data, guard, audit.queue);
  const dataExport = new DataExportRouter(db, registry, data, guard, audit.writer, config.dataExport);
  const loopback = app.restServer.requestHandler;
  const webApp = config.designerDir === false ? undefined : WebApp.at(config.designerDir ?? process.env.LINGSHU_DESIGNER_DIR ?? defaultDesignerDir());
  if (webApp) log(`web app from ${webApp.root}`);
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    securityHeaders(res, url);
    if (dataExport.matches(url)) dataExport.handle(req, res);
    else if (router.matches(url)) router.handle(req, res);
    else if (webApp?.claims(req)) webApp.serve(req, res);
    else if (url === '/' || url === '/index.html') landingPage(res, registry);
    else loopback(req, res);
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port ?? 3000, config.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host && config.host !== '0.0.0.0' ? config.host : '127.0.0.1';
  return {
    url: `http://${host}:${port}`,
    db, store, publisher, importer, registry, data, app, keyring, audit, security, jobs, protector, workflow: workflow.service, mapping,
    async stop() {
      await jobs.stop();
      await workflow.stop();
      server.closeAllConnections();
      await new Promise<void>(resolve => server.close(() => resolve()));
      await app.stop();
      await audit.queue.stop();
      await audit.sealer.stop();
      await db.close();
      await neural?.close();
    },
  };
}

/** The audit trail's keys come from the key ring: an HMAC-SM3 key for rows, an SM2 pair for checkpoints. */
async function openAudit(db: Database, keyring: KeyRing) {
  const macKey = await keyring.macKey('audit-mac');
  const signer = sm2Signer(await keyring.signingKeyPair('audit-signing'));
  const writer = new AuditWriter(macKey);
  const sealer = startAuditSealer(db, { macKey, signer });
  const trail = new AuditTrail(db, { macKey, signer }, writer);
  const queue = new AuditQueue(db, writer, line => console.error(`[lingshu] ${line}`));
  return { writer, sealer, trail, queue };
}
