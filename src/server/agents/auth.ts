// Checks a signed agent request (routes with auth 'agent'): the agent exists, the signature over
// method, path, timestamp, nonce and body holds with its enrolled key, the timestamp is within the
// clock window, the nonce is new, and the key is not revoked. There is no bearer secret to steal:
// a captured request is useless after its nonce is recorded or its five minutes have passed.
import { createPublicKey } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { CamauditError } from '../../core/errors.js';
import { agentForRequest, useNonce } from '../../store/agent-access.js';
import type { Store } from '../../store/database.js';
import type { AgentPrincipal } from '../auth/principal.js';
import { AGENT_MEDIA_TYPE } from './body.js';
import { CLOCK_WINDOW_MS, clockSkewMs, readSignatureHeaders, signatureHolds } from './signature.js';

const refused = (why: string) => new CamauditError('unauthenticated', `agent request refused: ${why}`);

function bodyBytes(req: FastifyRequest): Buffer {
  if (req.body === undefined || req.body === null) return Buffer.alloc(0);
  if (Buffer.isBuffer(req.body)) return req.body;
  // Parsed already (sent as application/json): the signed bytes are gone, so nothing can be checked.
  throw new CamauditError('invalid_input', `agent requests send their body as ${AGENT_MEDIA_TYPE}`);
}

/**
 * The authenticator the server context carries as `authenticateAgent`. Null for a request that
 * does not claim to come from an agent; a signed request that fails a check is refused with the
 * reason (401), so an agent whose clock drifted is told so.
 */
export function agentAuthenticator(store: Store, now: () => string): (req: FastifyRequest) => Promise<AgentPrincipal | null> {
  return async (req) => {
    const headers = readSignatureHeaders(req.headers);
    if (headers === null) return null;
    if ('problem' in headers) throw refused(headers.problem);
    const at = now();
    const skew = clockSkewMs(headers.timestamp, at);
    if (Math.abs(skew) > CLOCK_WINDOW_MS) {
      throw refused(`its timestamp is ${Math.round(Math.abs(skew) / 1000)} s ${skew > 0 ? 'ahead of' : 'behind'} the server's clock (at most ${CLOCK_WINDOW_MS / 1000} s); set the agent's clock`);
    }
    const agent = await agentForRequest(store, headers.agentId);
    const parts = { agentId: headers.agentId, method: req.method, path: req.url, timestamp: headers.timestamp, nonce: headers.nonce, body: bodyBytes(req) };
    // An unknown agent and a wrong signature get the same answer: the id alone proves nothing.
    if (!agent || !signatureHolds(createPublicKey(agent.publicKey), parts, headers.signature)) {
      throw refused('the signature does not hold for the agent named in the Authorization header');
    }
    if (agent.revokedAt) throw refused(`agent "${agent.name}" was revoked on ${agent.revokedAt}`);
    const keepSince = new Date(Date.parse(at) - 2 * CLOCK_WINDOW_MS).toISOString();
    if (!(await useNonce(store, agent.id, headers.nonce, at, keepSince))) throw refused('its nonce was used before (a replayed request)');
    return { kind: 'agent', agentId: agent.id, name: agent.name, orgId: agent.orgId };
  };
}
