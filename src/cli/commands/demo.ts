import type { Command } from 'commander';
import { t } from '../../i18n/messages.js';
import { ensureDemoAccount } from '../../lab/demo-account.js';
import { DEMO_ORGANISATION, demoRecords } from '../../lab/demo.js';
import { applyRecords } from '../../store/apply-records.js';
import type { Store } from '../../store/database.js';
import { createOrganisation, findOrganisation } from '../../store/organisations.js';
import { listSites } from '../../store/sites.js';
import type { GlobalOptions } from '../context.js';
import { identifierFor, scopeFor, withStore } from '../context.js';
import { printJson, type CommandContext } from '../program.js';
import { assessOrganisation } from './assess.js';
import { startServer } from './serve.js';

/**
 * Loads (or refreshes) the fictional demo municipality and assesses it, so findings and plan
 * scenarios are there from the first screen; running it twice changes nothing in the register.
 */
export async function loadDemo(store: Store, g: GlobalOptions, now: string) {
  const org = (await findOrganisation(store, DEMO_ORGANISATION.slug)) ?? (await createOrganisation(store, DEMO_ORGANISATION, now, { actor: g.actor, source: 'demo' }));
  const scope = scopeFor(org, g, 'demo');
  const { enrich } = await identifierFor(store, g);
  const counts = await applyRecords(store, scope, demoRecords(), now, enrich);
  await assessOrganisation(store, g, scope, undefined, now);
  const sites = await listSites(store, scope);
  return { org, counts, sites: sites.length, devices: sites.reduce((n, s) => n + s.devices, 0) };
}

export function registerDemo(program: Command, ctx: CommandContext): void {
  program
    .command('demo')
    .description('load the fictional demo municipality (idempotent); --serve also starts the server')
    .option('--serve', 'start the server afterwards')
    .option('--port <port>', 'port for --serve (default 8080)')
    .option('--host <host>', 'address for --serve (default 127.0.0.1)')
    .option('--config <file>', 'server configuration for --serve (default ./camaudit.yaml when present)')
    .action(async (opts: { serve?: boolean; port?: string; host?: string; config?: string }) => {
      const g = ctx.globals();
      const demo = await withStore(g, (store) => loadDemo(store, g, ctx.io.now()));
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
