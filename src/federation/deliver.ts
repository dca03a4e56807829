// Sending an aggregate where it goes: into a coordinating organisation in this database, to
// another camaudit server over https, or into a file.
import { writeFile } from 'node:fs/promises';
import { z } from 'zod';
import type { AggregatePayload } from '../core/aggregate/payload.js';
import { CamauditError, type ErrorCode } from '../core/errors.js';
import type { Organisation } from '../core/model.js';
import { OutboundFailure, postTo, type OutboundFailureReason, type OutboundPolicy } from '../server/outbound.js';
import type { Store } from '../store/database.js';
import { findOrganisation } from '../store/organisations.js';
import { receiveAggregate, type Receipt } from './receive.js';
import type { Target } from './target.js';

export interface DeliveryOptions {
  store: Store;
  /** For https: the publisher token the coordinator handed out. */
  token?: string;
  /** For local: the lowest publication threshold the coordinator accepts. */
  minThreshold: number;
  actor: string;
  source: string;
  now: string;
  /** For local, on a server: whether the caller may publish to this coordinator. */
  mayPublishTo?: (coordinator: Organisation) => boolean;
  /**
   * For https: a coordinator at a loopback, private or link-local address is refused unless this
   * is set (federation.allowPrivateTargets on a server; the operator's choice on the command line).
   */
  allowPrivateTargets?: boolean;
}

export type Delivery =
  | { kind: 'local'; coordinator: string; receipt: Receipt }
  | { kind: 'https'; url: string; receipt: Receipt }
  | { kind: 'file'; path: string };

/** How long a coordinator server may take to answer. */
const TIMEOUT_MS = 30_000;
/** A receipt is a few hundred bytes; anything much longer is not one. */
const MAX_ANSWER_BYTES = 64 * 1024;

export async function deliver(payload: AggregatePayload, target: Target, options: DeliveryOptions): Promise<Delivery> {
  if (target.kind === 'file') {
    await writeFile(target.path, `${JSON.stringify(payload, null, 2)}\n`).catch((cause: Error) => {
      throw new CamauditError('not_found', `cannot write ${target.path}: ${cause.message}`, { file: target.path }, { cause });
    });
    return { kind: 'file', path: target.path };
  }
  if (target.kind === 'local') {
    const coordinator = await findOrganisation(options.store, target.coordinator);
    // Answered the same whether it does not exist or the caller may not publish there.
    if (!coordinator || (options.mayPublishTo && !options.mayPublishTo(coordinator))) {
      throw new CamauditError('not_found', `no coordinating organisation "${target.coordinator}" to publish to`);
    }
    const scope = { orgId: coordinator.id, actor: options.actor, source: options.source };
    const receipt = await receiveAggregate(options.store, scope, payload, { via: 'local', origin: 'aggregate', minThreshold: options.minThreshold, now: options.now });
    return { kind: 'local', coordinator: coordinator.slug, receipt };
  }
  const policy = { allowPrivate: options.allowPrivateTargets ?? false };
  return { kind: 'https', url: target.url.href, receipt: await post(payload, target.url, options.token, policy) };
}

// What the coordinator answered is not repeated: whoever names the URL learns the status and
// whether it was a receipt, nothing of the body or of what the network said. Redirects are not
// followed (server/outbound.ts): one would carry the token somewhere nobody chose.
function unsent(url: URL, reason: OutboundFailureReason, cause: unknown): CamauditError {
  const address = { address: url.origin };
  if (reason === 'refused') {
    return new CamauditError('usage', `${url.origin} is not at a public internet address; publishing there needs federation.allowPrivateTargets`, address, { cause });
  }
  if (reason === 'timeout') return new CamauditError('unavailable', `${url.origin} did not answer within ${TIMEOUT_MS / 1000} s`, address, { cause });
  if (reason === 'too_large') return new CamauditError('invalid_input', `${url.origin} answered without a receipt; is this a camaudit coordinator?`, address, { cause });
  return new CamauditError('unavailable', `cannot reach ${url.origin}`, address, { cause });
}

const ERROR_CODES: Readonly<Record<number, ErrorCode>> = { 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found' };

/** The coordinator's receipt names the aggregate it was sent; only its id and whether it replaced one are new. */
const RemoteReceipt = z.object({ id: z.uuid(), replaced: z.boolean(), source: z.object({ code: z.string() }), period: z.string() });

function parseReceipt(body: Buffer): z.infer<typeof RemoteReceipt> | null {
  try {
    const parsed = RemoteReceipt.safeParse(JSON.parse(body.toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

async function post(payload: AggregatePayload, url: URL, token: string | undefined, policy: OutboundPolicy): Promise<Receipt> {
  if (!token) throw new CamauditError('usage', `publishing to ${url.origin} needs the publisher token the coordinator gave you (--token or CAMAUDIT_FEDERATION_TOKEN)`);
  let answer: { status: number; body: Buffer };
  try {
    answer = await postTo(url, {
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, accept: 'application/json' },
      body: JSON.stringify(payload), timeoutMs: TIMEOUT_MS, maxResponseBytes: MAX_ANSWER_BYTES,
    }, policy);
  } catch (cause) {
    if (cause instanceof OutboundFailure) throw unsent(url, cause.reason, cause);
    throw cause;
  }
  if (answer.status < 200 || answer.status >= 300) {
    throw new CamauditError(ERROR_CODES[answer.status] ?? 'invalid_input', `${url.origin} refused the aggregate (${answer.status})`, { address: url.origin });
  }
  const receipt = parseReceipt(answer.body);
  if (!receipt || receipt.source.code !== payload.source.code || receipt.period !== payload.period) {
    throw new CamauditError('invalid_input', `${url.origin} answered without a receipt for this aggregate; is this a camaudit coordinator?`, { address: url.origin });
  }
  return { id: receipt.id, replaced: receipt.replaced, source: payload.source, period: payload.period };
}
