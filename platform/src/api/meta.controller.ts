import { inject } from '@loopback/core';
import { OperationObject, Request, RequestBodyObject, RestBindings, del, get, param, post, put, requestBody } from '@loopback/rest';
import { ChangeList, ItemKind, Snapshot, allowedActions, createSnapshot, diffSnapshots } from '@lingshu/metamodel';
import { Actor, requestActor } from '../audit/writer';
import { RequestGuard } from '../extension-points';
import { ItemVersionRow, MetadataStore } from '../metadata-store/store';
import { MetadataImporter } from '../publisher/importer';
import { Publisher } from '../publisher/publisher';
import { MigrationPlan } from '../publisher/plan';
import { badRequest } from '../util/errors';
import { LingshuBindings } from './keys';
import type { PublishGate } from '../workflow';

const KINDS: Record<string, ItemKind> = {
  'data-elements': 'data-element',
  'value-domains': 'value-domain',
  datasets: 'dataset',
  screens: 'screen',
};
const ACTIONS = ['submit', 'withdraw', 'publish', 'retire'];
const anyObject: Partial<RequestBodyObject> = { content: { 'application/json': { schema: { type: 'object', additionalProperties: true } } } };
const op = (summary: string, status = '200'): OperationObject => ({ summary, responses: { [status]: { description: summary } } });
const kindParam = param.path.string('kind', { schema: { type: 'string', enum: Object.keys(KINDS) } });

/** Metadata CRUD, versions and lifecycle actions, and snapshots, under /api/meta. */
export class MetaController {
  constructor(
    @inject(LingshuBindings.STORE) private readonly store: MetadataStore,
    @inject(LingshuBindings.PUBLISHER) private readonly publisher: Publisher,
    @inject(LingshuBindings.IMPORTER) private readonly importer: MetadataImporter,
    @inject(LingshuBindings.GUARD) private readonly guard: RequestGuard,
    @inject(RestBindings.Http.REQUEST) private readonly request: Request,
    @inject(LingshuBindings.PUBLISH_GATE, { optional: true }) private readonly gate?: PublishGate,
  ) {}

  @get('/api/meta/snapshot', op('Export metadata (all, or one namespace) as a snapshot document'))
  async exportSnapshot(@param.query.string('namespace') namespace?: string): Promise<Snapshot> {
    await this.guard.check(this.request, { resource: 'meta:*', action: 'read' });
    return createSnapshot(await this.store.allVersions(namespace), { namespace });
  }

  @post('/api/meta/snapshot/diff', op('Change list that turns this state (or `from`) into `target`'))
  async diff(@requestBody(anyObject) body: { target?: Snapshot; from?: Snapshot; namespace?: string }): Promise<ChangeList> {
    await this.guard.check(this.request, { resource: 'meta:*', action: 'read' });
    if (!isSnapshot(body.target)) throw badRequest('target must be a lingshu-snapshot/1 document', [{ field: 'target', rule: 'format', message: 'expected format "lingshu-snapshot/1"' }]);
    const from = body.from ?? createSnapshot(await this.store.allVersions(body.namespace), { namespace: body.namespace });
    if (!isSnapshot(from)) throw badRequest('from must be a lingshu-snapshot/1 document', [{ field: 'from', rule: 'format', message: 'expected format "lingshu-snapshot/1"' }]);
    return diffSnapshots(from, body.target);
  }

  @post('/api/meta/snapshot/apply', op('Apply a change list made against the current state'))
  async apply(@requestBody(anyObject) list: ChangeList, @param.query.string('namespace') namespace?: string) {
    const actor = requestActor(this.request, await this.guard.check(this.request, { resource: 'meta:*', action: 'publish' }));
    if (list?.format !== 'lingshu-changes/1' || !Array.isArray(list.changes)) {
      throw badRequest('body must be a lingshu-changes/1 document', [{ field: 'format', rule: 'format', message: 'expected format "lingshu-changes/1"' }]);
    }
    return this.importer.applyChanges(list, actor, namespace);
  }

  @post('/api/meta/snapshot/import', op('Add the versions of a snapshot that are missing here'))
  async importSnapshot(@requestBody(anyObject) snapshot: Snapshot) {
    const actor = requestActor(this.request, await this.guard.check(this.request, { resource: 'meta:*', action: 'publish' }));
    if (!isSnapshot(snapshot)) throw badRequest('body must be a lingshu-snapshot/1 document', [{ field: 'format', rule: 'format', message: 'expected format "lingshu-snapshot/1"' }]);
    return this.importer.importItems(snapshot.items, actor);
  }

