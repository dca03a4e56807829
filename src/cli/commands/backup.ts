import { copyFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import SqliteDriver from 'better-sqlite3';
import type { Command } from 'commander';
import { CamauditError } from '../../core/errors.js';
import { t } from '../../i18n/messages.js';
import { isPostgresUrl } from '../../store/database.js';
import { withStore } from '../context.js';
import type { CommandContext } from '../program.js';

const PG_HINT = 'on PostgreSQL use pg_dump -Fc and pg_restore (see the README)';

export function registerBackup(program: Command, ctx: CommandContext): void {
  program
    .command('backup')
    .description('consistent copy of the SQLite database while it is in use')
    .argument('<file>')
    .action(async (file: string) => {
      const g = ctx.globals();
      if (isPostgresUrl(g.db)) throw new CamauditError('unsupported', `backup: ${PG_HINT}`);
      await withStore(g, async (store) => {
        await store.sqlite!.backup(resolve(file));
        ctx.io.out(t(g.lang, 'backup.written', { file }));
      });
    });
  program
    .command('restore')
    .description('replace the SQLite database with a backup (stop the server first)')
    .argument('<file>')
    .action(async (file: string) => {
      const g = ctx.globals();
      if (isPostgresUrl(g.db)) throw new CamauditError('unsupported', `restore: ${PG_HINT}`);
      assertCamauditBackup(file);
      const target = resolve(g.db);
      // Stale WAL files belong to the old database and would be replayed onto the restored one.
      await rm(`${target}-wal`, { force: true });
      await rm(`${target}-shm`, { force: true });
      await copyFile(file, target);
      ctx.io.out(t(g.lang, 'restore.done', { file }));
    });
}

function assertCamauditBackup(file: string): void {
  if (!existsSync(file)) throw new CamauditError('not_found', `no backup file ${file}`, { file });
  let db: SqliteDriver.Database | undefined;
  try {
    db = new SqliteDriver(file, { readonly: true, fileMustExist: true });
    const ok = db.prepare("select count(*) as n from sqlite_master where type = 'table' and name in ('kysely_migration', 'devices')").get() as { n: number };
    const integrity = db.pragma('integrity_check', { simple: true });
    if (ok.n !== 2) throw new Error('not a camaudit database');
    if (integrity !== 'ok') throw new Error(`integrity check failed: ${String(integrity)}`);
  } catch (cause) {
    throw new CamauditError('invalid_input', `${file} is not a usable camaudit backup: ${(cause as Error).message}`, { file }, { cause });
  } finally {
    db?.close();
  }
}
