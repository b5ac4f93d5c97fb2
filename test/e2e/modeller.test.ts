import assert from 'node:assert/strict';
import { Platform } from '@lingshu/platform';
import { userApi } from '../support';
import { Page, Session, browserScenario, openMenuItem, signInAs } from './browser';

/** Clicks a diagram element by its BPMN id: a shape in its middle, a flow near its end (flows from one gateway share their start). */
async function clickElement(page: Page, id: string) {
  await page.locator(`.djs-element[data-element-id="${id}"]`).first().waitFor({ state: 'attached' });
  const at = await page.evaluate(want => {
    const g = document.querySelector(`.djs-element[data-element-id="${want}"]`);
    const hit = g?.querySelector('.djs-hit');
    if (!g || !hit) return null;
    if (g.classList.contains('djs-connection') && hit instanceof SVGGeometryElement) {
      const length = hit.getTotalLength();
      const at = hit.getPointAtLength(length - Math.min(25, length / 4));
      const p = new DOMPoint(at.x, at.y).matrixTransform(hit.getScreenCTM()!);
      return { x: p.x, y: p.y };
    }
    const r = hit.getBoundingClientRect();
    return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
  }, id);
  assert.ok(at, `element ${id} on the canvas`);
  await page.mouse.click(at.x, at.y);
  await page.waitForFunction(want => (document.querySelector('[data-testid="prop-id"]') as HTMLInputElement | null)?.value === want, id);
}

