import type { Queryable } from '../database/types';
import { ErrorDetail, unprocessable } from '../util/errors';
import { uuidv7 } from '../util/ids';
import { loadModdle } from './engine';
import { ExpressionError, compileCondition, unwrapExpression } from './expression';

/**
 * Process definitions: BPMN 2.0 XML with a few `lingshu:` attributes on user tasks, versioned
 * like other metadata (each deployment of a key is the next version; versions never change).
 * Running instances keep the version they started on.
 *
 * User-task attributes (namespace http://lingshu.dev/schema/bpmn, prefix `lingshu`):
 * - `assignee`: a username, or `${variable}`;
 * - `assignees`: `${list}` of usernames: one task each, decided by `approval`;
 * - `candidateRoles`: roles whose members may claim the task (comma-separated);
 * - `scope="requester-institution"`: only candidates of the starter's institution;
 * - `approval`: `all` (会签), `any` (或签) or `percent:60`; default: the single task decides;
 * - `decisions`: allowed decisions, default `approve,reject,return`;
 * - `dueIn`: ISO 8601 duration (`P3D`, `PT4H`) from the task's creation;
 * - `template`: the notification template (default `task-assigned`);
 * - `screen`: a published screen (id) whose Formily form the inbox shows for the task; its values
 *   are sent as process variables with the decision.
 */
export const LINGSHU_BPMN_NS = 'http://lingshu.dev/schema/bpmn';

export type Decision = 'approve' | 'reject' | 'return';
export const DECISIONS: Decision[] = ['approve', 'reject', 'return'];

export type ApprovalRule = { mode: 'single' } | { mode: 'all' } | { mode: 'any' } | { mode: 'percent'; percent: number };

export interface UserTaskConfig {
  id: string;
  name: string;
  assignee?: string;
  assignees?: string;
  candidateRoles: string[];
  scope?: 'requester-institution';
  approval: ApprovalRule;
  decisions: Decision[];
  dueInMs?: number;
  template: string;
  screen?: string;
}

export interface DefinitionConfig {
  processId: string;
  userTasks: Record<string, UserTaskConfig>;
  services: string[];
}

export interface DefinitionRow {
  id: string;
  key: string;
  version: number;
  name: string;
  xml: string;
  config: DefinitionConfig;
  settings: Record<string, unknown>;
  created_by: string;
  created_at: Date | string;
}

export const DEFINITION_COLUMNS = 'id, key, version, name, xml, config, settings, created_by, created_at';

const KEY = /^[a-z][a-z0-9-]{1,99}$/;
const MAX_XML = 1_000_000;

export interface LintProblem extends ErrorDetail {
  /** The BPMN element the problem is about, when there is one (the innermost `[id]` of the path). */
  elementId?: string;
}

/**
 * The deploy checks without deploying: every problem, each with the element it is about, so a
 * modeller can mark them on the diagram. A clean model returns its name and user tasks.
 */
export async function lintDefinition(xml: string, services: readonly string[]): Promise<{ ok: boolean; name?: string; config?: DefinitionConfig; problems: LintProblem[] }> {
  try {
    const { name, config } = await analyzeDefinition(xml, services);
    return { ok: true, name, config, problems: [] };
  } catch (err) {
    const details = (err as { details?: ErrorDetail[] }).details;
    if (!Array.isArray(details)) throw err;
    const problems = details.map(d => {
      const ids = [...String(d.path ?? '').matchAll(/\[([^\]]+)\]/g)].map(m => m[1]);
      return ids.length ? { ...d, elementId: ids[ids.length - 1] } : { ...d };
    });
    return { ok: false, problems };
  }
}

