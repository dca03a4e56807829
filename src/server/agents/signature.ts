// Signed agent requests (docs/decisions/0005): every request an online agent makes carries its id,
// a timestamp, a fresh nonce and an Ed25519 signature over those and the request itself. Both
// ends build the signed text here, so the agent and the server cannot drift apart on it.
import { createHash, randomBytes, sign, verify, type KeyObject } from 'node:crypto';

export const AGENT_SCHEME = 'Agent';
export const TIMESTAMP_HEADER = 'x-camaudit-timestamp';
export const NONCE_HEADER = 'x-camaudit-nonce';
export const SIGNATURE_HEADER = 'x-camaudit-signature';

/** How far a request's timestamp may be from the server's clock, either way. */
export const CLOCK_WINDOW_MS = 5 * 60_000;

const NONCE = /^[A-Za-z0-9_-]{16,64}$/;
const SIGNATURE = /^[A-Za-z0-9+/]{86}==$/;
const AGENT_ID = /^[0-9a-f-]{36}$/;

export interface SignedParts {
  agentId: string;
  method: string;
  /** The request target as sent: path and query. */
  path: string;
  timestamp: string;
  nonce: string;
  body: Buffer;
}

const sha256Hex = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/**
 * The exact text that is signed. A version label first, so a later scheme cannot be confused with
 * this one; the agent id inside, so a signature made for one agent never counts for another.
 */
export function signedText(p: SignedParts): Buffer {
  return Buffer.from(['camaudit-agent-request-v1', p.agentId, p.method.toUpperCase(), p.path, p.timestamp, p.nonce, sha256Hex(p.body)].join('\n'), 'utf8');
}

export function newNonce(): string {
  return randomBytes(18).toString('base64url');
}

/** The headers of a signed request. */
export function signRequest(privateKey: KeyObject, p: SignedParts): Record<string, string> {
  return {
    authorization: `${AGENT_SCHEME} ${p.agentId}`,
    [TIMESTAMP_HEADER]: p.timestamp,
    [NONCE_HEADER]: p.nonce,
    [SIGNATURE_HEADER]: sign(null, signedText(p), privateKey).toString('base64'),
  };
}

export interface SignatureHeaders {
  agentId: string;
  timestamp: string;
  nonce: string;
  signature: Buffer;
}

const one = (v: string | string[] | undefined): string | null => (typeof v === 'string' ? v : null);

/**
 * The signature headers of a request, or a reason they are unusable. Null when the request does
 * not claim to be an agent's at all (no `Authorization: Agent …`).
 */
export function readSignatureHeaders(headers: Record<string, string | string[] | undefined>): SignatureHeaders | { problem: string } | null {
  const auth = one(headers.authorization);
  const m = auth ? /^Agent\s+(\S+)$/.exec(auth) : null;
  if (!m) return null;
  const agentId = m[1]!;
  const timestamp = one(headers[TIMESTAMP_HEADER]);
  const nonce = one(headers[NONCE_HEADER]);
  const signature = one(headers[SIGNATURE_HEADER]);
  if (!AGENT_ID.test(agentId)) return { problem: 'the Authorization header names no agent id' };
  if (!timestamp || Number.isNaN(Date.parse(timestamp))) return { problem: `an agent request needs an ISO timestamp in ${TIMESTAMP_HEADER}` };
  if (!nonce || !NONCE.test(nonce)) return { problem: `an agent request needs a nonce of 16-64 base64url characters in ${NONCE_HEADER}` };
  if (!signature || !SIGNATURE.test(signature)) return { problem: `an agent request needs an Ed25519 signature (base64) in ${SIGNATURE_HEADER}` };
  return { agentId, timestamp, nonce, signature: Buffer.from(signature, 'base64') };
}

export function signatureHolds(publicKey: KeyObject, p: SignedParts, signature: Buffer): boolean {
  return verify(null, signedText(p), publicKey, signature);
}

/** How many milliseconds the timestamp is off the clock (positive: in the future). */
export function clockSkewMs(timestamp: string, now: string): number {
  return Date.parse(timestamp) - Date.parse(now);
}
