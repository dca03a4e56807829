import { newId } from './ids.js';
import { CamauditError } from '../core/errors.js';
import {
  DEFAULT_PUBLICATION, FIELD_GROUPS, PUBLICATION_LEVELS, type BBox, type FieldGroup, type Organisation, type PublicationPolicy,
} from '../core/model.js';
import { appendAuditEntry, createChainHead, lockChainHead } from './audit.js';
import type { Store } from './database.js';
import { organisationFromRow } from './rows.js';
import type { TenantScope } from './tenant.js';

export interface NewOrganisation {
  slug: string;
  name: string;
  cbsCode?: string | null;
  country?: string;
  area?: BBox | null;
  publication?: PublicationPolicy;
}

// Organisations are the tenants themselves, so these functions are the only ones without a scope.
// Creating and deleting one are server events: they go on the server chain of the audit trail.

/** Who creates or deletes an organisation, and through what. */
export interface Acting {
  actor: string;
  source: string;
}

/** The software itself: the default organisation a fresh database creates for its first command. */
const SYSTEM: Acting = Object.freeze({ actor: 'system', source: 'camaudit' });

export async function findOrganisation(store: Store, slug: string): Promise<Organisation | null> {
  const row = await store.db.selectFrom('organisations').selectAll().where('slug', '=', slug).executeTakeFirst();
  return row ? organisationFromRow(row) : null;
}

export async function listOrganisations(store: Store): Promise<Organisation[]> {
  const rows = await store.db.selectFrom('organisations').selectAll().orderBy('slug').execute();
  return rows.map(organisationFromRow);
}

export async function createOrganisation(store: Store, org: NewOrganisation, now: string, by: Acting = SYSTEM): Promise<Organisation> {
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(org.slug)) {
    throw new CamauditError('usage', `organisation slug "${org.slug}" must be lower-case letters, digits and dashes`);
  }
  if (org.cbsCode && !/^GM\d{4}$/.test(org.cbsCode)) {
    throw new CamauditError('usage', `CBS code "${org.cbsCode}" must look like GM0344`);
  }
  if (await findOrganisation(store, org.slug)) {
    throw new CamauditError('conflict', `organisation "${org.slug}" already exists`);
  }
  const row = {
    id: newId(),
    slug: org.slug,
    name: org.name,
    cbs_code: org.cbsCode ?? null,
    country: org.country ?? 'NL',
    area_json: org.area ? JSON.stringify(org.area) : null,
    publication_json: JSON.stringify(org.publication ?? DEFAULT_PUBLICATION),
    created_at: now,
    theme: null,
  };
  const created = organisationFromRow(row);
  await store.db.transaction().execute(async (trx) => {
    await trx.insertInto('organisations').values(row).execute();
    await createChainHead(trx, row.id);
    await appendAuditEntry(trx, { orgId: null, ...by }, {
      action: 'create', entityType: 'organisation', entityId: row.id,
      after: { slug: created.slug, name: created.name, cbsCode: created.cbsCode, country: created.country },
    }, now);
  });
  return created;
}

/**
 * Deletes an organisation with everything it holds, its audit chain included (the triggers let
 * entries go only this way). The server chain keeps the deletion with the chain's final head, so
 * an export of the chain taken earlier can still be checked against it.
 */
export async function deleteOrganisation(store: Store, slug: string, by: Acting, now: string): Promise<void> {
  const org = await findOrganisation(store, slug);
  if (!org) throw new CamauditError('not_found', `no organisation "${slug}"`);
  await store.db.transaction().execute(async (trx) => {
    const head = await lockChainHead(trx, org.id);
    await appendAuditEntry(trx, { orgId: null, ...by }, {
      action: 'delete', entityType: 'organisation', entityId: org.id,
      before: { slug: org.slug, name: org.name, cbsCode: org.cbsCode, auditEntries: head.entries, auditLastHash: head.lastHash },
    }, now);
    await trx.deleteFrom('organisations').where('id', '=', org.id).execute();
  });
}

/**
 * The web application's themes an organisation can choose (the same list as web/src/themes.ts):
 * camaudit's own colours, the NL Design System example theme, and high contrast.
 */
export const ORGANISATION_THEMES = ['camaudit', 'voorbeeld', 'contrast'] as const;
export type OrganisationTheme = (typeof ORGANISATION_THEMES)[number];
export const DEFAULT_THEME: OrganisationTheme = 'camaudit';

