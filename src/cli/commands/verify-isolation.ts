import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import type { Command } from 'commander';
import { CamauditError } from '../../core/errors.js';
import type { Organisation } from '../../core/model.js';
import { siteKey } from '../../core/register/merge.js';
import { checkEgress, DEFAULT_EGRESS } from '../../discover/egress.js';
import {
  checkDetail, checkTarget, judge, p2pDevices, parseEndpointsFile, verdictText,
  type CheckResult, type EndpointsFile, type P2pDevice, type ScanObservation, type Verdict,
} from '../../discover/isolation.js';
import { t, type Lang, type MessageKey } from '../../i18n/messages.js';
import type { Store } from '../../store/database.js';
import { insertObservations } from '../../store/observations.js';
import { networkFromRow } from '../../store/rows.js';
import { listNetworks } from '../../store/sites.js';
import type { TenantScope } from '../../store/tenant.js';
import { resolveOrganisation, scopeFor, withStore } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { printJson, printTable, type CommandContext } from '../program.js';

interface Flags {
  network: string;
  endpoints: string;
  save: boolean;
  timeout: string;
}

/** The observation kinds a scan writes for a device; the latest of them is the device's latest scan. */
const SCAN_KINDS = ['capture', 'risk_fact'];

async function loadEndpoints(file: string): Promise<EndpointsFile> {
  const text = await readFile(file, 'utf8').catch((cause: Error) => {
    throw new CamauditError('not_found', `cannot read endpoints file ${file}: ${cause.message}`, { file });
  });
  return parseEndpointsFile(text, file);
}

function parseTimeout(text: string): number {
  const ms = Number(text);
  if (!Number.isInteger(ms) || ms < 100 || ms > 60_000) throw new CamauditError('usage', `--timeout "${text}": give milliseconds between 100 and 60000`);
  return ms;
}

async function findNetwork(store: Store, scope: TenantScope, name: string) {
  const row = await store.db.selectFrom('networks').selectAll().where('org_id', '=', scope.orgId)
    .where('name_key', '=', siteKey(name)).executeTakeFirst();
  if (row) return networkFromRow(row);
  const known = (await listNetworks(store, scope)).map((n) => `"${n.name}"`).join(', ') || 'none; networks come from a register import';
  throw new CamauditError('not_found', `no network named "${name}" (known: ${known})`);
}

/** The network's devices and their scan observations; payloads only of risk facts, captures can be large. */
async function networkDevices(store: Store, org: Organisation, networkId: string) {
  const devices = await store.db.selectFrom('devices').select(['id', 'ip', 'brand', 'manufacturer', 'model'])
    .where('org_id', '=', org.id).where('network_id', '=', networkId).execute();
  const rows = await store.db.selectFrom('observations as o')
    .innerJoin('devices as d', (j) => j.onRef('d.id', '=', 'o.device_id').on('d.org_id', '=', org.id))
    .select((eb) => [
      'o.device_id', 'o.scan_run_id', 'o.observed_at', 'o.kind',
      eb.case().when('o.kind', '=', 'risk_fact').then(eb.ref('o.payload_json')).else(null).end().as('payload_json'),
    ])
    .where('o.org_id', '=', org.id).where('d.network_id', '=', networkId).where('o.kind', 'in', SCAN_KINDS)
    .execute();
  const observations: ScanObservation[] = rows.map((r) => ({
    deviceId: r.device_id!, scanRunId: r.scan_run_id, observedAt: r.observed_at, kind: r.kind,
    payload: r.payload_json === null ? null : (JSON.parse(r.payload_json) as unknown),
  }));
  return p2pDevices(devices, observations);
}

/** Column headings of the tables, as named in the catalog (`isolation.heading.NAME`). */
type Heading<K = MessageKey> = K extends `isolation.heading.${infer Name}` ? Name : never;

function printResult(ctx: CommandContext, lang: Lang, networkName: string, checks: readonly CheckResult[], p2p: readonly P2pDevice[], verdict: Verdict): void {
  const { io } = ctx;
  const headings = (...names: Heading[]) => names.map((n) => t(lang, `isolation.heading.${n}`));
  printTable(io, headings('endpoint', 'protocol', 'target', 'result', 'ms', 'detail'),
    checks.map((c) => [c.name, c.protocol, checkTarget(c), t(lang, `isolation.result.${c.result}`), c.latencyMs, checkDetail(c, lang)]));
  io.out('');
  if (p2p.length > 0) {
    io.out(t(lang, 'isolation.p2pDevices'));
    printTable(io, headings('device', 'ip', 'brand', 'model', 'evidence', 'observed'),
      p2p.map((d) => [d.id.slice(0, 8), d.ip, d.brand, d.model, d.detail, d.observedAt]));
  } else {
    io.out(t(lang, 'isolation.noP2pDevices'));
  }
  io.out('');
  const { summary, reasons } = verdictText(verdict, lang);
  io.out(t(lang, 'isolation.verdict', { network: networkName, claimed: t(lang, `isolation.claimed.${verdict.claimed}`), summary }));
  for (const reason of reasons) io.out(`  - ${reason}`);
}

export function registerVerifyIsolation(program: Command, ctx: CommandContext): void {
  program
    .command('verify-isolation')
    .description('check from inside a segment what its devices could reach, and record it as evidence for the network\'s connectivity')
    .requiredOption('--network <name>', 'the network (as in the register) this machine is in')
    .requiredOption('--endpoints <file>', 'YAML or JSON file of endpoints to try (there are no built-in ones)')
    .option('--timeout <ms>', 'how long each check waits for an answer', String(DEFAULT_EGRESS.timeoutMs))
    .option('--no-save', 'print the result without recording it')
    .action(async (opts: Flags) => {
      const g = ctx.globals();
      const timeoutMs = parseTimeout(opts.timeout);
      const file = await loadEndpoints(opts.endpoints);
      await withStore(g, async (store) => {
        const org = await resolveOrganisation(store, g, ctx.io.now());
        const scope = scopeFor(org, g, 'verify-isolation');
        const network = await findNetwork(store, scope, opts.network);
        const p2p = await networkDevices(store, org, network.id);
        const checks = await checkEgress(file, { timeoutMs, concurrency: DEFAULT_EGRESS.concurrency, now: ctx.io.now });
        const verdict = judge({ claimed: network.connectivity, remoteAccess: network.remoteAccess, checks, p2pDevices: p2p });
        const at = ctx.io.now();
        const payload = {
          networkId: network.id, networkName: network.name, claimed: network.connectivity, verdict, checks, p2pDevices: p2p,
          host: hostname(), resolver: file.resolver ? `${file.resolver.address}:${file.resolver.port}` : 'system', endpointsFile: opts.endpoints,
        };
        let observationId: string | null = null;
        if (opts.save) {
          const ids = await store.db.transaction().execute((trx) =>
            insertObservations(trx, scope, [{ deviceId: null, source: 'verify-isolation', observedAt: at, kind: 'isolation', payload }]));
          observationId = ids[0]!;
        }
        // Exit 1, like a rejected import: the run worked and found something that needs attention.
        if (verdict.outcome === 'contradicted') ctx.setExit(EXIT.rejected);
        if (g.json) {
          return printJson(ctx.io, { ...payload, network: { id: network.id, name: network.name, connectivity: network.connectivity, remoteAccess: network.remoteAccess }, at, observationId });
        }
        printResult(ctx, g.lang, network.name, checks, p2p, verdict);
        ctx.io.out(observationId ? t(g.lang, 'isolation.recorded', { id: observationId, at }) : t(g.lang, 'isolation.notRecorded'));
      });
    });
}
