import type { Database, Queryable } from '../database/types';
import { AuditWriter } from '../audit/writer';
import { ApiError, ErrorDetail, badRequest, conflict, notFound, unprocessable } from '../util/errors';
import { uuidv7 } from '../util/ids';
import { DECISIONS, Decision, DefinitionRow, DefinitionStore, UserTaskConfig } from './definitions';
import { BpmnRunner, EngineError, EngineStep } from './engine';
import { compileCondition, unwrapExpression } from './expression';
import { MessageTemplates } from './templates';

/** Who acts: the signed-in user as the guard resolved them, or the system (timers). */
export interface Who {
  username: string;
  roles: string[];
  orgCode: string | null;
  clientIp?: string;
}

export interface ActionContext {
  instance: InstanceRow;
  variables: Record<string, unknown>;
  activityId: string;
  /** The user whose action moved the process here (the timer poller is `system:workflow-timer`). */
  actor: string;
  /** Runs after the transaction commits (e.g. swapping a dataset API in this process). */
  afterCommit(work: () => Promise<void>): void;
}

/** A platform action that a service task calls; it runs inside the step's transaction. */
export type PlatformAction = (tx: Queryable, ctx: ActionContext) => Promise<void>;

export interface InstanceRow {
  id: string;
  definition_id: string;
  definition_key: string;
  definition_version: number;
  business_key: string | null;
  title: string;
  status: 'running' | 'completed' | 'cancelled';
  variables: Record<string, unknown>;
  state: unknown;
  revision: number;
  next_timer_at: string | null;
  started_by: string;
  starter_org: string | null;
  started_at: string;
  updated_at: string;
  ended_at: string | null;
}

export interface TaskRow {
  id: string;
  instance_id: string;
  activity_id: string;
  execution_id: string;
  slot: number;
  name: string;
  assignee: string | null;
  candidate_roles: string[];
  org_code: string | null;
  approval: string;
  status: 'open' | 'completed' | 'cancelled';
  decision: Decision | null;
  comment: string | null;
  completed_by: string | null;
  completed_at: string | null;
  delegated_from: string | null;
  due_at: string | null;
  reminded_at: string | null;
  created_at: string;
}

export interface AttachmentInput {
  name: string;
  mediaType?: string;
  /** Base64 content. */
  content: string;
}

export interface CompleteInput {
  decision: Decision;
  comment?: string;
  attachments?: AttachmentInput[];
  variables?: Record<string, unknown>;
}

const RESERVED = new Set(['initiator', 'initiatorOrg', 'outcome', 'environment']);
const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const MAX_VARIABLES_BYTES = 64 * 1024;
const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;
const MAX_COMMENT = 4000;
const TASK_COLUMNS = `id, instance_id, activity_id, execution_id, slot, name, assignee, candidate_roles, org_code, approval, status, decision,
  comment, completed_by, completed_at, delegated_from, due_at, reminded_at, created_at`;
const INSTANCE_COLUMNS = `id, definition_id, definition_key, definition_version, business_key, title, status, variables, state, revision,
  next_timer_at, started_by, starter_org, started_at, updated_at, ended_at`;
export const TIMER_ACTOR = 'system:workflow-timer';

/** UTC wall-clock text for `timestamp` columns, from the application's clock. */
export function sqlTime(ms: number = Date.now()): string {
  return new Date(ms).toISOString().slice(0, 23).replace('T', ' ');
}

/**
 * Process instances and their tasks. Every change of an instance — start, a task decision, a
 * timer — is one transaction that locks the instance row, runs the engine from the saved state,
 * runs the platform actions its service tasks queued, reconciles the task table with the
 * activities the engine waits at, saves the new state, and writes the timeline and the audit.
 */
export class WorkflowService {
  readonly definitions: DefinitionStore;
  readonly templates: MessageTemplates;
  private readonly actions = new Map<string, PlatformAction>();
  private readonly completions = new Map<string, PlatformAction[]>();
  private runner?: BpmnRunner;

  constructor(
    readonly db: Database,
    readonly audit: AuditWriter,
  ) {
    this.definitions = new DefinitionStore(db);
    this.templates = new MessageTemplates(db);
    this.registerAction('notifyOpenTasks', (tx, ctx) => this.notifyOpenTasks(tx, ctx.instance, 'task-reminder'));
  }

  /** Registers a platform action callable as `${environment.services.<name>}`; before the first deployment or start. */
  registerAction(name: string, action: PlatformAction): void {
    if (this.runner) throw new Error('register workflow actions before the engine runs');
    this.actions.set(name, action);
  }

  /**
   * Runs `action` inside the transaction that completes an instance of process `key` (with the
   * final variables, e.g. `outcome`): how a module learns the end of a generic process it started.
   */
  onCompleted(key: string, action: PlatformAction): void {
    this.completions.set(key, [...(this.completions.get(key) ?? []), action]);
  }

