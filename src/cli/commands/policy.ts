// `camaudit policy`: the organisation's own assessment policy, stored in the database so that
// every assessment uses it without a file being passed; show it, set it from a file, reset it.
import { basename } from 'node:path';
import type { Command } from 'commander';
import { stringify as toYaml } from 'yaml';
import { compileKnowledge, policyWarnings } from '../../core/assess/assess.js';
import { t } from '../../i18n/messages.js';
import { loadActiveKnowledge } from '../../kb/active.js';
import { clearOrganisationPolicy, getOrganisationPolicy, setOrganisationPolicy } from '../../store/policies.js';
import { resolveOrganisation, scopeFor, withStore } from '../context.js';
import { printJson, type CommandContext } from '../program.js';
import { loadPolicy, readPolicyFile } from '../../ingest/policy.js';

export function registerPolicy(program: Command, ctx: CommandContext): void {
  const policy = program.command('policy').description('the organisation\'s assessment policy: show, set, reset');

  policy.command('show').description('the policy in force and where it comes from').action(async () => {
    const g = ctx.globals();
    await withStore(g, async (store) => {
      const org = await resolveOrganisation(store, g, ctx.io.now());
      const stored = await getOrganisationPolicy(store, scopeFor(org, g, 'cli'));
      const effective = await loadPolicy(undefined, stored);
      const origin = stored ? t(g.lang, 'policy.stored', { file: stored.fileName, at: stored.setAt, by: stored.setBy }) : t(g.lang, 'policy.default');
      if (g.json) return printJson(ctx.io, { origin: stored ? 'organisation' : 'default', ...(stored ? { file: stored.fileName, setAt: stored.setAt, setBy: stored.setBy } : {}), policy: effective });
      ctx.io.out(`# ${origin}`);
      ctx.io.out(toYaml(effective).trimEnd());
    });
  });

  policy.command('set').description('store a policy file (usually starting with "extends: default") as the organisation\'s policy')
    .argument('<file>').action(async (file: string) => {
      const g = ctx.globals();
      await withStore(g, async (store) => {
        const org = await resolveOrganisation(store, g, ctx.io.now());
        const scope = scopeFor(org, g, 'cli');
        const text = await readPolicyFile(file);
        // Checked as assess would use it, measures against the KB included, before anything is stored.
        const parsed = await loadPolicy(file);
        const { kb } = await loadActiveKnowledge(store, g.kbOverlay);
        compileKnowledge(kb, parsed);
        await setOrganisationPolicy(store, scope, text, basename(file), ctx.io.now());
        ctx.io.out(t(g.lang, 'policy.set', { name: parsed.name, file, org: org.name }));
        for (const w of policyWarnings(kb, parsed)) ctx.io.err(t(g.lang, 'import.warning', { message: w.why[g.lang] }));
      });
    });

  policy.command('reset').description('remove the organisation\'s policy; the shipped default applies again').action(async () => {
    const g = ctx.globals();
    await withStore(g, async (store) => {
      const org = await resolveOrganisation(store, g, ctx.io.now());
      const removed = await clearOrganisationPolicy(store, scopeFor(org, g, 'cli'), ctx.io.now());
      ctx.io.out(t(g.lang, removed ? 'policy.reset' : 'policy.none', { org: org.name }));
    });
  });
}
