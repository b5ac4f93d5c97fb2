import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import fs from 'node:fs';
import path from 'node:path';
import { Platform } from '@lingshu/platform';
import { TEST_PASSWORD } from '../support';
import { Page, Session, browserScenario, choose, mainMenu, openMenuItem, signInAs } from './browser';

const PASSWORD = TEST_PASSWORD;
const menu = mainMenu;
const resultRows = (scope: ReturnType<Page['locator']>) => scope.locator('[data-testid="result-table"] tbody tr.ant-table-row');

/** Opens a menu group (if closed) and clicks one of its items. */
async function openScreen(page: Page, group: string, item: string) {
  await openMenuItem(page, group, item);
  await page.locator('[data-testid="query-screen"]').waitFor();
}

describe('e2e: screens — a standard owner designs a query screen, end users query it', function () {
  this.timeout(240_000);
  const scenario = browserScenario('screens', { demoData: 'small', users: [
    // A standard owner who may also read the (masked) records, so the preview shows real data.
    { username: 'screen.owner', displayName: '界面设计员', orgCode: null, roles: ['standard-owner', 'analyst'] },
  ] });
  let platform: Platform;
  let s: Session;
  let page: Page;

  before(async () => {
    ({ platform, session: s } = scenario);
    page = s.page;
    await page.goto('/');
  });

  it('the owner drags fields of a dataset onto the canvas, groups them into a card and a tab and sets their props', async () => {
    await signInAs(page, 'screen.owner');
    await menu(page).getByText('界面设计').click();
    await page.locator('[data-testid="screen-table"] tbody tr.ant-table-row').first().waitFor();
    assert.equal(await page.locator('[data-testid="screen-table"] tbody tr.ant-table-row').count(), 4, 'the four seeded case queries are listed');
    await page.click('[data-testid="new-screen"]');
    await choose(page, page.locator('[data-testid="pick-dataset"]'), '(outpatient_visit)');
    await page.locator('[data-testid="palette"]').waitFor();
    await s.shot('designer-empty');

    for (const f of ['visit_time', 'patient_name', 'sex_code', 'diagnosis_name']) {
      await page.locator(`[data-testid="palette-${f}"]`).dragTo(page.locator('[data-testid="drop-0"]'));
      await page.locator(`[data-testid="drop-0"] [data-testid="tile-${f}"]`).waitFor();
    }
    // Moving a tile onto another puts it before that one.
    await page.locator('[data-testid="tile-diagnosis_name"]').dragTo(page.locator('[data-testid="tile-visit_time"]'));
    const order = await page.locator('[data-testid="drop-0"] [data-testid^="tile-"]').evaluateAll(els => els.map(e => e.getAttribute('data-testid')));
    assert.deepEqual(order, ['tile-diagnosis_name', 'tile-visit_time', 'tile-patient_name', 'tile-sex_code']);

    await page.click('[data-testid="add-tab"]');
    await page.fill('[data-testid="container-title"]', '就诊经过');
    await page.locator('[data-testid="palette-chief_complaint"]').dragTo(page.locator('[data-testid="drop-1"]'));
    await page.locator('[data-testid="drop-1"] [data-testid="tile-chief_complaint"]').waitFor();

    await page.click('[data-testid="tile-patient_name"]');
    await page.fill('[data-testid="prop-title"]', '患者姓名');
    await page.locator('[data-testid="prop-span"]').getByText('2/4').click();
    await page.locator('[data-testid="tile-patient_name"]').getByText('患者姓名').waitFor();
    const span = await page.locator('[data-testid="tile-patient_name"]').evaluate(e => (e as HTMLElement).style.gridColumn);
    assert.match(span, /span 2/);
    await s.shot('designer-canvas');

    await page.click('[data-testid="tab-list"]');
    await page.fill('[data-testid="cfg-group"]', '门诊业务');
    await page.fill('[data-testid="cfg-menu-title"]', '门诊就诊查询');
    await s.shot('designer-list-settings');
  });

  it('previews the screen with real data, and an injected expression in the form JSON does nothing', async () => {
    await page.click('[data-testid="tab-preview"]');
    const preview = page.locator('[data-testid="preview"]');
    await resultRows(preview).first().waitFor();
    assert.ok((await resultRows(preview).count()) > 0);
    await s.shot('designer-preview');

    await preview.locator('.ant-tabs-tab', { hasText: '录入表单' }).click();
    await preview.getByText('就诊经过').first().waitFor();

    await page.click('[data-testid="tab-json"]');
    const injected = {
      type: 'object',
      properties: {
        safe: { type: 'string', title: '安全字段', 'x-decorator': 'FormItem', 'x-component': 'Input', 'x-visible': '{{ 1 + 1 === 2 }}' },
        hidden: { type: 'string', title: '隐藏字段', 'x-decorator': 'FormItem', 'x-component': 'Input', 'x-visible': '{{ 1 > 2 }}' },
        evil: {
          type: 'string',
          title: '注入字段',
          'x-decorator': 'FormItem',
          'x-component': 'Input',
          'x-visible': "{{ (function(){ window.__pwned = 'visible'; return true })() }}",
          'x-component-props': { placeholder: "{{ constructor.constructor('window.__pwned = \"placeholder\"')() }}" },
          default: "{{ fetch('/api/auth/me') && (window.__pwned = 'default') }}",
        },
      },
    };
    await page.fill('[data-testid="schema-json"]', JSON.stringify(injected));
    await page.click('[data-testid="schema-apply"]');
    const out = page.locator('[data-testid="schema-preview"]');
    await out.getByText('安全字段').waitFor();
    assert.equal(await out.getByText('隐藏字段').count(), 0, 'a safe expression that is false hides its field');
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned), undefined, 'no injected code ran');
    await s.shot('designer-injected-json');
  });

  it('publishes: the screen enters the menu', async () => {
    await page.click('[data-testid="publish-screen"]');
    await page.locator('[data-testid="screen-status"][data-status="published"]').waitFor();
    await menu(page).getByText('门诊业务').waitFor();
    await s.shot('designer-published');
    const screens = await (await fetch(`${platform.url}/api/meta/screens?status=published`, { headers: { authorization: `Bearer ${await page.evaluate(() => sessionStorage.getItem('lingshu.token'))}` } })).json();
    const mine = screens.find((x: { name: string }) => x.name === '门(急)诊就诊记录查询');
    assert.ok(mine, JSON.stringify(screens.map((x: { name: string }) => x.name)));
    // Stored JSON keeps no key order (jsonb): the layout's order is in x-index.
    const tabs = Object.values(mine.form.properties as Record<string, { 'x-component': string; 'x-index': number }>)
      .sort((a, b) => a['x-index'] - b['x-index'])
      .map(p => p['x-component']);
    assert.deepEqual(tabs, ['Card', 'FormTab']);
  });

  it('imports data elements from Excel: a bad workbook shows the row-by-row report', async () => {
    await menu(page).getByText('数据元').click();
    await page.locator('[data-testid="item-table"] .ant-table-row').first().waitFor();
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('数据元');
    sheet.addRow(['内部标识符', '数据元标识符', '名称', '定义', '数据类型', '表示格式', '允许值']);
    sheet.addRow(['', 'DE99.01.001.00', '测试数据元', '一个测试', 'S1', 'AN..20', '']);
    sheet.addRow(['', 'not-an-identifier', '坏数据元', '坏', 'XX', '??', '']);
    const file = path.resolve(__dirname, '..', '..', '..', 'test-output', 'e2e', 'screens', 'bad-elements.xlsx');
    await wb.xlsx.writeFile(file);
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.click('[data-testid="import-elements"]')]);
    await chooser.setFiles(file);
    const report = page.locator('.ant-modal', { hasText: '导入失败' });
    await report.locator('tbody tr.ant-table-row').first().waitFor();
    const rows = await report.locator('tbody tr.ant-table-row td:first-child').allInnerTexts();
    assert.ok(rows.includes('3'), `the bad row is reported: ${rows.join(',')}`);
    await s.shot('element-import-report');
    await report.locator('.ant-modal-close').click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export-elements"]')]);
    assert.match(download.suggestedFilename(), /\.xlsx$/);
    s.problems.splice(0); // the refused upload's 422 was expected
  });

  it('an end user queries the published screen, sees masked fields, pages, exports Excel and opens a record', async () => {
    await signInAs(page, 'analyst');
    await openScreen(page, '门诊业务', '门诊就诊查询');
    const screen = page.locator('[data-testid="query-screen"]');
    await resultRows(screen).first().waitFor();
    await page.locator('[data-testid="masked-note"]').waitFor();
    assert.ok((await screen.locator('th [data-masked="true"]').count()) > 0, 'masked columns are marked');
    const idHeader = screen.locator('th', { hasText: '身份证件号码' }).first();
    const index = await idHeader.evaluate(th => Array.from(th.parentElement!.children).indexOf(th));
    const ids = await resultRows(screen).locator(`td:nth-child(${index + 1})`).allInnerTexts();
    assert.ok(ids.length > 0 && ids.every(v => /\*{4}/.test(v)), `ID numbers are masked: ${ids.slice(0, 3).join(', ')}`);
    // The person search is not offered: both its fields are masked for this role.
    assert.equal(await page.locator('[data-testid="person-search"]').count(), 0);
    await s.shot('end-user-query-masked');

    const first = await resultRows(screen).first().evaluate(e => e.textContent);
    await screen.locator('.ant-pagination-item-2').click();
    await page.waitForFunction(t => document.querySelector('[data-testid="result-table"] tbody tr.ant-table-row')?.textContent !== t, first);
    await screen.locator('.ant-pagination-item-active', { hasText: '2' }).waitFor();

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export-xlsx"]')]);
    const file = path.resolve(__dirname, '..', '..', '..', 'test-output', 'e2e', 'screens', download.suggestedFilename());
    await download.saveAs(file);
    const bytes = fs.readFileSync(file);
    assert.match(download.suggestedFilename(), /\.xlsx$/);
    assert.ok(bytes.length > 1000 && bytes.subarray(0, 2).toString() === 'PK', 'an xlsx (zip) file');
    await s.shot('end-user-exported');

    await resultRows(screen).first().click();
    const drawer = page.locator('[data-testid="record-drawer"]');
    await drawer.getByText('就诊经过').waitFor();
    assert.equal(await drawer.locator('[data-testid="record-edit"]').count(), 0, 'the analyst may not edit');
    assert.equal(await drawer.locator('input').count(), 0, 'the form is read-only');
    await s.shot('end-user-record');
    await drawer.locator('.ant-drawer-close').click();
  });

  it('an institution user edits a record in the generated screen: client rules first, then the server saves', async () => {
    await signInAs(page, 'hospital.zx');
    await openScreen(page, '数据查询', '门(急)诊就诊记录');
    const screen = page.locator('[data-testid="query-screen"]');
    await resultRows(screen).first().click();
    const drawer = page.locator('[data-testid="record-drawer"]');
    await drawer.locator('[data-testid="record-edit"]').click();
    const dept = drawer.locator('.ant-formily-item', { hasText: '就诊科室名称' }).locator('input');
    await dept.fill('');
    await dept.fill('全科医学科（浏览器测试）');
    const outpatientNo = drawer.locator('.ant-formily-item', { hasText: '门(急)诊号' }).locator('input');
    const kept = await outpatientNo.inputValue();
    await outpatientNo.fill('');
    await drawer.locator('[data-testid="record-save"]').click();
    await drawer.locator('.ant-formily-item-error-help').first().waitFor();
    await s.shot('record-edit-invalid');
    await outpatientNo.fill(kept);
    await drawer.locator('[data-testid="record-save"]').click();
    await page.getByText('已保存').first().waitFor();
    await drawer.locator('[data-testid="record-edit"]').waitFor();
    await drawer.getByText('全科医学科（浏览器测试）').waitFor();
    await s.shot('record-edited');
    await drawer.locator('.ant-drawer-close').click();
  });

  it('a city data administrator searches a case query by name and by ID number', async () => {
    await signInAs(page, 'city.admin');
    await openScreen(page, '病例查询', '门诊诊疗信息');
    const screen = page.locator('[data-testid="query-screen"]');
    await resultRows(screen).first().waitFor();
    const header = async (title: string) => screen.locator('thead th', { hasText: title }).first().evaluate(th => Array.from(th.parentElement!.children).indexOf(th) + 1);
    const nameCol = await header('患者姓名');
    const idCol = await header('身份证件号码');
    const name = await resultRows(screen).first().locator(`td:nth-child(${nameCol})`).innerText();
    const id = await resultRows(screen).first().locator(`td:nth-child(${idCol})`).innerText();
    await page.fill('[data-testid="person-search"]', name);
    await page.press('[data-testid="person-search"]', 'Enter');
    await page.waitForFunction(n => {
      const rows = [...document.querySelectorAll('[data-testid="result-table"] tbody tr.ant-table-row')];
      return rows.length > 0 && rows.every(r => r.textContent?.includes(n));
    }, name);
    await s.shot('case-query-by-name');
    await page.fill('[data-testid="person-search"]', id);
    await page.press('[data-testid="person-search"]', 'Enter');
    await page.waitForFunction(n => {
      const rows = [...document.querySelectorAll('[data-testid="result-table"] tbody tr.ant-table-row')];
      return rows.length > 0 && rows.every(r => r.textContent?.includes(n));
    }, id);
    await s.shot('case-query-by-id');
    assert.deepEqual(s.problems.filter(p => !/Warning:|favicon/.test(p)), []);
  });
});
