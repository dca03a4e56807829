// Agent keys: the Ed25519 key pair a scanner in a closed network signs its bundles with. The
// private key never leaves that machine; the central system enrols the public key and knows the
// agent by its fingerprint, which is short enough to read out over the phone when enrolling.
import { createHash, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import { CamauditError } from '../core/errors.js';

export interface AgentKeyPair {
  /** PKCS#8 PEM. */
  privateKey: string;
  /** SPKI PEM. */
  publicKey: string;
  fingerprint: string;
}

export const PRIVATE_KEY_FILE = 'agent.key';
export const PUBLIC_KEY_FILE = 'agent.pub';

/** SHA-256 of the DER SubjectPublicKeyInfo, hex: the same key gives the same name in any PEM spelling. */
export function keyFingerprint(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
}

export function generateAgentKeyPair(): AgentKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    fingerprint: keyFingerprint(publicKey),
  };
}

/**
 * An Ed25519 public key from PEM, or invalid_input naming `where` (a file, a form field). Other key
 * types are refused: bundles are verified as Ed25519, and accepting an RSA key here would enrol an
 * agent whose bundles can never verify.
 */
export function readPublicKey(pem: string, where: string): { key: KeyObject; pem: string; fingerprint: string } {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch (cause) {
    throw new CamauditError('invalid_input', `${where}: not a PEM public key (${(cause as Error).message})`, { file: where }, { cause });
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new CamauditError('invalid_input', `${where}: an agent key must be Ed25519, not ${key.asymmetricKeyType ?? 'unknown'}; generate one with camaudit agent keygen`, { file: where });
  }
  return { key, pem: key.export({ type: 'spki', format: 'pem' }).toString(), fingerprint: keyFingerprint(key) };
}

/** Creates `file` with `mode`; an existing file is never replaced. */
async function writeNew(file: string, text: string, mode: number): Promise<void> {
  let handle;
  try {
    // O_EXCL: refuse an existing file (or a symlink planted in its place) atomically.
    handle = await open(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      throw new CamauditError('conflict', `${file} already exists; an agent key is never overwritten (move it away first, or use another --out)`, { file }, { cause });
    }
    throw new CamauditError(code === 'ENOENT' ? 'not_found' : 'invalid_input', `cannot create ${file}: ${(cause as Error).message}`, { file }, { cause });
  }
  try {
    // The mode given to open() is reduced by the umask; the private key must end up 0600 exactly.
    await handle.chmod(mode);
    await handle.writeFile(text);
  } finally {
    await handle.close();
  }
}

/**
 * Writes `agent.key` (mode 0600) and `agent.pub` into `dir`. Refuses to overwrite either: losing an
 * enrolled key makes every bundle signed with it unverifiable.
 */
export async function writeKeyPair(dir: string, pair: AgentKeyPair): Promise<{ privateKeyFile: string; publicKeyFile: string }> {
  const privateKeyFile = join(dir, PRIVATE_KEY_FILE);
  const publicKeyFile = join(dir, PUBLIC_KEY_FILE);
  for (const file of [privateKeyFile, publicKeyFile]) {
    const exists = await open(file, 'r').then(async (h) => (await h.close(), true), () => false);
    if (exists) throw new CamauditError('conflict', `${file} already exists; an agent key is never overwritten (move it away first, or use another --out)`, { file });
  }
  // Only the owner may list the folder that holds the private key.
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeNew(privateKeyFile, pair.privateKey, 0o600);
  await writeNew(publicKeyFile, pair.publicKey, 0o644);
  return { privateKeyFile, publicKeyFile };
}
