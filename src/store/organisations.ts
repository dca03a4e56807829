import { newId } from './ids.js';
import { CamauditError } from '../core/errors.js';
import { DEFAULT_PUBLICATION, type BBox, type Organisation, type PublicationPolicy } from '../core/model.js';
import type { Store } from './database.js';
import { organisationFromRow } from './rows.js';

export interface NewOrganisation {
  slug: string;
  name: string;
  cbsCode?: string | null;
  country?: string;
  area?: BBox | null;
  publication?: PublicationPolicy;
}

// Organisations are the tenants themselves, so these functions are the only ones without a scope.

export async function findOrganisation(store: Store, slug: string): Promise<Organisation | null> {
  const row = await store.db.selectFrom('organisations').selectAll().where('slug', '=', slug).executeTakeFirst();
  return row ? organisationFromRow(row) : null;
}

export async function listOrganisations(store: Store): Promise<Organisation[]> {
  const rows = await store.db.selectFrom('organisations').selectAll().orderBy('slug').execute();
  return rows.map(organisationFromRow);
}

export async function createOrganisation(store: Store, org: NewOrganisation, now: string): Promise<Organisation> {
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
  };
  await store.db.insertInto('organisations').values(row).execute();
  return organisationFromRow(row);
}

/** A slug from a name: "Gemeente Utrecht" → "gemeente-utrecht". */
export function slugify(name: string): string {
  return (
    name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '').slice(0, 63) || 'organisation'
  );
}
