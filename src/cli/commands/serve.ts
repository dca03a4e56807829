import type { Command } from 'commander';
import { CamauditError } from '../../core/errors.js';
import { t } from '../../i18n/messages.js';
import type { Store } from '../../store/database.js';
import type { GlobalOptions } from '../context.js';
import type { CommandContext } from '../program.js';

export interface ServeFlags {
  port?: string;
  host?: string;
  config?: string;
}

function portOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CamauditError('usage', `--port "${text}" is not a port number`);
  return port;
}

/** Serves until SIGINT/SIGTERM; resolves when the server has shut down. */
export async function startServer(ctx: CommandContext, g: GlobalOptions, opts: ServeFlags, prepare?: (store: Store) => Promise<void>): Promise<void> {
  const { loadServerConfig, maskedConfig } = await import('../../server/config.js');
  const { runServer } = await import('../../server/start.js');
  const config = loadServerConfig({
    ...(opts.config ? { file: opts.config } : {}), cwd: process.cwd(), env: ctx.io.env,
    flags: { ...(g.dbGiven ? { db: g.db } : {}), ...(opts.host ? { host: opts.host } : {}), ...(opts.port !== undefined ? { port: portOf(opts.port) } : {}) },
  });
  ctx.io.err(`configuration: ${JSON.stringify(maskedConfig(config))}`);
  const server = await runServer(config, { now: ctx.io.now, warn: ctx.io.err, ...(prepare ? { prepare } : {}) });
  ctx.io.out(t(g.lang, 'serve.listening', { url: server.url }));
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void server.close().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export function registerServe(program: Command, ctx: CommandContext): void {
  program
    .command('serve')
    .description('serve the API (and the web application) for one or many organisations')
    .option('--port <port>', 'port (default 8080)')
    .option('--host <host>', 'address to listen on (default 127.0.0.1)')
    .option('--config <file>', 'configuration file (default ./camaudit.yaml when present)')
    .action(async (opts: ServeFlags) => {
      await startServer(ctx, ctx.globals(), opts);
    });
}
