// Configuration resolved once — flags > environment (CAMAUDIT_*) > defaults — and the store
// opened from it. Commands receive this object; nothing below reads the environment.
import { CamauditError } from '../core/errors.js';
import type { Organisation } from '../core/model.js';
import type { Lang } from '../i18n/messages.js';
import { migrateToLatest, openStore, type Store } from '../store/database.js';
import { createOrganisation, findOrganisation, listOrganisations } from '../store/organisations.js';
import type { TenantScope } from '../store/tenant.js';
import { loadActiveKnowledge } from '../kb/active.js';
import { identifierFor as identifierOf, type Identifier } from '../kb/knowledge.js';

export interface GlobalOptions {
  db: string;
  /** Whether --db or CAMAUDIT_DB named the database (the server's camaudit.yaml may name it otherwise). */
  dbGiven: boolean;
  org: string | undefined;
  json: boolean;
  lang: Lang;
  debug: boolean;
  actor: string;
  /** The organisation's own knowledge ("our installer's brand X is Dahua"), on top of the KB. */
  kbOverlay: string | undefined;
}

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  env: Readonly<Record<string, string | undefined>>;
  now: () => string;
}

export function resolveGlobals(flags: Record<string, unknown>, env: Io['env']): GlobalOptions {
  const lang = (flags.lang as string | undefined) ?? env.CAMAUDIT_LANG ?? 'en';
  if (lang !== 'nl' && lang !== 'en') throw new CamauditError('usage', `--lang must be nl or en, not "${lang}"`);
  return Object.freeze({
    db: (flags.db as string | undefined) ?? env.CAMAUDIT_DB ?? 'camaudit.db',
    dbGiven: flags.db !== undefined || env.CAMAUDIT_DB !== undefined,
    org: (flags.org as string | undefined) ?? env.CAMAUDIT_ORG,
    json: Boolean(flags.json),
    lang,
    debug: Boolean(flags.debug),
    actor: env.CAMAUDIT_ACTOR ?? `cli:${env.USER ?? 'unknown'}`,
    kbOverlay: (flags.kbOverlay as string | undefined) ?? env.CAMAUDIT_KB_OVERLAY,
  });
}

export async function withStore<T>(g: GlobalOptions, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(g.db);
  try {
    await migrateToLatest(store);
    return await fn(store);
  } finally {
    await store.close();
  }
}

export const DEFAULT_ORG = { slug: 'default', name: 'My organisation' };

/**
 * The organisation a command works on: the one named with --org; else the only one; else the
 * default one. A fresh database gets the default organisation, so `camaudit import x.csv` just
 * works on a new machine.
 */
export async function resolveOrganisation(store: Store, g: GlobalOptions, now: string): Promise<Organisation> {
  if (g.org) {
    const org = await findOrganisation(store, g.org);
    if (!org) {
      const known = (await listOrganisations(store)).map((o) => o.slug).join(', ') || 'none';
      throw new CamauditError('not_found', `no organisation "${g.org}" (known: ${known}); create it with camaudit init`);
    }
    return org;
  }
  const all = await listOrganisations(store);
  if (all.length === 1) return all[0]!;
  const fallback = all.find((o) => o.slug === DEFAULT_ORG.slug);
  if (fallback) return fallback;
  if (all.length > 1) {
    throw new CamauditError('usage', `several organisations in ${store.location}; choose one with --org (${all.map((o) => o.slug).join(', ')})`);
  }
  return createOrganisation(store, DEFAULT_ORG, now, { actor: g.actor, source: 'cli' });
}

export function scopeFor(org: Organisation, g: GlobalOptions, source: string): TenantScope {
  return Object.freeze({ orgId: org.id, actor: g.actor, source });
}

/** Identification with the knowledge base in force for this database and organisation. */
export async function identifierFor(store: Store, g: GlobalOptions): Promise<Identifier> {
  const { kb } = await loadActiveKnowledge(store, g.kbOverlay);
  return identifierOf(kb);
}
