import { ChangeList, ItemKind, MetadataItem, StaleChangeListError, applyChangeList, isFrozen, validateItem } from '@lingshu/metamodel';
import { Database, Queryable } from '../database';
import { MetadataStore } from '../metadata-store/store';
import { Actor, AuditWriter, actorName, actorOf, devAuditWriter } from '../audit/writer';
import { ApiError, conflict, unprocessable } from '../util/errors';
import { MetaEvent, Publisher } from './publisher';

const KIND_ORDER: ItemKind[] = ['value-domain', 'data-element', 'dataset', 'screen'];

export interface ImportResult {
  added: number;
  skipped: number;
  updated: number;
  removed: number;
}

/**
 * Brings metadata in from elsewhere (a seed package, another environment's snapshot) through the
 * same lifecycle as a user would: each version lands as a draft and is then moved to its status,
 * so publishing migrates tables exactly as in the designer. One transaction for the lot.
 */
export class MetadataImporter {
  constructor(
    private readonly db: Database,
    private readonly store: MetadataStore,
    private readonly publisher: Publisher,
    private readonly auditLog: AuditWriter = devAuditWriter(),
  ) {}

  async importItems(items: MetadataItem[], actor: Actor): Promise<ImportResult> {
    const result: ImportResult = { added: 0, skipped: 0, updated: 0, removed: 0 };
    const events = await this.db.transaction(async tx => {
      const collected: MetaEvent[] = [];
      for (const item of sortForImport(items)) {
        if (await this.exists(tx, item)) result.skipped++;
        else {
          collected.push(...(await this.addVersion(tx, item, actor)));
          result.added++;
        }
      }
      await this.auditLog.record(tx, { ...actorOf(actor), action: 'meta.import', resource: 'meta:*', detail: { ...result } });
      return collected;
    });
    for (const e of events) await this.publisher.apply(e);
    return result;
  }

  /** Applies a change list made against the state whose hash it carries (and no other). */
  async applyChanges(list: ChangeList, actor: Actor, namespace?: string): Promise<ImportResult> {
    const current = await this.store.allVersions(namespace);
    try {
      applyChangeList(current, list);
    } catch (err) {
      if (err instanceof StaleChangeListError) {
        throw conflict('the change list was made against another state of the metadata; diff again', [
          { rule: 'base-hash', message: err.message },
        ]);
      }
      throw unprocessable((err as Error).message, [{ rule: 'change-list', message: (err as Error).message }]);
    }
    const result: ImportResult = { added: 0, skipped: 0, updated: 0, removed: 0 };
    const events = await this.db.transaction(async tx => {
      const collected: MetaEvent[] = [];
      for (const change of list.changes) {
        if (change.op === 'add') {
          collected.push(...(await this.addVersion(tx, change.after!, actor)));
          result.added++;
        } else if (change.op === 'update') {
          await this.updateDraft(tx, change.after!);
          result.updated++;
        } else {
          await this.removeDraft(tx, change.kind, change.id, change.version);
          result.removed++;
        }
      }
      const detail = { ...result, baseHash: list.baseHash };
      await this.auditLog.record(tx, { ...actorOf(actor), action: 'meta.apply-changes', resource: 'meta:*', detail });
      return collected;
    });
    for (const e of events) await this.publisher.apply(e);
    return result;
  }

  private async addVersion(tx: Queryable, item: MetadataItem, actor: Actor): Promise<MetaEvent[]> {
    const issues = validateItem(item);
    if (issues.length) {
      throw unprocessable(`${item.kind} ${item.identifier} v${item.version} is not valid`, issues.map(i => ({ ...i, path: `${item.identifier}/${i.path}` })));
    }
    await this.store.insertVersion(tx, { ...item, workflowStatus: 'draft' }, actorName(actor));
    const events: MetaEvent[] = [];
    const steps = STEPS_TO[item.workflowStatus] ?? [];
    for (const action of steps) {
      try {
        const { event } = await this.publisher.transitionIn(tx, item.kind, item.id, action, actor);
        if (event) events.push(event);
      } catch (err) {
        if (err instanceof ApiError) throw new ApiError(err.statusCode, err.code, `${item.kind} ${item.identifier} v${item.version}: ${err.message}`, err.details);
        throw err;
      }
    }
    return events;
  }

  private async updateDraft(tx: Queryable, item: MetadataItem): Promise<void> {
    const [row] = await tx.query<{ workflow_status: string }>('SELECT workflow_status FROM meta_item WHERE id = $1 AND version = $2', [item.id, item.version]);
    if (!row || isFrozen(row.workflow_status as MetadataItem['workflowStatus'])) {
      throw conflict(`${item.kind} ${item.identifier} v${item.version} is ${row?.workflow_status ?? 'missing'} here; only drafts change in place`);
    }
    await tx.query('UPDATE meta_item SET body = $3, name = $4, identifier = $5, updated_at = now() WHERE id = $1 AND version = $2', [
      item.id, item.version, JSON.stringify({ ...item, workflowStatus: row.workflow_status }), item.name, item.identifier,
    ]);
  }

  private async removeDraft(tx: Queryable, kind: ItemKind, id: string, version: number): Promise<void> {
    const [row] = await tx.query<{ workflow_status: string }>('SELECT workflow_status FROM meta_item WHERE id = $1 AND version = $2', [id, version]);
    if (!row || row.workflow_status !== 'draft') throw conflict(`${kind} ${id} v${version} is ${row?.workflow_status ?? 'missing'} here; only drafts can be removed`);
    await tx.query('DELETE FROM meta_item WHERE id = $1 AND version = $2', [id, version]);
  }

  private async exists(tx: Queryable, item: MetadataItem): Promise<boolean> {
    const rows = await tx.query('SELECT 1 FROM meta_item WHERE id = $1 AND version = $2', [item.id, item.version]);
    return rows.length > 0;
  }
}

/** Lifecycle actions that take a fresh draft to a given status. */
const STEPS_TO: Partial<Record<MetadataItem['workflowStatus'], string[]>> = {
  review: ['submit'],
  published: ['publish'],
  superseded: ['publish'],
  retired: ['publish', 'retire'],
};

function sortForImport(items: MetadataItem[]): MetadataItem[] {
  return [...items].sort(
    (a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.id.localeCompare(b.id) || a.version - b.version,
  );
}
