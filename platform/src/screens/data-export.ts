import { IncomingMessage, ServerResponse } from 'node:http';
import ExcelJS from 'exceljs';
import { AuditWriter, requestActor } from '../audit/writer';
import { Database } from '../database';
import { RequestGuard } from '../extension-points';
import { DataService } from '../runtime/data-service';
import { DatasetRuntime } from '../runtime/dataset-runtime';
import { Filter, MAX_LIMIT } from '../runtime/filter';
import { DATA_PREFIX, filterFrom } from '../runtime/data-router';
import { DatasetRegistry } from '../runtime/registry';
import { ApiError, badRequest, notFound } from '../util/errors';
import { sendError } from '../util/http';

/** Largest export; beyond it the caller narrows the filter (or uses the bulk APIs). */
export const EXPORT_ROW_CAP = 100_000;
const EXPORT_RE = /^\/api\/data\/([^/?]+)\/export\.xlsx(?:\?|$)/;
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * `GET /api/data/{code}/export.xlsx?filter=…`: the query result as an Excel file, through the same
 * guard, row scope and masking as the JSON API, capped at EXPORT_ROW_CAP rows and audited as a
 * read of personal data. Served beside the DataRouter (same prefix), before it.
 */
export class DataExportRouter {
  constructor(
    private readonly db: Database,
    private readonly registry: DatasetRegistry,
    private readonly data: DataService,
    private readonly guard: RequestGuard,
    private readonly auditLog: AuditWriter,
    options: { rowCap?: number; pageSize?: number } = {},
  ) {
    this.rowCap = options.rowCap ?? EXPORT_ROW_CAP;
    this.pageSize = Math.min(options.pageSize ?? MAX_LIMIT, MAX_LIMIT);
  }

  private readonly rowCap: number;
  private readonly pageSize: number;

  matches(url: string): boolean {
    return url.startsWith(`${DATA_PREFIX}/`) && EXPORT_RE.test(url);
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    this.export(req, res).catch(err => {
      if (res.headersSent) res.destroy(err as Error);
      else sendError(res, err);
    });
  }

  private async export(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET') throw new ApiError(405, 'MethodNotAllowed', `${req.method} is not allowed on an export`);
    const url = req.url ?? '';
    const code = decodeCode(EXPORT_RE.exec(url)![1]);
    const rt = this.registry.get(code);
    if (!rt) throw notFound(`no published dataset "${code.slice(0, 60)}"`);
    const grant = await this.guard.check(req, { resource: `data:${rt.code}`, action: 'read' });
    const policy = grant.dataPolicy ? await grant.dataPolicy(rt) : undefined;
    const qIndex = url.indexOf('?');
    const filter = filterFrom(new URLSearchParams(qIndex < 0 ? '' : url.slice(qIndex + 1)));
    if (filter.limit !== undefined || filter.offset !== undefined || filter.skip !== undefined) {
      throw badRequest('an export has no paging: it returns every matching row up to the cap', [{ field: 'limit', rule: 'not-allowed', message: 'limit, offset and skip are not allowed on an export' }]);
    }
    const total = await this.data.count(rt, filter.where, policy);
    if (total > this.rowCap) {
      throw new ApiError(413, 'PayloadTooLarge', `the query matches ${total} rows; an export holds at most ${this.rowCap}: narrow the filter`, [
        { field: 'filter', rule: 'max-rows', message: `at most ${this.rowCap} rows`, value: total },
      ]);
    }
    const fields = filter.fields && Array.isArray(filter.fields) ? filter.fields : rt.columnNames;
    // The first page is read before any byte is sent, so a refused filter is still a JSON error.
    const first = await this.page(rt, filter, fields, 0, policy);
    const by = requestActor(req, grant);
    await this.auditLog.record(this.db, {
      ...by,
      action: 'data.export',
      resource: rt.auditResource,
      detail: { rows: total, format: 'xlsx', filterFields: whereFields(filter.where), masked: [...(policy?.maskedColumns ?? [])] },
    });
    res.writeHead(200, {
      'content-type': XLSX_TYPE,
      'content-disposition': `attachment; filename="${rt.code}-${new Date().toISOString().slice(0, 10)}.xlsx"`,
      'cache-control': 'no-store',
    });
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: res, useStyles: true, useSharedStrings: false });
    const sheet = workbook.addWorksheet(rt.name.slice(0, 31));
    const titles = titlesOf(rt);
    sheet.columns = fields.map(f => ({ header: titles.get(f) ?? f, key: f, width: Math.min(40, Math.max(10, (titles.get(f) ?? f).length * 2 + 2)) }));
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();
    let rows = first;
    for (let offset = 0; rows.length > 0 && offset < total; ) {
      for (const row of rows) sheet.addRow(fields.map(f => xlsxCell(row[f]))).commit();
      offset += rows.length;
      if (rows.length < this.pageSize || offset >= total) break;
      rows = await this.page(rt, filter, fields, offset, policy);
    }
    sheet.commit();
    await workbook.commit();
  }

  private page(rt: DatasetRuntime, filter: Filter, fields: string[], offset: number, policy: Parameters<DataService['find']>[2]) {
    return this.data.find(rt, { where: filter.where, order: filter.order ?? 'id', fields, limit: this.pageSize, offset }, policy);
  }
}

function decodeCode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw badRequest('the path is not valid percent-encoding', [{ rule: 'path', message: `malformed segment "${segment.slice(0, 40)}"` }]);
  }
}

/** Column headers: the inclusion's local name, else the element's name. */
function titlesOf(rt: DatasetRuntime): Map<string, string> {
  const titles = new Map<string, string>([['id', 'ID'], ['created_at', '创建时间'], ['updated_at', '更新时间']]);
  for (const inc of rt.resolved.dataset.inclusions) {
    titles.set(inc.column, inc.localName ?? rt.resolved.elements[inc.elementId]?.name ?? inc.column);
  }
  return titles;
}

/** A value as an Excel cell: numbers and booleans as such, objects as JSON, the rest as text. */
export function xlsxCell(value: unknown): ExcelJS.CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Which fields a where clause names (not their values: those may be personal data). */
function whereFields(where: unknown): string[] {
  const out = new Set<string>();
  const walk = (w: unknown): void => {
    if (Array.isArray(w)) return w.forEach(walk);
    if (typeof w !== 'object' || w === null) return;
    for (const [k, v] of Object.entries(w)) (k === 'and' || k === 'or' ? walk(v) : out.add(k));
  };
  walk(where);
  return [...out];
}
