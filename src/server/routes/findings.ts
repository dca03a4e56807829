// Findings of the latest assessment with why, evidence and sources, each with where it stands
// (open, waived, lapsed); re-assessment as a job and the runs so far; and waivers — accepting one
// rule's risk on one device, checked exactly as `camaudit waive` checks it.
import { z } from 'zod';
import { FINDING_STATUSES, findingStates, type FindingState } from '../../core/assess/finding-status.js';
import { SEVERITIES, SEVERITY_RANK } from '../../core/assess/types.js';
import { waiverInForce, type Waiver } from '../../core/assess/waivers.js';
import { CamauditError } from '../../core/errors.js';
import { listAssessmentRuns, listFindings, type AssessmentRun } from '../../store/assessments.js';
import { expandDeviceId } from '../../store/devices.js';
import type { Store } from '../../store/database.js';
import type { TenantScope } from '../../store/tenant.js';
import { createWaiver, listWaivers, revokeWaiver } from '../../store/waivers.js';
import type { Principal } from '../auth/principal.js';
import { submitJob } from '../jobs/submit.js';
import { route, type RouteSpec } from '../route.js';
import { acceptedJob } from './job-accepted.js';
import { listParam, PAGE_PARAMS, pageOf, sortItems, sortParam, type SortFields } from './paging.js';

const BASE = '/api/v1/organisations/:org';

const FINDING_SORT: SortFields<FindingState> = {
  severity: (s) => SEVERITY_RANK[s.finding.severity],
  dueDate: (s) => s.finding.dueDate,
  rule: (s) => s.finding.rule,
  device: (s) => s.finding.deviceId,
};

const findingId = (s: FindingState) => `${s.finding.deviceId}:${s.finding.rule}`;

const FindingQuery = z.strictObject({
  ...PAGE_PARAMS,
  sort: sortParam(FINDING_SORT, '-severity'),
  severity: listParam(SEVERITIES),
  status: listParam(FINDING_STATUSES),
  rule: z.string().max(1000).optional(),
  device: z.uuid().optional(),
});

const WAIVER_STATES = ['in_force', 'expired', 'revoked'] as const;
type WaiverState = (typeof WAIVER_STATES)[number];

function waiverState(w: Waiver, now: string): WaiverState {
  if (w.revokedAt !== null) return 'revoked';
  return waiverInForce(w, now) ? 'in_force' : 'expired';
}

const WAIVER_SORT: SortFields<Waiver> = { until: (w) => w.until, createdAt: (w) => w.createdAt, rule: (w) => w.rule, device: (w) => w.deviceId };

const WaiverQuery = z.strictObject({
  ...PAGE_PARAMS,
  sort: sortParam(WAIVER_SORT, 'until'),
  /** Default as `camaudit waive list`: in force and expired, not revoked. */
  state: listParam(WAIVER_STATES),
  device: z.uuid().optional(),
  rule: z.string().max(64).optional(),
});

const NewWaiver = z.strictObject({
  /** Device id (or a unique prefix, as the CLI takes it). */
  device: z.string().min(1).max(64),
  rule: z.string().max(64),
  reason: z.string().max(2000),
  /** Last day the waiver holds, YYYY-MM-DD, today or later. */
  until: z.string().max(32),
  /** Who accepts the risk; default the signed-in person. */
  approver: z.string().max(200).optional(),
});

const RunSort: SortFields<AssessmentRun> = { at: (r) => r.at, findings: (r) => r.findings };

const view = (s: FindingState) => ({
  id: findingId(s), ...s.finding, status: s.status,
  waiver: s.waiver && { id: s.waiver.id, until: s.waiver.until, approver: s.waiver.approver, reason: s.waiver.reason },
});

/** What the stored findings were computed by, so a reader knows how current they are. */
async function latestAssessment(store: Store, scope: TenantScope): Promise<AssessmentRun | null> {
  return (await listAssessmentRuns(store, scope))[0] ?? null;
}

async function statesOf(store: Store, scope: TenantScope, now: string): Promise<FindingState[]> {
  return findingStates(await listFindings(store, scope), await listWaivers(store, scope), now);
}

/** A waiver names a person who accepts the risk; an API token is no person, so it must name one. */
function approverOf(principal: Principal | null, given: string | undefined): string {
  if (given !== undefined) return given;
  if (principal?.kind === 'user') return principal.displayName.trim() || principal.email;
  throw new CamauditError('usage', 'a waiver made with an API token must name its "approver": the person who accepts the risk');
}

/**
 * The waiver check speaks in `camaudit waive`'s flags; through the API the same values are body
 * fields, and a form shows each message at the field it names.
 */
function inApiTerms(err: unknown): never {
  if (err instanceof CamauditError) err.message = err.message.replace(/--(reason|until|approver)\b/g, '$1');
  throw err;
}

