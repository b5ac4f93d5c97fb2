import type { AuditWriter } from '../audit/writer';
import type { Database } from '../database/types';
import type { JobContext, JobHandler } from '../jobs/runner';
import type { DatasetRuntime } from '../runtime/dataset-runtime';
import type { DatasetRegistry } from '../runtime/registry';
import { FieldProtector, MissingKeyError } from './crypto';

export const REENCRYPT_JOB = 'field-reencrypt';
/** Jobs on key material are the security administrator's. */
export const KEYS_RESOURCE = 'security:keys';
const BATCH = 500;

interface ReencryptState extends Record<string, unknown> {
  /** Index into the sorted dataset codes of the run. */
  dataset: number;
  /** Keyset cursor: the last record id handled in that dataset. */
  after: string | null;
}

type Row = Record<string, unknown> & { id: string };

/**
 * Moves every encrypted value to the active field key: after a rotation, and after a column
 * became encrypted (its plaintext is encrypted and indexed). Works through each table by id
 * in batches, one transaction each, so it can stop between any two batches and resume from its
 * cursor. A value changed by a user since it was read is left alone (the write already used the
 * active key). Re-encryption changes no business data, so `updated_at` stays.
 */
export function reencryptJob(db: Database, registry: DatasetRegistry, protector: FieldProtector, audit: AuditWriter): JobHandler {
  return async (ctx: JobContext) => {
    await protector.refresh();
    const wanted = ctx.params.datasets as string[] | undefined;
    const codes = registry
      .list()
      .filter(rt => rt.encrypted.length > 0 && (!wanted || wanted.includes(rt.code)))
      .map(rt => rt.code);
    const state: ReencryptState = (ctx.state as ReencryptState | null) ?? { dataset: 0, after: null };
    const total = await countRows(db, registry, codes);
    let done = ctx.done;
    for (; state.dataset < codes.length; state.dataset++, state.after = null) {
      const rt = registry.get(codes[state.dataset]);
      if (!rt) continue;
      for (;;) {
        const rows = await nextBatch(db, rt, state.after);
        if (rows.length === 0) break;
        const changed = await reencryptBatch(db, rt, protector, audit, rows, ctx.id);
        state.after = rows[rows.length - 1].id;
        done += rows.length;
        await ctx.progress(Math.min(done, total), total, { ...state, changed: Number(ctx.state?.changed ?? 0) + changed });
      }
    }
    await ctx.progress(total, total, state);
  };
}

async function countRows(db: Database, registry: DatasetRegistry, codes: string[]): Promise<number> {
  let total = 0;
  for (const code of codes) {
    const rt = registry.get(code);
    if (rt) total += Number((await db.query<{ n: number }>(`SELECT count(*) AS n FROM "${rt.table}"`))[0].n);
  }
  return total;
}

function nextBatch(db: Database, rt: DatasetRuntime, after: string | null): Promise<Row[]> {
  const cols = rt.encrypted.map(e => `"${e.column}"`).join(', ');
  return after === null
    ? db.query<Row>(`SELECT id, ${cols} FROM "${rt.table}" ORDER BY id LIMIT ${BATCH}`)
    : db.query<Row>(`SELECT id, ${cols} FROM "${rt.table}" WHERE id > $1 ORDER BY id LIMIT ${BATCH}`, [after]);
}

async function reencryptBatch(db: Database, rt: DatasetRuntime, protector: FieldProtector, audit: AuditWriter, rows: Row[], jobId: string): Promise<number> {
  const stale = rows.filter(r => rt.encrypted.some(e => protector.isStale(r[e.column])));
  if (stale.length === 0) return 0;
  const params: unknown[] = [];
  const tuples = await Promise.all(stale.map(async r => {
    const values = [r.id];
    for (const e of rt.encrypted) {
      const old = r[e.column] as string | null;
      const plain = old === null ? null : await decryptLoading(protector, old, e.place);
      values.push(old as string, plain === null ? (null as unknown as string) : protector.encrypt(plain, e.place), plain === null ? (null as unknown as string) : protector.index(plain));
    }
    const start = params.length;
    params.push(...values);
    return `(${values.map((_, i) => (i === 0 ? `CAST($${start + 1} AS uuid)` : `$${start + i + 1}`)).join(', ')})`;
  }));
  const names = rt.encrypted.flatMap((_, i) => [`o${i}`, `n${i}`, `b${i}`]);
  const sets = rt.encrypted.flatMap((e, i) => [`"${e.column}" = v.n${i}`, `"${e.blindIndex}" = v.b${i}`]).join(', ');
  const unchanged = rt.encrypted.map((e, i) => `t."${e.column}" IS NOT DISTINCT FROM v.o${i}`).join(' AND ');
  await db.transaction(async tx => {
    await tx.query(`UPDATE "${rt.table}" AS t SET ${sets} FROM (VALUES ${tuples.join(', ')}) AS v(id, ${names.join(', ')}) WHERE t.id = v.id AND ${unchanged}`, params);
    await audit.record(tx, {
      actor: 'system',
      action: 'data.reencrypt',
      resource: rt.auditResource,
      detail: { job: jobId, keyId: protector.activeKeyId, count: stale.length, firstId: stale[0].id, lastId: stale[stale.length - 1].id },
    });
  });
  return stale.length;
}

async function decryptLoading(protector: FieldProtector, stored: string, place: string): Promise<string> {
  try {
    return protector.decrypt(stored, place);
  } catch (err) {
    if (!(err instanceof MissingKeyError)) throw err;
    await protector.load(err.keyId);
    return protector.decrypt(stored, place);
  }
}
