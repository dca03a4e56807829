// Register imports of the organisation in the path. The file is the request body itself (CSV,
// XLSX, GeoJSON or CityGML; no multipart), the options are query parameters as `camaudit import`
// takes them as flags. An import runs as a job; a preview answers at once with the column
// mapping camaudit detects and the first rows read through it, so a person can correct the
// mapping before importing. A preview writes nothing.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { CamauditError } from '../../core/errors.js';
import { IMPORT_FIELDS, isImportField } from '../../core/import/fields.js';
import { assertLooksLikeRegister, detectMapping, parseMapOption, type ColumnMapping } from '../../core/import/mapping.js';
import { toRecords, type ImportRecord, type RowError } from '../../core/import/record.js';
import { NETHERLANDS_BBOX, type BBox } from '../../core/model.js';
import { scanFormatOf } from '../../ingest/scan-import.js';
import { openTable } from '../../ingest/open-table.js';
import { UPLOAD_LIMIT } from '../limits.js';
import { withTempDir } from '../jobs/handlers/temp-dir.js';
import { submitJob } from '../jobs/submit.js';
import { route, type RouteSpec } from '../route.js';
import { acceptedJob } from './job-accepted.js';
import { ORG } from './register-query.js';

/** Media types an upload may be sent with; the content decides the format, not the type. */
export const UPLOAD_MEDIA_TYPES = [
  'application/octet-stream',
  'text/csv',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/geo+json',
  'application/gml+xml',
] as const;

/**
 * Lets the app take uploads as bytes: `req.body` is then a Buffer. JSON keeps its own parser, so
 * other routes are unaffected. Registering twice is harmless.
 */
export function registerUploadBodyParser(app: FastifyInstance): void {
  for (const type of UPLOAD_MEDIA_TYPES) {
    if (app.hasContentTypeParser(type)) continue;
    app.addContentTypeParser(type, { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  }
}

const Flag = z.enum(['true', 'false']).default('false').transform((v) => v === 'true');

/** As a job stores its files: no directories, nothing a header or a shell could misread. */
export const FileName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._ -]{0,199}$/, 'letters, digits, . _ - and spaces, starting with a letter or digit')
  .refine((n) => !n.includes('..'), 'may not contain ".."');

/** `{"Column": "field"}` as JSON, the same as repeated `--map Column=field` ("ignore" drops a column). */
const MapParam = z.string().max(20_000).transform((text, ctx) => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = null;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    ctx.addIssue({ code: 'custom', message: 'must be a JSON object of "Column": field' });
    return z.NEVER;
  }
  const out: Record<string, string> = {};
  for (const [column, field] of Object.entries(parsed)) {
    if (typeof field !== 'string' || (field !== 'ignore' && !isImportField(field))) {
      ctx.addIssue({ code: 'custom', message: `column "${column}" maps to unknown field "${String(field)}" (fields: ${IMPORT_FIELDS.join(', ')}, ignore)` });
      return z.NEVER;
    }
    out[column] = field;
  }
  return out;
});

/** minLon,minLat,maxLon,maxLat that positions must lie in; the organisation's area by default. */
const AreaParam = z.string().max(200).transform((text, ctx): BBox => {
  const n = text.split(',').map((p) => Number(p.trim()));
  if (n.length !== 4 || n.some((v) => !Number.isFinite(v)) || n[0]! >= n[2]! || n[1]! >= n[3]!) {
    ctx.addIssue({ code: 'custom', message: 'must be minLon,minLat,maxLon,maxLat' });
    return z.NEVER;
  }
  return [n[0]!, n[1]!, n[2]!, n[3]!];
});

const ImportQuery = z.strictObject({
  fileName: FileName,
  dryRun: Flag,
  skipInvalid: Flag,
  map: MapParam.optional(),
  sheet: z.string().max(200).optional(),
  area: AreaParam.optional(),
});