describe('e2e: a process designer edits, lints and deploys a process, then follows an instance', function () {
  this.timeout(240_000);
  const scenario = browserScenario('modeller', {
    demoData: 'none',
    users: [{ username: 'wf.designer', displayName: '流程设计员', orgCode: null, roles: ['system-admin'] }],
  });
  let platform: Platform;
  let s: Session;
  let page: Page;

  before(async () => {
    ({ platform, session: s } = scenario);
    page = s.page;
  });

  it('signs in and lists the process definitions under 流程中心 → 流程建模', async () => {
    await signInAs(page, 'wf.designer');
    await openMenuItem(page, '流程中心', '流程建模');
    await page.locator('[data-testid="process-table"] .ant-table-row').nth(2).waitFor();
    const table = await page.locator('[data-testid="process-table"]').innerText();
    for (const name of ['通用审核', '数据资源申请', '标准制修订']) assert.match(table, new RegExp(name));
    await s.shot('process-list');
  });

  it('opens a process in the modeller: the starter diagram is drawn as designed', async () => {
    await page.locator('[data-testid="process-table"]').getByText('通用审核').click();
    await page.locator('.djs-element[data-element-id="review"]').waitFor();
    await page.locator('[data-testid="latest-version"]', { hasText: 'v1' }).waitFor();
    await s.shot('modeller');
  });

  it('changes the assignment of a user task in the panel', async () => {
    await clickElement(page, 'review');
    const assignee = page.locator('[data-testid="prop-assignee"]');
    assert.equal(await assignee.inputValue(), '${reviewer}');
    await assignee.fill('wf.lead');
    await page.locator('[data-testid="prop-due-in"]').fill('five days');
    await page.getByText('不是 ISO 8601 时长').waitFor();
    await page.locator('[data-testid="prop-due-in"]').fill('P5D');
    await s.shot('user-task-panel');
  });

  it('a bad condition is shown by the lint on the diagram and in the panel; fixing it lints clean', async () => {
    await clickElement(page, 'toApproved');
    const condition = page.locator('[data-testid="prop-condition"]');
    assert.equal(await condition.inputValue(), '${outcome == "approved"}');
    await condition.fill('${outcome == }');
    await page.click('[data-testid="lint"]');
    await page.locator('[data-testid="lint-problems"]').waitFor();
    assert.match(await page.locator('[data-testid="lint-problems"]').innerText(), /toApproved/);
    await page.locator('.djs-element.ls-problem[data-element-id="toApproved"]').waitFor({ state: 'attached' });
    await page.locator('[data-testid="element-problems"]').waitFor();
    await s.shot('lint-problem');
    // Deploying is refused while the model has problems.
    await page.click('[data-testid="deploy"]');
    await page.locator('[data-testid="lint-problems"]').waitFor();
    assert.equal((await (await userApi(platform, 'wf.designer', ['system-admin'])).get('/api/workflow/processes/generic-review')).body.latest.version, 1);
    await condition.fill('${outcome == "approved" || outcome == "approve"}');
    await page.click('[data-testid="check-condition"]');
    await page.locator('[data-testid="condition-ok"]').waitFor();
    await page.locator('[data-testid="lint-clean"]').waitFor();
    assert.equal(await page.locator('.djs-element.ls-problem').count(), 0);
  });

  it('deploys a new version: it is listed, and holds the panel’s changes', async () => {
    await page.click('[data-testid="deploy"]');
    await page.getByText('已部署为版本 v2').waitFor();
    await page.locator('[data-testid="latest-version"]', { hasText: 'v2' }).waitFor();
    await page.locator('[data-testid="version-table"] .ant-table-row').nth(1).waitFor();
    await s.shot('deployed');
    const api = await userApi(platform, 'wf.designer', ['system-admin']);
    const { body } = await api.get('/api/workflow/processes/generic-review');
    assert.equal(body.latest.version, 2);
    assert.equal(body.latest.userTasks.review.assignee, 'wf.lead');
    assert.equal(body.latest.userTasks.review.dueInMs, 5 * 24 * 3600 * 1000);
    assert.match(body.latest.xml, /outcome == "approve"/);
    assert.match(body.latest.xml, /bpmndi:BPMNShape/);
  });

  it('creates a process from a template: laid out on import, deployed as version 1', async () => {
    await page.goto('/workflow/processes');
    await page.click('[data-testid="new-process"]');
    await page.fill('[data-testid="new-process-key"]', 'leave-approval');
    await page.fill('[data-testid="new-process-name"]', '请假审批');
    await page.locator('.ant-modal-footer .ant-btn-primary').click();
    await page.locator('.djs-element[data-element-id="approve"]').waitFor();
    await clickElement(page, 'approve');
    assert.deepEqual(await page.locator('[data-testid="prop-candidate-roles"] .ant-select-selection-item').allInnerTexts(), ['reviewer']);
    await page.click('[data-testid="deploy"]');
    await page.getByText('已部署为版本 v1').waitFor();
    await page.locator('[data-testid="version-table"] .ant-table-row').first().waitFor();
    await s.shot('new-process');
    const api = await userApi(platform, 'wf.designer', ['system-admin']);
    const { body } = await api.get('/api/workflow/processes/leave-approval');
    assert.equal(body.latest.name, '请假审批');
    assert.match(body.latest.xml, /bpmndi:BPMNEdge/);
  });

  it('opens a running instance: its own version is drawn with the current task highlighted, the history beside it', async () => {
    const starter = await userApi(platform, 'wf.starter', ['reviewer']);
    const started = await starter.post('/api/workflow/processes/generic-review/instances', { title: '模型测试申请' });
    assert.equal(started.status, 200, JSON.stringify(started.body));
    assert.equal(started.body.instance.processVersion, 2);
    await page.goto(`/workflow/instances/${started.body.instance.id}`);
    await page.locator('.djs-element.ls-active[data-element-id="review"]').waitFor({ state: 'attached' });
    await page.locator('[data-testid="instance-timeline"]').getByText('发起流程').waitFor();
    assert.match(await page.locator('[data-testid="instance-status"]').innerText(), /进行中/);
    assert.match(await page.locator('[data-testid="instance-active"]').innerText(), /wf\.lead/);
    await s.shot('instance');
    assert.deepEqual(s.problems.filter(p => /Content Security Policy|page error/i.test(p)), []);
  });
});
