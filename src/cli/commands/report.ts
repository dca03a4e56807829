// `camaudit report council`: the answer to the council's four questions from the register and
// the latest assessment, in Dutch or English, as Markdown, HTML, Word or PDF; --public leaves out
// what the publication policy keeps from the public.
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { CamauditError } from '../../core/errors.js';
import { tReport } from '../../i18n/report-messages.js';
import { loadActiveKnowledge } from '../../kb/active.js';
import { COUNCIL_FORMATS, councilReport, renderCouncil, type CouncilFormat } from '../../report/council-file.js';
import { resolveOrganisation, scopeFor, withStore } from '../context.js';
import { printJson, type CommandContext } from '../program.js';

interface CouncilFlags {
  format: string;
  output: string;
  public?: boolean;
}

export function registerReport(program: Command, ctx: CommandContext): void {
  const report = program.command('report').description('reports made from the register and the latest assessment');
  report
    .command('council')
    .description('the council report: inventory by true manufacturer, exposure, risk with options, procurement measures, device appendix (in the language of --lang)')
    .option('--format <md|html|docx|pdf>', 'output format (pdf needs a headless Chromium)', 'html')
    .requiredOption('-o, --output <file>', 'file to write')
    .option('--public', 'the public edition: no exact positions, IP or MAC addresses, serial numbers, nor fields the publication policy keeps internal')
    .action(async (opts: CouncilFlags) => {
      const g = ctx.globals();
      const now = ctx.io.now();
      if (!Object.hasOwn(COUNCIL_FORMATS, opts.format)) throw new CamauditError('usage', `--format must be md, html, docx or pdf, not "${opts.format}"`);
      const format = opts.format as CouncilFormat;
      const report = await withStore(g, async (store) => {
        const org = await resolveOrganisation(store, g, now);
        const { kb } = await loadActiveKnowledge(store, g.kbOverlay);
        return councilReport(store, scopeFor(org, g, 'report'), org, kb, { lang: g.lang, publicEdition: opts.public === true, now });
      });
      await writeFile(opts.output, await renderCouncil(report, format));
      const written = { file: opts.output, format, lang: g.lang, edition: report.edition, devices: report.figures.devices };
      if (g.json) printJson(ctx.io, written);
      else ctx.io.out(tReport(g.lang, 'cli.written', { title: report.title, lang: g.lang, format, edition: report.edition, n: written.devices, file: opts.output }));
    });
}
