// Agent requests are signed over their exact body bytes, which a JSON parser would throw away.
// Agents therefore send their bodies with their own media type, which Fastify hands over as the
// bytes themselves; every other route keeps parsing application/json as before.
import type { FastifyInstance } from 'fastify';
import { MAX_BUNDLE_BYTES } from '../../discover/bundle.js';

export const AGENT_MEDIA_TYPE = 'application/vnd.camaudit.agent+json';

/**
 * Lets the app accept agent bodies: `req.body` is then a Buffer. A scan bundle may be as large
 * as the bundle format allows, which is more than other uploads. Registering twice is harmless.
 */
export function registerAgentBodyParser(app: FastifyInstance): void {
  if (app.hasContentTypeParser(AGENT_MEDIA_TYPE)) return;
  app.addContentTypeParser(AGENT_MEDIA_TYPE, { parseAs: 'buffer', bodyLimit: MAX_BUNDLE_BYTES }, (_req, body, done) => {
    done(null, body);
  });
}
