// The files an online agent keeps next to its key: agent.json (which server enrolled it, under
// which id) and the key itself, plus the local scope file a person on the agent's side writes —
// the agent's own list of what it may scan, whatever the server asks.
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { CamauditError } from '../../core/errors.js';
import { generateAgentKeyPair, PRIVATE_KEY_FILE, readPublicKey, writeKeyPair } from '../../discover/agent-keys.js';
import { parseRange } from '../../discover/scope.js';

export const ENROLMENT_FILE = 'agent.json';
/** Key, enrolment and scope files are small; anything large is not one of them. */
const MAX_FILE_BYTES = 256 * 1024;

export const Enrolment = z.strictObject({
  server: z.string(),
  agentId: z.string().regex(/^[0-9a-f-]{36}$/),
  name: z.string(),
  organisation: z.string(),
  fingerprint: z.string(),
  scopes: z.array(z.string()),
  enrolledAt: z.string(),
});
export type Enrolment = z.infer<typeof Enrolment>;

export const enrolmentFileOf = (keyFile: string) => join(dirname(keyFile), ENROLMENT_FILE);

async function readSmall(file: string, what: string): Promise<string> {
  const info = await stat(file).catch((cause: NodeJS.ErrnoException) => {
    throw new CamauditError(cause.code === 'ENOENT' ? 'not_found' : 'invalid_input', `cannot read ${what}: ${cause.message}`, { file }, { cause });
  });
  if (!info.isFile() || info.size > MAX_FILE_BYTES) throw new CamauditError('invalid_input', `not a ${what} (a file of at most ${MAX_FILE_BYTES} bytes)`, { file });
  return readFile(file, 'utf8');
}

export interface AgentKey {
  privateKeyPem: string;
  publicKeyPem: string;
  fingerprint: string;
}

export async function readAgentKey(file: string): Promise<AgentKey> {
  const privateKeyPem = await readSmall(file, 'agent key');
  let publicKeyPem: string;
  try {
    publicKeyPem = createPublicKey(createPrivateKey(privateKeyPem)).export({ type: 'spki', format: 'pem' }).toString();
  } catch (cause) {
    throw new CamauditError('invalid_input', `not a PEM private key: ${(cause as Error).message}`, { file }, { cause });
  }
  const { fingerprint } = readPublicKey(publicKeyPem, file);
  return { privateKeyPem, publicKeyPem, fingerprint };
}

/** The key at `file`, made first when there is none (true: it was made now). */
export async function ensureAgentKey(file: string): Promise<{ key: AgentKey; created: boolean }> {
  const exists = await stat(file).then(() => true, () => false);
  if (exists) return { key: await readAgentKey(file), created: false };
  if (basename(file) !== PRIVATE_KEY_FILE) {
    throw new CamauditError('usage', `no agent key at ${file}; a new key is made only as ${PRIVATE_KEY_FILE} (give --key DIR/${PRIVATE_KEY_FILE})`, { file });
  }
  await writeKeyPair(dirname(file), generateAgentKeyPair());
  return { key: await readAgentKey(file), created: true };
}

export async function readEnrolment(keyFile: string): Promise<Enrolment> {
  const file = enrolmentFileOf(keyFile);
  const text = await readSmall(file, 'enrolment file (made by camaudit agent enrol-online)');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CamauditError('invalid_input', 'the enrolment file is not JSON', { file });
  }
  const checked = Enrolment.safeParse(parsed);
  if (!checked.success) throw new CamauditError('invalid_input', `the enrolment file is not valid: ${checked.error.issues[0]?.message ?? ''}`, { file });
  return checked.data;
}

/** Refuses to replace an enrolment: the agent id in it is how the server knows this key. */
export async function assertNoEnrolment(keyFile: string): Promise<void> {
  const file = enrolmentFileOf(keyFile);
  if (await stat(file).then(() => true, () => false)) {
    throw new CamauditError('conflict', `${file} exists: this key is enrolled already; move the file away first to enrol again`, { file });
  }
}

export async function writeEnrolment(keyFile: string, enrolment: Enrolment): Promise<string> {
  const file = enrolmentFileOf(keyFile);
  await writeFile(file, JSON.stringify(enrolment, null, 2) + '\n', { flag: 'wx', mode: 0o600 });
  return file;
}

/**
 * The local scope file: one CIDR, address or range per line; `#` starts a comment. Every entry
 * is checked, so a typo is reported with its line rather than silently narrowing the scope.
 */
export async function readScopeFile(file: string): Promise<string[]> {
  const text = await readSmall(file, 'scope file');
  const entries: string[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const entry = line.replace(/#.*/, '').trim();
    if (entry === '') return;
    try {
      parseRange(entry);
    } catch (err) {
      throw new CamauditError('usage', (err as Error).message, { file, row: i + 1 });
    }
    entries.push(entry);
  });
  if (entries.length === 0) throw new CamauditError('usage', 'the scope file lists no ranges: this agent would refuse every job', { file });
  return entries;
}
