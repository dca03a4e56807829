// API tokens for scripts, CI and other servers: one organisation, one role, an expiry date.
import type { Command } from 'commander';
import { CamauditError } from '../../core/errors.js';
import { isRole, ROLES } from '../../server/auth/roles.js';
import { createApiToken, listApiTokens, MAX_TOKEN_DAYS, revokeApiToken } from '../../store/api-tokens.js';
import { resolveOrganisation, scopeFor, withStore } from '../context.js';
import { printJson, printTable, type CommandContext } from '../program.js';

export function registerTokens(program: Command, ctx: CommandContext): void {
  const tokens = program.command('tokens').description('API tokens of the organisation');
  tokens
    .command('create <name>')
    .description('make a token; its secret is printed once and stored only as a hash')
    .requiredOption('--role <role>', `the token's role: ${ROLES.join(', ')}`)
    .option('--days <n>', `days until it expires (at most ${MAX_TOKEN_DAYS})`, '90')
    .action(async (name: string, opts: { role: string; days: string }) => {
      const g = ctx.globals();
      if (!isRole(opts.role)) throw new CamauditError('usage', `--role must be one of ${ROLES.join(', ')}, not "${opts.role}"`);
      const days = Number(opts.days);
      if (!Number.isInteger(days) || days < 1 || days > MAX_TOKEN_DAYS) throw new CamauditError('usage', `--days must be a whole number from 1 to ${MAX_TOKEN_DAYS}`);
      const now = ctx.io.now();
      await withStore(g, async (store) => {
        const org = await resolveOrganisation(store, g, now);
        const expiresAt = new Date(Date.parse(now) + days * 86_400_000).toISOString();
        const { token, record } = await createApiToken(store, scopeFor(org, g, 'cli'), { name, role: opts.role as never, expiresAt }, now);
        if (g.json) printJson(ctx.io, { id: record.id, organisation: org.slug, role: record.role, expiresAt, token });
        else {
          ctx.io.out(`token "${record.name}" (${record.role} of ${org.slug}, expires ${expiresAt.slice(0, 10)}), shown once:`);
          ctx.io.out(token);
        }
      });
    });
  tokens
    .command('list')
    .description('tokens with their role, expiry and last use (never the secret)')
    .action(async () => {
      const g = ctx.globals();
      await withStore(g, async (store) => {
        const org = await resolveOrganisation(store, g, ctx.io.now());
        const all = await listApiTokens(store, scopeFor(org, g, 'cli'));
        if (g.json) printJson(ctx.io, all);
        else printTable(ctx.io, ['ID', 'NAME', 'ROLE', 'EXPIRES', 'LAST USED', 'STATE'], all.map((t) => [
          t.id.slice(0, 8), t.name, t.role, t.expiresAt.slice(0, 10), t.lastUsedAt?.slice(0, 16) ?? '', t.revokedAt ? 'revoked' : t.expiresAt <= ctx.io.now() ? 'expired' : 'active',
        ]));
      });
    });
  tokens
    .command('revoke <id>')
    .description('stop a token at once (the full id or its first characters)')
    .action(async (id: string) => {
      const g = ctx.globals();
      await withStore(g, async (store) => {
        const org = await resolveOrganisation(store, g, ctx.io.now());
        const scope = scopeFor(org, g, 'cli');
        const matches = (await listApiTokens(store, scope)).filter((t) => t.id.startsWith(id));
        if (matches.length !== 1) throw new CamauditError(matches.length ? 'usage' : 'not_found', matches.length ? `"${id}" names ${matches.length} tokens; give more characters` : `no token ${id} in ${org.slug}`);
        const revoked = await revokeApiToken(store, scope, matches[0]!.id, ctx.io.now());
        ctx.io.out(`token "${revoked.name}" revoked`);
      });
    });
}
