import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { CamauditError } from '../../core/errors.js';
import { tClauses } from '../../i18n/clauses-messages.js';
import { loadActiveKnowledge } from '../../kb/active.js';
import { CLAUSE_FORMATS, loadClauseLibrary, renderClauses, type ClauseFormat } from '../../report/clauses-file.js';
import { withStore } from '../context.js';
import { printJson, type CommandContext } from '../program.js';

interface ClausesOptions {
  format: string;
  output?: string;
}

export function registerClauses(program: Command, ctx: CommandContext): void {
  program
    .command('clauses')
    .description('tender clauses (exclusion grounds, security requirements) with their legal basis, in the language of --lang')
    .option('--format <md|docx|json>', 'output format', 'md')
    .option('-o, --output <file>', 'file to write (required for docx; otherwise printed)')
    .action(async (opts: ClausesOptions) => {
      const g = ctx.globals();
      if (!Object.hasOwn(CLAUSE_FORMATS, opts.format)) throw new CamauditError('usage', `--format must be md, docx or json, not "${opts.format}"`);
      const format = opts.format as ClauseFormat;
      if (format === 'docx' && opts.output === undefined) throw new CamauditError('usage', tClauses(g.lang, 'clauses.docxNeedsFile'));
      const lib = await loadClauseLibrary();
      // The legal grounds in force (including an installed KB update) are what the clauses cite.
      const { kb } = await withStore(g, (store) => loadActiveKnowledge(store, g.kbOverlay));
      const bytes = await renderClauses(lib, kb, g.lang, format);
      if (opts.output === undefined) return ctx.io.out(bytes.toString('utf8').trimEnd());
      await writeFile(opts.output, bytes);
      const written = { file: opts.output, format, lang: g.lang, clauses: lib.clauses.length };
      if (g.json) printJson(ctx.io, written);
      else ctx.io.out(tClauses(g.lang, 'clauses.written', { n: written.clauses, lang: g.lang, format, file: opts.output }));
    });
}
