// Organisations one may work in, the people in an organisation with their roles, API tokens, and
// the organisation's settings (its interface theme, and how single sign-on gives roles in it).
// Only an organisation's administrators manage its members, tokens and settings.
import { z } from 'zod';
import { CamauditError } from '../../core/errors.js';
import { FIELD_GROUPS, PUBLICATION_LEVELS, type FieldGroup } from '../../core/model.js';
import { createApiToken, listApiTokens, MAX_TOKEN_DAYS, revokeApiToken, type ApiToken } from '../../store/api-tokens.js';
import {
  getOrganisationPublication, getOrganisationTheme, listOrganisations, ORGANISATION_THEMES, organisationThemes, setOrganisationPublication,
  setOrganisationTheme,
} from '../../store/organisations.js';
import type { TenantScope } from '../../store/tenant.js';
import { createUser, findUserByEmail, grantRole, listMembers, revokeRole } from '../../store/users.js';
import { roleIn } from '../auth/principal.js';
import { ROLES } from '../auth/roles.js';
import type { ServerContext } from '../context.js';
import { route, type RouteSpec } from '../route.js';

const Id = z.object({ id: z.string().min(1).max(64) }).strict();

/**
 * What an administrator may know of single sign-on for their organisation: the provider, the
 * claim read, and which groups give which role here. Never the client secret, and not the
 * mappings of other organisations (those would name their groups).
 */
function ssoView(ctx: ServerContext, slug: string) {
  const oidc = ctx.config.oidc;
  if (!oidc) return null;
  return {
    issuer: oidc.issuer, clientId: oidc.clientId, groupsClaim: oidc.groupsClaim,
    roleMapping: oidc.roleMapping.filter((m) => m.org === slug).map((m) => ({ group: m.group, role: m.role })),
  };
}

const Level = z.enum(PUBLICATION_LEVELS);
/** Field group → publication level: who outside the organisation may see that group of fields. */
const Publication = z.strictObject(Object.fromEntries(FIELD_GROUPS.map((g) => [g, Level])) as Record<FieldGroup, typeof Level>);

const SettingsView = z.object({
  theme: z.enum(ORGANISATION_THEMES),
  themes: z.array(z.enum(ORGANISATION_THEMES)),
  publication: Publication,
  publicationLevels: z.array(Level),
  sso: z.object({
    issuer: z.string(), clientId: z.string(), groupsClaim: z.string(),
    roleMapping: z.array(z.object({ group: z.string(), role: z.enum(ROLES) })),
  }).nullable(),
});

const tokenView = (t: ApiToken) => ({
  id: t.id, name: t.name, role: t.role, createdBy: t.createdBy, createdAt: t.createdAt, expiresAt: t.expiresAt,
  lastUsedAt: t.lastUsedAt, revokedAt: t.revokedAt,
});

const SettingsChange = z.strictObject({
  theme: z.enum(ORGANISATION_THEMES).optional(),
  /** Only the groups to change; the others keep their level. */
  publication: Publication.partial().optional(),
});

async function settingsView(ctx: ServerContext, scope: TenantScope, slug: string) {
  return {
    theme: await getOrganisationTheme(ctx.store, scope), themes: [...ORGANISATION_THEMES],
    publication: await getOrganisationPublication(ctx.store, scope), publicationLevels: [...PUBLICATION_LEVELS],
    sso: ssoView(ctx, slug),
  };
}

