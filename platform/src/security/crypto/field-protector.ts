import { BlindIndexer, deriveBlindIndexKey } from './blind-index';
import { CryptoError } from './errors';
import { FieldCipher } from './field-cipher';
import type { KeyRing } from './keyring';

/** Key-ring purposes of field encryption: the rotatable data key and the stable blind-index key. */
export const FIELD_KEY_PURPOSES = { encryption: 'field-encryption', blindIndex: 'field-blind-index' } as const;

const TOKEN = /^v1\.([A-Za-z0-9_-]{1,40})\.[A-Za-z0-9_-]+$/;

/** A token names a key this process has not loaded yet (rotated by another instance): load it and retry. */
export class MissingKeyError extends Error {
  constructor(readonly keyId: string) {
    super(`field key ${keyId} is not loaded`);
    this.name = 'MissingKeyError';
  }
}

/** Whether a stored value is a field token (and not plaintext written before its column was encrypted). */
export function isFieldToken(value: unknown): value is string {
  return typeof value === 'string' && TOKEN.test(value);
}

/**
 * Encryption at rest for the columns of encrypted data elements, synchronous on the request
 * path: the active cipher and every key met so far are held in memory. New values go under the
 * active key; any loaded key decrypts. The blind-index key is never rotated (that would mean
 * re-indexing every row), the encryption key is, by a re-encryption job.
 */
export class FieldProtector {
  private readonly ciphers = new Map<string, FieldCipher>();

  private constructor(
    private readonly keyring: KeyRing,
    private active: FieldCipher,
    private readonly indexer: BlindIndexer,
  ) {
    this.ciphers.set(active.keyId, active);
  }

  static async open(keyring: KeyRing): Promise<FieldProtector> {
    const active = await keyring.fieldCipher(FIELD_KEY_PURPOSES.encryption);
    const { key } = await keyring.active(FIELD_KEY_PURPOSES.blindIndex);
    return new FieldProtector(keyring, active, new BlindIndexer(deriveBlindIndexKey(key)));
  }

  get activeKeyId(): string {
    return this.active.keyId;
  }

  /** `place` binds the token to its column (dataset id / element id), so a token moved elsewhere fails. */
  encrypt(plaintext: string, place: string): string {
    return this.active.encrypt(plaintext, place);
  }

  /** Plaintext left from before the column was encrypted passes through until the job encrypts it. */
  decrypt(stored: string, place: string): string {
    // The hot path: read the key id by position; the full shape check only when no key matches.
    if (!stored.startsWith('v1.')) return stored;
    const keyId = stored.slice(3, stored.indexOf('.', 3));
    const cipher = this.ciphers.get(keyId);
    if (cipher) return cipher.decrypt(stored, place);
    if (!isFieldToken(stored)) return stored;
    throw new MissingKeyError(keyId);
  }

  /** Whether a stored value still needs (re-)encryption under the active key. */
  isStale(stored: unknown): boolean {
    return typeof stored === 'string' && !(isFieldToken(stored) && stored.startsWith(`v1.${this.active.keyId}.`));
  }

  index(plaintext: string): string {
    return this.indexer.index(plaintext);
  }

  async load(keyId: string): Promise<void> {
    if (this.ciphers.has(keyId)) return;
    try {
      this.ciphers.set(keyId, new FieldCipher(keyId, await this.keyring.byId(keyId)));
    } catch (err) {
      throw new CryptoError(`field key ${keyId} cannot be loaded`, { cause: err });
    }
  }

  /** Picks up a rotation (made here or by another instance). */
  async refresh(): Promise<void> {
    this.keyring.refresh();
    const active = await this.keyring.fieldCipher(FIELD_KEY_PURPOSES.encryption);
    this.active = active;
    this.ciphers.set(active.keyId, active);
  }

  /** A new active encryption key; stored values move to it through the re-encryption job. */
  async rotate(): Promise<string> {
    const id = await this.keyring.rotate(FIELD_KEY_PURPOSES.encryption);
    await this.refresh();
    return id;
  }
}
