import { inject } from '@loopback/core';
import { OperationObject, Request, RequestBodyObject, Response, RestBindings, del, get, param, patch, post, requestBody } from '@loopback/rest';
import { requestActor } from '../audit/writer';
import { AccessRequest, RequestGuard } from '../extension-points';
import type { MappingService } from '../mapping/service';
import { MAX_UPLOAD, uploadFrom } from '../mapping/parse';
import type { Principal } from '../security/authz/principal';
import { badRequest } from '../util/errors';
import { readBody } from '../util/http';
import type { Who } from '../workflow';
import { LingshuBindings } from './keys';

const op = (summary: string): OperationObject => ({ summary, tags: ['mapping'], responses: { '200': { description: summary } } });
const accepted = (summary: string): OperationObject => ({ summary, tags: ['mapping'], responses: { '202': { description: summary } } });
const anyObject: Partial<RequestBodyObject> = { content: { 'application/json': { schema: { type: 'object', additionalProperties: true } } } };
const STREAM = { 'x-parser': 'stream' };
/** A file as the raw body (CSV, TSV, XLSX, JSON Lines) or multipart/form-data; no schema (LoopBack would validate the stream). */
const fileBody: RequestBodyObject = {
  description: 'the file as the request body, or multipart/form-data with one file part',
  content: {
    'text/csv': STREAM, 'text/tab-separated-values': STREAM, 'text/plain': STREAM, 'application/octet-stream': STREAM, 'application/x-ndjson': STREAM,
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': STREAM, 'multipart/form-data': STREAM, 'application/json': STREAM,
  },
};
const M = '/api/mapping';

/**
 * Master-data mapping (issue 6): vocabularies, source dictionaries, tasks, review, knowledge base
 * and translate. Permissions: mapping:vocabularies, mapping:dictionaries, mapping:tasks,
 * mapping:knowledge, mapping:translate (see docs/mapping-api.md).
 */
export class MappingController {
  constructor(
    @inject(LingshuBindings.MAPPING) private readonly mapping: MappingService,
    @inject(LingshuBindings.GUARD) private readonly guard: RequestGuard,
    @inject(RestBindings.Http.REQUEST) private readonly request: Request,
    @inject(RestBindings.Http.RESPONSE) private readonly response: Response,
  ) {}

  // ---- engine status

  @get(`${M}/status`, op('The suggester: whether the neural-similarity stage is active and with which model (file name and hash)'))
  async status() {
    await this.who({ resource: 'mapping:vocabularies', action: 'read' });
    return this.mapping.status();
  }

  // ---- vocabularies

  @get(`${M}/vocabularies`, op('Standard vocabularies (code tables attached to value domains)'))
  async vocabularies() {
    await this.who({ resource: 'mapping:vocabularies', action: 'read' });
    return this.mapping.listVocabularies();
  }

  @post(`${M}/vocabularies`, op('Create a vocabulary (no terms yet)'))
  async createVocabulary(@requestBody(anyObject) body: Record<string, unknown>) {
    const who = await this.who({ resource: 'mapping:vocabularies', action: 'create' });
    return this.mapping.createVocabulary(body ?? {}, who);
  }

  @patch(`${M}/vocabularies/{code}`, op('Rename a vocabulary or set its auto-accept band'))
  async updateVocabulary(@param.path.string('code') code: string, @requestBody(anyObject) body: Record<string, unknown>) {
    const who = await this.who({ resource: 'mapping:vocabularies', action: 'update' });
    return this.mapping.updateVocabulary(code, body ?? {}, who);
  }

  @del(`${M}/vocabularies/{code}`, op('Delete a vocabulary and its terms (409 while dictionaries or confirmed mappings use it)'))
  async deleteVocabulary(@param.path.string('code') code: string) {
    const who = await this.who({ resource: 'mapping:vocabularies', action: 'delete' });
    return this.mapping.deleteVocabulary(code, who);
  }

  @post(`${M}/vocabularies/{code}/import`, accepted('Import a code table (CSV, TSV, XLSX) as the next version: checked now, written by a job'))
  async importVocabulary(
    @param.path.string('code') code: string,
    @requestBody(fileBody) body: Request,
    @param.query.string('format') format?: string,
    @param.query.string('codeColumn') codeColumn?: string,
    @param.query.string('nameColumn') nameColumn?: string,
    @param.query.string('aliasColumn') aliasColumn?: string,
    @param.query.string('name') name?: string,
    @param.query.string('domain') domain?: string,
  ) {
    const who = await this.who({ resource: 'mapping:vocabularies', action: 'create' });
    const upload = uploadFrom(await readBody(body, MAX_UPLOAD), this.request.headers['content-type']);
    const result = await this.mapping.startImport(code, upload, { format, codeColumn, nameColumn, aliasColumn, name, domain }, who);
    this.response.status(202);
    return result;
  }

