// Scan bundles: how a scan made inside a closed network reaches the central register. The agent
// writes one self-contained JSON file (what it found plus how it scanned), hashed and signed with
// its Ed25519 key; someone carries it across, and `camaudit import` accepts it only when an
// enrolled, unrevoked agent key signed exactly these bytes. The payload stays a string inside the
// envelope so the signature covers the bytes as written, whatever a JSON tool does to whitespace.
// A valid signature says who sent the file, not that its content is sane: the payload is still
// size-bounded and validated field by field.
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { CamauditError } from '../core/errors.js';
import { MAX_CAPTURE_BYTES } from '../core/identify/parse/common.js';
import type { CaptureHint } from '../core/identify/parse/detect.js';
import { PROTOCOLS } from '../core/identify/signals.js';
import { keyFingerprint } from './agent-keys.js';
import type { HostResult } from './result.js';

export const BUNDLE_FORMAT = 'camaudit-scan-bundle';
export const BUNDLE_VERSION = 1;
/** A /16 with every capture is far below this; a larger file is not one we open. */
export const MAX_BUNDLE_BYTES = 256 * 1024 * 1024;

const ENROL_HINT = 'on the central system, enrol the agent\'s public key with: camaudit agent enrol NAME agent.pub';

export interface BundleMeta {
  runId: string;
  /** The organisation's slug on the scanning side. */
  organisation: string;
  startedAt: string;
  finishedAt: string;
  scannerVersion: string;
  parameters: BundleParameters;
  /** Counts and timings of the run (addresses, connections, found…); flags such as `interrupted`. */
  statistics: Record<string, number | boolean>;
  kbVersion: string;
}

/** How the agent scanned. Never the credentials: whether any were used, at most. */
export interface BundleParameters {
  targets: string[];
  exclusions: string[];
  ports: number[];
  /** Public ranges the organisation declared its own. */
  ownPublic?: string[];
  maxAddresses?: number;
  multicast?: { interfaceAddress: string; rounds: number; waitMs: number } | null;
  /** Connection limits and timeouts, by name. */
  politeness?: Record<string, number>;
  credentialsUsed?: boolean;
}

/** An enrolled agent key, as the organisation's store lists them. */
export interface TrustedKey {
  id: string;
  /** For messages; the id is what a scan run records. */
  name?: string;
  fingerprint: string;
  /** SPKI PEM. */
  publicKey: string;
  revoked: boolean;
}

export interface OpenedBundle {
  meta: BundleMeta;
  hosts: HostResult[];
  agentId: string;
  /** SHA-256 of the signed payload: names this exact bundle in the scan run's parameters. */
  sha256: string;
}

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const timestamp = z.iso.datetime({ offset: true });
const text = (max: number) => z.string().max(max);
const port = z.number().int().min(1).max(65535);
const smallRecord = <T extends z.ZodType>(value: T) =>
  z.record(text(64), value).refine((r) => Object.keys(r).length <= 100, 'at most 100 entries');

const Envelope = z.strictObject({
  format: z.literal(BUNDLE_FORMAT),
  version: z.number().int(),
  signer: hex64,
  sha256: hex64,
  // An Ed25519 signature is 64 bytes: 88 base64 characters.
  signature: z.string().regex(/^[A-Za-z0-9+/]{86}==$/),
  payload: z.string(),
});

const Meta = z.strictObject({
  runId: z.string().regex(/^[A-Za-z0-9-]{8,64}$/),
  organisation: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/),
  startedAt: timestamp,
  finishedAt: timestamp,
  scannerVersion: text(64),
  parameters: z.strictObject({
    targets: z.array(text(100)).max(10_000),
    exclusions: z.array(text(100)).max(10_000),
    ports: z.array(port).max(65535),
    ownPublic: z.array(text(100)).max(10_000).optional(),
    maxAddresses: z.number().int().min(0).optional(),
    multicast: z.strictObject({ interfaceAddress: text(64), rounds: z.number().int().min(0).max(100), waitMs: z.number().int().min(0) }).nullable().optional(),
    politeness: smallRecord(z.number().finite()).optional(),
    credentialsUsed: z.boolean().optional(),
  }),
  statistics: smallRecord(z.union([z.number().finite(), z.boolean()])),
  kbVersion: text(64),
});

const HINTS = ['server', 'www_authenticate', 'title', 'favicon_md5', 'body', 'subject', 'issuer'] as const satisfies readonly CaptureHint[];

const CaptureSchema = z.strictObject({
  probe: text(100),
  protocol: z.enum(PROTOCOLS),
  transport: z.enum(['tcp', 'tls', 'udp', 'multicast']),
  port: port.nullable(),
  request: text(2000),
  // Base64 makes a capture a third longer than its bytes.
  content: text(Math.ceil((MAX_CAPTURE_BYTES * 4) / 3)),
  encoding: z.enum(['utf8', 'base64']),
  hint: z.enum(HINTS).optional(),
  authenticated: z.boolean(),
  at: timestamp,
}).refine((c) => c.encoding !== 'base64' || /^[A-Za-z0-9+/]*={0,2}$/.test(c.content), { message: 'content is not base64', path: ['content'] });

const Host = z.strictObject({
  ip: z.union([z.ipv4(), z.ipv6()]),
  mac: z.string().regex(/^[0-9a-f]{2}(?::[0-9a-f]{2}){5}$/).nullable(),
  macVendor: text(200).nullable().optional(),
  openPorts: z.array(port).max(65535),
  captures: z.array(CaptureSchema).max(1000),
});

