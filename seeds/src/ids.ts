import { createHash } from 'node:crypto';

/**
 * Namespace UUID of Lingshu seed items (RFC 4122 §4.3 name-based ids are SHA-1 of namespace + name).
 * Never change it: every seeded id is derived from it, and a change would orphan stored metadata.
 */
export const LINGSHU_SEED_NAMESPACE = '6f1e2a4c-9d3b-5e7a-8c10-2b4d6f8a0c1e';

function uuidBytes(uuid: string): Buffer {
  return Buffer.from(uuid.replace(/-/g, ''), 'hex');
}

const NAMESPACE_BYTES = uuidBytes(LINGSHU_SEED_NAMESPACE);

/** Formats 16 bytes as a lower-case 8-4-4-4-12 UUID string. */
function formatUuid(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** An RFC 4122 version-5 UUID of `name` in the given namespace UUID. */
export function uuidV5(name: string, namespace: string = LINGSHU_SEED_NAMESPACE): string {
  const ns = namespace === LINGSHU_SEED_NAMESPACE ? NAMESPACE_BYTES : uuidBytes(namespace);
  const digest = createHash('sha1').update(ns).update(name, 'utf8').digest();
  const bytes = digest.subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50; // version 5
  bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 4122 variant
  return formatUuid(bytes);
}

/**
 * The stable internal id of a seeded metadata item. It depends on the kind, namespace and scoped
 * identifier only (not on version or name), so seeding twice, or seeding a later version of the
 * same item, yields the same id.
 */
export function stableId(kind: string, namespace: string, identifier: string): string {
  return uuidV5(`${kind}\u001f${namespace}\u001f${identifier}`);
}
