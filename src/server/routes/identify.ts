// Identification of one captured device answer, as `camaudit identify` does it: the body is the
// capture (text or bytes), the answer the identity with its evidence. Nothing is stored.
import { z } from 'zod';
import { CamauditError } from '../../core/errors.js';
import { identifyCapture } from '../../core/identify/capture.js';
import { identify } from '../../core/identify/identify.js';
import { MAX_CAPTURE_BYTES } from '../../core/identify/parse/common.js';
import type { CaptureHint } from '../../core/identify/parse/detect.js';
import { PROTOCOLS } from '../../core/identify/signals.js';
import { identifyKnowledge } from '../../kb/knowledge.js';
import type { KnowledgeBase } from '../../kb/schema.js';
import { route, type RouteSpec } from '../route.js';

// Compiling the fingerprints takes a while; once per knowledge base is enough.
const compiled = new WeakMap<KnowledgeBase, ReturnType<typeof identifyKnowledge>>();

const HINTS = ['server', 'www_authenticate', 'title', 'favicon_md5', 'subject', 'issuer'] as const;

export function identifyRoutes(): RouteSpec[] {
  return [
    route({
      method: 'POST', url: '/api/v1/identify', summary: 'Identify the true maker from one captured device answer (HTTP, RTSP, TLS, ONVIF, SADP, DHIP, ISAPI, Dahua CGI, MAC, text)', tags: ['knowledge base'],
      auth: 'signed-in', rateLimit: 120, bodyLimit: MAX_CAPTURE_BYTES,
      query: z.strictObject({
        protocol: z.enum(PROTOCOLS).optional(),
        hint: z.enum(HINTS).optional(),
        name: z.string().max(200).default('capture'),
      }),
      handler: async ({ ctx, query: q, raw }) => {
        const body = raw.body;
        const content = Buffer.isBuffer(body) ? body : typeof body === 'string' ? Buffer.from(body, 'utf8') : null;
        if (!content || content.length === 0) throw new CamauditError('invalid_input', 'send the capture as the request body (text/plain or application/octet-stream)');
        const kb = await ctx.knowledge();
        let knowledge = compiled.get(kb);
        if (!knowledge) {
          knowledge = identifyKnowledge(kb);
          compiled.set(kb, knowledge);
        }
        const k = knowledge;
        return identifyCapture(q.name, content, (signals) => identify(signals, k), q.protocol, q.hint as CaptureHint | undefined);
      },
    }),
  ];
}
