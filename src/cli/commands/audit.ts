// `camaudit audit`: verify the hash chains of the audit trail (the organisation's and the
// server's), export one as CSV or JSON, and list its newest entries.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Command } from 'commander';
import type { ChainHead, ChainProblem } from '../../core/audit/chain.js';
import { CamauditError } from '../../core/errors.js';
import type { Organisation } from '../../core/model.js';
import { tAudit } from '../../i18n/audit-messages.js';
import { t, type Lang } from '../../i18n/messages.js';
import { chainOf, listAudit, verifyAudit, type AuditRecord, type ChainReport } from '../../store/audit.js';
import { resolveOrganisation, withStore } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { printJson, printTable, type CommandContext } from '../program.js';
import { writeAuditExport } from '../../report/audit-export.js';
import type { Io } from '../context.js';

function chainName(lang: Lang, org: Organisation, orgId: string | null): string {
  return orgId === null ? tAudit(lang, 'audit.chain.server') : tAudit(lang, 'audit.chain.organisation', { slug: org.slug });
}

function span(lang: Lang, from: number, to: number): string {
  return from === to ? tAudit(lang, 'audit.entry', { n: from }) : tAudit(lang, 'audit.entries', { from, to });
}

/** One problem in words, naming the entries it concerns. */
export function describeProblem(lang: Lang, p: ChainProblem, head: ChainHead | null): string {
  const total = head?.entries ?? 0;
  switch (p.kind) {
    case 'edited': case 'duplicate': case 'broken_link': case 'head_mismatch':
      return tAudit(lang, `audit.problem.${p.kind}`, { what: span(lang, p.seq, p.seq) });
    case 'moved':
      return tAudit(lang, 'audit.problem.moved', { what: span(lang, p.seq, p.seq), writtenAs: p.writtenAs });
    case 'missing': case 'truncated': case 'unrecorded':
      return tAudit(lang, `audit.problem.${p.kind}`, { what: span(lang, p.from, p.to), total });
    case 'head_missing':
      return tAudit(lang, 'audit.problem.head_missing');
  }
}

