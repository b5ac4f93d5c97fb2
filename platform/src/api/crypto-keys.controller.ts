import { inject } from '@loopback/core';
import { OperationObject, Request, RequestBodyObject, RestBindings, get, post, requestBody } from '@loopback/rest';
import { requestActor } from '../audit/writer';
import { RequestGuard } from '../extension-points';
import { KEYS_RESOURCE } from '../security/field-reencrypt';
import { FieldKeyAdmin } from '../security/key-admin';
import { badRequest } from '../util/errors';
import { LingshuBindings } from './keys';

const op = (summary: string): OperationObject => ({ summary, tags: ['security'], responses: { '200': { description: summary } } });
const body: Partial<RequestBodyObject> = { required: false, content: { 'application/json': { schema: { type: 'object', additionalProperties: true } } } };

/** Key management for the security administrator: which keys exist, rotation, re-encryption. */
export class CryptoKeysController {
  constructor(
    @inject(LingshuBindings.KEY_ADMIN) private readonly keys: FieldKeyAdmin,
    @inject(LingshuBindings.GUARD) private readonly guard: RequestGuard,
    @inject(RestBindings.Http.REQUEST) private readonly request: Request,
  ) {}

  @get('/api/security/keys', op('Keys by purpose and status (never their material)'))
  async list() {
    await this.guard.check(this.request, { resource: KEYS_RESOURCE, action: 'read' });
    return this.keys.list();
  }

  @post('/api/security/keys/rotate', op('Rotate the field-encryption key and start re-encrypting; answers the job'))
  async rotate() {
    const grant = await this.guard.check(this.request, { resource: KEYS_RESOURCE, action: 'admin' });
    return this.keys.rotate(requestActor(this.request, grant));
  }

  @post('/api/security/keys/reencrypt', op('Start a re-encryption job (all datasets, or those named)'))
  async reencrypt(@requestBody(body) input?: { datasets?: unknown }) {
    const grant = await this.guard.check(this.request, { resource: KEYS_RESOURCE, action: 'admin' });
    const datasets = input?.datasets;
    if (datasets !== undefined && !(Array.isArray(datasets) && datasets.every(d => typeof d === 'string' && /^[a-z][a-z0-9_]{1,39}$/.test(d)))) {
      throw badRequest('datasets must be a list of dataset codes', [{ field: 'datasets', rule: 'type', message: 'a list of dataset codes' }]);
    }
    return this.keys.reencrypt(requestActor(this.request, grant), datasets as string[] | undefined);
  }
}
