/**
 * Keeping the in-memory mapping state of several platform processes on one database in step.
 * Every transaction that changes a vocabulary, the knowledge base or the entries' mappings also
 * NOTIFYs `lingshu_mapping` (delivered at commit); the other processes read the changed rows
 * back, so a confirmation made through one process counts in the suggestions and translations of
 * all of them within milliseconds, not at their next start.
 */
import type { Database, Queryable } from '../database/types';

export const MAPPING_CHANNEL = 'lingshu_mapping';

/** What changed: a vocabulary (created, re-imported, re-configured or deleted), knowledge rows, or entries of a dictionary. */
export type MappingChange =
  | { kind: 'vocabulary'; code: string }
  | { kind: 'knowledge'; ids: string[] }
  /** `codes` absent: any entry of the dictionary (a load, a deletion, a large batch). */
  | { kind: 'entries'; dictionaryId: string; codes?: string[] };

/** NOTIFY payloads stay well below PostgreSQL's 8,000 bytes. */
const MAX_IDS = 100;

export class MappingSync {
  constructor(
    private readonly db: Database,
    /** This process's id: its own notifications are not applied twice. */
    private readonly origin: string,
  ) {}

  /** Announces a change inside `tx`; other processes hear it when `tx` commits. */
  async announce(tx: Queryable, change: MappingChange): Promise<void> {
    if (change.kind === 'knowledge') {
      for (let i = 0; i < change.ids.length; i += MAX_IDS) await this.send(tx, { kind: 'knowledge', ids: change.ids.slice(i, i + MAX_IDS) });
    } else if (change.kind === 'entries' && change.codes && (change.codes.length > MAX_IDS || change.codes.join('').length > 4000)) {
      await this.send(tx, { kind: 'entries', dictionaryId: change.dictionaryId });
    } else if (change.kind !== 'entries' || change.codes === undefined || change.codes.length > 0) {
      await this.send(tx, change);
    }
  }

  /** Applies other processes' changes as they arrive (errors are logged, never thrown). */
  async listen(apply: (change: MappingChange) => Promise<void>): Promise<void> {
    await this.db.listen(MAPPING_CHANNEL, payload => {
      let message: MappingChange & { origin?: string };
      try {
        message = JSON.parse(payload);
      } catch {
        return;
      }
      if (message.origin === this.origin) return;
      apply(message).catch(err => console.error(`[lingshu] mapping sync failed: ${(err as Error).message}`));
    });
  }

  private async send(tx: Queryable, change: MappingChange): Promise<void> {
    await this.db.notify(tx, MAPPING_CHANNEL, JSON.stringify({ origin: this.origin, ...change }));
  }
}
