// The HTTP server: for now health, devices and sites under /api/v1 and a start page. Errors are
// RFC 9457 problem+json; every response carries the API-Version header (NL API Design Rules).
import Fastify, { type FastifyInstance } from 'fastify';
import { z } from 'zod';
import { CamauditError } from '../core/errors.js';
import type { Organisation } from '../core/model.js';
import type { Store } from '../store/database.js';
import { listDevices } from '../store/devices.js';
import { listSites } from '../store/sites.js';
import type { TenantScope } from '../store/tenant.js';
import { startPage } from './start-page.js';
import { VERSION } from '../version.js';

export const API_VERSION = VERSION;

export interface AppOptions {
  store: Store;
  org: Organisation;
  actor: string;
}

const STATUS: Record<string, number> = { not_found: 404, usage: 400, invalid_input: 400, conflict: 409 };

const DeviceQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().max(64).optional(),
  kind: z.string().max(32).optional(),
  status: z.string().max(32).optional(),
  brand: z.string().max(200).optional(),
  manufacturer: z.string().max(200).optional(),
  connectivity: z.string().max(32).optional(),
  site: z.string().max(64).optional(),
  q: z.string().max(200).optional(),
}).strict();

export async function buildApp({ store, org, actor }: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  const scope: TenantScope = Object.freeze({ orgId: org.id, actor, source: 'api' });

  app.addHook('onSend', async (_req, reply) => {
    reply.header('API-Version', API_VERSION);
    reply.header('X-Content-Type-Options', 'nosniff');
  });

  app.setErrorHandler((err, req, reply) => {
    const status = err instanceof CamauditError ? (STATUS[err.code] ?? 500)
      : err instanceof z.ZodError ? 400
      : ((err as { statusCode?: number }).statusCode ?? 500);
    const detail = err instanceof z.ZodError
      ? err.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; ')
      : status >= 500 ? 'internal error' : (err as Error).message;
    void reply.status(status).type('application/problem+json').send({
      type: 'about:blank', title: status >= 500 ? 'Internal Server Error' : 'Bad Request', status, detail, instance: req.url,
    });
  });
  app.setNotFoundHandler((req, reply) => {
    void reply.status(404).type('application/problem+json').send({ type: 'about:blank', title: 'Not Found', status: 404, instance: req.url });
  });

  app.get('/api/v1/health', async () => ({ status: 'ok', version: API_VERSION, engine: store.engine.name }));

  app.get('/api/v1/devices', async (req) => {
    const q = DeviceQuery.parse(req.query);
    const page = await listDevices(store, scope, {
      kind: q.kind, status: q.status, brand: q.brand, manufacturer: q.manufacturer, connectivity: q.connectivity,
      siteId: q.site, q: q.q,
    }, { limit: q.limit, cursor: q.cursor ?? null });
    return { items: page.items, nextCursor: page.nextCursor };
  });

  app.get('/api/v1/sites', async () => ({ items: await listSites(store, scope) }));

  app.get('/', async (_req, reply) => {
    const sites = await listSites(store, scope);
    reply.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'");
    return reply.type('text/html; charset=utf-8').send(startPage(org, sites));
  });

  return app;
}
