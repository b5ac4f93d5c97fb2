import assert from 'node:assert/strict';
import { Platform } from '@lingshu/platform';
import { client, TEST_PASSWORD } from '../support';
import { Page, Session, browserScenario } from './browser';

const PASSWORD = TEST_PASSWORD;

async function signInWith(page: Page, username: string, password: string) {
  await page.locator('#login-username').waitFor();
  await page.fill('#login-username', username);
  await page.fill('#login-password', password);
  await page.click('#login-submit');
}

describe('e2e: sign-in, forced password change, lockout, idle session, institution dashboard', function () {
  this.timeout(180_000);
  const scenario = browserScenario('sign-in', { demoData: 'small', users: [
    { username: 'new.analyst', displayName: '新分析员', orgCode: '511700', roles: ['analyst'], mustChange: true },
    { username: 'careless', displayName: '粗心用户', orgCode: '511700', roles: ['analyst'] },
  ] });
  let platform: Platform;
  let s: Session;
  let page: Page;

  before(async () => {
    ({ platform, session: s } = scenario);
    page = s.page;
  });

  it('a first sign-in must change the password, then signs in again with the new one', async () => {
    await page.goto('/');
    await signInWith(page, 'new.analyst', PASSWORD);
    const card = page.locator('[data-testid="forced-password-change"]');
    await card.getByText('首次登录或密码已过期，请先修改密码').waitFor();
    await s.shot('forced-change');
    const inputs = card.locator('input[type="password"]');
    await inputs.nth(0).fill(PASSWORD);
    await inputs.nth(1).fill('short');
    await inputs.nth(2).fill('short');
    await card.getByRole('button', { name: '修改密码' }).click();
    await card.getByText('新密码不符合密码策略').waitFor();
    await s.shot('forced-change-policy');
    const next = 'Lingshu#2026next';
    await inputs.nth(1).fill(next);
    await inputs.nth(2).fill(next);
    await card.getByRole('button', { name: '修改密码' }).click();
    await page.getByText('密码已修改，请使用新密码重新登录').waitFor();
    await signInWith(page, 'new.analyst', next);
    await page.getByRole('heading', { name: '工作台' }).waitFor();
    assert.equal(await page.locator('[data-testid="user-org"]').innerText(), '达州市');
  });

  it('signing out returns to the sign-in page', async () => {
    await page.click('[data-testid="user-menu"]');
    await page.getByText('退出登录').click();
    await page.getByText('您已安全退出').waitFor();
  });

  it('an institution user sees its institution and charts of its own records only', async () => {
    await signInWith(page, 'hospital.zx', PASSWORD);
    await page.locator('[data-testid="chart-org"] canvas').waitFor();
    await page.locator('[data-testid="chart-day"] canvas').waitFor();
    await page.waitForTimeout(800); // chart entry animation
    await s.shot('institution-dashboard');
    assert.equal(await page.locator('[data-testid="user-org"]').innerText(), '达州市中心医院');
    const menu = await page.locator('[data-testid="main-menu"]').innerText();
    assert.match(menu, /数据集/, 'metadata readers browse metadata');
  });

  it('a session ended on the server sends the user back to sign-in with a message', async () => {
    const token = await page.evaluate(() => sessionStorage.getItem('lingshu.token'));
    assert.ok(token);
    assert.equal((await client(platform.url, token!).post('/api/auth/logout')).status, 200);
    await page.locator('[data-testid="main-menu"]').getByText('数据集').click();
    await page.getByText('会话已超时或已失效，请重新登录').waitFor();
    await s.shot('session-expired');
    assert.equal(await page.evaluate(() => sessionStorage.getItem('lingshu.token')), null);
    await signInWith(page, 'hospital.zx', PASSWORD);
    await page.getByRole('heading', { name: '数据集' }).waitFor(); // back where she was
    await page.click('[data-testid="user-menu"]');
    await page.getByText('退出登录').click();
  });

  it('the auditor gets the audit trail only, searches it and verifies its chain', async () => {
    await signInWith(page, 'auditor', PASSWORD);
    await page.getByRole('heading', { name: '工作台' }).waitFor();
    const menu = await page.locator('[data-testid="main-menu"]').innerText();
    assert.match(menu, /审计日志/);
    assert.doesNotMatch(menu, /数据元|用户账户/, '三员分立: the auditor sees neither metadata nor accounts');
    await page.locator('[data-testid="main-menu"]').getByText('审计日志').click();
    await page.locator('[data-testid="audit-table"] .ant-table-row').first().waitFor();
    assert.match(await page.locator('[data-testid="audit-table"]').innerText(), /auth\.login/);
    await platform.audit.sealer.sealNow();
    await page.click('[data-testid="audit-verify"]');
    await page.locator('[data-testid="audit-verification"]').getByText('审计链完整').waitFor();
    await s.shot('audit-trail');
    await page.click('[data-testid="user-menu"]');
    await page.getByText('退出登录').click();
  });

  it('the system administrator lists accounts but not the audit trail', async () => {
    await signInWith(page, 'sysadmin', PASSWORD);
    await page.getByRole('heading', { name: '工作台' }).waitFor();
    const menu = await page.locator('[data-testid="main-menu"]').innerText();
    assert.match(menu, /用户账户/);
    assert.doesNotMatch(menu, /审计日志/);
    await page.locator('[data-testid="main-menu"]').getByText('用户账户').click();
    await page.locator('[data-testid="users-table"]').getByText('hospital.zx').waitFor();
    await s.shot('accounts');
    await page.click('[data-testid="user-menu"]');
    await page.getByText('退出登录').click();
  });

  it('repeated wrong passwords lock the account and say for how long', async () => {
    for (let i = 0; i < 5; i++) {
      await signInWith(page, 'careless', `wrong-${i}`);
      await page.locator('[data-testid="login-error"]').waitFor();
      if (/锁定/.test(await page.locator('[data-testid="login-error"]').innerText())) break;
      await page.waitForTimeout(100);
    }
    await page.getByText('账户因多次登录失败已被锁定，请 15 分钟后再试').waitFor();
    await s.shot('locked');
    await signInWith(page, 'careless', PASSWORD);
    await page.getByText('账户因多次登录失败已被锁定').waitFor();
    const problems = s.problems.filter(p => !/Failed to load resource/.test(p));
    assert.deepEqual(problems, []);
  });
});
