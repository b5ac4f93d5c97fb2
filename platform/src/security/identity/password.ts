import { pbkdf2, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { SecurityPolicy } from './policy';

const derive = promisify(pbkdf2);
const ITERATIONS = 200_000;
const SCHEME = 'pbkdf2-sm3';

/** PBKDF2 over HMAC-SM3 with a per-password salt, stored as scheme$iterations$salt$hash. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await derive(password.normalize('NFKC'), salt, ITERATIONS, 32, 'sm3');
  return `${SCHEME}$${ITERATIONS}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, iterations, salt, hash] = stored.split('$');
  if (scheme !== SCHEME || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await derive(password.normalize('NFKC'), Buffer.from(salt, 'base64'), Number(iterations), expected.length, 'sm3');
  return timingSafeEqual(actual, expected);
}

/** What is wrong with a proposed password under the policy (empty when it is acceptable). */
export function passwordProblems(password: string, policy: SecurityPolicy, username?: string): string[] {
  const problems: string[] = [];
  if ([...password].length < policy.passwordMinLength) problems.push(`must be at least ${policy.passwordMinLength} characters`);
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter(re => re.test(password)).length;
  if (classes < policy.passwordClasses) {
    problems.push(`must mix at least ${policy.passwordClasses} of: lower-case letters, upper-case letters, digits, symbols`);
  }
  if (username && password.toLowerCase().includes(username.toLowerCase())) problems.push('must not contain the user name');
  if (/[\u0000-\u001f\u007f]/.test(password)) problems.push('must not contain control characters');
  return problems;
}

/** A password that satisfies any policy up to 4 classes, for generated initial passwords. */
export function randomPassword(): string {
  const pick = (set: string, n: number) => Array.from(randomBytes(n), b => set[b % set.length]).join('');
  const chars = pick('abcdefghijkmnpqrstuvwxyz', 6) + pick('ABCDEFGHJKLMNPQRSTUVWXYZ', 4) + pick('23456789', 4) + pick('!@#%^*-_+=', 2);
  return [...chars].sort(() => randomBytes(1)[0] - 128).join('');
}