  get actionNames(): string[] {
    return [...this.actions.keys()];
  }

  private engine(): BpmnRunner {
    this.runner ??= new BpmnRunner(this.actionNames);
    return this.runner;
  }

  /** Deploys the next version of `input.key`; with `onlyIfMissing`, only when the key has none (returns undefined otherwise). */
  async deploy(input: { key: string; xml: string; settings?: Record<string, unknown> }, who: Who | string, onlyIfMissing = false): Promise<DefinitionRow> {
    const actor = typeof who === 'string' ? who : who.username;
    return this.db.transaction(async tx => {
      if (onlyIfMissing) {
        await tx.query('SELECT pg_advisory_xact_lock(7340102)');
        const existing = await this.definitions.latest(input.key, tx);
        if (existing) return existing;
      }
      const row = await this.definitions.deploy(tx, { ...input, actor }, this.actionNames);
      await this.audit.record(tx, { actor, clientIp: typeof who === 'string' ? undefined : who.clientIp, action: 'workflow.deploy', resource: `workflow:definitions`, recordId: row.id, detail: { key: row.key, version: row.version } });
      return row;
    });
  }

  /** Starts the latest version of `key`. */
  async start(
    key: string,
    input: { businessKey?: string; title?: string; variables?: Record<string, unknown> },
    who: Who,
  ): Promise<{ instance: InstanceRow; tasks: TaskRow[] }> {
    const def = await this.definitions.latest(key);
    if (!def) throw notFound(`no process definition "${String(key).slice(0, 100)}"`);
    const variables = checkVariables(input.variables ?? {}, 'variables');
    if (input.businessKey !== undefined && (typeof input.businessKey !== 'string' || input.businessKey.length > 200)) {
      throw badRequest('businessKey is a string of at most 200 characters', [{ field: 'businessKey', rule: 'maxLength', message: 'at most 200 characters' }]);
    }
    const all = { ...variables, initiator: who.username, initiatorOrg: who.orgCode };
    const step = await this.step(() => this.engine().start({ id: def.id, xml: def.xml }, all));
    const after: Array<() => Promise<void>> = [];
    const result = await this.db.transaction(async tx => {
      const now = sqlTime();
      const title = String(input.title ?? def.name).slice(0, 300);
      const [instance] = await tx.query<InstanceRow>(
        `INSERT INTO wf_instance (id, definition_id, definition_key, definition_version, business_key, title, status, variables, state, revision,
           next_timer_at, started_by, starter_org, started_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'running', CAST($7 AS jsonb), NULL, 0, NULL, $8, $9, CAST($10 AS timestamp), CAST($10 AS timestamp))
         RETURNING ${INSTANCE_COLUMNS}`,
        [uuidv7(), def.id, def.key, def.version, input.businessKey ?? null, title, JSON.stringify(all), who.username, who.orgCode, now],
      );
      await this.event(tx, instance.id, who.username, 'instance.started', { detail: { key: def.key, version: def.version } });
      const tasks = await this.advance(tx, def, instance, all, step, who.username, after);
      await this.audit.record(tx, { actor: who.username, clientIp: who.clientIp, action: 'workflow.start', resource: `workflow:instances`, recordId: instance.id, detail: { key: def.key, version: def.version } });
      return { instance: (await this.instance(instance.id, tx))!, tasks };
    });
    for (const work of after) await work();
    return result;
  }

