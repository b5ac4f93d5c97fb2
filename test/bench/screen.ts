/**
 * `npm run bench` (last case): the generated query screen of a dataset with 100,000 rows in
 * Debian's chromium — navigation to first table rows rendered, and page-to-page times over 20
 * flips. Needs PostgreSQL like the other cases (LINGSHU_BENCH_DATABASE_URL) and /usr/bin/chromium.
 * Prints one JSON line per case.
 */
import { AccessIntegrity, KeyRing, createUser, openDatabase } from '@lingshu/platform';
import { createTestDatabase } from '@lingshu/platform/dist/testing';
import { generateRecords } from '@lingshu/seeds';
import { signIn } from '../support/auth';
import { chromiumAvailable, CHROMIUM, openBrowser } from '../e2e/browser';
import { SHARED_ENV, startLingshu } from './processes';

const PASSWORD = 'Bench#2026user';
const DATASET = 'outpatient_visit';
const ROWS = Number(process.env.LINGSHU_BENCH_SCREEN_ROWS ?? 100_000);
const CHUNK = 20_000;
const FLIPS = 20;
const NAVIGATIONS = 5;

const emit = (line: Record<string, unknown>) => console.log(JSON.stringify(line));
const FIRST_ROW = '[data-testid="result-table"] tbody tr.ant-table-row';

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  return { median: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1] };
}

async function main() {
  if (!chromiumAvailable()) throw new Error(`no chromium at ${CHROMIUM}`);
  process.env.LINGSHU_TEST_DATABASE_URL ??= process.env.LINGSHU_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:55432/postgres';
  const db = await createTestDatabase();
  const url = db.config.databaseUrl!;
  const server = await startLingshu(3111, url);
  try {
    const pool = await openDatabase({ url, poolSize: 2 });
    try {
      const integrity = await AccessIntegrity.open(await KeyRing.open(pool, Buffer.from(SHARED_ENV.LINGSHU_MASTER_KEY, 'hex')));
      await createUser(pool, { username: 'bench.screen', displayName: '界面基准', password: PASSWORD, mustChange: false, roles: ['data-admin'] }, integrity);
    } finally {
      await pool.close();
    }
    const auth = { authorization: `Bearer ${(await signIn(server.url, 'bench.screen', PASSWORD)).token}`, 'content-type': 'application/json' };
    for (let start = 0; start < ROWS; start += CHUNK) {
      const rows = [...generateRecords(DATASET, Math.min(CHUNK, ROWS - start), { startIndex: start })];
      const res = await fetch(`${server.url}/api/data/${DATASET}/bulk`, { method: 'POST', headers: auth, body: JSON.stringify(rows) });
      if (res.status !== 201) throw new Error(`bulk failed: ${res.status} ${(await res.text()).slice(0, 300)}`);
    }

    const s = await openBrowser('bench-screen', server.url);
    try {
      const { page } = s;
      page.setDefaultTimeout(60_000);
      await page.goto('/');
      await page.fill('#login-username', 'bench.screen');
      await page.fill('#login-password', PASSWORD);
      await page.click('#login-submit');
      await page.locator('[data-testid="main-menu"]').waitFor();

      // A full page load of the screen's URL (app code cached), then the way users get there:
      // a click in the menu (client-side navigation) → first rows rendered.
      const loadStarted = Date.now();
      await page.goto(`/run/default/${DATASET}`);
      await page.locator(FIRST_ROW).first().waitFor();
      const fullLoadMs = Date.now() - loadStarted;
      const menu = page.locator('[data-testid="main-menu"]');
      const item = menu.locator('.ant-menu-item', { hasText: '门(急)诊就诊记录' });
      const firstPage: number[] = [];
      for (let i = 0; i < NAVIGATIONS; i++) {
        await menu.locator('.ant-menu-item', { hasText: '工作台' }).click();
        await page.locator('[data-testid="query-screen"]').waitFor({ state: 'detached' });
        if (!(await item.isVisible())) await menu.locator('.ant-menu-submenu-title', { hasText: '数据查询' }).click();
        await item.waitFor();
        const started = Date.now();
        await item.click();
        await page.locator(FIRST_ROW).first().waitFor();
        firstPage.push(Date.now() - started);
      }
      const total = await page.locator('[data-testid="query-screen"] .ant-pagination-total-text').first().innerText();
      await s.shot('first-page');
      const f = stats(firstPage);
      emit({ name: 'query-screen-first-page', rows: ROWS, ms: f.median, max: f.max, samples: firstPage, fullLoadMs, shown: total, target: '≤ 1000 ms' });

      // Page flips: click → the new page's rows rendered and the table no longer loading.
      const flips: number[] = [];
      const api: number[] = [];
      for (let i = 0; i < FLIPS; i++) {
        const before = await page.locator(FIRST_ROW).first().evaluate(e => e.textContent);
        const started = Date.now();
        await page.locator('[data-testid="query-screen"] .ant-pagination-next').click();
        await page.waitForFunction(
          ([sel, prev]) => {
            const row = document.querySelector(sel);
            return !!row && row.textContent !== prev && !document.querySelector('[data-testid="result-table"] .ant-spin-spinning');
          },
          [FIRST_ROW, before] as const,
          { polling: 'raf' },
        );
        flips.push(Date.now() - started);
        api.push(await page.evaluate(() => {
          const entries = performance.getEntriesByType('resource').filter(e => e.name.includes('/api/data/'));
          return Math.round(entries[entries.length - 1]?.duration ?? 0);
        }));
      }
      await s.shot('after-flips');
      const p = stats(flips);
      emit({ name: 'query-screen-page', rows: ROWS, medianMs: p.median, p95ms: p.p95, maxMs: p.max, apiMedianMs: stats(api).median, flips: FLIPS, target: '≤ 300 ms' });
    } finally {
      await s.close();
    }
  } finally {
    await server.stop();
    await db.drop();
  }
}

main().catch(err => {
  console.error(err);
  process.exit(1);
});
