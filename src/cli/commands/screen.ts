// `camaudit screen BID.xlsx|csv`: screens a supplier's offered equipment list against the KB and
// the policy in force. Prints a table of lines and verdicts with the reasons and sources of every
// line that is not clear, `--json` prints the screening itself, `--docx FILE` writes the report.
// Exit code 1 when a line offers a restricted maker, so procurement pipelines can stop on it.
import { writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { CamauditError } from '../../core/errors.js';
import { compactScreening } from '../../core/screen/json.js';
import { anyRestricted, screenBid, unquotedChecks } from '../../core/screen/screen.js';
import type { Screening } from '../../core/screen/types.js';
import type { Lang } from '../../i18n/messages.js';
import { tScreen } from '../../i18n/screen-messages.js';
import { readBidList } from '../../ingest/bid-list.js';
import { loadPolicy } from '../../ingest/policy.js';
import { loadActiveKnowledge } from '../../kb/active.js';
import { identifyKnowledge } from '../../kb/knowledge.js';
import { screeningDocx, sourceText } from '../../report/screening-docx.js';
import { getOrganisationPolicy } from '../../store/policies.js';
import { resolveOrganisation, scopeFor, withStore, type Io } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { printJson, printTable, type CommandContext } from '../program.js';

const DEFAULT_MAX_MB = 64;

export function registerScreen(program: Command, ctx: CommandContext): void {
  program
    .command('screen')
    .description('screen a supplier\'s equipment list (CSV/XLSX) for restricted makers, known exploited vulnerabilities and missing information; exit code 1 when a line is restricted')
    .argument('<file>')
    .option('--policy <file>', 'policy file (default: the organisation\'s policy, else the shipped default)')
    .option('--docx <file>', 'also write the screening report as a Word document')
    .option('--sheet <name>', 'workbook sheet to read')
    .option('--max-size <MB>', 'refuse files larger than this many megabytes', String(DEFAULT_MAX_MB))
    .action(async (file: string, opts: { policy?: string; docx?: string; sheet?: string; maxSize: string }) => {
      const g = ctx.globals();
      const maxMb = Number(opts.maxSize);
      if (!Number.isFinite(maxMb) || maxMb <= 0) throw new CamauditError('usage', `--max-size "${opts.maxSize}" is not a positive number`);
      const now = ctx.io.now();
      const { kb, policy } = await withStore(g, async (store) => {
        const stored = opts.policy === undefined ? await getOrganisationPolicy(store, scopeFor(await resolveOrganisation(store, g, now), g, 'cli')) : null;
        return { kb: (await loadActiveKnowledge(store, g.kbOverlay)).kb, policy: await loadPolicy(opts.policy, stored) };
      });
      const bid = await readBidList(file, { maxBytes: maxMb * 1024 * 1024, ...(opts.sheet !== undefined ? { sheet: opts.sheet } : {}) });
      const screening = screenBid(bid.lines, { kb, knowledge: identifyKnowledge(kb), policy, now });
      if (opts.docx !== undefined) {
        await writeFile(opts.docx, await screeningDocx(screening, basename(file), g.lang));
        ctx.io.err(tScreen(g.lang, 'screen.written', { file: opts.docx }));
      }
      for (const note of bid.notes) ctx.io.err(note);
      if (g.json) printJson(ctx.io, { file: basename(file), notes: bid.notes, ...compactScreening(screening) });
      else printScreening(ctx.io, g.lang, basename(file), screening);
      if (anyRestricted(screening)) ctx.setExit(EXIT.screenRestricted);
    });
}

function printScreening(io: Io, lang: Lang, file: string, s: Screening): void {
  io.out(tScreen(lang, 'screen.title', { file }));
  io.out(tScreen(lang, 'screen.meta', { date: s.screenedAt.slice(0, 10), kb: s.kbVersion, policy: s.policy }));
  io.out('');
  printTable(io, (['row', 'brand', 'model', 'firmware', 'origin', 'maker', 'verdict'] as const).map((c) => tScreen(lang, `screen.col.${c}`)),
    s.lines.map((l) => [l.line.row, l.line.brand ?? l.line.manufacturer ?? '—', l.line.model ?? '—', l.line.firmware ?? '—', l.line.origin ?? '—', l.maker?.name ?? '?', tScreen(lang, `screen.verdict.${l.verdict}`)]));
  for (const l of s.lines.filter((x) => x.reasons.length > 0 || x.notes.length > 0 || (x.maker?.checks.length ?? 0) > 0)) {
    io.out('');
    io.out(`${tScreen(lang, 'screen.line', { row: l.line.row, brand: l.line.brand ?? l.line.manufacturer ?? '—', model: l.line.model ?? '—' })}`);
    for (const r of l.reasons) {
      io.out(`  [${tScreen(lang, `screen.verdict.${r.verdict}`)}] ${r.kind}: ${r.why[lang]}`);
      if (r.uncertain) io.out(`    ${tScreen(lang, 'screen.uncertain', { text: r.uncertain })}`);
      if (r.sources.length > 0) io.out(`    ${tScreen(lang, 'screen.sources')}:`);
      for (const src of r.sources) io.out(`      - ${sourceText(src)}`);
    }
    for (const c of unquotedChecks(l)) io.out(`  ${tScreen(lang, 'screen.warning', { text: c })}`);
    for (const n of l.notes) io.out(`  ${tScreen(lang, 'screen.note', { text: n[lang] })}`);
  }
  io.out('');
  io.out(tScreen(lang, 'screen.summary', { lines: s.lines.length, ...s.counts }));
  if (anyRestricted(s)) io.out(tScreen(lang, 'screen.exitNote'));
}