const Payload = z.strictObject({
  meta: Meta,
  hosts: z.array(Host).max(1 << 20),
});

/** JSON with object keys sorted at every level and no whitespace: one text for one value. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const sha256Hex = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

function privateKeyOf(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (cause) {
    throw new CamauditError('invalid_input', `not a PEM private key: ${(cause as Error).message}`, undefined, { cause });
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new CamauditError('invalid_input', `a bundle is signed with an Ed25519 agent key, not ${key.asymmetricKeyType ?? 'unknown'}; generate one with camaudit agent keygen`);
  }
  return key;
}

/** The signed bundle file for a scan. The input is validated as an importer would, before signing. */
export function createBundle(input: { meta: BundleMeta; hosts: HostResult[] }, privateKeyPem: string): Buffer {
  const key = privateKeyOf(privateKeyPem);
  const checked = Payload.safeParse(input);
  if (!checked.success) throw invalidPayload('bundle', checked.error);
  const payload = canonicalJson(checked.data);
  const bytes = Buffer.from(payload, 'utf8');
  if (bytes.length > MAX_BUNDLE_BYTES) {
    throw new CamauditError('invalid_input', `the scan is ${bytes.length} bytes as a bundle, more than the limit of ${MAX_BUNDLE_BYTES}; split the targets over several runs`);
  }
  const envelope = {
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    signer: keyFingerprint(createPublicKey(key)),
    sha256: sha256Hex(bytes),
    signature: sign(null, bytes, key).toString('base64'),
    payload,
  };
  return Buffer.from(JSON.stringify(envelope, null, 1) + '\n', 'utf8');
}

function invalidPayload(file: string, error: z.ZodError): CamauditError {
  const issue = error.issues[0];
  const where = issue ? issue.path.join('.') || 'payload' : 'payload';
  return new CamauditError('invalid_input', `scan bundle content is not valid at ${where}: ${issue?.message ?? 'unknown problem'}`, { file });
}

/** Whether the bytes are meant as a bundle (the import command routes on this). */
export function looksLikeBundle(head: string): boolean {
  return /^\s*\{/.test(head) && new RegExp(`"format"\\s*:\\s*"${BUNDLE_FORMAT}"`).test(head);
}

function altered(file: string, what: string): CamauditError {
  return new CamauditError('hostile_input', `scan bundle was altered after signing (${what}); do not import it — get a fresh copy from the agent`, { file });
}

/**
 * Verifies and reads a bundle. Refusals: not a bundle or malformed → invalid_input; a newer format
 * → unsupported; hash or signature mismatch → hostile_input; an unknown or revoked signer →
 * import_rejected (saying how to enrol the key).
 */
export function openBundle(content: Buffer, file: string, trusted: readonly TrustedKey[]): OpenedBundle {
  if (content.length > MAX_BUNDLE_BYTES) {
    throw new CamauditError('hostile_input', `scan bundle is ${content.length} bytes, more than the limit of ${MAX_BUNDLE_BYTES}`, { file });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(content.toString('utf8').replace(/^\uFEFF/, ''));
  } catch (cause) {
    throw new CamauditError('invalid_input', `not a camaudit scan bundle: not JSON (${(cause as Error).message})`, { file }, { cause });
  }
  const parsed = Envelope.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CamauditError('invalid_input', `not a camaudit scan bundle: ${issue?.path.join('.') || 'envelope'} ${issue?.message ?? 'is malformed'}`, { file });
  }
  const envelope = parsed.data;
  if (envelope.version !== BUNDLE_VERSION) {
    throw new CamauditError('unsupported', `scan bundle format version ${envelope.version} is not supported (this camaudit reads version ${BUNDLE_VERSION}); update camaudit`, { file });
  }
  const bytes = Buffer.from(envelope.payload, 'utf8');
  const sha256 = sha256Hex(bytes);
  if (sha256 !== envelope.sha256) throw altered(file, 'its content no longer matches the hash it was signed with');

  const agent = trusted.find((k) => k.fingerprint === envelope.signer);
  if (!agent) {
    throw new CamauditError('import_rejected', `scan bundle is signed by an agent key that is not enrolled here (fingerprint ${envelope.signer}); ${ENROL_HINT}`, { file });
  }
  if (agent.revoked) {
    throw new CamauditError('import_rejected', `scan bundle is signed by agent "${agent.name ?? agent.id}", whose key was revoked; bundles from a revoked key are not accepted — enrol a new key if the agent is trusted again (${ENROL_HINT})`, { file });
  }
  const publicKey = createPublicKey(agent.publicKey);
  // The enrolled row must describe the key it holds; otherwise the signer named is not this key.
  if (keyFingerprint(publicKey) !== agent.fingerprint) {
    throw new CamauditError('import_rejected', `enrolled agent "${agent.name ?? agent.id}" has a public key that does not match its fingerprint; revoke and enrol it again`, { file });
  }
  if (!verify(null, bytes, publicKey, Buffer.from(envelope.signature, 'base64'))) {
    throw altered(file, 'the signature does not match the content and signer');
  }

  let payload: unknown;
  try {
    payload = JSON.parse(envelope.payload);
  } catch (cause) {
    throw new CamauditError('invalid_input', `scan bundle payload is not JSON: ${(cause as Error).message}`, { file }, { cause });
  }
  const checked = Payload.safeParse(payload);
  if (!checked.success) throw invalidPayload(file, checked.error);
  return { meta: checked.data.meta, hosts: checked.data.hosts, agentId: agent.id, sha256 };
}
