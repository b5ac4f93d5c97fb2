import { inject } from '@loopback/core';
import { OperationObject, Request, Response, RestBindings, get, param, post, requestBody } from '@loopback/rest';
import { requestActor } from '../audit/writer';
import { RequestGuard } from '../extension-points';
import { XLSX_TYPE } from '../screens/data-export';
import { MetadataExcel } from '../screens/metadata-excel';
import { ScreenService } from '../screens/screens';
import { badRequest } from '../util/errors';
import { readBody } from '../util/http';
import { LingshuBindings } from './keys';

const op = (summary: string, tags = ['screens']): OperationObject => ({ summary, tags, responses: { '200': { description: summary } } });
const XLSX_LIMIT = 10 * 1024 * 1024;
const NAMESPACE = /^[a-z][a-z0-9-]{1,39}$/;

/** Screens for end users, and data elements to and from Excel in the WS table layout. */
export class ScreensController {
  constructor(
    @inject(LingshuBindings.SCREENS) private readonly screens: ScreenService,
    @inject(LingshuBindings.METADATA_EXCEL) private readonly excel: MetadataExcel,
    @inject(LingshuBindings.GUARD) private readonly guard: RequestGuard,
    @inject(RestBindings.Http.REQUEST) private readonly request: Request,
    @inject(RestBindings.Http.RESPONSE) private readonly response: Response,
  ) {}

  @get('/api/screens/menu', op('Published screens the caller may use and the default screen of each dataset the caller may read, by menu group'))
  async menu() {
    return this.screens.menu(this.request);
  }

  @get('/api/screens/default/{code}', op('The default query screen and form of a published dataset, for the caller'))
  async defaultScreen(@param.path.string('code') code: string) {
    return this.screens.defaultFor(this.request, code);
  }

  @get('/api/screens/{id}', op('A published screen, for the caller'))
  async screen(@param.path.string('id') id: string) {
    return this.screens.published(this.request, id);
  }

  // Under {kind} (data-elements only): a literal /data-elements/ segment would hide the
  // /api/meta/{kind}/{id} routes (LoopBack's trie does not fall back from literals).
  @get('/api/meta/{kind}/export.xlsx', {
    ...op('Data elements in the WS table layout (内部标识符 | 数据元标识符 | 名称 | 定义 | 数据类型 | 表示格式 | 允许值)', ['meta']),
    responses: { '200': { description: 'Excel workbook', content: { [XLSX_TYPE]: { schema: { type: 'string', format: 'binary' } } } } },
  })
  async exportElements(
    @param.path.string('kind') kind: string,
    @param.query.string('namespace') namespace?: string,
    @param.query.string('dataset', { description: 'a dataset code: its inclusions with their internal identifiers' }) dataset?: string,
  ): Promise<Response> {
    onlyDataElements(kind);
    await this.guard.check(this.request, { resource: 'meta:data-element', action: 'read' });
    const file = await this.excel.exportElements({ namespace, datasetCode: dataset });
    this.response.writeHead(200, {
      'content-type': XLSX_TYPE,
      'content-disposition': `attachment; filename="data-elements${dataset ? `-${dataset}` : ''}.xlsx"`,
      'content-length': file.length,
      'cache-control': 'no-store',
    });
    this.response.end(file);
    return this.response;
  }

  @post('/api/meta/{kind}/import.xlsx', op('Import data elements from Excel as drafts (all or nothing; 422 lists every bad row)', ['meta']))
  async importElements(
    @param.path.string('kind') kind: string,
    @param.query.string('namespace', { required: true }) namespace: string,
    @requestBody({
      required: true,
      description: 'the .xlsx file as the request body',
      // No schema: LoopBack would validate the raw stream against it.
      content: { [XLSX_TYPE]: { 'x-parser': 'stream' }, 'application/octet-stream': { 'x-parser': 'stream' } },
    })
    body: Request,
  ) {
    onlyDataElements(kind);
    const actor = requestActor(this.request, await this.guard.check(this.request, { resource: 'meta:data-element', action: 'create' }));
    if (!namespace || !NAMESPACE.test(namespace)) {
      throw badRequest('namespace must be 2-40 characters of a-z, 0-9 and -', [{ field: 'namespace', rule: 'format', message: 'e.g. dazhou' }]);
    }
    return this.excel.importElements(await readXlsx(body), namespace, actor);
  }
}

function onlyDataElements(kind: string): void {
  if (kind !== 'data-elements') {
    throw badRequest('only data elements have an Excel form', [{ field: 'kind', rule: 'enum', message: 'kind must be data-elements' }]);
  }
}

async function readXlsx(req: Request): Promise<Buffer> {
  const body = await readBody(req, XLSX_LIMIT);
  if (body.length === 0) throw badRequest('the request body is empty', [{ field: 'file', rule: 'required', message: 'send the .xlsx file as the body' }]);
  return body;
}
