import { readFile, rm, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';
import YAML from 'yaml';
import { CamauditError } from '../../core/errors.js';
import { isImportField } from '../../core/import/fields.js';
import { parseMapOption, type MappingOverrides } from '../../core/import/mapping.js';
import { neutralise } from '../../core/import/values.js';
import type { Organisation } from '../../core/model.js';
import { t } from '../../i18n/messages.js';
import { importFile, type ImportReport } from '../../ingest/import-file.js';
import { importScanFile, scanFormatOf, type ScanFormat, type ScanImportReport } from '../../ingest/scan-import.js';
import { assertSize, DEFAULT_MAX_BYTES, readHead } from '../../ingest/sniff.js';
import type { Identifier } from '../../kb/knowledge.js';
import type { Store } from '../../store/database.js';
import { identifierFor, resolveOrganisation, scopeFor, withStore, type GlobalOptions } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { printJson, printTable, type CommandContext } from '../program.js';
import { parseBBox } from './init.js';

interface ImportFlags {
  dryRun?: boolean;
  skipInvalid?: boolean;
  rejects?: string;
  map: string[];
  mapping?: string;
  sheet?: string;
  area?: string;
  maxSize: string;
}

/** A mapping file: `{ "Kolom": "field" }` in JSON or YAML, the same as repeated --map flags. */
async function readMappingFile(file: string): Promise<string[]> {
  const text = await readFile(file, 'utf8').catch((cause: Error) => {
    throw new CamauditError('not_found', `cannot read mapping file ${file}: ${cause.message}`, { file });
  });
  const data: unknown = YAML.parse(text);
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    throw new CamauditError('invalid_input', `${file}: a mapping file is an object of "Column": field`, { file });
  }
  return Object.entries(data as Record<string, unknown>).map(([column, field]) => {
    if (typeof field !== 'string' || (field !== 'ignore' && !isImportField(field))) {
      throw new CamauditError('invalid_input', `${file}: column "${column}" maps to unknown field "${String(field)}"`, { file, column });
    }
    return `${column}=${field}`;
  });
}

