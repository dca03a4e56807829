// `camaudit agent`: keys for scanners in closed networks. `keygen` runs on the agent's machine
// (no database needed); `enrol`, `list` and `revoke` run on the central system, whose import then
// accepts bundles signed by enrolled, unrevoked keys only.
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { CamauditError } from '../../core/errors.js';
import { generateAgentKeyPair, PUBLIC_KEY_FILE, writeKeyPair } from '../../discover/agent-keys.js';
import { t } from '../../i18n/messages.js';
import { enrolAgent, listAgents, revokeAgent, type Agent } from '../../store/agents.js';
import { resolveOrganisation, scopeFor, withStore } from '../context.js';
import { printJson, printTable, type CommandContext } from '../program.js';

/** A PEM public key is a few hundred bytes; anything large is not one. */
const MAX_KEY_FILE_BYTES = 16 * 1024;

async function readKeyFile(file: string): Promise<string> {
  const info = await stat(file).catch((cause: NodeJS.ErrnoException) => {
    throw new CamauditError(cause.code === 'ENOENT' ? 'not_found' : 'invalid_input', `cannot read public key file: ${cause.message}`, { file }, { cause });
  });
  if (!info.isFile() || info.size > MAX_KEY_FILE_BYTES) {
    throw new CamauditError('invalid_input', `not a public key file (expected a PEM file of at most ${MAX_KEY_FILE_BYTES} bytes, like agent.pub)`, { file });
  }
  return readFile(file, 'utf8');
}

function agentSummary(a: Agent) {
  return { id: a.id, name: a.name, fingerprint: a.fingerprint, enrolledAt: a.enrolledAt, enrolledBy: a.enrolledBy, revokedAt: a.revokedAt };
}

export function registerAgent(program: Command, ctx: CommandContext): void {
  const agent = program.command('agent').description('keys of scanners in closed networks, whose signed bundles import accepts');

  agent
    .command('keygen')
    .description('create this agent\'s Ed25519 key pair: agent.key (private, mode 0600) and agent.pub')
    .option('--out <dir>', 'directory to write the key files to', '.')
    .action(async (opts: { out: string }) => {
      const g = ctx.globals();
      const pair = generateAgentKeyPair();
      const files = await writeKeyPair(resolve(opts.out), pair);
      if (g.json) return printJson(ctx.io, { fingerprint: pair.fingerprint, ...files });
      ctx.io.out(t(g.lang, 'agent.privateKey', { file: files.privateKeyFile }));
      ctx.io.out(t(g.lang, 'agent.publicKey', { file: files.publicKeyFile }));
      ctx.io.out(t(g.lang, 'agent.fingerprint', { fingerprint: pair.fingerprint }));
      ctx.io.out(t(g.lang, 'agent.copyAndEnrol', { file: PUBLIC_KEY_FILE }));
      ctx.io.out(t(g.lang, 'agent.enrolCommand', { file: PUBLIC_KEY_FILE }));
    });

  agent
    .command('enrol')
    .description('trust the bundles signed by an agent\'s public key')
    .argument('<name>', 'a name for the agent (letters, digits, . _ -)')
    .argument('<public-key-file>', 'the agent.pub written by camaudit agent keygen')
    .action(async (name: string, file: string) => {
      const g = ctx.globals();
      const pem = await readKeyFile(file);
      await withStore(g, async (store) => {
        const org = await resolveOrganisation(store, g, ctx.io.now());
        const enrolled = await enrolAgent(store.db, scopeFor(org, g, 'cli'), { name, publicKeyPem: pem, where: file }, ctx.io.now());
        if (g.json) return printJson(ctx.io, agentSummary(enrolled));
        ctx.io.out(t(g.lang, 'agent.enrolled', { name: enrolled.name, org: org.slug, fingerprint: enrolled.fingerprint }));
      });
    });

  agent
    .command('list')
    .description('enrolled agents, revoked ones included')
    .action(async () => {
      const g = ctx.globals();
      await withStore(g, async (store) => {
        const org = await resolveOrganisation(store, g, ctx.io.now());
        const agents = await listAgents(store.db, scopeFor(org, g, 'cli'));
        if (g.json) return printJson(ctx.io, agents.map(agentSummary));
        if (agents.length === 0) return ctx.io.out(t(g.lang, 'agent.none'));
        const headings = (['name', 'fingerprint', 'enrolled', 'by', 'revoked'] as const).map((h) => t(g.lang, `agent.heading.${h}`));
        printTable(ctx.io, headings,
          agents.map((a) => [a.name, a.fingerprint, a.enrolledAt, a.enrolledBy, a.revokedAt ?? '']));
      });
    });

  agent
    .command('revoke')
    .description('stop accepting bundles signed by an agent\'s key')
    .argument('<name>')
    .action(async (name: string) => {
      const g = ctx.globals();
      await withStore(g, async (store) => {
        const org = await resolveOrganisation(store, g, ctx.io.now());
        const revoked = await revokeAgent(store.db, scopeFor(org, g, 'cli'), name, ctx.io.now());
        if (g.json) return printJson(ctx.io, agentSummary(revoked));
        ctx.io.out(t(g.lang, 'agent.revoked', { name: revoked.name, fingerprint: revoked.fingerprint }));
      });
    });
}
