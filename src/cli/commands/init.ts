import type { Command } from 'commander';
import { CamauditError } from '../../core/errors.js';
import type { BBox } from '../../core/model.js';
import { t } from '../../i18n/messages.js';
import { createOrganisation, slugify } from '../../store/organisations.js';
import { withStore } from '../context.js';
import { printJson, type CommandContext } from '../program.js';

export function parseBBox(text: string): BBox {
  const parts = text.split(',').map((p) => Number(p.trim()));
  const [minLon, minLat, maxLon, maxLat] = parts;
  if (
    parts.length !== 4 || parts.some((n) => !Number.isFinite(n)) ||
    minLon! >= maxLon! || minLat! >= maxLat! || minLat! < -90 || maxLat! > 90 || minLon! < -180 || maxLon! > 180
  ) {
    throw new CamauditError('usage', `--area "${text}": expected minLon,minLat,maxLon,maxLat in WGS84 degrees`);
  }
  return [minLon!, minLat!, maxLon!, maxLat!];
}

export function registerInit(program: Command, ctx: CommandContext): void {
  program
    .command('init')
    .description('create the database (if needed) and an organisation')
    .requiredOption('--name <name>', 'organisation name, e.g. "Gemeente Utrecht"')
    .option('--cbs <code>', 'CBS municipality code, e.g. GM0344')
    .option('--slug <slug>', 'short identifier (default: from the name)')
    .option('--country <code>', 'ISO country code', 'NL')
    .option('--area <bbox>', 'area positions must fall in: minLon,minLat,maxLon,maxLat')
    .action(async (opts: { name: string; cbs?: string; slug?: string; country: string; area?: string }) => {
      const g = ctx.globals();
      await withStore(g, async (store) => {
        const org = await createOrganisation(store, {
          slug: opts.slug ?? slugify(opts.name),
          name: opts.name,
          cbsCode: opts.cbs ?? null,
          country: opts.country,
          area: opts.area ? parseBBox(opts.area) : null,
        }, ctx.io.now(), { actor: g.actor, source: 'cli' });
        if (g.json) printJson(ctx.io, org);
        else ctx.io.out(t(g.lang, 'init.created', { name: org.name, slug: org.slug, db: store.location }));
      });
    });
}
