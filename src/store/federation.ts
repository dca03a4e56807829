// Federation in the store: what an aggregate counts, read from an organisation's register in one
// grouped query, and the aggregates a coordinating organisation has received. Received aggregates
// are stored as the validated document (nothing finer can be in it: core/aggregate/payload.ts),
// one per source and period, a newer one for the same period replacing the older, each receipt in
// the coordinator's audit trail.
import { sql } from 'kysely';
import type { AggregateInput } from '../core/aggregate/build.js';
import type { AggregateHead, AggregatePayload } from '../core/aggregate/payload.js';
import { SEVERITIES, SEVERITY_RANK, type Severity } from '../core/assess/types.js';
import { dayOf } from '../core/assess/waivers.js';
import { appendAudit } from './audit.js';
import type { Store } from './database.js';
import { newId } from './ids.js';
import type { TenantScope } from './tenant.js';

/** How an aggregate reached the coordinator. */
export type ReceivedVia = 'local' | 'https' | 'file';

export interface ReceivedAggregate {
  id: string;
  sourceCode: string;
  sourceName: string;
  period: string;
  publishedAt: string;
  receivedAt: string;
  receivedVia: ReceivedVia;
}

const BY_RANK = new Map<number, Severity>(SEVERITIES.map((s) => [SEVERITY_RANK[s] + 1, s]));

/**
 * The organisation's devices grouped by what an aggregate counts: maker (identification's
 * verdict, or the stated maker before there is one), site category, network connectivity, status
 * and the most serious finding no waiver in force sets aside. One query whatever the register's
 * size; the answer has a row per combination, not per device.
 */
export async function loadAggregateInputs(store: Store, scope: TenantScope, now: string): Promise<AggregateInput[]> {
  const today = dayOf(now);
  // Ranks one above SEVERITY_RANK, so that 0 can mean "no open finding" inside max().
  const rank = sql<number>`case f.severity ${sql.join(SEVERITIES.map((s) => sql`when ${s} then ${SEVERITY_RANK[s] + 1}`), sql` `)} else 0 end`;
  const worst = store.db.selectFrom('findings as f')
    .select(['f.device_id', sql<number>`max(${rank})`.as('rank')])
    .where('f.org_id', '=', scope.orgId)
    .where(({ not, exists, selectFrom }) => not(exists(
      selectFrom('waivers as w').select(sql<number>`1`.as('one'))
        .whereRef('w.device_id', '=', 'f.device_id').whereRef('w.rule', '=', 'f.rule')
        .where('w.org_id', '=', scope.orgId).where('w.revoked_at', 'is', null).where('w.until', '>=', today),
    )))
    .groupBy('f.device_id')
    .as('worst');
  const rows = await store.db.selectFrom('devices as d')
    .leftJoin('sites as s', (j) => j.onRef('s.id', '=', 'd.site_id').on('s.org_id', '=', scope.orgId))
    .leftJoin('networks as n', (j) => j.onRef('n.id', '=', 'd.network_id').on('n.org_id', '=', scope.orgId))
    .leftJoin(worst, 'worst.device_id', 'd.id')
    .select(['d.manufacturer', 's.category', 'n.connectivity', 'd.status', 'worst.rank', sql<number>`count(*)`.as('devices')])
    .where('d.org_id', '=', scope.orgId)
    .groupBy(['d.manufacturer', 's.category', 'n.connectivity', 'd.status', 'worst.rank'])
    .execute();
  return rows.map((r) => ({
    manufacturer: r.manufacturer,
    siteCategory: r.category,
    connectivity: r.connectivity,
    status: r.status,
    severity: BY_RANK.get(Number(r.rank ?? 0)) ?? null,
    devices: Number(r.devices),
  }));
}

/**
 * Stores a validated aggregate for the coordinating organisation `scope`: a new source and
 * period is added, the same source and period again replaces the earlier document. The audit
 * entry records who sent what, not the figures (the document itself is kept in the table).
 */
export async function storeAggregate(
  store: Store, scope: TenantScope, payload: AggregatePayload, via: ReceivedVia, now: string,
): Promise<{ id: string; replaced: boolean }> {
  const { cells, ...head } = payload;
  const values = {
    source_name: payload.source.name, published_at: payload.generatedAt, received_at: now, received_via: via,
    // Cells last: loadAggregateHeads reads only what comes before them.
    payload_json: JSON.stringify({ ...head, cells }),
  };
  return store.db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('federation_aggregates').select(['id', 'published_at', 'received_via'])
      .where('coordinator_org_id', '=', scope.orgId).where('source_code', '=', payload.source.code).where('period', '=', payload.period)
      .executeTakeFirst();
    const id = before?.id ?? newId();
    await trx.insertInto('federation_aggregates')
      .values({ id, coordinator_org_id: scope.orgId, source_code: payload.source.code, period: payload.period, ...values })
      .onConflict((oc) => oc.columns(['coordinator_org_id', 'source_code', 'period']).doUpdateSet(values))
      .execute();
    const summary = (publishedAt: string, receivedVia: string) => ({
      source: payload.source.code, period: payload.period, publishedAt, via: receivedVia,
    });
    await appendAudit(trx, store.engine, scope, [{
      action: before ? 'replace' : 'receive', entityType: 'federation_aggregate', entityId: id,
      before: before ? summary(before.published_at, before.received_via) : null,
      after: { ...summary(payload.generatedAt, via), name: payload.source.name, threshold: payload.threshold, devices: payload.totals.devices },
    }], now);
    return { id, replaced: before !== undefined };
  });
}

/** The aggregates the coordinating organisation received, newest period first. */
export async function listAggregates(store: Store, scope: TenantScope): Promise<ReceivedAggregate[]> {
  const rows = await store.db.selectFrom('federation_aggregates')
    .select(['id', 'source_code', 'source_name', 'period', 'published_at', 'received_at', 'received_via'])
    .where('coordinator_org_id', '=', scope.orgId)
    .orderBy('period', 'desc').orderBy('source_code')
    .execute();
  return rows.map((r) => ({
    id: r.id, sourceCode: r.source_code, sourceName: r.source_name, period: r.period,
    publishedAt: r.published_at, receivedAt: r.received_at, receivedVia: r.received_via as ReceivedVia,
  }));
}

/**
 * Longer than any aggregate's text before its cells: every count has at most ten digits and the
 * publisher's name at most 120 letters (a test builds the longest possible head).
 */
export const HEAD_CHARS = 8192;
const CELLS_KEY = ',"cells":';

/**
 * Every received aggregate without its cells: all a summary reads. Only the start of each stored
 * document is fetched, so a summary over thousands of aggregates moves kilobytes, not the cells
 * of every municipality; a document whose cells do not start there is read whole.
 */
export async function loadAggregateHeads(store: Store, scope: TenantScope): Promise<AggregateHead[]> {
  const rows = await store.db.selectFrom('federation_aggregates')
    .select(['id', sql<string>`substr(payload_json, 1, ${HEAD_CHARS})`.as('head')])
    .where('coordinator_org_id', '=', scope.orgId)
    .execute();
  return Promise.all(rows.map(async (r) => {
    const cut = r.head.indexOf(CELLS_KEY);
    if (cut >= 0) return JSON.parse(`${r.head.slice(0, cut)}}`) as AggregateHead;
    const full = await store.db.selectFrom('federation_aggregates').select('payload_json')
      .where('coordinator_org_id', '=', scope.orgId).where('id', '=', r.id).executeTakeFirstOrThrow();
    const { cells: _cells, ...head } = JSON.parse(full.payload_json) as AggregatePayload;
    return head;
  }));
}
