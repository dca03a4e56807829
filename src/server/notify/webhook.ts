// The webhook channel: the payload as a JSON POST, signed with the subscription's secret so the
// receiver can check it came from camaudit and was not altered. It goes only to a public address
// unless the configuration allows others (../outbound.ts). Redirects are not followed — a
// redirect would send register data to an address nobody subscribed — and a receiver gets five
// seconds to answer; anything but a 2xx answer is a failed attempt. Why an attempt failed is
// said in fixed words (they reach the subscription's administrators through the delivery log),
// never with the network error or the receiver's answer, so a webhook cannot be used to probe.
import { createHmac } from 'node:crypto';
import { CamauditError } from '../../core/errors.js';
import { VERSION } from '../../version.js';
import { checkedAddress, OutboundFailure, postTo, type OutboundFailureReason, type OutboundPolicy } from '../outbound.js';

export const WEBHOOK_TIMEOUT_MS = 5000;

/** `sha256=<hex HMAC-SHA256 of the exact body bytes>`, as sent in X-Camaudit-Signature. */
export function signature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

export interface WebhookMessage {
  url: string;
  secret: string | null;
  body: string;
  event: string;
  deliveryId: string;
}

export interface WebhookOptions extends OutboundPolicy {
  timeoutMs?: number;
}

const NOT_PUBLIC = 'the receiver is not at a public internet address (notifications.allowPrivateTargets allows others)';

function failure(reason: OutboundFailureReason, timeoutMs: number): string {
  if (reason === 'refused') return NOT_PUBLIC;
  if (reason === 'timeout') return `the receiver did not answer within ${timeoutMs / 1000} s`;
  return 'the receiver could not be reached';
}

/**
 * Refuses, at subscription time, a webhook whose host does not resolve to an address this server
 * sends to. A name that does not resolve is refused with the same words, so the answer does not
 * tell which internal names exist.
 */
export async function checkWebhookHost(url: string, policy: OutboundPolicy): Promise<void> {
  try {
    await checkedAddress(new URL(url), policy);
  } catch (err) {
    if (!(err instanceof OutboundFailure)) throw err;
    throw new CamauditError('usage', `webhook "${url}": the host must resolve to a public internet address; notifications.allowPrivateTargets allows others`);
  }
}

/** Sends once; throws an Error saying why when the receiver did not accept it. */
export async function sendWebhook(message: WebhookMessage, options: WebhookOptions): Promise<void> {
  const timeoutMs = options.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    'user-agent': `camaudit/${VERSION}`,
    'x-camaudit-event': message.event,
    'x-camaudit-delivery': message.deliveryId,
  };
  if (message.secret !== null) headers['x-camaudit-signature'] = signature(message.secret, message.body);
  let status: number;
  try {
    ({ status } = await postTo(new URL(message.url), { headers, body: message.body, timeoutMs, maxResponseBytes: 0 }, options));
  } catch (err) {
    if (err instanceof OutboundFailure) throw new Error(failure(err.reason, timeoutMs), { cause: err });
    throw err;
  }
  if (status >= 200 && status < 300) return;
  const redirect = status >= 300 && status < 400 ? '; redirects are not followed' : '';
  throw new Error(`the receiver did not accept the delivery (HTTP ${status})${redirect}`);
}
