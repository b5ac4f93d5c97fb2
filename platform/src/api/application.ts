import { createBindingFromClass } from '@loopback/core';
import { RestApplication, RestBindings } from '@loopback/rest';
import { RestExplorerBindings, RestExplorerComponent } from '@loopback/rest-explorer';
import { HealthController } from './health.controller';
import { MetaController } from './meta.controller';
import { DatasetSpecEnhancer } from './spec-enhancer';

/**
 * The LoopBack side of the platform: metadata and health APIs, the OpenAPI document (with the
 * live dataset APIs added by the spec enhancer) and the API explorer. The HTTP server is ours
 * (see server.ts), so LoopBack does not listen by itself.
 */
export class LingshuApplication extends RestApplication {
  constructor() {
    super({
      rest: {
        listenOnStart: false,
        openApiSpec: { setServersFromRequest: true },
        requestBodyParser: { json: { limit: '20mb' } },
        expressSettings: { 'x-powered-by': false },
        // Same origin only, unless LINGSHU_CORS_ORIGINS names the allowed origins.
        cors: corsOptions(),
      },
    });
    this.api({
      openapi: '3.0.0',
      info: { title: 'Lingshu 灵枢 health data platform', version: '0.1.0', description: 'Metadata APIs and the dataset APIs generated from published metadata.' },
      paths: {},
    });
    this.bind(RestBindings.ERROR_WRITER_OPTIONS).to({ debug: false, safeFields: ['details'] });
    this.configure(RestExplorerBindings.COMPONENT).to({ path: '/explorer' });
    this.component(RestExplorerComponent);
    this.controller(MetaController);
    this.controller(HealthController);
    this.add(createBindingFromClass(DatasetSpecEnhancer));
  }
}

function corsOptions() {
  const origins = (process.env.LINGSHU_CORS_ORIGINS ?? '').split(',').map(o => o.trim()).filter(Boolean);
  return origins.length ? { origin: origins, credentials: false, maxAge: 600 } : { origin: false };
}
