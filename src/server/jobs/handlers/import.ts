// `import` jobs: a register file (CSV, XLSX, GeoJSON, CityGML) through the same pipeline as
// `camaudit import`, with the same options; the result is the report `camaudit import --json` prints.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { CamauditError } from '../../../core/errors.js';
import { parseMapOption } from '../../../core/import/mapping.js';
import { importFile } from '../../../ingest/import-file.js';
import { scanFormatOf } from '../../../ingest/scan-import.js';
import { DEFAULT_MAX_BYTES } from '../../../ingest/sniff.js';
import { identifierFor } from '../../../kb/knowledge.js';
import { JobCancelled, type JobHandler } from '../types.js';
import { withTempDir } from './temp-dir.js';

export const ImportJobParams = z.strictObject({
  /** The uploaded file, stored with the job as in/<file>. */
  file: z.string().min(1).max(200),
  dryRun: z.boolean().default(false),
  skipInvalid: z.boolean().default(false),
  /** Column → field, as `--map Column=field` ("ignore" drops the column). */
  map: z.record(z.string().max(200), z.string().max(64)).default({}),
  sheet: z.string().max(200).optional(),
  /** minLon, minLat, maxLon, maxLat positions must lie in; default the organisation's area. */
  area: z.tuple([z.number(), z.number(), z.number(), z.number()]).optional(),
});
export type ImportJobParams = z.infer<typeof ImportJobParams>;

export const importJob: JobHandler = async ({ job, store, scope, org, knowledge, now, progress, signal, readFile }) => {
  const params = ImportJobParams.parse(job.params);
  const overrides = parseMapOption(Object.entries(params.map).map(([column, field]) => `${column}=${field}`));
  const content = await readFile(params.file);
  const scan = scanFormatOf(content.subarray(0, 65_536).toString('utf8'));
  if (scan) {
    throw new CamauditError('unsupported', `${params.file} is ${scan === 'nmap' ? 'an nmap report' : 'a scan bundle'}, not a register; import it as a scan run`);
  }
  if (signal.aborted) throw new JobCancelled();
  const { enrich } = identifierFor(await knowledge());
  const report = await withTempDir(async (dir) => {
    const path = join(dir, params.file);
    await writeFile(path, content);
    return importFile(store, scope, org, path, {
      dryRun: params.dryRun, skipInvalid: params.skipInvalid, overrides, sheet: params.sheet,
      area: params.area,
      maxBytes: DEFAULT_MAX_BYTES, now, enrich,
      // Thrown inside the import's transaction: a cancelled import writes nothing.
      onProgress: (rowsRead) => {
        if (signal.aborted) throw new JobCancelled({ rowsRead });
        progress({ rowsRead });
      },
    });
  });
  const { created, updated, unchanged, rejected, errors, warnings, dryRun, committed, format, sheet } = report;
  return { file: params.file, format, ...(sheet ? { sheet } : {}), dryRun, committed, created, updated, unchanged, rejected, errors, warnings };
};
