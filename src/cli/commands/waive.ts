// `camaudit waive`: accept one rule's risk on one device for a reason, approved by a named person,
// until a date; list the waivers; revoke one. Expired waivers need no clean-up: `assess` counts
// the finding again from the day after `--until`.
import type { Command } from 'commander';
import { CamauditError } from '../../core/errors.js';
import { waiverInForce } from '../../core/assess/waivers.js';
import { t } from '../../i18n/messages.js';
import { expandDeviceId } from '../../store/devices.js';
import { createWaiver, listWaivers, revokeWaiver } from '../../store/waivers.js';
import { resolveOrganisation, scopeFor, withStore } from '../context.js';
import { printJson, printTable, type CommandContext } from '../program.js';


interface WaiveFlags {
  reason?: string;
  until?: string;
  approver?: string;
}

export function registerWaive(program: Command, ctx: CommandContext): void {
  const waive = program
    .command('waive')
    .description('accept the risk of one finding (device + rule) until a date; list and revoke waivers')
    .argument('[device]', 'device id (or a unique prefix)')
    .argument('[rule]', 'the rule whose finding is accepted, e.g. vendor_cloud')
    .option('--reason <text>', 'why the organisation accepts this risk (required)')
    .option('--until <date>', 'last day the waiver holds, YYYY-MM-DD (required, today or later)')
    .option('--approver <name>', 'who accepts the risk (default: the acting user)')
    .action(async (device: string | undefined, rule: string | undefined, opts: WaiveFlags) => {
      if (device === undefined || rule === undefined) throw new CamauditError('usage', 'waive: give DEVICE and RULE (or use waive list, waive revoke ID)');
      const g = ctx.globals();
      const now = ctx.io.now();
      await withStore(g, async (store) => {
        const org = await resolveOrganisation(store, g, now);
        const scope = scopeFor(org, g, 'waive');
        const deviceId = await expandDeviceId(store, scope, device);
        const waiver = await createWaiver(store, scope, deviceId, { rule, reason: opts.reason, until: opts.until, approver: opts.approver ?? g.actor }, now);
        if (g.json) return printJson(ctx.io, waiver);
        ctx.io.out(t(g.lang, 'waive.created', { id: waiver.id.slice(0, 8), rule: waiver.rule, device: deviceId.slice(0, 8), until: waiver.until, approver: waiver.approver }));
      });
    });

  waive.command('list').description('waivers in force and expired ones; --all adds revoked ones')
    .option('--all', 'include revoked waivers')
    .action(async (opts: { all?: boolean }) => {
      const g = ctx.globals();
      const now = ctx.io.now();
      await withStore(g, async (store) => {
        const org = await resolveOrganisation(store, g, now);
        const waivers = await listWaivers(store, scopeFor(org, g, 'waive'), { includeRevoked: Boolean(opts.all) });
        if (g.json) return printJson(ctx.io, waivers.map((w) => ({ ...w, inForce: waiverInForce(w, now) })));
        if (waivers.length === 0) return ctx.io.out(t(g.lang, 'list.empty'));
        printTable(ctx.io, ['id', 'device', 'rule', 'until', 'state', 'approver', 'reason'], waivers.map((w) => [
          w.id.slice(0, 8), w.deviceId.slice(0, 8), w.rule, w.until,
          w.revokedAt !== null ? `revoked ${w.revokedAt.slice(0, 10)}` : waiverInForce(w, now) ? 'in force' : 'expired',
          w.approver, w.reason,
        ]));
      });
    });

  waive.command('revoke').description('withdraw a waiver; its finding counts again').argument('<id>', 'waiver id (or a unique prefix)')
    .action(async (id: string) => {
      const g = ctx.globals();
      const now = ctx.io.now();
      await withStore(g, async (store) => {
        const org = await resolveOrganisation(store, g, now);
        const waiver = await revokeWaiver(store, scopeFor(org, g, 'waive'), id, now);
        if (g.json) return printJson(ctx.io, waiver);
        ctx.io.out(t(g.lang, 'waive.revoked', { id: waiver.id.slice(0, 8), rule: waiver.rule, device: waiver.deviceId.slice(0, 8) }));
      });
    });
}