  /**
   * A decision on a task. The instance row is locked first, then the task is checked to be
   * open: of two people deciding one task at once, the second waits for the first and then
   * gets 409 naming the task and who completed it.
   */
  async complete(taskId: string, input: CompleteInput, who: Who): Promise<{ task: TaskRow; instance: InstanceRow; tasks: TaskRow[] }> {
    const decision = input?.decision;
    if (!DECISIONS.includes(decision)) throw badRequest('decision must be approve, reject or return', [{ field: 'decision', rule: 'enum', message: `one of ${DECISIONS.join(', ')}`, value: typeof decision === 'string' ? decision.slice(0, 20) : undefined }]);
    if (input.comment !== undefined && (typeof input.comment !== 'string' || input.comment.length > MAX_COMMENT)) {
      throw badRequest(`comment is text of at most ${MAX_COMMENT} characters`, [{ field: 'comment', rule: 'maxLength', message: `at most ${MAX_COMMENT} characters` }]);
    }
    const extra = checkVariables(input.variables ?? {}, 'variables');
    const files = checkAttachments(input.attachments ?? []);
    const after: Array<() => Promise<void>> = [];
    const result = await this.db.transaction(async tx => {
      const { task, instance, def } = await this.lockTask(tx, taskId);
      this.mayAct(task, who);
      const cfg = def.config.userTasks[task.activity_id];
      if (cfg && !cfg.decisions.includes(decision)) {
        throw badRequest(`task "${task.name}" accepts ${cfg.decisions.join(', ')}`, [{ field: 'decision', rule: 'enum', message: `one of ${cfg.decisions.join(', ')}`, value: decision }]);
      }
      const now = sqlTime();
      const [done] = await tx.query<TaskRow>(
        `UPDATE wf_task SET status = 'completed', decision = $2, comment = $3, completed_by = $4, completed_at = CAST($5 AS timestamp),
           assignee = COALESCE(assignee, $4)
         WHERE id = $1 AND status = 'open' RETURNING ${TASK_COLUMNS}`,
        [task.id, decision, input.comment ?? null, who.username, now],
      );
      const eventId = await this.event(tx, instance.id, who.username, 'task.completed', { taskId: task.id, activityId: task.activity_id, comment: input.comment, detail: { decision, task: task.name, attachments: files.map(f => f.name) } });
      for (const f of files) {
        await tx.query(
          `INSERT INTO wf_attachment (id, instance_id, event_id, name, media_type, size, content, created_by, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, CAST($9 AS timestamp))`,
          [uuidv7(), instance.id, eventId, f.name, f.mediaType, f.bytes.length, f.bytes, who.username, now],
        );
      }
      await this.audit.record(tx, { actor: who.username, clientIp: who.clientIp, action: 'workflow.task.complete', resource: 'workflow:tasks', recordId: task.id, detail: { instance: instance.id, activity: task.activity_id, decision, attachments: files.length } });
      protectVariables(extra, instance, who);
      const group = await tx.query<TaskRow>(`SELECT ${TASK_COLUMNS} FROM wf_task WHERE execution_id = $1 ORDER BY slot`, [task.execution_id]);
      const outcome = decide(task.approval, group);
      const variables = { ...instance.variables, ...extra };
      if (!outcome) {
        await tx.query(`UPDATE wf_instance SET variables = CAST($2 AS jsonb), updated_at = CAST($3 AS timestamp) WHERE id = $1`, [instance.id, JSON.stringify(variables), now]);
        return { task: done, instance: (await this.instance(instance.id, tx))!, tasks: [] as TaskRow[] };
      }
      const cancelled = await tx.query<{ id: string }>(`UPDATE wf_task SET status = 'cancelled' WHERE execution_id = $1 AND status = 'open' RETURNING id`, [task.execution_id]);
      const approvals = group.filter(t => t.decision === 'approve').length;
      const signalVars = { outcome, [`${task.activity_id}_outcome`]: outcome, [`${task.activity_id}_approvals`]: approvals };
      Object.assign(variables, signalVars);
      await this.event(tx, instance.id, who.username, 'activity.decided', { activityId: task.activity_id, detail: { outcome, approvals, of: group.length, cancelledTasks: cancelled.length } });
      const step = await this.step(() => this.engine().resume({ id: def.id, xml: def.xml }, instance.state, { executionId: task.execution_id, variables: { ...extra, ...signalVars } }));
      const tasks = await this.advance(tx, def, instance, variables, step, who.username, after);
      return { task: done, instance: (await this.instance(instance.id, tx))!, tasks };
    });
    for (const work of after) await work();
    return result;
  }

  /** Takes a claimable task; 409 when someone else holds it. */
  async claim(taskId: string, who: Who): Promise<TaskRow> {
    return this.db.transaction(async tx => {
      const { task, instance } = await this.lockTask(tx, taskId);
      if (task.assignee === who.username) return task;
      if (task.assignee) throw conflict(`task ${task.id} ("${task.name}") is already claimed by ${task.assignee}`);
      this.mayAct(task, who);
      const [row] = await tx.query<TaskRow>(`UPDATE wf_task SET assignee = $2 WHERE id = $1 RETURNING ${TASK_COLUMNS}`, [task.id, who.username]);
      await this.event(tx, instance.id, who.username, 'task.claimed', { taskId: task.id, activityId: task.activity_id });
      await this.audit.record(tx, { actor: who.username, clientIp: who.clientIp, action: 'workflow.task.claim', resource: 'workflow:tasks', recordId: task.id });
      return row;
    });
  }

