// From a validated OpenID Connect identity to an account here: found by the provider's subject,
// else linked to the account with the same verified e-mail address, else created (without a
// password). Roles follow the provider's groups at every sign-in; someone whose groups give no
// role anywhere, and who holds none from an administrator either, is refused.
import { createHash } from 'node:crypto';
import { CamauditError } from '../../core/errors.js';
import type { Store } from '../../store/database.js';
import { findOrganisation } from '../../store/organisations.js';
import { ssoGrantor, syncSsoRoles } from '../../store/sso-roles.js';
import { createUser, findUserByEmail, findUserByOidc, linkOidc, listMemberships, type User } from '../../store/users.js';
import type { OidcConfig } from '../config.js';
import { rolesForGroups } from './oidc-roles.js';
import type { Role } from './roles.js';

export interface OidcIdentity {
  issuer: string;
  subject: string;
  /** The address to know the person by; null when the provider sent none. */
  email: string | null;
  /** The provider vouches that the person controls `email`. */
  emailVerified: boolean;
  name: string | null;
  groups: readonly string[];
}

const NO_ACCESS = 'your account at the sign-in provider is in no group that gives access to an organisation here; ask an administrator to add you';

/** Role per organisation id; mappings naming an organisation that does not exist are skipped. */
async function wantedRoles(store: Store, oidc: OidcConfig, groups: readonly string[]): Promise<Map<string, Role>> {
  const wanted = new Map<string, Role>();
  for (const [slug, role] of rolesForGroups(oidc.roleMapping, groups)) {
    const org = await findOrganisation(store, slug);
    if (org) wanted.set(org.id, role);
  }
  return wanted;
}

async function linkOrCreate(store: Store, identity: OidcIdentity, mapsToSomething: boolean, now: string): Promise<User> {
  const by = { actor: ssoGrantor(identity.issuer), source: 'oidc' };
  const oidc = { issuer: identity.issuer, subject: identity.subject };
  if (!identity.email) throw new CamauditError('forbidden', 'the sign-in provider sent no e-mail address for your account; ask its administrator to release the email claim');
  const existing = await findUserByEmail(store, identity.email);
  if (existing) {
    // Linking hands the existing account, with its roles, to whoever the provider signed in.
    // Only a provider that vouches for the address (email_verified) may do that; otherwise
    // anyone able to type that address into their profile there would take the account over.
    if (!identity.emailVerified) {
      throw new CamauditError('conflict', `an account for ${existing.email} already exists here, and the sign-in provider does not confirm that this address is yours; ask an administrator`);
    }
    if (existing.oidcSubject !== null) {
      throw new CamauditError('conflict', `the account for ${existing.email} is already linked to another sign-in provider account`);
    }
    await linkOidc(store, by, existing.id, oidc, now);
    return { ...existing, oidcIssuer: oidc.issuer, oidcSubject: oidc.subject };
  }
  // Nobody gets an account who would have no role in it.
  if (!mapsToSomething) throw new CamauditError('forbidden', NO_ACCESS);
  // An address the provider does not vouch for is not given to the account: whoever typed it
  // into their profile there would otherwise hold it here, and an administrator who later gives
  // that address a role would give it to them. The account is known by its provider identity
  // (a reserved .invalid address) and shows the claimed address in its name.
  const email = identity.emailVerified ? identity.email : unverifiedAddress(identity);
  const displayName = identity.emailVerified ? identity.name ?? identity.email : `${identity.name ?? identity.email} (${identity.email}, not confirmed by the provider)`;
  return createUser(store, by, { email, displayName, oidc }, now);
}

/** The account the identity signs in to, with its SSO roles brought up to date; refuses when it may not sign in. */
export async function accountForIdentity(store: Store, oidc: OidcConfig, identity: OidcIdentity, now: string): Promise<User> {
  const wanted = await wantedRoles(store, oidc, identity.groups);
  const user = await findUserByOidc(store, identity.issuer, identity.subject) ?? await linkOrCreate(store, identity, wanted.size > 0, now);
  if (user.disabled) throw new CamauditError('forbidden', 'this account is disabled');
  await syncSsoRoles(store, user.id, identity.issuer, wanted, now);
  if ((await listMemberships(store, user.id)).length === 0) throw new CamauditError('forbidden', NO_ACCESS);
  return user;
}

/** A per-identity address under the reserved .invalid domain (RFC 2606): nobody can claim it. */
function unverifiedAddress(identity: OidcIdentity): string {
  return `sso-${createHash('sha256').update(`${identity.issuer}\n${identity.subject}`).digest('hex').slice(0, 24)}@sso.invalid`;
}
