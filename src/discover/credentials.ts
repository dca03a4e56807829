// The owner's credentials for the authenticated probes. Read from a file (JSON or YAML) and never
// from the command line, where they would land in shell history and process lists; kept in memory
// for the run only and never written to the database, bundles or output.
import { readFile, stat } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { CamauditError } from '../core/errors.js';
import type { Credential } from './http-client.js';
import { CREDENTIAL_PROTOCOLS, type CredentialProtocol } from './probe.js';
import { inRange, parseRange, type Range } from './scope.js';

const Entry = z.strictObject({
  scope: z.string().optional(),
  protocols: z.array(z.enum(CREDENTIAL_PROTOCOLS)).min(1).optional(),
  username: z.string().min(1),
  password: z.string(),
  /** Old firmware that only speaks Basic over plain HTTP gets the password only with this. */
  basic_over_http: z.boolean().optional(),
});
const File = z.array(Entry).max(1000);

export interface CredentialEntry extends Credential {
  scope: Range | null;
  protocols: readonly CredentialProtocol[] | null;
}

/** Parses a credentials file's text; errors name the file and the entry. */
export function parseCredentials(text: string, file: string): CredentialEntry[] {
  let data: unknown;
  try {
    data = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text, { maxAliasCount: 0 });
  } catch (err) {
    // Parser messages quote the offending line, which may hold a password: give the position only.
    const pos = (err as { linePos?: { line: number; col: number }[] }).linePos?.[0];
    const where = pos ? ` at line ${pos.line}, column ${pos.col}` : '';
    throw new CamauditError('invalid_input', `${file}: not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}${where}`, { file });
  }
  const parsed = File.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length > 0 ? `entry ${Number(issue.path[0]) + 1}${issue.path.length > 1 ? ` field "${issue.path.slice(1).join('.')}"` : ''}` : 'the file';
    throw new CamauditError('invalid_input', `${file}: ${where}: ${issue.message} (expected a list of {scope?, protocols?, username, password})`, { file });
  }
  return parsed.data.map((e, i) => {
    let scope: Range | null = null;
    if (e.scope !== undefined) {
      try {
        scope = parseRange(e.scope);
      } catch (err) {
        throw new CamauditError('invalid_input', `${file}: entry ${i + 1} field "scope": ${(err as Error).message}`, { file });
      }
    }
    return { username: e.username, password: e.password, basicOverHttp: e.basic_over_http ?? false, scope, protocols: e.protocols ?? null };
  });
}

export async function loadCredentials(file: string): Promise<{ entries: CredentialEntry[]; warning: string | null }> {
  let info;
  try {
    info = await stat(file);
  } catch {
    throw new CamauditError('not_found', `${file}: credentials file not found`, { file });
  }
  const entries = parseCredentials(await readFile(file, 'utf8'), file);
  // Group- or world-readable passwords are worth a warning, not a refusal: a shared jump host may need it.
  const warning = (info.mode & 0o077) !== 0 ? `${file} is readable by other users (mode ${(info.mode & 0o777).toString(8)}); consider chmod 600` : null;
  return { entries, warning };
}

/** The credentials for one host and protocol, in file order. */
export function credentialsFor(entries: readonly CredentialEntry[], ip: string, protocol: CredentialProtocol): Credential[] {
  return entries
    .filter((e) => (e.protocols === null || e.protocols.includes(protocol)) && (e.scope === null || inRange(e.scope, ip)))
    .map((e) => ({ username: e.username, password: e.password, basicOverHttp: e.basicOverHttp }));
}
