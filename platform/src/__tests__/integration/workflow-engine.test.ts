import assert from 'node:assert/strict';
import { Platform, startPlatform } from '../../platform';
import { createTestDatabase, TestDatabase } from '../../testing';
import { ApiError } from '../../util/errors';
import type { Who } from '../../workflow';

const NS = 'xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:lingshu="http://lingshu.dev/schema/bpmn"';
const model = (id: string, body: string) => `<?xml version="1.0" encoding="UTF-8"?>
<definitions ${NS} id="${id}-defs" targetNamespace="http://lingshu.dev/test"><process id="${id}" isExecutable="true">${body}</process></definitions>`;
const cond = (expr: string) => `<conditionExpression xsi:type="tFormalExpression">\${${expr}}</conditionExpression>`;

const who = (username: string, roles: string[] = [], orgCode: string | null = null): Who => ({ username, roles, orgCode });
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

describe('workflow engine (integration)', () => {
  let tdb: TestDatabase;
  let platform: Platform;
  const wf = () => platform.workflow;
  const open = async (instanceId: string) => (await wf().tasksOf(instanceId)).filter(t => t.status === 'open');

  before(async () => {
    tdb = await createTestDatabase();
    // The poller is off: tests fire timers themselves.
    platform = await startPlatform({ ...tdb.config, port: 0, workflowTimerMs: 3_600_000 });
  });
  after(async () => {
    await platform?.stop();
    await tdb?.drop();
  });

  it('parallel split and join, then an exclusive gateway on a process variable', async () => {
    await wf().deploy({
      key: 'test-parallel',
      xml: model('test-parallel', `
        <startEvent id="s"/><sequenceFlow id="f0" sourceRef="s" targetRef="fork"/>
        <parallelGateway id="fork"/>
        <sequenceFlow id="f1" sourceRef="fork" targetRef="legal"/><sequenceFlow id="f2" sourceRef="fork" targetRef="tech"/>
        <userTask id="legal" name="法务" lingshu:assignee="lawyer"/><userTask id="tech" name="技术" lingshu:assignee="engineer"/>
        <sequenceFlow id="f3" sourceRef="legal" targetRef="join"/><sequenceFlow id="f4" sourceRef="tech" targetRef="join"/>
        <parallelGateway id="join"/><sequenceFlow id="f5" sourceRef="join" targetRef="big"/>
        <exclusiveGateway id="big" default="small"/>
        <sequenceFlow id="large" sourceRef="big" targetRef="director">${cond('amount > 1000 && outcome == "approved"')}</sequenceFlow>
        <sequenceFlow id="small" sourceRef="big" targetRef="e"/>
        <userTask id="director" name="主任" lingshu:assignee="boss"/><sequenceFlow id="f6" sourceRef="director" targetRef="e"/>
        <endEvent id="e"/>`),
    }, 'test');
    for (const [amount, expectDirector] of [[5000, true], [10, false]] as const) {
      const { instance, tasks } = await wf().start('test-parallel', { variables: { amount } }, who('alice'));
      assert.deepEqual(tasks.map(t => t.activity_id).sort(), ['legal', 'tech']);
      const first = await wf().complete(tasks[0].id, { decision: 'approve' }, who(tasks[0].assignee!));
      assert.equal(first.tasks.length, 0, 'the join waits for the other branch');
      const second = await wf().complete(tasks[1].id, { decision: 'approve' }, who(tasks[1].assignee!));
      assert.deepEqual(second.tasks.map(t => t.activity_id), expectDirector ? ['director'] : []);
      assert.equal(second.instance.status, expectDirector ? 'running' : 'completed', `amount ${amount}`);
      assert.equal(instance.definition_version, 1);
    }
  });

  it('percent approval (60 % of five): decided at the third approval, the rest cancelled', async () => {
    await wf().deploy({
      key: 'test-percent',
      xml: model('test-percent', `<startEvent id="s"/><sequenceFlow id="f0" sourceRef="s" targetRef="vote"/>
        <userTask id="vote" name="表决" lingshu:assignees="\${members}" lingshu:approval="percent:60"/>
        <sequenceFlow id="f1" sourceRef="vote" targetRef="e"/><endEvent id="e"/>`),
    }, 'test');
    const members = ['m1', 'm2', 'm3', 'm4', 'm5'];
    const { instance, tasks } = await wf().start('test-percent', { variables: { members } }, who('alice'));
    assert.equal(tasks.length, 5);
    await wf().complete(tasks[0].id, { decision: 'approve' }, who('m1'));
    await wf().complete(tasks[1].id, { decision: 'reject' }, who('m2'));
    await wf().complete(tasks[2].id, { decision: 'approve' }, who('m3'));
    assert.equal((await open(instance.id)).length, 2);
    const done = await wf().complete(tasks[3].id, { decision: 'approve' }, who('m4'));
    assert.equal(done.instance.status, 'completed');
    assert.equal(done.instance.variables.outcome, 'approved');
    assert.equal(done.instance.variables.vote_approvals, 3);
    const all = await wf().tasksOf(instance.id);
    assert.equal(all.find(t => t.assignee === 'm5')!.status, 'cancelled');
    await assert.rejects(wf().complete(tasks[4].id, { decision: 'approve' }, who('m5')), (err: ApiError) => err.statusCode === 409 && /cancelled/.test(err.message));
  });

  it('timers: a non-interrupting reminder notifies; an interrupting escalation moves the task to the director', async () => {
    await wf().deploy({
      key: 'test-timers',
      xml: model('test-timers', `<startEvent id="s"/><sequenceFlow id="f0" sourceRef="s" targetRef="handle"/>
        <userTask id="handle" name="办理" lingshu:assignee="clerk" lingshu:dueIn="PT1S"/>
        <boundaryEvent id="remindTimer" attachedToRef="handle" cancelActivity="false"><timerEventDefinition><timeDuration>PT1.5S</timeDuration></timerEventDefinition></boundaryEvent>
        <sequenceFlow id="f1" sourceRef="remindTimer" targetRef="remind"/>
        <serviceTask id="remind" implementation="\${environment.services.notifyOpenTasks}"/><sequenceFlow id="f2" sourceRef="remind" targetRef="r"/><endEvent id="r"/>
        <boundaryEvent id="escalateTimer" attachedToRef="handle" cancelActivity="true"><timerEventDefinition><timeDuration>PT3S</timeDuration></timerEventDefinition></boundaryEvent>
        <sequenceFlow id="f3" sourceRef="escalateTimer" targetRef="escalated"/>
        <userTask id="escalated" name="超时督办" lingshu:candidateRoles="centre-director"/><sequenceFlow id="f4" sourceRef="escalated" targetRef="e"/>
        <sequenceFlow id="f5" sourceRef="handle" targetRef="e"/><endEvent id="e"/>`),
    }, 'test');
    const { instance, tasks } = await wf().start('test-timers', {}, who('alice'));
    assert.ok(tasks[0].due_at, 'a due date from lingshu:dueIn');
    const first = await wf().instance(instance.id);
    assert.ok(first!.next_timer_at, 'the earliest timer is recorded');
    await wf().runDueTimers();
    assert.equal((await wf().notifications('clerk', false)).filter(n => n.template === 'task-reminder').length, 0, 'nothing is due yet');
    await sleep(1600);
    await wf().runDueTimers();
    const notes = await wf().notifications('clerk', false);
    assert.ok(notes.some(n => n.template === 'task-reminder'), 'reminded');
    assert.ok(notes.some(n => n.template === 'task-overdue'), 'overdue notice from the due date');
    assert.equal((await open(instance.id))[0].activity_id, 'handle', 'a reminder leaves the task in place');
    await sleep(1500);
    await wf().runDueTimers();
    const now = await open(instance.id);
    assert.deepEqual(now.map(t => t.activity_id), ['escalated']);
    assert.equal((await wf().tasksOf(instance.id)).find(t => t.activity_id === 'handle')!.status, 'cancelled');
    await assert.rejects(wf().complete(tasks[0].id, { decision: 'approve' }, who('clerk')), (err: ApiError) => err.statusCode === 409);
    const timeline = await wf().timeline(instance.id);
    assert.ok(timeline.filter(e => e.type === 'timer.fired').length >= 2);
  });

  it('a running instance keeps its definition version when a new one is deployed', async () => {
    const v = (name: string) => model('test-versions', `<startEvent id="s"/><sequenceFlow id="f0" sourceRef="s" targetRef="t"/>
      <userTask id="t" name="${name}" lingshu:assignee="\${initiator}"/><sequenceFlow id="f1" sourceRef="t" targetRef="e"/><endEvent id="e"/>`);
    const d1 = await wf().deploy({ key: 'test-versions', xml: v('第一版') }, 'test');
    const old = await wf().start('test-versions', {}, who('alice'));
    const d2 = await wf().deploy({ key: 'test-versions', xml: v('第二版') }, 'test');
    assert.deepEqual([d1.version, d2.version], [1, 2]);
    const fresh = await wf().start('test-versions', {}, who('alice'));
    assert.equal(fresh.tasks[0].name, '第二版');
    assert.equal(old.instance.definition_version, 1);
    const done = await wf().complete(old.tasks[0].id, { decision: 'approve' }, who('alice'));
    assert.equal(done.instance.status, 'completed');
    assert.equal(done.instance.definition_version, 1);
  });

  it('standard drafting: approval returned → back to draft (withdrawn); approved → published; the yearly timer opens the review', async () => {
    const item = await platform.store.create('data-element', { namespace: 'wftest', identifier: 'DE99.00.002.00', name: '复审测试', dataType: 'S1', format: 'AN..10', kind: 'data-element' }, 'test');
    const status = async () => (await platform.store.latest('data-element', item.id)).workflow_status;
    const { instance, tasks } = await wf().start('standard-drafting', { variables: { subjectKind: 'data-element', subjectId: item.id, reviewers: ['r1'] } }, who('owner'));
    const next = async (decision: 'approve' | 'return', actor = who('owner')) => {
      const [t] = await open(instance.id);
      return wf().complete(t.id, { decision }, t.assignee ? who(t.assignee) : actor);
    };
    await wf().complete(tasks[0].id, { decision: 'approve' }, who('owner')); // research
    await next('approve'); // draft → submit
    assert.equal(await status(), 'review');
    await next('approve'); // r1 comments
    await next('approve'); // revise: go to approval
    await next('return', who('boss', ['standard-approver'])); // approval returns it
    assert.equal(await status(), 'draft', 'withdrawn to draft');
    assert.deepEqual((await open(instance.id)).map(t => t.activity_id), ['draft']);
    await next('approve');
    await next('approve');
    await next('approve');
    const published = await next('approve', who('boss', ['standard-approver']));
    assert.equal(await status(), 'published');
    assert.equal(published.tasks.length, 0);
    // A year later: move the saved timer into the past, as if the time had come.
    const row = (await wf().instance(instance.id))!;
    const past = new Date(Date.now() - 1000).toISOString();
    const state = JSON.parse(JSON.stringify(row.state).replace(/"expireAt":"[^"]+"/g, `"expireAt":"${past}"`));
    await platform.db.query(`UPDATE wf_instance SET state = CAST($2 AS jsonb), next_timer_at = CAST($3 AS timestamp) WHERE id = $1`, [instance.id, JSON.stringify(state), past.slice(0, 23).replace('T', ' ')]);
    assert.ok((await wf().runDueTimers()) >= 1);
    const review = await open(instance.id);
    assert.deepEqual(review.map(t => [t.activity_id, t.candidate_roles]), [['periodicReview', ['standard-owner']]]);
    // Confirmed: the next review is a year away again.
    await next('approve', who('owner2', ['standard-owner']));
    const again = (await wf().instance(instance.id))!;
    assert.ok(Date.parse(`${again.next_timer_at}Z`) - Date.now() > 360 * 86_400_000);
  });

  it('refuses models it cannot run safely, naming the element and rule', async () => {
    const bad = model('test-bad', `<startEvent id="s"/><sequenceFlow id="f0" sourceRef="s" targetRef="g"/><exclusiveGateway id="g"/>
      <sequenceFlow id="f1" sourceRef="g" targetRef="t">${cond('amount >')}</sequenceFlow>
      <sequenceFlow id="f2" sourceRef="g" targetRef="t"><conditionExpression xsi:type="tFormalExpression" language="javascript">true</conditionExpression></sequenceFlow>
      <userTask id="t" lingshu:approval="most"/>
      <serviceTask id="svc" implementation="\${environment.services.rmrf}"/>`);
    await assert.rejects(wf().deploy({ key: 'test-bad', xml: bad }, 'test'), (err: ApiError) => {
      const rules = (err.details ?? []).map(d => `${d.path}:${d.rule}`);
      assert.ok(rules.includes('process[test-bad]/SequenceFlow[f1]:expression'), rules.join('\n'));
      assert.ok(rules.includes('process[test-bad]/SequenceFlow[f2]:condition'), rules.join('\n'));
      assert.ok(rules.includes('process[test-bad]/UserTask[t]:assignment'), rules.join('\n'));
      assert.ok(rules.includes('process[test-bad]/UserTask[t]/@lingshu:approval:enum'), rules.join('\n'));
      assert.ok(rules.includes('process[test-bad]/ServiceTask[svc]:implementation'), rules.join('\n'));
      return err.statusCode === 422;
    });
    await assert.rejects(wf().deploy({ key: 'test-bad', xml: '<not-bpmn' }, 'test'), (err: ApiError) => err.statusCode === 422);
  });
});
