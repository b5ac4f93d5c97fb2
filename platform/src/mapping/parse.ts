import { type TableFormat, formatOf, parseDelimited, readXlsx } from '@lingshu/mapping';
import { badRequest, type ErrorDetail } from '../util/errors';

/** An uploaded file: its bytes, and a name or content type to tell the format. */
export interface Upload {
  content: Buffer;
  fileName?: string;
  contentType?: string;
}

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const MAX_UPLOAD = 50 * 1024 * 1024;

/** The format from an explicit query value, else the file name, else the content type (CSV by default). */
export function tableFormat(explicit: string | undefined, upload: Upload): TableFormat {
  if (explicit !== undefined) {
    if (explicit === 'csv' || explicit === 'tsv' || explicit === 'xlsx') return explicit;
    throw badRequest('format must be csv, tsv or xlsx', [{ field: 'format', rule: 'enum', message: 'csv, tsv or xlsx', value: explicit.slice(0, 20) }]);
  }
  if (upload.fileName) return formatOf(upload.fileName);
  const type = (upload.contentType ?? '').toLowerCase();
  if (type.startsWith(XLSX_TYPE)) return 'xlsx';
  if (type.startsWith('text/tab-separated-values')) return 'tsv';
  // A zip (xlsx) starts with PK\3\4.
  if (upload.content.length > 4 && upload.content.readUInt32LE(0) === 0x04034b50) return 'xlsx';
  return 'csv';
}

/** Rows of a table file; 400 when it cannot be read. */
export function readTable(upload: Upload, format: TableFormat): string[][] {
  try {
    return format === 'xlsx' ? readXlsx(upload.content) : parseDelimited(upload.content.toString('utf8'), format === 'tsv' ? '\t' : ',');
  } catch (err) {
    throw badRequest(`the file is not readable as ${format}`, [{ field: 'file', rule: 'format', message: (err as Error).message.slice(0, 200), row: 0 }]);
  }
}

/**
 * The first file part of a multipart/form-data body (what an HTML upload sends), with its file
 * name; other parts are ignored. Returns the body unchanged for any other content type.
 */
export function uploadFrom(body: Buffer, contentType: string | undefined): Upload {
  const type = contentType ?? '';
  const m = /^multipart\/form-data;.*boundary=(?:"([^"]+)"|([^;]+))/i.exec(type);
  if (!m) return { content: body, contentType: type };
  const boundary = Buffer.from(`--${m[1] ?? m[2]}`);
  let start = body.indexOf(boundary);
  while (start >= 0) {
    const headerEnd = body.indexOf('\r\n\r\n', start);
    if (headerEnd < 0) break;
    const headers = body.subarray(start + boundary.length, headerEnd).toString('utf8');
    const next = body.indexOf(boundary, headerEnd + 4);
    if (next < 0) break;
    const file = /filename\*?=(?:"([^"]*)"|([^;\r\n]*))/i.exec(headers);
    if (file) {
      const partType = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1];
      // The part ends with CRLF before the next boundary.
      return { content: body.subarray(headerEnd + 4, next - 2), fileName: decodeURIComponent(file[1] ?? file[2] ?? ''), contentType: partType };
    }
    start = next;
  }
  throw badRequest('the multipart body has no file part', [{ field: 'file', rule: 'required', message: 'send the file as a form field with a file name' }]);
}

export interface SourceEntry {
  code: string;
  name: string;
  attributes: Record<string, string>;
}

const CODE_HEADERS = ['code', '编码', '代码', '本地编码', '院内编码', '项目编码', '科室编码'];
const NAME_HEADERS = ['name', '名称', '本地名称', '项目名称', '科室名称', '诊断名称', '药品名称'];

/**
 * A local dictionary from table rows: the header names the code and name columns, every other
 * column becomes an attribute. Every bad row is reported (row numbers as the spreadsheet shows).
 */
