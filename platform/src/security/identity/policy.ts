import { Queryable } from '../../database';

/** Security policy (安全策略): set by the security administrator, read on every login. */
export interface SecurityPolicy {
  passwordMinLength: number;
  /** How many of the four classes (lower, upper, digit, symbol) a password needs. */
  passwordClasses: number;
  /** A new password may not repeat any of the last N. */
  passwordHistory: number;
  /** Days before a password must be changed; 0 never. */
  passwordMaxAgeDays: number;
  lockoutThreshold: number;
  lockoutMinutes: number;
  idleMinutes: number;
  /** Absolute session lifetime. */
  sessionHours: number;
}

export const DEFAULT_POLICY: SecurityPolicy = {
  passwordMinLength: 8,
  passwordClasses: 3,
  passwordHistory: 5,
  passwordMaxAgeDays: 90,
  lockoutThreshold: 5,
  lockoutMinutes: 15,
  idleMinutes: 30,
  sessionHours: 12,
};

const KEY = 'security-policy';

export async function loadPolicy(q: Queryable): Promise<SecurityPolicy> {
  const [row] = await q.query<{ value: Partial<SecurityPolicy> }>('SELECT value FROM platform_setting WHERE key = $1', [KEY]);
  return { ...DEFAULT_POLICY, ...(row?.value ?? {}) };
}

export async function savePolicy(q: Queryable, policy: SecurityPolicy): Promise<void> {
  const [updated] = await q.query('UPDATE platform_setting SET value = $2, updated_at = now() WHERE key = $1 RETURNING key', [KEY, JSON.stringify(policy)]);
  if (!updated) await q.query('INSERT INTO platform_setting (key, value, updated_at) VALUES ($1, $2, now())', [KEY, JSON.stringify(policy)]);
}

/** Problems with a proposed policy, as field → message. */
export function policyProblems(p: Record<string, unknown>): Array<{ field: string; message: string }> {
  const ranges: Record<keyof SecurityPolicy, [number, number]> = {
    passwordMinLength: [8, 128],
    passwordClasses: [1, 4],
    passwordHistory: [0, 24],
    passwordMaxAgeDays: [0, 3650],
    lockoutThreshold: [1, 100],
    lockoutMinutes: [1, 1440],
    idleMinutes: [1, 1440],
    sessionHours: [1, 168],
  };
  const problems: Array<{ field: string; message: string }> = [];
  for (const [field, [min, max]] of Object.entries(ranges)) {
    const v = p[field];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) problems.push({ field, message: `must be an integer from ${min} to ${max}` });
  }
  for (const field of Object.keys(p)) if (!(field in ranges)) problems.push({ field, message: 'is not a policy setting' });
  return problems;
}
