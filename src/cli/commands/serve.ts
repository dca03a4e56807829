import type { Command } from 'commander';
import { CamauditError } from '../../core/errors.js';
import { t } from '../../i18n/messages.js';
import { migrateToLatest, openStore } from '../../store/database.js';
import { resolveOrganisation, type GlobalOptions } from '../context.js';
import type { CommandContext } from '../program.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** Serves until SIGINT/SIGTERM; resolves when the server has closed. */
export async function startServer(ctx: CommandContext, g: GlobalOptions, opts: { port: string; host: string }): Promise<void> {
  const port = Number(opts.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CamauditError('usage', `--port "${opts.port}" is not a port number`);
  const store = await openStore(g.db);
  await migrateToLatest(store);
  const org = await resolveOrganisation(store, g, ctx.io.now());
  const { buildApp } = await import('../../server/app.js');
  const app = await buildApp({ store, org, actor: g.actor });
  if (!LOOPBACK.has(opts.host)) {
    // Sign-in arrives with the full server; until then the register is open to whoever reaches it.
    ctx.io.err(`warning: serving on ${opts.host} without sign-in; anyone who can reach this address can read the register`);
  }
  await app.listen({ port, host: opts.host });
  const address = app.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const shown = LOOPBACK.has(opts.host) || opts.host === '0.0.0.0' ? 'localhost' : opts.host;
  ctx.io.out(t(g.lang, 'serve.listening', { url: `http://${shown}:${actualPort}` }));
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void app.close().then(() => store.close()).then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export function registerServe(program: Command, ctx: CommandContext): void {
  program
    .command('serve')
    .description('serve the API and web page')
    .option('--port <port>', 'port', '8080')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .action(async (opts: { port: string; host: string }) => {
      await startServer(ctx, ctx.globals(), opts);
    });
}
