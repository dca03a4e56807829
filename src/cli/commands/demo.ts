import type { Command } from 'commander';
import { DEFAULT_COST_MODEL } from '../../core/plan/costs.js';
import { buildScenario } from '../../core/plan/plan.js';
import type { ScenarioName } from '../../core/plan/types.js';
import { t } from '../../i18n/messages.js';
import { ensureDemoAccount } from '../../lab/demo-account.js';
import { DEMO_ORGANISATION, demoRecords } from '../../lab/demo.js';
import { applyRecords } from '../../store/apply-records.js';
import type { Store } from '../../store/database.js';
import { createOrganisation, findOrganisation } from '../../store/organisations.js';
import { listPlanItems, savePlan } from '../../store/plan-items.js';
import { listSites } from '../../store/sites.js';
import type { GlobalOptions } from '../context.js';
import { identifierFor, scopeFor, withStore } from '../context.js';
import { printJson, type CommandContext } from '../program.js';
import { assessOrganisation } from './assess.js';
import { startServer } from './serve.js';

/**
 * The plan the demo adopts: the risk-based scenario within a budget a municipality of this size
 * could set aside, so the plan's years show a realistic spread of work rather than everything in
 * the first year (which is what an unlimited budget gives).
 */
export const DEMO_PLAN: { scenario: ScenarioName; budgetPerYear: number; capacityPerYear: number; years: number } = {
  scenario: 'risk_based', budgetPerYear: 60_000, capacityPerYear: 40, years: 5,
};

/**
 * Loads (or refreshes) the fictional demo municipality. With `served` (the demo looked at in the
 * browser) it also assesses the register and adopts DEMO_PLAN when the organisation has no plan
 * yet, so findings, the plan and its budget are there from the first screen; without it assessing
 * and planning are left to `camaudit assess` and `camaudit plan --save`, as for a real
 * organisation. Running it twice changes nothing: the register is applied idempotently, and a
 * plan once there (the demo's or one adopted since) is left as it is.
 */
export async function loadDemo(store: Store, g: GlobalOptions, now: string, options: { served?: boolean } = {}) {
  const org = (await findOrganisation(store, DEMO_ORGANISATION.slug)) ?? (await createOrganisation(store, DEMO_ORGANISATION, now, { actor: g.actor, source: 'demo' }));
  const scope = scopeFor(org, g, 'demo');
  const { enrich } = await identifierFor(store, g);
  const counts = await applyRecords(store, scope, demoRecords(), now, enrich);
  if (options.served) {
    const { result, outcome } = await assessOrganisation(store, g, scope, undefined, now);
    if ((await listPlanItems(store, scope)).length === 0) {
      const scenario = buildScenario({
        devices: result.devices, findings: outcome.active, cost: DEFAULT_COST_MODEL, budgetPerYear: DEMO_PLAN.budgetPerYear,
        capacityPerYear: DEMO_PLAN.capacityPerYear, startYear: Number(now.slice(0, 4)), years: DEMO_PLAN.years, now,
      }, DEMO_PLAN.scenario);
      await savePlan(store, scope, scenario, now);
    }
  }
  const sites = await listSites(store, scope);
  return { org, counts, sites: sites.length, devices: sites.reduce((n, s) => n + s.devices, 0) };
}

export function registerDemo(program: Command, ctx: CommandContext): void {
  program
    .command('demo')
    .description('load the fictional demo municipality (idempotent); --serve also assesses it, adopts a demo phase-out plan when there is none and starts the server')
    .option('--serve', 'assess, adopt the demo plan when there is none, then start the server')
    .option('--port <port>', 'port for --serve (default 8080)')
    .option('--host <host>', 'address for --serve (default 127.0.0.1)')
    .option('--config <file>', 'server configuration for --serve (default ./camaudit.yaml when present)')
    .action(async (opts: { serve?: boolean; port?: string; host?: string; config?: string }) => {
      const g = ctx.globals();
      const demo = await withStore(g, (store) => loadDemo(store, g, ctx.io.now(), { served: opts.serve === true }));
      const { created, updated, unchanged } = demo.counts;
      const summary = { name: demo.org.name, sites: demo.sites, devices: demo.devices, created, updated, unchanged };
      if (g.json && !opts.serve) printJson(ctx.io, { organisation: demo.org.slug, ...summary });
      else ctx.io.out(t(g.lang, 'demo.loaded', summary));
      if (!opts.serve) return;
      // The demo account is made inside the server's own start, on the database it serves.
      await startServer(ctx, { ...g, dbGiven: true }, opts, async (store) => {
        const org = await findOrganisation(store, DEMO_ORGANISATION.slug);
        if (!org) return;
        const account = await ensureDemoAccount(store, scopeFor(org, g, 'demo'), ctx.io.env.CAMAUDIT_DEMO_PASSWORD, ctx.io.now());
        ctx.io.out(t(g.lang, 'demo.account', account));
      });
    });
}
