/**
 * A generic importer for large code tables (a standard vocabulary as a value domain): CSV, TSV
 * and Excel (.xlsx, first worksheet). Columns are found by header name (code/编码/代码,
 * name/名称, alias/别名) or given explicitly; bad rows are reported by row and field, not thrown.
 */
import { inflateRawSync } from 'node:zlib';

export interface Term {
  code: string;
  name: string;
  /** Synonyms and known local names (optional). */
  aliases?: string[];
}

export interface Vocabulary {
  /** Dictionary id, e.g. the value domain identifier (GB/T 14396-2016). */
  id: string;
  terms: Term[];
}

export type TableFormat = 'csv' | 'tsv' | 'xlsx';

export interface ImportOptions {
  format?: TableFormat;
  /** Column header or 0-based index of the code, the name and (optional) the aliases. */
  codeColumn?: string | number;
  nameColumn?: string | number;
  aliasColumn?: string | number;
  /** Separator inside the alias cell (default | ; ；、). */
  aliasSeparator?: RegExp;
}

export interface ImportIssue {
  /** 1-based row in the file (the header is row 1). */
  row: number;
  field: 'code' | 'name' | 'file';
  rule: string;
}

export interface ImportResult {
  terms: Term[];
  issues: ImportIssue[];
}

const CODE_HEADERS = ['code', '编码', '代码', '疾病编码', '诊断编码', '值', 'value', '主要编码'];
const NAME_HEADERS = ['name', '名称', '疾病名称', '诊断名称', '值含义', '含义', 'display', '中文名称'];
const ALIAS_HEADERS = ['alias', 'aliases', '别名', '同义词', 'synonyms'];

/** Detects the format from a file name. */
export function formatOf(fileName: string): TableFormat {
  const f = fileName.toLowerCase();
  if (f.endsWith('.xlsx')) return 'xlsx';
  if (f.endsWith('.tsv') || f.endsWith('.txt') || f.endsWith('.tab')) return 'tsv';
  return 'csv';
}

