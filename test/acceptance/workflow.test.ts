import assert from 'node:assert/strict';
import { DataElement } from '@lingshu/metamodel';
import { Platform, createUser, startPlatform } from '@lingshu/platform';
import { TEST_PASSWORD, TestDatabase, createTestDatabase, signIn, userApi } from '../support';
import { idNumber, testCatalog } from '@lingshu/platform/dist/__tests__/fixtures';

type Api = Awaited<ReturnType<typeof userApi>>;

/** The three starter processes through the HTTP API, with real accounts and roles. */
describe('acceptance: workflow (standard drafting, resource approval, generic review, inbox)', () => {
  let tdb: TestDatabase;
  let platform: Platform;
  let owner: Api;
  let approver: Api;
  const reviewers: Api[] = [];

  before(async () => {
    tdb = await createTestDatabase();
    platform = await startPlatform({ ...tdb.config, port: 0, adminPassword: TEST_PASSWORD });
    owner = await userApi(platform, 'wf.owner', ['standard-owner']);
    approver = await userApi(platform, 'wf.approver', ['standard-approver']);
    for (const name of ['wf.rev1', 'wf.rev2', 'wf.rev3']) reviewers.push(await userApi(platform, name, ['reviewer']));
  });
  after(async () => {
    await platform?.stop();
    await tdb?.drop();
  });

  const mine = async (api: Api) => (await api.get('/api/workflow/tasks?view=mine')).body as Array<{ id: string; activityId: string; instanceId: string }>;
  const claimable = async (api: Api) => (await api.get('/api/workflow/tasks?view=claimable')).body as Array<{ id: string; activityId: string; instanceId: string }>;
  const taskOf = async (api: Api, instanceId: string, view: 'mine' | 'claimable' = 'mine') => {
    const list = view === 'mine' ? await mine(api) : await claimable(api);
    const t = list.find(x => x.instanceId === instanceId);
    assert.ok(t, `a ${view} task in ${instanceId}`);
    return t;
  };
  const complete = (api: Api, id: string, decision: string, extra: Record<string, unknown> = {}) =>
    api.post(`/api/workflow/tasks/${id}/complete`, { decision, ...extra });

  it('the three starter processes are deployed as version 1 and readable with their BPMN', async () => {
    const { status, body } = await owner.get('/api/workflow/processes');
    assert.equal(status, 200);
    assert.deepEqual(body.map((d: { key: string }) => d.key).sort(), ['generic-review', 'resource-approval', 'standard-drafting']);
    const one = await owner.get('/api/workflow/processes/standard-drafting');
    assert.match(one.body.latest.xml, /征求意见/);
    assert.equal(one.body.latest.userTasks.comment.approval.mode, 'all');
  });

  it('standard drafting: research → draft → comment period (all reviewers) → approval publishes the element', async () => {
    const element: Partial<DataElement> = { namespace: 'wfns', identifier: 'DE99.00.001.00', name: '流程测试数据元', dataType: 'S1', format: 'AN..20', kind: 'data-element' };
    const created = await owner.post('/api/meta/data-elements', element);
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const subjectId = created.body.id as string;
    // The namespace requires an approved process: a direct publish is refused.
    const admin = (await signIn(platform.url, 'sysadmin', TEST_PASSWORD)).api;
    assert.equal((await admin.put('/api/workflow/publish-gate/wfns', { requireApproval: true })).status, 200);
    await owner.post(`/api/meta/data-elements/${subjectId}/submit`);
    const direct = await owner.post(`/api/meta/data-elements/${subjectId}/publish`);
    assert.equal(direct.status, 409);
    assert.equal(direct.body.error.details[0].rule, 'approval-required');
    await owner.post(`/api/meta/data-elements/${subjectId}/withdraw`);

    const started = await owner.post('/api/workflow/processes/standard-drafting/instances', {
      title: '流程测试数据元 制定', businessKey: subjectId,
      variables: { subjectKind: 'data-element', subjectId, reviewers: ['wf.rev1', 'wf.rev2', 'wf.rev3'] },
    });
    assert.equal(started.status, 200, JSON.stringify(started.body));
    const id = started.body.instance.id as string;
    assert.equal(started.body.instance.processVersion, 1);
    assert.equal((await complete(owner, (await taskOf(owner, id)).id, 'approve', { comment: '需求明确' })).status, 200);
    // 起草 → submit: the element goes to review and three comment tasks open.
    const drafted = await complete(owner, (await taskOf(owner, id)).id, 'approve');
    assert.equal(drafted.status, 200, JSON.stringify(drafted.body));
    assert.equal(drafted.body.next.length, 3);
    assert.equal((await owner.get(`/api/meta/data-elements/${subjectId}`)).body.workflowStatus, 'review');
    // A decision the task does not offer is refused, naming the field.
    const bad = await complete(reviewers[0], (await taskOf(reviewers[0], id)).id, 'reject');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.details[0].field, 'decision');
    // Comments from all three, one with an attachment.
    const attachment = { name: '意见.txt', mediaType: 'text/plain', content: Buffer.from('建议补充值域').toString('base64') };
    for (const [i, r] of reviewers.entries()) {
      const res = await complete(r, (await taskOf(r, id)).id, 'approve', { comment: `意见 ${i + 1}`, attachments: i === 0 ? [attachment] : [] });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.next.length, i < 2 ? 0 : 1, 'the comment period ends with the last reviewer');
    }
    assert.equal((await complete(owner, (await taskOf(owner, id)).id, 'approve')).status, 200);
    // 批准发布 is offered to the standard-approver role; claim, then approve → published.
    const offered = await taskOf(approver, id, 'claimable');
    assert.equal((await approver.post(`/api/workflow/tasks/${offered.id}/claim`)).status, 200);
    assert.equal((await reviewers[0].post(`/api/workflow/tasks/${offered.id}/claim`)).status, 409);
    const approved = await complete(approver, offered.id, 'approve', { comment: '同意发布' });
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    assert.equal((await owner.get(`/api/meta/data-elements/${subjectId}`)).body.workflowStatus, 'published');
    // Now waiting for the yearly review timer.
    const instance = (await owner.get(`/api/workflow/instances/${id}`)).body;
    assert.equal(instance.status, 'running');
    const due = Date.parse(instance.nextTimerAt) - Date.now();
    assert.ok(due > 360 * 86_400_000 && due < 370 * 86_400_000, `review in about a year, not ${due} ms`);

    const timeline = (await owner.get(`/api/workflow/instances/${id}/timeline`)).body as Array<{ type: string; comment: string | null; attachments: Array<{ id: string; name: string }> }>;
    assert.ok(timeline.some(e => e.type === 'task.completed' && e.comment === '同意发布'));
    const withFile = timeline.find(e => e.attachments.length);
    assert.equal(withFile?.attachments[0].name, '意见.txt');
    const file = await owner.raw('GET', `/api/workflow/attachments/${withFile!.attachments[0].id}`);
    assert.equal(file.status, 200);
    assert.equal(file.body, '建议补充值域');
    // Outsiders see neither the case nor its files.
    const outsider = await userApi(platform, 'wf.outsider', ['analyst']);
    assert.equal((await outsider.get(`/api/workflow/instances/${id}/timeline`)).status, 404);
    // The reviewers were notified from the templates.
    const notes = (await reviewers[1].get('/api/workflow/notifications')).body as Array<{ title: string }>;
    assert.ok(notes.some(n => n.title === '待办：征求意见'), JSON.stringify(notes));
  });

  it('resource approval: department head of the applicant’s institution → security officer → director grants; revocable', async () => {
    const db = platform.db;
    const applicant = await userApi(platform, 'wf.applicant', ['institution-user'], 'wf-hosp-a');
    const headA = await userApi(platform, 'wf.head.a', ['department-head'], 'wf-hosp-a');
    const headB = await userApi(platform, 'wf.head.b', ['department-head'], 'wf-hosp-b');
    const officer = await userApi(platform, 'wf.officer', ['data-security-officer']);
    const director = await userApi(platform, 'wf.director', ['centre-director']);
    const started = await applicant.post('/api/workflow/processes/resource-approval/instances', {
      title: '高血压随访数据申请', variables: { resourceId: 'hypertension-followup', purpose: '科研', fields: ['age', 'sbp'], periodDays: 30 },
    });
    assert.equal(started.status, 200, JSON.stringify(started.body));
    const id = started.body.instance.id;
    assert.equal((await claimable(headB)).filter(t => t.instanceId === id).length, 0, 'another institution’s head is not offered the task');
    const first = await taskOf(headA, id, 'claimable');
    assert.equal((await complete(headB, first.id, 'approve')).status, 403);
    assert.equal((await complete(headA, first.id, 'approve')).status, 200);
    // The officer returns it; the applicant amends; it starts again at the department head.
    assert.equal((await complete(officer, (await taskOf(officer, id, 'claimable')).id, 'return', { comment: '用途不明确' })).status, 200);
    const amend = await taskOf(applicant, id);
    assert.equal((await complete(applicant, amend.id, 'approve', { variables: { resourceId: 'other-resource' } })).status, 403, 'the resource is fixed');
    assert.equal((await complete(applicant, amend.id, 'approve', { variables: { purpose: '高血压管理效果评估' } })).status, 200);
    assert.equal((await complete(headA, (await taskOf(headA, id, 'claimable')).id, 'approve')).status, 200);
    const widen = await complete(officer, (await taskOf(officer, id, 'claimable')).id, 'approve', { variables: { periodDays: 366 } });
    assert.equal(widen.status, 403, 'an approver cannot change what was applied for');
    assert.equal(widen.body.error.details[0].rule, 'initiator-only');
    assert.equal((await complete(officer, (await taskOf(officer, id, 'claimable')).id, 'approve')).status, 200);
    const last = await complete(director, (await taskOf(director, id, 'claimable')).id, 'approve');
    assert.equal(last.status, 200);
    assert.equal(last.body.instance.status, 'completed');
    const grants = (await applicant.get('/api/workflow/grants')).body;
    assert.equal(grants.length, 1);
    assert.equal(grants[0].resourceId, 'hypertension-followup');
    assert.deepEqual(grants[0].fields, ['age', 'sbp']);
    const days = (Date.parse(grants[0].expiresAt) - Date.parse(grants[0].grantedAt)) / 86_400_000;
    assert.equal(Math.round(days), 30);
    assert.equal((await applicant.post(`/api/workflow/grants/${grants[0].id}/revoke`)).status, 403);
    assert.equal((await officer.post(`/api/workflow/grants/${grants[0].id}/revoke`)).status, 200);
    assert.equal(await platform.workflow.instance(id).then(i => i?.variables.purpose), '高血压管理效果评估');
    const audit = await db.query<{ action: string }>(`SELECT action FROM audit_log WHERE action LIKE 'workflow.%'`);
    const actions = new Set(audit.map(a => a.action));
    for (const a of ['workflow.start', 'workflow.task.complete', 'workflow.grant', 'workflow.grant.revoke', 'workflow.task.claim', 'workflow.deploy']) assert.ok(actions.has(a), a);
  });

  it('open-data resources: catalogue, apply for some fields, approval, masked CSV/Excel download audited, revoke', async () => {
    await platform.importer.importItems(testCatalog(), 'test');
    const rt = platform.registry.get('test_person')!;
    for (let i = 0; i < 6; i++) await platform.data.create(rt, { id_number: idNumber(500 + i), person_name: ['张三', '李四', '王五', '赵六', '钱七', '孙八'][i], sex_code: i % 2 ? '1' : '2' }, 'test');
    const officer = await userApi(platform, 'wf.officer', ['data-security-officer']);
    const applicant = await userApi(platform, 'wf.applicant', ['institution-user'], 'wf-hosp-a');
    const headA = await userApi(platform, 'wf.head.a', ['department-head'], 'wf-hosp-a');
    const director = await userApi(platform, 'wf.director', ['centre-director']);
    const definition = { name: '测试人员（男）', description: '脱敏后的人员名单', datasetCode: 'test_person', fields: ['id_number', 'person_name', 'sex_code'], rowFilter: { sex_code: '1' }, clearance: 0, owner: '信息科' };
    const bad = await officer.put('/api/workflow/resources/test-persons', { ...definition, fields: ['id_number', 'nope'] });
    assert.equal(bad.status, 422);
    assert.deepEqual(bad.body.error.details.map((d: { field: string }) => d.field), ['fields[1]']);
    assert.equal((await applicant.put('/api/workflow/resources/test-persons', definition)).status, 403);
    const saved = await officer.put('/api/workflow/resources/test-persons', definition);
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    assert.equal(saved.body.version, 1);
    const found = (await applicant.get(`/api/workflow/resources?q=${encodeURIComponent('人员')}`)).body;
    assert.deepEqual(found.map((r: { code: string }) => r.code), ['test-persons']);
    assert.equal((await applicant.get('/api/workflow/resources/test-persons/download')).status, 403, 'no grant yet');
    const wrong = await applicant.post('/api/workflow/resources/test-persons/apply', { purpose: '科研', fields: ['id_number', 'birth_date'] });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.error.details[0].field, 'fields[1]');
    const applied = await applicant.post('/api/workflow/resources/test-persons/apply', { purpose: '慢病随访', fields: ['id_number', 'sex_code'], periodDays: 7 });
    assert.equal(applied.status, 200, JSON.stringify(applied.body));
    const id = applied.body.instance.id;
    for (const api of [headA, officer, director]) assert.equal((await complete(api, (await taskOf(api, id, 'claimable')).id, 'approve')).status, 200);
    const csv = await applicant.raw('GET', '/api/workflow/resources/test-persons/download?format=csv');
    assert.equal(csv.status, 200);
    const lines = String(csv.body).replace(/^\uFEFF/, '').trim().split('\r\n');
    assert.equal(lines[0], 'id_number,sex_code', 'only the granted fields');
    assert.equal(lines.length, 4, 'only the rows of the row filter (3 of 6)');
    for (const line of lines.slice(1)) assert.match(line, /^\d{6}\*+\d{4},1$/, 'ID numbers masked');
    const xls = await applicant.raw('GET', '/api/workflow/resources/test-persons/download?format=xls');
    assert.equal(xls.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'the Excel download is a real .xlsx');
    const downloads = await platform.db.query(`SELECT detail FROM audit_log WHERE action = 'workflow.resource.download' AND actor = 'wf.applicant'`);
    assert.equal(downloads.length, 2);
    const grant = (await applicant.get('/api/workflow/grants')).body.find((g: { resourceId: string }) => g.resourceId === 'test-persons');
    assert.equal((await officer.post(`/api/workflow/grants/${grant.id}/revoke`)).status, 200);
    assert.equal((await applicant.get('/api/workflow/resources/test-persons/download')).status, 403, 'revoked');
  });

  it('generic review: delegate, then two reviewers deciding one task at once → exactly one 200, the other 409 naming who', async () => {
    const started = await owner.post('/api/workflow/processes/generic-review/instances', { title: '映射二级审核', variables: { reviewer: 'wf.rev1' } });
    const id = started.body.instance.id;
    const task = await taskOf(reviewers[0], id);
    const delegated = await reviewers[0].post(`/api/workflow/tasks/${task.id}/delegate`, { to: 'wf.rev2', comment: '请代审' });
    assert.equal(delegated.status, 200);
    assert.equal(delegated.body.assignee, 'wf.rev2');
    assert.equal((await complete(reviewers[0], task.id, 'approve')).status, 403);

    // A claimable one: both reviewers are candidates and decide at the same moment.
    const second = await owner.post('/api/workflow/processes/generic-review/instances', { title: '并发审核' });
    const open = await taskOf(reviewers[1], second.body.instance.id, 'claimable');
    const results = await Promise.all([complete(reviewers[1], open.id, 'approve'), complete(reviewers[2], open.id, 'reject')]);
    const codes = results.map(r => r.status).sort();
    assert.deepEqual(codes, [200, 409], JSON.stringify(results.map(r => r.body)));
    const loser = results.find(r => r.status === 409)!;
    const winner = results.find(r => r.status === 200)!;
    assert.match(loser.body.error.message, new RegExp(`${open.id}.*already completed by ${winner.body.task.completedBy}`));
    const tasks = (await owner.get(`/api/workflow/instances/${second.body.instance.id}`)).body.tasks;
    assert.equal(tasks.filter((t: { status: string }) => t.status === 'completed').length, 1);
  });

  it('bad input is a 4xx naming the field and rule; unauthenticated calls are 401', async () => {
    const r1 = await owner.post('/api/workflow/processes/generic-review/instances', { variables: { outcome: 'approved' } });
    assert.equal(r1.status, 400);
    assert.equal(r1.body.error.details[0].rule, 'reserved');
    const r2 = await owner.post('/api/workflow/processes/nope-process/instances', {});
    assert.equal(r2.status, 403, 'no start permission for an unknown process');
    const admin = (await signIn(platform.url, 'sysadmin', TEST_PASSWORD)).api;
    const r3 = await admin.post('/api/workflow/processes/bad-model', { xml: '<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"><process id="p" isExecutable="true"><startEvent id="s"/><sequenceFlow id="f" sourceRef="s" targetRef="t"/><scriptTask id="t" scriptFormat="javascript"><script>process.exit()</script></scriptTask></process></definitions>' });
    assert.equal(r3.status, 422);
    assert.ok(r3.body.error.details.some((d: { rule: string; path: string }) => d.rule === 'unsupported' && d.path.includes('ScriptTask[t]')));
    const r4 = await fetch(`${platform.url}/api/workflow/tasks`);
    assert.equal(r4.status, 401);
    void createUser;
  });
});
