import { inject } from '@loopback/core';
import { OperationObject, Request, RequestBodyObject, Response, RestBindings, get, param, post, put, requestBody } from '@loopback/rest';
import { requestActor } from '../audit/writer';
import { AccessRequest, RequestGuard } from '../extension-points';
import type { Principal } from '../security/authz/principal';
import { ApiError, badRequest, notFound } from '../util/errors';
import { CompleteInput, GrantRow, lintDefinition, OpenResources, PublishGate, ResourceGrants, ResourceInput, ResourceRow, Who, WorkflowService } from '../workflow';
import { LingshuBindings } from './keys';

const anyObject: Partial<RequestBodyObject> = { content: { 'application/json': { schema: { type: 'object', additionalProperties: true } } } };
const op = (summary: string): OperationObject => ({ summary, tags: ['workflow'], responses: { '200': { description: summary } } });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const KEY = /^[a-z][a-z0-9-]{1,99}$/;
const SUBJECT_KINDS = ['data-element', 'value-domain', 'dataset'];

/**
 * Process definitions, instances, the inbox and notifications under /api/workflow.
 * Definitions need `workflow:definitions`; starting a process needs create on
 * `workflow:start:<key>`; a task is for its assignee or its candidates (by role, and institution
 * when scoped); an instance's record is for its participants or readers of `workflow:instances`.
 */
export class WorkflowController {
  constructor(
    @inject(LingshuBindings.WORKFLOW) private readonly wf: WorkflowService,
    @inject(LingshuBindings.PUBLISH_GATE) private readonly gate: PublishGate,
    @inject(LingshuBindings.GRANTS) private readonly grants: ResourceGrants,
    @inject(LingshuBindings.RESOURCES) private readonly resources: OpenResources,
    @inject(LingshuBindings.GUARD) private readonly guard: RequestGuard,
    @inject(RestBindings.Http.REQUEST) private readonly request: Request,
  ) {}

  @get('/api/workflow/processes', op('Process definitions (latest version of each)'))
  async definitions() {
    await this.who({ resource: 'workflow:definitions', action: 'read' });
    return (await this.wf.definitions.list()).map(d => ({ id: d.id, key: d.key, version: d.version, name: d.name, settings: d.settings, createdBy: d.created_by, createdAt: `${d.created_at}Z` }));
  }

  @get('/api/workflow/processes/{key}', op('Every version of a process definition; the latest with its BPMN XML'))
  async definition(@param.path.string('key') key: string) {
    await this.who({ resource: 'workflow:definitions', action: 'read' });
    const versions = KEY.test(key) ? await this.wf.definitions.versions(key) : [];
    if (!versions.length) throw notFound(`no process definition "${key.slice(0, 100)}"`);
    const [latest] = versions;
    return {
      key,
      latest: { id: latest.id, version: latest.version, name: latest.name, xml: latest.xml, userTasks: latest.config.userTasks, services: latest.config.services, settings: latest.settings },
      versions: versions.map(v => ({ id: v.id, version: v.version, name: v.name, createdBy: v.created_by, createdAt: `${v.created_at}Z` })),
    };
  }

  @post('/api/workflow/processes/{key}', op('Deploy a new version of a process definition (BPMN 2.0 XML)'))
  async deploy(@param.path.string('key') key: string, @requestBody(anyObject) body: { xml: string; settings?: Record<string, unknown> }) {
    const who = await this.who({ resource: 'workflow:definitions', action: 'create' });
    const row = await this.wf.deploy({ key, xml: body?.xml, settings: body?.settings }, who);
    return { id: row.id, key: row.key, version: row.version, name: row.name, userTasks: Object.keys(row.config.userTasks), services: row.config.services };
  }

