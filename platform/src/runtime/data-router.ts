import { IncomingMessage, ServerResponse } from 'node:http';
import type { AuditQueue } from '../audit/queue';
import { requestActor } from '../audit/writer';
import { AccessRequest, RequestGuard } from '../extension-points';
import { ApiError, badRequest, notFound } from '../util/errors';
import { readJson, sendError, sendJson } from '../util/http';
import { DataService } from './data-service';
import { DatasetRuntime } from './dataset-runtime';
import { Filter, fieldsOf } from './filter';
import { DatasetRegistry } from './registry';

export const DATA_PREFIX = '/api/data';
const RECORD_BODY_LIMIT = 1024 * 1024;
const BULK_BODY_LIMIT = 256 * 1024 * 1024;
const SHORTHAND = new Set(['limit', 'offset', 'skip', 'order', 'fields']);

/**
 * The generated dataset APIs. This is the hot path, so it is a plain function of the compiled
 * runtime: parse → guard → validate → one statement → serialize, with no per-request container.
 * LoopBack still owns the contract: the spec enhancer publishes these routes in /openapi.json.
 */
export class DataRouter {
  constructor(
    private readonly registry: DatasetRegistry,
    private readonly data: DataService,
    private readonly guard: RequestGuard,
    /** Where reads of personal data are recorded; absent only in tests of the bare runtime. */
    private readonly reads?: AuditQueue,
  ) {}

  matches(url: string): boolean {
    return url.startsWith(DATA_PREFIX) && (url.length === DATA_PREFIX.length || url[DATA_PREFIX.length] === '/' || url[DATA_PREFIX.length] === '?');
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    this.route(req, res).catch(err => sendError(res, err));
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    const qIndex = url.indexOf('?');
    const path = qIndex < 0 ? url : url.slice(0, qIndex);
    const query = new URLSearchParams(qIndex < 0 ? '' : url.slice(qIndex + 1));
    const segments = path.slice(DATA_PREFIX.length + 1).split('/').filter(Boolean).map(decodeSegment);
    const method = req.method ?? 'GET';
    if (segments.length === 0) return this.catalog(req, res);
    const rt = this.registry.get(segments[0]);
    if (!rt) throw notFound(`no published dataset "${segments[0].slice(0, 60)}"`);
    const sub = segments[1];
    if (segments.length > 2) throw notFound(`no route ${method} ${path.slice(0, 200)}`);
    if (sub === undefined) {
      if (method === 'GET') return this.find(req, res, rt, query);
      if (method === 'POST') return this.create(req, res, rt);
    } else if (sub === 'count' && method === 'GET') {
      return this.count(req, res, rt, query);
    } else if (sub === 'bulk' && method === 'POST') {
      return this.bulk(req, res, rt);
    } else {
      if (method === 'GET') return this.findById(req, res, rt, sub);
      if (method === 'PUT') return this.replace(req, res, rt, sub);
      if (method === 'PATCH') return this.update(req, res, rt, sub);
      if (method === 'DELETE') return this.remove(req, res, rt, sub);
    }
    throw new ApiError(405, 'MethodNotAllowed', `${method} is not allowed on ${path.slice(0, 200)}`);
  }

  private async catalog(req: IncomingMessage, res: ServerResponse) {
    await this.guard.check(req, { resource: 'data', action: 'read' });
    const list = this.registry.list().map(rt => ({ code: rt.code, name: rt.name, version: rt.version, path: `${DATA_PREFIX}/${rt.code}` }));
    sendJson(res, 200, list);
  }

  private async findById(req: IncomingMessage, res: ServerResponse, rt: DatasetRuntime, id: string) {
    const { by, policy, identified } = await this.access(req, rt, 'read');
    const row = await this.data.findById(rt, id, policy);
    if (rt.personal && identified) this.reads?.noteRead({ ...by, action: 'data.read', resource: rt.auditResource }, [row.id]);
    sendJson(res, 200, row);
  }

  private async find(req: IncomingMessage, res: ServerResponse, rt: DatasetRuntime, query: URLSearchParams) {
    const { by, policy, identified } = await this.access(req, rt, 'read');
    const filter = filterFrom(query);
    const rows = await this.data.find(rt, filter, policy);
    if (rt.personal && identified) this.reads?.noteRead({ ...by, action: 'data.query', resource: rt.auditResource }, rows.map(r => r.id), filteredFields(filter));
    sendJson(res, 200, rows);
  }

