import type { Command } from 'commander';
import YAML from 'yaml';
import { CamauditError } from '../../core/errors.js';
import { installUpdate, loadActiveKnowledge, verify } from '../../kb/active.js';
import { identifierFor as identifierOf } from '../../kb/knowledge.js';
import { search, stats } from '../../kb/query.js';
import type { KnowledgeBase } from '../../kb/schema.js';
import { listOrganisations } from '../../store/organisations.js';
import { reidentifyDevices } from '../../store/reidentify.js';
import { t } from '../../i18n/messages.js';
import { withStore } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { printJson, printTable, type CommandContext } from '../program.js';

/** Every record with this id (or MAC prefix, brand name, CVE), from any section. */
function findRecords(kb: KnowledgeBase, id: string): { section: string; record: unknown }[] {
  const key = id.toLowerCase();
  const out: { section: string; record: unknown }[] = [];
  const add = (section: string, records: readonly { id?: string }[], extra: (r: never) => string[] = () => []) => {
    for (const r of records) {
      const names = [r.id ?? '', ...extra(r as never)].map((n) => n.toLowerCase());
      if (names.includes(key)) out.push({ section, record: r });
    }
  };
  add('vendor', kb.vendors);
  add('brand', kb.brands, (b: { brand: string }) => [b.brand]);
  add('fingerprint', kb.fingerprints);
  add('restriction', kb.restrictions);
  add('vulnerability', kb.vulnerabilities);
  add('legal', kb.legal);
  add('prefix', kb.prefixes as unknown as { id?: string }[], (p: { prefix: string; hex: string }) => [p.prefix, p.hex]);
  return out;
}

export function registerKb(program: Command, ctx: CommandContext): void {
  const kb = program.command('kb').description('the knowledge base: vendors, brands/OEM, MAC prefixes, fingerprints, measures, CVEs, legal grounds');

  kb.command('stats').description('version, date and record counts').action(async () => {
    const g = ctx.globals();
    await withStore(g, async (store) => {
      const { kb: k, updated } = await loadActiveKnowledge(store, g.kbOverlay);
      const s = stats(k);
      if (g.json) return printJson(ctx.io, { version: k.meta.version, date: k.meta.date, updatedFiles: updated, ...s });
      ctx.io.out(`knowledge base ${k.meta.version} (${k.meta.date})${updated.length ? `, updated files: ${updated.join(', ')}` : ''}`);
      printTable(ctx.io, ['section', 'records'], [
        ['vendors', s.vendors], ['brands', s.brands], ['MAC prefixes', `${s.prefixes} (MA-L ${s.prefixesByRegistry['MA-L']}, MA-M ${s.prefixesByRegistry['MA-M']}, MA-S ${s.prefixesByRegistry['MA-S']})`],
        ['fingerprints', s.fingerprints], ['restriction measures', s.restrictions], ['vulnerabilities', s.vulnerabilities],
        ['legal grounds', s.legal], ['marked uncertain', s.flagged],
        ['local overlay', `${s.overlay.vendors} vendors, ${s.overlay.brands} brands, ${s.overlay.prefixes} prefixes`],
      ]);
    });
  });

  kb.command('search').description('find records by words').argument('<text...>').action(async (words: string[]) => {
    const g = ctx.globals();
    await withStore(g, async (store) => {
      const { kb: k } = await loadActiveKnowledge(store, g.kbOverlay);
      const hits = search(k, words.join(' '));
      if (g.json) return printJson(ctx.io, hits.map(({ section, id, label, score }) => ({ section, id, label, score })));
      if (hits.length === 0) return ctx.io.out(t(g.lang, 'kb.nothingFound'));
      printTable(ctx.io, ['section', 'id', 'label'], hits.map((h) => [h.section, h.id, h.label]));
    });
  });

  kb.command('show').description('one record with its sources and uncertainty').argument('<id>', 'record id, brand name, MAC prefix or CVE').action(async (id: string) => {
    const g = ctx.globals();
    await withStore(g, async (store) => {
      const { kb: k } = await loadActiveKnowledge(store, g.kbOverlay);
      const found = findRecords(k, id);
      if (found.length === 0) throw new CamauditError('not_found', `no knowledge-base record "${id}" (try camaudit kb search)`);
      if (g.json) return printJson(ctx.io, found.length === 1 ? found[0] : found);
      for (const f of found) ctx.io.out(`# ${f.section}\n${YAML.stringify(f.record).trimEnd()}`);
    });
  });

  kb.command('verify').description('fail on records without sources, dangling references, or fingerprint examples that do not match').action(async () => {
    const g = ctx.globals();
    await withStore(g, async (store) => {
      const { kb: k } = await loadActiveKnowledge(store, g.kbOverlay);
      const problems = verify(k);
      if (g.json) printJson(ctx.io, { version: k.meta.version, problems });
      else if (problems.length === 0) ctx.io.out(t(g.lang, 'kb.noProblems', { version: k.meta.version }));
      else for (const p of problems) ctx.io.err(`${p.section} ${p.id}: ${p.message}`);
      if (problems.length > 0) ctx.setExit(EXIT.rejected);
    });
  });

  kb.command('update')
    .description('install newer knowledge-base files (validated first), then identify every device again')
    .argument('<paths...>', 'KB files (meta.yaml required) or a directory holding them')
    .action(async (paths: string[]) => {
      const g = ctx.globals();
      await withStore(g, async (store) => {
        const now = ctx.io.now();
        const result = await installUpdate(store, paths, g.actor, now);
        const { kb: k } = await loadActiveKnowledge(store, g.kbOverlay);
        const { enrich } = identifierOf(k);
        const organisations = [];
        for (const org of await listOrganisations(store)) {
          const r = await reidentifyDevices(store, { orgId: org.id, actor: g.actor, source: `kb:${k.meta.version}` }, enrich, now);
          organisations.push({ organisation: org.slug, checked: r.checked, changed: r.changed, makerChanges: r.makerChanges });
        }
        if (g.json) return printJson(ctx.io, { from: result.from, to: result.to, files: result.files, organisations });
        ctx.io.out(t(g.lang, 'kb.updated', { from: result.from, to: result.to, files: result.files.join(', ') }));
        for (const o of organisations) {
          ctx.io.out(t(g.lang, 'kb.reidentified', { org: o.organisation, checked: o.checked, changed: o.changed, makers: o.makerChanges.length }));
          for (const [id, before, after] of o.makerChanges) ctx.io.out(`  ${id}: ${before ?? '—'} → ${after ?? '—'}`);
        }
      });
    });
}