  /** Hands one's task to another user, who gets a notification. */
  async delegate(taskId: string, to: string, comment: string | undefined, who: Who): Promise<TaskRow> {
    if (typeof to !== 'string' || !to.trim() || to.length > 100) throw badRequest('to names a user', [{ field: 'to', rule: 'required', message: 'the username of the new assignee' }]);
    return this.db.transaction(async tx => {
      const { task, instance } = await this.lockTask(tx, taskId);
      this.mayAct(task, who);
      const [user] = await tx.query<{ username: string }>(`SELECT username FROM app_user WHERE username = $1 AND status = 'active'`, [to]);
      if (!user) throw unprocessable('no such active user', [{ field: 'to', rule: 'exists', message: `no active user "${to.slice(0, 100)}"` }]);
      const [row] = await tx.query<TaskRow>(`UPDATE wf_task SET assignee = $2, delegated_from = $3 WHERE id = $1 RETURNING ${TASK_COLUMNS}`, [task.id, to, who.username]);
      await this.event(tx, instance.id, who.username, 'task.delegated', { taskId: task.id, activityId: task.activity_id, comment, detail: { to } });
      await this.notify(tx, [to], 'task-delegated', instance, row, { actor: who.username });
      await this.audit.record(tx, { actor: who.username, clientIp: who.clientIp, action: 'workflow.task.delegate', resource: 'workflow:tasks', recordId: task.id, detail: { to } });
      return row;
    });
  }

  /** `mine`: assigned to me; `claimable`: unassigned, for one of my roles (and my institution when scoped). */
  async inbox(who: Who, view: 'mine' | 'claimable', limit = 100): Promise<Array<TaskRow & { instance_title: string; definition_key: string }>> {
    const n = Math.min(Math.max(1, limit), 500);
    const [where, params] = view === 'mine'
      ? [`t.assignee = $1`, [who.username]]
      : [`t.assignee IS NULL AND t.candidate_roles && CAST($1 AS text[]) AND (t.org_code IS NULL OR t.org_code = CAST($2 AS varchar))`, [who.roles, who.orgCode]];
    return this.db.query(
      `SELECT ${TASK_COLUMNS.split(',').map(c => `t.${c.trim()}`).join(', ')}, i.title AS instance_title, i.definition_key
       FROM wf_task t JOIN wf_instance i ON i.id = t.instance_id
       WHERE t.status = 'open' AND ${where} ORDER BY t.created_at LIMIT ${n}`,
      params,
    );
  }

  async task(taskId: string): Promise<TaskRow | undefined> {
    const [row] = await this.db.query<TaskRow>(`SELECT ${TASK_COLUMNS} FROM wf_task WHERE id = $1`, [taskId]);
    return row;
  }

  async instance(id: string, q: Queryable = this.db): Promise<InstanceRow | undefined> {
    const [row] = await q.query<InstanceRow>(`SELECT ${INSTANCE_COLUMNS} FROM wf_instance WHERE id = $1`, [id]);
    return row;
  }

  async tasksOf(instanceId: string): Promise<TaskRow[]> {
    return this.db.query<TaskRow>(`SELECT ${TASK_COLUMNS} FROM wf_task WHERE instance_id = $1 ORDER BY created_at, slot`, [instanceId]);
  }

  /** Whether `who` started, acted in or may act in the instance. */
  async participates(instanceId: string, who: Who): Promise<boolean> {
    const [row] = await this.db.query(
      `SELECT 1 FROM wf_instance i WHERE i.id = $1 AND (i.started_by = $2 OR EXISTS (
         SELECT 1 FROM wf_task t WHERE t.instance_id = i.id AND (t.assignee = $2 OR t.completed_by = $2 OR t.delegated_from = $2
           OR (t.status = 'open' AND t.assignee IS NULL AND t.candidate_roles && CAST($3 AS text[]) AND (t.org_code IS NULL OR t.org_code = CAST($4 AS varchar))))))`,
      [instanceId, who.username, who.roles, who.orgCode],
    );
    return Boolean(row);
  }

  /** The case's history, oldest first, with attachment names and ids. */
  async timeline(instanceId: string) {
    const events = await this.db.query<{ id: string; at: string; actor: string; type: string; task_id: string | null; activity_id: string | null; comment: string | null; detail: unknown }>(
      `SELECT id, at, actor, type, task_id, activity_id, comment, detail FROM wf_event WHERE instance_id = $1 ORDER BY at, id`,
      [instanceId],
    );
    const files = await this.db.query<{ id: string; event_id: string; name: string; media_type: string; size: number }>(
      `SELECT id, event_id, name, media_type, size FROM wf_attachment WHERE instance_id = $1 ORDER BY created_at`,
      [instanceId],
    );
    return events.map(e => ({
      ...e,
      at: `${e.at}Z`,
      attachments: files.filter(f => f.event_id === e.id).map(f => ({ id: f.id, name: f.name, mediaType: f.media_type, size: Number(f.size) })),
    }));
  }

  async attachment(id: string): Promise<{ instance_id: string; name: string; media_type: string; content: Buffer } | undefined> {
    const [row] = await this.db.query<{ instance_id: string; name: string; media_type: string; content: Uint8Array }>(
      'SELECT instance_id, name, media_type, content FROM wf_attachment WHERE id = $1',
      [id],
    );
    return row && { ...row, content: Buffer.from(row.content) };
  }