  @get(`${M}/vocabularies/{code}/terms`, op('Search a vocabulary by code prefix or name'))
  async terms(@param.path.string('code') code: string, @param.query.string('q') q?: string, @param.query.string('limit') limit?: string) {
    await this.who({ resource: 'mapping:vocabularies', action: 'read' });
    return this.mapping.searchTerms(code, q, this.int('limit', limit) ?? 20);
  }

  // ---- dictionaries

  @get(`${M}/dictionaries`, op('Source dictionaries of the institutions'))
  async dictionaries(@param.query.string('institution') institution?: string, @param.query.string('kind') kind?: string) {
    const who = await this.who({ resource: 'mapping:dictionaries', action: 'read' });
    return this.mapping.listDictionaries({ institution: institution || undefined, kind: kind || undefined }, who);
  }

  @post(`${M}/dictionaries`, op('Create a source dictionary (and its mapping task)'))
  async createDictionary(@requestBody(anyObject) body: Record<string, unknown>) {
    const who = await this.who({ resource: 'mapping:dictionaries', action: 'create' });
    return this.mapping.createDictionary(body ?? {}, who);
  }

  @patch(`${M}/dictionaries/{id}`, op('Rename a dictionary, set its second check or auto-accept band'))
  async updateDictionary(@param.path.string('id') id: string, @requestBody(anyObject) body: Record<string, unknown>) {
    const who = await this.who({ resource: 'mapping:dictionaries', action: 'update' });
    return this.mapping.updateDictionary(id, body ?? {}, who);
  }

  @del(`${M}/dictionaries/{id}`, op('Delete a dictionary with its loads, entries and task (confirmed knowledge stays)'))
  async deleteDictionary(@param.path.string('id') id: string) {
    const who = await this.who({ resource: 'mapping:dictionaries', action: 'delete' });
    return this.mapping.deleteDictionary(id, who);
  }

  @post(`${M}/dictionaries/{id}/loads`, op('Load the dictionary (JSON {entries} or a CSV/TSV/XLSX file) as its next version, with change detection'))
  async load(@param.path.string('id') id: string, @requestBody(fileBody) body: Request, @param.query.string('format') format?: string) {
    const who = await this.who({ resource: 'mapping:dictionaries', action: 'update' });
    await this.mapping.dictionaryFor(id, who);
    const type = this.request.headers['content-type'] ?? '';
    const raw = await readBody(body, MAX_UPLOAD);
    let entries;
    if (/^application\/json\b/i.test(type)) {
      let json: unknown;
      try {
        json = JSON.parse(raw.toString('utf8'));
      } catch (err) {
        throw badRequest(`the request body is not valid JSON: ${(err as Error).message}`, [{ rule: 'json', message: (err as Error).message }]);
      }
      entries = this.mapping.entriesOf({ content: raw, json }, format);
    } else entries = this.mapping.entriesOf(uploadFrom(raw, type), format);
    return this.mapping.loadDictionary(id, entries, who);
  }

  @get(`${M}/dictionaries/{id}/loads`, op('The loads (versions) of a dictionary'))
  async loads(@param.path.string('id') id: string) {
    const who = await this.who({ resource: 'mapping:dictionaries', action: 'read' });
    return this.mapping.loads(id, who);
  }

  @get(`${M}/dictionaries/{id}/loads/{version}/changes`, op('What a load added, changed and removed'))
  async changes(@param.path.string('id') id: string, @param.path.string('version') version: string) {
    const who = await this.who({ resource: 'mapping:dictionaries', action: 'read' });
    return this.mapping.changes(id, this.int('version', version) ?? 0, who);
  }

  // ---- tasks

  @get(`${M}/tasks`, op('Mapping tasks with their progress'))
  async tasks(@param.query.string('institution') institution?: string, @param.query.string('status') status?: string, @param.query.string('mine') mine?: string) {
    const who = await this.who({ resource: 'mapping:tasks', action: 'read' });
    if (status && !['open', 'assigned', 'done'].includes(status)) throw badRequest('status must be open, assigned or done', [{ field: 'status', rule: 'enum', message: 'open, assigned or done', value: status.slice(0, 20) }]);
    return this.mapping.listTasks({ institution: institution || undefined, status: status || undefined, assignee: mine === 'true' || mine === '1' ? who.username : undefined }, who);
  }

  @get(`${M}/tasks/{id}`, op('One mapping task'))
  async task(@param.path.string('id') id: string) {
    const who = await this.who({ resource: 'mapping:tasks', action: 'read' });
    return this.mapping.task(id, who);
  }

