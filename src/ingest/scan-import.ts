// Carrying a finished scan into the register: an nmap XML report, or a signed scan bundle from an
// agent on a closed network. A bundle is verified against the organisation's enrolled agent keys
// and refused when the same agent's run was imported before (a replay or a mistake). The whole
// run lands in one transaction, or — in a dry run — is only identified. The CLI's import command
// and the API's bundle upload both come through here, so both refuse exactly the same bundles.
import { CamauditError } from '../core/errors.js';
import type { Organisation } from '../core/model.js';
import { looksLikeBundle, openBundle } from '../discover/bundle.js';
import { foundDevice, type FoundDevice } from '../discover/found.js';
import { recordScanRun, type RecordScanInput } from '../discover/record.js';
import { t } from '../i18n/messages.js';
import type { Identifier } from '../kb/knowledge.js';
import { trustedKeys } from '../store/agents.js';
import type { Store } from '../store/database.js';
import { listRuns } from '../store/scans.js';
import type { TenantScope } from '../store/tenant.js';
import { readNmapXml } from './nmap.js';

export type ScanFormat = 'nmap' | 'bundle';

/** A remark for the person importing, in both languages. */
export interface ImportNotice {
  nl: string;
  en: string;
}

/**
 * nmap reports and scan bundles are scan runs, not register tables: told apart from registers by
 * their content, since nmap output is often saved as .txt or without an extension.
 */
export function scanFormatOf(head: string): ScanFormat | null {
  const text = head.replace(/^\uFEFF/, '');
  if (looksLikeBundle(text)) return 'bundle';
  return /^\s*</.test(text) && /<nmaprun[\s>]/.test(text) ? 'nmap' : null;
}

const bundleRunId = (params: Record<string, unknown>) => (params.bundle as { runId?: unknown } | undefined)?.runId;

export interface ScanFile {
  input: RecordScanInput;
  /** The enrolled agent that signed a bundle, by name. */
  agent: string | null;
  notices: ImportNotice[];
}

/** Reads and (for a bundle) verifies the file; writes nothing. `file` names it in messages and in the run's parameters. */
export async function readScanFile(store: Store, scope: TenantScope, org: Organisation, content: Buffer, file: string, format: ScanFormat, options: { maxBytes: number; now: string }): Promise<ScanFile> {
  if (format === 'nmap') {
    const scan = readNmapXml(content, file, options.maxBytes);
    const finishedAt = scan.finishedAt ?? scan.startedAt ?? options.now;
    return {
      agent: null,
      notices: [],
      input: {
        origin: 'nmap', actor: scope.actor, agentId: null,
        params: { file, scanner: scan.scanner, version: scan.version, args: scan.args },
        stats: { hosts: scan.hosts.length }, startedAt: scan.startedAt ?? finishedAt, finishedAt, hosts: scan.hosts,
      },
    };
  }
  if (content.length > options.maxBytes) {
    throw new CamauditError('hostile_input', `scan bundle is ${content.length} bytes, more than the limit of ${options.maxBytes}`, { file });
  }
  const trusted = await trustedKeys(store.db, scope);
  const bundle = openBundle(content, file, trusted);
  const { meta } = bundle;
  const earlier = (await listRuns(store, scope)).find((r) => r.origin === 'bundle' && r.agentId === bundle.agentId && bundleRunId(r.params) === meta.runId);
  if (earlier) {
    throw new CamauditError('conflict', `scan bundle run ${meta.runId} of this agent was already imported as scan run ${earlier.id}; nothing was written`, { file });
  }
  const notices = meta.organisation === org.slug ? [] : [{
    nl: t('nl', 'import.bundleOrganisation', { file, scanned: meta.organisation, org: org.slug }),
    en: t('en', 'import.bundleOrganisation', { file, scanned: meta.organisation, org: org.slug }),
  }];
  return {
    agent: trusted.find((k) => k.id === bundle.agentId)?.name ?? bundle.agentId,
    notices,
    input: {
      origin: 'bundle', actor: scope.actor, agentId: bundle.agentId,
      params: {
        ...meta.parameters,
        bundle: { file, runId: meta.runId, sha256: bundle.sha256, organisation: meta.organisation, scannerVersion: meta.scannerVersion, kbVersion: meta.kbVersion },
      },
      stats: meta.statistics, startedAt: meta.startedAt, finishedAt: meta.finishedAt, hosts: bundle.hosts,
    },
  };
}

/** What an imported nmap report or scan bundle found; counts are null in a dry run (nothing was compared). */
export interface ScanImportReport {
  file: string;
  format: ScanFormat;
  dryRun: boolean;
  committed: boolean;
  runId: string | null;
  /** The enrolled agent that signed a bundle. */
  agent: string | null;
  hosts: number;
  identified: number;
  created: number | null;
  updated: number | null;
  unchanged: number | null;
  devices: FoundDevice[];
  notices: ImportNotice[];
}

const identifiedCount = (devices: readonly FoundDevice[]) => devices.filter((d) => d.manufacturer !== null).length;

/** Reads the file and records the run with its hosts (or, in a dry run, only identifies them). */
export async function importScanFile(
  store: Store, scope: TenantScope, org: Organisation, identifier: Identifier,
  content: Buffer, file: string, format: ScanFormat, options: { dryRun: boolean; maxBytes: number; now: string },
): Promise<ScanImportReport> {
  const { input, agent, notices } = await readScanFile(store, scope, org, content, file, format, options);
  const base = { file, format, dryRun: options.dryRun, agent, hosts: input.hosts.length, notices };
  if (options.dryRun) {
    const devices = input.hosts.map((h) => foundDevice(h, identifier.knowledge)).filter((d) => d !== null);
    return { ...base, committed: false, runId: null, identified: identifiedCount(devices), created: null, updated: null, unchanged: null, devices };
  }
  const run = await recordScanRun(store, scope, identifier, input);
  return {
    ...base, committed: true, runId: run.runId, identified: identifiedCount(run.devices),
    created: run.created, updated: run.updated, unchanged: run.unchanged, devices: run.devices,
  };
}