export function findingRoutes(): RouteSpec[] {
  return [
    route({
      method: 'GET', url: `${BASE}/findings`, tags: ['findings'], auth: { org: 'read' }, query: FindingQuery,
      summary: 'Findings of the latest assessment with why, evidence, sources and status; filtered, sorted, paged',
      handler: async ({ ctx, scope, query: q }) => {
        const rules = q.rule?.split(',').map((r) => r.trim()).filter((r) => r !== '');
        const states = (await statesOf(ctx.store, scope, ctx.now())).filter((s) =>
          (!q.severity?.length || q.severity.includes(s.finding.severity))
          && (!q.status?.length || q.status.includes(s.status))
          && (!rules?.length || rules.includes(s.finding.rule))
          && (!q.device || s.finding.deviceId === q.device));
        const page = pageOf(states, q, FINDING_SORT, findingId);
        return { items: page.items.map(view), nextCursor: page.nextCursor, assessment: await latestAssessment(ctx.store, scope) };
      },
    }),
    route({
      method: 'GET', url: `${BASE}/devices/:id/findings`, tags: ['findings'], auth: { org: 'read' }, params: z.strictObject({ id: z.uuid() }),
      summary: 'The findings on one device, most serious first, with status',
      handler: async ({ ctx, scope, params }) => {
        const deviceId = await expandDeviceId(ctx.store, scope, params.id);
        const states = (await statesOf(ctx.store, scope, ctx.now())).filter((s) => s.finding.deviceId === deviceId);
        // At most one finding per rule: no paging needed.
        return { items: sortItems(states, '-severity', FINDING_SORT, findingId).map(view), nextCursor: null, assessment: await latestAssessment(ctx.store, scope) };
      },
    }),
    route({
      method: 'POST', url: `${BASE}/assessments`, tags: ['findings'], auth: { org: 'write' }, status: 202, body: z.strictObject({}),
      summary: 'Re-assess the organisation (an assess job) with its policy and the knowledge base in force',
      handler: async ({ ctx, scope, org, reply }) => acceptedJob(reply, org, await submitJob(ctx, scope, { kind: 'assess', params: {} })),
    }),
    route({
      method: 'GET', url: `${BASE}/assessments`, tags: ['findings'], auth: { org: 'read' },
      query: z.strictObject({ ...PAGE_PARAMS, sort: sortParam(RunSort, '-at') }),
      summary: 'Assessment runs: when, by whom, with which policy and KB version, and what they recomputed',
      handler: async ({ ctx, scope, query: q }) => pageOf(await listAssessmentRuns(ctx.store, scope), q, RunSort, (r) => r.id),
    }),
    route({
      method: 'GET', url: `${BASE}/waivers`, tags: ['findings'], auth: { org: 'read' }, query: WaiverQuery,
      summary: 'Waivers (accepted risks) with their state; in force and expired ones unless a state is asked for',
      handler: async ({ ctx, scope, query: q }) => {
        const now = ctx.now();
        const states: readonly WaiverState[] = q.state?.length ? q.state : ['in_force', 'expired'];
        const waivers = (await listWaivers(ctx.store, scope, { includeRevoked: states.includes('revoked') })).filter((w) =>
          states.includes(waiverState(w, now)) && (!q.device || w.deviceId === q.device) && (!q.rule || w.rule === q.rule));
        const page = pageOf(waivers, q, WAIVER_SORT, (w) => w.id);
        return { items: page.items.map((w) => ({ ...w, state: waiverState(w, now) })), nextCursor: page.nextCursor };
      },
    }),
    route({
      method: 'POST', url: `${BASE}/waivers`, tags: ['findings'], auth: { org: 'write' }, status: 201, body: NewWaiver,
      summary: 'Accept one rule\'s risk on one device for a reason, approved by a named person, until a date',
      handler: async ({ ctx, scope, principal, body }) => {
        const now = ctx.now();
        const deviceId = await expandDeviceId(ctx.store, scope, body.device);
        try {
          const waiver = await createWaiver(ctx.store, scope, deviceId, {
            rule: body.rule, reason: body.reason, until: body.until, approver: approverOf(principal, body.approver),
          }, now);
          return { ...waiver, state: waiverState(waiver, now) };
        } catch (err) {
          inApiTerms(err);
        }
      },
    }),
    route({
      method: 'DELETE', url: `${BASE}/waivers/:id`, tags: ['findings'], auth: { org: 'write' }, params: z.strictObject({ id: z.uuid() }),
      summary: 'Revoke a waiver: it stays on record, signed and dated, and its finding counts again',
      handler: async ({ ctx, scope, params }) => {
        const waiver = await revokeWaiver(ctx.store, scope, params.id, ctx.now());
        return { ...waiver, state: 'revoked' as const };
      },
    }),
  ];
}
