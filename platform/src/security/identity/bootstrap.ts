import fs from 'node:fs';
import path from 'node:path';
import { Database } from '../../database';
import { createUser } from './auth-service';
import type { AccessIntegrity } from './access-integrity';
import { randomPassword } from './password';

export const ADMINISTRATORS = [
  { username: 'sysadmin', displayName: '系统管理员', role: 'system-admin' },
  { username: 'secadmin', displayName: '安全管理员', role: 'security-admin' },
  { username: 'auditor', displayName: '安全审计员', role: 'auditor' },
] as const;

/**
 * First start only: the three administrators of 三员分立, with random passwords written once to
 * a 0600 file in the data directory and printed once (no default passwords anywhere). They must
 * change them at first sign-in. LINGSHU_ADMIN_PASSWORD sets a known password (tests, demos).
 */
export async function ensureAdministrators(
  db: Database,
  options: { dataDir?: string; adminPassword?: string; log: (line: string) => void; integrity: AccessIntegrity },
): Promise<void> {
  const [any] = await db.query('SELECT 1 FROM app_user LIMIT 1');
  if (any) return;
  const lines: string[] = [];
  for (const admin of ADMINISTRATORS) {
    const password = options.adminPassword ?? randomPassword();
    await createUser(db, { username: admin.username, displayName: admin.displayName, password, mustChange: !options.adminPassword, roles: [admin.role] }, options.integrity);
    lines.push(`${admin.username}\t${admin.role}\t${password}`);
  }
  if (options.adminPassword) {
    options.log('administrators sysadmin, secadmin, auditor created with LINGSHU_ADMIN_PASSWORD');
    return;
  }
  const text = `# Lingshu initial administrator passwords (change at first sign-in, then delete this file)\n${lines.join('\n')}\n`;
  if (options.dataDir && options.dataDir !== 'memory') {
    const file = path.join(options.dataDir, 'initial-admin-passwords.txt');
    fs.mkdirSync(options.dataDir, { recursive: true });
    fs.writeFileSync(file, text, { mode: 0o600 });
    options.log(`administrators created; their one-time passwords are in ${file} (mode 0600):`);
  } else {
    options.log('administrators created with one-time passwords:');
  }
  for (const line of lines) options.log(`  ${line.replace(/\t/g, '  ')}`);
}
