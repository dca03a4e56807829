// Accounts and roles from the command line: the first administrator of a new server is made
// here, and so is a lost password's reset.
import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { CamauditError } from '../../core/errors.js';
import { hashPassword, passwordProblem } from '../../server/auth/passwords.js';
import { isRole, ROLES, type Role } from '../../server/auth/roles.js';
import type { Store } from '../../store/database.js';
import {
  createUser, findUserByEmail, grantRole, listMembers, revokeRole, setDisabled, setPasswordHash, type User,
} from '../../store/users.js';
import { resolveOrganisation, scopeFor, withStore, type GlobalOptions } from '../context.js';
import { printJson, printTable, type CommandContext } from '../program.js';

function roleOf(text: string): Role {
  if (!isRole(text)) throw new CamauditError('usage', `--role must be one of ${ROLES.join(', ')}, not "${text}"`);
  return text;
}

/** The password from the named environment variable, or a new random one to hand over once. */
function choosePassword(ctx: CommandContext, email: string, envName: string | undefined): { password: string; generated: boolean } {
  if (envName) {
    const password = ctx.io.env[envName];
    if (password === undefined) throw new CamauditError('usage', `--password-env ${envName}: that environment variable is not set`);
    const problem = passwordProblem(password, email);
    if (problem) throw new CamauditError('usage', `--password-env ${envName}: ${problem}`);
    return { password, generated: false };
  }
  return { password: randomBytes(15).toString('base64url'), generated: true };
}

async function userByEmail(store: Store, email: string): Promise<User> {
  const user = await findUserByEmail(store, email);
  if (!user) throw new CamauditError('not_found', `no account ${email}`);
  return user;
}

interface AddOptions { role: string; name?: string; passwordEnv?: string; sso?: boolean }

async function add(ctx: CommandContext, g: GlobalOptions, email: string, opts: AddOptions): Promise<void> {
  const role = roleOf(opts.role);
  const now = ctx.io.now();
  await withStore(g, async (store) => {
    const org = await resolveOrganisation(store, g, now);
    const scope = scopeFor(org, g, 'cli');
    let user = await findUserByEmail(store, email);
    let handover: string | null = null;
    if (!user) {
      let passwordHash: string | null = null;
      if (!opts.sso) {
        const chosen = choosePassword(ctx, email, opts.passwordEnv);
        passwordHash = await hashPassword(chosen.password);
        if (chosen.generated) handover = chosen.password;
      }
      user = await createUser(store, scope, { email, displayName: opts.name ?? email, passwordHash }, now);
    }
    await grantRole(store, scope, user.id, role, now);
    if (g.json) printJson(ctx.io, { email: user.email, organisation: org.slug, role, ...(handover ? { password: handover } : {}) });
    else {
      ctx.io.out(`${user.email} is ${role} of ${org.slug}`);
      if (handover) ctx.io.out(`password (shown once; the user changes it after signing in): ${handover}`);
    }
  });
}

export function registerUsers(program: Command, ctx: CommandContext): void {
  const users = program.command('users').description('accounts and their roles in the organisation');
  users
    .command('add <email>')
    .description(`give a person a role in the organisation, creating the account if needed (roles: ${ROLES.join(', ')})`)
    .requiredOption('--role <role>', 'admin, editor, viewer, auditor, coordinator or publisher')
    .option('--name <name>', 'display name')
    .option('--password-env <name>', 'take the password from this environment variable (default: a random one, printed once)')
    .option('--sso', 'no password: the person signs in through OpenID Connect')
    .action(async (email: string, opts: AddOptions) => add(ctx, ctx.globals(), email, opts));
  users
    .command('list')
    .description('people with a role in the organisation')
    .action(async () => {
      const g = ctx.globals();
      await withStore(g, async (store) => {
        const org = await resolveOrganisation(store, g, ctx.io.now());
        const members = await listMembers(store, scopeFor(org, g, 'cli'));
        if (g.json) printJson(ctx.io, members.map((m) => ({ email: m.user.email, name: m.user.displayName, role: m.role, password: m.user.hasPassword, sso: m.user.oidcSubject !== null, lockedUntil: m.user.lockedUntil, disabled: m.user.disabled })));
        else printTable(ctx.io, ['EMAIL', 'NAME', 'ROLE', 'SIGN-IN', 'STATE'], members.map((m) => [
          m.user.email, m.user.displayName, m.role, [m.user.hasPassword ? 'password' : '', m.user.oidcSubject ? 'sso' : ''].filter(Boolean).join('+'),
          m.user.disabled ? 'disabled' : m.user.lockedUntil && m.user.lockedUntil > ctx.io.now() ? `locked until ${m.user.lockedUntil}` : 'active',
        ]));
      });
    });
  users
    .command('remove <email>')
    .description('remove the person\'s role in the organisation (the account stays for other organisations)')
    .action(async (email: string) => {
      const g = ctx.globals();
      await withStore(g, async (store) => {
        const org = await resolveOrganisation(store, g, ctx.io.now());
        await revokeRole(store, scopeFor(org, g, 'cli'), (await userByEmail(store, email)).id, ctx.io.now());
        ctx.io.out(`${email} no longer has a role in ${org.slug}`);
      });
    });
  users
    .command('password <email>')
    .description('set a new password (ends the account\'s sessions and lifts a lockout)')
    .option('--password-env <name>', 'take the password from this environment variable (default: a random one, printed once)')
    .action(async (email: string, opts: { passwordEnv?: string }) => {
      const g = ctx.globals();
      await withStore(g, async (store) => {
        const user = await userByEmail(store, email);
        const chosen = choosePassword(ctx, user.email, opts.passwordEnv);
        await setPasswordHash(store, { actor: g.actor, source: 'cli' }, user.id, await hashPassword(chosen.password), ctx.io.now());
        ctx.io.out(chosen.generated ? `new password for ${user.email} (shown once): ${chosen.password}` : `password of ${user.email} changed`);
      });
    });
  for (const [name, disabled] of [['disable', true], ['enable', false]] as const) {
    users
      .command(`${name} <email>`)
      .description(disabled ? 'stop the account from signing in (ends its sessions)' : 'let a disabled account sign in again')
      .action(async (email: string) => {
        const g = ctx.globals();
        await withStore(g, async (store) => {
          const user = await userByEmail(store, email);
          await setDisabled(store, { actor: g.actor, source: 'cli' }, user.id, disabled, ctx.io.now());
          ctx.io.out(`${user.email} ${disabled ? 'disabled' : 'enabled'}`);
        });
      });
  }
}
