// The webhook channel: the payload as a JSON POST, signed with the subscription's secret so the
// receiver can check it came from camaudit and was not altered. Redirects are not followed — a
// redirect would send register data to an address nobody subscribed — and a receiver gets five
// seconds to answer; anything but a 2xx answer is a failed attempt.
import { createHmac } from 'node:crypto';
import { VERSION } from '../../version.js';

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

function reason(err: unknown): string {
  if (err instanceof Error && err.name === 'TimeoutError') return `no answer within ${WEBHOOK_TIMEOUT_MS / 1000} s`;
  // fetch reports network failures as "fetch failed" with the socket error as the cause.
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
  return cause instanceof Error ? cause.message : String(cause);
}

/** Sends once; throws an Error saying why when the receiver did not accept it. */
export async function sendWebhook(message: WebhookMessage, timeoutMs: number = WEBHOOK_TIMEOUT_MS): Promise<void> {
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    'user-agent': `camaudit/${VERSION}`,
    'x-camaudit-event': message.event,
    'x-camaudit-delivery': message.deliveryId,
  };
  if (message.secret !== null) headers['x-camaudit-signature'] = signature(message.secret, message.body);
  let response: Response;
  try {
    response = await fetch(message.url, { method: 'POST', headers, body: message.body, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    throw new Error(reason(err), { cause: err });
  }
  await response.body?.cancel();
  if (response.status >= 200 && response.status < 300) return;
  const redirect = response.status >= 300 && response.status < 400 ? ' (redirects are not followed)' : '';
  throw new Error(`HTTP ${response.status}${redirect}`);
}
