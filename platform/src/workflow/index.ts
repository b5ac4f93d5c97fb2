import type { ItemKind } from '@lingshu/metamodel';
import type { AuditWriter } from '../audit/writer';
import type { Database, Queryable } from '../database/types';
import type { MetaEvent, Publisher } from '../publisher/publisher';
import { conflict, unprocessable } from '../util/errors';
import { ActionContext, PlatformAction, WorkflowService } from './service';
import { ResourceGrants } from './grants';

export { ResourceGrants, GrantRow } from './grants';
export { OpenResources, ResourceRow, ResourceInput } from './resources';

export * from './service';
export * from './definitions';
export { WORKFLOW_SCHEMA_STEPS } from './schema';
export { compileCondition, ExpressionError } from './expression';

const KINDS: ItemKind[] = ['data-element', 'value-domain', 'dataset'];
const GATE_KEY = 'workflow.publish-gate';

/**
 * A namespace either requires an approved process to publish (production standards) or not (a
 * sandbox). The setting lives in `platform_setting` as `{ "<namespace>": true }`.
 */
export class PublishGate {
  constructor(private readonly db: Database) {}

  async namespaces(q: Queryable = this.db): Promise<Record<string, boolean>> {
    const [row] = await q.query<{ value: Record<string, boolean> }>('SELECT value FROM platform_setting WHERE key = $1', [GATE_KEY]);
    return row?.value ?? {};
  }

  async requiresApproval(namespace: string): Promise<boolean> {
    return (await this.namespaces())[namespace] === true;
  }

  async set(q: Queryable, namespace: string, required: boolean): Promise<Record<string, boolean>> {
    const all = { ...(await this.namespaces(q)), [namespace]: required };
    await q.query(
      `INSERT INTO platform_setting (key, value, updated_at) VALUES ($1, CAST($2 AS jsonb), now())
       ON CONFLICT (key) DO UPDATE SET value = CAST($2 AS jsonb), updated_at = now()`,
      [GATE_KEY, JSON.stringify(all)],
    );
    return all;
  }

  /** Refuses a direct publish in a namespace that requires an approved process. */
  async checkDirectPublish(namespace: string): Promise<void> {
    if (await this.requiresApproval(namespace)) {
      throw conflict(`namespace "${namespace}" publishes only through an approved process: start "standard-drafting" with subjectKind and subjectId (POST /api/workflow/processes/standard-drafting/instances)`, [
        { field: 'namespace', rule: 'approval-required', message: 'publishing needs an approved standard-drafting process', value: namespace },
      ]);
    }
  }
}

/** The metadata item a process works on, from its variables `subjectKind` and `subjectId`. */
function subject(ctx: ActionContext): { kind: ItemKind; id: string } {
  const kind = ctx.variables.subjectKind as ItemKind;
  const id = ctx.variables.subjectId;
  if (!KINDS.includes(kind) || typeof id !== 'string') {
    throw unprocessable('the process has no metadata subject', [{ field: 'variables.subjectKind', rule: 'required', message: `subjectKind (${KINDS.join(', ')}) and subjectId are needed by ${ctx.activityId}` }]);
  }
  return { kind, id };
}

/**
 * Lifecycle actions for service tasks. Each runs the publisher's transition inside the step's
 * transaction (a failed publish rolls back the task decision too); the dataset API swap happens
 * after commit. A transition that does not apply (already in review …) is skipped, not an error,
 * so a returned draft can be resubmitted by the same model.
 */
function metaAction(publisher: Publisher, action: 'submit' | 'withdraw' | 'publish', lenient: boolean): PlatformAction {
  return async (tx, ctx) => {
    const { kind, id } = subject(ctx);
    try {
      const { event } = await publisher.transitionIn(tx, kind, id, action, `${ctx.actor} (workflow ${ctx.instance.id})`);
      if (event) ctx.afterCommit(() => publisher.apply(event as MetaEvent));
    } catch (err) {
      if (lenient && (err as { statusCode?: number }).statusCode === 409) return;
      throw err;
    }
  };
}

export interface WorkflowParts {
  service: WorkflowService;
  gate: PublishGate;
  grants: ResourceGrants;
  startTimers(intervalMs?: number): void;
  stop(): Promise<void>;
}

/** The workflow service with the platform's actions registered, and its timer poller. */
export function openWorkflow(db: Database, audit: AuditWriter, publisher: Publisher, log: (line: string) => void = () => undefined): WorkflowParts {
  const service = new WorkflowService(db, audit);
  service.registerAction('metaSubmit', metaAction(publisher, 'submit', true));
  service.registerAction('metaWithdraw', metaAction(publisher, 'withdraw', true));
  service.registerAction('metaPublish', metaAction(publisher, 'publish', false));
  const grants = new ResourceGrants(db, audit);
  service.registerAction('grantResource', grants.action);
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = false;
  const tick = (ms: number) => {
    timer = setTimeout(() => {
      running = service.runDueTimers()
        .catch(err => log(`workflow timers: ${(err as Error).message}`))
        .finally(() => {
          running = undefined;
          if (!stopped) tick(ms);
        });
    }, ms);
    timer.unref();
  };
  return {
    service,
    gate: new PublishGate(db),
    grants,
    startTimers(intervalMs = 1000) {
      stopped = false;
      tick(intervalMs);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
