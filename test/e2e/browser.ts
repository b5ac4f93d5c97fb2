import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Browser, BrowserContext, Page, chromium } from 'playwright-core';
import { Platform, createUser, seedPlatform, startPlatform } from '@lingshu/platform';
import { TEST_PASSWORD, TestDatabase, createTestDatabase } from '../support';

/** Debian's chromium (apt-get install chromium fonts-noto-cjk); LINGSHU_CHROMIUM overrides. */
export const CHROMIUM = process.env.LINGSHU_CHROMIUM ?? '/usr/bin/chromium';
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'];

export function chromiumAvailable(): boolean {
  return fs.existsSync(CHROMIUM);
}

export interface Session {
  browser: BrowserContext;
  page: Page;
  /** Console errors, page errors and CSP violations seen so far. */
  problems: string[];
  /** Saves test-output/e2e/<scenario>/NN-<step>.png and returns its path. */
  shot(step: string): Promise<string>;
  close(): Promise<void>;
}

/** A fresh browser profile per scenario; screenshots numbered in the order taken. */
export async function openBrowser(scenario: string, baseURL: string): Promise<Session> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'lingshu-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    baseURL,
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  // Generous: CI machines are shared, and PGlite serialises every request.
  page.setDefaultTimeout(30_000);
  const problems: string[] = [];
  page.on('console', msg => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', err => problems.push(`page error: ${err.message}`));
  const outDir = path.resolve(__dirname, '..', '..', '..', 'test-output', 'e2e', scenario);
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  let n = 0;
  return {
    browser: context,
    page,
    problems,
    async shot(step: string) {
      const file = path.join(outDir, `${String(++n).padStart(2, '0')}-${step}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

export type { Browser, Page };

export const mainMenu = (page: Page) => page.locator('[data-testid="main-menu"]');

/** Signs out whoever is signed in (the token lives in sessionStorage) and signs in as `username`. */
export async function signInAs(page: Page, username: string, password = TEST_PASSWORD): Promise<void> {
  await page.goto('/');
  await page.evaluate(() => sessionStorage.clear());
  await page.reload();
  await page.locator('#login-username').waitFor();
  await page.fill('#login-username', username);
  await page.fill('#login-password', password);
  await page.click('#login-submit');
  await mainMenu(page).waitFor();
}

/** Clicks a menu item, opening its group first when the group is closed. */
export async function openMenuItem(page: Page, group: string, item: string): Promise<void> {
  const entry = mainMenu(page).locator('.ant-menu-item', { hasText: item });
  if (!(await entry.isVisible())) await mainMenu(page).locator('.ant-menu-submenu-title', { hasText: group }).click();
  await entry.click();
}

/** Picks an option of an antd Select, typing `search` into it first when given. */
export async function choose(page: Page, select: ReturnType<Page['locator']>, text: string, search?: string): Promise<void> {
  await select.click();
  if (search) await select.locator('input').fill(search);
  await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: text }).first().click();
}

export interface ScenarioUser {
  username: string;
  displayName: string;
  orgCode: string | null;
  roles: string[];
  mustChange?: boolean;
}

/** What a browser scenario's hooks set up; filled in by its `before`. */
export interface Scenario {
  platform: Platform;
  session: Session;
}

/**
 * Mocha hooks every browser scenario shares: skipped without chromium (a failure in CI), a
 * platform on a fresh test database with seed data and extra accounts (password TEST_PASSWORD),
 * a screenshot of a failed step, and the teardown. Call it inside `describe`, before own hooks.
 */
export function browserScenario(name: string, options: { demoData: 'none' | 'small'; users?: ScenarioUser[] }): Scenario {
  const scenario = {} as Scenario;
  let tdb: TestDatabase | undefined;
  before(async function () {
    if (!chromiumAvailable()) {
      if (process.env.CI) throw new Error(`no chromium at ${CHROMIUM}: apt-get install -y chromium fonts-noto-cjk`);
      console.log(`    (skipped: no chromium at ${CHROMIUM}; apt-get install -y chromium fonts-noto-cjk)`);
      this.skip();
    }
    tdb = await createTestDatabase();
    const platform = await startPlatform({ ...tdb.config, port: 0, adminPassword: TEST_PASSWORD, loginRateLimit: 1000 });
    scenario.platform = platform;
    await seedPlatform(platform, { demoData: options.demoData, adminPassword: TEST_PASSWORD });
    for (const u of options.users ?? []) {
      await createUser(platform.db, { ...u, password: TEST_PASSWORD, mustChange: u.mustChange ?? false }, platform.security.integrity);
    }
    scenario.session = await openBrowser(name, platform.url);
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && scenario.session) {
      await scenario.session.shot(`failed-${this.currentTest.title.slice(0, 40).replace(/[^\w\u4e00-\u9fff]+/g, '-')}`);
    }
  });
  after(async () => {
    await scenario.session?.close();
    await scenario.platform?.stop();
    await tdb?.drop();
  });
  return scenario;
}
