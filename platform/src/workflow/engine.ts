import { compileCondition, unwrapExpression } from './expression';

/**
 * The adapter to bpmn-engine (ESM, loaded by dynamic import). The engine is never kept in memory
 * between requests: every step recovers the saved state of one instance, runs it until it rests
 * (waiting at user tasks or timers, or finished) and hands back the new state, the user tasks it
 * waits at, the earliest timer and the platform actions its service tasks asked for. The caller
 * does all of that in one database transaction, so a crash at any point leaves the previous state.
 *
 * Three things of the engine are replaced:
 * - expressions: `${…}` is evaluated by our condition language over process variables (never eval);
 * - scripts: none run (script tasks and scripted conditions are refused when a model is deployed);
 * - timers: nothing is scheduled in memory; the due time is recorded and the timer poller
 *   resumes the instance once it has passed (a resumed timer whose time has passed fires at once).
 */

/* eslint-disable @typescript-eslint/no-explicit-any */
type EngineModule = { Engine: new (options: Record<string, unknown>) => any };

let loading: Promise<EngineModule> | undefined;
function loadEngine(): Promise<EngineModule> {
  loading ??= import('bpmn-engine') as unknown as Promise<EngineModule>;
  return loading;
}

let moddleLoading: Promise<new () => { fromXML(xml: string): Promise<any> }> | undefined;
/** bpmn-moddle's parser (ESM): the same one the engine uses. */
export function loadModdle(): Promise<new () => { fromXML(xml: string): Promise<any> }> {
  moddleLoading ??= (import('bpmn-moddle') as Promise<any>).then(m => m.default);
  return moddleLoading;
}

export interface WaitingActivity {
  activityId: string;
  executionId: string;
  type: string;
  name: string | null;
}

export interface PendingAction {
  /** The service name in `${environment.services.<name>}`. */
  service: string;
  activityId: string;
}

export interface EngineStep {
  state: unknown;
  finished: boolean;
  waiting: WaitingActivity[];
  nextTimerAt: Date | null;
  actions: PendingAction[];
}

export class EngineError extends Error {}

const SERVICE_PATH = /^\s*environment\.services\.([A-Za-z_][A-Za-z0-9_]*)\s*$/;

/** Records timers instead of scheduling them; a timer already due fires on the next tick. */
class RecordingTimers {
  private readonly active = new Map<object, number>();
  private count = 0;

  register(owner: unknown) {
    return {
      setTimeout: (cb: (...a: unknown[]) => void, delay: number, ...args: unknown[]) => this.setTimeout(cb, delay, owner, args),
      clearTimeout: (ref: object) => this.clearTimeout(ref),
    };
  }

  setTimeout(cb: (...a: unknown[]) => void, delay: number, owner?: unknown, args: unknown[] = []) {
    const ref = { timerId: `timer_${this.count++}`, owner, delay, callback: cb, args };
    if (!(delay > 0)) setImmediate(() => cb(...args));
    else this.active.set(ref, Date.now() + delay);
    return ref;
  }

  clearTimeout(ref: object) {
    this.active.delete(ref);
  }

  get executing() {
    return [...this.active.keys()];
  }

  next(): Date | null {
    let min = Infinity;
    for (const due of this.active.values()) min = Math.min(min, due);
    return Number.isFinite(min) ? new Date(min) : null;
  }
}

const QUIET = { debug: () => undefined, error: () => undefined, warn: () => undefined };
const QUIET_LOGGER = () => QUIET;

/** Scripts never run: a model that needs one is refused at deployment. */
const NO_SCRIPTS = { getScript: () => undefined, register: () => undefined };

export interface DefinitionSource {
  /** Cache key: one parsed model per definition version. */
  id: string;
  xml: string;
}

export class BpmnRunner {
  /** Parsed models, by definition id (a definition version never changes). */
  private readonly contexts = new Map<string, Promise<any>>();

  constructor(private readonly serviceNames: readonly string[]) {}

  /** Starts a new instance with its variables and runs it until it rests. */
  async start(def: DefinitionSource, variables: Record<string, unknown>): Promise<EngineStep> {
    return this.run(def, undefined, async engine => engine.execute({ variables }));
  }