/** Parses delimited text (RFC 4180 quoting for CSV; TSV splits on tabs). A BOM is dropped. */
export function parseDelimited(text: string, delimiter: ',' | '\t'): string[][] {
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (quoted) {
      if (ch === '"') {
        if (s[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"' && field === '' && delimiter === ',') quoted = true;
    else if (ch === delimiter) {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && s[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter(r => r.some(c => c.trim() !== ''));
}

/** Reads the entries of a zip archive (stored or deflated). */
export function unzip(buf: Buffer): Map<string, Buffer> {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip archive (no end of central directory)');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out = new Map<string, Buffer>();
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error('corrupt zip central directory');
    const method = buf.readUInt16LE(p + 10);
    const size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + size);
    out.set(name, method === 8 ? inflateRawSync(data) : Buffer.from(data));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

function xmlText(s: string): string {
  return s
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_m, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&#x([0-9a-f]+);/gi, (_m, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&amp;/g, '&');
}

function columnIndex(ref: string): number {
  let n = 0;
  for (const ch of ref.replace(/\d+$/, '')) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

/** Rows of the first worksheet of an .xlsx workbook, as strings. */
export function readXlsx(buf: Buffer): string[][] {
  const files = unzip(buf);
  const shared: string[] = [];
  const sst = files.get('xl/sharedStrings.xml')?.toString('utf8') ?? '';
  for (const m of sst.matchAll(/<si>([\s\S]*?)<\/si>/g)) {
    shared.push([...m[1].matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map(t => xmlText(t[1])).join(''));
  }
  const sheetName = [...files.keys()].filter(k => /^xl\/worksheets\/sheet\d+\.xml$/.test(k)).sort()[0];
  if (!sheetName) throw new Error('workbook has no worksheet');
  const sheet = files.get(sheetName)!.toString('utf8');
  const rows: string[][] = [];
  for (const r of sheet.matchAll(/<row[^>]*>([\s\S]*?)<\/row>/g)) {
    const row: string[] = [];
    for (const c of r[1].matchAll(/<c([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const attrs = c[1];
      const body = c[2] ?? '';
      const ref = /r="([A-Z]+\d*)"/.exec(attrs)?.[1];
      const type = /t="(\w+)"/.exec(attrs)?.[1];
      let value = '';
      if (type === 's') value = shared[Number(/<v>([\s\S]*?)<\/v>/.exec(body)?.[1] ?? -1)] ?? '';
      else if (type === 'inlineStr') value = [...body.matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map(t => xmlText(t[1])).join('');
      else value = xmlText(/<v>([\s\S]*?)<\/v>/.exec(body)?.[1] ?? '');
      const at = ref ? columnIndex(ref) : row.length;
      while (row.length < at) row.push('');
      row[at] = value;
    }
    if (row.some(v => v.trim() !== '')) rows.push(row);
  }
  return rows;
}

/** Words that mark a column when no header matches exactly (ICD编码, 疾病名称(国临版), Code …). */
const CODE_HINTS = ['编码', '代码', 'code'];
const NAME_HINTS = ['名称', 'name', '诊断', '疾病', '含义'];

/**
 * A column of a header row: the one given (index or name), else the first whose header is one of
 * `known`, else the first (other than `taken`) whose header contains one of `hints`; -1 if none.
 */
export function findColumn(header: string[], given: string | number | undefined, known: string[], hints: string[] = [], taken = -1): number {
  if (typeof given === 'number') return given;
  const h = header.map(x => x.trim().toLowerCase());
  if (typeof given === 'string') return h.indexOf(given.trim().toLowerCase());
  for (const k of known) {
    const i = h.indexOf(k);
    if (i >= 0) return i;
  }
  return h.findIndex((x, i) => i !== taken && hints.some(w => x.includes(w)));
}

/** Turns table rows (first row = header) into terms. Duplicate codes merge their names as aliases. */
export function termsFromRows(rows: string[][], options: ImportOptions = {}): ImportResult {
  const issues: ImportIssue[] = [];
  if (rows.length === 0) return { terms: [], issues: [{ row: 1, field: 'file', rule: 'the table is empty' }] };
  const header = rows[0];
  const hasHeader = typeof options.codeColumn !== 'number' || typeof options.nameColumn !== 'number';
  let codeCol = findColumn(header, options.codeColumn, CODE_HEADERS, CODE_HINTS);
  // Name hints only once the row is known to be a header (a data row can hold 疾病 in a name).
  let nameCol = findColumn(header, options.nameColumn, NAME_HEADERS, codeCol >= 0 ? NAME_HINTS : [], codeCol);
  const aliasCol = findColumn(header, options.aliasColumn, ALIAS_HEADERS);
  let first = hasHeader ? 1 : 0;
  if (codeCol < 0 && nameCol < 0 && options.codeColumn === undefined && options.nameColumn === undefined) {
    // No recognisable header: the first two columns, and the first row is data.
    codeCol = 0;
    nameCol = 1;
    first = 0;
  }
  if (codeCol < 0) return { terms: [], issues: [{ row: 1, field: 'code', rule: `no code column (looked for ${options.codeColumn ?? CODE_HEADERS.join('/')})` }] };
  if (nameCol < 0) return { terms: [], issues: [{ row: 1, field: 'name', rule: `no name column (looked for ${options.nameColumn ?? NAME_HEADERS.join('/')})` }] };
  const sep = options.aliasSeparator ?? /[|;；、]/;
  const byCode = new Map<string, Term>();
  for (let i = first; i < rows.length; i++) {
    const r = rows[i];
    const code = (r[codeCol] ?? '').trim();
    const name = (r[nameCol] ?? '').trim();
    if (!code) {
      issues.push({ row: i + 1, field: 'code', rule: 'required' });
      continue;
    }
    if (!name) {
      issues.push({ row: i + 1, field: 'name', rule: 'required' });
      continue;
    }
    const aliases = aliasCol >= 0 ? (r[aliasCol] ?? '').split(sep).map(a => a.trim()).filter(Boolean) : [];
    const prev = byCode.get(code);
    if (prev) {
      prev.aliases = [...new Set([...(prev.aliases ?? []), name, ...aliases])].filter(a => a !== prev.name);
    } else byCode.set(code, aliases.length > 0 ? { code, name, aliases } : { code, name });
  }
  return { terms: [...byCode.values()], issues };
}

/** Imports a code table from file content (CSV, TSV or XLSX). */
export function importVocabulary(content: Buffer | string, options: ImportOptions = {}): ImportResult {
  const format = options.format ?? 'csv';
  let rows: string[][];
  try {
    if (format === 'xlsx') rows = readXlsx(Buffer.isBuffer(content) ? content : Buffer.from(content, 'binary'));
    else rows = parseDelimited(Buffer.isBuffer(content) ? content.toString('utf8') : content, format === 'tsv' ? '\t' : ',');
  } catch (e) {
    return { terms: [], issues: [{ row: 0, field: 'file', rule: `unreadable ${format}: ${(e as Error).message}` }] };
  }
  return termsFromRows(rows, options);
}
