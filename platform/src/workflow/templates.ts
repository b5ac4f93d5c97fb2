import Handlebars from 'handlebars';
import type { Queryable } from '../database/types';

/**
 * In-app notification texts: handlebars templates (zh-CN by default), overridable per key in
 * `wf_template`. Handlebars escapes HTML and, since 4.6, refuses prototype access; templates
 * come from administrators, never from process variables.
 */
export const DEFAULT_TEMPLATES: Record<string, { title: string; body: string }> = {
  'task-assigned': {
    title: '待办：{{task.name}}',
    body: '{{instance.title}}：请处理“{{task.name}}”{{#if task.dueAt}}，期限 {{task.dueAt}}{{/if}}。',
  },
  'task-claimable': {
    title: '可认领：{{task.name}}',
    body: '{{instance.title}}：“{{task.name}}”等待您所在角色认领。',
  },
  'task-reminder': {
    title: '催办：{{task.name}}',
    body: '{{instance.title}}：“{{task.name}}”仍待处理，请尽快办理。',
  },
  'task-overdue': {
    title: '已超期：{{task.name}}',
    body: '{{instance.title}}：“{{task.name}}”已超过期限 {{task.dueAt}}。',
  },
  'task-delegated': {
    title: '转办：{{task.name}}',
    body: '{{actor}} 将“{{task.name}}”（{{instance.title}}）转交给您。',
  },
  'instance-completed': {
    title: '已办结：{{instance.title}}',
    body: '您发起的“{{instance.title}}”已办结{{#if outcome}}（结果：{{outcome}}）{{/if}}。',
  },
};

type Compiled = { title: HandlebarsTemplateDelegate; body: HandlebarsTemplateDelegate };

export class MessageTemplates {
  private readonly hb = Handlebars.create();
  private readonly compiled = new Map<string, Compiled>();

  constructor(private readonly db: Queryable) {}

  async render(key: string, context: Record<string, unknown>, q: Queryable = this.db): Promise<{ title: string; body: string }> {
    let t = this.compiled.get(key);
    if (!t) {
      const [row] = await q.query<{ title: string; body: string }>('SELECT title, body FROM wf_template WHERE key = $1', [key]);
      const src = row ?? DEFAULT_TEMPLATES[key] ?? DEFAULT_TEMPLATES['task-assigned'];
      t = { title: this.hb.compile(src.title, { strict: false }), body: this.hb.compile(src.body, { strict: false }) };
      this.compiled.set(key, t);
    }
    return { title: t.title(context).slice(0, 300), body: t.body(context).slice(0, 4000) };
  }

  /** Checks that a template compiles and renders (throws with handlebars' message). */
  check(text: string): void {
    this.hb.compile(text, { strict: false })({});
  }

  async save(q: Queryable, key: string, title: string, body: string, actor: string): Promise<void> {
    await q.query(
      `INSERT INTO wf_template (key, title, body, updated_by, updated_at) VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (key) DO UPDATE SET title = $2, body = $3, updated_by = $4, updated_at = now()`,
      [key, title, body, actor],
    );
    this.compiled.delete(key);
  }
}
