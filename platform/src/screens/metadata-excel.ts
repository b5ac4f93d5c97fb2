import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import {
  DATA_TYPES,
  DataElement,
  DataType,
  Dataset,
  EnumeratedValueDomain,
  MetadataItem,
  PermissibleValue,
  ValueDomain,
  isFrozen,
  validateItem,
} from '@lingshu/metamodel';
import { Actor, AuditWriter, actorName, actorOf } from '../audit/writer';
import { Database, Queryable } from '../database';
import { MetadataStore } from '../metadata-store/store';
import { ErrorDetail, badRequest, unprocessable } from '../util/errors';

/** The WS/T 363 / WS 445 table layout, in order. */
export const WS_COLUMNS = ['内部标识符', '数据元标识符', '名称', '定义', '数据类型', '表示格式', '允许值'] as const;
type WsColumn = (typeof WS_COLUMNS)[number];
/** Enumerated domains up to this size are written out in 允许值; larger ones are referenced. */
const INLINE_VALUES = 12;
const MAX_ROWS = 5000;
/** Local code tables made from inline 允许值 get identifiers in this range (CV99: local use). */
const LOCAL_DOMAIN_PREFIX = 'CV99.99.';

/** Which WS column an issue path of a data element belongs to. */
const COLUMN_OF_PATH: Array<[RegExp, WsColumn]> = [
  [/^identifier/, '数据元标识符'],
  [/^name/, '名称'],
  [/^definition/, '定义'],
  [/^dataType/, '数据类型'],
  [/^format/, '表示格式'],
  [/^valueDomainId|^values/, '允许值'],
];

interface Row {
  number: number;
  cells: Record<WsColumn, string>;
}

/** A parsed 允许值 cell. */
export type AllowedValues =
  | { kind: 'none' }
  | { kind: 'reference'; identifier: string }
  | { kind: 'values'; values: PermissibleValue[] }
  | { kind: 'text'; text: string };

const REFERENCE = /^(?:值含义)?(?:详)?见\s*[:：]?\s*(.+?)\s*(?:代码表|值域)?\s*$/;
const STANDARD_ID = /(CV\d{2}\.\d{2}\.\d{3}|(?:GB|GB\/T|WS|WS\/T)\s?[0-9.]+(?:-\d{4})?)/;
const ITEM = /^([0-9A-Za-z]{1,6})\s*[.．、:：\-]?\s*([^\s0-9.．、:：\-+~～].*)$/;

/** Reads a 允许值 cell the way WS tables state permissible values: `1.男 2.女`, `1 男；2 女`, `01-居民身份证,02-居民户口簿`, `值含义见 CV02.01.101`. */
export function parseAllowedValues(text: string): AllowedValues {
  const t = text.trim();
  if (t === '') return { kind: 'none' };
  const ref = REFERENCE.exec(t);
  if (ref) {
    const id = STANDARD_ID.exec(ref[1]);
    if (id) return { kind: 'reference', identifier: id[1].replace(/^(GB|GB\/T|WS|WS\/T)(?=\d)/, '$1 ') };
  }
  if (/^CV\d{2}\.\d{2}\.\d{3}$/.test(t)) return { kind: 'reference', identifier: t };
  const parts = t.split(/[;；,，。\n]+|\s+(?=[0-9A-Za-z]{1,6}\s*[.．、:：\-])/).map(p => p.trim()).filter(Boolean);
  const values: PermissibleValue[] = [];
  for (const part of parts) {
    const m = ITEM.exec(part);
    if (!m) return { kind: 'text', text: t };
    values.push({ code: m[1], meaning: m[2].trim(), order: values.length + 1 });
  }
  return values.length > 0 ? { kind: 'values', values } : { kind: 'text', text: t };
}

/** What 允许值 says for an element: its codes inline when few, else a reference to the code table. */
export function formatAllowedValues(domain: ValueDomain | undefined): string {
  if (!domain) return '';
  if (domain.type === 'enumerated' && domain.values.length <= INLINE_VALUES) {
    return [...domain.values].sort((a, b) => (a.order ?? 0) - (b.order ?? 0)).map(v => `${v.code}.${v.meaning}`).join(' ');
  }
  return `值含义见 ${domain.identifier}`;
}

/**
 * Data elements to and from Excel in the WS table layout. An import is all or nothing: every row
 * is checked first; any bad row fails the whole file with a report naming row, column, rule and
 * value, and nothing is written.
 */
