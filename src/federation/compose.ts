// The organisation's own aggregate, as it would be published: its register read through the
// store, grouped by the knowledge base and the organisation's policy, counted and suppressed.
import { buildAggregate } from '../core/aggregate/build.js';
import { makerGrouping } from '../core/aggregate/maker-groups.js';
import type { AggregatePayload } from '../core/aggregate/payload.js';
import { dayOf } from '../core/assess/waivers.js';
import { CamauditError } from '../core/errors.js';
import type { Organisation } from '../core/model.js';
import { loadPolicy } from '../ingest/policy.js';
import type { KnowledgeBase } from '../kb/schema.js';
import type { Store } from '../store/database.js';
import { loadAggregateInputs } from '../store/federation.js';
import { getOrganisationPolicy } from '../store/policies.js';
import type { TenantScope } from '../store/tenant.js';

export interface ComposeOptions {
  /** The day the figures describe; today (in the Netherlands) when absent. */
  period?: string;
  threshold: number;
}

export function checkPeriod(period: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(period) || Number.isNaN(Date.parse(`${period}T00:00:00Z`)) || !new Date(`${period}T00:00:00Z`).toISOString().startsWith(period)) {
    throw new CamauditError('usage', `period "${period}": expected a date as YYYY-MM-DD`);
  }
  return period;
}

export async function composeAggregate(
  store: Store, org: Organisation, scope: TenantScope, kb: KnowledgeBase, options: ComposeOptions, now: string,
): Promise<AggregatePayload> {
  const policy = await loadPolicy(undefined, await getOrganisationPolicy(store, scope));
  const inputs = await loadAggregateInputs(store, scope, now);
  return buildAggregate(inputs, {
    // A municipality is known by its CBS code; another body by its slug.
    source: { code: org.cbsCode ?? org.slug, name: org.name },
    period: checkPeriod(options.period ?? dayOf(now)),
    generatedAt: now,
    threshold: options.threshold,
    makerGroup: makerGrouping(kb, policy),
  });
}
