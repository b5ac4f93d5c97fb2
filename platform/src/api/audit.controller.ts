import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { inject } from '@loopback/core';
import { OperationObject, Request, Response, RestBindings, get, param } from '@loopback/rest';
import { AuditQuery, AuditTrail } from '../audit/trail';
import { requestActor } from '../audit/writer';
import { RequestGuard } from '../extension-points';
import { badRequest } from '../util/errors';
import { LingshuBindings } from './keys';

const op = (summary: string): OperationObject => ({ summary, tags: ['audit'], responses: { '200': { description: summary } } });
const csvOp: OperationObject = {
  summary: 'Export the audit trail as CSV (seq order; same filters as the search)',
  tags: ['audit'],
  responses: { '200': { description: 'CSV with a header row', content: { 'text/csv': { schema: { type: 'string' } } } } },
};

/** The auditor's API: search, export and verify the audit trail. Every use is itself audited. */
export class AuditController {
  constructor(
    @inject(LingshuBindings.AUDIT) private readonly trail: AuditTrail,
    @inject(LingshuBindings.GUARD) private readonly guard: RequestGuard,
    @inject(RestBindings.Http.REQUEST) private readonly request: Request,
    @inject(RestBindings.Http.RESPONSE) private readonly response: Response,
  ) {}

  @get('/api/audit', op('Search the audit trail, newest first'))
  async search(
    @param.query.string('actor') actor?: string,
    @param.query.string('action') action?: string,
    @param.query.string('resource', { description: 'resource prefix, e.g. data:person_basic' }) resource?: string,
    @param.query.string('from', { description: 'ISO 8601, inclusive (UTC unless a zone is given)' }) from?: string,
    @param.query.string('to', { description: 'ISO 8601, exclusive' }) to?: string,
    @param.query.string('outcome', { schema: { type: 'string', enum: ['ok', 'denied', 'failed'] } }) outcome?: string,
    @param.query.integer('limit') limit?: number,
    @param.query.integer('offset') offset?: number,
  ) {
    const who = await this.allow();
    const query: AuditQuery = { actor, action, resource, from, to, outcome, limit, offset };
    const rows = await this.trail.search(query);
    await this.trail.recordAccess({ ...who, action: 'audit.search', resource: 'audit', detail: { filters: filtersOf(query), rows: rows.length } });
    return rows;
  }

  @get('/api/audit/export', csvOp)
  async exportCsv(
    @param.query.string('actor') actor?: string,
    @param.query.string('action') action?: string,
    @param.query.string('resource') resource?: string,
    @param.query.string('from') from?: string,
    @param.query.string('to') to?: string,
    @param.query.string('outcome') outcome?: string,
  ): Promise<Response> {
    const who = await this.allow();
    const query: AuditQuery = { actor, action, resource, from, to, outcome };
    const chunks = this.trail.exportCsv(query);
    // The header comes after the filter is checked, so a bad filter is still a 400.
    const header = await chunks.next();
    await this.trail.recordAccess({ ...who, action: 'audit.export', resource: 'audit', detail: { filters: filtersOf(query) } });
    this.response.writeHead(200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="lingshu-audit-${new Date().toISOString().slice(0, 10)}.csv"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    await pipeline(Readable.from(prepend(String(header.value ?? ''), chunks)), this.response);
    return this.response;
  }

  @get('/api/audit/verify', op('Recompute every MAC, the hash chain and the checkpoint signatures'))
  async verify(
    @param.query.integer('anchorSeq', { description: 'head.seq of an earlier verification kept elsewhere' }) anchorSeq?: number,
    @param.query.string('anchorHash', { description: 'head.hash of that verification' }) anchorHash?: string,
  ) {
    const who = await this.allow();
    if ((anchorSeq === undefined) !== (anchorHash === undefined)) {
      throw badRequest('anchorSeq and anchorHash go together', [{ field: 'anchorHash', rule: 'required', message: 'give both or neither' }]);
    }
    const anchor = anchorSeq !== undefined && anchorHash ? { seq: anchorSeq, hash: anchorHash.toLowerCase() } : undefined;
    const result = await this.trail.verify({ anchor });
    const detail = { ok: result.ok, findings: result.findings.length + result.omittedFindings, checked: result.checked };
    await this.trail.recordAccess({ ...who, action: 'audit.verify', resource: 'audit', detail });
    return result;
  }

  private async allow() {
    return requestActor(this.request, await this.guard.check(this.request, { resource: 'audit', action: 'read' }));
  }
}

/** Which filters were used, not their values (an actor name can identify a person). */
function filtersOf(query: AuditQuery): string[] {
  return Object.entries(query).filter(([, v]) => v !== undefined && v !== '').map(([k]) => k);
}

async function* prepend(first: string, rest: AsyncGenerator<string>): AsyncGenerator<string> {
  yield first;
  yield* rest;
}
