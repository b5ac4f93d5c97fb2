import path from 'node:path';
import { mappingModelFromEnv } from './mapping/neural';
import { PlatformConfig } from './platform';

/** Configuration from the environment (see README). */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): PlatformConfig & { demoData: 'none' | 'small' | 'demo'; openAccess: boolean } {
  const demo = (env.LINGSHU_DEMO_DATA ?? 'demo').toLowerCase();
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: env.LINGSHU_DATA_DIR ?? path.resolve(process.cwd(), '.data'),
    port: env.PORT ? Number(env.PORT) : 3000,
    host: env.HOST ?? '127.0.0.1',
    poolSize: env.LINGSHU_POOL_SIZE ? Number(env.LINGSHU_POOL_SIZE) : undefined,
    demoData: demo === '0' || demo === 'none' || demo === 'false' ? 'none' : demo === 'small' ? 'small' : 'demo',
    adminPassword: env.LINGSHU_ADMIN_PASSWORD || undefined,
    designerDir: env.LINGSHU_DESIGNER_DIR || undefined,
    loginRateLimit: env.LINGSHU_LOGIN_RATE_LIMIT ? Number(env.LINGSHU_LOGIN_RATE_LIMIT) : undefined,
    // The mapping suggester's neural stage (LINGSHU_MAPPING_MODEL, _VOCAB, _MAX_TOKENS); none when unset.
    mappingModel: mappingModelFromEnv(env) ?? false,
    // Benchmarks only: measures the runtime without authentication, row scope and masking.
    openAccess: env.LINGSHU_OPEN_ACCESS === 'i-understand-this-disables-security',
  };
}
