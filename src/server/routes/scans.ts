// Discovery runs of the organisation in the path: start a scan (a job), list the runs, one run
// with the hosts it found, what changed between two runs, and the upload of a signed scan bundle
// made by an agent on a closed network (verified as `camaudit import BUNDLE` verifies it).
// A scan started here runs from the server, inside the server's network: so besides the scope
// guard the CLI applies, it stays inside the organisation's registered networks, never touches
// the server's own loopback or link-local ranges (unless scans.allowLoopback), and only an
// administrator may declare public ranges the organisation's own.
import { z } from 'zod';
import { CamauditError } from '../../core/errors.js';
import { diffScans } from '../../discover/diff.js';
import { MAX_BUNDLE_BYTES } from '../../discover/bundle.js';
import { buildScope, parseRange } from '../../discover/scope.js';
import { importScanFile, scanFormatOf } from '../../ingest/scan-import.js';
import { identifierFor } from '../../kb/knowledge.js';
import { getRun, listRuns, runHosts, type ScanRun } from '../../store/scans.js';
import { resolveScanTargets } from '../../store/scan-targets.js';
import type { TenantScope } from '../../store/tenant.js';
import { firstOutside } from '../agents/scope-cover.js';
import { can, type Role } from '../auth/roles.js';
import type { ServerContext } from '../context.js';
import { ScanJobParams } from '../jobs/handlers/scan.js';
import { submitJob } from '../jobs/submit.js';
import { route, type RouteSpec } from '../route.js';
import { acceptedJob } from './job-accepted.js';
import { PAGE_PARAMS, pageOf, sortParam, type SortFields } from './paging.js';

const BASE = '/api/v1/organisations/:org';

/** The job's parameters, except that targets may name registered networks or be left out (all of them). */
const ScanRequest = ScanJobParams.extend({ targets: z.array(z.string().min(1).max(64)).max(256).default([]) });

const RUN_SORT: SortFields<ScanRun> = { startedAt: (r) => r.startedAt, finishedAt: (r) => r.finishedAt, status: (r) => r.status, origin: (r) => r.origin };

const RunQuery = z.strictObject({
  ...PAGE_PARAMS,
  sort: sortParam(RUN_SORT, '-startedAt'),
  origin: z.enum(['live', 'bundle', 'nmap']).optional(),
  status: z.enum(['running', 'interrupted', 'done']).optional(),
});

const RunId = z.strictObject({ id: z.uuid() });

const BundleQuery = z.strictObject({
  dryRun: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  /** Names the upload in messages and in the run's parameters. */
  fileName: z.string().regex(/^[\w. -]{1,200}$/, 'letters, digits, spaces, dots, dashes and underscores only').default('upload.bundle'),
});

// The scope guard speaks in the CLI's flags; through the API the same limits are body fields.
function inApiTerms(err: unknown): never {
  if (err instanceof CamauditError) err.message = err.message.replace('--own-public', 'ownPublic').replace('--max-addresses', 'maxAddresses');
  throw err;
}

/** The server's own ranges: 127.0.0.0/8 reaches its local services, 169.254.0.0/16 the cloud metadata service. */
const SERVER_OWN = ['127.0.0.0/8', '169.254.0.0/16'].map(parseRange);

function firstServerOwn(targets: readonly string[]): string | null {
  return targets.find((text) => {
    const t = parseRange(text);
    return SERVER_OWN.some((r) => t.first <= r.last && r.first <= t.last);
  }) ?? null;
}

/** The IPv4 ranges of the organisation's registered networks (IPv6 ranges are not scanned). */
async function registeredRanges(ctx: ServerContext, scope: TenantScope): Promise<string[]> {
  const rows = await ctx.store.db.selectFrom('networks').select('cidrs_json').where('org_id', '=', scope.orgId).execute();
  return rows.flatMap((r) => JSON.parse(r.cidrs_json) as string[]).filter((cidr) => !cidr.includes(':'));
}

/** Declaring public space the organisation's own is a statement an administrator answers for. */
function checkOwnPublic(role: Role | null, ownPublic: readonly string[]): void {
  if (ownPublic.length > 0 && (role === null || !can(role, 'admin'))) throw new CamauditError('forbidden', 'only an administrator may declare public ranges the organisation\'s own (ownPublic)');
}

/** Where a scan from the server may go, beyond what the scope guard allows anywhere. */
async function checkServerTargets(ctx: ServerContext, scope: TenantScope, targets: readonly string[]): Promise<void> {
  const own = ctx.config.scans.allowLoopback ? null : firstServerOwn(targets);
  if (own !== null) throw new CamauditError('usage', `target "${own}" is on the server's own loopback or link-local range (127.0.0.0/8, 169.254.0.0/16); the server does not scan there`);
  const outside = firstOutside(targets, await registeredRanges(ctx, scope));
  if (outside !== null) {
    throw new CamauditError('usage', `target "${outside}" is outside the organisation's registered networks; register the network with its address ranges, then scan it (network:NAME)`);
  }
}

