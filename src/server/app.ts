// The HTTP server: every route under /api/v1 declared in routes/, the OpenAPI document made from
// those declarations, and the start page. Errors are RFC 9457 problem+json; every answer carries
// the API-Version header (NL API Design Rules). The app holds no state of its own: sessions,
// jobs and locks live in the database, so several instances can share one PostgreSQL.
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { CamauditError, type ErrorCode } from '../core/errors.js';
import { registerAgentBodyParser } from './agents/body.js';
import { API_VERSION } from './api-version.js';
import type { ServerContext } from './context.js';
import { openApiDocument } from './openapi.js';
import { DEFAULT_BODY_LIMIT, registerRoutes, type RouteSpec } from './route.js';
import { registerUploadBodyParser } from './routes/imports.js';
import { allRoutes } from './routes/index.js';
import { defaultWebRoot, registerWebApp } from './web.js';

const STATUS: Record<ErrorCode, number> = {
  usage: 400, invalid_input: 400, hostile_input: 400, import_rejected: 422, not_found: 404, conflict: 409,
  database: 503, unsupported: 501, unauthenticated: 401, forbidden: 403, too_many: 429, unavailable: 503,
};

const TITLE: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 413: 'Content Too Large',
  415: 'Unsupported Media Type', 422: 'Unprocessable Content', 429: 'Too Many Requests', 501: 'Not Implemented', 503: 'Service Unavailable',
};

/** The origin of the map's background tiles, which the browser must be allowed to load images from. */
function tileOrigin(tileUrl: string | null): string[] {
  if (!tileUrl) return [];
  return [new URL(tileUrl.replace(/\{[a-z]\}/g, '0')).origin];
}

export interface AppOptions {
  /** Routes to serve; all of them unless a test narrows it. */
  routes?: readonly RouteSpec[];
}

export async function buildApp(ctx: ServerContext, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, trustProxy: ctx.config.trustProxy, bodyLimit: DEFAULT_BODY_LIMIT });
  const routes = options.routes ?? allRoutes();

  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"], styleSrc: ["'self'", "'unsafe-inline'"], imgSrc: ["'self'", 'data:', ...tileOrigin(ctx.config.web.tileUrl)],
        // Without TLS in front, asking browsers to upgrade every request would leave the page blank.
        upgradeInsecureRequests: ctx.config.publicUrl?.startsWith('https:') ? [] : null,
      },
    },
    // Behind TLS the browser is told to stay on TLS; on plain loopback it would only get in the way.
    hsts: ctx.config.publicUrl?.startsWith('https:') ?? false,
  });

  app.addHook('onSend', async (_req, reply) => {
    reply.header('API-Version', API_VERSION);
  });

  app.setErrorHandler((err: FastifyError | CamauditError, req, reply) => {
    const status = err instanceof CamauditError ? STATUS[err.code] : (err.statusCode ?? 500);
    const detail = status >= 500 && !(err instanceof CamauditError) ? 'internal error' : err.message;
    if (status === 429 && !(err instanceof CamauditError)) void reply.header('Retry-After', '60');
    void reply.status(status).type('application/problem+json').send({
      type: 'about:blank', title: TITLE[status] ?? 'Internal Server Error', status, detail, instance: req.url,
    });
  });
  app.setNotFoundHandler((req, reply) => {
    void reply.status(404).type('application/problem+json').send({ type: 'about:blank', title: 'Not Found', status: 404, instance: req.url });
  });

  registerAgentBodyParser(app);
  registerUploadBodyParser(app);
  registerRoutes(app, ctx, routes);
  const document = openApiDocument(routes);
  app.get('/api/v1/openapi.json', async () => document);
  await registerWebApp(app, ctx.config.web.root ?? defaultWebRoot(), API_VERSION);
  return app;
}
