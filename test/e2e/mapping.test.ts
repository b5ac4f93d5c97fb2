import assert from 'node:assert/strict';
import { Platform } from '@lingshu/platform';
import { dazhouInstitutions } from '@lingshu/seeds';
import { ICD10_SUBSET } from '@lingshu/seeds/dist/catalog/icd10';
import { TEST_PASSWORD, signIn, waitFor } from '../support';
import { Page, Session, browserScenario, mainMenu, signInAs } from './browser';

const VOCAB = 'E2E-ICD';
const menu = mainMenu;
type Api = Awaited<ReturnType<typeof signIn>>['api'];

interface EntryView {
  id: string;
  code: string;
  name: string;
  status: string;
  confidence: number | null;
  reason?: string | null;
  mapping?: { codes: Array<{ code: string }> } | null;
  pendingCodes?: string[] | null;
  suggestions: Array<{ code: string; confidence: number }>;
}

async function openPage(page: Page, item: string) {
  await menu(page).locator('.ant-menu-item', { hasText: item }).click();
}

/** The dictionary the test uploads, as CSV: a full snapshot per load. */
const csv = (rows: Array<[string, string]>) => ['编码,名称', ...rows.map(([c, n]) => `${c},${n}`)].join('\n') + '\n';

describe('e2e: mapping — import a vocabulary, load a dictionary, claim, suggest, review with the keyboard, batch-accept, progress charts', function () {
  this.timeout(300_000);
  const scenario = browserScenario('mapping', {
    demoData: 'none',
    users: [
      { username: 'map.lead', displayName: '标化管理员', orgCode: null, roles: ['mapping-admin'] },
      { username: 'map.coder', displayName: '标化人员', orgCode: null, roles: ['mapper'] },
    ],
  });
  let platform: Platform;
  let s: Session;
  let page: Page;
  let lead: Api;
  let coder: Api;
  const [h1, h2] = dazhouInstitutions().hospitals;
  let dictionaryId: string;
  let taskId: string;
  let reviewTaskId: string;

  const entries = async (task: string, query = ''): Promise<{ total: number; items: EntryView[] }> => (await coder.get(`/api/mapping/tasks/${task}/entries?limit=500${query}`)).body;
  const entry = async (task: string, code: string): Promise<EntryView> => {
    const found = (await entries(task)).items.find(e => e.code === code);
    assert.ok(found, `entry ${code}`);
    return found;
  };

  before(async () => {
    ({ platform, session: s } = scenario);
    page = s.page;
    lead = (await signIn(platform.url, 'map.lead', TEST_PASSWORD)).api;
    coder = (await signIn(platform.url, 'map.coder', TEST_PASSWORD)).api;
    const created = await lead.post('/api/mapping/vocabularies', { code: VOCAB, name: '疾病分类（测试）', domain: 'diagnosis' });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    // Auto-accept only at certainty, so every proposal waits for a person in this scenario.
    const d = await lead.post('/api/mapping/dictionaries', { institution: h1.code, kind: 'diagnosis', name: '门诊诊断字典', vocabulary: VOCAB, autoAccept: 1 });
    assert.equal(d.status, 200, JSON.stringify(d.body));
    ({ id: dictionaryId, taskId } = d.body);
    const d2 = await lead.post('/api/mapping/dictionaries', { institution: h2.code, kind: 'diagnosis', name: '住院诊断字典', vocabulary: VOCAB, secondCheck: true });
    assert.equal(d2.status, 200, JSON.stringify(d2.body));
    reviewTaskId = d2.body.taskId;
    await page.goto('/');
  });

  it('the lead imports a code table and watches the job to 100 %; the terms can be searched', async () => {
    await signInAs(page, 'map.lead');
    await openPage(page, '标准词表');
    await page.locator(`[data-testid="import-${VOCAB}"]`).click();
    // The ICD-10 subset and 3,000 filler codes: several batches, so the bar moves.
    const rows: Array<[string, string]> = [...ICD10_SUBSET.map(([c, n]) => [c, `"${n}"`] as [string, string]), ...Array.from({ length: 3000 }, (_, i): [string, string] => [`Z${String(i).padStart(4, '0')}`, `测试填充病种${i}号`])];
    await page.setInputFiles('[data-testid="import-file-input"]', { name: 'icd10.csv', mimeType: 'text/csv', buffer: Buffer.from(csv(rows)) });
    await page.click('[data-testid="import-start"]');
    await page.locator('[data-testid="import-progress"]').waitFor();
    await s.shot('vocabulary-import-running');
    await page.locator('[data-testid="import-progress"][data-status="done"]').waitFor({ timeout: 90_000 });
    assert.equal(await page.locator('[data-testid="import-progress"]').getAttribute('data-percent'), '100');
    await s.shot('vocabulary-import-done');
    await page.locator('.ant-modal-close').click();
    await page.locator('[data-testid="vocabulary-terms"]', { hasText: String(rows.length) }).waitFor();
    await page.fill('[data-testid="term-search"]', '高血压');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="term-results"] tbody tr', { hasText: 'I10' }).first().waitFor();
    await s.shot('vocabulary-terms');
  });

  it('the lead uploads two loads of a dictionary and sees what changed', async () => {
    await openPage(page, '源字典');
    await page.locator(`[data-testid="upload-${dictionaryId}"]`).waitFor();
    const v1: Array<[string, string]> = [
      ['L01', '高血压伴2型糖尿病'],
      ['L02', '脑梗塞'],
      ['L03', '肺部感染'],
      ['L04', '急性阑尾炎'],
      ['L05', '缺铁性贫血'],
      ['L06', '肥胖症'],
      ['L07', '火星综合征'],
      ['L08', '2型糖尿病'],
      ['L09', '急性支气管炎'],
      ['L10', '慢性胃炎'],
    ];
    await page.setInputFiles(`[data-testid="upload-${dictionaryId}-input"]`, { name: 'dict-v1.csv', mimeType: 'text/csv', buffer: Buffer.from(csv(v1)) });
    await page.locator('[data-testid="load-summary"]').waitFor();
    assert.equal(await page.locator('[data-testid="load-added"]').textContent(), '10');
    await page.locator('.ant-modal-close').click();
    await page.locator('[data-testid="load-summary"]').waitFor({ state: 'detached' });
    // Load 2: one renamed, one removed, one new.
    const v2 = v1.filter(([c]) => c !== 'L06').map(([c, n]): [string, string] => (c === 'L03' ? [c, '肺炎'] : [c, n]));
    v2.push(['L11', '上呼吸道感染']);
    await page.setInputFiles(`[data-testid="upload-${dictionaryId}-input"]`, { name: 'dict-v2.csv', mimeType: 'text/csv', buffer: Buffer.from(csv(v2)) });
    await page.locator('[data-testid="load-summary"] [data-testid="load-removed"]', { hasText: '1' }).waitFor();
    assert.deepEqual(
      [await page.locator('[data-testid="load-added"]').textContent(), await page.locator('[data-testid="load-changed"]').textContent(), await page.locator('[data-testid="load-removed"]').textContent()],
      ['1', '1', '1'],
    );
    await page.locator('[data-testid="load-summary"] tbody tr', { hasText: 'L06' }).waitFor();
    await s.shot('dictionary-load-changes');
    await page.locator('.ant-modal-close').click();
    await page.click(`[data-testid="loads-${dictionaryId}"]`);
    await page.locator('[data-testid="load-history"] tbody tr.ant-table-row').nth(1).waitFor();
    await page.locator('.ant-drawer-close').click();
    // The second institution's dictionary comes by API, so the dashboard has two institutions.
    const r = await lead.post(`/api/mapping/dictionaries/${(await lead.get(`/api/mapping/dictionaries?institution=${h2.code}`)).body[0].id}/loads`, {
      entries: [
        { code: 'X1', name: '脑梗死' },
        { code: 'X2', name: '高血压病' },
        { code: 'X3', name: '肺炎' },
      ],
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
  });

  it('the mapper claims the task and runs suggestions with a progress bar', async () => {
    await signInAs(page, 'map.coder');
    await openPage(page, '标化任务');
    await page.locator(`[data-testid="claim-${taskId}"]`).click();
    await page.locator('.ant-message', { hasText: '已申领' }).waitFor();
    await page.locator('[data-testid="task-table"] tbody tr', { hasText: 'map.coder' }).first().waitFor();
    assert.equal((await coder.get(`/api/mapping/tasks/${taskId}`)).body.assignee, 'map.coder');
    await page.click(`[data-testid="suggest-${taskId}"]`);
    await page.locator('[data-testid="suggest-progress"]').waitFor();
    await s.shot('tasks-suggesting');
    await page.locator('[data-testid="suggest-progress"][data-status="done"]').waitFor({ timeout: 90_000 });
    await waitFor(async () => (await coder.get(`/api/mapping/tasks/${taskId}`)).body.pctSuggested === 100, 10_000, 200);
    const row = page.locator('[data-testid="task-table"] tbody tr', { has: page.locator(`[data-testid="review-${taskId}"]`) });
    await row.locator('[data-testid="pct-suggested"]', { hasText: '100%' }).waitFor();
    await s.shot('tasks-suggested');
    // The second institution's task gets its suggestions by API (it is not this mapper's focus).
    const job = (await lead.post(`/api/mapping/tasks/${reviewTaskId}/suggest`)).body.jobId;
    await waitFor(async () => (await lead.get(`/api/jobs/${job}`)).body.status === 'done', 60_000, 200);
  });

  it('reviews with the keyboard: pick a candidate and accept, pick another by search, mark unmappable, move, history, help', async () => {
    await page.click(`[data-testid="review-${taskId}"]`);
    await page.locator('[data-testid="workbench"]').waitFor();
    const current = page.locator('[data-testid="current-entry"]');
    await current.waitFor();
    await s.shot('workbench');

    // Accept a candidate picked by its number.
    const stroke = await entry(taskId, 'L02');
    assert.equal(stroke.status, 'suggested');
    assert.ok(stroke.suggestions.length >= 2, JSON.stringify(stroke.suggestions));
    await page.locator('[data-testid="queue-item"][data-code="L02"]').click();
    await page.locator('[data-testid="current-entry"][data-code="L02"]').waitFor();
    await page.keyboard.press('2');
    await page.locator(`[data-testid="suggestions"] tr[data-code="${stroke.suggestions[1].code}"][data-selected="true"]`).waitFor();
    await page.keyboard.press('1');
    await page.locator(`[data-testid="suggestions"] tr[data-code="${stroke.suggestions[0].code}"][data-selected="true"]`).waitFor();
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="queue-item"][data-code="L02"][data-status="confirmed"]').waitFor();
    const accepted = await entry(taskId, 'L02');
    assert.equal(accepted.status, 'confirmed');
    assert.deepEqual(accepted.mapping?.codes.map(c => c.code), [stroke.suggestions[0].code]);
    // The cursor moved on to the next entry.
    assert.notEqual(await current.getAttribute('data-code'), 'L02');

    // Pick another code through the vocabulary search ("/").
    await page.locator('[data-testid="queue-item"][data-code="L03"]').click();
    await page.locator('[data-testid="current-entry"][data-code="L03"]').waitFor();
    await page.keyboard.press('/');
    const search = page.locator('[data-testid="vocab-search"]');
    await page.locator('[data-testid="vocab-search"]:focus').waitFor();
    await search.fill('J18.9');
    await page.locator('[data-testid="vocab-term"][data-code="J18.9"][data-active="true"]').waitFor();
    await s.shot('workbench-search');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="queue-item"][data-code="L03"][data-status="confirmed"]').waitFor();
    assert.deepEqual((await entry(taskId, 'L03')).mapping?.codes.map(c => c.code), ['J18.9']);

    // Mark one unmappable ("u"), with a reason.
    await page.locator('[data-testid="queue-item"][data-code="L07"]').click();
    await page.locator('[data-testid="current-entry"][data-code="L07"]').waitFor();
    await page.keyboard.press('u');
    await page.locator('[data-testid="unmappable-reason"]:focus').waitFor();
    await page.fill('[data-testid="unmappable-reason"]', '非医学诊断，标准中无对应编码');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="queue-item"][data-code="L07"][data-status="unmappable"]').waitFor();
    const mars = await entry(taskId, 'L07');
    assert.equal(mars.status, 'unmappable');

    // Move with j / k — once the reason dialog has closed and no text field holds the focus
    // (keys typed into a field are text, not commands).
    await page.locator('[data-testid="unmappable-reason"]').waitFor({ state: 'hidden' });
    await page.waitForFunction(() => !['INPUT', 'TEXTAREA'].includes(document.activeElement?.tagName ?? ''));
    await page.waitForTimeout(300);
    const at = await current.getAttribute('data-code');
    await page.keyboard.press('k');
    await page.waitForFunction(c => document.querySelector('[data-testid="current-entry"]')?.getAttribute('data-code') !== c, at);
    const up = await current.getAttribute('data-code');
    await page.keyboard.press('j');
    await page.waitForFunction(c => document.querySelector('[data-testid="current-entry"]')?.getAttribute('data-code') === c, at);
    assert.notEqual(up, at);

    // History of L07 ("h"): loaded, suggested, unmappable with its reason.
    await page.locator('[data-testid="queue-item"][data-code="L07"]').click();
    await page.keyboard.press('h');
    await page.locator('[data-testid="history-timeline"]', { hasText: '无法对照' }).waitFor();
    await page.locator('[data-testid="history-timeline"]', { hasText: '非医学诊断' }).waitFor();
    await s.shot('workbench-history');
    await page.locator('.ant-drawer-close').click();
    await page.locator('[data-testid="history-timeline"]').waitFor({ state: 'detached' });

    // Keyboard help ("?").
    await page.keyboard.press('?');
    await page.locator('.ant-modal', { hasText: '键盘操作' }).waitFor();
    await page.locator('.ant-modal', { hasText: '键盘操作' }).locator('.ant-modal-close').click();
    await page.locator('.ant-modal', { hasText: '键盘操作' }).waitFor({ state: 'hidden' });
  });

  it('batch-accepts every suggestion above a threshold after previewing the count', async () => {
    await page.locator('[data-testid="batch-threshold"] .ant-slider-handle').focus();
    await page.keyboard.press('Home');
    await page.locator('[data-testid="batch-accept"]', { hasText: '0.50' }).waitFor();
    const expected = (await entries(taskId, '&status=suggested&minConfidence=0.5')).total;
    assert.ok(expected > 0, 'some suggestions reach 0.5');
    await page.locator(`[data-testid="batch-preview"][data-count="${expected}"]`).waitFor();
    await s.shot('batch-preview');
    await page.click('[data-testid="batch-go"]');
    await page.click('[data-testid="batch-confirm"]');
    await page.locator('.ant-message', { hasText: `已批量接受 ${expected} 条` }).waitFor();
    assert.equal((await entries(taskId, '&status=suggested&minConfidence=0.5')).total, 0);
    await page.locator('[data-testid="batch-preview"][data-count="0"]').waitFor();
    await s.shot('batch-accepted');
  });

  it('an entry of a dictionary with a second check shows as waiting for review', async () => {
    const x1 = (await entries(reviewTaskId)).items.find(e => e.code === 'X1');
    assert.ok(x1);
    const ok = await coder.post(`/api/mapping/entries/${x1.id}/confirm`, { codes: ['I63.9'] });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body.status, 'review');
    await page.click('[data-testid="workbench"] button:has-text("返回任务")');
    await page.click(`[data-testid="review-${reviewTaskId}"]`);
    await page.locator('[data-testid="queue-item"][data-code="X1"][data-status="review"]').click();
    await page.locator('[data-testid="in-review"]', { hasText: 'I63.9' }).waitFor();
    await s.shot('second-check');
  });

  it('the progress dashboard charts both institutions', async () => {
    await openPage(page, '标化进度');
    await page.locator('[data-testid="chart-institutions"] canvas').waitFor();
    await page.locator('[data-testid="chart-kinds"] canvas').waitFor();
    const progress = (await coder.get('/api/mapping/progress')).body;
    const mine = progress.institutions.find((r: { institution: string }) => r.institution === h1.code);
    assert.ok(mine && mine.confirmed >= 2 && mine.unmappable === 1, JSON.stringify(progress));
    assert.equal(progress.institutions.length, 2);
    const shown = Number((await page.locator('[data-testid="total-confirmed"] .ant-statistic-content-value').textContent())?.replace(/[^\d.]/g, ''));
    assert.ok(shown > 0, `confirmed share ${shown}`);
    await page.waitForTimeout(600); // the bars animate in
    await s.shot('progress-dashboard');
    assert.deepEqual(s.problems.filter(p => !p.includes('status of 4')), []);
  });

  it('redoes a set: two decided entries go back to suggestions together', async () => {
    await openPage(page, '标化任务');
    await page.click(`[data-testid="review-${taskId}"]`);
    for (const code of ['L03', 'L07']) await page.locator(`[data-testid="queue-item"][data-code="${code}"] .ant-checkbox-input`).check();
    await page.click('[data-testid="redo-selected"]');
    await page.locator('.ant-message', { hasText: '已退回 2 条' }).waitFor();
    await page.locator('[data-testid="queue-item"][data-code="L07"][data-status="suggested"]').waitFor();
    assert.deepEqual([(await entry(taskId, 'L03')).status, (await entry(taskId, 'L07')).status], ['suggested', 'suggested']);
    await s.shot('redo-set');
  });
});
