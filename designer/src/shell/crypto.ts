import { sm2 } from 'sm-crypto-v2';
import { api } from './api';

interface PublicKey {
  algorithm: 'SM2';
  cipherMode: 'C1C3C2';
  publicKey: string;
}

/** SM2-encrypts `{password, timestamp}` under the server's transport key (C1C3C2, hex), as the sign-in API expects. */
export async function credentialEncryptor(): Promise<(password: string) => string> {
  const key = await api.get<PublicKey>('/api/auth/public-key');
  return password => sm2.doEncrypt(JSON.stringify({ password, timestamp: Date.now() }), key.publicKey, 1);
}