/** Parses and checks a model; every problem names the element and the rule. */
export async function analyzeDefinition(xml: string, services: readonly string[]): Promise<{ name: string; config: DefinitionConfig }> {
  if (typeof xml !== 'string' || !xml.trim()) throw unprocessable('the definition has no BPMN XML', [{ field: 'xml', rule: 'required', message: 'BPMN 2.0 XML is required' }]);
  if (xml.length > MAX_XML) throw unprocessable('the BPMN XML is too large', [{ field: 'xml', rule: 'maxLength', message: `at most ${MAX_XML} characters` }]);
  const Moddle = await loadModdle();
  let parsed: { rootElement: any; warnings: Array<{ message: string }> };
  try {
    parsed = await new Moddle().fromXML(xml);
  } catch (err) {
    throw unprocessable('the BPMN XML cannot be read', [{ field: 'xml', rule: 'bpmn', message: (err as Error).message.slice(0, 300) }]);
  }
  const issues: ErrorDetail[] = [];
  for (const w of parsed.warnings.slice(0, 10)) issues.push({ field: 'xml', rule: 'bpmn', message: String(w.message).slice(0, 300) });
  const processes = ((parsed.rootElement?.rootElements ?? []) as any[]).filter(e => e.$type === 'bpmn:Process' && e.isExecutable !== false);
  if (processes.length !== 1) {
    issues.push({ field: 'xml', rule: 'process', message: `expected exactly one executable process, found ${processes.length}` });
    throw unprocessable('the BPMN model is not executable here', issues);
  }
  const proc = processes[0];
  const config: DefinitionConfig = { processId: proc.id, userTasks: {}, services: [] };
  const walk = (elements: any[], where: string) => {
    for (const el of elements ?? []) {
      const path = `${where}/${el.$type.replace('bpmn:', '')}[${el.id}]`;
      switch (el.$type) {
        case 'bpmn:ScriptTask':
          issues.push({ path, rule: 'unsupported', message: 'script tasks are not supported: use a service task that calls a platform action' });
          break;
        case 'bpmn:UserTask':
          config.userTasks[el.id] = userTaskConfig(el, path, issues);
          break;
        case 'bpmn:ServiceTask': {
          const inner = typeof el.implementation === 'string' ? unwrapExpression(el.implementation) : undefined;
          const m = inner && /^\s*environment\.services\.([A-Za-z_][A-Za-z0-9_]*)\s*$/.exec(inner);
          if (!m) issues.push({ path, rule: 'implementation', message: 'a service task needs implementation="${environment.services.<action>}"' });
          else if (!services.includes(m[1])) issues.push({ path, rule: 'implementation', message: `unknown platform action "${m[1]}" (known: ${services.join(', ')})` });
          else if (!config.services.includes(m[1])) config.services.push(m[1]);
          break;
        }
        case 'bpmn:SequenceFlow': {
          const cond = el.conditionExpression;
          if (cond) {
            if (cond.language) issues.push({ path, rule: 'condition', message: `scripted conditions (${cond.language}) are not supported: write \${…} in the condition language` });
            else checkExpression(cond.body, path, issues, true);
          }
          break;
        }
        case 'bpmn:SubProcess':
          walk(el.flowElements, path);
          break;
      }
      for (const def of el.eventDefinitions ?? []) {
        if (def.$type === 'bpmn:TimerEventDefinition') {
          const value = def.timeDuration?.body ?? def.timeCycle?.body ?? def.timeDate?.body;
          if (!value) issues.push({ path, rule: 'timer', message: 'a timer needs timeDuration, timeCycle or timeDate' });
          else if (unwrapExpression(value) !== undefined) checkExpression(value, path, issues, false);
        }
      }
    }
  };
  walk(proc.flowElements, `process[${proc.id}]`);
  if (!Object.values(config.userTasks).length && !config.services.length) {
    issues.push({ field: 'xml', rule: 'process', message: 'the process has neither user tasks nor service tasks' });
  }
  if (issues.length) throw unprocessable('the BPMN model has problems', issues);
  return { name: String(proc.name ?? parsed.rootElement.name ?? proc.id).slice(0, 200), config };
}

function checkExpression(text: unknown, path: string, issues: ErrorDetail[], required: boolean): void {
  const inner = typeof text === 'string' ? unwrapExpression(text) : undefined;
  if (inner === undefined) {
    if (required) issues.push({ path, rule: 'condition', message: 'a condition is written ${…}, e.g. ${outcome == "approve"}' });
    return;
  }
  try {
    compileCondition(inner);
  } catch (err) {
    issues.push({ path, rule: 'expression', message: (err as Error).message, position: err instanceof ExpressionError ? err.position : undefined });
  }
}

function userTaskConfig(el: any, path: string, issues: ErrorDetail[]): UserTaskConfig {
  const attrs: Record<string, string> = {};
  for (const [k, v] of Object.entries((el.$attrs ?? {}) as Record<string, string>)) {
    if (k.startsWith('lingshu:')) attrs[k.slice(8)] = String(v);
  }
  const at = (name: string) => `${path}/@lingshu:${name}`;
  const list = (v?: string) => (v ?? '').split(',').map(s => s.trim()).filter(Boolean);
  const cfg: UserTaskConfig = {
    id: el.id,
    name: String(el.name ?? el.id).slice(0, 200),
    candidateRoles: list(attrs.candidateRoles),
    approval: { mode: 'single' },
    decisions: DECISIONS,
    template: attrs.template || 'task-assigned',
  };
  if (attrs.assignee) {
    cfg.assignee = attrs.assignee;
    if (unwrapExpression(attrs.assignee) !== undefined) checkExpression(attrs.assignee, at('assignee'), issues, false);
  }
  if (attrs.assignees) {
    cfg.assignees = attrs.assignees;
    checkExpression(attrs.assignees, at('assignees'), issues, true);
  }
  if (!cfg.assignee && !cfg.assignees && !cfg.candidateRoles.length) {
    issues.push({ path, rule: 'assignment', message: 'a user task needs lingshu:assignee, lingshu:assignees or lingshu:candidateRoles' });
  }
  if (attrs.scope) {
    if (attrs.scope !== 'requester-institution') issues.push({ path: at('scope'), rule: 'enum', message: 'scope must be "requester-institution"' });
    else cfg.scope = 'requester-institution';
  }
  if (attrs.approval) {
    const p = /^percent:(\d{1,3})$/.exec(attrs.approval);
    if (attrs.approval === 'all' || attrs.approval === 'any') cfg.approval = { mode: attrs.approval };
    else if (p && Number(p[1]) >= 1 && Number(p[1]) <= 100) cfg.approval = { mode: 'percent', percent: Number(p[1]) };
    else issues.push({ path: at('approval'), rule: 'enum', message: 'approval must be all, any or percent:1..100' });
    if (!cfg.assignees && cfg.approval.mode !== 'single') issues.push({ path: at('approval'), rule: 'assignees', message: 'multi-person approval needs lingshu:assignees' });
  }
  if (attrs.decisions) {
    const d = list(attrs.decisions);
    const bad = d.filter(x => !DECISIONS.includes(x as Decision));
    if (bad.length || !d.length) issues.push({ path: at('decisions'), rule: 'enum', message: `decisions are among ${DECISIONS.join(', ')}` });
    else cfg.decisions = d as Decision[];
  }
  if (attrs.screen !== undefined) {
    if (!/^[A-Za-z0-9._-]{1,100}$/.test(attrs.screen)) issues.push({ path: at('screen'), rule: 'pattern', message: 'screen names a published screen by its id (letters, digits, . _ -)' });
    else cfg.screen = attrs.screen;
  }
  if (attrs.dueIn) {
    const ms = durationMs(attrs.dueIn);
    if (ms === undefined) issues.push({ path: at('dueIn'), rule: 'duration', message: 'dueIn is an ISO 8601 duration such as P3D or PT4H' });
    else cfg.dueInMs = ms;
  }
  return cfg;
}