  async notifications(username: string, unreadOnly: boolean, limit = 50) {
    return this.db.query(
      `SELECT id, instance_id, task_id, template, title, body, created_at, read_at FROM wf_notification
       WHERE username = $1 ${unreadOnly ? 'AND read_at IS NULL' : ''} ORDER BY created_at DESC LIMIT $2`,
      [username, Math.min(Math.max(1, limit), 200)],
    );
  }

  async markRead(username: string, id: string): Promise<boolean> {
    const rows = await this.db.query(`UPDATE wf_notification SET read_at = CAST($3 AS timestamp) WHERE id = $1 AND username = $2 AND read_at IS NULL RETURNING id`, [id, username, sqlTime()]);
    return rows.length > 0;
  }

  /**
   * Resumes instances whose earliest timer is due, one transaction each (any platform process
   * may run this: `SKIP LOCKED` shares the work), and sends one overdue notice per late task.
   */
  async runDueTimers(limit = 50): Promise<number> {
    let fired = 0;
    // Cheap looks first: on an idle system no transaction is opened (on PGlite one would hold the only session).
    const [due] = await this.db.query(`SELECT 1 FROM wf_instance WHERE next_timer_at <= CAST($1 AS timestamp) AND status = 'running' LIMIT 1`, [sqlTime()]);
    for (; due && fired < limit; fired++) {
      const after: Array<() => Promise<void>> = [];
      const did = await this.db.transaction(async tx => {
        const [instance] = await tx.query<InstanceRow>(
          `SELECT ${INSTANCE_COLUMNS} FROM wf_instance WHERE status = 'running' AND next_timer_at <= CAST($1 AS timestamp)
           ORDER BY next_timer_at LIMIT 1 FOR UPDATE SKIP LOCKED`,
          [sqlTime()],
        );
        if (!instance) return false;
        const def = (await this.definitions.get(instance.definition_id, tx))!;
        const step = await this.step(() => this.engine().resume({ id: def.id, xml: def.xml }, instance.state));
        await this.event(tx, instance.id, TIMER_ACTOR, 'timer.fired', {});
        await this.audit.record(tx, { actor: TIMER_ACTOR, action: 'workflow.timer', resource: 'workflow:instances', recordId: instance.id });
        await this.advance(tx, def, instance, instance.variables, step, TIMER_ACTOR, after);
        return true;
      });
      for (const work of after) await work();
      if (!did) break;
    }
    const [late] = await this.db.query(`SELECT 1 FROM wf_task WHERE status = 'open' AND due_at < CAST($1 AS timestamp) AND reminded_at IS NULL LIMIT 1`, [sqlTime()]);
    if (!late) return fired;
    await this.db.transaction(async tx => {
      const late = await tx.query<TaskRow & { title: string }>(
        `SELECT ${TASK_COLUMNS.split(',').map(c => `t.${c.trim()}`).join(', ')}, i.title FROM wf_task t JOIN wf_instance i ON i.id = t.instance_id
         WHERE t.status = 'open' AND t.due_at < CAST($1 AS timestamp) AND t.reminded_at IS NULL LIMIT 200 FOR UPDATE OF t SKIP LOCKED`,
        [sqlTime()],
      );
      for (const t of late) {
        await this.notify(tx, await this.recipients(tx, t), 'task-overdue', { id: t.instance_id, title: t.title }, t, {});
        await tx.query(`UPDATE wf_task SET reminded_at = CAST($2 AS timestamp) WHERE id = $1`, [t.id, sqlTime()]);
        await this.event(tx, t.instance_id, TIMER_ACTOR, 'task.overdue', { taskId: t.id, activityId: t.activity_id });
      }
    });
    return fired;
  }

  // ---- inside a step's transaction ----

  private async lockTask(tx: Queryable, taskId: string): Promise<{ task: TaskRow; instance: InstanceRow; def: DefinitionRow }> {
    // The instance first (every change of a case goes through its row), then the task as it is now.
    const [instance] = await tx.query<InstanceRow>(
      `SELECT ${INSTANCE_COLUMNS} FROM wf_instance WHERE id = (SELECT instance_id FROM wf_task WHERE id = $1) FOR UPDATE`,
      [taskId],
    );
    if (!instance) throw notFound(`no task ${taskId.slice(0, 40)}`);
    const [task] = await tx.query<TaskRow>(`SELECT ${TASK_COLUMNS} FROM wf_task WHERE id = $1`, [taskId]);
    if (task.status !== 'open') {
      const by = task.status === 'completed' ? `already completed by ${task.completed_by} at ${task.completed_at}Z (${task.decision})` : 'cancelled (the process moved on)';
      throw new ApiError(409, 'TaskNotOpen', `task ${task.id} ("${task.name}") was ${by}`, [{ field: 'task', rule: 'open', message: `status ${task.status}`, value: task.completed_by ?? undefined }]);
    }
    const def = (await this.definitions.get(instance.definition_id, tx))!;
    return { task, instance, def };
  }

