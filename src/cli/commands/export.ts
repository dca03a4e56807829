import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { CamauditError } from '../../core/errors.js';
import { t } from '../../i18n/messages.js';
import { tOpenExport } from '../../i18n/open-export-messages.js';
import { loadActiveKnowledge } from '../../kb/active.js';
import { renderOpenExport, type OpenFormat } from '../../report/open-exports.js';
import { allDevices } from '../../store/devices.js';
import { resolveOrganisation, scopeFor, withStore, type GlobalOptions } from '../context.js';
import { printJson, type CommandContext } from '../program.js';

interface ExportFlags {
  output: string;
  public?: boolean;
  kind?: string;
  status?: string;
  brand?: string;
  manufacturer?: string;
  connectivity?: string;
  q?: string;
}

export function registerExport(program: Command, ctx: CommandContext): void {
  program
    .command('export')
    .description('export devices as CSV or XLSX (formula-injection safe; re-importable), sites as GeoJSON open data, '
      + 'devices as a CycloneDX 1.6 HBOM, or a "Camera in Beeld" list (cib)')
    .argument('<format>', 'csv, xlsx, geojson, cyclonedx or cib')
    .requiredOption('-o, --output <file>', 'file to write')
    .option('--public', 'only what the publication levels allow the public to see')
    .option('--kind <kind>').option('--status <status>').option('--brand <brand>').option('--manufacturer <name>')
    .option('--connectivity <class>').option('--q <text>', 'search text')
    .action(async (format: string, opts: ExportFlags) => {
      const g = ctx.globals();
      if (format === 'geojson' || format === 'cyclonedx' || format === 'cib') return exportOpen(ctx, g, format, opts);
      if (format !== 'csv' && format !== 'xlsx') throw new CamauditError('usage', `export format must be csv, xlsx, geojson, cyclonedx or cib, not "${format}"`);
      await withStore(g, async (store) => {
        const org = await resolveOrganisation(store, g, ctx.io.now());
        const scope = scopeFor(org, g, 'cli');
        const filter = { kind: opts.kind, status: opts.status, brand: opts.brand, manufacturer: opts.manufacturer, connectivity: opts.connectivity, q: opts.q };
        // Custom fields become columns; their names are known only after one pass.
        const keys = new Set<string>();
        if (!opts.public) for await (const d of allDevices(store, scope, filter)) for (const k of Object.keys(d.custom)) keys.add(k);
        const { exportTable, writeCsv, writeXlsx } = await import('../../report/device-export.js');
        const table = exportTable(org, opts.public ? 'public' : 'organisation', [...keys].sort());
        const write = format === 'csv' ? writeCsv : writeXlsx;
        const n = await write(opts.output, table, allDevices(store, scope, filter));
        if (g.json) printJson(ctx.io, { file: opts.output, format, devices: n, public: Boolean(opts.public) });
        else ctx.io.out(t(g.lang, 'export.written', { n, file: opts.output }));
      });
    });
}

/** The device filters, as the flags name them. */
const FILTER_FLAGS = { kind: '--kind', status: '--status', brand: '--brand', manufacturer: '--manufacturer', connectivity: '--connectivity', q: '--q' } as const;

/** The whole register as open data or a bill of materials: the device filters do not apply. */
async function exportOpen(ctx: CommandContext, g: GlobalOptions, format: OpenFormat, opts: ExportFlags): Promise<void> {
  // Ignoring a filter would publish more than the caller asked for.
  const given = Object.entries(FILTER_FLAGS).filter(([key]) => opts[key as keyof typeof FILTER_FLAGS] !== undefined).map(([, flag]) => flag);
  if (given.length > 0) throw new CamauditError('usage', `export ${format} covers the whole register: ${given.join(', ')} cannot be used with it`);
  await withStore(g, async (store) => {
    const now = ctx.io.now();
    const org = await resolveOrganisation(store, g, now);
    const { kb } = await loadActiveKnowledge(store, g.kbOverlay);
    const { text, count } = await renderOpenExport(store, scopeFor(org, g, 'cli'), org, kb, format, opts.public ? 'public' : 'organisation', now);
    await writeFile(opts.output, text, 'utf8');
    if (g.json) printJson(ctx.io, { file: opts.output, format, [format === 'cyclonedx' ? 'devices' : 'sites']: count, public: Boolean(opts.public) });
    else ctx.io.out(tOpenExport(g.lang, format === 'cyclonedx' ? 'openExport.devices' : 'openExport.sites', { n: count, file: opts.output }));
  });
}
