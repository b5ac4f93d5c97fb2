import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Browser, BrowserContext, Page, chromium } from 'playwright-core';

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