export class MetadataExcel {
  constructor(
    private readonly db: Database,
    private readonly store: MetadataStore,
    private readonly auditLog: AuditWriter,
  ) {}

  /** All data elements (latest versions; one namespace if given), or the inclusions of one dataset with their internal ids. */
  async exportElements(options: { namespace?: string; datasetCode?: string }): Promise<Buffer> {
    const elements = await this.latest<DataElement>('data-element');
    const domains = new Map((await this.latest<ValueDomain>('value-domain')).map(d => [d.id, d]));
    const byId = new Map(elements.map(e => [e.id, e]));
    let rows: Array<{ internalId?: string; element: DataElement; name?: string }>;
    let title = '数据元';
    if (options.datasetCode) {
      const dataset = (await this.latest<Dataset>('dataset')).find(d => d.code === options.datasetCode);
      if (!dataset) throw badRequest(`no dataset with code ${options.datasetCode.slice(0, 60)}`, [{ field: 'dataset', rule: 'reference', message: 'no such dataset' }]);
      title = dataset.name;
      rows = [...dataset.inclusions].sort((a, b) => a.order - b.order).flatMap(inc => {
        const element = byId.get(inc.elementId);
        return element ? [{ internalId: inc.internalId, element, name: inc.localName }] : [];
      });
    } else {
      rows = elements.filter(e => !options.namespace || e.namespace === options.namespace).sort((a, b) => a.identifier.localeCompare(b.identifier)).map(element => ({ element }));
    }
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet(title.slice(0, 31));
    sheet.columns = WS_COLUMNS.map((header, i) => ({ header, key: header, width: [16, 22, 24, 60, 10, 12, 40][i] }));
    sheet.getRow(1).font = { bold: true };
    for (const { internalId, element, name } of rows) {
      sheet.addRow([
        internalId ?? '', element.identifier, name ?? element.name, element.definition ?? '', element.dataType, element.format,
        formatAllowedValues(element.valueDomainId ? domains.get(element.valueDomainId) : undefined),
      ]);
    }
    return Buffer.from(await workbook.xlsx.writeBuffer());
  }