  /**
   * Recovers an instance and runs it until it rests: with `signal`, the waiting user task
   * (by execution id) completes first, after `variables` are set; without, due timers fire.
   */
  async resume(
    def: DefinitionSource,
    state: unknown,
    signal?: { executionId: string; variables: Record<string, unknown> },
  ): Promise<EngineStep> {
    return this.run(def, state, async engine => {
      const execution = await engine.resume();
      await settle(execution);
      if (signal) {
        const target = (execution.getPostponed() as any[]).find(a => a.executionId === signal.executionId);
        if (!target) throw new EngineError(`the process is not waiting at task execution ${signal.executionId}`);
        Object.assign(target.environment.variables, signal.variables);
        execution.signal({ id: target.id, executionId: target.executionId });
      }
      return execution;
    });
  }

  private async run(def: DefinitionSource, state: unknown, go: (engine: any) => Promise<any>): Promise<EngineStep> {
    const { Engine } = await loadEngine();
    const timers = new RecordingTimers();
    const actions: PendingAction[] = [];
    const services: Record<string, (scope: any, cb: (err: unknown, out?: unknown) => void) => void> = {};
    for (const name of this.serviceNames) {
      services[name] = (scope, cb) => {
        actions.push({ service: name, activityId: String(scope.id) });
        cb(null, { queued: name });
      };
    }
    const engine = new Engine({
      name: def.id,
      // The parsed model comes from the per-version cache, not from the saved state (see below).
      sourceContext: await this.context(def),
      services,
      timers,
      scripts: NO_SCRIPTS,
      expressions: {
        resolveExpression: (text: string, context: any) => resolve(text, context, services),
        isExpression: (text: string) => typeof text === 'string' && unwrapExpression(text) !== undefined,
        hasExpression: (text: string) => typeof text === 'string' && text.includes('${'),
      },
      settings: { enableDummyService: false },
      // The default logger builds a `debug` instance per element on every step (a tenth of the time).
      Logger: QUIET_LOGGER,
    });
    let failure: Error | undefined;
    engine.on('error', (err: Error) => {
      failure = err;
    });
    if (state) engine.recover(state);
    const execution = await go(engine);
    await settle(execution);
    if (failure) throw new EngineError(`the process failed: ${failure.message}`);
    const waiting: WaitingActivity[] = (execution.getPostponed() as any[])
      .filter(a => a.type === 'bpmn:UserTask')
      .map(a => ({ activityId: a.id, executionId: a.executionId, type: a.type, name: a.name ?? null }));
    const finished = !execution.isRunning;
    const saved = await engine.getState();
    // The engine stores the whole serialized model in every state; the definition version is
    // immutable and cached, so the state keeps only what runs (a third of the size, and no
    // model to deserialize on every step).
    for (const d of saved.definitions ?? []) delete d.source;
    const nextTimerAt = finished ? null : timers.next(); // before stop(), which clears the timers
    engine.stop();
    return { state: saved, finished, waiting, nextTimerAt, actions };
  }

  /** The model serialized for the engine, once per definition version. */
  private context(def: DefinitionSource): Promise<any> {
    let ctx = this.contexts.get(def.id);
    if (!ctx) {
      ctx = Promise.all([loadModdle(), loadEngine()]).then(async ([M, { Engine }]) => {
        const moddleContext = await new M().fromXML(def.xml);
        return new Engine({ name: 'serializer' })._serializeModdleContext(moddleContext);
      });
      ctx.catch(() => this.contexts.delete(def.id));
      if (this.contexts.size > 500) this.contexts.clear();
      this.contexts.set(def.id, ctx);
    }
    return ctx;
  }
}

/** `${environment.services.x}` → the service; any other `${…}` → our condition language over the variables. */
function resolve(text: string, context: any, services: Record<string, unknown>): unknown {
  if (typeof text !== 'string') return text;
  const inner = unwrapExpression(text);
  if (inner === undefined) return text;
  const service = SERVICE_PATH.exec(inner);
  if (service) return Object.prototype.hasOwnProperty.call(services, service[1]) ? services[service[1]] : undefined;
  const variables = (context?.environment?.variables ?? {}) as Record<string, unknown>;
  return compileCondition(inner).evaluate({ ...variables, environment: { variables } });
}

/** Lets the engine run until no activity is executing (it rests at user tasks, timers or the end). */
async function settle(execution: any): Promise<void> {
  let calm = 0;
  for (let i = 0; i < 10_000 && calm < 3; i++) {
    await new Promise(r => setImmediate(r));
    calm = execution.activityStatus === 'executing' ? 0 : calm + 1;
  }
}
