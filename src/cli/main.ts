// The CLI entry: argv in, exit code out. Errors become one line for people (a stack with --debug).
import { Command, CommanderError } from 'commander';
import { CamauditError, formatLocation } from '../core/errors.js';
import { exitCodeFor, EXIT } from './exit-codes.js';
import type { Io } from './context.js';
import { makeContext } from './program.js';
import { registerAgent } from './commands/agent.js';
import { registerAssess } from './commands/assess.js';
import { registerAudit } from './commands/audit.js';
import { registerBackup } from './commands/backup.js';
import { registerClauses } from './commands/clauses.js';
import { registerDemo } from './commands/demo.js';
import { registerDevices } from './commands/devices.js';
import { registerExport } from './commands/export.js';
import { registerFederation } from './commands/federation.js';
import { registerIdentify } from './commands/identify.js';
import { registerImport } from './commands/import.js';
import { registerInit } from './commands/init.js';
import { registerKb } from './commands/kb.js';
import { registerLab } from './commands/lab.js';
import { registerLists } from './commands/lists.js';
import { registerNotify } from './commands/notify.js';
import { registerPlan } from './commands/plan.js';
import { registerPolicy } from './commands/policy.js';
import { registerScan } from './commands/scan.js';
import { registerScans } from './commands/scans.js';
import { registerReport } from './commands/report.js';
import { registerScreen } from './commands/screen.js';
import { registerServe } from './commands/serve.js';
import { registerTokens } from './commands/tokens.js';
import { registerUsers } from './commands/users.js';
import { registerVerifyIsolation } from './commands/verify-isolation.js';
import { registerWaive } from './commands/waive.js';

export function defaultIo(): Io {
  // `camaudit … | head` closes the pipe early: that ends the output, it is not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  return {
    out: (text) => process.stdout.write(text + '\n'),
    err: (text) => process.stderr.write(text + '\n'),
    env: process.env,
    now: () => new Date().toISOString(),
  };
}

export async function main(argv: readonly string[], io: Io = defaultIo()): Promise<number> {
  let code: number = EXIT.ok;
  const program = new Command('camaudit')
    .description('Register, identify and assess network cameras and recorders')
    .option('--db <path|url>', 'SQLite file or postgres:// URL (env CAMAUDIT_DB; default ./camaudit.db)')
    .option('--org <slug>', 'organisation to work on (env CAMAUDIT_ORG)')
    .option('--json', 'machine-readable output')
    .option('--lang <nl|en>', 'language of messages (env CAMAUDIT_LANG)')
    .option('--kb-overlay <file>', 'organisation knowledge on top of the KB (env CAMAUDIT_KB_OVERLAY)')
    .option('--debug', 'show stack traces')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .showHelpAfterError();
  const ctx = makeContext(program, io, (c) => {
    code = c;
  });
  for (const register of [registerInit, registerImport, registerIdentify, registerKb, registerDevices, registerLists, registerExport, registerBackup, registerDemo, registerServe, registerScan, registerScans, registerVerifyIsolation, registerAgent, registerLab, registerAssess, registerWaive, registerPlan, registerPolicy, registerUsers, registerTokens, registerNotify, registerAudit, registerFederation, registerClauses, registerScreen, registerReport]) {
    register(program, ctx);
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (caught) {
    let err = caught;
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    const debug = argv.includes('--debug');
    // SQLite allows one writer: a second import waits five seconds, then gives up.
    if ((err as { code?: string }).code === 'SQLITE_BUSY') {
      err = new CamauditError('database', 'the database is busy with another write (an import in progress?); try again when it has finished', undefined, { cause: err });
    }
    if (err instanceof CamauditError) {
      const where = formatLocation(err.location);
      const message = where && !err.message.includes(err.location?.file ?? '\u0000') ? `${where}: ${err.message}` : err.message;
      io.err(`error: ${message}`);
    } else {
      io.err(`internal error: ${(err as Error).message ?? String(err)}`);
    }
    if (debug && err instanceof Error && err.stack) io.err(err.stack);
    return exitCodeFor(err);
  }
}
