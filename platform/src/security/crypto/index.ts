export { CryptoError } from './errors';
export { deriveKey, hmacSm3, sm3, sm3Hex, timingSafeEqualHex } from './sm3';
export {
  generateSm2KeyPair,
  SM2_DEFAULT_USER_ID,
  type Signer,
  sm2Decrypt,
  sm2Encrypt,
  type Sm2KeyPair,
  type Sm2Options,
  sm2Sign,
  type Sm2SignOptions,
  sm2Signer,
  sm2Verify,
} from './sm2';
export { FIELD_KEY_LABELS, FIELD_TOKEN_VERSION, FieldCipher, keyIdOf } from './field-cipher';
export { BLIND_INDEX_LABEL, BlindIndexer, blindIndex, deriveBlindIndexKey, normalizeForIndex } from './blind-index';
export { HmacSm3 } from './hmac-sm3';
export {
  CRYPTO_SCHEMA_STEPS,
  KeyRing,
  loadMasterKey,
  MASTER_KEY_ENV,
  MASTER_KEY_FILE,
  type MasterKey,
  type MasterKeySource,
  unwrapKey,
  wrapKey,
} from './keyring';
export { FIELD_KEY_PURPOSES, FieldProtector, isFieldToken, MissingKeyError } from './field-protector';
