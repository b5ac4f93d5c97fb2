import { randomUUID } from 'node:crypto';
import {
  Dataset,
  ItemKind,
  LifecycleError,
  MetadataLookup,
  MetadataItem,
  ResolvedDataset,
  ValueDomain,
  nextStatus,
  validateItem,
} from '@lingshu/metamodel';
import { Database, Queryable } from '../database';
import { ItemVersionRow, MetadataStore } from '../metadata-store/store';
import { DatasetRegistry } from '../runtime/registry';
import { Actor, AuditWriter, actorName, actorOf, devAuditWriter } from '../audit/writer';
import { ErrorDetail, conflict, unprocessable } from '../util/errors';
import type { JobRunner } from '../jobs/runner';
import { KEYS_RESOURCE, REENCRYPT_JOB } from '../security/field-reencrypt';
import { MigrationPlan, TableState, planMigration } from './plan';

export const META_CHANNEL = 'lingshu_meta';

export interface MetaEvent {
  type: ItemKind;
  id: string;
  code?: string;
}

export interface TransitionOptions {
  /** Accept destructive steps: removed or narrowed columns are renamed aside with their data. */
  retire?: boolean;
}

/**
 * Lifecycle actions on metadata. Publishing a dataset version migrates its table and swaps its
 * API in one transaction; other processes hear of it through NOTIFY and swap theirs.
 */
export class Publisher {
  constructor(
    private readonly db: Database,
    private readonly store: MetadataStore,
    private readonly registry: DatasetRegistry,
    private readonly auditLog: AuditWriter = devAuditWriter(),
    /** Runs the encryption of columns that a new version encrypts; needed only for such versions. */
    private readonly jobs?: JobRunner,
  ) {}

  async transition(kind: ItemKind, id: string, action: string, actor: Actor, options: TransitionOptions = {}): Promise<ItemVersionRow> {
    const { row, event } = await this.db.transaction(tx => this.transitionIn(tx, kind, id, action, actor, options));
    if (event) await this.apply(event);
    this.jobs?.wake();
    return row;
  }

  /**
   * The transition inside the caller's transaction (imports run many in one). The caller applies
   * the returned event locally after commit; other processes get it by NOTIFY at commit.
   */
  async transitionIn(tx: Queryable, kind: ItemKind, id: string, action: string, actor: Actor, options: TransitionOptions = {}): Promise<{ row: ItemVersionRow; event?: MetaEvent }> {
    const current = await this.lockLatest(tx, kind, id);
    const status = checkedNextStatus(current, action);
    let event: MetaEvent | undefined;
    if (status === 'published') event = await this.publish(tx, current, actor, options);
    else if (status === 'retired') event = await this.retire(tx, current, actor);
    else await this.store.setStatus(tx, id, current.version, status);
    const detail = { version: current.version, status, retire: options.retire === true };
    await this.auditLog.record(tx, { ...actorOf(actor), action: `meta.${action}`, resource: `${kind}:${id}`, recordId: id, detail });
    if (event) await this.db.notify(tx, META_CHANNEL, JSON.stringify(event));
    return { row: await this.store.latest(kind, id, tx), event };
  }

  /** What publishing the latest draft of a dataset would do to its table, without doing it. */
  async preview(id: string): Promise<MigrationPlan> {
    const current = await this.store.latest('dataset', id);
    const resolved = await this.resolve(this.db, current.body as Dataset);
    return planMigration(await this.tableState(this.db, resolved.dataset.code), resolved);
  }

  /** Applies a change heard from any process (this one included) to the local registry. */
  async apply(event: MetaEvent): Promise<void> {
    if (event.type === 'dataset' && event.code) await this.registry.reload(event.code);
    if (event.type === 'value-domain') await this.registry.reloadDomain(event.id);
  }

  private async publish(tx: Queryable, current: ItemVersionRow, actor: Actor, options: TransitionOptions): Promise<MetaEvent> {
    const item = current.body;
    const previous = await this.store.published(current.kind, item.id, tx);
    if (item.kind !== 'dataset') {
      const lookup: MetadataLookup = await this.store.publishedLookup(tx);
      // A screen goes live over a live dataset only.
      if (item.kind === 'screen') lookup.dataset = await this.store.publishedDatasets(tx);
      const issues = validateItem(item, lookup);
      if (issues.length) throw unprocessable(`the ${item.kind} cannot be published`, issues.map(i => ({ ...i })));
      if (previous) await this.store.setStatus(tx, item.id, previous.version, 'superseded');
      await this.store.setStatus(tx, item.id, current.version, 'published');
      return { type: item.kind, id: item.id };
    }
    const resolved = await this.resolve(tx, item);
    const code = resolved.dataset.code;
    const before = await this.tableState(tx, code);
    if (previous && (previous.body as Dataset).code !== code) {
      throw conflict(`a published dataset keeps its code: ${(previous.body as Dataset).code} cannot become ${code}`);
    }
    const plan = planMigration(before, resolved);
    const destructive = plan.steps.filter(s => s.destructive);
    if (destructive.length > 0 && !options.retire) {
      throw conflict(
        'the new version removes or narrows columns; publish with retire=true to move them aside (their data is kept)',
        destructive.map(s => ({ field: s.column, rule: 'destructive-change', message: s.detail })),
      );
    }
    for (const step of plan.steps) for (const sql of step.sql) await tx.query(sql);
    await this.saveTableState(tx, resolved, plan);
    await tx.query(
      'INSERT INTO dataset_migration (id, code, from_version, to_version, steps, applied_by, applied_at) VALUES ($1, $2, $3, $4, $5, $6, now())',
      [randomUUID(), code, plan.fromVersion ?? null, plan.toVersion, JSON.stringify(plan.steps.map(s => ({ op: s.op, column: s.column, detail: s.detail }))), actorName(actor)],
    );
    if (plan.toEncrypt.length > 0) await this.queueEncryption(tx, code, plan, actor);
    if (previous) await this.store.setStatus(tx, item.id, previous.version, 'superseded');
    await this.store.setStatus(tx, item.id, current.version, 'published', { resolved });
    return { type: 'dataset', id: item.id, code };
  }

