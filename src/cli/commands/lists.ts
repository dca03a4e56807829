import type { Command } from 'commander';
import { t } from '../../i18n/messages.js';
import { listNetworks, listSites } from '../../store/sites.js';
import { resolveOrganisation, scopeFor, withStore } from '../context.js';
import { printJson, printTable, type CommandContext } from '../program.js';

export function registerLists(program: Command, ctx: CommandContext): void {
  program
    .command('sites')
    .description('sites of the organisation')
    .command('list')
    .action(async () => {
      const g = ctx.globals();
      await withStore(g, async (store) => {
        const org = await resolveOrganisation(store, g, ctx.io.now());
        const sites = await listSites(store, scopeFor(org, g, 'cli'));
        if (g.json) return printJson(ctx.io, sites);
        if (sites.length === 0) return ctx.io.out(t(g.lang, 'list.empty'));
        printTable(ctx.io, ['id', 'name', 'category', 'address', 'devices'],
          sites.map((s) => [s.id.slice(0, 8), s.name, s.category, [s.address, s.postcode, s.city].filter(Boolean).join(', '), s.devices]));
      });
    });
  program
    .command('networks')
    .description('networks of the organisation')
    .command('list')
    .action(async () => {
      const g = ctx.globals();
      await withStore(g, async (store) => {
        const org = await resolveOrganisation(store, g, ctx.io.now());
        const networks = await listNetworks(store, scopeFor(org, g, 'cli'));
        if (g.json) return printJson(ctx.io, networks);
        if (networks.length === 0) return ctx.io.out(t(g.lang, 'list.empty'));
        printTable(ctx.io, ['id', 'name', 'connectivity', 'remote access', 'cidrs', 'devices'],
          networks.map((n) => [n.id.slice(0, 8), n.name, n.connectivity, n.remoteAccess, n.cidrs.join(' '), n.devices]));
      });
    });
}
