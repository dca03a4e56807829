// `camaudit agent`: keys for scanners in closed networks. `keygen`, `enrol-online` and `run` run
// on the agent's machine (no database needed); `enrol`, `list` and `revoke` run on the central
// system, whose import then accepts bundles signed by enrolled, unrevoked keys only.
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { CamauditError } from '../../core/errors.js';
import { generateAgentKeyPair, PRIVATE_KEY_FILE, PUBLIC_KEY_FILE, writeKeyPair } from '../../discover/agent-keys.js';
import { tAgent } from '../../i18n/agents-messages.js';
import { t, type Lang } from '../../i18n/messages.js';
import { loadIdentifier } from '../../kb/knowledge.js';
import { AgentClient, enrolOnline, serverUrl } from '../../server/agents/client.js';
import { assertNoEnrolment, ensureAgentKey, readAgentKey, readEnrolment, readScopeFile, writeEnrolment } from '../../server/agents/local-files.js';
import { workOnce, type JobOutcome } from '../../server/agents/run.js';
import { enrolAgent, listAgents, revokeAgent, type Agent } from '../../store/agents.js';
import { resolveOrganisation, scopeFor, withStore } from '../context.js';
import { EXIT } from '../exit-codes.js';
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

function outcomeLine(lang: Lang, o: JobOutcome): string {
  if (o.kind === 'refused') return tAgent(lang, 'agentOnline.refused', { job: o.jobId, reason: o.reason });
  if (o.kind === 'interrupted') return tAgent(lang, 'agentOnline.interrupted', { job: o.jobId });
  const { created, updated, unchanged, scanRunId } = o.answer;
  return tAgent(lang, 'agentOnline.answered', { job: o.jobId, addresses: o.addresses, hosts: o.hosts, created, updated, unchanged, run: scanRunId });
}

/** Exit code of a round: a refused job is the server asking for what this agent may not do. */
function exitOf(outcomes: readonly JobOutcome[]): number {
  if (outcomes.some((o) => o.kind === 'interrupted')) return EXIT.interrupted;
  return outcomes.some((o) => o.kind === 'refused') ? EXIT.hostileInput : EXIT.ok;
}

/** Waits about `seconds` (±20 %, so many agents do not poll in step), or until stopped. */
function pause(seconds: number, signal: AbortSignal): Promise<void> {
  const ms = seconds * 1000 * (0.8 + Math.random() * 0.4);
  return new Promise((done) => {
    const timer = setTimeout(finish, ms);
    function finish() {
      clearTimeout(timer);
      signal.removeEventListener('abort', finish);
      done();
    }
    signal.addEventListener('abort', finish);
  });
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

  agent
    .command('enrol-online')
    .description('enrol this agent at a camaudit server with a one-time token (makes the key pair if there is none)')
    .argument('<url>', 'the server, e.g. https://camaudit.example.nl')
    .argument('<token>', 'the enrolment token the administrator created (cae_…)')
    .option('--key <file>', 'the agent\'s private key; made here when missing', PRIVATE_KEY_FILE)
    .action(async (url: string, token: string, opts: { key: string }) => {
      const g = ctx.globals();
      const base = serverUrl(url);
      const keyFile = resolve(opts.key);
      // Checked before the token is spent: a second enrolment of the same key would be refused anyway.
      await assertNoEnrolment(keyFile);
      const { key, created } = await ensureAgentKey(keyFile);
      const answer = await enrolOnline(base, token, key.publicKeyPem);
      if (answer.fingerprint !== key.fingerprint) {
        throw new CamauditError('hostile_input', `the server enrolled fingerprint ${answer.fingerprint}, not this key's ${key.fingerprint}; do not use this server until that is explained`);
      }
      const file = await writeEnrolment(keyFile, { server: base.origin, ...answer, enrolledAt: ctx.io.now() });
      if (g.json) return printJson(ctx.io, { ...answer, keyFile, enrolmentFile: file, keyCreated: created });
      if (created) ctx.io.out(tAgent(g.lang, 'agentOnline.keyCreated', { file: keyFile }));
      ctx.io.out(tAgent(g.lang, 'agentOnline.enrolled', { name: answer.name, org: answer.organisation, id: answer.agentId }));
      ctx.io.out(tAgent(g.lang, 'agentOnline.fingerprint', { fingerprint: answer.fingerprint }));
      ctx.io.out(tAgent(g.lang, 'agentOnline.compare'));
      ctx.io.out(tAgent(g.lang, 'agentOnline.scopes', { scopes: answer.scopes.join(', ') }));
      ctx.io.out(tAgent(g.lang, 'agentOnline.saved', { file, url: base.origin, key: opts.key }));
    });

  agent
    .command('run')
    .description('fetch scan jobs from the server, scan what the local scope file allows, and send back signed bundles')
    .argument('<url>', 'the server the agent enrolled at')
    .requiredOption('--key <file>', 'the agent\'s private key (agent.json from enrol-online lies next to it)')
    .requiredOption('--scope <file>', 'what this agent may scan, one CIDR, address or range per line; jobs reaching beyond it are refused')
    .option('--once', 'one round: work through the open jobs, then stop')
    .option('--interval <seconds>', 'pause between rounds', '60')
    .action(async (url: string, opts: { key: string; scope: string; once?: boolean; interval: string }) => {
      const g = ctx.globals();
      const interval = Number(opts.interval);
      if (!Number.isFinite(interval) || interval < 5) throw new CamauditError('usage', `--interval "${opts.interval}" must be at least 5 seconds`);
      const keyFile = resolve(opts.key);
      const [key, enrolment, localScope] = await Promise.all([readAgentKey(keyFile), readEnrolment(keyFile), readScopeFile(opts.scope)]);
      if (enrolment.fingerprint !== key.fingerprint) {
        throw new CamauditError('usage', `${keyFile} is not the key enrolled as agent "${enrolment.name}" (fingerprint ${enrolment.fingerprint})`, { file: keyFile });
      }
      const stop = new AbortController();
      const onSignal = () => stop.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        const work = {
          client: new AgentClient(serverUrl(url), enrolment.agentId, key.privateKeyPem),
          localScope, scopeFile: opts.scope, privateKeyPem: key.privateKeyPem,
          identifier: await loadIdentifier({ overlay: g.kbOverlay }), now: ctx.io.now, signal: stop.signal,
        };
        // With --json a running agent writes one JSON line per job; --once writes the round as one list.
        const report = (o: JobOutcome) => {
          if (!g.json) (o.kind === 'answered' ? ctx.io.out : ctx.io.err)(outcomeLine(g.lang, o));
          else if (!opts.once) ctx.io.out(JSON.stringify(o));
        };
        if (opts.once) {
          const outcomes = await workOnce(work, report);
          if (g.json) printJson(ctx.io, outcomes);
          else if (outcomes.length === 0) ctx.io.out(tAgent(g.lang, 'agentOnline.noJobs'));
          ctx.setExit(exitOf(outcomes));
          return;
        }
        while (!stop.signal.aborted) {
          try {
            await workOnce(work, report);
          } catch (err) {
            // The server may be down or the link gone for a while: the agent keeps trying.
            ctx.io.err(tAgent(g.lang, 'agentOnline.roundFailed', { message: (err as Error).message, seconds: interval }));
          }
          await pause(interval, stop.signal);
        }
        ctx.io.err(tAgent(g.lang, 'agentOnline.stopped'));
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}
