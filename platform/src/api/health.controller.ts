import { inject } from '@loopback/core';
import { get } from '@loopback/rest';
import { Database } from '../database';
import { DatasetRegistry } from '../runtime/registry';
import { LingshuBindings } from './keys';

export class HealthController {
  constructor(
    @inject(LingshuBindings.DATABASE) private readonly db: Database,
    @inject(LingshuBindings.REGISTRY) private readonly registry: DatasetRegistry,
  ) {}

  @get('/api/health', { summary: 'Liveness with the database kind and version', responses: { '200': { description: 'ok' } } })
  async health() {
    return {
      status: 'ok',
      database: { kind: this.db.kind, version: await this.db.version() },
      datasets: this.registry.list().length,
    };
  }
}
