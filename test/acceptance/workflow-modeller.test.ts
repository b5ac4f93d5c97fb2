import assert from 'node:assert/strict';
import { Platform, startPlatform } from '@lingshu/platform';
import { workflowModels } from '@lingshu/seeds';
import { TEST_PASSWORD, TestDatabase, client, createTestDatabase, signIn, userApi } from '../support';

type Api = Awaited<ReturnType<typeof userApi>>;

/** The modeller's server side: lint without deploying, the action list, deploy rights, the form attribute. */
describe('acceptance: workflow modeller (lint, actions, deploy rights)', () => {
  let tdb: TestDatabase;
  let platform: Platform;
  let admin: Api;
  let owner: Api;
  let auditor: Api;
  const review = () => workflowModels().find(m => m.key === 'generic-review')!.xml;

  before(async () => {
    tdb = await createTestDatabase();
    platform = await startPlatform({ ...tdb.config, port: 0, adminPassword: TEST_PASSWORD });
    admin = (await signIn(platform.url, 'sysadmin', TEST_PASSWORD)).api;
    owner = await userApi(platform, 'mdl.owner', ['standard-owner']);
    auditor = await userApi(platform, 'mdl.auditor', ['auditor']);
  });
  after(async () => {
    await platform?.stop();
    await tdb?.drop();
  });

  it('a starter model (with its diagram) lints clean and names its user tasks', async () => {
    const { status, body } = await owner.post('/api/workflow/lint', { xml: review() });
    assert.equal(status, 200, JSON.stringify(body));
    assert.equal(body.ok, true, JSON.stringify(body.problems));
    assert.equal(body.name, '通用审核');
    assert.deepEqual(body.userTasks.sort(), ['review', 'rework']);
    assert.deepEqual(body.problems, []);
    assert.match(review(), /<bpmndi:BPMNShape[^>]+bpmnElement="review"/);
  });

  it('lint returns every problem with the element it is about and the position in the expression', async () => {
    const bad = review()
      .replace('${outcome == "approved"}', '${outcome == }')
      .replace('lingshu:decisions="approve,reject"', 'lingshu:decisions="approve,reject" lingshu:screen="bad screen!"')
      .replace('lingshu:dueIn="P3D"', 'lingshu:dueIn="3 days"');
    const { status, body } = await owner.post('/api/workflow/lint', { xml: bad });
    assert.equal(status, 200);
    assert.equal(body.ok, false);
    const byRule = (rule: string) => body.problems.find((p: { rule: string }) => p.rule === rule);
    assert.equal(byRule('expression').elementId, 'toApproved');
    assert.equal(typeof byRule('expression').position, 'number');
    assert.equal(byRule('duration').elementId, 'review');
    assert.match(byRule('duration').path, /@lingshu:dueIn$/);
    assert.equal(byRule('pattern').elementId, 'rework');
    // A model that cannot be read is a problem too, not an error page.
    const unreadable = await owner.post('/api/workflow/lint', { xml: '<definitions' });
    assert.equal(unreadable.status, 200);
    assert.equal(unreadable.body.ok, false);
    assert.equal(unreadable.body.problems[0].field, 'xml');
    // No XML at all.
    const none = await owner.post('/api/workflow/lint', {});
    assert.equal(none.body.problems[0].rule, 'required');
  });

  it('lint and the action list need workflow:definitions read; deploying needs create', async () => {
    assert.equal((await client(platform.url).post('/api/workflow/lint', { xml: review() })).status, 401);
    assert.equal((await auditor.post('/api/workflow/lint', { xml: review() })).status, 403);
    assert.equal((await auditor.get('/api/workflow/actions')).status, 403);
    const actions = await owner.get('/api/workflow/actions');
    assert.equal(actions.status, 200);
    for (const a of ['metaPublish', 'grantResource', 'notifyOpenTasks']) assert.ok(actions.body.includes(a), a);
    // The standard owner reads definitions but may not deploy them.
    assert.equal((await owner.post('/api/workflow/processes/generic-review', { xml: review() })).status, 403);
  });

  it('a deployed version keeps the screen (task form) of each user task; the instance keeps its version', async () => {
    const withForm = review().replace('lingshu:dueIn="P3D"', 'lingshu:dueIn="P3D" lingshu:screen="review-form"');
    const started = await (await userApi(platform, 'mdl.starter', ['reviewer'])).post('/api/workflow/processes/generic-review/instances', { title: 'v1 case' });
    assert.equal(started.status, 200, JSON.stringify(started.body));
    const deployed = await admin.post('/api/workflow/processes/generic-review', { xml: withForm });
    assert.equal(deployed.status, 200, JSON.stringify(deployed.body));
    assert.equal(deployed.body.version, 2);
    const read = await owner.get('/api/workflow/processes/generic-review');
    assert.equal(read.body.latest.userTasks.review.screen, 'review-form');
    assert.deepEqual(read.body.versions.map((v: { version: number }) => v.version), [2, 1]);
    const instance = await admin.get(`/api/workflow/instances/${started.body.instance.id}`);
    assert.equal(instance.body.processVersion, 1);
    // Its diagram is version 1's, with the review task current; a stranger sees nothing.
    const diagram = await admin.get(`/api/workflow/instances/${started.body.instance.id}/diagram`);
    assert.equal(diagram.status, 200, JSON.stringify(diagram.body));
    assert.equal(diagram.body.version, 1);
    assert.doesNotMatch(diagram.body.xml, /review-form/);
    assert.deepEqual(diagram.body.active, ['review']);
    assert.deepEqual(diagram.body.completed, []);
    assert.equal((await owner.get(`/api/workflow/instances/${started.body.instance.id}/diagram`)).status, 404);
    const bad = await admin.post('/api/workflow/processes/generic-review', { xml: withForm.replace('${outcome == "approved"}', '${outcome == }') });
    assert.equal(bad.status, 422);
    assert.equal(bad.body.error.details[0].rule, 'expression');
  });
});