export function accessRoutes(): RouteSpec[] {
  return [
    route({
      method: 'GET', url: '/api/v1/organisations', summary: 'The organisations the caller holds a role in', tags: ['organisations'], auth: 'signed-in',
      handler: async ({ ctx, principal }) => {
        const all = await listOrganisations(ctx.store);
        const themes = await organisationThemes(ctx.store);
        const items = all.flatMap((o) => {
          const role = roleIn(principal!, o.id);
          return role ? [{ slug: o.slug, name: o.name, cbsCode: o.cbsCode, role, theme: themes.get(o.id) ?? ORGANISATION_THEMES[0] }] : [];
        });
        return { items, nextCursor: null };
      },
    }),
    route({
      method: 'GET', url: '/api/v1/organisations/:org/settings', tags: ['organisations'],
      summary: 'The organisation\'s settings: interface theme, publication level per field group, and single sign-on as it applies here',
      auth: { org: 'admin' }, response: SettingsView,
      handler: async ({ ctx, org, scope }) => settingsView(ctx, scope, org.slug),
    }),
    route({
      method: 'PUT', url: '/api/v1/organisations/:org/settings', tags: ['organisations'],
      summary: 'Change the organisation\'s interface theme and/or the publication level of field groups (each change recorded in its audit trail)',
      auth: { org: 'admin' }, response: SettingsView, body: SettingsChange,
      handler: async ({ ctx, org, scope, body }) => {
        if (body.theme === undefined && (body.publication === undefined || Object.keys(body.publication).length === 0)) {
          throw new CamauditError('invalid_input', 'give a theme or at least one publication level to set');
        }
        const now = ctx.now();
        if (body.theme !== undefined) await setOrganisationTheme(ctx.store, scope, body.theme, now);
        if (body.publication !== undefined) await setOrganisationPublication(ctx.store, scope, body.publication, now);
        return settingsView(ctx, scope, org.slug);
      },
    }),
    route({
      method: 'GET', url: '/api/v1/organisations/:org/members', summary: 'People with a role in the organisation', tags: ['organisations'],
      auth: { org: 'admin' },
      handler: async ({ ctx, scope }) => {
        const now = ctx.now();
        return {
        items: (await listMembers(ctx.store, scope)).map((m) => ({
          userId: m.user.id, email: m.user.email, displayName: m.user.displayName, role: m.role, grantedAt: m.grantedAt,
          grantedBy: m.grantedBy, password: m.user.hasPassword, sso: m.user.oidcSubject !== null, locked: m.user.lockedUntil !== null && m.user.lockedUntil > now,
        })),
        nextCursor: null,
        };
      },
    }),
    route({
      method: 'PUT', url: '/api/v1/organisations/:org/members', summary: 'Give a person a role in the organisation (an account without a password is made when new)', tags: ['organisations'],
      auth: { org: 'admin' },
      body: z.object({ email: z.string().max(320), role: z.enum(ROLES), displayName: z.string().max(200).optional() }).strict(),
      handler: async ({ ctx, scope, body }) => {
        const now = ctx.now();
        // Accounts are the server's, not an organisation's: an organisation's administrator who
        // could set the password of a new account could later sign in as that person in every
        // organisation that gives the address a role. So a new account has no password: the
        // person signs in through single sign-on, or the server's operator sets one
        // (`camaudit users password`).
        const user = await findUserByEmail(ctx.store, body.email)
          ?? await createUser(ctx.store, scope, { email: body.email, displayName: body.displayName ?? body.email, passwordHash: null }, now);
        await grantRole(ctx.store, scope, user.id, body.role, now);
        return { userId: user.id, email: user.email, role: body.role, password: user.hasPassword };
      },
    }),
    route({
      method: 'DELETE', url: '/api/v1/organisations/:org/members/:id', summary: 'Remove a person\'s role in the organisation', tags: ['organisations'],
      auth: { org: 'admin' }, params: Id, status: 204, raw: true,
      handler: async ({ ctx, scope, params, reply }) => {
        await revokeRole(ctx.store, scope, params.id, ctx.now());
        void reply.code(204).send();
      },
    }),
    route({
      method: 'GET', url: '/api/v1/organisations/:org/tokens', summary: 'API tokens of the organisation (never their secret)', tags: ['organisations'],
      auth: { org: 'admin' },
      handler: async ({ ctx, scope }) => ({ items: (await listApiTokens(ctx.store, scope)).map(tokenView), nextCursor: null }),
    }),
    route({
      method: 'POST', url: '/api/v1/organisations/:org/tokens', summary: 'Create an API token; its secret is shown in this answer only', tags: ['organisations'],
      auth: { org: 'admin' }, status: 201,
      body: z.object({ name: z.string().min(1).max(100), role: z.enum(ROLES), days: z.number().int().min(1).max(MAX_TOKEN_DAYS).default(90) }).strict(),
      handler: async ({ ctx, scope, body }) => {
        const now = ctx.now();
        const expiresAt = new Date(Date.parse(now) + body.days * 86_400_000).toISOString();
        const { token, record } = await createApiToken(ctx.store, scope, { name: body.name, role: body.role, expiresAt }, now);
        return { ...tokenView(record), token };
      },
    }),
    route({
      method: 'DELETE', url: '/api/v1/organisations/:org/tokens/:id', summary: 'Revoke an API token at once', tags: ['organisations'],
      auth: { org: 'admin' }, params: Id,
      handler: async ({ ctx, scope, params }) => tokenView(await revokeApiToken(ctx.store, scope, params.id, ctx.now())),
    }),
  ];
}
