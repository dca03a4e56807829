// Everything a request handler may use, built once at start and passed down: the store, the
// validated configuration, the clock, the knowledge base in force and the job runner.
import { sql } from 'kysely';
import type { KnowledgeBase } from '../kb/schema.js';
import { loadActiveKnowledge } from '../kb/active.js';
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