const PreviewQuery = z.strictObject({
  fileName: FileName,
  map: MapParam.optional(),
  sheet: z.string().max(200).optional(),
  area: AreaParam.optional(),
  rows: z.coerce.number().int().min(1).max(200).default(20),
});

function upload(body: unknown, fileName: string): Buffer {
  if (!Buffer.isBuffer(body) || body.length === 0) {
    throw new CamauditError('invalid_input', `send the file as the request body, with Content-Type ${UPLOAD_MEDIA_TYPES.join(', ')}`);
  }
  const scan = scanFormatOf(body.subarray(0, 65_536).toString('utf8'));
  if (scan) {
    throw new CamauditError('invalid_input', `${fileName} is ${scan === 'nmap' ? 'an nmap report' : 'a scan bundle'}, not a register; upload it as a scan run`);
  }
  return body;
}

interface PreviewRow {
  row: number;
  records: Omit<ImportRecord, 'row'>[];
  errors: RowError[];
}

function columns(headers: readonly string[], mapping: ColumnMapping) {
  return headers.map((header, index) => ({ index, header, field: mapping.fields.get(index) ?? null, custom: mapping.custom.get(index) ?? null }));
}

export function importRoutes(): RouteSpec[] {
  return [
    route({
      method: 'POST', url: `${ORG}/imports`, summary: 'Import a register file (the request body) as a job; dryRun=true reports what would change', tags: ['imports'],
      auth: { org: 'write' }, query: ImportQuery, status: 202, bodyLimit: UPLOAD_LIMIT,
      handler: async ({ ctx, scope, org, query: q, raw, reply }) => {
        const content = upload(raw.body, q.fileName);
        const job = await submitJob(ctx, scope, {
          kind: 'import',
          params: {
            file: q.fileName, dryRun: q.dryRun, skipInvalid: q.skipInvalid, map: q.map ?? {},
            ...(q.sheet !== undefined ? { sheet: q.sheet } : {}), ...(q.area ? { area: q.area } : {}),
          },
          files: [{ name: q.fileName, content }],
        });
        return acceptedJob(reply, org, job);
      },
    }),
    route({
      method: 'POST', url: `${ORG}/imports/preview`, summary: 'The column mapping camaudit detects in a register file and its first rows read through it; writes nothing', tags: ['imports'],
      auth: { org: 'write' }, query: PreviewQuery, bodyLimit: UPLOAD_LIMIT,
      handler: async ({ org, query: q, raw }) => {
        const content = upload(raw.body, q.fileName);
        const overrides = parseMapOption(Object.entries(q.map ?? {}).map(([column, field]) => `${column}=${field}`));
        return withTempDir(async (dir) => {
          const file = join(dir, q.fileName);
          await writeFile(file, content);
          const table = await openTable(file, { maxBytes: UPLOAD_LIMIT, sheet: q.sheet });
          const mapping = detectMapping(table.headers, overrides);
          let problem: string | null = null;
          try {
            assertLooksLikeRegister(mapping, table.headers, q.fileName);
          } catch (err) {
            if (!(err instanceof CamauditError)) throw err;
            problem = err.message;
          }
          // Mangled coordinates are repaired only from a whole column, which a preview does not
          // read: here they show as row errors.
          const context = { headers: table.headers, mapping, area: q.area ?? org.area ?? NETHERLANDS_BBOX, repairs: new Map() };
          const rows: PreviewRow[] = [];
          for await (const source of table.rows()) {
            const { records, errors } = toRecords(source, context);
            rows.push({ row: source.row, records: records.map(({ row: _row, ...r }) => r), errors });
            if (rows.length >= q.rows) break;
          }
          return {
            fileName: q.fileName, format: table.format, sheet: table.sheet ?? null, notes: table.notes,
            columns: columns(table.headers, mapping), repeatedBlocks: mapping.groups?.length ?? 0, problem, rows, fields: IMPORT_FIELDS,
          };
        });
      },
    }),
  ];
}