  @get('/api/meta/{kind}', op('List items (latest version of each)'))
  async list(
    @kindParam kind: string,
    @param.query.string('namespace') namespace?: string,
    @param.query.string('status') status?: string,
    @param.query.string('q') q?: string,
    @param.query.integer('limit') limit?: number,
    @param.query.integer('offset') offset?: number,
  ) {
    const { k } = await this.allow(kind, 'read');
    const rows = await this.store.list(k, { namespace, status: status as ItemVersionRow['workflow_status'], q, limit, offset });
    return rows.map(present);
  }

  @post('/api/meta/{kind}', op('Create an item as a draft (version 1)', '200'))
  async create(@kindParam kind: string, @requestBody(anyObject) body: Record<string, unknown>) {
    const { k, actor } = await this.allow(kind, 'create');
    return present(await this.store.create(k, body, actor));
  }

  @get('/api/meta/{kind}/{id}', op('Latest version of an item'))
  async latest(@kindParam kind: string, @param.path.string('id') id: string) {
    const { k } = await this.allow(kind, 'read');
    return present(await this.store.latest(k, id));
  }

  @put('/api/meta/{kind}/{id}', op('Save the draft; editing a published version opens the next version'))
  async update(@kindParam kind: string, @param.path.string('id') id: string, @requestBody(anyObject) body: Record<string, unknown>) {
    const { k, actor } = await this.allow(kind, 'update');
    return present(await this.store.update(k, id, body, actor));
  }

  @del('/api/meta/{kind}/{id}', op('Delete a draft that was never published', '204'))
  async remove(@kindParam kind: string, @param.path.string('id') id: string): Promise<void> {
    const { k, actor } = await this.allow(kind, 'delete');
    await this.store.deleteDraft(k, id, actor);
  }

  @get('/api/meta/{kind}/{id}/versions', op('Every version of an item'))
  async history(@kindParam kind: string, @param.path.string('id') id: string) {
    const { k } = await this.allow(kind, 'read');
    return (await this.store.history(k, id)).map(present);
  }

  @get('/api/meta/{kind}/{id}/versions/{version}', op('One version of an item'))
  async version(@kindParam kind: string, @param.path.string('id') id: string, @param.path.integer('version') version: number) {
    const { k } = await this.allow(kind, 'read');
    return present(await this.store.version(k, id, version));
  }

  // Under {kind} rather than a literal /datasets/: LoopBack's trie does not fall back from a
  // literal segment to a parameter, so a literal here would hide GET /api/meta/datasets.
  @get('/api/meta/{kind}/{id}/migration-plan', op('What publishing the latest draft of a dataset would do to its table'))
  async migrationPlan(@kindParam kind: string, @param.path.string('id') id: string): Promise<MigrationPlan> {
    const { k } = await this.allow(kind, 'read');
    if (k !== 'dataset') throw badRequest('only datasets have a migration plan', [{ field: 'kind', rule: 'enum', message: 'kind must be datasets' }]);
    return this.publisher.preview(id);
  }

  @post('/api/meta/{kind}/{id}/{action}', op('Lifecycle action: submit, withdraw, publish, retire'))
  async act(
    @kindParam kind: string,
    @param.path.string('id') id: string,
    @param.path.string('action', { schema: { type: 'string', enum: ACTIONS } }) action: string,
    @param.query.boolean('retire') retire?: boolean,
  ) {
    const { k, actor } = await this.allow(kind, action === 'publish' || action === 'retire' ? 'publish' : 'update');
    if (action === 'publish' && this.gate) await this.gate.checkDirectPublish((await this.store.latest(k, id)).body.namespace);
    return present(await this.publisher.transition(k, id, action, actor, { retire: retire === true }));
  }

  private async allow(kind: string, action: 'read' | 'create' | 'update' | 'delete' | 'publish'): Promise<{ k: ItemKind; actor: Actor }> {
    const k = KINDS[kind];
    if (!k) throw badRequest(`unknown metadata kind "${kind.slice(0, 40)}"`, [{ field: 'kind', rule: 'enum', message: `kind must be one of ${Object.keys(KINDS).join(', ')}` }]);
    const grant = await this.guard.check(this.request, { resource: `meta:${k}`, action });
    return { k, actor: requestActor(this.request, grant) };
  }
}

function present(row: ItemVersionRow) {
  return {
    ...row.body,
    workflowStatus: row.workflow_status,
    _meta: {
      createdBy: row.created_by,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      publishedAt: row.published_at,
      allowedActions: allowedActions(row.workflow_status),
    },
  };
}

function isSnapshot(x: unknown): x is Snapshot {
  return typeof x === 'object' && x !== null && (x as Snapshot).format === 'lingshu-snapshot/1' && Array.isArray((x as Snapshot).items);
}
