import { sm2 } from 'sm-crypto-v2';
import { Platform, createUser } from '@lingshu/platform';
import { client } from './http';

/** Encrypts a password the way the browser does: SM2 (C1C3C2) over {password, timestamp}. */
export function encryptCredential(publicKey: string, password: string): string {
  return sm2.doEncrypt(JSON.stringify({ password, timestamp: Date.now() }), publicKey, 1);
}

export async function signIn(baseUrl: string, username: string, password: string) {
  const api = client(baseUrl);
  const { body: key } = await api.get('/api/auth/public-key');
  const res = await api.post('/api/auth/login', { username, encryptedPassword: encryptCredential(key.publicKey, password) });
  if (res.status !== 200) throw new Error(`sign-in of ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { token: res.body.token as string, user: res.body.user, api: client(baseUrl, res.body.token) };
}

export const TEST_PASSWORD = 'Lingshu#2026test';

/** Creates an account with the given roles (if missing) and signs it in. */
export async function userApi(platform: Platform, username: string, roles: string[], orgCode: string | null = null) {
  if (!(await platform.security.users.byUsername(username))) {
    await createUser(platform.db, { username, displayName: username, orgCode, password: TEST_PASSWORD, mustChange: false, roles }, platform.security.integrity);
  }
  return (await signIn(platform.url, username, TEST_PASSWORD)).api;
}
