import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import fs from 'node:fs';
import path from 'node:path';
import { Platform } from '@lingshu/platform';
import { TEST_PASSWORD, signIn } from '../support';
import { Page, Session, browserScenario, choose, openMenuItem, signInAs } from './browser';

const OUT = path.resolve(__dirname, '..', '..', '..', 'test-output', 'e2e', 'open-data');
const ID_MASKED = /^\d{6}\*{8}[\dX]{4}$/;
const PHONE_MASKED = /^\d{3}\*+\d{4}$/;

/** Opens the 开放数据 menu group (if closed) and one of its pages. */
async function openPage(page: Page, item: string) {
  await openMenuItem(page, '开放数据', item);
  await page.getByRole('heading', { name: item }).waitFor();
}

describe('e2e: open data — a data user applies for a catalogue resource, it is approved, the user downloads masked CSV and Excel, the grant is revoked', function () {
  this.timeout(300_000);
  const scenario = browserScenario('open-data', { demoData: 'small', users: [
    { username: 'od.officer', displayName: '数据安全员', orgCode: null, roles: ['data-security-officer'] },
    { username: 'od.user', displayName: '数据使用者', orgCode: 'od-hosp', roles: ['institution-user'] },
    { username: 'od.head', displayName: '科室负责人', orgCode: 'od-hosp', roles: ['department-head'] },
    { username: 'od.director', displayName: '中心主任', orgCode: null, roles: ['centre-director'] },
  ] });
  let platform: Platform;
  let s: Session;
  let page: Page;

  before(async () => {
    ({ platform, session: s } = scenario);
    page = s.page;
    fs.mkdirSync(OUT, { recursive: true });
    await page.goto('/');
  });

  it('the security officer makes a resource of person_basic: fields, row filter (checked by the server), masking profile', async () => {
    await signInAs(page, 'od.officer');
    await openPage(page, '数据资源管理');
    await page.click('[data-testid="od-new-resource"]');
    const editor = page.locator('[data-testid="od-resource-editor"]');
    await page.fill('[data-testid="od-res-code"]', 'person-contacts');
    await page.fill('[data-testid="od-res-name"]', '居民联系方式（女性，脱敏）');
    await page.fill('[data-testid="od-res-description"]', '个人基本信息中女性居民的身份证件号码与电话，供随访使用');
    await page.fill('[data-testid="od-res-owner"]', '信息科');
    await choose(page, page.locator('[data-testid="od-res-dataset"]'), '(person_basic)');
    for (const f of ['id_number', 'patient_name', 'phone', 'sex_code']) await page.click(`[data-testid="od-res-field-${f}"]`);
    // At masking profile 0 the sex code is masked too: filtering on it would leak it, and the server says so.
    await page.fill('[data-testid="od-res-filter"]', '{"sex_code": "2"}');
    await page.click('[data-testid="od-save-resource"]');
    await editor.getByText('rowFilter.sex_code').first().waitFor();
    await s.shot('editor-filter-refused');
    await choose(page, page.locator('[data-testid="od-res-clearance"]'), '1 级');
    await page.click('[data-testid="od-save-resource"]');
    await page.getByText('已保存为第 1 版').waitFor();
    await page.locator('[data-testid="od-resources"] tr.ant-table-row', { hasText: 'person-contacts' }).waitFor();
    await s.shot('resources');
    // Each save is the next version; the editor lists them.
    await page.locator('[data-testid="od-resources"] tr.ant-table-row', { hasText: 'person-contacts' }).getByRole('button').click();
    await page.fill('[data-testid="od-res-description"]', '个人基本信息中女性居民的身份证件号码与电话（已脱敏），供两癌筛查随访使用');
    await page.click('[data-testid="od-save-resource"]');
    await page.getByText('已保存为第 2 版').waitFor();
    await page.locator('[data-testid="od-resources"] tr.ant-table-row', { hasText: 'person-contacts' }).getByRole('button').click();
    await page.locator('[data-testid="od-res-versions"] tr.ant-table-row').nth(1).waitFor();
    assert.equal(await page.locator('[data-testid="od-res-versions"] tr.ant-table-row').count(), 2);
    await s.shot('resource-versions');
    await page.locator('[data-testid="od-resource-editor"] .ant-drawer-close').click();
    const saved = await platform.db.query<{ version: number; clearance: number; row_filter: unknown }>(`SELECT version, clearance, row_filter FROM wf_resource WHERE code = 'person-contacts' ORDER BY version`);
    assert.deepEqual(saved.map(r => [r.version, r.clearance, r.row_filter]), [[1, 1, { sex_code: '2' }], [2, 1, { sex_code: '2' }]]);
  });

  it('the data user searches the catalogue and applies: purpose, a subset of the fields, the period', async () => {
    await signInAs(page, 'od.user');
    await openPage(page, '数据资源目录');
    await page.locator('input[data-testid="od-search"]').fill('联系方式');
    await page.locator('input[data-testid="od-search"]').press('Enter');
    const row = page.locator('[data-testid="od-catalogue"] tr.ant-table-row', { hasText: 'person-contacts' });
    await row.waitFor();
    assert.equal(await page.locator('[data-testid="od-catalogue"] tr.ant-table-row').count(), 1);
    assert.match(await row.innerText(), /v2[\s\S]*两癌筛查[\s\S]*个人基本信息[\s\S]*信息科/);
    await s.shot('catalogue');
    await page.click('[data-testid="od-apply-person-contacts"]');
    await page.fill('[data-testid="od-purpose"]', '女性居民两癌筛查随访');
    await page.click('[data-testid="od-field-patient_name"]');
    await s.shot('apply-form');
    await page.click('[data-testid="od-apply-submit"]');
    await page.getByText('申请已提交，进入审批流程').waitFor();

    await openPage(page, '我的申请与授权');
    const app = page.locator('[data-testid="od-app-person-contacts"]');
    await app.locator('[data-testid="od-state"]', { hasText: '审批中' }).waitFor();
    await s.shot('in-approval');
  });

  it('the department head, the data security officer and the centre director each claim and approve in the inbox', async () => {
    const steps: Array<[string, string]> = [['od.head', 'departmentHead'], ['od.officer', 'securityOfficer'], ['od.director', 'director']];
    for (const [username, activity] of steps) {
      await signInAs(page, username);
      await page.goto('/inbox');
      await page.click('[data-testid="inbox-tab-claimable"]');
      const row = page.locator('[data-testid="inbox-table"] .ant-table-row').first();
      await row.waitFor();
      await row.locator('[data-testid="claim-task"]').click();
      await page.getByText('已认领').waitFor();
      await page.click('[data-testid="inbox-tab-mine"]');
      await page.locator('[data-testid="inbox-table"] .ant-table-row').first().locator('[data-testid="open-task"]').click();
      // The drawer shows the application: applicant, purpose, fields, period.
      await page.locator('.ant-drawer-content').getByText('女性居民两癌筛查随访').waitFor();
      if (activity === 'departmentHead') await s.shot('approver-task');
      const card = page.locator(`[data-testid="task-actions"][data-activity="${activity}"]`);
      await card.locator('[data-testid="task-comment"]').fill(`${username} 同意`);
      const done = page.waitForResponse(r => r.url().includes('/complete') && r.request().method() === 'POST');
      await card.locator('[data-testid="decide-approve"]').click();
      const res = await done;
      assert.equal(res.status(), 200, await res.text());
      await page.locator('.ant-drawer-content').waitFor({ state: 'detached' });
    }
  });

  it('the user sees the grant, its case timeline, and downloads CSV and Excel with masked ID numbers and phones', async () => {
    await signInAs(page, 'od.user');
    await openPage(page, '我的申请与授权');
    const app = page.locator('[data-testid="od-app-person-contacts"]');
    await app.locator('[data-testid="od-state"]', { hasText: '已授权' }).waitFor();
    await app.locator('[data-testid="od-timeline"]').click();
    const drawer = page.locator('[data-testid="od-timeline-drawer"]');
    await drawer.getByText('od.director').first().waitFor();
    await s.shot('granted-timeline');
    await drawer.locator('.ant-drawer-close').click();

    const [csvDownload] = await Promise.all([page.waitForEvent('download'), app.locator('[data-testid="od-download-csv"]').click()]);
    assert.match(csvDownload.suggestedFilename(), /^person-contacts-.*\.csv$/);
    const csvFile = path.join(OUT, csvDownload.suggestedFilename());
    await csvDownload.saveAs(csvFile);
    const lines = fs.readFileSync(csvFile, 'utf8').replace(/^\uFEFF/, '').trim().split('\r\n');
    assert.equal(lines[0], 'id_number,phone,sex_code', 'the fields applied for (the name was not)');
    assert.ok(lines.length > 1, 'rows');
    for (const line of lines.slice(1)) {
      const [id, phone, sex] = line.split(',');
      assert.match(id, ID_MASKED, line);
      if (phone) assert.match(phone, PHONE_MASKED, line);
      assert.equal(sex, '2', 'the row filter');
    }
    assert.ok(lines.slice(1).some(l => PHONE_MASKED.test(l.split(',')[1])), 'some phones present, masked');

    const [xlsxDownload] = await Promise.all([page.waitForEvent('download'), app.locator('[data-testid="od-download-xlsx"]').click()]);
    assert.match(xlsxDownload.suggestedFilename(), /^person-contacts-.*\.xlsx$/);
    const xlsxFile = path.join(OUT, xlsxDownload.suggestedFilename());
    await xlsxDownload.saveAs(xlsxFile);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(xlsxFile);
    const rows: string[][] = [];
    workbook.worksheets[0].eachRow(r => rows.push((r.values as unknown[]).slice(1).map(v => String(v ?? ''))));
    assert.deepEqual(rows[0], ['id_number', 'phone', 'sex_code']);
    assert.equal(rows.length, lines.length, 'the same rows as the CSV');
    for (const [id, phone] of rows.slice(1)) {
      assert.match(id, ID_MASKED);
      if (phone) assert.match(phone, PHONE_MASKED);
    }
    await page.getByText('已下载（数据已脱敏，下载已记录审计）').first().waitFor();
    await s.shot('downloaded');
    const audit = await platform.db.query<{ detail: { format: string } }>(`SELECT detail FROM audit_log WHERE action = 'workflow.resource.download' AND actor = 'od.user'`);
    assert.deepEqual(audit.map(a => a.detail.format).sort(), ['csv', 'xlsx'], 'each download audited');
  });

  it('the officer revokes the grant with a reason; the user’s download is then refused', async () => {
    await signInAs(page, 'od.officer');
    await openPage(page, '授权管理');
    const grant = page.locator('[data-testid="od-grant-od.user-person-contacts"]');
    await grant.locator('[data-testid="od-revoke"]').click();
    await page.fill('[data-testid="od-revoke-reason"]', '随访项目已结束');
    await page.click('[data-testid="od-revoke-submit"]');
    await page.getByText('授权已撤销').waitFor();
    await grant.getByText('由 od.officer 撤销：随访项目已结束').waitFor();
    await s.shot('revoked');

    const user = await signIn(platform.url, 'od.user', TEST_PASSWORD);
    const refused = await user.api.get('/api/workflow/resources/person-contacts/download?format=csv');
    assert.equal(refused.status, 403);
    await signInAs(page, 'od.user');
    await openPage(page, '我的申请与授权');
    const app = page.locator('[data-testid="od-app-person-contacts"]');
    await app.locator('[data-testid="od-state"]', { hasText: '已撤销' }).waitFor();
    assert.equal(await app.locator('[data-testid="od-download-csv"]').count(), 0, 'no download once revoked');
    await s.shot('user-revoked');
    assert.deepEqual(s.problems.filter(p => !/status of 4\d\d/.test(p)), [], 'no console errors');
  });
});
