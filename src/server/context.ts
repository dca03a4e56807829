// Everything a request handler may use, built once at start and passed down: the store, the
// validated configuration, the clock, the knowledge base in force and the job runner.
import { sql } from 'kysely';
import type { Organisation } from '../core/model.js';
import type { KnowledgeBase } from '../kb/schema.js';
import { loadActiveKnowledge } from '../kb/active.js';
import { findOrganisation } from '../store/organisations.js';
import type { Store } from '../store/database.js';
import type { FastifyRequest } from 'fastify';
import type { AgentPrincipal } from './auth/principal.js';
import type { ServerConfig } from './config.js';

export interface JobSubmitter {
  /** Tells the runner a job row is waiting (the row itself is already stored). */
  enqueue(jobId: string): Promise<void>;
}

export interface ServerContext {
  store: Store;
  config: ServerConfig;
  now(): string;
  /** Names this process in job leases and logs; several instances may share one database. */
  instanceId: string;
  /** The knowledge base in force; an update installed by any instance is seen by all. */
  knowledge(): Promise<KnowledgeBase>;
  /** The organisation with this slug (briefly cached: every request names one). */
  organisation(slug: string): Promise<Organisation | null>;
  jobs: JobSubmitter;
  /** Checks an agent's signed request (routes with auth 'agent'); null when the signature does not hold. */
  authenticateAgent?: (req: FastifyRequest) => Promise<AgentPrincipal | null>;
}

/**
 * The knowledge base, re-read only when the installed update files change, which any instance
 * may do: the check is one small query instead of parsing the YAML files per request.
 */
export function knowledgeLoader(store: Store): () => Promise<KnowledgeBase> {
  let cached: { key: string; kb: Promise<KnowledgeBase> } | null = null;
  return async () => {
    const row = await store.db.selectFrom('kb_files')
      .select([sql<number>`count(*)`.as('n'), sql<string | null>`max(installed_at)`.as('at')]).executeTakeFirst();
    const key = `${row?.n ?? 0}/${row?.at ?? ''}`;
    if (cached?.key !== key) {
      const kb = loadActiveKnowledge(store).then((a) => a.kb);
      cached = { key, kb };
      kb.catch(() => { if (cached?.kb === kb) cached = null; });
    }
    return cached.kb;
  };
}

/**
 * Organisations by slug, each kept for a few seconds. Safe to cache: access is decided from the
 * caller's role, which is never cached, and every query filters by the organisation's id, so a
 * stale entry can at most name an organisation that was just removed and now holds nothing.
 */
export function organisationCache(store: Store, ttlMs = 10_000, now: () => number = Date.now): (slug: string) => Promise<Organisation | null> {
  const cache = new Map<string, { at: number; org: Promise<Organisation | null> }>();
  return (slug) => {
    const hit = cache.get(slug);
    if (hit && now() - hit.at < ttlMs) return hit.org;
    // Bounded: slugs come from request paths, so a caller could otherwise fill memory with misses.
    if (cache.size > 10_000) cache.clear();
    const org = findOrganisation(store, slug);
    cache.set(slug, { at: now(), org });
    org.catch(() => cache.delete(slug));
    return org;
  };
}