  /** Creates drafts (new elements, new versions of changed ones, and code tables for inline 允许值). */
  async importElements(file: Buffer, namespace: string, by: Actor): Promise<{ created: number; updated: number; unchanged: number; valueDomains: number }> {
    const rows = await readRows(file);
    const details: ErrorDetail[] = [];
    const report = (row: Row, column: WsColumn, rule: string, message: string) =>
      details.push({ row: row.number, field: column, path: `rows/${row.number}/${column}`, rule, message: `第${row.number}行 ${column}: ${message}`, value: row.cells[column].slice(0, 100) });
    const elements = await this.latestRows<DataElement>('data-element');
    const domains = await this.latestRows<ValueDomain>('value-domain');
    const domainByIdentifier = new Map<string, ValueDomain>();
    for (const d of domains.values()) if (!domainByIdentifier.has(d.body.identifier) || d.body.namespace === namespace) domainByIdentifier.set(d.body.identifier, d.body);
    const existing = new Map([...elements.values()].filter(e => e.body.namespace === namespace).map(e => [e.body.identifier, e]));
    const newDomains: EnumeratedValueDomain[] = [];
    const lookupDomain = (id: string): ValueDomain | undefined => domains.get(id)?.body ?? newDomains.find(d => d.id === id);
    let nextLocal = await this.nextLocalDomainNumber(namespace);
    const planned: Array<{ element: DataElement; op: 'create' | 'update' | 'unchanged' }> = [];
    const seen = new Map<string, number>();

    for (const row of rows) {
      const c = row.cells;
      const identifier = c['数据元标识符'];
      if (seen.has(identifier)) {
        report(row, '数据元标识符', 'duplicate-identifier', `与第${seen.get(identifier)}行重复`);
        continue;
      }
      seen.set(identifier, row.number);
      const dataType = c['数据类型'].toUpperCase() as DataType;
      const before = existing.get(identifier);
      const element: DataElement = {
        ...(before ? stripStatus(before.body) : {}),
        id: before?.body.id ?? randomUUID(),
        kind: 'data-element',
        namespace,
        identifier,
        version: before ? before.body.version : 1,
        name: c['名称'],
        definition: c['定义'] || undefined,
        dataType,
        format: c['表示格式'],
        workflowStatus: 'draft',
      } as DataElement;
      delete element.valueDomainId;
      if (!DATA_TYPES.includes(dataType)) {
        report(row, '数据类型', 'data-type', `应为 ${DATA_TYPES.join('、')} 之一`);
        continue;
      }
      const allowed = parseAllowedValues(c['允许值']);
      if (allowed.kind === 'reference') {
        const domain = domainByIdentifier.get(allowed.identifier);
        if (!domain) {
          report(row, '允许值', 'reference', `值域 ${allowed.identifier} 不存在，请先建立该值域`);
          continue;
        }
        element.valueDomainId = domain.id;
      } else if (allowed.kind === 'values') {
        if (dataType !== 'S2' && dataType !== 'S3') {
          report(row, '允许值', 'data-type', '列出代码值的数据元，数据类型应为 S2 或 S3');
          continue;
        }
        const current = before?.body.valueDomainId ? lookupDomain(before.body.valueDomainId) : undefined;
        if (current && sameValues(current, allowed.values)) {
          element.valueDomainId = current.id;
        } else {
        const domain = this.inlineDomain(namespace, `${LOCAL_DOMAIN_PREFIX}${String(nextLocal).padStart(3, '0')}`, c['名称'], identifier, allowed.values);
        const issues = validateItem(domain);
        if (issues.length) {
          for (const i of issues) report(row, '允许值', i.rule, i.message);
          continue;
        }
        nextLocal++;
        newDomains.push(domain);
        element.valueDomainId = domain.id;
        }
      } else if (allowed.kind === 'text') {
        element.comments = `允许值：${allowed.text}`;
      }
      const issues = validateItem(element, { element: () => undefined, valueDomain: lookupDomain });
      if (issues.length) {
        for (const i of issues) report(row, COLUMN_OF_PATH.find(([re]) => re.test(i.path))?.[1] ?? '数据元标识符', i.rule, i.message);
        continue;
      }
      if (!before) planned.push({ element, op: 'create' });
      else if (sameContent(before.body, element)) planned.push({ element, op: 'unchanged' });
      else if (!isFrozen(before.workflow_status)) report(row, '数据元标识符', 'draft-exists', `数据元 ${identifier} 已有未发布的第${before.body.version}版，请先在设计器中处理`);
      else planned.push({ element: { ...element, version: before.body.version + 1 }, op: 'update' });
    }
    if (details.length > 0) {
      const bad = new Set(details.map(d => d.row)).size;
      throw unprocessable(`${bad} of ${rows.length} rows are not valid; nothing was imported`, details);
    }
    const actor = actorName(by);
    await this.db.transaction(async tx => {
      for (const d of newDomains) await this.store.insertVersion(tx, d, actor);
      for (const p of planned) if (p.op !== 'unchanged') await this.store.insertVersion(tx, p.element, actor);
      const detail = { rows: rows.length, created: count(planned, 'create'), updated: count(planned, 'update'), valueDomains: newDomains.length, namespace };
      await this.auditLog.record(tx, { ...actorOf(by), action: 'meta.import-xlsx', resource: 'meta:data-element', detail });
    });
    return { created: count(planned, 'create'), updated: count(planned, 'update'), unchanged: count(planned, 'unchanged'), valueDomains: newDomains.length };
  }

  private inlineDomain(namespace: string, identifier: string, elementName: string, elementIdentifier: string, values: PermissibleValue[]): EnumeratedValueDomain {
    return {
      id: randomUUID(), kind: 'value-domain', namespace, identifier, version: 1, workflowStatus: 'draft',
      name: `${elementName.replace(/代码$/, '')}代码表`, definition: `由 ${elementIdentifier} 的允许值导入`, type: 'enumerated', values,
    };
  }

  private async nextLocalDomainNumber(namespace: string): Promise<number> {
    const rows = await this.db.query<{ identifier: string }>(
      `SELECT DISTINCT identifier FROM meta_item WHERE kind = 'value-domain' AND namespace = $1 AND identifier LIKE $2`,
      [namespace, `${LOCAL_DOMAIN_PREFIX}%`],
    );
    return rows.reduce((max, r) => Math.max(max, Number(r.identifier.slice(LOCAL_DOMAIN_PREFIX.length)) || 0), 0) + 1;
  }

