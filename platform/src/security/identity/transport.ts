import { ApiError } from '../../util/errors';

/** How long an encrypted credential stays acceptable (replay window). */
const MAX_AGE_MS = 5 * 60_000;

export type Sm2Decrypt = (cipherHex: string) => string;

/**
 * The browser encrypts `{"password": …, "timestamp": ms}` with the server's SM2 public key
 * (C1C3C2), so no password crosses the wire in clear even behind a TLS-terminating gateway.
 */
export function openCredential(decrypt: Sm2Decrypt, cipherHex: unknown, field: string): string {
  const bad = (message: string) => new ApiError(400, 'BadRequest', `${field}: ${message}`, [{ field, rule: 'sm2-credential', message }]);
  if (typeof cipherHex !== 'string' || !/^[0-9a-fA-F]{200,4000}$/.test(cipherHex)) throw bad('must be SM2 ciphertext (hex, C1C3C2) of {"password","timestamp"}');
  let parsed: { password?: unknown; timestamp?: unknown };
  try {
    parsed = JSON.parse(decrypt(cipherHex));
  } catch {
    throw bad('cannot be decrypted with the server key; fetch GET /api/auth/public-key again');
  }
  if (typeof parsed.password !== 'string' || typeof parsed.timestamp !== 'number') throw bad('must hold a password string and a timestamp');
  if (Math.abs(Date.now() - parsed.timestamp) > MAX_AGE_MS) throw bad('is too old or from the future; encrypt it again');
  return parsed.password;
}
