// The coordinator's side of the API benchmark: every organisation composes its anonymised
// aggregate from its devices and publishes it to a coordinating organisation in the same
// database; then the coordinator's national summary is computed over what it received.
import { performance } from 'node:perf_hooks';
import { summarise } from '../src/core/aggregate/summarise.js';
import { composeAggregate } from '../src/federation/compose.js';
import { receiveAggregate } from '../src/federation/receive.js';
import { loadActiveKnowledge } from '../src/kb/active.js';
import type { Store } from '../src/store/database.js';
import { loadAggregateHeads } from '../src/store/federation.js';
import { createOrganisation, findOrganisation } from '../src/store/organisations.js';
import type { Seeded } from './api.js';

const TARGET_SUMMARY_MS = 300;
const THRESHOLD = 5;
const NOW = '2026-11-28T12:00:00.000Z';

export async function runCoordinatorBench(store: Store, seeded: Seeded, strict: boolean): Promise<boolean> {
  const kb = (await loadActiveKnowledge(store)).kb;
  const coordinator = await createOrganisation(store, { slug: 'landelijk', name: 'Landelijke coordinatie' }, NOW);
  const coordScope = { orgId: coordinator.id, actor: 'bench', source: 'bench' };
  const composeMs: number[] = [];
  let devices = 0;
  const started = performance.now();
  for (const o of seeded.orgs) {
    const org = (await findOrganisation(store, o.slug))!;
    const t0 = performance.now();
    const payload = await composeAggregate(store, org, { orgId: org.id, actor: 'bench', source: 'bench' }, kb, { threshold: THRESHOLD, period: '2026-11-28' }, NOW);
    composeMs.push(performance.now() - t0);
    devices += payload.totals.devices ?? 0;
    await receiveAggregate(store, coordScope, payload, { via: 'local', origin: o.slug, minThreshold: THRESHOLD, now: NOW });
  }
  const publishS = (performance.now() - started) / 1000;
  composeMs.sort((a, b) => a - b);
  console.log(`federation: ${seeded.orgs.length} organisations composed and published aggregates of ${devices.toLocaleString('en')} devices in ${publishS.toFixed(1)} s (per organisation median ${composeMs[Math.floor(composeMs.length / 2)]!.toFixed(0)} ms, max ${composeMs[composeMs.length - 1]!.toFixed(0)} ms)`);

  const runs: number[] = [];
  let summary: ReturnType<typeof summarise> | null = null;
  for (let i = 0; i < 21; i++) {
    const t0 = performance.now();
    summary = summarise(await loadAggregateHeads(store, coordScope), { threshold: THRESHOLD });
    runs.push(performance.now() - t0);
  }
  runs.sort((a, b) => a - b);
  const median = runs[10]!;
  console.log(`coordinator summary over ${seeded.orgs.length} aggregates (${devices.toLocaleString('en')} devices): median ${median.toFixed(1)} ms, max ${runs[20]!.toFixed(1)} ms of 21 runs`);
  console.log(`  headline: ${JSON.stringify(summary!.headlines)}`);
  const pass = median <= TARGET_SUMMARY_MS;
  console.log(`  target ≤ ${TARGET_SUMMARY_MS} ms: ${pass ? 'PASS' : 'MISSED'}`);
  return pass || !strict;
}