function printReport(io: Io, lang: Lang, name: string, r: ChainReport): void {
  if (r.problems.length === 0) {
    io.out(tAudit(lang, 'audit.intact', { chain: name, n: r.entries, hash: (r.head?.lastHash ?? '').slice(0, 16) }));
    return;
  }
  io.out(tAudit(lang, 'audit.broken', { chain: name, n: r.entries, problems: r.problems.length }));
  for (const p of r.problems) io.out(`  - ${describeProblem(lang, p, r.head)}`);
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function day(value: string | undefined, flag: string): string | undefined {
  if (value === undefined) return undefined;
  if (!DAY.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) throw new CamauditError('usage', `${flag} must be a date YYYY-MM-DD, not "${value}"`);
  return value;
}

interface Sink {
  line(text: string): Promise<void>;
  close(): Promise<void>;
}

function fileSink(file: string, eol: string): Sink {
  const out = createWriteStream(file, { encoding: 'utf8' });
  return {
    async line(text) {
      if (!out.write(text + eol)) await once(out, 'drain');
    },
    async close() {
      out.end();
      await once(out, 'finish');
    },
  };
}

function ioSink(io: Io): Sink {
  return { line: async (text) => io.out(text), close: async () => undefined };
}

interface ExportFlags {
  format: string;
  output?: string;
  from?: string;
  to?: string;
  server?: boolean;
}

interface ListFlags {
  entity?: string;
  limit: string;
  cursor?: string;
  server?: boolean;
}

export function registerAudit(program: Command, ctx: CommandContext): void {
  const audit = program.command('audit').description('the audit trail: every write, hash-chained; verify, export and list it');

  audit.command('verify')
    .description('check the organisation\'s chain and the server chain; exits 1 naming every edited, deleted or moved entry')
    .action(async () => {
      const g = ctx.globals();
      await withStore(g, async (store) => {
        const org = await resolveOrganisation(store, g, ctx.io.now());
        const reports = [await verifyAudit(store, org.id), await verifyAudit(store, null)];
        const ok = reports.every((r) => r.problems.length === 0);
        if (g.json) {
          printJson(ctx.io, {
            ok,
            chains: reports.map((r) => ({
              chain: r.chain, organisation: r.orgId === null ? null : org.slug, entries: r.entries, head: r.head,
              problems: r.problems.map((p) => ({ ...p, message: describeProblem(g.lang, p, r.head) })),
            })),
          });
        } else {
          for (const r of reports) printReport(ctx.io, g.lang, chainName(g.lang, org, r.orgId), r);
        }
        if (!ok) ctx.setExit(EXIT.auditProblems);
      });
    });

  audit.command('export')
    .description('write the organisation\'s chain (or the server\'s) as CSV for reading or JSON with every hash for checking')
    .requiredOption('--format <format>', 'csv or json')
    .option('-o, --output <file>', 'file to write (default: standard output)')
    .option('--from <date>', 'entries from this day (YYYY-MM-DD, UTC)')
    .option('--to <date>', 'entries up to and including this day')
    .option('--server', 'the server chain (accounts, organisations, knowledge-base updates)')
    .action(async (opts: ExportFlags) => {
      const format = opts.format;
      if (format !== 'csv' && format !== 'json') throw new CamauditError('usage', `--format must be csv or json, not "${format}"`);
      const from = day(opts.from, '--from');
      const to = day(opts.to, '--to');
      const g = ctx.globals();
      const now = ctx.io.now();
      await withStore(g, async (store) => {
        const org = await resolveOrganisation(store, g, now);
        const orgId = opts.server ? null : org.id;
        const sink = opts.output ? fileSink(opts.output, opts.format === 'csv' ? '\r\n' : '\n') : ioSink(ctx.io);
        let n: number;
        try {
          n = await writeAuditExport(store, org, orgId, { format, from, to, now, bom: Boolean(opts.output) }, sink.line);
        } finally {
          await sink.close();
        }
        if (!opts.output) return;
        if (g.json) printJson(ctx.io, { file: opts.output, format: opts.format, chain: chainOf(orgId), entries: n });
        else ctx.io.out(tAudit(g.lang, 'audit.exported', { n, chain: chainName(g.lang, org, orgId), file: opts.output }));
      });
    });

  audit.command('list')
    .description('the newest entries first; --entity for one device, waiver, plan item …')
    .option('--entity <id>', 'entries about one entity (its id or first characters)')
    .option('--limit <n>', 'page size', '100')
    .option('--cursor <seq>', 'continue below this entry')
    .option('--server', 'the server chain')
    .action(async (opts: ListFlags) => {
      const g = ctx.globals();
      await withStore(g, async (store) => {
        const org = await resolveOrganisation(store, g, ctx.io.now());
        const page = await listAudit(store, { orgId: opts.server ? null : org.id }, {
          limit: Number(opts.limit), cursor: opts.cursor ?? null, ...(opts.entity !== undefined ? { entityPrefix: opts.entity } : {}),
        });
        if (g.json) return printJson(ctx.io, page.items);
        if (page.items.length === 0) return ctx.io.out(t(g.lang, 'list.empty'));
        printTable(ctx.io, ['seq', 'at', 'actor', 'source', 'action', 'entity', 'id', 'change'], page.items.map((e) => [
          e.seq, e.at, e.actor, e.source, e.action, e.entityType, e.entityId.slice(0, 8), summary(e),
        ]));
        if (page.nextCursor) ctx.io.out(t(g.lang, 'list.more', { cursor: page.nextCursor }));
      });
    });
}

/** The values an entry set (or, for a removal, had), short enough for a table. */
function summary(e: AuditRecord): string {
  const text = JSON.stringify(e.after ?? e.before ?? {});
  return text.length > 100 ? `${text.slice(0, 99)}…` : text;
}
