import { configFromEnv } from './config';
import { openGuard } from './extension-points';
import { startPlatform } from './platform';
import { seedPlatform } from './seed';

async function main() {
  const config = configFromEnv();
  const started = Date.now();
  const log = (line: string) => console.log(`[lingshu] ${line}`);
  if (config.openAccess) log('WARNING: LINGSHU_OPEN_ACCESS is set: no authentication, no row scope, no masking (benchmarks only)');
  const platform = await startPlatform({ ...config, log, guard: config.openAccess ? openGuard : undefined });
  await seedPlatform(platform, { demoData: config.demoData, log, adminPassword: config.adminPassword });
  const where = config.databaseUrl ? 'PostgreSQL' : `PGlite (${config.dataDir})`;
  console.log(`[lingshu] ${platform.registry.list().length} dataset APIs live on ${where}; started in ${Date.now() - started} ms`);
  console.log(`[lingshu] listening on ${platform.url}  (API explorer: ${platform.url}/explorer/)`);
  const stop = async () => {
    await platform.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch(err => {
  console.error(`[lingshu] failed to start: ${(err as Error).message}`);
  process.exit(1);
});