  private mayAct(task: TaskRow, who: Who): void {
    if (task.assignee === who.username) return;
    const candidate = task.assignee === null
      && task.candidate_roles.some(r => who.roles.includes(r))
      && (task.org_code === null || task.org_code === who.orgCode);
    if (!candidate) {
      throw new ApiError(403, 'Forbidden', task.assignee ? `task ${task.id} is assigned to someone else` : `task ${task.id} is for roles ${task.candidate_roles.join(', ')}${task.org_code ? ` of institution ${task.org_code}` : ''}`);
    }
  }

  private async step(run: () => Promise<EngineStep>): Promise<EngineStep> {
    try {
      return await run();
    } catch (err) {
      if (err instanceof EngineError || (err as Error).name === 'ExpressionError') {
        throw unprocessable('the process cannot continue', [{ rule: 'process', message: (err as Error).message.slice(0, 500) }]);
      }
      throw err;
    }
  }

  /** After the engine ran: actions, task reconciliation, the saved state. Returns the tasks created. */
  private async advance(
    tx: Queryable,
    def: DefinitionRow,
    instance: InstanceRow,
    variables: Record<string, unknown>,
    step: EngineStep,
    actor: string,
    after: Array<() => Promise<void>>,
  ): Promise<TaskRow[]> {
    for (const a of step.actions) {
      const action = this.actions.get(a.service)!;
      await action(tx, { instance: { ...instance, variables }, variables, activityId: a.activityId, actor, afterCommit: w => after.push(w) });
      await this.event(tx, instance.id, actor, 'action.done', { activityId: a.activityId, detail: { action: a.service } });
    }
    const now = sqlTime();
    const waiting = new Set(step.waiting.map(w => w.executionId));
    const stale = await tx.query<{ id: string }>(
      `UPDATE wf_task SET status = 'cancelled' WHERE instance_id = $1 AND status = 'open' AND NOT (execution_id = ANY(CAST($2 AS text[]))) RETURNING id`,
      [instance.id, [...waiting]],
    );
    for (const s of stale) await this.event(tx, instance.id, actor, 'task.cancelled', { taskId: s.id });
    const known = new Set((await tx.query<{ execution_id: string }>(
      `SELECT DISTINCT execution_id FROM wf_task WHERE instance_id = $1 AND execution_id = ANY(CAST($2 AS text[]))`,
      [instance.id, [...waiting]],
    )).map(r => r.execution_id));
    const created: TaskRow[] = [];
    const current = { ...instance, variables };
    for (const w of step.waiting) {
      if (known.has(w.executionId)) continue;
      const cfg = def.config.userTasks[w.activityId];
      if (!cfg) throw unprocessable('the process cannot continue', [{ rule: 'process', message: `user task ${w.activityId} has no configuration` }]);
      for (const t of await this.createTasks(tx, current, cfg, w.executionId, now)) created.push(t);
    }
    const finished = step.finished;
    await tx.query(
      `UPDATE wf_instance SET state = CAST($2 AS jsonb), variables = CAST($3 AS jsonb), revision = revision + 1, next_timer_at = CAST($4 AS timestamp),
         status = $5, updated_at = CAST($6 AS timestamp), ended_at = $7 WHERE id = $1`,
      [instance.id, JSON.stringify(step.state), JSON.stringify(variables), step.nextTimerAt ? sqlTime(step.nextTimerAt.getTime()) : null,
        finished ? 'completed' : 'running', now, finished ? now : null],
    );
    if (finished) {
      await this.event(tx, instance.id, actor, 'instance.completed', { detail: { outcome: variables.outcome ?? null } });
      await this.notify(tx, [instance.started_by], 'instance-completed', current, null, { outcome: variables.outcome ?? null });
      for (const action of this.completions.get(instance.definition_key) ?? []) {
        await action(tx, { instance: current, variables, activityId: 'end', actor, afterCommit: w => after.push(w) });
      }
    }
    return created;
  }

