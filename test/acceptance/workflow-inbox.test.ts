import assert from 'node:assert/strict';
import { Platform, startPlatform } from '@lingshu/platform';
import { TEST_PASSWORD, TestDatabase, createTestDatabase, signIn, userApi } from '../support';

type Api = Awaited<ReturnType<typeof userApi>>;

/** What the web inbox needs besides the workflow API proper: done-by-me, a metadata item's cases, people to pick. */
describe('acceptance: workflow inbox support (done view, cases of an item, people picker)', () => {
  let tdb: TestDatabase;
  let platform: Platform;
  let owner: Api;
  let reviewer: Api;
  let analyst: Api;
  let subjectId: string;
  let instanceId: string;

  before(async () => {
    tdb = await createTestDatabase();
    platform = await startPlatform({ ...tdb.config, port: 0, adminPassword: TEST_PASSWORD });
    owner = await userApi(platform, 'ib.owner', ['standard-owner']);
    reviewer = await userApi(platform, 'ib.rev1', ['reviewer']);
    await userApi(platform, 'ib.rev2', ['reviewer']);
    analyst = await userApi(platform, 'ib.analyst', ['analyst']);
    const created = await owner.post('/api/meta/data-elements', { namespace: 'ibns', identifier: 'DE98.00.001.00', name: '收件箱测试数据元', dataType: 'S1', format: 'AN..20' });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    subjectId = created.body.id;
    const started = await owner.post('/api/workflow/processes/standard-drafting/instances', {
      title: '收件箱测试数据元 制定', businessKey: subjectId,
      variables: { subjectKind: 'data-element', subjectId, reviewers: ['ib.rev1', 'ib.rev2'] },
    });
    assert.equal(started.status, 200, JSON.stringify(started.body));
    instanceId = started.body.instance.id;
  });
  after(async () => {
    await platform?.stop();
    await tdb?.drop();
  });

  it('the inbox names who requested each task; view=done lists what I decided, newest first; a bad view is 400 naming the field', async () => {
    const mine = (await owner.get('/api/workflow/tasks?view=mine')).body as Array<{ id: string; requestedBy: string; activityId: string }>;
    assert.equal(mine.length, 1);
    assert.equal(mine[0].requestedBy, 'ib.owner');
    assert.equal(mine[0].activityId, 'research');
    assert.deepEqual((await owner.get('/api/workflow/tasks?view=done')).body, []);
    assert.equal((await owner.post(`/api/workflow/tasks/${mine[0].id}/complete`, { decision: 'approve', comment: '立项' })).status, 200);
    const draft = ((await owner.get('/api/workflow/tasks?view=mine')).body as Array<{ id: string }>)[0];
    assert.equal((await owner.post(`/api/workflow/tasks/${draft.id}/complete`, { decision: 'approve' })).status, 200);
    const done = (await owner.get('/api/workflow/tasks?view=done')).body as Array<{ activityId: string; decision: string; comment: string | null; instanceTitle: string }>;
    assert.deepEqual(done.map(t => t.activityId), ['draft', 'research']);
    assert.equal(done[1].comment, '立项');
    assert.equal(done[0].instanceTitle, '收件箱测试数据元 制定');
    // Others' decisions are not in my done list.
    assert.deepEqual((await reviewer.get('/api/workflow/tasks?view=done')).body, []);
    const bad = await owner.get('/api/workflow/tasks?view=all');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.details[0].field, 'view');
  });

  it('an item’s cases show the open step to readers of the item; only participants are marked as such', async () => {
    const cases = await owner.get(`/api/workflow/subjects/data-element/${subjectId}/instances`);
    assert.equal(cases.status, 200, JSON.stringify(cases.body));
    assert.equal(cases.body.length, 1);
    const [c] = cases.body;
    assert.equal(c.id, instanceId);
    assert.equal(c.status, 'running');
    assert.deepEqual(c.steps, [{ activityId: 'comment', name: '征求意见' }]);
    assert.deepEqual(c.openTasks.map((t: { assignee: string }) => t.assignee).sort(), ['ib.rev1', 'ib.rev2']);
    assert.equal(c.participant, true);
    const seen = (await analyst.get(`/api/workflow/subjects/data-element/${subjectId}/instances`)).body;
    assert.equal(seen[0].participant, false);
    assert.equal((await analyst.get(`/api/workflow/instances/${instanceId}/timeline`)).status, 404, 'the record itself stays private');
    // Another item has no case; a wrong kind is 400 naming the field; no meta read → 403.
    assert.deepEqual((await owner.get('/api/workflow/subjects/dataset/00000000-0000-7000-8000-000000000000/instances')).body, []);
    const bad = await owner.get(`/api/workflow/subjects/screen/${subjectId}/instances`);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.details[0].field, 'kind');
    const nobody = await userApi(platform, 'ib.nobody', []);
    assert.equal((await nobody.get(`/api/workflow/subjects/data-element/${subjectId}/instances`)).status, 403);
  });

  it('people to pick: search by name, filter by role; no secrets; a bad role is 400', async () => {
    const reviewers = await owner.get('/api/workflow/people?role=reviewer');
    assert.equal(reviewers.status, 200);
    assert.deepEqual(reviewers.body.map((u: { username: string }) => u.username), ['ib.rev1', 'ib.rev2']);
    assert.deepEqual(Object.keys(reviewers.body[0]).sort(), ['displayName', 'orgCode', 'username']);
    const found = (await reviewer.get('/api/workflow/people?q=ANALYST')).body;
    assert.deepEqual(found.map((u: { username: string }) => u.username), ['ib.analyst']);
    // LIKE wildcards are literal.
    assert.deepEqual((await reviewer.get('/api/workflow/people?q=%25')).body, []);
    const bad = await owner.get('/api/workflow/people?role=Bad%20Role');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.details[0].field, 'role');
  });

  it('a task names the decisions and the form screen of its step (lingshu:screen); a bad screen attribute is refused naming it', async () => {
    const admin = (await signIn(platform.url, 'sysadmin', TEST_PASSWORD)).api;
    const model = (screen: string) => `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:lingshu="http://lingshu.dev/schema/bpmn" id="d" targetNamespace="http://lingshu.dev/workflows">
  <process id="generic-review" name="通用审核（带表单）" isExecutable="true">
    <startEvent id="start" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="review" />
    <userTask id="review" name="审核" lingshu:candidateRoles="reviewer" lingshu:decisions="approve,reject" lingshu:screen="${screen}" />
    <sequenceFlow id="f2" sourceRef="review" targetRef="end" />
    <endEvent id="end" />
  </process>
</definitions>`;
    const bad = await admin.post('/api/workflow/processes/generic-review', { xml: model('no spaces') });
    assert.equal(bad.status, 422);
    assert.match(bad.body.error.details[0].path, /@lingshu:screen$/);
    const deployed = await admin.post('/api/workflow/processes/generic-review', { xml: model('follow-up-form') });
    assert.equal(deployed.status, 200, JSON.stringify(deployed.body));
    const started = await owner.post('/api/workflow/processes/generic-review/instances', { title: '带表单的审核' });
    assert.equal(started.status, 200, JSON.stringify(started.body));
    const task = await reviewer.get(`/api/workflow/tasks/${started.body.tasks[0].id}`);
    assert.equal(task.status, 200);
    assert.deepEqual([task.body.decisions, task.body.screen], [['approve', 'reject'], 'follow-up-form']);
    // The form's values travel as process variables with the decision.
    const done = await reviewer.post(`/api/workflow/tasks/${task.body.id}/complete`, { decision: 'approve', variables: { visit_way: '2' } });
    assert.equal(done.status, 200, JSON.stringify(done.body));
    assert.equal(done.body.instance.variables.visit_way, '2');
    const other = await reviewer.get(`/api/workflow/tasks/${(await owner.get('/api/workflow/tasks?view=done')).body[0].id}`);
    assert.deepEqual([other.body.decisions, other.body.screen], [['approve'], null], 'the drafting step offers approve only and names no screen');
  });
});
