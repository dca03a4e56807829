// The knowledge base in force: the files shipped with the software, replaced file by file by
// newer ones installed with `camaudit kb update`, plus the organisation's own overlay.
import { createHash } from 'node:crypto';
import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { CamauditError } from '../core/errors.js';
import { appendAuditEntry } from '../store/audit.js';
import type { Store } from '../store/database.js';
import { checkExample } from './fingerprints.js';
import { DEFAULT_KB_DIR, KB_FILES, parseKnowledgeBase } from './load.js';
import type { KnowledgeBase } from './schema.js';
import { verifyKnowledgeBase } from './verify.js';

const NAMES: ReadonlySet<string> = new Set(Object.values(KB_FILES));

export async function readShippedFiles(dir: string = DEFAULT_KB_DIR): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const name of NAMES) files[name] = await readFile(join(dir, name), 'utf8');
  return files;
}

async function installedFiles(store: Store): Promise<Record<string, string>> {
  const rows = await store.db.selectFrom('kb_files').select(['name', 'content']).execute();
  return Object.fromEntries(rows.map((r) => [r.name, r.content]));
}

export interface ActiveKnowledge {
  kb: KnowledgeBase;
  /** Files that come from an installed update rather than the software. */
  updated: string[];
}

export async function loadActiveKnowledge(store: Store, overlayFile?: string): Promise<ActiveKnowledge> {
  const installed = await installedFiles(store);
  const files = { ...(await readShippedFiles()), ...installed };
  const overlay = overlayFile === undefined ? undefined : await readFile(overlayFile, 'utf8').catch((cause: Error) => {
    throw new CamauditError('not_found', `cannot read knowledge-base overlay ${overlayFile}: ${cause.message}`, { file: overlayFile });
  });
  const kb = parseKnowledgeBase(files, { label: 'kb/', ...(overlay !== undefined ? { overlay, overlayLabel: overlayFile } : {}) });
  return { kb, updated: Object.keys(installed).sort() };
}

/** Every problem `kb verify` reports: missing sources, dangling references, failing examples. */
export function verify(kb: KnowledgeBase) {
  return verifyKnowledgeBase(kb, { matchExample: (fp, example) => checkExample(fp, example.value, example.expect) });
}

/** KB files from the paths given: files named as in the KB, or directories holding such files. */
async function collectUpdate(paths: readonly string[]): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const path of paths) {
    const info = await stat(path).catch(() => {
      throw new CamauditError('not_found', `no such file or directory: ${path}`, { file: path });
    });
    const entries = info.isDirectory() ? (await readdir(path)).map((n) => join(path, n)) : [path];
    for (const entry of entries) {
      const name = basename(entry);
      if (!NAMES.has(name)) {
        if (!info.isDirectory()) throw new CamauditError('usage', `${entry}: not a knowledge-base file (expected one of ${[...NAMES].join(', ')})`, { file: entry });
        continue;
      }
      files[name] = await readFile(entry, 'utf8');
    }
  }
  if (!files[KB_FILES.meta]) {
    throw new CamauditError('usage', 'a knowledge-base update must include meta.yaml with its new version and date');
  }
  return files;
}

/**
 * Validates the update together with the rest of the KB in force and installs it in one
 * transaction, recorded on the server chain of the audit trail (the KB serves every organisation).
 * A KB that does not verify, or does not raise the version, is refused.
 */
export async function installUpdate(store: Store, paths: readonly string[], actor: string, now: string, source = 'cli') {
  const update = await collectUpdate(paths);
  const current = await loadActiveKnowledge(store);
  const files = { ...(await readShippedFiles()), ...(await installedFiles(store)), ...update };
  const kb = parseKnowledgeBase(files, { label: 'update/' });
  const problems = verify(kb);
  if (problems.length > 0) {
    const list = problems.slice(0, 20).map((p) => `${p.section} ${p.id}: ${p.message}`).join('; ');
    throw new CamauditError('invalid_input', `knowledge-base update refused, ${problems.length} problem(s): ${list}`);
  }
  const newVersion = (parseYaml(update[KB_FILES.meta]!) as { version?: unknown }).version;
  if (String(newVersion) === current.kb.meta.version) {
    throw new CamauditError('conflict', `knowledge-base version ${current.kb.meta.version} is already installed; an update must carry a new version in meta.yaml`);
  }
  await store.db.transaction().execute(async (trx) => {
    for (const [name, content] of Object.entries(update)) {
      await trx.deleteFrom('kb_files').where('name', '=', name).execute();
      await trx.insertInto('kb_files').values({ name, content, kb_version: kb.meta.version, installed_at: now, installed_by: actor }).execute();
    }
    const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
    await appendAuditEntry(trx, { orgId: null, actor, source }, {
      action: 'install', entityType: 'knowledge_base', entityId: kb.meta.version,
      before: { version: current.kb.meta.version },
      after: { version: kb.meta.version, files: Object.fromEntries(Object.keys(update).sort().map((name) => [name, sha256(update[name]!)])) },
    }, now);
  });
  return { from: current.kb.meta.version, to: kb.meta.version, files: Object.keys(update).sort(), kb };
}