  private async createTasks(tx: Queryable, instance: InstanceRow, cfg: UserTaskConfig, executionId: string, now: string): Promise<TaskRow[]> {
    const vars = instance.variables;
    const people: Array<string | null> = [];
    if (cfg.assignees) {
      const list = evaluate(cfg.assignees, vars);
      const names = Array.isArray(list) ? [...new Set(list.filter((x): x is string => typeof x === 'string' && x.length > 0 && x.length <= 100))] : [];
      if (!names.length) throw unprocessable('the process cannot continue', [{ rule: 'assignees', message: `task "${cfg.name}": ${cfg.assignees} is not a non-empty list of usernames` }]);
      people.push(...names);
    } else if (cfg.assignee) {
      const name = unwrapExpression(cfg.assignee) !== undefined ? evaluate(cfg.assignee, vars) : cfg.assignee;
      if (typeof name === 'string' && name) people.push(name.slice(0, 100));
      else if (!cfg.candidateRoles.length) throw unprocessable('the process cannot continue', [{ rule: 'assignee', message: `task "${cfg.name}": ${cfg.assignee} names nobody` }]);
      else people.push(null);
    } else people.push(null);
    const approval = cfg.approval.mode === 'percent' ? `percent:${cfg.approval.percent}` : cfg.assignees && cfg.approval.mode === 'single' ? 'all' : cfg.approval.mode;
    const org = cfg.scope === 'requester-institution' ? instance.starter_org ?? '-' : null;
    const due = cfg.dueInMs ? sqlTime(Date.now() + cfg.dueInMs) : null;
    const rows: TaskRow[] = [];
    for (let slot = 0; slot < people.length; slot++) {
      const [row] = await tx.query<TaskRow>(
        `INSERT INTO wf_task (id, instance_id, activity_id, execution_id, slot, name, assignee, candidate_roles, org_code, approval, status, due_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, CAST($8 AS text[]), $9, $10, 'open', CAST($11 AS timestamp), CAST($12 AS timestamp)) RETURNING ${TASK_COLUMNS}`,
        [uuidv7(), instance.id, cfg.id, executionId, slot, cfg.name, people[slot], cfg.candidateRoles, org, approval, due, now],
      );
      rows.push(row);
      await this.event(tx, instance.id, 'system:workflow', 'task.created', { taskId: row.id, activityId: cfg.id, detail: { assignee: row.assignee, candidateRoles: cfg.candidateRoles, orgCode: org } });
      await this.notify(tx, await this.recipients(tx, row), row.assignee ? cfg.template : 'task-claimable', instance, row, {});
    }
    return rows;
  }

  private async recipients(tx: Queryable, task: TaskRow): Promise<string[]> {
    if (task.assignee) return [task.assignee];
    const rows = await tx.query<{ username: string }>(
      `SELECT DISTINCT u.username FROM app_user u JOIN user_role r ON r.user_id = u.id
       WHERE r.role_code = ANY(CAST($1 AS text[])) AND u.status = 'active' AND (CAST($2 AS varchar) IS NULL OR u.org_code = CAST($2 AS varchar)) LIMIT 200`,
      [task.candidate_roles, task.org_code],
    );
    return rows.map(r => r.username);
  }

  private async notifyOpenTasks(tx: Queryable, instance: InstanceRow, template: string): Promise<void> {
    const open = await tx.query<TaskRow>(`SELECT ${TASK_COLUMNS} FROM wf_task WHERE instance_id = $1 AND status = 'open'`, [instance.id]);
    for (const t of open) await this.notify(tx, await this.recipients(tx, t), template, instance, t, {});
  }

  private async notify(tx: Queryable, users: string[], template: string, instance: Pick<InstanceRow, 'id' | 'title'>, task: TaskRow | null, extra: Record<string, unknown>): Promise<void> {
    if (!users.length) return;
    const context = {
      ...extra,
      instance: { id: instance.id, title: instance.title },
      task: task && { id: task.id, name: task.name, dueAt: task.due_at ? `${task.due_at.slice(0, 16).replace('T', ' ')}` : null },
    };
    const { title, body } = await this.templates.render(template, context, tx);
    const now = sqlTime();
    for (const u of users) {
      await tx.query(
        `INSERT INTO wf_notification (id, username, instance_id, task_id, template, title, body, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, CAST($8 AS timestamp))`,
        [uuidv7(), u, instance.id, task?.id ?? null, template, title, body, now],
      );
    }
  }

  private async event(
    tx: Queryable,
    instanceId: string,
    actor: string,
    type: string,
    e: { taskId?: string; activityId?: string; comment?: string; detail?: Record<string, unknown> },
  ): Promise<string> {
    const id = uuidv7();
    await tx.query(
      `INSERT INTO wf_event (id, instance_id, at, actor, type, task_id, activity_id, comment, detail) VALUES ($1, $2, CAST($3 AS timestamp), $4, $5, $6, $7, $8, CAST($9 AS jsonb))`,
      [id, instanceId, sqlTime(), actor, type, e.taskId ?? null, e.activityId ?? null, e.comment ?? null, e.detail ? JSON.stringify(e.detail) : null],
    );
    return id;
  }
}

/**
 * Whether a group of tasks (one per person for a multi-person approval) has decided, and how.
 * Done on the task table rather than with the engine's multi-instance loop: the rule is one
 * small function over rows that are locked anyway, early rejection falls out naturally, and
 * the engine state stays one waiting activity however many people approve.
 */
