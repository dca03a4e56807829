// A scan killed half-way (SIGKILL: no chance to clean up) resumes from its stored cursor: every
// device ends up recorded exactly once, and the register holds no duplicates.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDevice } from '../../src/lab/emulator/catalogue.js';
import { startLab, type RunningLab } from '../../src/lab/emulator/lab.js';
import { cli } from '../helpers/cli.js';

const ENTRY = new URL('../helpers/cli-entry.ts', import.meta.url).pathname;
const ROOT = new URL('../..', import.meta.url).pathname;
const TEMPLATES = ['hikvision-camera', 'dahua-camera', 'axis-camera', 'hanwha-camera', 'hikvision-nvr', 'bosch-camera', 'uniview-camera', 'lorex-nvr'];

describe('scan resume after a kill', () => {
  let lab: RunningLab;
  let dir: string;
  const devices = TEMPLATES.map((t, i) => makeDevice(t, `127.77.21.${20 + i * 25}`, 40 + i));

  beforeAll(async () => {
    lab = await startLab({ devices });
    dir = mkdtempSync(join(tmpdir(), 'camaudit-resume-'));
  }, 30_000);
  afterAll(async () => {
    await lab?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('continues from the cursor and records every device once', async () => {
    const db = join(dir, 'scan.db');
    // Slow enough to be caught mid-way: one port, one host at a time, 40 connections a second.
    const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, '--db', db, 'scan', '127.77.21.0-127.77.21.199', '--ports', '80',
      '--rate', '40', '--concurrency', '2', '--host-interval', '0', '--timeout', '800', '--no-progress'], { cwd: ROOT, stdio: 'ignore' });
    const cursor = await new Promise<string>((resolve, reject) => {
      const timer = setInterval(() => {
        try {
          const sqlite = new Database(db, { readonly: true, fileMustExist: true });
          const row = sqlite.prepare('SELECT cursor FROM scan_runs').get() as { cursor: string | null } | undefined;
          sqlite.close();
          const last = Number(row?.cursor?.split('.')[3] ?? -1);
          if (last >= 80) {
            clearInterval(timer);
            child.kill('SIGKILL');
            resolve(row!.cursor!);
          }
        } catch {
          // The database or its tables do not exist yet.
        }
      }, 100);
      child.once('exit', (code) => {
        clearInterval(timer);
        reject(new Error(`scan ended (${code}) before it could be killed`));
      });
    });
    await new Promise((r) => child.once('exit', r));
    const before = JSON.parse((await cli(['--db', db, '--json', 'scans', 'list'])).out) as { id: string; status: string; cursor: string }[];
    expect(before).toHaveLength(1);
    expect(before[0]!.status).toBe('running');
    expect(before[0]!.cursor).toBe(cursor);

    const resumed = await cli(['--db', db, 'scan', '--resume', before[0]!.id.slice(0, 8), '--no-progress']);
    expect(resumed.code, resumed.err).toBe(0);
    // The resumed part swept only what was left after the cursor.
    expect(resumed.out).toMatch(/of \d+ addresses/);
    const sqlite = new Database(db, { readonly: true });
    const hosts = sqlite.prepare('SELECT ip, COUNT(*) AS n FROM scan_hosts GROUP BY ip ORDER BY ip').all() as { ip: string; n: number }[];
    const registered = sqlite.prepare('SELECT ip FROM devices ORDER BY ip').all() as { ip: string }[];
    const run = sqlite.prepare('SELECT status, stats_json FROM scan_runs').get() as { status: string; stats_json: string };
    sqlite.close();
    const expected = devices.map((d) => d.ip).sort();
    expect(hosts.map((h) => h.ip).sort()).toEqual(expected);
    expect(hosts.every((h) => h.n === 1)).toBe(true);
    expect(registered.map((r) => r.ip).sort()).toEqual(expected);
    expect(run.status).toBe('done');
    expect(JSON.parse(run.stats_json)).toMatchObject({ done: 200, total: 200 });
  }, 90_000);
});
