// An import in a real process, killed with SIGKILL while its transaction is open: what the kill
// tests start from.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');

/** A register of `rows` Axis cameras, large enough that its import is still writing when killed. */
export async function writeLargeCsv(file: string, rows: number): Promise<void> {
  const out = createWriteStream(file);
  out.write('Referentie;Merk;Type;Serienummer;Locatie;Verbinding\n');
  for (let i = 0; i < rows; i++) {
    if (!out.write(`K-${i};Axis;P3245-LVE;SN${i};Locatie ${i % 500};intern\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** Imports `file` into `db` and kills the process once it reports `rows` rows read; returns the signal it ended with. */
export async function killImportAfter(db: string, file: string, rows: number): Promise<NodeJS.Signals | null> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test', 'helpers', 'cli-entry.ts'), '--db', db, 'import', file], {
    cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'],
  });
  // Progress is reported every 10,000 rows read while rows are written inside the transaction.
  let stderr = '';
  await new Promise<void>((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (new RegExp(`\\b${rows} rows read`).test(stderr)) resolve();
    });
    child.on('exit', () => reject(new Error(`import ended before it could be killed:\n${stderr}`)));
  });
  child.kill('SIGKILL');
  const [, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  return signal;
}