/**
 * The uploaded bundle as bytes, however it was sent: a JSON body arrives parsed (written out
 * again it carries the same signed payload string, so verification sees what the agent signed),
 * text arrives as a string, and a raw upload as a buffer.
 */
function bundleBytes(body: unknown): Buffer {
  if (Buffer.isBuffer(body)) return body;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body !== null && typeof body === 'object') return Buffer.from(JSON.stringify(body), 'utf8');
  throw new CamauditError('invalid_input', 'send the scan bundle file as the request body');
}

export function scanRoutes(): RouteSpec[] {
  return [
    route({
      method: 'POST', url: `${BASE}/scans`, tags: ['scans'], auth: { org: 'write' }, status: 202, body: ScanRequest,
      summary: 'Start a discovery run (a scan job); the scope is checked before the job is queued',
      handler: async ({ ctx, scope, org, role, body, reply }) => {
        checkOwnPublic(role, body.ownPublic);
        const targets = await resolveScanTargets(ctx.store, scope, body.targets);
        // Refused here, with the reason, rather than as a failed job a moment later.
        try {
          buildScope({ include: targets, exclude: body.exclude, ownPublic: body.ownPublic, maxAddresses: body.maxAddresses, multicast: false });
        } catch (err) {
          inApiTerms(err);
        }
        await checkServerTargets(ctx, scope, targets);
        const job = await submitJob(ctx, scope, { kind: 'scan', params: { ...body, targets } });
        return acceptedJob(reply, org, job);
      },
    }),
    route({
      method: 'GET', url: `${BASE}/scans`, tags: ['scans'], auth: { org: 'read' }, query: RunQuery,
      summary: 'Scan runs with their figures, newest first by default; filtered by origin and status',
      handler: async ({ ctx, scope, query: q }) => {
        const runs = (await listRuns(ctx.store, scope)).filter((r) => (!q.origin || r.origin === q.origin) && (!q.status || r.status === q.status));
        // The resume cursor is internal to the scanner.
        const page = pageOf(runs, q, RUN_SORT, (r) => r.id);
        return { items: page.items.map(({ cursor: _c, ...run }) => run), nextCursor: page.nextCursor };
      },
    }),
    route({
      method: 'GET', url: `${BASE}/scans/:id`, tags: ['scans'], auth: { org: 'read' }, params: RunId,
      summary: 'One scan run: parameters, figures and every host it found, with the register device it matched',
      handler: async ({ ctx, scope, params }) => {
        const { cursor: _c, ...run } = await getRun(ctx.store, scope, params.id);
        const hosts = await runHosts(ctx.store, scope, run.id);
        return { ...run, devices: hosts.map((h) => ({ ...h.found, deviceId: h.deviceId })) };
      },
    }),
    route({
      method: 'GET', url: `${BASE}/scans/:id/diff/:other`, tags: ['scans'], auth: { org: 'read' },
      params: z.strictObject({ id: z.uuid(), other: z.uuid() }),
      summary: 'What changed from one run to another: devices new, gone and changed (address, firmware, model, ports)',
      handler: async ({ ctx, scope, params }) => {
        const [from, to] = [await getRun(ctx.store, scope, params.id), await getRun(ctx.store, scope, params.other)];
        const found = async (runId: string) => (await runHosts(ctx.store, scope, runId)).map((h) => h.found);
        return { from: from.id, fromStartedAt: from.startedAt, to: to.id, toStartedAt: to.startedAt, ...diffScans(await found(from.id), await found(to.id)) };
      },
    }),
    route({
      method: 'POST', url: `${BASE}/bundles`, tags: ['scans'], auth: { org: 'write' }, query: BundleQuery, bodyLimit: MAX_BUNDLE_BYTES,
      summary: 'Import a signed scan bundle (the file as the body); verified against the enrolled agents; dryRun=true only identifies',
      handler: async ({ ctx, scope, org, query: q, body, reply }) => {
        const content = bundleBytes(body);
        if (scanFormatOf(content.subarray(0, 4096).toString('utf8')) !== 'bundle') {
          throw new CamauditError('invalid_input', `${q.fileName} is not a camaudit scan bundle (made by camaudit scan --out on an enrolled agent)`);
        }
        const identifier = identifierFor(await ctx.knowledge());
        const report = await importScanFile(ctx.store, scope, org, identifier, content, q.fileName, 'bundle', {
          dryRun: q.dryRun, maxBytes: MAX_BUNDLE_BYTES, now: ctx.now(),
        });
        // A recorded run is a new resource; a dry run creates nothing.
        void reply.code(q.dryRun ? 200 : 201);
        return report;
      },
    }),
  ];
}
