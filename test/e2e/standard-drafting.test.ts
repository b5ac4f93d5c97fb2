import fs from 'node:fs';
import assert from 'node:assert/strict';
import { Platform } from '@lingshu/platform';
import { TEST_PASSWORD, signIn } from '../support';
import { Page, Session, browserScenario, choose, signInAs } from './browser';

async function statusIs(page: Page, status: string) {
  await page.locator(`.ls-page-header [data-testid="status-tag"][data-status="${status}"]`).waitFor();
}

/** Clicks a decision in the task card of a step and waits for the server's answer. */
async function decide(page: Page, activity: string, decision: string, comment?: string) {
  const card = page.locator(`[data-testid="task-actions"][data-activity="${activity}"]`);
  await card.waitFor();
  if (comment) await card.locator('[data-testid="task-comment"]').fill(comment);
  const done = page.waitForResponse(r => r.url().includes('/complete') && r.request().method() === 'POST');
  await card.locator(`[data-testid="decide-${decision}"]`).click();
  const res = await done;
  assert.equal(res.status(), 200, await res.text());
}

describe('e2e: standard drafting — draft → comment period → approval in the inbox → published', function () {
  this.timeout(300_000);
  const scenario = browserScenario('standard-drafting', {
    demoData: 'none',
    users: [
      { username: 'sd.owner', displayName: '标准起草人', orgCode: null, roles: ['standard-owner'] },
      { username: 'sd.rev.a', displayName: '审核员甲', orgCode: null, roles: ['reviewer'] },
      { username: 'sd.rev.b', displayName: '审核员乙', orgCode: null, roles: ['reviewer'] },
      { username: 'sd.approver', displayName: '标准审批人', orgCode: null, roles: ['standard-approver'] },
      { username: 'sd.rev.c', displayName: '审核员丙', orgCode: null, roles: ['reviewer', 'analyst'] },
    ],
  });
  let platform: Platform;
  let s: Session;
  let page: Page;
  let itemUrl = '';

  before(async () => {
    ({ platform, session: s } = scenario);
    page = s.page;
  });

  it('the system administrator makes namespace dazhou a production namespace (publishing needs approval)', async () => {
    await signInAs(page, 'sysadmin');
    await page.goto('/publish-gate');
    await page.fill('[data-testid="gate-namespace"]', 'dazhou');
    await page.click('[data-testid="gate-add"]');
    await page.locator('[data-testid="gate-switch-dazhou"].ant-switch-checked').waitFor();
    await s.shot('publish-gate');
    const admin = (await signIn(platform.url, 'sysadmin', TEST_PASSWORD)).api;
    assert.deepEqual((await admin.get('/api/workflow/publish-gate')).body, { dazhou: true });
  });

  it('the standard owner drafts a data element; the direct publish button gives way to “submit for approval”', async () => {
    await signInAs(page, 'sd.owner');
    await page.goto('/meta/data-elements/new');
    await page.fill('#field-identifier', 'DE99.05.001.00');
    await page.fill('#field-name', '慢病随访方式');
    await choose(page, page.locator('.ant-formily-item:has(#field-dataType) .ant-select'), 'S1');
    await page.fill('#field-format', 'AN..20');
    await page.click('[data-testid="save-item"]');
    await statusIs(page, 'draft');
    itemUrl = new URL(page.url()).pathname;
    const panel = page.locator('[data-testid="drafting-panel"]');
    await panel.getByText('须经审批流程发布').waitFor();
    assert.equal(await page.locator('[data-testid="action-publish"]').count(), 0, 'no direct publish in a production namespace');
    await page.click('[data-testid="drafting-start"]');
    const reviewers = page.locator('.ant-modal [data-testid="drafting-reviewers"]');
    await choose(page, reviewers, '审核员甲', 'sd.rev.a');
    await choose(page, reviewers, '审核员乙', 'sd.rev.b');
    await page.keyboard.press('Escape');
    await s.shot('submit-for-approval');
    await page.click('#drafting-start-ok');
    await panel.locator('[data-testid="drafting-step"]', { hasText: '需求调研' }).waitFor();
    await decide(page, 'research', 'approve', '慢病管理需要统一随访方式');
    await panel.locator('[data-testid="drafting-step"]', { hasText: '起草' }).waitFor();
    await decide(page, 'draft', 'approve');
    await statusIs(page, 'review');
    await panel.locator('[data-testid="drafting-step"]', { hasText: '征求意见' }).waitFor();
    await s.shot('comment-period-open');
  });

  it('two reviewers comment in the comment period: one from the notification bell with an attachment, one from the inbox', async () => {
    await signInAs(page, 'sd.rev.a');
    const bell = page.locator('[data-testid="notification-bell"]');
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="notification-bell"]')?.getAttribute('data-unread')) > 0);
    await bell.click();
    await page.locator('[data-testid="notification"]', { hasText: '征求意见' }).first().waitFor();
    await s.shot('notifications');
    await page.locator('[data-testid="notification"]', { hasText: '征求意见' }).first().locator('.ant-list-item-meta-title a').click();
    const drawer = page.locator('.ant-drawer-content');
    await drawer.locator('[data-testid="case-subject"]').getByText('慢病随访方式').waitFor();
    await drawer.locator('[data-testid="comment-period"]').waitFor();
    await drawer.locator('input[type="file"]').setInputFiles({ name: '修改建议.txt', mimeType: 'text/plain', buffer: Buffer.from('建议补充值域 CV99.05') });
    await drawer.getByText('修改建议.txt').waitFor();
    await s.shot('reviewer-a-task');
    await decide(page, 'comment', 'approve', '建议补充值域引用');
    await page.locator('.ant-drawer-content').waitFor({ state: 'detached' });

    await signInAs(page, 'sd.rev.b');
    await page.goto('/inbox');
    await page.locator('[data-testid="inbox-table"] [data-testid="task-subject"]', { hasText: '慢病随访方式' }).click();
    await page.locator('.ant-drawer-content [data-testid="comment-period"]').getByText('建议补充值域引用').waitFor();
    await s.shot('reviewer-b-sees-comment-period');
    await decide(page, 'comment', 'approve', '格式 AN..20 合适');
    await page.click('[data-testid="inbox-tab-done"]');
    await page.locator('[data-testid="inbox-table"]').getByText('慢病随访方式').waitFor();
  });

  it('a task someone else decided first: the reviewer is told who, and the inbox refreshes', async () => {
    const owner = (await signIn(platform.url, 'sd.owner', TEST_PASSWORD)).api;
    const started = await owner.post('/api/workflow/processes/generic-review/instances', { title: 'e2e 并发审核' });
    assert.equal(started.status, 200, JSON.stringify(started.body));
    await page.goto('/inbox?view=claimable');
    await page.locator('[data-testid="inbox-table"] [data-testid="task-subject"]', { hasText: 'e2e 并发审核' }).click();
    const card = page.locator('.ant-drawer-content [data-testid="task-actions"][data-activity="review"]');
    await card.waitFor();
    // Meanwhile the other reviewer decides it.
    const other = (await signIn(platform.url, 'sd.rev.a', TEST_PASSWORD)).api;
    const taskId = started.body.tasks[0].id as string;
    assert.equal((await other.post(`/api/workflow/tasks/${taskId}/complete`, { decision: 'approve', comment: '我先审了' })).status, 200);
    await card.locator('[data-testid="decide-reject"]').click();
    await page.locator('.ant-message').getByText(/该任务已被他人处理.*already completed by sd\.rev\.a/).waitFor();
    await page.locator('.ant-drawer-content').waitFor({ state: 'detached' });
    await s.shot('conflict-409');
    assert.equal(await page.locator('[data-testid="inbox-table"] [data-testid="task-subject"]', { hasText: 'e2e 并发审核' }).count(), 0);
  });

  it('the owner handles the comments and submits for approval', async () => {
    await signInAs(page, 'sd.owner');
    await page.goto(itemUrl);
    await page.locator('[data-testid="drafting-step"]', { hasText: '处理意见' }).waitFor();
    await decide(page, 'revise', 'approve', '已采纳');
    await page.locator('[data-testid="drafting-step"]', { hasText: '批准发布' }).waitFor();
  });

  it('the approver claims the task in the inbox and approves: the element is published', async () => {
    await signInAs(page, 'sd.approver');
    await page.goto('/inbox');
    await page.click('[data-testid="inbox-tab-claimable"]');
    const row = page.locator('[data-testid="inbox-table"] .ant-table-row', { hasText: '慢病随访方式' });
    await row.waitFor();
    await s.shot('claimable');
    await row.locator('[data-testid="claim-task"]').click();
    await page.getByText('已认领').waitFor();
    await page.click('[data-testid="inbox-tab-mine"]');
    await page.locator('[data-testid="inbox-table"] .ant-table-row', { hasText: '慢病随访方式' }).locator('[data-testid="open-task"]').click();
    await page.locator('.ant-drawer-content [data-testid="case-subject"]').getByText('慢病随访方式').waitFor();
    await s.shot('approver-task');
    await decide(page, 'approval', 'approve', '同意发布');
    await page.locator('.ant-drawer-content').waitFor({ state: 'detached' });
  });

  it('a step whose definition names a screen shows its Formily form; the values go with the decision as process variables', async () => {
    const owner = (await signIn(platform.url, 'sd.owner', TEST_PASSWORD)).api;
    const admin = (await signIn(platform.url, 'sysadmin', TEST_PASSWORD)).api;
    const screen = await owner.post('/api/meta/screens', {
      namespace: 'sandbox', identifier: 'SCR.E2E.WF', name: '审核表单', dataset: { code: 'person_basic' },
      list: { columns: [{ field: 'patient_name', title: '姓名' }], filters: [] },
      form: { type: 'object', properties: { sex_code: { type: 'string', title: '核定性别代码', required: true, 'x-decorator': 'FormItem', 'x-component': 'Input' } } },
    });
    assert.equal(screen.status, 200, JSON.stringify(screen.body));
    assert.equal((await owner.post(`/api/meta/screens/${screen.body.id}/publish`)).status, 200);
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:lingshu="http://lingshu.dev/schema/bpmn" id="d" targetNamespace="http://lingshu.dev/workflows">
  <process id="generic-review" name="通用审核" isExecutable="true">
    <startEvent id="start" /><sequenceFlow id="f1" sourceRef="start" targetRef="review" />
    <userTask id="review" name="审核" lingshu:candidateRoles="reviewer" lingshu:decisions="approve,reject" lingshu:screen="${screen.body.id}" />
    <sequenceFlow id="f2" sourceRef="review" targetRef="end" /><endEvent id="end" />
  </process>
</definitions>`;
    assert.equal((await admin.post('/api/workflow/processes/generic-review', { xml })).status, 200);
    const started = await owner.post('/api/workflow/processes/generic-review/instances', { title: 'e2e 表单审核' });
    assert.equal(started.status, 200, JSON.stringify(started.body));

    await signInAs(page, 'sd.rev.c');
    await page.goto('/inbox?view=claimable');
    await page.locator('[data-testid="inbox-table"] [data-testid="task-subject"]', { hasText: 'e2e 表单审核' }).click();
    const taskForm = page.locator('.ant-drawer-content [data-testid="task-form"]');
    await taskForm.getByText('核定性别代码').waitFor();
    await page.locator('.ant-drawer-content [data-testid="decide-approve"]').click();
    await taskForm.locator('.ant-formily-item-error-help, .ant-formily-item-help').first().waitFor();
    await taskForm.locator('input').fill('2');
    await s.shot('task-form');
    await decide(page, 'review', 'approve');
    const instance = (await owner.get(`/api/workflow/instances/${started.body.instance.id}`)).body;
    assert.equal(instance.status, 'completed');
    assert.equal(instance.variables.sex_code, '2');
  });

  it('the item shows the published registration status; the timeline shows every step, comment and attachment', async () => {
    await signInAs(page, 'sd.owner');
    await page.goto(itemUrl);
    await statusIs(page, 'published');
    await page.locator('[data-testid="drafting-step"]', { hasText: '年度复审' }).waitFor();
    await s.shot('published');
    await page.click('[data-testid="drafting-timeline"]');
    const timeline = page.locator('[data-testid="case-timeline"]');
    await timeline.getByText('同意发布').waitFor();
    const completed = await timeline.locator('[data-testid="timeline-event"][data-type="task.completed"]').allInnerTexts();
    const steps = completed.map(text => text.split('：')[0]);
    assert.deepEqual(steps, ['需求调研', '起草', '征求意见', '征求意见', '处理意见', '批准发布'], completed.join('\n'));
    const comments = await timeline.locator('[data-testid="timeline-comment"]').allInnerTexts();
    for (const c of ['慢病管理需要统一随访方式', '建议补充值域引用', '格式 AN..20 合适', '已采纳', '同意发布']) assert.ok(comments.includes(c), `comment ${c} in ${comments.join(' | ')}`);
    const [file] = await Promise.all([page.waitForEvent('download'), timeline.locator('[data-testid="timeline-attachment"]', { hasText: '修改建议.txt' }).click()]);
    assert.equal(file.suggestedFilename(), '修改建议.txt');
    assert.equal(fs.readFileSync((await file.path())!, 'utf8'), '建议补充值域 CV99.05');
    await timeline.locator('[data-testid="timeline-event"][data-type="action.done"]', { hasText: '发布标准' }).waitFor();
    await s.shot('timeline');
    const problems = s.problems.filter(p => !/Failed to load resource/.test(p));
    assert.deepEqual(problems, []);
  });
});
