import { configFromEnv } from './config';
import { startPlatform } from './platform';
import { seedPlatform } from './seed';

async function main() {
  const config = configFromEnv();
  const started = Date.now();
  const platform = await startPlatform(config);
  await seedPlatform(platform, { demoData: config.demoData, log: line => console.log(`[lingshu] ${line}`) });
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
