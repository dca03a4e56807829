// The demo's administrator account, so `npm start` leads straight to a sign-in that works. The
// password comes from CAMAUDIT_DEMO_PASSWORD or is made up afresh on every start and printed.
import { randomBytes } from 'node:crypto';
import { hashPassword, passwordProblem } from '../server/auth/passwords.js';
import type { Store } from '../store/database.js';
import type { TenantScope } from '../store/tenant.js';
import { createUser, findUserByEmail, grantRole, setPasswordHash } from '../store/users.js';
import { CamauditError } from '../core/errors.js';

export const DEMO_ADMIN_EMAIL = 'demo@lindeveld.example';

export async function ensureDemoAccount(store: Store, scope: TenantScope, password: string | undefined, now: string): Promise<{ email: string; password: string }> {
  const chosen = password ?? randomBytes(12).toString('base64url');
  const problem = passwordProblem(chosen, DEMO_ADMIN_EMAIL);
  if (problem) throw new CamauditError('usage', `CAMAUDIT_DEMO_PASSWORD: ${problem}`);
  const hash = await hashPassword(chosen);
  const existing = await findUserByEmail(store, DEMO_ADMIN_EMAIL);
  const user = existing ?? (await createUser(store, scope, { email: DEMO_ADMIN_EMAIL, displayName: 'Demo beheerder', passwordHash: hash }, now));
  if (existing) await setPasswordHash(store, scope, existing.id, hash, now);
  await grantRole(store, scope, user.id, 'admin', now);
  return { email: DEMO_ADMIN_EMAIL, password: chosen };
}