export function entriesFromRows(rows: string[][]): SourceEntry[] {
  const issues: ErrorDetail[] = [];
  if (rows.length < 1) throw badRequest('the file is empty', [{ field: 'file', rule: 'required', message: 'a header row and entries', row: 1 }]);
  const header = rows[0].map(h => h.trim());
  const lower = header.map(h => h.toLowerCase());
  const codeCol = lower.findIndex(h => CODE_HEADERS.includes(h));
  const nameCol = lower.findIndex(h => NAME_HEADERS.includes(h));
  if (codeCol < 0) issues.push({ row: 1, field: 'code', rule: 'column', message: `no code column (one of ${CODE_HEADERS.join(', ')})` });
  if (nameCol < 0) issues.push({ row: 1, field: 'name', rule: 'column', message: `no name column (one of ${NAME_HEADERS.join(', ')})` });
  if (issues.length) throw badRequest('the header row lacks the code or name column', issues);
  const entries: Array<{ code: string; name: string; attributes: Record<string, string> }> = [];
  for (let i = 1; i < rows.length; i++) {
    const r = rows[i];
    if (r.every(c => !c.trim())) continue;
    const attributes: Record<string, string> = {};
    header.forEach((h, c) => {
      if (c !== codeCol && c !== nameCol && h && (r[c] ?? '').trim()) attributes[h] = r[c].trim();
    });
    entries.push({ code: (r[codeCol] ?? '').trim(), name: (r[nameCol] ?? '').trim(), attributes });
  }
  return checkEntries(entries, 'row');
}

/** Validates entries (from a file: `row` = index + 2; from JSON: `entries[i]`); 400 lists every problem. */
export function checkEntries(input: unknown, position: 'row' | 'index'): SourceEntry[] {
  if (!Array.isArray(input)) throw badRequest('entries must be an array', [{ field: 'entries', rule: 'type', message: 'an array of {code, name}' }]);
  if (input.length > 200_000) throw badRequest('at most 200,000 entries per load', [{ field: 'entries', rule: 'maxItems', message: 'at most 200,000' }]);
  const issues: ErrorDetail[] = [];
  const seen = new Map<string, number>();
  const out: SourceEntry[] = [];
  input.forEach((e: unknown, i) => {
    const where = position === 'row' ? { row: i + 2 } : { index: i };
    const prefix = position === 'row' ? '' : `entries[${i}].`;
    const item = (e ?? {}) as Record<string, unknown>;
    const code = typeof item.code === 'string' || typeof item.code === 'number' ? String(item.code).trim() : '';
    const name = typeof item.name === 'string' ? item.name.trim() : '';
    if (!code) issues.push({ ...where, field: `${prefix}code`, rule: 'required', message: 'the local code is required' });
    else if (code.length > 100) issues.push({ ...where, field: `${prefix}code`, rule: 'maxLength', message: 'at most 100 characters' });
    if (!name) issues.push({ ...where, field: `${prefix}name`, rule: 'required', message: 'the local name is required' });
    else if (name.length > 500) issues.push({ ...where, field: `${prefix}name`, rule: 'maxLength', message: 'at most 500 characters' });
    if (code) {
      const first = seen.get(code);
      if (first !== undefined) {
        issues.push({ ...where, field: `${prefix}code`, rule: 'unique', message: `code ${code.slice(0, 100)} already at ${position === 'row' ? `row ${first + 2}` : `entries[${first}]`}` });
      } else seen.set(code, i);
    }
    const attributes: Record<string, string> = {};
    const raw = position === 'row' ? (item.attributes as Record<string, unknown>) : item;
    for (const [k, v] of Object.entries(raw ?? {})) {
      if (position === 'index' && (k === 'code' || k === 'name')) continue;
      if (v !== null && v !== undefined && v !== '') attributes[k.slice(0, 100)] = (typeof v === 'object' ? JSON.stringify(v) : String(v)).slice(0, 1000);
    }
    out.push({ code, name, attributes });
  });
  if (issues.length) throw badRequest(`${issues.length} invalid ${issues.length === 1 ? 'entry' : 'entries'}; nothing was loaded`, issues.slice(0, 200));
  return out;
}
