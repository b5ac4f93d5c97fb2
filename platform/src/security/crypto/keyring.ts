import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { SchemaStep } from '../../database/schema';
import type { Database, Queryable } from '../../database/types';
import { CryptoError } from './errors';
import { FieldCipher, keyIdOf } from './field-cipher';
import { generateSm2KeyPair, Sm2KeyPair } from './sm2';
import { deriveKey } from './sm3';

export const MASTER_KEY_ENV = 'LINGSHU_MASTER_KEY';
export const MASTER_KEY_FILE = 'master.key';
const KEY_BYTES = 32;
/** The key id wrapped keys carry: the FieldCipher construction with the master key as data key. */
const MASTER_KEY_ID = 'master';
const KEYRING_LOCK = 7340030;
const PURPOSE = /^[A-Za-z0-9._:-]{1,40}$/;

export type MasterKeySource = 'env' | 'file' | 'ephemeral';
/** The 32-byte master key, tagged with where it came from. */
export type MasterKey = Buffer & {
  readonly source: MasterKeySource;
  /** True when it exists only in this process: whatever it protects is unreadable after exit. */
  readonly ephemeral: boolean;
};

export const CRYPTO_SCHEMA_STEPS: SchemaStep[] = [
  {
    id: 30,
    name: 'crypto keys',
    sql: [
      `CREATE TABLE crypto_key (
        id varchar(40) PRIMARY KEY,
        purpose varchar(40) NOT NULL,
        wrapped text NOT NULL,
        status varchar(20) NOT NULL,
        created_at timestamp NOT NULL
      )`,
      `CREATE UNIQUE INDEX crypto_key_active ON crypto_key (purpose) WHERE status = 'active'`,
    ],
  },
];

/**
 * LINGSHU_MASTER_KEY (64 hex characters) wins; else `<dataDir>/master.key`, created with 32
 * random bytes and mode 0600 when absent; else ('memory' or no dataDir) an ephemeral key.
 */
export function loadMasterKey(options: { env?: NodeJS.ProcessEnv; dataDir?: string } = {}): MasterKey {
  const fromEnv = (options.env ?? process.env)[MASTER_KEY_ENV]?.trim();
  if (fromEnv) return masterKey(parseHexKey(fromEnv, MASTER_KEY_ENV), 'env');
  const { dataDir } = options;
  if (dataDir === undefined || dataDir === 'memory') return masterKey(randomBytes(KEY_BYTES), 'ephemeral');
  return masterKey(readOrCreateKeyFile(join(dataDir, MASTER_KEY_FILE)), 'file');
}

/** Encrypt-then-MAC under the master key; `context` (associated data) must match on unwrap. */
export function wrapKey(master: Uint8Array, dataKey: Uint8Array, context = ''): string {
  return new FieldCipher(MASTER_KEY_ID, master).encryptBytes(dataKey, context);
}

export function unwrapKey(master: Uint8Array, wrapped: string, context = ''): Buffer {
  try {
    return new FieldCipher(MASTER_KEY_ID, master).decryptBytes(wrapped, context);
  } catch (err) {
    throw new CryptoError('cannot unwrap key: wrong master key, wrong context or tampered data', { cause: err });
  }
}

interface KeyRow {
  id: string;
  purpose: string;
  wrapped: string;
}

interface StoredKey {
  purpose: string;
  key: Buffer;
  /** Set for SM2 key pairs, whose `key` is the private key. */
  publicKey?: string;
}

type KeyKind = 'data' | 'sm2';
const KIND_NAMES: Record<KeyKind, string> = { data: 'data keys', sm2: 'SM2 key pairs' };

/**
 * Data keys and signing keys in `crypto_key`, each wrapped under the master key with its id and
 * purpose as associated data (a row copied under another id fails). Data keys are stored as the
 * wrapped token; SM2 pairs as `sm2:<public key hex>:<wrapped private key>`. One key per purpose
 * is active; retired keys stay readable. Active ids are cached: call `refresh()` to see a
 * rotation made by another instance (until then this one keeps encrypting under the old key,
 * which stays decryptable).
 */
export class KeyRing {
  private readonly keys = new Map<string, StoredKey>();
  private readonly activeIds = new Map<string, string>();
  private readonly ciphers = new Map<string, FieldCipher>();

