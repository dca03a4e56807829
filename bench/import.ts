// Import benchmark: the built CLI imports a generated register into a fresh database, in a child
// process, so wall time includes start-up and the peak RSS is the importer's alone (not tsx's).
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { writeRegisterCsv } from './generate-register.js';

type Engine = 'sqlite' | 'postgres';
interface Run { engine: Engine; rows: number }
interface Result extends Run { seconds: number; rssMb: number; created: number; ok: boolean }

const ROOT = new URL('..', import.meta.url).pathname;
const PG_ADMIN_URL = process.env.CAMAUDIT_BENCH_PG ?? 'postgres://127.0.0.1:5432/test';
const TARGET_S_PER_100K: Record<Engine, number> = { sqlite: 5, postgres: 15 };
const TARGET_RSS_MB = 300;
const TARGET_RSS_GROWTH = 1.5;
const TIME = '/usr/bin/time';

export const IMPORT_USAGE = 'import [--rows N] [--engine sqlite|postgres] [--strict]';

/** Bad arguments: the runner prints usage and exits 2 rather than 1. */
export class UsageError extends Error {}

/** Default plan: 100k rows on both engines, and 1M on SQLite to show that memory stays flat. */
export function planRuns(args: readonly string[]): { runs: Run[]; strict: boolean } {
  let rows: number | null = null;
  let only: Engine | null = null;
  let strict = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--rows') rows = Number(args[++i]);
    else if (a === '--engine') only = args[++i] as Engine;
    else if (a === '--strict') strict = true;
    else throw new UsageError(`unknown option "${a}"; usage: ${IMPORT_USAGE}`);
  }
  if (rows !== null && !(Number.isInteger(rows) && rows > 0)) throw new UsageError('--rows needs a positive whole number');
  if (only !== null && only !== 'sqlite' && only !== 'postgres') throw new UsageError('--engine is sqlite or postgres');
  const runs: Run[] = rows !== null
    ? [{ engine: 'sqlite', rows }, { engine: 'postgres', rows }]
    : [{ engine: 'sqlite', rows: 100_000 }, { engine: 'postgres', rows: 100_000 }, { engine: 'sqlite', rows: 1_000_000 }];
  return { runs: runs.filter((r) => only === null || r.engine === only), strict };
}

function newestMtime(dir: string): number {
  return Math.max(0, ...readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => statSync(join(dir, f)).mtimeMs));
}

/** The benchmark measures dist/, so it must be built from the current src/. */
export function ensureBuilt(): void {
  const main = join(ROOT, 'dist/cli/main.js');
  if (existsSync(main) && statSync(main).mtimeMs >= newestMtime(join(ROOT, 'src'))) return;
  console.log('dist/ is missing or older than src/: building (npx tsc -p tsconfig.build.json)');
  const r = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('build failed; the benchmark needs a working dist/');
}

// pg takes the user name from the URL, else PGUSER or USER read when pg loads; some shells set
// neither, so the bench puts the login name in the URL (never a password).
function pgUrl(database?: string): string {
  const url = new URL(PG_ADMIN_URL);
  if (!url.username) url.username = process.env.PGUSER || process.env.USER || userInfo().username;
  if (database) url.pathname = `/${database}`;
  return url.toString();
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: pgUrl(), connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** One import in a child process; peak RSS from GNU time, else from a preload that reports it. */
async function measure(db: string, file: string, rows: number, dir: string): Promise<{ seconds: number; rssKb: number; stdout: string }> {
  const rssFile = join(dir, `rss-${randomBytes(4).toString('hex')}`);
  const cli = [join(ROOT, 'bin/camaudit.js'), '--db', db, 'import', file, '--json'];
  let cmd: string;
  let args: string[];
  if (existsSync(TIME)) {
    [cmd, args] = [TIME, ['-f', '%M', '-o', rssFile, process.execPath, ...cli]];
  } else {
    const preload = join(dir, 'maxrss.mjs');
    writeFileSync(preload, `import { writeFileSync } from 'node:fs';\nprocess.on('exit', () => writeFileSync(${JSON.stringify(rssFile)}, String(process.resourceUsage().maxRSS)));\n`);
    [cmd, args] = [process.execPath, ['--import', pathToFileURL(preload).href, ...cli]];
  }
  const started = performance.now();
  const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  // The CLI reports every 10,000 rows read; echoing every tenth of the file shows whether the
  // rate holds up as the database grows. Only the tail is kept, for error messages.
  const every = Math.max(10_000, Math.round(rows / 100_000) * 10_000);
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr = (stderr + d).slice(-4000);
    for (const m of d.matchAll(/: (\d+) rows read/g)) {
      if (Number(m[1]) % every === 0) console.log(`  ${fmt(Number(m[1]))} rows at ${fmt((performance.now() - started) / 1000, 1)} s`);
    }
  });
  const code = await new Promise<number | null>((resolve, reject) => child.on('error', reject).on('close', resolve));
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`import exited with ${code}:\n${stderr}`);
  const rssKb = Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop());
  return { seconds, rssKb, stdout };
}

