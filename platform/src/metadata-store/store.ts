import { randomUUID } from 'node:crypto';
import {
  DataElement,
  Dataset,
  ItemKind,
  MetadataItem,
  MetadataLookup,
  ResolvedDataset,
  ValueDomain,
  WorkflowStatus,
  isFrozen,
  validateItem,
} from '@lingshu/metamodel';
import { Database, Queryable } from '../database';
import { ApiError, conflict, notFound, unprocessable } from '../util/errors';
import { Actor, AuditWriter, actorName, actorOf, devAuditWriter } from '../audit/writer';

export interface ItemVersionRow {
  id: string;
  version: number;
  kind: ItemKind;
  workflow_status: WorkflowStatus;
  body: MetadataItem;
  resolved: ResolvedDataset | null;
  created_by: string;
  created_at: string;
  updated_at: string;
  published_at: string | null;
}

export interface ListQuery {
  namespace?: string;
  status?: WorkflowStatus;
  /** Case-insensitive match on identifier or name. */
  q?: string;
  limit?: number;
  offset?: number;
}

const COLUMNS =
  'id, version, kind, workflow_status, body, resolved, created_by, created_at, updated_at, published_at';

/** Fields the server owns: a client cannot set them through create or update. */
const SERVER_FIELDS = ['id', 'kind', 'version', 'workflowStatus', '_meta'] as const;

/**
 * Versioned metadata: every item keeps all its versions; published ones are frozen, and an edit
 * of a frozen version opens the next version as a draft.
 */
export class MetadataStore {
  constructor(
    private readonly db: Database,
    private readonly auditLog: AuditWriter = devAuditWriter(),
  ) {}