  private constructor(
    private readonly db: Database,
    private readonly master: Buffer,
  ) {}

  /** Fails fast when the master key does not match the keys already stored. */
  static async open(db: Database, master: Uint8Array): Promise<KeyRing> {
    if (master.length !== KEY_BYTES) throw new CryptoError(`master key must be ${KEY_BYTES} bytes`);
    const ring = new KeyRing(db, Buffer.from(master));
    const [row] = await db.query<KeyRow>('SELECT id, purpose, wrapped FROM crypto_key LIMIT 1');
    if (row) ring.keys.set(row.id, ring.unwrapRow(row));
    return ring;
  }

  /** The active data key of a purpose, created on first use. */
  async active(purpose: string): Promise<{ id: string; key: Buffer }> {
    const id = await this.activeId(purpose, 'data');
    return { id, key: (await this.load(id)).key };
  }

  async byId(id: string): Promise<Buffer> {
    return (await this.load(id)).key;
  }

  /** A new active key of the same kind; the previous one is retired but stays readable. */
  async rotate(purpose: string): Promise<string> {
    checkPurpose(purpose);
    const { id, stored } = await this.db.transaction(async tx => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [KEYRING_LOCK]);
      const [current] = await tx.query<KeyRow>(
        `SELECT id, purpose, wrapped FROM crypto_key WHERE purpose = $1 AND status = 'active'`,
        [purpose],
      );
      await tx.query(`UPDATE crypto_key SET status = 'retired' WHERE purpose = $1 AND status = 'active'`, [purpose]);
      return this.insertKey(tx, purpose, current?.wrapped.startsWith('sm2:') ? 'sm2' : 'data');
    });
    this.remember(id, stored);
    return id;
  }

  /** The cipher for new values of a purpose (its active key). */
  async fieldCipher(purpose: string): Promise<FieldCipher> {
    return this.cipher(await this.activeId(purpose, 'data'));
  }

  /** The cipher that can decrypt a token, whichever key (active or retired) it names. */
  async cipherFor(token: string): Promise<FieldCipher> {
    return this.cipher(keyIdOf(token));
  }

  /** The active SM2 key pair of a purpose, created on first use. */
  async signingKeyPair(purpose = 'audit-signing'): Promise<Sm2KeyPair & { id: string }> {
    const id = await this.activeId(purpose, 'sm2');
    const { key, publicKey } = await this.load(id);
    return { id, publicKey: publicKey!, privateKey: key.toString('hex') };
  }

  /** The public key of a (possibly retired) SM2 key, to verify old signatures. */
  async publicKey(id: string): Promise<string> {
    const { publicKey } = await this.load(id);
    if (!publicKey) throw new CryptoError(`key ${id} is not an SM2 key pair`);
    return publicKey;
  }

  /** An HMAC-SM3 key for a purpose, derived from its active data key; it changes on rotation. */
  async macKey(purpose: string): Promise<Buffer> {
    return deriveKey((await this.active(purpose)).key, 'lingshu-hmac');
  }

  /** Forgets cached active ids, to pick up rotations made by other instances. */
  refresh(): void {
    this.activeIds.clear();
  }

  private async activeId(purpose: string, kind: KeyKind): Promise<string> {
    const id = this.activeIds.get(purpose) ?? (await this.findOrCreateActive(purpose, kind));
    const held: KeyKind = this.keys.get(id)?.publicKey ? 'sm2' : 'data';
    if (held !== kind) throw new CryptoError(`purpose ${purpose} holds ${KIND_NAMES[held]}, not ${KIND_NAMES[kind]}`);
    return id;
  }

  private async findOrCreateActive(purpose: string, kind: KeyKind): Promise<string> {
    checkPurpose(purpose);
    const { id, stored } = await this.db.transaction(async tx => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [KEYRING_LOCK]);
      const [row] = await tx.query<KeyRow>(
        `SELECT id, purpose, wrapped FROM crypto_key WHERE purpose = $1 AND status = 'active'`,
        [purpose],
      );
      return row ? { id: row.id, stored: this.unwrapRow(row) } : this.insertKey(tx, purpose, kind);
    });
    // Remembered only after commit, so no value is ever encrypted under a key that was not stored.
    this.remember(id, stored);
    return id;
  }

  private async insertKey(tx: Queryable, purpose: string, kind: KeyKind): Promise<{ id: string; stored: StoredKey }> {
    const id = randomBytes(9).toString('base64url');
    const stored = kind === 'sm2' ? sm2Material(purpose) : { purpose, key: randomBytes(KEY_BYTES) };
    await tx.query(
      `INSERT INTO crypto_key (id, purpose, wrapped, status, created_at) VALUES ($1, $2, $3, 'active', now())`,
      [id, purpose, this.wrapStored(id, stored)],
    );
    return { id, stored };
  }

  private remember(id: string, stored: StoredKey): void {
    this.keys.set(id, stored);
    this.activeIds.set(stored.purpose, id);
  }

  private async load(id: string): Promise<StoredKey> {
    const cached = this.keys.get(id);
    if (cached) return cached;
    const [row] = await this.db.query<KeyRow>('SELECT id, purpose, wrapped FROM crypto_key WHERE id = $1', [id]);
    if (!row) throw new CryptoError(`unknown key ${id}`);
    const stored = this.unwrapRow(row);
    this.keys.set(id, stored);
    return stored;
  }

  private async cipher(id: string): Promise<FieldCipher> {
    let cipher = this.ciphers.get(id);
    if (!cipher) {
      cipher = new FieldCipher(id, (await this.load(id)).key);
      this.ciphers.set(id, cipher);
    }
    return cipher;
  }

  private wrapStored(id: string, { purpose, key, publicKey }: StoredKey): string {
    const wrapped = wrapKey(this.master, key, wrapContext(id, purpose, publicKey));
    return publicKey ? `sm2:${publicKey}:${wrapped}` : wrapped;
  }

  private unwrapRow({ id, purpose, wrapped }: KeyRow): StoredKey {
    const pair = /^sm2:([0-9a-fA-F]+):(.*)$/s.exec(wrapped);
    const publicKey = pair?.[1];
    try {
      const key = unwrapKey(this.master, pair ? pair[2] : wrapped, wrapContext(id, purpose, publicKey));
      return publicKey ? { purpose, key, publicKey } : { purpose, key };
    } catch (err) {
      throw new CryptoError(`key ${id} cannot be unwrapped: wrong master key or a tampered crypto_key row`, { cause: err });
    }
  }
}