  @post('/api/workflow/lint', op('Check a BPMN model as a deployment would, without deploying: every problem with its element id'))
  async lint(@requestBody(anyObject) body: { xml: string }) {
    await this.who({ resource: 'workflow:definitions', action: 'read' });
    const result = await lintDefinition(body?.xml, this.wf.actionNames);
    return { ok: result.ok, name: result.name ?? null, userTasks: result.config ? Object.keys(result.config.userTasks) : [], services: result.config?.services ?? [], problems: result.problems };
  }

  @get('/api/workflow/actions', op('The platform actions a service task may call'))
  async actions() {
    await this.who({ resource: 'workflow:definitions', action: 'read' });
    return this.wf.actionNames;
  }

  @post('/api/workflow/processes/{key}/instances', op('Start a process instance (latest version)'))
  async start(@param.path.string('key') key: string, @requestBody(anyObject) body: { businessKey?: string; title?: string; variables?: Record<string, unknown> }) {
    if (!KEY.test(key)) throw notFound(`no process definition "${key.slice(0, 100)}"`);
    const who = await this.who({ resource: `workflow:start:${key}`, action: 'create' });
    const { instance, tasks } = await this.wf.start(key, body ?? {}, who);
    return { instance: presentInstance(instance), tasks: tasks.map(presentTask) };
  }

  @get('/api/workflow/instances/{id}', op('A process instance with its tasks'))
  async instance(@param.path.string('id') id: string) {
    const instance = await this.visibleInstance(id);
    return { ...presentInstance(instance), tasks: (await this.wf.tasksOf(id)).map(presentTask) };
  }

  @get('/api/workflow/instances/{id}/timeline', op('The history of a case: events, comments, attachments'))
  async timeline(@param.path.string('id') id: string) {
    await this.visibleInstance(id);
    return this.wf.timeline(id);
  }

  @get('/api/workflow/instances/{id}/diagram', op("The BPMN of the instance's own definition version, with its current and completed activities"))
  async diagram(@param.path.string('id') id: string) {
    const instance = await this.visibleInstance(id);
    const def = await this.wf.definitions.get(instance.definition_id);
    if (!def) throw notFound(`no process definition for instance ${id.slice(0, 40)}`);
    const tasks = await this.wf.tasksOf(id);
    const events = await this.wf.timeline(id);
    const active = [...new Set(tasks.filter(t => t.status === 'open').map(t => t.activity_id))];
    const done = new Set(events.filter(e => e.activity_id && (e.type === 'task.completed' || e.type === 'activity.decided' || e.type === 'action.done')).map(e => e.activity_id as string));
    return { key: def.key, version: def.version, name: def.name, xml: def.xml, status: instance.status, active, completed: [...done].filter(a => !active.includes(a)) };
  }

