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

export interface PlatformConfig {
  /** PostgreSQL URL; absent means embedded PGlite. */
  databaseUrl?: string;
  /** PGlite data directory, or 'memory'. */
  dataDir?: string;
  port?: number;
  host?: string;
  guard?: RequestGuard;
  poolSize?: number;
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
  stop(): Promise<void>;
}

/** Opens the database, loads the live dataset APIs and serves HTTP. No seeding here: see seed.ts. */
export async function startPlatform(config: PlatformConfig = {}): Promise<Platform> {
  const db = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, poolSize: config.poolSize });
  await migratePlatformSchema(db);
  const store = new MetadataStore(db);
  const registry = new DatasetRegistry(db);
  const publisher = new Publisher(db, store, registry);
  const importer = new MetadataImporter(db, store, publisher);
  const data = new DataService(db);
  const guard = config.guard ?? openGuard;
  await registry.loadAll();
  await db.listen(META_CHANNEL, payload => {
    publisher.apply(JSON.parse(payload) as MetaEvent).catch(err => console.error(`[lingshu] reload failed: ${(err as Error).message}`));
  });

  const app = new LingshuApplication();
  app.bind(LingshuBindings.DATABASE).to(db);
  app.bind(LingshuBindings.STORE).to(store);
  app.bind(LingshuBindings.PUBLISHER).to(publisher);
  app.bind(LingshuBindings.IMPORTER).to(importer);
  app.bind(LingshuBindings.REGISTRY).to(registry);
  app.bind(LingshuBindings.GUARD).to(guard);
  await app.start();

  const router = new DataRouter(registry, data, guard);
  const loopback = app.restServer.requestHandler;
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    if (router.matches(url)) router.handle(req, res);
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
    db, store, publisher, importer, registry, data, app,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>(resolve => server.close(() => resolve()));
      await app.stop();
      await db.close();
    },
  };
}
