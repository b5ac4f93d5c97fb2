/** Any failure to decrypt, authenticate or load key material. Messages never contain secrets. */
export class CryptoError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CryptoError';
  }
}
