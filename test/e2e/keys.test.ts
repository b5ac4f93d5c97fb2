import assert from 'node:assert/strict';
import { Page, Session, browserScenario, mainMenu, openMenuItem, signInAs } from './browser';

const menu = mainMenu;

describe('e2e: keys — the security administrator rotates the field key and watches the re-encryption job', function () {
  this.timeout(240_000);
  const scenario = browserScenario('keys', { demoData: 'small' });
  let s: Session;
  let page: Page;

  before(async () => {
    s = scenario.session;
    page = s.page;
    await page.goto('/');
  });

  it('lists keys by purpose without their material, rotates, and the job runs to 100% with its progress shown', async () => {
    await signInAs(page, 'secadmin');
    await openMenuItem(page, '安全管理', '密钥管理');
    const rows = page.locator('.ant-table-row');
    await rows.first().waitFor();
    const before = await page.locator('tr', { hasText: '字段加密' }).locator('td').nth(1).innerText();
    await s.shot('keys');
    await page.click('[data-testid="rotate-key"]');
    await page.locator('.ant-popconfirm .ant-btn-primary').click();
    await page.locator('.ant-message', { hasText: '重新加密任务已启动' }).waitFor();
    // The job table polls every 2 s: wait for the finished state, then look at the bar.
    await page.locator('[data-testid="job-status"]', { hasText: '已完成' }).first().waitFor({ timeout: 120_000 });
    assert.equal(await page.locator('[data-testid="job-progress"]').first().getAttribute('data-percent'), '100');
    const active = page.locator('tr', { hasText: '字段加密' }).filter({ hasText: '在用' });
    await active.first().waitFor();
    assert.notEqual(await active.first().locator('td').nth(1).innerText(), before, 'a new field key is active');
    assert.equal(await page.locator('tr', { hasText: '字段加密' }).filter({ hasText: '已退役' }).count(), 1, 'the old key is retired');
    await s.shot('rotated');
    const html = await page.content();
    assert.doesNotMatch(html, /"wrapped"|sm2:[0-9a-f]{20}/, 'no key material reaches the page');
    assert.deepEqual(s.problems, []);
  });

  it('the jobs page shows the same job to its owner; a business user sees no key jobs and no keys menu', async () => {
    await menu(page).getByText('后台任务').click();
    await page.locator('[data-testid="job-status"]', { hasText: '已完成' }).first().waitFor();
    await s.shot('jobs');
    await signInAs(page, 'analyst');
    assert.equal(await menu(page).getByText('密钥管理').count(), 0);
    await menu(page).getByText('后台任务').click();
    await page.locator('.ant-empty').first().waitFor();
    assert.equal(await page.locator('[data-testid="job-status"]').count(), 0, 'key jobs stay with the security administrator');
  });
});
