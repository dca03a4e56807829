// Sending an aggregate where it goes: into a coordinating organisation in this database, to
// another camaudit server over https, or into a file.
import { writeFile } from 'node:fs/promises';
import type { AggregatePayload } from '../core/aggregate/payload.js';
import { CamauditError } from '../core/errors.js';
import type { Organisation } from '../core/model.js';
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
}

export type Delivery =
  | { kind: 'local'; coordinator: string; receipt: Receipt }
  | { kind: 'https'; url: string; receipt: Receipt }
  | { kind: 'file'; path: string };

/** How long a coordinator server may take to answer. */
const TIMEOUT_MS = 30_000;

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
  return { kind: 'https', url: target.url.href, receipt: await post(payload, target.url, options.token) };
}

async function post(payload: AggregatePayload, url: URL, token: string | undefined): Promise<Receipt> {
  if (!token) throw new CamauditError('usage', `publishing to ${url.origin} needs the publisher token the coordinator gave you (--token or CAMAUDIT_FEDERATION_TOKEN)`);
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, accept: 'application/json' },
      body: JSON.stringify(payload),
      // A redirect would carry the token somewhere nobody chose.
      redirect: 'error',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (cause) {
    throw new CamauditError('unavailable', `cannot reach ${url.origin}: ${(cause as Error).cause instanceof Error ? ((cause as Error).cause as Error).message : (cause as Error).message}`, { address: url.origin }, { cause });
  }
  const text = await response.text();
  const body = (() => {
    try {
      return JSON.parse(text) as Record<string, unknown>;
    } catch {
      return {};
    }
  })();
  if (!response.ok) {
    const detail = typeof body.detail === 'string' ? body.detail : text.slice(0, 200);
    throw new CamauditError(response.status === 401 ? 'unauthenticated' : response.status === 403 ? 'forbidden' : response.status === 404 ? 'not_found' : 'invalid_input',
      `${url.origin} refused the aggregate (${response.status}): ${detail}`, { address: url.origin });
  }
  if (typeof body.id !== 'string' || typeof body.period !== 'string') {
    throw new CamauditError('invalid_input', `${url.origin} answered without a receipt; is this a camaudit coordinator?`, { address: url.origin });
  }
  return body as unknown as Receipt;
}
