import assert from 'node:assert/strict';
import fs from 'node:fs';
import { Platform } from '@lingshu/platform';
import { dazhouInstitutions } from '@lingshu/seeds';
import { ICD10_SUBSET } from '@lingshu/seeds/dist/catalog/icd10';
import { TEST_PASSWORD, signIn, waitFor } from '../support';
import { Page, Session, browserScenario, choose, mainMenu, openMenuItem, signInAs } from './browser';

const VOCAB = 'E2E-KB-ICD';
const GROUP = '主数据标化';
type Api = Awaited<ReturnType<typeof signIn>>['api'];

describe('e2e: mapping — knowledge base export/import, translate page, settings, deleting, institution scope', function () {
  this.timeout(300_000);
  const [h1, h2] = dazhouInstitutions().hospitals;
  const scenario = browserScenario('mapping-knowledge', {
    demoData: 'none',
    users: [
      { username: 'kb.lead', displayName: '标化管理员', orgCode: null, roles: ['mapping-admin'] },
      { username: 'kb.coder', displayName: '标化人员', orgCode: null, roles: ['mapper'] },
      { username: 'kb.h2', displayName: '二院标化人员', orgCode: h2.code, roles: ['mapper'] },
    ],
  });
  let platform: Platform;
  let s: Session;
  let page: Page;
  let lead: Api;
  let dictionaryId: string;
  let spareId: string;

  before(async () => {
    ({ platform, session: s } = scenario);
    page = s.page;
    const session = await signIn(platform.url, 'kb.lead', TEST_PASSWORD);
    lead = session.api;
    const coder = (await signIn(platform.url, 'kb.coder', TEST_PASSWORD)).api;
    const table = `code,name\n${ICD10_SUBSET.map(([c, n]) => `${c},"${n}"`).join('\n')}\n`;
    const res = await fetch(`${platform.url}/api/mapping/vocabularies/${encodeURIComponent(VOCAB)}/import?name=${encodeURIComponent('疾病分类（知识库测试）')}&domain=diagnosis`, {
      method: 'POST', headers: { 'content-type': 'text/csv', authorization: `Bearer ${session.token}` }, body: table,
    });
    const body = await res.text();
    assert.equal(res.status, 202, body);
    const { jobId } = JSON.parse(body) as { jobId: string };
    await waitFor(async () => (await lead.get(`/api/jobs/${jobId}`)).body.status === 'done', 60_000, 100);
    const d = await coder.post('/api/mapping/dictionaries', { institution: h1.code, kind: 'diagnosis', name: '门诊诊断字典', vocabulary: VOCAB });
    assert.equal(d.status, 200, JSON.stringify(d.body));
    dictionaryId = d.body.id;
    await coder.post(`/api/mapping/dictionaries/${dictionaryId}/loads`, { entries: [{ code: 'K01', name: '院内自定义诊断甲' }, { code: 'K02', name: '火星综合征' }] });
    const items = (await coder.get(`/api/mapping/tasks/${d.body.taskId}/entries`)).body.items as Array<{ id: string; code: string }>;
    const k01 = items.find(e => e.code === 'K01')!;
    assert.equal((await coder.post(`/api/mapping/entries/${k01.id}/confirm`, { codes: ['D64.9'] })).status, 200);
    spareId = (await coder.post('/api/mapping/dictionaries', { institution: h1.code, kind: 'drug', name: '待删除的药品字典', vocabulary: VOCAB })).body.id;
    await page.goto('/');
  });

  it('knowledge page: export, an edited file with a bad line shows the line, then a good import', async () => {
    await signInAs(page, 'kb.lead');
    await openMenuItem(page, GROUP, '知识库');
    await page.locator('[data-testid="knowledge-table"] tbody tr', { hasText: '院内自定义诊断甲' }).waitFor();
    assert.match(await page.locator('[data-testid="knowledge-table"] tbody tr').first().innerText(), /D64\.9[\s\S]*贫血/);
    await s.shot('knowledge-list');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="knowledge-export"]')]);
    assert.match(download.suggestedFilename(), /^mapping-knowledge-.*\.jsonl$/);
    const exported = fs.readFileSync((await download.path())!, 'utf8').trim().split('\n').map(l => JSON.parse(l));
    assert.equal(exported.length, 1);
    assert.equal(exported[0].sourceText, '院内自定义诊断甲');
    // Edited for the second hospital; line 2 names a code the vocabulary lacks.
    const good = JSON.stringify({ ...exported[0], institution: h2.code, sourceCode: undefined, sourceText: '院内自定义诊断甲（导入）' });
    const bad = JSON.stringify({ ...exported[0], institution: h2.code, sourceText: '坏行', codes: ['NOPE'] });
    await page.setInputFiles('[data-testid="knowledge-import-input"]', { name: 'edited.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from(`${good}\n${bad}\n`) });
    const error = page.locator('[data-testid="knowledge-import-error"]');
    await error.waitFor();
    const text = await error.innerText();
    assert.match(text, /第 2 行/);
    assert.match(text, /codes\[0\]/);
    assert.equal((await lead.get('/api/mapping/knowledge')).body.total, 1, 'nothing imported');
    await s.shot('knowledge-import-error');
    await page.setInputFiles('[data-testid="knowledge-import-input"]', { name: 'fixed.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from(`${good}\n`) });
    await page.locator('[data-testid="knowledge-import-result"]', { hasText: '已导入 1 条' }).waitFor();
    await page.locator('[data-testid="knowledge-table"] tbody tr', { hasText: '（导入）' }).waitFor();
    await page.fill('[data-testid="knowledge-search"]', '导入');
    await page.keyboard.press('Enter');
    await waitFor(async () => (await page.locator('[data-testid="knowledge-table"] tbody tr').count()) === 1, 10_000);
    assert.match(await page.locator('[data-testid="knowledge-table"] tbody tr').first().innerText(), new RegExp(h2.name));
    await s.shot('knowledge-imported');
  });

  it('translate page: a text returns its confirmed code, a local code its entry, with the API call shown', async () => {
    await openMenuItem(page, GROUP, '标化翻译');
    await choose(page, page.locator('[data-testid="translate-institution"]'), h1.name);
    await page.locator('[data-testid="translate-dictionary"]', { hasText: '疾病诊断' }).waitFor();
    await page.fill('[data-testid="translate-lines"]', '院内自定义诊断甲\n火星综合征\n');
    await page.click('[data-testid="translate-run"]');
    const rows = page.locator('[data-testid="translate-results"] tbody tr');
    await rows.first().waitFor();
    assert.equal(await rows.count(), 2);
    assert.match(await rows.nth(0).innerText(), /D64\.9[\s\S]*贫血[\s\S]*知识库（相同文本）/);
    assert.match(await rows.nth(1).innerText(), /未找到/);
    assert.match(await page.locator('[data-testid="translate-call"]').innerText(), /POST \/api\/mapping\/translate[\s\S]*"institution": "[^"]+"[\s\S]*"text": "院内自定义诊断甲"/);
    await s.shot('translate-text');
    await page.locator('[data-testid="translate-mode"] label', { hasText: '本地编码' }).click();
    await page.fill('[data-testid="translate-lines"]', 'K01');
    await page.click('[data-testid="translate-run"]');
    await page.locator('[data-testid="translate-results"] tbody tr', { hasText: '已确认对照（源字典条目）' }).waitFor();
    assert.match(await page.locator('[data-testid="translate-call"]').innerText(), /GET \/api\/mapping\/translate\?institution=.*&dictionary=diagnosis&code=K01/);
    await s.shot('translate-code');
  });

  it('settings: the auto-accept band is checked in the form (0..1), then saved with the second check', async () => {
    await openMenuItem(page, GROUP, '源字典');
    await page.click(`[data-testid="settings-${dictionaryId}"]`);
    await page.fill('[data-testid="auto-accept-input"]', '1.5');
    await page.click('[data-testid="settings-save"]');
    await page.locator('.ant-form-item-explain-error', { hasText: '自动接受阈值须为 0 到 1 之间的数值' }).waitFor();
    await s.shot('settings-invalid');
    await page.fill('[data-testid="auto-accept-input"]', '0.95');
    await page.click('[data-testid="second-check-switch"]');
    await page.click('[data-testid="settings-save"]');
    await page.locator('[data-testid="dictionary-table"] tbody tr', { hasText: '0.95' }).waitFor();
    const d = (await lead.get('/api/mapping/dictionaries')).body.find((x: { id: string }) => x.id === dictionaryId);
    assert.deepEqual({ autoAccept: d.autoAccept, secondCheck: d.secondCheck }, { autoAccept: 0.95, secondCheck: true });
    await s.shot('settings-saved');
  });

  it('deleting: a dictionary after its confirm dialog; a vocabulary in use is refused with the counts', async () => {
    await page.click(`[data-testid="delete-${spareId}"]`);
    await page.locator('.ant-modal-confirm', { hasText: '待删除的药品字典' }).waitFor();
    await s.shot('delete-dictionary-confirm');
    await page.click('[data-testid="confirm-delete"]');
    await page.locator(`[data-testid="delete-${spareId}"]`).waitFor({ state: 'detached' });
    assert.equal((await lead.get(`/api/mapping/dictionaries/${spareId}/loads`)).status, 404);
    await openMenuItem(page, GROUP, '标准词表');
    await page.click(`[data-testid="delete-${VOCAB}"]`);
    await page.click('[data-testid="confirm-delete"]');
    await page.locator('.ant-message', { hasText: '不能删除：2 条已确认对照、1 本源字典仍在使用此词表' }).waitFor();
    await s.shot('delete-vocabulary-refused');
  });

  it('institution scope: a mapper of the second hospital sees only its knowledge and no first-hospital dictionary', async () => {
    await signInAs(page, 'kb.h2');
    await openMenuItem(page, GROUP, '知识库');
    await page.locator('[data-testid="knowledge-table"] tbody tr', { hasText: '（导入）' }).waitFor();
    assert.equal(await page.locator('[data-testid="knowledge-table"] tbody tr').count(), 1);
    await s.shot('knowledge-scoped');
    await openMenuItem(page, GROUP, '源字典');
    await page.locator('[data-testid="dictionary-table"] .ant-empty').waitFor();
    assert.equal(await mainMenu(page).locator('.ant-menu-item', { hasText: '标化翻译' }).count(), 1);
    assert.deepEqual(s.problems.filter(p => !p.includes('status of 4')), []);
  });
});