  private async latest<T extends MetadataItem>(kind: MetadataItem['kind'], q: Queryable = this.db): Promise<T[]> {
    return [...(await this.latestRows<T>(kind, q)).values()].map(r => r.body);
  }

  private async latestRows<T extends MetadataItem>(kind: MetadataItem['kind'], q: Queryable = this.db) {
    const rows = await q.query<{ body: T; workflow_status: MetadataItem['workflowStatus'] }>(
      `SELECT m.body, m.workflow_status FROM meta_item m WHERE m.kind = $1
         AND m.version = (SELECT max(v.version) FROM meta_item v WHERE v.id = m.id)`,
      [kind],
    );
    return new Map(rows.map(r => [r.body.id, r]));
  }
}

async function readRows(file: Buffer): Promise<Row[]> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(file as unknown as ArrayBuffer);
  } catch (err) {
    throw badRequest('the file is not an Excel workbook (.xlsx)', [{ field: 'file', rule: 'xlsx', message: String((err as Error).message).slice(0, 200) }]);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw badRequest('the workbook has no worksheet', [{ field: 'file', rule: 'xlsx', message: 'no worksheet' }]);
  let header: Map<WsColumn, number> | undefined;
  let headerRow = 0;
  for (let r = 1; r <= Math.min(sheet.rowCount, 10) && !header; r++) {
    const texts = cellsOf(sheet.getRow(r));
    if (texts.includes('数据元标识符') && texts.includes('名称')) {
      header = new Map(WS_COLUMNS.flatMap(col => (texts.indexOf(col) >= 0 ? [[col, texts.indexOf(col)] as [WsColumn, number]] : [])));
      headerRow = r;
    }
  }
  if (!header) {
    throw unprocessable('no header row with the WS columns in the first 10 rows', [{ row: 1, field: '数据元标识符', rule: 'header', message: `表头应为 ${WS_COLUMNS.join(' | ')}` }]);
  }
  const missing = WS_COLUMNS.filter(c => c !== '内部标识符' && !header!.has(c));
  if (missing.length) {
    throw unprocessable(`the header lacks ${missing.join(', ')}`, missing.map(m => ({ row: headerRow, field: m, rule: 'header', message: `缺少列 ${m}` })));
  }
  const rows: Row[] = [];
  for (let r = headerRow + 1; r <= sheet.rowCount; r++) {
    const texts = cellsOf(sheet.getRow(r));
    if (texts.every(t => t === '')) continue;
    const cells = Object.fromEntries(WS_COLUMNS.map(col => [col, header!.has(col) ? texts[header!.get(col)!] ?? '' : ''])) as Record<WsColumn, string>;
    rows.push({ number: r, cells });
    if (rows.length > MAX_ROWS) throw badRequest(`at most ${MAX_ROWS} rows per import`, [{ field: 'file', rule: 'max-rows', message: `at most ${MAX_ROWS} rows` }]);
  }
  if (rows.length === 0) throw unprocessable('the worksheet has no data rows', [{ row: headerRow + 1, field: '数据元标识符', rule: 'required', message: '没有数据行' }]);
  return rows;
}

/** Cell texts of a row, 0-based by column. */
function cellsOf(row: ExcelJS.Row): string[] {
  const out: string[] = [];
  row.eachCell({ includeEmpty: true }, (cell, col) => {
    out[col - 1] = cell.text?.trim() ?? '';
  });
  for (let i = 0; i < out.length; i++) out[i] ??= '';
  return out;
}

function stripStatus(e: DataElement): Partial<DataElement> {
  const { workflowStatus: _s, ...rest } = e;
  return rest;
}

const CONTENT_KEYS: Array<keyof DataElement> = ['name', 'definition', 'dataType', 'format', 'valueDomainId', 'comments'];

function sameContent(a: DataElement, b: DataElement): boolean {
  return CONTENT_KEYS.every(k => (a[k] ?? '') === (b[k] ?? ''));
}

function sameValues(domain: ValueDomain, values: PermissibleValue[]): boolean {
  return (
    domain.type === 'enumerated' &&
    domain.values.length === values.length &&
    values.every(v => domain.values.some(d => d.code === v.code && d.meaning === v.meaning))
  );
}

function count(planned: Array<{ op: string }>, op: string): number {
  return planned.filter(p => p.op === op).length;
}
