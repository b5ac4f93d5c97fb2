import assert from 'node:assert/strict';
import { Platform } from '@lingshu/platform';
import { userApi, TEST_PASSWORD } from '../support';
import { Page, Session, browserScenario } from './browser';

const PASSWORD = TEST_PASSWORD;

/** Picks an option of an antd Select (typing to search when the select is searchable). */
async function choose(page: Page, select: ReturnType<Page['locator']>, text: string, search?: string) {
  await select.click();
  if (search) await select.locator('input').fill(search);
  await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: text }).first().click();
}

const field = (page: Page, name: string) => page.locator(`.ant-formily-item:has(#field-${name})`);
const rows = (page: Page) => page.locator('.ant-formily-array-table tbody tr.ant-table-row');
const cell = (page: Page, row: number, col: number) => rows(page).nth(row).locator('td').nth(col);

async function statusIs(page: Page, status: string) {
  await page.locator(`.ls-page-header [data-testid="status-tag"][data-status="${status}"]`).waitFor();
}

async function act(page: Page, action: string) {
  await page.click(`[data-testid="action-${action}"]`);
  await page.click('[data-testid="confirm-action"]');
}

describe('e2e: a standard owner designs and publishes a dataset in the browser', function () {
  this.timeout(180_000);
  const scenario = browserScenario('standard-owner', { demoData: 'none', users: [{ username: 'std.owner', displayName: '标准管理员', orgCode: null, roles: ['standard-owner'] }] });
  let platform: Platform;
  let s: Session;
  let page: Page;

  before(async () => {
    ({ platform, session: s } = scenario);
    page = s.page;
  });

  it('signs in: a wrong password is refused in Chinese, the right one opens the dashboard', async () => {
    await page.goto('/');
    await page.locator('#login-username').waitFor();
    await s.shot('login');
    await page.fill('#login-username', 'std.owner');
    await page.fill('#login-password', 'not-the-password');
    await page.click('#login-submit');
    await page.getByText('用户名或密码错误').waitFor();
    await page.fill('#login-password', PASSWORD);
    await page.click('#login-submit');
    await page.getByRole('heading', { name: '工作台' }).waitFor();
    await page.locator('[data-testid="chart-meta"] canvas').waitFor();
    await s.shot('dashboard');
    const menu = await page.locator('[data-testid="main-menu"]').innerText();
    assert.match(menu, /数据元/);
    assert.match(menu, /数据集/);
  });

  it('creates an enumerated value domain with permissible values in an editable table, and publishes it', async () => {
    await page.locator('[data-testid="main-menu"]').getByText('值域').click();
    await page.locator('[data-testid="item-table"] .ant-table-row').first().waitFor();
    await s.shot('value-domain-list');
    await page.click('[data-testid="create-item"]');
    await page.fill('#field-identifier', 'CV99.02.001');
    await page.fill('#field-name', '随访方式代码');
    await cell(page, 0, 1).locator('input').fill('1');
    await cell(page, 0, 2).locator('input').fill('门诊');
    await page.click('[data-testid="add-value"]');
    await cell(page, 1, 1).locator('input').fill('2');
    await cell(page, 1, 2).locator('input').fill('电话');
    await s.shot('value-domain-form');
    await page.click('[data-testid="save-item"]');
    await statusIs(page, 'draft');
    await act(page, 'publish');
    await statusIs(page, 'published');
    await s.shot('value-domain-published');
    assert.equal(await page.locator('[data-testid="item-title"]').innerText(), '随访方式代码');
  });

  it('creates data elements; a server validation error shows next to the field it names', async () => {
    await page.locator('[data-testid="main-menu"]').getByText('数据元').click();
    await page.locator('.ant-tree-treenode', { hasText: '第 3 部分 人口学及社会经济学特征' }).waitFor();
    await s.shot('data-element-tree');
    await page.click('[data-testid="create-item"]');
    await page.fill('#field-identifier', 'DE99.02.001.00');
    await page.fill('#field-name', '随访方式');
    await choose(page, field(page, 'dataType').locator('.ant-select'), 'S3');
    await page.fill('#field-format', 'AN..');
    await choose(page, field(page, 'valueDomainId').locator('.ant-select'), 'CV99.02.001', 'CV99.02');
    await page.click('[data-testid="save-item"]');
    const help = field(page, 'format').locator('.ant-formily-item-help, .ant-formily-item-error-help');
    await help.waitFor();
    await s.shot('data-element-server-error');
    assert.match(await help.innerText(), /\S/, 'the server message is under the format field');
    await page.fill('#field-format', 'N1');
    await page.click('[data-testid="save-item"]');
    await statusIs(page, 'draft');
    await act(page, 'publish');
    await statusIs(page, 'published');

    await page.locator('[data-testid="main-menu"]').getByText('数据元').click();
    await page.click('[data-testid="create-item"]');
    await page.fill('#field-identifier', 'DE99.02.002.00');
    await page.fill('#field-name', '随访日期');
    await choose(page, field(page, 'dataType').locator('.ant-select'), 'D');
    await page.fill('#field-format', 'D8');
    await page.click('[data-testid="save-item"]');
    await statusIs(page, 'draft');
    await act(page, 'publish');
    await statusIs(page, 'published');
    await s.shot('data-element-published');

    await page.locator('[data-testid="main-menu"]').getByText('数据元').click();
    await page.locator('input[data-testid="list-search"]').fill('DE99.02');
    await page.locator('input[data-testid="list-search"]').press('Enter');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="item-table"] .ant-table-row').length === 2);
    const found = await page.locator('[data-testid="item-table"] .ant-table-row td:nth-child(2)').allInnerTexts();
    assert.deepEqual(found, ['随访方式', '随访日期']);
    await page.locator('.ant-tree-treenode', { hasText: '其他 / 本地扩展 (2)' }).waitFor();
  });

  it('creates a dataset with inclusions reordered by dragging, publishes it, and its data API answers', async () => {
    await page.locator('[data-testid="main-menu"]').getByText('数据集').click();
    await page.click('[data-testid="create-item"]');
    await page.fill('#field-identifier', 'DZ.E2E.01');
    await page.fill('#field-code', 'e2e_follow_up');
    await page.fill('#field-name', '随访记录');
    // row 1 (defaults: mandatory, business key): the visit date
    await choose(page, cell(page, 0, 2).locator('.ant-select'), 'DE99.02.002.00', 'DE99.02.002');
    await cell(page, 0, 3).locator('input').fill('visit_date');
    // row 2: the way of follow-up, optional, in a group
    await page.click('[data-testid="add-inclusion"]');
    await choose(page, cell(page, 1, 2).locator('.ant-select'), 'DE99.02.001.00', 'DE99.02.001');
    await cell(page, 1, 3).locator('input').fill('way_code');
    await cell(page, 1, 8).locator('input').fill('随访信息');
    await s.shot('dataset-form');
    // drag row 2 above row 1 by its handle
    const handle = cell(page, 1, 0).locator('.anticon').first();
    const target = cell(page, 0, 0);
    const from = (await handle.boundingBox())!;
    const to = (await target.boundingBox())!;
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(from.x + from.width / 2, from.y - 5, { steps: 5 });
    await page.mouse.move(to.x + to.width / 2, to.y + 2, { steps: 10 });
    await page.waitForTimeout(150); // let the sortable settle over its target
    await page.mouse.up();
    await page.waitForFunction(() => (document.querySelector('.ant-formily-array-table tbody tr.ant-table-row td:nth-child(4) input') as HTMLInputElement)?.value === 'way_code');
    await s.shot('dataset-reordered');
    await page.click('[data-testid="save-item"]');
    await statusIs(page, 'draft');
    const order = await page.locator('.ant-table-row td:nth-child(2) code').allInnerTexts();
    assert.deepEqual(order, ['way_code', 'visit_date'], 'the saved order follows the drag');
    await page.getByRole('tab', { name: '发布影响' }).click();
    await page.locator('[data-testid="migration-plan"]').getByText('create-table').waitFor();
    await s.shot('dataset-publish-impact');
    await act(page, 'publish');
    await statusIs(page, 'published');
    await page.getByText('/api/data/e2e_follow_up').waitFor();
    await s.shot('dataset-published');

    const admin = await userApi(platform, 'e2e.data', ['data-admin']);
    const created = await admin.post('/api/data/e2e_follow_up', { visit_date: '20261120', way_code: '2' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const listed = await admin.get('/api/data/e2e_follow_up');
    assert.equal(listed.status, 200);
    assert.deepEqual(listed.body.map((r: { way_code: string }) => r.way_code), ['2']);
    const meta = (await admin.get('/api/meta/datasets?q=DZ.E2E')).body[0];
    assert.deepEqual(meta.inclusions.map((i: { column: string; order: number; group?: string }) => [i.column, i.order, i.group ?? null]), [['way_code', 1, '随访信息'], ['visit_date', 2, null]]);
    assert.ok(meta.inclusions.every((i: object) => !('__DO_NOT_USE_THIS_PROPERTY_index__' in i)), 'no Formily row index saved');
  });

  it('editing the published dataset opens version 2; the history compares any two versions side by side', async () => {
    await page.click('[data-testid="edit-item"]');
    await page.getByText('该版本已发布，保存后将生成新版本草稿。').waitFor();
    await page.fill('#field-name', '随访记录（第二版）');
    await page.click('[data-testid="save-item"]');
    await statusIs(page, 'draft');
    await page.getByRole('tab', { name: '版本历史' }).click();
    const versions = page.locator('[data-testid="version-table"] .ant-table-row');
    await versions.nth(1).waitFor();
    await versions.nth(0).locator('input[type="checkbox"]').check();
    await versions.nth(1).locator('input[type="checkbox"]').check();
    await page.click('[data-testid="compare-versions"]');
    const diff = page.locator('[data-testid="version-diff"]');
    await diff.getByText('随访记录（第二版）').waitFor();
    await s.shot('version-diff');
    const text = await diff.innerText();
    assert.match(text, /v1 ↔ v2/);
    assert.match(text, /name[\s\S]*随访记录[\s\S]*随访记录（第二版）/);
  });

  it('switches to English and back; no script or CSP errors on the way', async () => {
    await page.click('[data-testid="lang-switch"]');
    await page.locator('[data-testid="main-menu"]').getByText('Datasets').waitFor();
    await s.shot('english');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en-US');
    assert.match(await page.title(), /^Lingshu/);
    await page.click('[data-testid="lang-switch"]');
    await page.locator('[data-testid="main-menu"]').getByText('数据集').waitFor();
    const problems = s.problems.filter(p => !/Failed to load resource/.test(p));
    assert.deepEqual(problems, []);
  });
});