  async list(kind: ItemKind, query: ListQuery = {}): Promise<ItemVersionRow[]> {
    const where = ['m.kind = $1'];
    const params: unknown[] = [kind];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replaceAll('?', `$${params.length}`));
    };
    if (query.namespace) add('m.namespace = ?', query.namespace);
    if (query.status) add('m.workflow_status = ?', query.status);
    if (query.q) add('(lower(m.identifier) LIKE ? OR lower(m.name) LIKE ?)', `%${query.q.toLowerCase()}%`);
    params.push(Math.min(query.limit ?? 100, 1000), query.offset ?? 0);
    return this.db.query<ItemVersionRow>(
      `SELECT ${COLUMNS} FROM meta_item m
       WHERE ${where.join(' AND ')}
         AND m.version = (SELECT max(v.version) FROM meta_item v WHERE v.id = m.id)
       ORDER BY m.identifier LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    );
  }

  /** How many items of each kind are in each status (by their latest version). */
  async countByStatus(): Promise<Array<{ kind: ItemKind; status: WorkflowStatus; count: number }>> {
    const rows = await this.db.query<{ kind: ItemKind; status: WorkflowStatus; count: string | number }>(
      `SELECT m.kind, m.workflow_status AS status, count(*) AS count FROM meta_item m
       WHERE m.version = (SELECT max(v.version) FROM meta_item v WHERE v.id = m.id)
       GROUP BY m.kind, m.workflow_status ORDER BY m.kind, m.workflow_status`,
    );
    return rows.map(r => ({ kind: r.kind, status: r.status, count: Number(r.count) }));
  }

  async latest(kind: ItemKind, id: string, q: Queryable = this.db): Promise<ItemVersionRow> {
    const [row] = await q.query<ItemVersionRow>(
      `SELECT ${COLUMNS} FROM meta_item WHERE kind = $1 AND id = $2 ORDER BY version DESC LIMIT 1`,
      [kind, id],
    );
    if (!row) throw notFound(`${kind} ${id} does not exist`);
    return row;
  }

  async version(kind: ItemKind, id: string, version: number): Promise<ItemVersionRow> {
    const [row] = await this.db.query<ItemVersionRow>(
      `SELECT ${COLUMNS} FROM meta_item WHERE kind = $1 AND id = $2 AND version = $3`,
      [kind, id, version],
    );
    if (!row) throw notFound(`${kind} ${id} has no version ${version}`);
    return row;
  }

  async history(kind: ItemKind, id: string): Promise<ItemVersionRow[]> {
    const rows = await this.db.query<ItemVersionRow>(
      `SELECT ${COLUMNS} FROM meta_item WHERE kind = $1 AND id = $2 ORDER BY version`,
      [kind, id],
    );
    if (rows.length === 0) throw notFound(`${kind} ${id} does not exist`);
    return rows;
  }

  /** The published version of an item, if any (there is at most one). */
  async published(kind: ItemKind, id: string, q: Queryable = this.db): Promise<ItemVersionRow | undefined> {
    const [row] = await q.query<ItemVersionRow>(
      `SELECT ${COLUMNS} FROM meta_item WHERE kind = $1 AND id = $2 AND workflow_status = 'published'`,
      [kind, id],
    );
    return row;
  }

  async allPublished(kind: ItemKind, q: Queryable = this.db): Promise<ItemVersionRow[]> {
    return q.query<ItemVersionRow>(
      `SELECT ${COLUMNS} FROM meta_item WHERE kind = $1 AND workflow_status = 'published'`,
      [kind],
    );
  }

  /** Every version of every item, optionally of one namespace (for snapshots). */
  async allVersions(namespace?: string): Promise<MetadataItem[]> {
    const rows = namespace
      ? await this.db.query<{ body: MetadataItem }>('SELECT body FROM meta_item WHERE namespace = $1', [namespace])
      : await this.db.query<{ body: MetadataItem }>('SELECT body FROM meta_item');
    return rows.map(r => r.body);
  }

  /** A lookup over the published elements and value domains, for reference checks. */
  async publishedLookup(q: Queryable = this.db): Promise<MetadataLookup & { elements: Map<string, DataElement>; domains: Map<string, ValueDomain> }> {
    const rows = await q.query<{ kind: ItemKind; body: MetadataItem }>(
      `SELECT kind, body FROM meta_item WHERE kind IN ('data-element', 'value-domain') AND workflow_status = 'published'`,
    );
    const elements = new Map<string, DataElement>();
    const domains = new Map<string, ValueDomain>();
    for (const r of rows) {
      if (r.kind === 'data-element') elements.set(r.body.id, r.body as DataElement);
      else domains.set(r.body.id, r.body as ValueDomain);
    }
    return { elements, domains, element: id => elements.get(id), valueDomain: id => domains.get(id) };
  }

  /** Finds a published dataset by id or code (screens refer to datasets either way). */
  async publishedDatasets(q: Queryable = this.db): Promise<(ref: { id?: string; code?: string }) => Dataset | undefined> {
    return datasetFinder((await this.allPublished('dataset', q)).map(r => r.body as Dataset));
  }

  async create(kind: ItemKind, input: Record<string, unknown>, by: Actor): Promise<ItemVersionRow> {
    const item = { ...stripServerFields(input), id: randomUUID(), kind, version: 1, workflowStatus: 'draft' } as MetadataItem;
    await this.check(item);
    return this.db.transaction(async tx => {
      await this.assertUniqueIdentity(tx, item);
      const row = await this.insertVersion(tx, item, actorName(by));
      const detail = { version: 1, identifier: item.identifier };
      await this.auditLog.record(tx, { ...actorOf(by), action: 'meta.create', resource: `${kind}:${item.id}`, recordId: item.id, detail });
      return row;
    });
  }

  /** Saves a draft; editing a frozen (published, superseded, retired) version opens the next version. */
  async update(kind: ItemKind, id: string, input: Record<string, unknown>, by: Actor): Promise<ItemVersionRow> {
    return this.db.transaction(async tx => {
      const current = await this.latest(kind, id, tx);
      const frozen = isFrozen(current.workflow_status);
      const version = frozen ? current.version + 1 : current.version;
      const item = { ...stripServerFields(input), id, kind, version, workflowStatus: frozen ? 'draft' : current.workflow_status } as MetadataItem;
      await this.check(item, tx);
      await this.assertUniqueIdentity(tx, item);
      const row = frozen
        ? await this.insertVersion(tx, item, actorName(by))
        : await this.replaceVersion(tx, item);
      const detail = { version, newVersion: frozen };
      await this.auditLog.record(tx, { ...actorOf(by), action: 'meta.update', resource: `${kind}:${id}`, recordId: id, detail });
      return row;
    });
  }

  /** Only a draft that was never published may be deleted; published history is kept. */
  async deleteDraft(kind: ItemKind, id: string, by: Actor): Promise<void> {
    await this.db.transaction(async tx => {
      const current = await this.latest(kind, id, tx);
      if (current.workflow_status !== 'draft') {
        throw conflict(`only a draft can be deleted; ${kind} ${id} version ${current.version} is ${current.workflow_status}`);
      }
      await tx.query('DELETE FROM meta_item WHERE id = $1 AND version = $2', [id, current.version]);
      const detail = { version: current.version };
      await this.auditLog.record(tx, { ...actorOf(by), action: 'meta.delete', resource: `${kind}:${id}`, recordId: id, detail });
    });
  }

  async setStatus(tx: Queryable, id: string, version: number, status: WorkflowStatus, extra: { resolved?: ResolvedDataset } = {}): Promise<void> {
    const published = status === 'published';
    await tx.query(
      `UPDATE meta_item SET workflow_status = CAST($3 AS text),
         body = jsonb_set(body, '{workflowStatus}', to_jsonb(CAST($3 AS text))),
         resolved = COALESCE($4::jsonb, resolved),
         published_at = CASE WHEN CAST($5 AS boolean) THEN now() ELSE published_at END,
         updated_at = now()
       WHERE id = $1 AND version = $2`,
      [id, version, status, extra.resolved ? JSON.stringify(extra.resolved) : null, published],
    );
  }

  async insertVersion(tx: Queryable, item: MetadataItem, actor: string): Promise<ItemVersionRow> {
    const [row] = await tx.query<ItemVersionRow>(
      `INSERT INTO meta_item (id, version, kind, namespace, identifier, name, workflow_status, body, created_by, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, now(), now()) RETURNING ${COLUMNS}`,
      [item.id, item.version, item.kind, item.namespace, item.identifier, item.name, item.workflowStatus, JSON.stringify(item), actor],
    );
    return row;
  }

  private async replaceVersion(tx: Queryable, item: MetadataItem): Promise<ItemVersionRow> {
    const [row] = await tx.query<ItemVersionRow>(
      `UPDATE meta_item SET namespace = $3, identifier = $4, name = $5, body = $6, updated_at = now()
       WHERE id = $1 AND version = $2 RETURNING ${COLUMNS}`,
      [item.id, item.version, item.namespace, item.identifier, item.name, JSON.stringify(item)],
    );
    return row;
  }

  /** `q` must be the caller's transaction when there is one (PGlite has a single session). */
  private async check(item: MetadataItem, q: Queryable = this.db): Promise<void> {
    const lookup = await this.referenceLookup(q, item.kind);
    const issues = validateItem(item, lookup);
    if (issues.length > 0) {
      throw unprocessable(`the ${item.kind} is not valid`, issues.map(i => ({ path: i.path, rule: i.rule, message: i.message })));
    }
  }

  /** References may point at drafts too: a draft dataset can include a draft element. */
  private async referenceLookup(q: Queryable, kind: ItemKind): Promise<MetadataLookup> {
    const kinds = kind === 'screen' ? `'dataset'` : `'data-element', 'value-domain'`;
    const rows = await q.query<{ kind: ItemKind; body: MetadataItem }>(
      `SELECT m.kind, m.body FROM meta_item m WHERE m.kind IN (${kinds})
         AND m.version = (SELECT max(v.version) FROM meta_item v WHERE v.id = m.id)`,
    );
    const byId = new Map(rows.map(r => [r.body.id, r.body]));
    return {
      element: id => (byId.get(id)?.kind === 'data-element' ? (byId.get(id) as DataElement) : undefined),
      valueDomain: id => (byId.get(id)?.kind === 'value-domain' ? (byId.get(id) as ValueDomain) : undefined),
      dataset: datasetFinder(rows.filter(r => r.kind === 'dataset').map(r => r.body as Dataset)),
    };
  }

  /** Identifier (and, for datasets, code) belong to one item only. */
  private async assertUniqueIdentity(tx: Queryable, item: MetadataItem): Promise<void> {
    const [clash] = await tx.query<{ id: string }>(
      'SELECT id FROM meta_item WHERE kind = $1 AND namespace = $2 AND identifier = $3 AND id <> $4 LIMIT 1',
      [item.kind, item.namespace, item.identifier, item.id],
    );
    if (clash) throw conflict(`identifier ${item.namespace}:${item.identifier} is already used by ${item.kind} ${clash.id}`);
    if (item.kind !== 'dataset') return;
    const [codeClash] = await tx.query<{ id: string }>(
      `SELECT id FROM meta_item WHERE kind = 'dataset' AND body->>'code' = $1 AND id <> $2 LIMIT 1`,
      [(item as Dataset).code, item.id],
    );
    if (codeClash) throw conflict(`dataset code ${(item as Dataset).code} is already used by dataset ${codeClash.id}`);
  }
}

/** Screens name their dataset by id or by code. */
function datasetFinder(datasets: Dataset[]): (ref: { id?: string; code?: string }) => Dataset | undefined {
  return ref => datasets.find(d => (ref.id ? d.id === ref.id : d.code === ref.code));
}

function stripServerFields(input: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...input };
  for (const f of SERVER_FIELDS) delete copy[f];
  return copy;
}

export function isApiError(err: unknown): err is ApiError {
  return err instanceof ApiError;
}
