import type { FastifyRequest } from 'fastify';
import type { ServerContext } from '../context.js';

/** Secure cookies whenever the browser reaches the server over TLS (directly or through a proxy). */
export function secureCookies(ctx: ServerContext, req: FastifyRequest): boolean {
  return ctx.config.publicUrl?.startsWith('https:') === true || req.protocol === 'https';
}