  /** Stored plaintext of newly encrypted columns is encrypted in the background, resumably. */
  private async queueEncryption(tx: Queryable, code: string, plan: MigrationPlan, actor: Actor): Promise<void> {
    if (!this.jobs) throw conflict(`${code} v${plan.toVersion} encrypts columns (${plan.toEncrypt.join(', ')}) but this process runs no jobs`);
    await this.jobs.enqueue(tx, {
      kind: REENCRYPT_JOB,
      title: `加密 ${code} 的敏感字段 / encrypt ${code}: ${plan.toEncrypt.join(', ')}`,
      resource: KEYS_RESOURCE,
      params: { datasets: [code] },
      createdBy: actorName(actor),
    });
  }

  private async retire(tx: Queryable, current: ItemVersionRow, actor: Actor): Promise<MetaEvent | undefined> {
    await this.store.setStatus(tx, current.id, current.version, 'retired');
    if (current.kind !== 'dataset') return { type: current.kind, id: current.id };
    const code = (current.body as Dataset).code;
    // The table and its rows stay; only the API goes away.
    await tx.query(`UPDATE dataset_table SET status = 'retired', updated_at = now() WHERE code = $1`, [code]);
    await this.auditLog.record(tx, { ...actorOf(actor), action: 'data.retire-api', resource: `data:${code}`, detail: { version: current.version } });
    return { type: 'dataset', id: current.id, code };
  }

  /** Pins the published element and value-domain versions the dataset version is built on. */
  async resolve(q: Queryable, dataset: Dataset): Promise<ResolvedDataset> {
    const lookup = await this.store.publishedLookup(q);
    // Unresolved references are reported below, as "not published" rather than "missing".
    const issues = validateItem(dataset, lookup).filter(i => i.rule !== 'reference');
    const details: ErrorDetail[] = issues.map(i => ({ path: i.path, rule: i.rule, message: i.message }));
    const elements: ResolvedDataset['elements'] = {};
    const valueDomains: Record<string, ValueDomain> = {};
    dataset.inclusions.forEach((inc, i) => {
      const element = lookup.element(inc.elementId);
      if (!element) {
        if (!details.some(d => d.path === `inclusions/${i}/elementId`)) {
          details.push({ path: `inclusions/${i}/elementId`, rule: 'not-published', message: `data element ${inc.elementId} has no published version` });
        }
        return;
      }
      elements[element.id] = element;
      if (!element.valueDomainId) return;
      const domain = lookup.valueDomain(element.valueDomainId);
      if (domain) valueDomains[domain.id] = domain;
      else details.push({ path: `inclusions/${i}/elementId`, rule: 'not-published', message: `value domain ${element.valueDomainId} of ${element.identifier} has no published version` });
    });
    if (details.length) throw unprocessable(`dataset ${dataset.code} cannot be published`, details);
    return { dataset: { ...dataset, workflowStatus: 'published' }, elements, valueDomains };
  }

  private async tableState(q: Queryable, code: string): Promise<TableState | undefined> {
    const [row] = await q.query<{ version: number; table_name: string; columns: TableState['columns'] }>(
      'SELECT version, table_name, columns FROM dataset_table WHERE code = $1',
      [code],
    );
    return row ? { version: row.version, table: row.table_name, columns: row.columns } : undefined;
  }

  private async saveTableState(tx: Queryable, resolved: ResolvedDataset, plan: MigrationPlan): Promise<void> {
    const params = [resolved.dataset.code, resolved.dataset.id, resolved.dataset.version, plan.table, JSON.stringify(plan.columns)];
    const [updated] = await tx.query(
      `UPDATE dataset_table SET dataset_id = $2, version = $3, table_name = $4, columns = $5, status = 'live', updated_at = now()
       WHERE code = $1 RETURNING code`,
      params,
    );
    if (!updated) {
      await tx.query(
        `INSERT INTO dataset_table (code, dataset_id, version, table_name, columns, status, updated_at) VALUES ($1, $2, $3, $4, $5, 'live', now())`,
        params,
      );
    }
  }

  /** Two publishes of one item at once: the second waits, then sees the first's result. */
  private async lockLatest(tx: Queryable, kind: ItemKind, id: string): Promise<ItemVersionRow> {
    await tx.query('SELECT id FROM meta_item WHERE kind = $1 AND id = $2 FOR UPDATE', [kind, id]);
    return this.store.latest(kind, id, tx);
  }
}

function checkedNextStatus(current: ItemVersionRow, action: string) {
  try {
    return nextStatus(current.workflow_status, action);
  } catch (err) {
    if (err instanceof LifecycleError) throw conflict(err.message, [{ rule: 'lifecycle', message: err.message }]);
    throw err;
  }
}

export function isMetadataItem(x: unknown): x is MetadataItem {
  return typeof x === 'object' && x !== null && 'kind' in x && 'id' in x;
}
