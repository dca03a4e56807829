// `camaudit scans`: the stored scan runs, one run's hosts, and what changed between two runs.
import type { Command } from 'commander';
import { diffScans } from '../../discover/diff.js';
import { t } from '../../i18n/messages.js';
import { getRun, listRuns, runHosts } from '../../store/scans.js';
import { resolveOrganisation, scopeFor, withStore } from '../context.js';
import { printJson, printTable, type CommandContext } from '../program.js';

const num = (v: unknown) => (typeof v === 'number' ? v : '');

export function registerScans(program: Command, ctx: CommandContext): void {
  const scans = program.command('scans').description('stored scan runs: list, show, diff');

  scans.command('list').description('every scan run, newest first').action(async () => {
    const g = ctx.globals();
    await withStore(g, async (store) => {
      const org = await resolveOrganisation(store, g, ctx.io.now());
      const runs = await listRuns(store, scopeFor(org, g, 'scans'));
      if (g.json) return printJson(ctx.io, runs);
      printTable(ctx.io, ['RUN', 'ORIGIN', 'STATUS', 'STARTED', 'ADDRESSES', 'ANSWERED', 'NEW', 'UPDATED', 'TARGETS'], runs.map((r) => [
        r.id.slice(0, 8), r.origin, r.status, r.startedAt, num(r.stats.done), num(r.stats.found), num(r.stats.created), num(r.stats.updated),
        Array.isArray(r.params.targets) ? (r.params.targets as string[]).join(' ') : '',
      ]));
    });
  });

  scans.command('show').description('the hosts one run found').argument('<run>').action(async (id: string) => {
    const g = ctx.globals();
    await withStore(g, async (store) => {
      const org = await resolveOrganisation(store, g, ctx.io.now());
      const scope = scopeFor(org, g, 'scans');
      const run = await getRun(store, scope, id);
      const hosts = await runHosts(store, scope, run.id);
      if (g.json) return printJson(ctx.io, { ...run, devices: hosts.map((h) => ({ ...h.found, deviceId: h.deviceId })) });
      ctx.io.out(`run ${run.id} (${run.origin}, ${run.status}) started ${run.startedAt}${run.finishedAt ? `, finished ${run.finishedAt}` : ''}`);
      printTable(ctx.io, ['IP', 'MAKER', 'BRAND', 'MODEL', 'FIRMWARE', 'KIND', 'IN REGISTER', 'RISK FACTS'], hosts.map((h) => [
        h.ip, h.found.manufacturer ?? '?', h.found.brand, h.found.model, h.found.firmware, h.found.kind,
        h.deviceId ? h.deviceId.slice(0, 8) : '-', h.found.facts.map((f) => f.fact).join(', '),
      ]));
    });
  });

  scans.command('diff').description('new, gone and changed devices between two runs').argument('<a>').argument('<b>').action(async (a: string, b: string) => {
    const g = ctx.globals();
    await withStore(g, async (store) => {
      const org = await resolveOrganisation(store, g, ctx.io.now());
      const scope = scopeFor(org, g, 'scans');
      const [runA, runB] = [await getRun(store, scope, a), await getRun(store, scope, b)];
      const found = async (runId: string) => (await runHosts(store, scope, runId)).map((h) => h.found);
      const result = diffScans(await found(runA.id), await found(runB.id));
      if (g.json) return printJson(ctx.io, { from: runA.id, to: runB.id, ...result });
      ctx.io.out(t(g.lang, 'scans.diff', {
        from: runA.id.slice(0, 8), fromAt: runA.startedAt, to: runB.id.slice(0, 8), toAt: runB.startedAt,
        added: result.added.length, gone: result.gone.length, changed: result.changed.length, unchanged: result.unchanged,
      }));
      const rows: unknown[][] = [
        ...result.added.map((d) => ['new', d.ip, d.manufacturer ?? '?', d.model, '']),
        ...result.gone.map((d) => ['gone', d.ip, d.manufacturer ?? '?', d.model, '']),
        ...result.changed.map((c) => ['changed', c.ip, c.manufacturer ?? '?', '', c.changes.map((x) => `${x.field}: ${JSON.stringify(x.before)} → ${JSON.stringify(x.after)}`).join('; ')]),
      ];
      if (rows.length > 0) printTable(ctx.io, ['', 'IP', 'MAKER', 'MODEL', 'CHANGES'], rows);
    });
  });
}