async function writeRejects(file: string, report: ImportReport): Promise<void> {
  const cell = (v: string) => {
    const s = neutralise(v);
    return /[",;\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [[...report.headers, 'row', 'errors'].map(cell).join(',')];
  for (const r of report.rejectedRows) {
    const cells = report.headers.map((_, i) => r.cells[i] ?? '');
    lines.push([...cells, String(r.row), r.reasons.join(' | ')].map(cell).join(','));
  }
  await writeFile(file, '\uFEFF' + lines.join('\r\n') + '\r\n');
}

/** An nmap report or a scan bundle, read and recorded by the same code as the API's upload. */
async function importScanFileAt(
  store: Store, org: Organisation, g: GlobalOptions, ctx: CommandContext, identifier: Identifier,
  file: string, format: ScanFormat, opts: { dryRun: boolean; maxBytes: number },
): Promise<ScanImportReport> {
  await assertSize(file, opts.maxBytes);
  const content = await readFile(file);
  const scope = scopeFor(org, g, `import:${basename(file)}`);
  const report = await importScanFile(store, scope, org, identifier, content, file, format, { ...opts, now: ctx.io.now() });
  for (const notice of report.notices) ctx.io.err(t(g.lang, 'import.warning', { message: notice[g.lang] }));
  return { ...report, file };
}

function printScanReport(ctx: CommandContext, lang: 'nl' | 'en', r: ScanImportReport): void {
  const counts = { file: r.file, hosts: r.hosts, identified: r.identified };
  ctx.io.out(r.format === 'nmap' ? t(lang, 'import.nmapSummary', counts) : t(lang, 'import.bundleSummary', { ...counts, agent: r.agent ?? '' }));
  if (r.devices.length > 0) {
    printTable(ctx.io, ['IP', 'MAKER', 'BRAND', 'MODEL', 'FIRMWARE', 'KIND', 'CONF', 'PORTS'], r.devices.map((d) => [
      d.ip, d.manufacturer ?? '?', d.brand, d.model, d.firmware, d.kind, d.confidence.toFixed(2), d.ports.join(','),
    ]));
  }
  if (r.dryRun) ctx.io.out(t(lang, 'import.dryRun'));
  else ctx.io.out(t(lang, 'import.scanRegister', { file: r.file, created: r.created ?? 0, updated: r.updated ?? 0, unchanged: r.unchanged ?? 0, run: r.runId ?? '' }));
}

export function registerImport(program: Command, ctx: CommandContext): void {
  program
    .command('import')
    .description('import devices from CSV, XLSX, GeoJSON or BGT/IMGeo CityGML files, nmap XML reports or signed scan bundles')
    .argument('<files...>')
    .option('--dry-run', 'check every row and show what would change; write nothing')
    .option('--skip-invalid', 'import the valid rows; write the rejected ones with reasons to a rejects file')
    .option('--rejects <file>', 'where --skip-invalid writes rejected rows (default: <file>.rejects.csv)')
    .option('--map <Column=field>', 'map a column to a field (repeatable); field "ignore" drops it', (v: string, acc: string[]) => [...acc, v], [])
    .option('--mapping <file>', 'mapping file (JSON or YAML: {"Column": "field"})')
    .option('--sheet <name>', 'XLSX sheet to read (default: first sheet with device columns)')
    .option('--area <bbox>', 'area positions must lie in: minLon,minLat,maxLon,maxLat (default: the organisation\'s)')
    .option('--max-size <MB>', 'refuse larger files', String(DEFAULT_MAX_BYTES / 1024 / 1024))
    .action(async (files: string[], opts: ImportFlags) => {
      const g = ctx.globals();
      const maxMb = Number(opts.maxSize);
      if (!Number.isFinite(maxMb) || maxMb <= 0) throw new CamauditError('usage', `--max-size "${opts.maxSize}" is not a positive number`);
      const specs = [...(opts.mapping ? await readMappingFile(opts.mapping) : []), ...opts.map];
      const overrides: MappingOverrides = parseMapOption(specs);
      const area = opts.area ? parseBBox(opts.area) : undefined;
      await withStore(g, async (store) => {
        const org = await resolveOrganisation(store, g, ctx.io.now());
        const identifier = await identifierFor(store, g);
        const { enrich } = identifier;
        const reports: (ImportReport | ScanImportReport)[] = [];
        for (const file of files) {
          const format = scanFormatOf((await readHead(file)).toString('utf8'));
          if (format) {
            if (opts.skipInvalid || opts.rejects || specs.length > 0 || opts.sheet || opts.area) {
              throw new CamauditError('usage', `${file} is ${format === 'nmap' ? 'an nmap report' : 'a scan bundle'}: --skip-invalid, --rejects, --map, --mapping, --sheet and --area apply to registers only`);
            }
            const report = await importScanFileAt(store, org, g, ctx, identifier, file, format, { dryRun: Boolean(opts.dryRun), maxBytes: maxMb * 1024 * 1024 });
            reports.push(report);
            if (!g.json) printScanReport(ctx, g.lang, report);
            continue;
          }
          const scope = scopeFor(org, g, `import:${basename(file)}`);
          const rejectsFile = opts.rejects ?? `${basename(file)}.rejects.csv`;
          // Find out before importing that the rejected rows can be written down.
          if (opts.skipInvalid) {
            await writeFile(rejectsFile, '').catch((cause: Error) => {
              throw new CamauditError('usage', `cannot write the rejects file ${rejectsFile}: ${cause.message}`, { file: rejectsFile });
            });
          }
          const report = await importFile(store, scope, org, file, {
            dryRun: opts.dryRun, skipInvalid: opts.skipInvalid, overrides, sheet: opts.sheet, area,
            maxBytes: maxMb * 1024 * 1024, now: ctx.io.now, enrich,
            onProgress: (n) => ctx.io.err(`${file}: ${n} rows read`),
          });
          reports.push(report);
          if (opts.skipInvalid) {
            if (report.rejectedRows.length > 0) {
              await writeRejects(rejectsFile, report);
              if (!g.json) ctx.io.err(t(g.lang, 'import.rejectsWritten', { file: rejectsFile }));
            } else await rm(rejectsFile, { force: true });
          }
          if (!g.json) printHuman(ctx, g.lang, report);
          if (report.errors.length > 0 && !report.committed) ctx.setExit(EXIT.rejected);
        }
        if (g.json) {
          const out = reports.map((r) => {
            if (!('rejected' in r)) return r;
            const { file, created, updated, unchanged, rejected, errors, warnings, dryRun, committed, format, sheet } = r;
            return { file, format, ...(sheet ? { sheet } : {}), dryRun, committed, created, updated, unchanged, rejected, errors, warnings };
          });
          printJson(ctx.io, out.length === 1 ? out[0] : out);
        }
      });
    });
}

function printHuman(ctx: CommandContext, lang: 'nl' | 'en', r: ImportReport): void {
  for (const note of r.notes) ctx.io.err(`${r.file}: ${note}`);
  for (const w of r.warnings) ctx.io.err(t(lang, 'import.warning', { message: `${r.file}: ${w}` }));
  for (const e of r.errors) {
    const location = [r.file, `row ${e.row}`, e.column ? `column "${e.column}"` : ''].filter(Boolean).join(', ');
    ctx.io.err(printable(t(lang, 'import.rowError', { location, message: e.message })));
  }
  ctx.io.out(t(lang, 'import.summary', { file: r.file, created: r.created, updated: r.updated, unchanged: r.unchanged, rejected: r.rejected }));
  if (r.dryRun) ctx.io.out(t(lang, 'import.dryRun'));
  else if (!r.committed) ctx.io.err(t(lang, 'import.rolledBack', { n: r.errors.length }));
}

/** Cell values reach the terminal in messages: control characters (escape sequences) are shown, not run. */
// Built from code points: a regular-expression literal with control characters trips the linter.
const CONTROL = new RegExp(`[${String.fromCharCode(0)}-${String.fromCharCode(8)}${String.fromCharCode(11)}-${String.fromCharCode(31)}${String.fromCharCode(127)}-${String.fromCharCode(159)}]`, 'g');

export function printable(text: string): string {
  return text.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