export function decide(approval: string, group: Array<Pick<TaskRow, 'status' | 'decision'>>): 'approved' | 'rejected' | 'returned' | undefined {
  const decided = group.filter(t => t.status === 'completed');
  const approvals = decided.filter(t => t.decision === 'approve').length;
  const returned = decided.some(t => t.decision === 'return');
  const open = group.filter(t => t.status === 'open').length;
  const n = group.filter(t => t.status !== 'cancelled' || t.decision).length || 1;
  const negative = returned ? 'returned' : 'rejected';
  if (approval === 'single') {
    const last = decided[decided.length - 1];
    return last ? (last.decision === 'approve' ? 'approved' : last.decision === 'reject' ? 'rejected' : 'returned') : undefined;
  }
  if (approval === 'all') {
    if (decided.some(t => t.decision !== 'approve')) return negative;
    return open === 0 ? 'approved' : undefined;
  }
  if (approval === 'any') {
    if (approvals > 0) return 'approved';
    return open === 0 ? negative : undefined;
  }
  const p = /^percent:(\d+)$/.exec(approval);
  const need = Math.ceil(((p ? Number(p[1]) : 100) / 100) * n - 1e-9);
  if (approvals >= need) return 'approved';
  if (approvals + open < need) return negative;
  return undefined;
}

function evaluate(text: string, vars: Record<string, unknown>): unknown {
  const inner = unwrapExpression(text);
  return inner === undefined ? text : compileCondition(inner).evaluate(vars);
}

function checkVariables(v: unknown, field: string): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw badRequest(`${field} is an object`, [{ field, rule: 'type', message: 'expected an object of variables' }]);
  const issues: ErrorDetail[] = [];
  for (const k of Object.keys(v)) {
    if (!VAR_NAME.test(k)) issues.push({ field: `${field}.${k.slice(0, 64)}`, rule: 'pattern', message: 'a variable name is a letter or _ followed by letters, digits or _' });
    else if (RESERVED.has(k)) issues.push({ field: `${field}.${k}`, rule: 'reserved', message: `"${k}" is set by the platform` });
  }
  if (JSON.stringify(v).length > MAX_VARIABLES_BYTES) issues.push({ field, rule: 'maxSize', message: `at most ${MAX_VARIABLES_BYTES} bytes of JSON` });
  if (issues.length) throw badRequest('invalid process variables', issues);
  return v as Record<string, unknown>;
}

/** What a case is about never changes; other variables set at start only the initiator may change (e.g. when amending). */
const FIXED_AFTER_START = new Set(['subjectKind', 'subjectId', 'resourceId']);

function protectVariables(extra: Record<string, unknown>, instance: InstanceRow, who: Who): void {
  const issues: ErrorDetail[] = [];
  for (const k of Object.keys(extra)) {
    if (!Object.prototype.hasOwnProperty.call(instance.variables, k)) continue;
    if (FIXED_AFTER_START.has(k)) issues.push({ field: `variables.${k}`, rule: 'immutable', message: `${k} is fixed when the case starts` });
    else if (who.username !== instance.started_by) issues.push({ field: `variables.${k}`, rule: 'initiator-only', message: `only ${instance.started_by} may change ${k}` });
  }
  if (issues.length) throw new ApiError(403, 'Forbidden', 'these process variables cannot be changed by you', issues);
}

function checkAttachments(list: unknown): Array<{ name: string; mediaType: string; bytes: Buffer }> {
  if (!Array.isArray(list) || list.length > 20) throw badRequest('attachments is a list of at most 20 files', [{ field: 'attachments', rule: 'type', message: 'at most 20 files' }]);
  let total = 0;
  return list.map((a: AttachmentInput, i) => {
    if (!a || typeof a.name !== 'string' || !a.name.trim() || a.name.length > 200) throw badRequest('an attachment needs a name', [{ field: `attachments[${i}].name`, rule: 'required', message: '1–200 characters', index: i }]);
    if (typeof a.content !== 'string' || !/^[A-Za-z0-9+/=\s]*$/.test(a.content)) throw badRequest('attachment content is base64', [{ field: `attachments[${i}].content`, rule: 'base64', message: 'base64 text', index: i }]);
    const bytes = Buffer.from(a.content, 'base64');
    total += bytes.length;
    if (total > MAX_ATTACHMENT_BYTES) throw badRequest(`attachments exceed ${MAX_ATTACHMENT_BYTES} bytes`, [{ field: `attachments[${i}]`, rule: 'maxSize', message: `at most ${MAX_ATTACHMENT_BYTES} bytes in all`, index: i }]);
    const mediaType = typeof a.mediaType === 'string' && /^[\w.+-]+\/[\w.+-]+$/.test(a.mediaType) ? a.mediaType : 'application/octet-stream';
    return { name: a.name.trim(), mediaType, bytes };
  });
}