  @post(`${M}/tasks/{id}/claim`, op('Claim a task (申领)'))
  async claim(@param.path.string('id') id: string) {
    const who = await this.who({ resource: 'mapping:tasks', action: 'update' });
    return this.mapping.claim(id, who);
  }

  @post(`${M}/tasks/{id}/assign`, op('Assign a task to a user (null releases it)'))
  async assign(@param.path.string('id') id: string, @requestBody(anyObject) body: { user?: unknown }) {
    const who = await this.who({ resource: 'mapping:tasks', action: 'admin' });
    return this.mapping.assign(id, body?.user === undefined ? '' : body.user, who);
  }

  @post(`${M}/tasks/{id}/suggest`, accepted('Compute suggestions for the pending entries (a job)'))
  async suggest(@param.path.string('id') id: string) {
    const who = await this.who({ resource: 'mapping:tasks', action: 'update' });
    const result = await this.mapping.startSuggest(id, who);
    this.response.status(202);
    return result;
  }

  @post(`${M}/tasks/{id}/batch-accept`, op('Accept every proposal at or above a confidence'))
  async batchAccept(@param.path.string('id') id: string, @requestBody(anyObject) body: { threshold?: unknown }) {
    const who = await this.who({ resource: 'mapping:tasks', action: 'update' });
    return this.mapping.batchAccept(id, body?.threshold, who);
  }

  @post(`${M}/tasks/{id}/redo`, op('Redo a set of entries (suggestions recomputed)'))
  async redoMany(@param.path.string('id') id: string, @requestBody(anyObject) body: { entryIds?: unknown }) {
    const who = await this.who({ resource: 'mapping:tasks', action: 'update' });
    return this.mapping.redoMany(id, body?.entryIds, who);
  }

  @get(`${M}/tasks/{id}/entries`, op('The entries of a task with suggestions and mappings'))
  async entries(
    @param.path.string('id') id: string,
    @param.query.string('status') status?: string,
    @param.query.string('q') q?: string,
    @param.query.string('minConfidence') minConfidence?: string,
    @param.query.string('offset') offset?: string,
    @param.query.string('limit') limit?: string,
  ) {
    const who = await this.who({ resource: 'mapping:tasks', action: 'read' });
    const conf = minConfidence === undefined || minConfidence === '' ? undefined : Number(minConfidence);
    if (conf !== undefined && Number.isNaN(conf)) throw badRequest('minConfidence must be a number', [{ field: 'minConfidence', rule: 'type', message: '0..1' }]);
    return this.mapping.entries(id, { status: status || undefined, q: q || undefined, minConfidence: conf, offset: this.int('offset', offset), limit: this.int('limit', limit) }, who);
  }

  @get(`${M}/progress`, op('Standardization progress across institutions and kinds'))
  async progress() {
    const who = await this.who({ resource: 'mapping:tasks', action: 'read' });
    return this.mapping.progress(who);
  }

  // ---- entries

  @get(`${M}/entries/{id}`, op('One entry'))
  async entry(@param.path.string('id') id: string) {
    const who = await this.who({ resource: 'mapping:tasks', action: 'read' });
    return this.mapping.entry(id, who);
  }

  @post(`${M}/entries/{id}/confirm`, op('Confirm the standard code(s) of an entry'))
  async confirm(@param.path.string('id') id: string, @requestBody(anyObject) body: { codes?: unknown }) {
    const who = await this.who({ resource: 'mapping:tasks', action: 'update' });
    return this.mapping.confirm(id, body?.codes, who);
  }

  @post(`${M}/entries/{id}/unmappable`, op('Mark an entry as having no standard code'))
  async unmappable(@param.path.string('id') id: string, @requestBody(anyObject) body: { reason?: unknown }) {
    const who = await this.who({ resource: 'mapping:tasks', action: 'update' });
    return this.mapping.unmappable(id, body?.reason, who);
  }

  @post(`${M}/entries/{id}/redo`, op('Drop the mapping and compute the suggestions again'))
  async redo(@param.path.string('id') id: string) {
    const who = await this.who({ resource: 'mapping:tasks', action: 'update' });
    return this.mapping.redo(id, who);
  }

  @get(`${M}/entries/{id}/history`, op('What happened to an entry'))
  async history(@param.path.string('id') id: string) {
    const who = await this.who({ resource: 'mapping:tasks', action: 'read' });
    return this.mapping.history(id, who);
  }

  // ---- knowledge base

