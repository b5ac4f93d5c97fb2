import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { Platform, seedPlatform, startPlatform } from '@lingshu/platform';
import { client, createTestDatabase, signIn, TestDatabase } from '../support';

const PASSWORD = 'Lingshu#2026test';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const ROW_CAP = 550;

type Api = ReturnType<typeof client>;

async function download(baseUrl: string, token: string, path: string) {
  const res = await fetch(baseUrl + path, { headers: { authorization: `Bearer ${token}` } });
  const buffer = Buffer.from(await res.arrayBuffer());
  return { status: res.status, type: res.headers.get('content-type') ?? '', buffer, json: () => JSON.parse(buffer.toString('utf8')) };
}

async function upload(baseUrl: string, token: string, path: string, body: Buffer) {
  const res = await fetch(baseUrl + path, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': XLSX }, body: new Uint8Array(body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** Rows of the first worksheet as arrays of cell texts (header first). */
async function sheetRows(buffer: Buffer): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buffer as unknown as ArrayBuffer);
  const rows: string[][] = [];
  wb.worksheets[0].eachRow(row => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => (cells[col - 1] = cell.text));
    rows.push(cells);
  });
  return rows;
}

async function workbook(rows: unknown[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('数据元');
  for (const r of rows) sheet.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const where = (w: unknown) => `filter=${encodeURIComponent(JSON.stringify({ where: w }))}`;

describe('acceptance: generated screens, case queries and Excel', function () {
  let tdb: TestDatabase;
  let platform: Platform;
  const apis: Record<string, Api> = {};
  const tokens: Record<string, string> = {};

  before(async () => {
    tdb = await createTestDatabase();
    platform = await startPlatform({ ...tdb.config, port: 0, adminPassword: PASSWORD, loginRateLimit: 1000, dataExport: { rowCap: ROW_CAP, pageSize: 100 } });
    await seedPlatform(platform, { demoData: 'small', adminPassword: PASSWORD });
    for (const user of ['std.owner', 'city.admin', 'analyst', 'county.tc', 'hospital.zx', 'auditor']) {
      const s = await signIn(platform.url, user, PASSWORD);
      apis[user] = s.api;
      tokens[user] = s.token;
    }
  });
  after(async () => {
    await platform?.stop();
    await tdb?.drop();
  });

  describe('menu and screens', () => {
    it('seeds the four case queries as published screen metadata', async () => {
      const { status, body } = await apis['std.owner'].get('/api/meta/screens?status=published');
      assert.equal(status, 200);
      assert.deepEqual(body.map((s: any) => s.name).sort(), ['住院诊疗信息', '检查信息', '检验信息', '门诊诊疗信息'].sort());
    });

    it('shows each caller the case queries and the default screens of the datasets it may read', async () => {
      const { status, body } = await apis.analyst.get('/api/screens/menu');
      assert.equal(status, 200);
      const cases = body.find((g: any) => g.group === '病例查询');
      assert.deepEqual(cases.items.map((i: any) => i.title), ['门诊诊疗信息', '住院诊疗信息', '检验信息', '检查信息']);
      const defaults = body.find((g: any) => g.group === '数据集');
      assert.equal(defaults.items.length, 6);
      assert.ok(defaults.items.every((i: any) => i.type === 'default' && i.path.startsWith('/api/screens/default/')));
    });

    it('gives a caller without data rights an empty menu, and anonymous callers a 401', async () => {
      assert.deepEqual((await apis.auditor.get('/api/screens/menu')).body, []);
      assert.equal((await apis['std.owner'].get('/api/screens/menu')).body.length, 0);
      assert.equal((await client(platform.url).get('/api/screens/menu')).status, 401);
    });

    it('compiles the default screen of a dataset, without filters on the columns the caller sees masked', async () => {
      const admin = await apis['city.admin'].get('/api/screens/default/outpatient_visit');
      assert.equal(admin.status, 200);
      const keys = admin.body.list.filters.map((f: any) => f.key);
      assert.ok(keys.includes('id_number') && keys.includes('sex_code') && keys.includes('visit_time'), keys.join());
      assert.equal(admin.body.list.filters.find((f: any) => f.key === 'sex_code').input, 'select');
      assert.equal(admin.body.list.filters.find((f: any) => f.key === 'visit_time').operator, 'range');
      assert.equal(admin.body.form.type, 'object');
      const analyst = await apis.analyst.get('/api/screens/default/outpatient_visit');
      assert.equal(analyst.status, 200);
      assert.ok(!analyst.body.list.filters.some((f: any) => f.key === 'id_number' || f.key === 'patient_name'));
      assert.ok(analyst.body.masked.includes('id_number'));
      assert.equal((await apis.auditor.get('/api/screens/default/outpatient_visit')).status, 403);
      assert.equal((await apis.analyst.get('/api/screens/default/nope')).status, 404);
      assert.equal((await apis.analyst.get('/api/screens/not-a-uuid')).status, 404);
    });

    it('serves a case screen whose person search works through the data API', async () => {
      const menu = (await apis['city.admin'].get('/api/screens/menu')).body;
      const item = menu.find((g: any) => g.group === '病例查询').items.find((i: any) => i.title === '门诊诊疗信息');
      const screen = (await apis['city.admin'].get(item.path)).body;
      const person = screen.list.filters.find((f: any) => f.key === 'person');
      assert.deepEqual(person.anyOf.map((a: any) => a.field), ['id_number', 'patient_name']);
      const [visit] = (await apis['city.admin'].get('/api/data/outpatient_visit?limit=1')).body;
      const byId = await apis['city.admin'].get(`/api/data/outpatient_visit?${where({ or: [{ id_number: visit.id_number }, { patient_name: visit.id_number }] })}`);
      assert.equal(byId.status, 200);
      assert.ok(byId.body.length >= 1 && byId.body.every((r: any) => r.id_number === visit.id_number));
      const byName = await apis['city.admin'].get(`/api/data/outpatient_visit?${where({ or: [{ id_number: visit.patient_name }, { patient_name: visit.patient_name }] })}`);
      assert.ok(byName.body.some((r: any) => r.id === visit.id));
      // For the analyst both fields are masked, so the person search is not offered.
      const forAnalyst = (await apis.analyst.get(item.path)).body;
      assert.equal(forAnalyst.list.filters.some((f: any) => f.key === 'person'), false);
    });
  });

  describe('paging a query screen', () => {
    it('indexes the date and date-time columns query screens sort by, so a page does not sort the table', async () => {
      const rows = await platform.db.query<{ indexdef: string }>('SELECT indexdef FROM pg_indexes WHERE tablename = $1', ['ds_outpatient_visit']);
      const defs = rows.map(r => r.indexdef);
      assert.ok(defs.some(d => /\(visit_time\)/.test(d)), defs.join('\n'));
      const page = await apis['city.admin'].get(`/api/data/outpatient_visit?filter=${encodeURIComponent(JSON.stringify({ order: 'visit_time DESC', limit: 5, skip: 5 }))}`);
      assert.equal(page.status, 200);
      assert.ok(page.body.every((r: any, i: number) => i === 0 || r.visit_time <= page.body[i - 1].visit_time));
    });
  });

  describe('screens as metadata', () => {
    const form = (expr: string) => ({ type: 'object', properties: { sex_code: { type: 'string', 'x-visible': expr } } });
    const body = (identifier: string, extra: Record<string, unknown> = {}) => ({
      namespace: 'dazhou', identifier, name: '测试界面',
      dataset: { code: 'person_basic' },
      list: { columns: [{ field: 'patient_name', title: '姓名' }], filters: [{ key: 'sex', title: '性别', field: 'sex_code', operator: 'in' }] },
      menu: { group: '测试', title: '测试界面' },
      ...extra,
    });

    it('refuses a screen whose form would run code, naming the path (422), and writes nothing', async () => {
      const res = await apis['std.owner'].post('/api/meta/screens', body('SCR.T.01', { form: form("{{ constructor.constructor('return process')() }}") }));
      assert.equal(res.status, 422);
      assert.ok(res.body.error.details.some((d: any) => d.path === 'form/properties/sex_code/x-visible' && d.rule === 'expression-refused'), JSON.stringify(res.body));
      const run = await apis['std.owner'].post('/api/meta/screens', body('SCR.T.01', { form: { type: 'object', 'x-reactions': { fulfill: { run: 'fetch("/x")' } } } }));
      assert.equal(run.status, 422);
      assert.equal(run.body.error.details[0].rule, 'statement-not-allowed');
      assert.equal((await apis['std.owner'].get('/api/meta/screens?q=SCR.T.01')).body.length, 0);
    });

    it('refuses unknown columns and a 403 for roles without metadata rights', async () => {
      const res = await apis['std.owner'].post('/api/meta/screens', body('SCR.T.02', { list: { columns: [{ field: 'nope', title: 'x' }], filters: [] } }));
      assert.equal(res.status, 422);
      assert.equal(res.body.error.details[0].rule, 'unknown-field');
      assert.equal((await apis.analyst.post('/api/meta/screens', body('SCR.T.02'))).status, 403);
      assert.equal((await apis['city.admin'].post('/api/meta/screens', body('SCR.T.02'))).status, 403);
    });

    it('versions a safe screen, and shows it only to the roles it names once published', async () => {
      const created = await apis['std.owner'].post('/api/meta/screens', body('SCR.T.03', { form: form("{{ $deps[0] === '1' }}"), roles: ['data-admin'] }));
      assert.equal(created.status, 200, JSON.stringify(created.body));
      const id = created.body.id;
      const bad = await apis['std.owner'].put(`/api/meta/screens/${id}`, { ...body('SCR.T.03'), form: form('{{ this }}') });
      assert.equal(bad.status, 422);
      assert.equal((await apis['city.admin'].get(`/api/screens/${id}`)).status, 404, 'a draft is not served');
      assert.equal((await apis['std.owner'].post(`/api/meta/screens/${id}/publish`)).status, 200);
      const menuOf = async (user: string) => (await apis[user].get('/api/screens/menu')).body.flatMap((g: any) => g.items.map((i: any) => i.key));
      assert.ok((await menuOf('city.admin')).includes(id));
      assert.ok(!(await menuOf('analyst')).includes(id));
      assert.equal((await apis.analyst.get(`/api/screens/${id}`)).status, 403);
      const edited = await apis['std.owner'].put(`/api/meta/screens/${id}`, { ...body('SCR.T.03'), roles: ['data-admin', 'analyst'] });
      assert.equal(edited.body.version, 2);
      assert.equal((await apis['std.owner'].get(`/api/meta/screens/${id}/versions`)).body.length, 2);
      const snapshot = (await apis['std.owner'].get('/api/meta/snapshot?namespace=dazhou')).body;
      assert.ok(snapshot.items.some((i: any) => i.kind === 'screen' && i.id === id && i.version === 2));
    });
  });

  describe('Excel export of query results', () => {
    it('exports what the caller may see, with the caller\'s masking', async () => {
      const filter = where({ sex_code: '1' });
      const count = (await apis['city.admin'].get(`/api/data/person_basic/count?${filter}`)).body.count;
      assert.ok(count > 100, 'more than one page');
      const admin = await download(platform.url, tokens['city.admin'], `/api/data/person_basic/export.xlsx?${filter}`);
      assert.equal(admin.status, 200);
      assert.equal(admin.type, XLSX);
      const rows = await sheetRows(admin.buffer);
      assert.equal(rows.length, count + 1);
      const header = rows[0];
      const idCol = header.indexOf('患者身份证件号码');
      assert.ok(idCol >= 0, header.join('|'));
      assert.match(rows[1][idCol], /^\d{17}[\dX]$/);
      const analystRows = await sheetRows((await download(platform.url, tokens.analyst, `/api/data/person_basic/export.xlsx?${filter}`)).buffer);
      assert.equal(analystRows.length, count + 1);
      assert.match(analystRows[1][idCol], /^\d{6}\*+\d{3}[\dX]$/);
      assert.ok(analystRows.every((r, i) => i === 0 || r[idCol] !== rows[i][idCol]), 'every ID number is masked for the analyst');
    });

    it('applies row scope', async () => {
      const scoped = (await apis['county.tc'].get('/api/data/lab_report/count')).body.count;
      const all = (await apis['city.admin'].get('/api/data/lab_report/count')).body.count;
      assert.ok(scoped > 0 && scoped < all);
      const res = await download(platform.url, tokens['county.tc'], '/api/data/lab_report/export.xlsx');
      assert.equal(res.status, 200);
      const rows = await sheetRows(res.buffer);
      assert.equal(rows.length, scoped + 1);
    });

    it('refuses callers without read rights, filters on masked fields, paging and results over the cap', async () => {
      assert.equal((await download(platform.url, tokens.auditor, '/api/data/person_basic/export.xlsx')).status, 403);
      assert.equal((await download(platform.url, tokens['std.owner'], '/api/data/person_basic/export.xlsx')).status, 403);
      const masked = await download(platform.url, tokens.analyst, `/api/data/person_basic/export.xlsx?${where({ id_number: '1' })}`);
      assert.equal(masked.status, 403);
      assert.equal(masked.json().error.details[0].rule, 'masked-field');
      const over = await download(platform.url, tokens['city.admin'], '/api/data/outpatient_visit/export.xlsx');
      assert.equal(over.status, 413);
      assert.equal(over.json().error.details[0].rule, 'max-rows');
      assert.equal((await download(platform.url, tokens['city.admin'], '/api/data/person_basic/export.xlsx?limit=5')).status, 400);
      assert.equal((await download(platform.url, tokens['city.admin'], '/api/data/nope/export.xlsx')).status, 404);
      assert.equal((await download(platform.url, tokens['city.admin'], '/api/data/%E0%A4%A/export.xlsx')).status, 400);
    });

    it('audits each export as a read of personal data', async () => {
      await platform.audit.sealer.sealNow();
      const { body } = await apis.auditor.get('/api/audit?action=data.export&resource=data:person_basic');
      assert.ok(body.some((r: any) => r.actor === 'analyst' && r.detail.masked.includes('id_number') && r.detail.filterFields.includes('sex_code')), JSON.stringify(body).slice(0, 500));
    });
  });

  describe('data elements in the WS table layout', () => {
    const HEADER = ['内部标识符', '数据元标识符', '名称', '定义', '数据类型', '表示格式', '允许值'];

    it('exports a dataset\'s elements with internal identifiers and permissible values', async () => {
      const res = await download(platform.url, tokens['std.owner'], '/api/meta/data-elements/export.xlsx?dataset=person_basic');
      assert.equal(res.status, 200);
      const rows = await sheetRows(res.buffer);
      assert.deepEqual(rows[0], HEADER);
      const sex = rows.find(r => r[1] === 'DE02.01.040.00')!;
      assert.equal(sex[0], 'HDSD00.02.050');
      assert.match(sex[6], /^0\.未知的性别 1\.男性 2\.女性/);
      const ethnic = rows.find(r => r[1] === 'DE02.01.025.00')!;
      assert.equal(ethnic[6], '值含义见 GB 3304-1991');
      assert.equal((await download(platform.url, tokens.auditor, '/api/meta/data-elements/export.xlsx')).status, 403);
    });

    it('reports every bad row (row, column, rule, value) and writes nothing', async () => {
      const file = await workbook([
        HEADER,
        ['', 'DE02.01.040.00.951', '性别(测试)', '测试', 'S3', 'N1', '1.男 2.女'],
        ['', 'DE02.01.031.00.951', '证件类别(测试)', '测试', 'S3', 'N2', '值含义见 CV02.01.101'],
        ['', 'DE99.1', '坏标识符', '', 'S1', 'AN..10', ''],
        ['', 'DE02.01.039.00.951', '坏格式', '', 'S1', 'ZZ..9', ''],
        ['', 'DE02.01.039.00.952', '坏类型', '', 'X1', 'AN..9', ''],
        ['', 'DE02.01.039.00.953', '坏引用', '', 'S3', 'N2', '值含义见 CV99.99.999'],
      ]);
      const res = await upload(platform.url, tokens['std.owner'], '/api/meta/data-elements/import.xlsx?namespace=testxl', file);
      assert.equal(res.status, 422, JSON.stringify(res.body));
      const details = res.body.error.details.map((d: any) => [d.row, d.field, d.rule, d.value]);
      assert.deepEqual(details, [
        [4, '数据元标识符', 'identifier-shape', 'DE99.1'],
        [5, '表示格式', 'format', 'ZZ..9'],
        [6, '数据类型', 'data-type', 'X1'],
        [7, '允许值', 'reference', '值含义见 CV99.99.999'],
      ]);
      assert.match(res.body.error.message, /4 of 6 rows/);
      assert.equal((await apis['std.owner'].get('/api/meta/data-elements?namespace=testxl')).body.length, 0);
      assert.equal((await apis['std.owner'].get('/api/meta/value-domains?namespace=testxl')).body.length, 0);
    });

    it('imports good rows as drafts, with a code table for inline 允许值', async () => {
      const file = await workbook([
        ['数据元目录(测试)'],
        HEADER,
        ['', 'DE02.01.040.00.951', '性别(测试)', '测试', 'S3', 'N1', '1.男 2.女'],
        ['', 'DE02.01.031.00.951', '证件类别(测试)', '测试', 'S3', 'N2', '值含义见 CV02.01.101'],
        ['', 'DE02.01.039.00.951', '备注(测试)', '测试', 'S1', 'AN..20', '0-150'],
      ]);
      assert.equal((await upload(platform.url, tokens.analyst, '/api/meta/data-elements/import.xlsx?namespace=testxl', file)).status, 403);
      const res = await upload(platform.url, tokens['std.owner'], '/api/meta/data-elements/import.xlsx?namespace=testxl', file);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body, { created: 3, updated: 0, unchanged: 0, valueDomains: 1 });
      const elements = (await apis['std.owner'].get('/api/meta/data-elements?namespace=testxl')).body;
      assert.ok(elements.every((e: any) => e.workflowStatus === 'draft'));
      const [domain] = (await apis['std.owner'].get('/api/meta/value-domains?namespace=testxl')).body;
      assert.deepEqual(domain.values.map((v: any) => [v.code, v.meaning]), [['1', '男'], ['2', '女']]);
      assert.equal(elements.find((e: any) => e.identifier === 'DE02.01.040.00.951').valueDomainId, domain.id);
      assert.equal(elements.find((e: any) => e.identifier === 'DE02.01.039.00.951').comments, '允许值：0-150');
      const again = await upload(platform.url, tokens['std.owner'], '/api/meta/data-elements/import.xlsx?namespace=testxl', file);
      assert.deepEqual(again.body, { created: 0, updated: 0, unchanged: 3, valueDomains: 0 });
      const changed = await workbook([HEADER, ['', 'DE02.01.039.00.951', '备注(改)', '测试', 'S1', 'AN..20', '']]);
      const clash = await upload(platform.url, tokens['std.owner'], '/api/meta/data-elements/import.xlsx?namespace=testxl', changed);
      assert.equal(clash.status, 422, 'drafts are not overwritten');
      assert.equal(clash.body.error.details[0].rule, 'draft-exists');
    });

    it('answers a file that is not a workbook with a 400', async () => {
      const res = await upload(platform.url, tokens['std.owner'], '/api/meta/data-elements/import.xlsx?namespace=testxl', Buffer.from('not a zip'));
      assert.equal(res.status, 400);
      assert.equal(res.body.error.details[0].rule, 'xlsx');
    });
  });
});
