// Scan benchmark: a lab of emulated devices spread over 127.77.0.0/16, a full camaudit scan of
// the /16 (sweep + probes + identification, stored in a fresh SQLite database), the same range
// swept by nmap for comparison, and identification accuracy against the lab's ground truth.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ensureBuilt, UsageError } from './import.js';

export const SCAN_USAGE = 'scan [--devices N] [--subnet CIDR] [--seed S] [--no-nmap]';

const ROOT = new URL('..', import.meta.url).pathname;
const CLI = join(ROOT, 'bin/camaudit.js');
const TIME = '/usr/bin/time';
const NMAP_PORTS = '80,443,554,8000,37777';
const TARGET_RATIO = 2;

interface Truth { ip: string; manufacturer: string | null; model: string; kind: string; template: string }
interface Found { ip: string; manufacturer: string | null; model: string | null }

async function startLab(devices: number, subnet: string, seed: number, dir: string): Promise<{ child: ChildProcess; truth: Truth[] }> {
  const truthFile = join(dir, 'truth.json');
  const child = spawn(process.execPath, [CLI, 'lab', '--devices', String(devices), '--subnet', subnet, '--seed', String(seed),
    '--truth-out', truthFile, '--credentials-out', join(dir, 'credentials.json')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-4000)));
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (out.includes('"ready":true')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`lab exited with ${code} before it was ready:\n${stderr}`)));
  });
  return { child, truth: JSON.parse(readFileSync(truthFile, 'utf8')) as Truth[] };
}

/** A child process timed and measured by GNU time when present. */
async function timed(cmd: string, args: string[], dir: string): Promise<{ seconds: number; rssMb: number | null; stdout: string; code: number | null; stderr: string }> {
  const rssFile = join(dir, `rss-${Math.random().toString(16).slice(2)}`);
  const withTime = existsSync(TIME);
  const started = performance.now();
  const child = spawn(withTime ? TIME : cmd, withTime ? ['-f', '%M', '-o', rssFile, cmd, ...args] : args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-4000)));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const seconds = (performance.now() - started) / 1000;
  const rssMb = withTime && existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) / 1024 : null;
  return { seconds, rssMb, stdout, code, stderr };
}

function ensureNmap(): boolean {
  if (spawnSync('nmap', ['--version']).status === 0) return true;
  console.log('nmap not found: installing (apt-get install -y nmap)');
  const r = spawnSync('apt-get', ['install', '-y', 'nmap'], { stdio: 'inherit' });
  return r.status === 0 && spawnSync('nmap', ['--version']).status === 0;
}

/** Correct when the maker matches; for non-camera hosts, when no camera maker is claimed. */
function accuracy(truth: readonly Truth[], found: readonly Found[]): { correct: number; wrong: string[] } {
  const byIp = new Map(found.map((f) => [f.ip, f]));
  const wrong: string[] = [];
  let correct = 0;
  for (const t of truth) {
    const f = byIp.get(t.ip);
    const got = f?.manufacturer ?? null;
    if (f && got === t.manufacturer) correct++;
    else wrong.push(`${t.ip} ${t.template}: expected ${t.manufacturer ?? 'no camera maker'}, got ${f ? (got ?? 'unidentified') : 'not found'}`);
  }
  return { correct, wrong };
}

export async function runScanBench(args: readonly string[]): Promise<number> {
  let devices = 500;
  let subnet = '127.77.0.0/16';
  let seed = 7;
  let nmap = true;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--devices') devices = Number(args[++i]);
    else if (args[i] === '--subnet') subnet = args[++i]!;
    else if (args[i] === '--seed') seed = Number(args[++i]);
    else if (args[i] === '--no-nmap') nmap = false;
    else throw new UsageError(`unknown option "${args[i]}"; usage: ${SCAN_USAGE}`);
  }
  if (!Number.isInteger(devices) || devices <= 0) throw new UsageError('--devices needs a positive whole number');
  ensureBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'camaudit-scan-bench-'));
  const { child: lab, truth } = await startLab(devices, subnet, seed, dir);
  try {
    console.log(`lab: ${truth.length} devices on ${subnet} (seed ${seed}); node ${process.version}`);
    const db = join(dir, 'scan.db');
    const scan = await timed(process.execPath, [CLI, '--db', db, '--json', 'scan', subnet, '--credentials', join(dir, 'credentials.json'),
      '--rate', '0', '--concurrency', '2048', '--host-interval', '0', '--timeout', '1500', '--retries', '0', '--no-progress'], dir);
    if (scan.code !== 0) throw new Error(`scan exited with ${scan.code}:\n${scan.stderr}`);
    const found = JSON.parse(scan.stdout) as Found[];
    const runs = JSON.parse(spawnSync(process.execPath, [CLI, '--db', db, '--json', 'scans', 'list'], { encoding: 'utf8' }).stdout) as { stats: { connections: number; datagrams: number; done: number } }[];
    const stats = runs[0]!.stats;
    const { correct, wrong } = accuracy(truth, found);
    console.log(`camaudit scan (${stats.done.toLocaleString('en')} addresses swept on 5 ports, 5 more ports and every probe on live hosts, with credentials, identified and stored):`);
    console.log(`  wall ${scan.seconds.toFixed(1)} s, ${Math.round(stats.connections / scan.seconds).toLocaleString('en')} connections/s ` +
      `(${stats.connections.toLocaleString('en')} connections, ${stats.datagrams.toLocaleString('en')} datagrams), peak RSS ${scan.rssMb === null ? 'n/a' : `${scan.rssMb.toFixed(0)} MB`}`);
    const pct = (100 * correct) / truth.length;
    console.log(`  identification: ${correct}/${truth.length} devices with the correct manufacturer (${pct.toFixed(1)} %) — ${correct === truth.length ? 'PASS' : 'MISS'} (target 100 %)`);
    for (const w of wrong.slice(0, 20)) console.log(`    ${w}`);
    let ratioOk = true;
    if (nmap && ensureNmap()) {
      const n = await timed('nmap', ['-sT', '-Pn', '-n', '-T4', '--open', '-p', NMAP_PORTS, '-oX', join(dir, 'nmap.xml'), subnet], dir);
      if (n.code !== 0) throw new Error(`nmap exited with ${n.code}:\n${n.stderr}`);
      const ratio = scan.seconds / n.seconds;
      ratioOk = ratio <= TARGET_RATIO;
      console.log(`nmap -sT -Pn -n -T4 --open -p ${NMAP_PORTS} ${subnet}: wall ${n.seconds.toFixed(1)} s, peak RSS ${n.rssMb === null ? 'n/a' : `${n.rssMb.toFixed(0)} MB`}`);
      console.log(`  camaudit / nmap = ${ratio.toFixed(2)} — ${ratioOk ? 'PASS' : 'MISS'} (target ≤ ${TARGET_RATIO}×)`);
    } else if (nmap) {
      console.log('nmap unavailable: ratio not measured');
    }
    return correct === truth.length && ratioOk ? 0 : 1;
  } finally {
    lab.kill('SIGTERM');
    await new Promise((r) => lab.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}
