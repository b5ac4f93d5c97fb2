import { KeyObject } from 'node:crypto';

/** The MAC key: a secret of at least 16 bytes. */
export type MacKey = Uint8Array | KeyObject;

/** SM2 signing as the crypto module provides it (sign returns hex r ‖ s). */
export interface Signer {
  readonly publicKey: string;
  sign(data: string | Uint8Array): string;
  verify(data: string | Uint8Array, signature: string): boolean;
}

/** Checking checkpoints needs only a signer's public half. */
export type SignatureVerifier = Pick<Signer, 'publicKey' | 'verify'>;

/** What verification needs: the MAC key, and the public half of the checkpoint key(s). */
export interface AuditVerifyKeys {
  macKey: MacKey;
  signer: SignatureVerifier;
  /** Earlier signing keys whose checkpoints are still trusted (after a key rotation). */
  retiredSigners?: SignatureVerifier[];
}

/** What the sealer needs: the same, with the private half to sign new checkpoints. */
export interface AuditKeys extends AuditVerifyKeys {
  signer: Signer;
}

export type FindingKind = 'modified' | 'forged' | 'deleted' | 'chain-break' | 'checkpoint-invalid';

/** One problem, located by seq. `detail` never quotes row content. */
export interface AuditFinding {
  kind: FindingKind;
  seq: number;
  /** For a range (rows missing between two survivors): the last seq of the range. */
  toSeq?: number;
  detail: string;
}