/** ISO 8601 durations (years and months counted as 365 and 30 days). */
export function durationMs(text: string): number | undefined {
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(text.trim());
  if (!m || text.trim() === 'P' || text.trim().endsWith('T')) return undefined;
  const [, y, mo, w, d, h, mi, s] = m.map(v => (v === undefined ? 0 : Number(v)));
  return ((((y * 365 + mo * 30 + w * 7 + d) * 24 + h) * 60 + mi) * 60 + s) * 1000;
}

/** The versioned table of definitions. */
export class DefinitionStore {
  private readonly byId = new Map<string, DefinitionRow>();

  constructor(private readonly db: Queryable) {}

  async deploy(q: Queryable, input: { key: string; xml: string; settings?: Record<string, unknown>; actor: string }, services: readonly string[]): Promise<DefinitionRow> {
    if (typeof input.key !== 'string' || !KEY.test(input.key)) {
      throw unprocessable('invalid process key', [{ field: 'key', rule: 'pattern', message: 'lower-case letters, digits and "-", starting with a letter, 2–100 characters' }]);
    }
    const { name, config } = await analyzeDefinition(input.xml, services);
    // Deployments of one key take turns, so versions are 1, 2, 3 … without gaps or clashes.
    await q.query('SELECT pg_advisory_xact_lock(7340101, $1)', [hashKey(input.key)]);
    const [last] = await q.query<{ version: number }>('SELECT max(version) AS version FROM wf_definition WHERE key = $1', [input.key]);
    const version = Number(last?.version ?? 0) + 1;
    const [row] = await q.query<DefinitionRow>(
      `INSERT INTO wf_definition (id, key, version, name, xml, config, settings, created_by, created_at)
       VALUES ($1, $2, $3, $4, $5, CAST($6 AS jsonb), CAST($7 AS jsonb), $8, now()) RETURNING ${DEFINITION_COLUMNS}`,
      [uuidv7(), input.key, version, name, input.xml, JSON.stringify(config), JSON.stringify(input.settings ?? {}), input.actor],
    );
    return row;
  }

  async get(id: string, q: Queryable = this.db): Promise<DefinitionRow | undefined> {
    const hit = this.byId.get(id);
    if (hit) return hit;
    const [row] = await q.query<DefinitionRow>(`SELECT ${DEFINITION_COLUMNS} FROM wf_definition WHERE id = $1`, [id]);
    if (row) this.byId.set(id, row); // versions are immutable
    return row;
  }

  async latest(key: string, q: Queryable = this.db): Promise<DefinitionRow | undefined> {
    const [row] = await q.query<DefinitionRow>(`SELECT ${DEFINITION_COLUMNS} FROM wf_definition WHERE key = $1 ORDER BY version DESC LIMIT 1`, [key]);
    return row;
  }

  async versions(key: string): Promise<DefinitionRow[]> {
    return this.db.query<DefinitionRow>(`SELECT ${DEFINITION_COLUMNS} FROM wf_definition WHERE key = $1 ORDER BY version DESC`, [key]);
  }

  /** The latest version of each key, without the XML. */
  async list(): Promise<Array<Omit<DefinitionRow, 'xml' | 'config'>>> {
    return this.db.query(
      `SELECT d.id, d.key, d.version, d.name, d.settings, d.created_by, d.created_at FROM wf_definition d
       WHERE d.version = (SELECT max(version) FROM wf_definition x WHERE x.key = d.key) ORDER BY d.key`,
    );
  }
}

function hashKey(key: string): number {
  let h = 0;
  for (const c of key) h = (Math.imul(h, 31) + c.charCodeAt(0)) | 0;
  return h;
}
