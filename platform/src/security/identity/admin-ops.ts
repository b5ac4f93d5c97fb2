import { Platform } from '../../platform';
import { setPassword } from './auth-service';

/** Sets a user's password directly (operators' scripts and tests); the policy is not applied. */
export async function setUserPassword(platform: Platform, userId: string, password: string): Promise<void> {
  const user = await platform.security.users.byId(userId);
  if (!user) throw new Error(`no user ${userId}`);
  await setPassword(platform.db, user, password, false, platform.security.policy.passwordHistory);
}