  @get('/api/workflow/attachments/{id}', op('Download an attachment'))
  async attachment(@param.path.string('id') id: string, @inject(RestBindings.Http.RESPONSE) res: Response) {
    const file = UUID.test(id) ? await this.wf.attachment(id) : undefined;
    await this.who({ resource: 'self', action: 'read' });
    if (!file) throw notFound(`no attachment ${id.slice(0, 40)}`);
    await this.visibleInstance(file.instance_id);
    res.setHeader('content-type', file.media_type);
    res.setHeader('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`);
    res.end(file.content);
    return res;
  }

  @get('/api/workflow/tasks', op('My tasks (view=mine), tasks I may claim (view=claimable) or tasks I decided (view=done)'))
  async inbox(@param.query.string('view') view = 'mine', @param.query.integer('limit') limit?: number) {
    if (view !== 'mine' && view !== 'claimable' && view !== 'done') throw badRequest('view must be mine, claimable or done', [{ field: 'view', rule: 'enum', message: 'mine, claimable or done', value: String(view).slice(0, 20) }]);
    const who = await this.who({ resource: 'self', action: 'read' });
    return (await this.wf.inbox(who, view, limit)).map(t => ({ ...presentTask(t), instanceTitle: t.instance_title, processKey: t.definition_key, requestedBy: t.started_by }));
  }

  @get('/api/workflow/subjects/{kind}/{id}/instances', op('The cases about a metadata item (standard drafting), newest first, with their open steps'))
  async subjectCases(@param.path.string('kind') kind: string, @param.path.string('id') id: string) {
    if (!SUBJECT_KINDS.includes(kind)) throw badRequest('kind must be data-element, value-domain or dataset', [{ field: 'kind', rule: 'enum', message: SUBJECT_KINDS.join(', '), value: kind.slice(0, 40) }]);
    // Whoever may read the item may see where its standard stands; the case record itself stays with its participants.
    const who = await this.who({ resource: `meta:${kind}`, action: 'read' });
    if (!UUID.test(id)) return [];
    const cases = await this.wf.casesOf(id);
    return Promise.all(cases.map(async i => {
      const open = (await this.wf.tasksOf(i.id)).filter(t => t.status === 'open');
      return {
        id: i.id, processKey: i.definition_key, title: i.title, status: i.status, startedBy: i.started_by, startedAt: `${i.started_at}Z`,
        endedAt: i.ended_at ? `${i.ended_at}Z` : null, nextTimerAt: i.next_timer_at ? `${i.next_timer_at}Z` : null,
        outcome: typeof i.variables.outcome === 'string' ? i.variables.outcome : null,
        steps: [...new Map(open.map(t => [t.activity_id, { activityId: t.activity_id, name: t.name }])).values()],
        openTasks: open.map(presentTask),
        participant: await this.wf.participates(i.id, who),
      };
    }));
  }

  @get('/api/workflow/people', op('Active accounts to pick (delegate to, reviewers): username, display name, institution'))
  async people(@param.query.string('q') q?: string, @param.query.string('role') role?: string) {
    await this.who({ resource: 'self', action: 'read' });
    if (role !== undefined && !/^[a-z][a-z0-9-]{0,59}$/.test(role)) throw badRequest('invalid role', [{ field: 'role', rule: 'pattern', message: 'a role code', value: String(role).slice(0, 60) }]);
    const rows = await this.wf.people(typeof q === 'string' && q.trim() ? q.trim().slice(0, 100) : undefined, role);
    return rows.map(u => ({ username: u.username, displayName: u.display_name, orgCode: u.org_code }));
  }

  @get('/api/workflow/tasks/{id}', op('One task'))
  async task(@param.path.string('id') id: string) {
    const who = await this.who({ resource: 'self', action: 'read' });
    const task = UUID.test(id) ? await this.wf.task(id) : undefined;
    if (!task || !(await this.mayRead(task.instance_id, who))) throw notFound(`no task ${id.slice(0, 40)}`);
    // What the step offers (its decisions, the screen of its form), for those who cannot read definitions.
    const instance = await this.wf.instance(task.instance_id);
    const cfg = instance && (await this.wf.definitions.get(instance.definition_id))?.config.userTasks[task.activity_id];
    return { ...presentTask(task), decisions: cfg?.decisions ?? null, screen: cfg?.screen ?? null };
  }

  @post('/api/workflow/tasks/{id}/claim', op('Claim a task offered to one of my roles'))
  async claim(@param.path.string('id') id: string) {
    const who = await this.who({ resource: 'self', action: 'update' });
    return presentTask(await this.wf.claim(this.taskId(id), who));
  }

  @post('/api/workflow/tasks/{id}/complete', op('Approve, reject or return a task, with a comment and attachments'))
  async complete(@param.path.string('id') id: string, @requestBody(anyObject) body: CompleteInput) {
    const who = await this.who({ resource: 'self', action: 'update' });
    const { task, instance, tasks } = await this.wf.complete(this.taskId(id), body ?? ({} as CompleteInput), who);
    return { task: presentTask(task), instance: presentInstance(instance), next: tasks.map(presentTask) };
  }

  @post('/api/workflow/tasks/{id}/delegate', op('Hand my task to another user'))
  async delegate(@param.path.string('id') id: string, @requestBody(anyObject) body: { to: string; comment?: string }) {
    const who = await this.who({ resource: 'self', action: 'update' });
    return presentTask(await this.wf.delegate(this.taskId(id), body?.to, typeof body?.comment === 'string' ? body.comment.slice(0, 4000) : undefined, who));
  }

  @get('/api/workflow/notifications', op('My in-app notifications, newest first'))
  async notifications(@param.query.boolean('unread') unread?: boolean) {
    const who = await this.who({ resource: 'self', action: 'read' });
    return (await this.wf.notifications(who.username, unread === true)).map(n => ({
      id: n.id, instanceId: n.instance_id, taskId: n.task_id, template: n.template, title: n.title, body: n.body,
      createdAt: `${n.created_at}Z`, readAt: n.read_at ? `${n.read_at}Z` : null,
    }));
  }

  @post('/api/workflow/notifications/{id}/read', op('Mark a notification read'))
  async read(@param.path.string('id') id: string) {
    const who = await this.who({ resource: 'self', action: 'update' });
    if (!UUID.test(id) || !(await this.wf.markRead(who.username, id))) throw notFound(`no unread notification ${id.slice(0, 40)}`);
    return { id, read: true };
  }

  @put('/api/workflow/templates/{key}', op('Replace a notification template (handlebars)'))
  async template(@param.path.string('key') key: string, @requestBody(anyObject) body: { title: string; body: string }) {
    const who = await this.who({ resource: 'workflow:definitions', action: 'update' });
    if (!/^[a-z][a-z0-9-]{1,59}$/.test(key)) throw badRequest('invalid template key', [{ field: 'key', rule: 'pattern', message: 'lower-case letters, digits and -' }]);
    for (const field of ['title', 'body'] as const) {
      const text = body?.[field];
      if (typeof text !== 'string' || !text.trim() || text.length > 4000) throw badRequest(`${field} is required`, [{ field, rule: 'required', message: '1–4000 characters' }]);
      try {
        this.wf.templates.check(text);
      } catch (err) {
        throw badRequest(`${field} is not a valid template`, [{ field, rule: 'handlebars', message: (err as Error).message.slice(0, 300) }]);
      }
    }
    await this.wf.db.transaction(async tx => {
      await this.wf.templates.save(tx, key, body.title, body.body, who.username);
      await this.wf.audit.record(tx, { actor: who.username, clientIp: who.clientIp, action: 'workflow.template.update', resource: 'workflow:definitions', recordId: key });
    });
    return { key, title: body.title, body: body.body };
  }

  @get('/api/workflow/publish-gate', op('Namespaces whose publishing requires an approved process'))
  async publishGate() {
    await this.who({ resource: 'meta:*', action: 'read' });
    return this.gate.namespaces();
  }

  @put('/api/workflow/publish-gate/{namespace}', op('Whether publishing in a namespace requires an approved process'))
  async setPublishGate(@param.path.string('namespace') namespace: string, @requestBody(anyObject) body: { requireApproval: boolean }) {
    const who = await this.who({ resource: 'workflow:definitions', action: 'admin' });
    if (typeof body?.requireApproval !== 'boolean') throw badRequest('requireApproval is a boolean', [{ field: 'requireApproval', rule: 'type', message: 'true or false' }]);
    if (!/^[A-Za-z0-9._-]{1,100}$/.test(namespace)) throw badRequest('invalid namespace', [{ field: 'namespace', rule: 'pattern', message: 'letters, digits, . _ -' }]);
    return this.wf.db.transaction(async tx => {
      const all = await this.gate.set(tx, namespace, body.requireApproval);
      await this.wf.audit.record(tx, { actor: who.username, clientIp: who.clientIp, action: 'workflow.publish-gate', resource: 'workflow:definitions', recordId: namespace, detail: { requireApproval: body.requireApproval } });
      return all;
    });
  }

  @get('/api/workflow/grants', op('Resource grants: mine, or all (workflow:grants read, all=true)'))
  async grantList(@param.query.boolean('all') all?: boolean) {
    const who = await this.who(all ? { resource: 'workflow:grants', action: 'read' } : { resource: 'self', action: 'read' });
    return (await this.grants.list(all ? undefined : who.username)).map(presentGrant);
  }

  @post('/api/workflow/grants/{id}/revoke', op('Revoke a resource grant, with a reason'))
  async revoke(@param.path.string('id') id: string, @requestBody({ ...anyObject, required: false }) body?: { reason?: string }) {
    const who = await this.who({ resource: 'workflow:grants', action: 'update' });
    if (!UUID.test(id)) throw notFound(`no active grant ${id.slice(0, 40)}`);
    return presentGrant(await this.grants.revoke(id, who, body?.reason));
  }

  @get('/api/workflow/applications', op('My applications for open-data resources with their state (in approval, granted, expired, revoked, rejected)'))
  async applications() {
    const who = await this.who({ resource: 'self', action: 'read' });
    return this.resources.applications(who.username);
  }

  @get('/api/workflow/resource-datasets', op('Live datasets and their columns, to make a resource of'))
  async resourceDatasets() {
    await this.who({ resource: 'workflow:resources', action: 'update' });
    return this.resources.datasets();
  }

  @get('/api/workflow/resources', op('The open-data catalogue (search with q)'))
  async catalogue(@param.query.string('q') q?: string) {
    await this.who({ resource: 'self', action: 'read' });
    return (await this.resources.search(typeof q === 'string' ? q.slice(0, 100) : undefined)).map(r => presentResource(r, this.resources.describe(r.dataset_code)));
  }

  @get('/api/workflow/resources/{code}', op('One open-data resource'))
  async resource(@param.path.string('code') code: string) {
    await this.who({ resource: 'self', action: 'read' });
    const row = await this.resources.get(code);
    if (!row) throw notFound(`no resource ${code.slice(0, 100)}`);
    return presentResource(row, this.resources.describe(row.dataset_code));
  }

  @get('/api/workflow/resources/{code}/versions', op('Every version of an open-data resource, newest first'))
  async resourceVersions(@param.path.string('code') code: string) {
    await this.who({ resource: 'self', action: 'read' });
    const rows = await this.resources.versions(code);
    if (!rows.length) throw notFound(`no resource ${code.slice(0, 100)}`);
    return rows.map(r => presentResource(r, this.resources.describe(r.dataset_code)));
  }

  @put('/api/workflow/resources/{code}', op('Create an open-data resource or save its next version'))
  async saveResource(@param.path.string('code') code: string, @requestBody(anyObject) body: ResourceInput) {
    const who = await this.who({ resource: 'workflow:resources', action: 'update' });
    const saved = await this.resources.save(code, body ?? ({} as ResourceInput), who);
    return presentResource(saved, this.resources.describe(saved.dataset_code));
  }

  @post('/api/workflow/resources/{code}/apply', op('Apply for a resource: purpose, fields, period (starts resource-approval)'))
  async apply(@param.path.string('code') code: string, @requestBody(anyObject) body: { purpose: string; fields?: string[]; periodDays?: number }) {
    const who = await this.who({ resource: 'workflow:start:resource-approval', action: 'create' });
    const { instance, tasks } = await this.resources.apply(code, body, who);
    return { instance: presentInstance(instance), tasks: tasks.map(presentTask) };
  }

  @get('/api/workflow/resources/{code}/download', op('Download a granted resource as CSV or Excel, masked; audited'))
  async download(@param.path.string('code') code: string, @param.query.string('format') format: string | undefined, @inject(RestBindings.Http.RESPONSE) res: Response) {
    // `xls` is kept as a name for the Excel download, which is now a real .xlsx.
    const fmt = format === 'xls' ? 'xlsx' : format ?? 'csv';
    if (fmt !== 'csv' && fmt !== 'xlsx') throw badRequest('format must be csv or xlsx', [{ field: 'format', rule: 'enum', message: 'csv or xlsx (Excel)', value: String(fmt).slice(0, 10) }]);
    const who = await this.who({ resource: 'self', action: 'read' });
    const file = await this.resources.download(code, fmt, who);
    res.setHeader('content-type', file.type);
    res.setHeader('content-disposition', `attachment; filename="${file.filename}"`);
    res.setHeader('cache-control', 'no-store');
    res.end(file.body);
    return res;
  }

  private taskId(id: string): string {
    if (!UUID.test(id)) throw notFound(`no task ${id.slice(0, 40)}`);
    return id;
  }

  private async who(access: AccessRequest): Promise<Who> {
    const grant = await this.guard.check(this.request, access);
    const p = grant.principal as Principal | undefined;
    const { actor, clientIp } = requestActor(this.request, grant);
    return { username: actor, roles: p?.roles ?? [], orgCode: p?.orgCode ?? null, clientIp };
  }

  private async mayRead(instanceId: string, who: Who): Promise<boolean> {
    if (await this.wf.participates(instanceId, who)) return true;
    try {
      await this.guard.check(this.request, { resource: 'workflow:instances', action: 'read' });
      return true;
    } catch (err) {
      if (err instanceof ApiError && err.statusCode === 403) return false;
      throw err;
    }
  }

  private async visibleInstance(id: string) {
    const who = await this.who({ resource: 'self', action: 'read' });
    const instance = UUID.test(id) ? await this.wf.instance(id) : undefined;
    // Not visible and not existing look the same.
    if (!instance || !(await this.mayRead(id, who))) throw notFound(`no process instance ${id.slice(0, 40)}`);
    return instance;
  }
}

function presentInstance(i: import('../workflow').InstanceRow) {
  return {
    id: i.id, processKey: i.definition_key, processVersion: i.definition_version, businessKey: i.business_key, title: i.title, status: i.status,
    variables: i.variables, startedBy: i.started_by, starterOrg: i.starter_org, startedAt: `${i.started_at}Z`, updatedAt: `${i.updated_at}Z`,
    endedAt: i.ended_at ? `${i.ended_at}Z` : null, nextTimerAt: i.next_timer_at ? `${i.next_timer_at}Z` : null,
  };
}

function presentTask(t: import('../workflow').TaskRow) {
  return {
    id: t.id, instanceId: t.instance_id, activityId: t.activity_id, name: t.name, assignee: t.assignee, candidateRoles: t.candidate_roles,
    orgCode: t.org_code, approval: t.approval, status: t.status, decision: t.decision, comment: t.comment, completedBy: t.completed_by,
    completedAt: t.completed_at ? `${t.completed_at}Z` : null, delegatedFrom: t.delegated_from, dueAt: t.due_at ? `${t.due_at}Z` : null,
    createdAt: `${t.created_at}Z`,
  };
}

function presentGrant(g: GrantRow) {
  return {
    id: g.id, resourceId: g.resource_id, username: g.username, fields: g.fields, purpose: g.purpose, instanceId: g.instance_id,
    grantedAt: `${g.granted_at}Z`, expiresAt: `${g.expires_at}Z`, revokedAt: g.revoked_at ? `${g.revoked_at}Z` : null, revokedBy: g.revoked_by,
    revokeReason: g.revoke_reason, state: g.revoked_at ? 'revoked' : Date.parse(`${g.expires_at}Z`) <= Date.now() ? 'expired' : 'active',
  };
}

function presentResource(r: ResourceRow, about?: { datasetName: string; fieldTitles: Record<string, string> }) {
  return {
    datasetName: about?.datasetName ?? null, fieldTitles: Object.fromEntries(r.fields.map(f => [f, about?.fieldTitles[f] ?? f])),
    code: r.code, version: r.version, name: r.name, description: r.description, datasetCode: r.dataset_code, fields: r.fields,
    rowFilter: r.row_filter, clearance: r.clearance, owner: r.owner, updatedBy: r.updated_by, updatedAt: `${r.updated_at}Z`,
  };
}