function themeOf(stored: string | null | undefined): OrganisationTheme {
  return (ORGANISATION_THEMES as readonly string[]).includes(stored ?? '') ? (stored as OrganisationTheme) : DEFAULT_THEME;
}

/** The theme of each organisation, by id (every organisation, the default where none was chosen). */
export async function organisationThemes(store: Store): Promise<Map<string, OrganisationTheme>> {
  const rows = await store.db.selectFrom('organisations').select(['id', 'theme']).execute();
  return new Map(rows.map((r) => [r.id, themeOf(r.theme)]));
}

export async function getOrganisationTheme(store: Store, scope: TenantScope): Promise<OrganisationTheme> {
  const row = await store.db.selectFrom('organisations').select('theme').where('id', '=', scope.orgId).executeTakeFirst();
  if (!row) throw new CamauditError('not_found', `no organisation ${scope.orgId}`);
  return themeOf(row.theme);
}

/** Sets the organisation's theme; the change goes on the organisation's own audit chain. */
export async function setOrganisationTheme(store: Store, scope: TenantScope, theme: OrganisationTheme, now: string): Promise<void> {
  if (!(ORGANISATION_THEMES as readonly string[]).includes(theme)) {
    throw new CamauditError('invalid_input', `theme "${String(theme)}" is not one of ${ORGANISATION_THEMES.join(', ')}`);
  }
  await store.db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('organisations').select('theme').where('id', '=', scope.orgId).executeTakeFirst();
    if (!before) throw new CamauditError('not_found', `no organisation ${scope.orgId}`);
    if (themeOf(before.theme) === theme) return;
    await trx.updateTable('organisations').set({ theme }).where('id', '=', scope.orgId).execute();
    await appendAuditEntry(trx, scope, {
      action: 'update', entityType: 'organisation', entityId: scope.orgId, before: { theme: themeOf(before.theme) }, after: { theme },
    }, now);
  });
}

/** The stored policy with every group present: groups missing from an older record keep the default. */
function publicationOf(stored: string): PublicationPolicy {
  return { ...DEFAULT_PUBLICATION, ...(JSON.parse(stored) as Partial<PublicationPolicy>) };
}

export async function getOrganisationPublication(store: Store, scope: TenantScope): Promise<PublicationPolicy> {
  const row = await store.db.selectFrom('organisations').select('publication_json').where('id', '=', scope.orgId).executeTakeFirst();
  if (!row) throw new CamauditError('not_found', `no organisation ${scope.orgId}`);
  return publicationOf(row.publication_json);
}

/**
 * Sets the publication level of the field groups given; the others keep theirs. The groups that
 * change go on the organisation's own audit chain, before and after; a change to nothing records
 * nothing. Returns the policy now in force.
 */
export async function setOrganisationPublication(
  store: Store, scope: TenantScope, change: Partial<PublicationPolicy>, now: string,
): Promise<PublicationPolicy> {
  for (const [group, level] of Object.entries(change)) {
    if (!(FIELD_GROUPS as readonly string[]).includes(group)) {
      throw new CamauditError('invalid_input', `"${group}" is not a field group (${FIELD_GROUPS.join(', ')})`);
    }
    if (!(PUBLICATION_LEVELS as readonly string[]).includes(level)) {
      throw new CamauditError('invalid_input', `${group}: "${String(level)}" is not a publication level (${PUBLICATION_LEVELS.join(', ')})`);
    }
  }
  return store.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('organisations').select('publication_json').where('id', '=', scope.orgId).executeTakeFirst();
    if (!row) throw new CamauditError('not_found', `no organisation ${scope.orgId}`);
    const current = publicationOf(row.publication_json);
    const changed = FIELD_GROUPS.filter((g) => change[g] !== undefined && change[g] !== current[g]);
    if (changed.length === 0) return current;
    const next: PublicationPolicy = { ...current, ...change };
    const pick = (policy: PublicationPolicy) => Object.fromEntries(changed.map((g: FieldGroup) => [g, policy[g]]));
    await trx.updateTable('organisations').set({ publication_json: JSON.stringify(next) }).where('id', '=', scope.orgId).execute();
    await appendAuditEntry(trx, scope, {
      action: 'update', entityType: 'organisation', entityId: scope.orgId, before: { publication: pick(current) }, after: { publication: pick(next) },
    }, now);
    return next;
  });
}

/** A slug from a name: "Gemeente Utrecht" → "gemeente-utrecht". */
export function slugify(name: string): string {
  return (
    name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '').slice(0, 63) || 'organisation'
  );
}