async function runOne(run: Run, file: string, dir: string): Promise<Result> {
  let db = join(dir, `${run.engine}-${run.rows}.db`);
  let dbName: string | null = null;
  if (run.engine === 'postgres') {
    dbName = `camaudit_bench_${randomBytes(4).toString('hex')}`;
    await adminQuery(`CREATE DATABASE ${dbName}`);
    db = pgUrl(dbName);
  }
  try {
    const { seconds, rssKb, stdout } = await measure(db, file, run.rows, dir);
    const report = JSON.parse(stdout) as { committed: boolean; created: number; rejected: number };
    const ok = report.committed && report.created === run.rows && report.rejected === 0;
    if (!ok) console.error(`${run.engine} ${run.rows}: expected ${run.rows} created, got ${stdout.slice(0, 2000)}`);
    return { ...run, seconds, rssMb: rssKb / 1024, created: report.created, ok };
  } finally {
    if (dbName) await adminQuery(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    else for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
  }
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const mark = (pass: boolean) => (pass ? 'PASS' : 'MISS');

function printTable(results: readonly Result[]): boolean {
  const head = ['engine', 'rows', 'seconds', 'rows/s', 's per 100k', 'peak RSS MB', 'time target', 'RSS target', 'created'];
  let allPass = true;
  const body = results.map((r) => {
    const per100k = (r.seconds / r.rows) * 100_000;
    const timeOk = per100k <= TARGET_S_PER_100K[r.engine];
    const rssOk = r.rssMb <= TARGET_RSS_MB;
    allPass &&= timeOk && rssOk;
    return [r.engine, fmt(r.rows), fmt(r.seconds, 2), fmt(r.rows / r.seconds), fmt(per100k, 2), fmt(r.rssMb, 1),
      `${mark(timeOk)} (≤ ${TARGET_S_PER_100K[r.engine]} s)`, `${mark(rssOk)} (≤ ${TARGET_RSS_MB} MB)`, r.ok ? 'ok' : 'WRONG'];
  });
  const lines = [head, head.map(() => '---'), ...body];
  for (const l of lines) console.log(`| ${l.join(' | ')} |`);
  for (const engine of ['sqlite', 'postgres'] as const) {
    const sized = results.filter((r) => r.engine === engine).sort((a, b) => a.rows - b.rows);
    if (sized.length < 2) continue;
    const [small, large] = [sized[0]!, sized[sized.length - 1]!];
    const ratio = large.rssMb / small.rssMb;
    allPass &&= ratio <= TARGET_RSS_GROWTH;
    console.log(`\n${engine}: RSS at ${fmt(large.rows)} rows is ${ratio.toFixed(2)}× RSS at ${fmt(small.rows)} rows — ` +
      `${mark(ratio <= TARGET_RSS_GROWTH)} (≤ ${TARGET_RSS_GROWTH}×)`);
  }
  return allPass;
}

export async function runImportBench(args: readonly string[]): Promise<number> {
  const { runs, strict } = planRuns(args);
  if (runs.some((r) => r.engine === 'postgres')) {
    try {
      await adminQuery('SELECT 1');
    } catch (err) {
      console.log(`PostgreSQL skipped: ${PG_ADMIN_URL} unreachable (${(err as Error).message})`);
      runs.splice(0, runs.length, ...runs.filter((r) => r.engine !== 'postgres'));
    }
  }
  ensureBuilt();
  console.log(`node ${process.version}, ${existsSync(TIME) ? 'peak RSS from /usr/bin/time' : 'peak RSS from process.resourceUsage()'}`);
  const dir = mkdtempSync(join(tmpdir(), 'camaudit-bench-'));
  try {
    const files = new Map<number, string>();
    const results: Result[] = [];
    for (const run of runs) {
      if (!files.has(run.rows)) {
        const file = join(dir, `register-${run.rows}.csv`);
        const t0 = performance.now();
        await writeRegisterCsv(file, run.rows);
        console.log(`generated ${fmt(run.rows)} rows (${fmt(statSync(file).size / 1024 / 1024, 1)} MB) in ${fmt((performance.now() - t0) / 1000, 1)} s`);
        files.set(run.rows, file);
      }
      console.log(`importing ${fmt(run.rows)} rows into ${run.engine} …`);
      const r = await runOne(run, files.get(run.rows)!, dir);
      console.log(`  done: ${fmt(r.seconds, 2)} s, peak RSS ${fmt(r.rssMb, 1)} MB, ${fmt(r.created)} created`);
      results.push(r);
    }
    console.log('');
    const pass = printTable(results);
    if (results.some((r) => !r.ok)) return 1;
    return strict && !pass ? 1 : 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