/** Binds a wrapped key to its row: id, purpose and (for pairs) the public key it belongs with. */
function wrapContext(id: string, purpose: string, publicKey?: string): string {
  return publicKey ? `crypto_key:${id}:${purpose}:${publicKey}` : `crypto_key:${id}:${purpose}`;
}

function sm2Material(purpose: string): StoredKey {
  const { publicKey, privateKey } = generateSm2KeyPair();
  return { purpose, key: Buffer.from(privateKey, 'hex'), publicKey };
}

function checkPurpose(purpose: string): void {
  if (!PURPOSE.test(purpose)) throw new CryptoError('key purpose must be 1-40 characters of A-Z a-z 0-9 . _ : -');
}

function masterKey(key: Buffer, source: MasterKeySource): MasterKey {
  return Object.assign(key, { source, ephemeral: source === 'ephemeral' });
}

function parseHexKey(hex: string, where: string): Buffer {
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new CryptoError(`${where} must be 64 hex characters (32 bytes)`);
  return Buffer.from(hex, 'hex');
}

/** Accepts 32 raw bytes or 64 hex characters (for a key an operator wrote by hand). */
function readOrCreateKeyFile(path: string): Buffer {
  let content: Buffer;
  try {
    content = readFileSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    createKeyFile(path);
    content = readFileSync(path);
  }
  if (content.length === KEY_BYTES) return content;
  return parseHexKey(content.toString('latin1').trim(), path);
}

/**
 * Writes a temp file and hard-links it into place: atomic, so an instance starting alongside
 * never reads a half-written key, and an existing key is never replaced.
 */
function createKeyFile(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temp, randomBytes(KEY_BYTES), { mode: 0o600, flag: 'wx' });
  try {
    linkSync(temp, path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    unlinkSync(temp);
  }
}