  private async count(req: IncomingMessage, res: ServerResponse, rt: DatasetRuntime, query: URLSearchParams) {
    const { policy } = await this.access(req, rt, 'read');
    const filter = filterFrom(query);
    const where = query.has('where') ? parseJsonParam(query.get('where')!, 'where') : filter.where;
    sendJson(res, 200, { count: await this.data.count(rt, where as Filter['where'], policy) });
  }

  private async create(req: IncomingMessage, res: ServerResponse, rt: DatasetRuntime) {
    const { by, policy } = await this.access(req, rt, 'create');
    const row = await this.data.create(rt, await readJson(req, RECORD_BODY_LIMIT), by, policy);
    sendJson(res, 201, row, { location: `${DATA_PREFIX}/${rt.code}/${row.id}` });
  }

  private async bulk(req: IncomingMessage, res: ServerResponse, rt: DatasetRuntime) {
    const { by, policy } = await this.access(req, rt, 'create');
    const result = await this.data.bulkCreate(rt, await readJson(req, BULK_BODY_LIMIT), by, policy);
    sendJson(res, 201, result);
  }

  private async replace(req: IncomingMessage, res: ServerResponse, rt: DatasetRuntime, id: string) {
    const { by, policy } = await this.access(req, rt, 'update');
    sendJson(res, 200, await this.data.replace(rt, id, await readJson(req, RECORD_BODY_LIMIT), by, policy));
  }

  private async update(req: IncomingMessage, res: ServerResponse, rt: DatasetRuntime, id: string) {
    const { by, policy } = await this.access(req, rt, 'update');
    sendJson(res, 200, await this.data.update(rt, id, await readJson(req, RECORD_BODY_LIMIT), by, policy));
  }

  private async remove(req: IncomingMessage, res: ServerResponse, rt: DatasetRuntime, id: string) {
    const { by, policy } = await this.access(req, rt, 'delete');
    await this.data.remove(rt, id, by, policy);
    res.writeHead(204).end();
  }

  /** Passes the guard: who acts and from where (for the audit row), and what they may see. */
  private async access(req: IncomingMessage, rt: DatasetRuntime, action: AccessRequest['action']) {
    const grant = await this.guard.check(req, { resource: `data:${rt.code}`, action });
    const policy = grant.dataPolicy ? await grant.dataPolicy(rt) : undefined;
    // The open guard (benchmarks, demos) identifies nobody: there is no reader to record.
    return { by: requestActor(req, grant), policy, identified: grant.principal !== undefined };
  }
}

/** The fields a query filtered on, for the audit trail (never the values: they may be personal data). */
function filteredFields(filter: Filter): string[] {
  return [...fieldsOf(filter.where)].sort();
}

/**
 * `?filter={…}` (LoopBack's JSON filter) plus shorthands: `limit`, `offset`/`skip`, `order`,
 * `fields`, and `<field>=<value>` for equality.
 */
export function filterFrom(query: URLSearchParams): Filter {
  const raw = query.get('filter');
  const filter: Filter = raw ? (parseJsonParam(raw, 'filter') as Filter) : {};
  if (typeof filter !== 'object' || filter === null || Array.isArray(filter)) throw badRequest('filter must be a JSON object');
  const where: Record<string, unknown> = { ...(filter.where ?? {}) };
  for (const [key, value] of query) {
    if (key === 'filter' || key === 'where') continue;
    if (key === 'limit' || key === 'offset' || key === 'skip') filter[key] = intParam(key, value);
    else if (key === 'order') filter.order = value;
    else if (key === 'fields') filter.fields = value.split(',');
    else if (!SHORTHAND.has(key)) where[key] = value;
  }
  if (Object.keys(where).length > 0) filter.where = where;
  return filter;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw badRequest('the path is not valid percent-encoding', [{ rule: 'path', message: `malformed segment "${segment.slice(0, 40)}"` }]);
  }
}

function intParam(name: string, value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) {
    throw badRequest(`${name} must be a non-negative integer`, [{ field: name, rule: 'type', message: `${name} must be a non-negative integer`, value: value.slice(0, 40) }]);
  }
  return n;
}

function parseJsonParam(text: string, name: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw badRequest(`${name} is not valid JSON: ${(err as Error).message}`, [{ field: name, rule: 'json', message: (err as Error).message }]);
  }
}