  @get(`${M}/knowledge`, op('Confirmed mappings (the knowledge base), newest first, searchable and paged'))
  async knowledge(
    @param.query.string('q') q?: string,
    @param.query.string('institution') institution?: string,
    @param.query.string('vocabulary') vocabulary?: string,
    @param.query.string('offset') offset?: string,
    @param.query.string('limit') limit?: string,
  ) {
    const who = await this.who({ resource: 'mapping:knowledge', action: 'read' });
    return this.mapping.listKnowledge({ q: q || undefined, institution: institution || undefined, vocabulary: vocabulary || undefined, offset: this.int('offset', offset), limit: this.int('limit', limit) }, who);
  }

  @get(`${M}/knowledge/export`, { summary: 'The knowledge base as JSON Lines', tags: ['mapping'], responses: { '200': { description: 'JSON Lines', content: { 'application/x-ndjson': { schema: { type: 'string' } } } } } })
  async exportKnowledge(): Promise<Response> {
    const who = await this.who({ resource: 'mapping:knowledge', action: 'read' });
    const text = await this.mapping.exportKnowledge(who);
    this.response.writeHead(200, {
      'content-type': 'application/x-ndjson; charset=utf-8',
      'content-disposition': `attachment; filename="mapping-knowledge-${new Date().toISOString().slice(0, 10)}.jsonl"`,
      'content-length': Buffer.byteLength(text),
      'cache-control': 'no-store',
    });
    this.response.end(text);
    return this.response;
  }

  @post(`${M}/knowledge/import`, op('Import confirmations (JSON Lines as exported); all or nothing'))
  async importKnowledge(@requestBody(fileBody) body: Request) {
    const who = await this.who({ resource: 'mapping:knowledge', action: 'create' });
    const upload = uploadFrom(await readBody(body, MAX_UPLOAD), this.request.headers['content-type']);
    return this.mapping.importKnowledge(upload.content.toString('utf8'), who);
  }

  // ---- translate

  @get(`${M}/translate`, op('Local code or text → standard code(s)'))
  async translate(
    @param.query.string('institution') institution?: string,
    @param.query.string('dictionary') dictionary?: string,
    @param.query.string('code') code?: string,
    @param.query.string('text') text?: string,
  ) {
    const who = await this.who({ resource: 'mapping:translate', action: 'read' });
    this.translateArgs(institution, dictionary, [{ code, text }], true);
    return this.mapping.translate(institution!, dictionary!, { code, text }, who);
  }

  @post(`${M}/translate`, op('Translate up to 1000 local codes or texts'))
  async translateMany(@requestBody(anyObject) body: { institution?: unknown; dictionary?: unknown; items?: unknown }) {
    const who = await this.who({ resource: 'mapping:translate', action: 'read' });
    const items = this.translateArgs(body?.institution, body?.dictionary, body?.items);
    return this.mapping.translateMany(body.institution as string, body.dictionary as string, items, who);
  }

  private translateArgs(institution: unknown, dictionary: unknown, items: unknown, single = false): Array<{ code?: string; text?: string }> {
    const issues: Array<{ field: string; rule: string; message: string; index?: number }> = [];
    if (typeof institution !== 'string' || !institution) issues.push({ field: 'institution', rule: 'required', message: 'the institution code' });
    if (typeof dictionary !== 'string' || !dictionary) issues.push({ field: 'dictionary', rule: 'required', message: 'a dictionary id or kind' });
    if (!Array.isArray(items) || items.length === 0) issues.push({ field: 'items', rule: 'required', message: 'one or more {code?, text?}' });
    else if (items.length > 1000) issues.push({ field: 'items', rule: 'maxItems', message: 'at most 1000 items' });
    else {
      items.forEach((item: { code?: unknown; text?: unknown }, i) => {
        const ok = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.length <= 500);
        const code = item?.code;
        const text = item?.text;
        if (!ok(code) || !ok(text)) issues.push({ field: `items[${i}]`, index: i, rule: 'type', message: 'code and text are strings of at most 500 characters' });
        else if (!code && !text) issues.push({ field: single ? 'code' : `items[${i}]`, index: i, rule: 'required', message: 'a local code or a text' });
      });
    }
    if (issues.length) throw badRequest('invalid translate request', issues);
    return (items as Array<{ code?: string; text?: string }>).map(i => ({ code: i.code ?? undefined, text: i.text ?? undefined }));
  }

  private int(field: string, v: string | undefined): number | undefined {
    if (v === undefined || v === '') return undefined;
    if (!/^-?\d+$/.test(v)) throw badRequest(`${field} must be a whole number`, [{ field, rule: 'type', message: 'a whole number', value: v.slice(0, 20) }]);
    return Number(v);
  }

  private async who(access: AccessRequest): Promise<Who> {
    const grant = await this.guard.check(this.request, access);
    const p = grant.principal as Principal | undefined;
    const { actor, clientIp } = requestActor(this.request, grant);
    return { username: actor, roles: p?.roles ?? [], orgCode: p?.orgCode ?? null, clientIp };
  }
}
