// Device exports of the organisation in the path, as `camaudit export` writes them: the same
// filters as the device list, cells that a spreadsheet would run as formulas neutralised, and
// headers an import reads back without a mapping.
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { deviceForCaller, exportTable, writeCsv, writeXlsx } from '../../report/device-export.js';
import { OPEN_FORMATS, renderOpenExport, type OpenFormat } from '../../report/open-exports.js';
import { allDevices, type DeviceView } from '../../store/devices.js';
import { route, type RouteSpec } from '../route.js';
import { currentPublication, devicePlacement } from './register.js';
import { DEVICE_FILTERS, deviceFilter, ORG } from './register-query.js';
import { seesSecretPositions } from './site-visibility.js';

const FORMATS = {
  csv: { write: writeCsv, type: 'text/csv; charset=utf-8' },
  xlsx: { write: writeXlsx, type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
} as const;

const ExportQuery = z.strictObject({
  ...DEVICE_FILTERS,
  /** Only what the organisation's publication policy lets the public see. */
  public: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
});

function exportRoute(format: keyof typeof FORMATS): RouteSpec {
  return route({
    method: 'GET', url: `${ORG}/exports/devices.${format}`, summary: `Devices as ${format.toUpperCase()}, filtered like the device list`, tags: ['register'],
    auth: { org: 'read' }, query: ExportQuery, raw: true,
    handler: async ({ ctx, scope, org: cached, role, query: q, reply }) => {
      const org = { ...cached, publication: await currentPublication(ctx, scope) };
      const filter = deviceFilter(q, { kb: await ctx.knowledge(), now: ctx.now() });
      // Positions as precise as the caller may see them, in either edition (as on the device list).
      const precision = await devicePlacement(ctx, scope, role);
      async function* placed(): AsyncGenerator<DeviceView> {
        for await (const d of allDevices(ctx.store, scope, filter)) yield deviceForCaller(d, precision(d));
      }
      // Custom fields become columns; their names are known only after one pass.
      const keys = new Set<string>();
      if (!q.public) for await (const d of allDevices(ctx.store, scope, filter)) for (const k of Object.keys(d.custom)) keys.add(k);
      const table = exportTable(org, q.public ? 'public' : 'organisation', [...keys].sort());
      // The writers stream rows from the store into a file; the finished file is streamed as the
      // answer (a large register is never held in memory whole) and removed once sent.
      const dir = await mkdtemp(join(tmpdir(), 'camaudit-export-'));
      const removeDir = () => rm(dir, { recursive: true, force: true });
      const file = join(dir, `devices.${format}`);
      try {
        await FORMATS[format].write(file, table, placed());
      } catch (err) {
        await removeDir();
        throw err;
      }
      const body = createReadStream(file);
      body.once('close', () => void removeDir());
      // The slug is lower-case letters, digits and dashes: safe in the header as it is.
      return reply.type(FORMATS[format].type)
        .header('content-disposition', `attachment; filename="${org.slug}-devices${q.public ? '-public' : ''}.${format}"`)
        .send(body);
    },
  });
}

const OpenQuery = z.strictObject({ public: ExportQuery.shape.public });

const OPEN_SUMMARIES: Record<OpenFormat, string> = {
  geojson: 'Sites as GeoJSON open data (RFC 7946), positions as precise as the publication policy allows',
  cyclonedx: 'Devices as a CycloneDX 1.6 hardware bill of materials, true makers and firmware included',
  cib: 'Sites with cameras as a "Camera in Beeld"-style CSV: owner, address, cameras, purpose, retention',
};

/** The whole register as open data or a bill of materials; the device filters do not apply. */
function openExportRoute(format: OpenFormat): RouteSpec {
  const { type, file } = OPEN_FORMATS[format];
  return route({
    method: 'GET', url: `${ORG}/exports/${file}`, summary: OPEN_SUMMARIES[format], tags: ['register'],
    auth: { org: 'read' }, query: OpenQuery, raw: true,
    handler: async ({ ctx, scope, org: cached, role, query: q, reply }) => {
      const org = { ...cached, publication: await currentPublication(ctx, scope) };
      const { text } = await renderOpenExport(
        ctx.store, scope, org, await ctx.knowledge(), format, q.public ? 'public' : 'organisation', ctx.now(), seesSecretPositions(role),
      );
      return reply.type(type)
        .header('content-disposition', `attachment; filename="${org.slug}-${q.public ? 'public-' : ''}${file}"`)
        .send(text);
    },
  });
}

export function exportRoutes(): RouteSpec[] {
  return [exportRoute('csv'), exportRoute('xlsx'), openExportRoute('geojson'), openExportRoute('cyclonedx'), openExportRoute('cib')];
}
