// The agent's side of the wire: enrolment with a one-time token, then requests signed with the
// agent key. The agent only ever connects out; it opens no port. Plain http is accepted only to
// this machine: job targets and bundles (MAC addresses, serials) must not cross a network unencrypted.
import { createPrivateKey, type KeyObject } from 'node:crypto';
import type { z } from 'zod';
import { CamauditError, type ErrorCode } from '../../core/errors.js';
import { AGENT_MEDIA_TYPE } from './body.js';
import { EnrolAnswer, PulledJobs, ResultAnswer, type PulledJob } from './protocol.js';
import { newNonce, signRequest } from './signature.js';

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\]|localhost)$/;

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'invalid_input', 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found', 409: 'conflict', 413: 'invalid_input',
  415: 'invalid_input', 422: 'import_rejected', 429: 'too_many', 501: 'unsupported',
};

/** The server's base address, checked: https, or http to this machine only. */
export function serverUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new CamauditError('usage', `"${text}" is not a server address (like https://camaudit.example.nl)`);
  }
  if (url.protocol === 'http:' && !LOOPBACK.test(url.hostname)) {
    throw new CamauditError('usage', `${url.origin}: use https; plain http is accepted only to this machine (job targets and bundles are not sent unencrypted)`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new CamauditError('usage', `${url.origin}: not an http(s) address`);
  return url;
}

async function answerOf<T>(res: Response, schema: z.ZodType<T> | null, what: string): Promise<T> {
  const text = await res.text();
  if (!res.ok) {
    let detail = text.slice(0, 500);
    try {
      detail = (JSON.parse(text) as { detail?: string }).detail ?? detail;
    } catch { /* not problem+json: the text itself is the best description */ }
    const code = CODE_BY_STATUS[res.status] ?? (res.status >= 500 ? 'database' : 'invalid_input');
    throw new CamauditError(code, `${what}: the server answered ${res.status}: ${detail}`);
  }
  if (schema === null) return undefined as T;
  const parsed = schema.safeParse(text === '' ? null : JSON.parse(text));
  if (!parsed.success) throw new CamauditError('invalid_input', `${what}: the server's answer is not what an agent expects (${parsed.error.issues[0]?.message ?? 'malformed'})`);
  return parsed.data;
}

async function send(url: URL, init: RequestInit, what: string): Promise<Response> {
  try {
    return await fetch(url, { ...init, redirect: 'error' });
  } catch (cause) {
    const reason = (cause as { cause?: { code?: string } }).cause?.code ?? (cause as Error).message;
    throw new CamauditError('unavailable', `${what}: cannot reach ${url.origin} (${reason})`, undefined, { cause });
  }
}

/** Redeems an enrolment token with the agent's public key (no signature yet: the server does not know the key). */
export async function enrolOnline(base: URL, token: string, publicKeyPem: string): Promise<EnrolAnswer> {
  const res = await send(new URL('/api/v1/agents/enrol', base), {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token, publicKey: publicKeyPem }),
  }, 'enrolment');
  return answerOf(res, EnrolAnswer, 'enrolment');
}

export class AgentClient {
  private readonly key: KeyObject;

  constructor(private readonly base: URL, readonly agentId: string, privateKeyPem: string, private readonly now: () => string = () => new Date().toISOString()) {
    this.key = createPrivateKey(privateKeyPem);
  }

  private async signed(method: 'GET' | 'POST', path: string, body: Buffer | null, what: string): Promise<Response> {
    const url = new URL(path, this.base);
    const headers = signRequest(this.key, {
      agentId: this.agentId, method, path: url.pathname + url.search, timestamp: this.now(), nonce: newNonce(), body: body ?? Buffer.alloc(0),
    });
    return send(url, { method, headers: body ? { ...headers, 'content-type': AGENT_MEDIA_TYPE } : headers, ...(body ? { body } : {}) }, what);
  }

  async jobs(): Promise<PulledJob[]> {
    const what = 'fetching jobs';
    return (await answerOf(await this.signed('GET', `/api/v1/agents/${this.agentId}/jobs`, null, what), PulledJobs, what)).items;
  }

  async answer(bundle: Buffer): Promise<ResultAnswer> {
    const what = 'uploading the bundle';
    return answerOf(await this.signed('POST', `/api/v1/agents/${this.agentId}/results`, bundle, what), ResultAnswer, what);
  }

  async refuse(jobId: string, reason: string): Promise<void> {
    const what = `refusing job ${jobId}`;
    const body = Buffer.from(JSON.stringify({ reason: reason.slice(0, 1000) }), 'utf8');
    await answerOf(await this.signed('POST', `/api/v1/agents/${this.agentId}/jobs/${jobId}/refusal`, body, what), null, what);
  }
}
