import { Actor, AuditWriter, actorOf } from '../audit/writer';
import type { Database } from '../database/types';
import type { JobRunner } from '../jobs/runner';
import { FIELD_KEY_PURPOSES, FieldProtector } from './crypto';
import { KEYS_RESOURCE, REENCRYPT_JOB } from './field-reencrypt';

/** Other instances pick up a rotation from this channel. */
export const KEYS_CHANNEL = 'lingshu_keys';

export interface KeyInfo {
  id: string;
  purpose: string;
  status: string;
  createdAt: string;
}

/** The security administrator's key operations: list (never the material), rotate, re-encrypt. */
export class FieldKeyAdmin {
  constructor(
    private readonly db: Database,
    private readonly protector: FieldProtector,
    private readonly jobs: JobRunner,
    private readonly audit: AuditWriter,
  ) {}

  async list(): Promise<KeyInfo[]> {
    const rows = await this.db.query<{ id: string; purpose: string; status: string; created_at: string }>(
      'SELECT id, purpose, status, created_at FROM crypto_key ORDER BY created_at, id',
    );
    return rows.map(r => ({ id: r.id, purpose: r.purpose, status: r.status, createdAt: r.created_at }));
  }

  /** A new field-encryption key, and a job that moves every stored value to it. */
  async rotate(by: Actor): Promise<{ keyId: string; jobId: string }> {
    const keyId = await this.protector.rotate();
    const jobId = await this.queue(by, 'security.key-rotate', { purpose: FIELD_KEY_PURPOSES.encryption, keyId }, `轮换字段加密密钥并重新加密 / rotate the field key (${keyId})`);
    return { keyId, jobId };
  }

  /** Re-encrypts without rotating: after an interrupted rotation, or to encrypt a newly flagged column. */
  async reencrypt(by: Actor, datasets?: string[]): Promise<{ jobId: string }> {
    const jobId = await this.queue(by, 'security.reencrypt', { datasets: datasets ?? 'all' }, '重新加密敏感字段 / re-encrypt sensitive fields', datasets);
    return { jobId };
  }

  private async queue(by: Actor, action: string, detail: Record<string, unknown>, title: string, datasets?: string[]): Promise<string> {
    const who = actorOf(by);
    const jobId = await this.db.transaction(async tx => {
      const id = await this.jobs.enqueue(tx, { kind: REENCRYPT_JOB, title, resource: KEYS_RESOURCE, params: datasets ? { datasets } : {}, createdBy: who.actor });
      await this.audit.record(tx, { ...who, action, resource: KEYS_RESOURCE, recordId: id, detail: { ...detail, job: id } });
      await this.db.notify(tx, KEYS_CHANNEL, this.protector.activeKeyId);
      return id;
    });
    this.jobs.wake();
    return jobId;
  }
}
