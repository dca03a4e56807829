// API benchmark: a PostgreSQL database with many organisations, the built server in a child
// process, and a load generator here with a fixed number of concurrent clients, each sending its
// next request as soon as the previous one was answered. Latency is measured per request from
// send to last byte; the server's memory is sampled from /proc while the load runs.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import type { ImportRecord } from '../src/core/import/record.js';
import type { DeviceKind, SiteCategory } from '../src/core/model.js';
import { identifierFor } from '../src/kb/knowledge.js';
import { loadActiveKnowledge } from '../src/kb/active.js';
import { seededRandom } from '../src/lab/random.js';
import { createApiToken } from '../src/store/api-tokens.js';
import { applyRecords } from '../src/store/apply-records.js';
import { migrateToLatest, openStore, type Store } from '../src/store/database.js';
import { createOrganisation } from '../src/store/organisations.js';
import { ensureBuilt, UsageError } from './import.js';
import { runCoordinatorBench } from './api-coordinator.js';

export const API_USAGE = 'api [--orgs N] [--devices N] [--clients N] [--seconds N] [--instances N] [--soak SECONDS] [--aggregate-devices N] [--strict]';

const ROOT = new URL('..', import.meta.url).pathname;
const PG_ADMIN_URL = process.env.CAMAUDIT_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/test';
const TARGET_P95_MS = 50;

interface Options {
  orgs: number;
  devices: number;
  clients: number;
  seconds: number;
  /** Server processes on the one database, the clients spread over them as a load balancer would. */
  instances: number;
  soak: number;
  aggregateDevices: number;
  strict: boolean;
}

function parse(args: readonly string[]): Options {
  const o: Options = { orgs: 50, devices: 100_000, clients: 50, seconds: 30, instances: 1, soak: 0, aggregateDevices: 1_000_000, strict: false };
  const num = (name: string, v: string | undefined, min: number) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new UsageError(`${name} needs a whole number ≥ ${min}`);
    return n;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--orgs') o.orgs = num(a, args[++i], 1);
    else if (a === '--devices') o.devices = num(a, args[++i], 1);
    else if (a === '--clients') o.clients = num(a, args[++i], 1);
    else if (a === '--seconds') o.seconds = num(a, args[++i], 1);
    else if (a === '--instances') o.instances = num(a, args[++i], 1);
    else if (a === '--soak') o.soak = num(a, args[++i], 0);
    else if (a === '--aggregate-devices') o.aggregateDevices = num(a, args[++i], 0);
    else if (a === '--strict') o.strict = true;
    else throw new UsageError(`unknown option "${a}"; usage: ${API_USAGE}`);
  }
  return o;
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

const LINES: readonly [brand: string, model: string, kind: DeviceKind][] = [
  ['Hikvision', 'DS-2CD2143G2-I', 'camera'], ['HiWatch', 'HWI-B121H', 'camera'], ['Hikvision', 'DS-7608NXI-I2/8P', 'recorder'],
  ['Dahua', 'IPC-HFW2431S-S-S2', 'camera'], ['Dahua', 'DHI-NVR4108HS-8P-4KS2', 'recorder'], ['Lorex', 'LNB4321B', 'camera'],
  ['Axis', 'P3245-LVE', 'camera'], ['Axis', 'S3008', 'recorder'], ['Bosch', 'FLEXIDOME IP 5000i', 'camera'], ['Hanwha', 'XNO-6080R', 'camera'],
];
const CATEGORIES: readonly SiteCategory[] = ['public_space', 'parking_garage', 'sports_facility', 'office', 'school', 'depot'];
const CONNECTIVITY = ['isolated', 'internal', 'internet_exposed'] as const;

/** `count` devices over 40 sites and 3 networks of one organisation, the same every run. */
function records(org: number, count: number, offset: number): ImportRecord[] {
  const random = seededRandom(1000 + org * 7919 + offset);
  const out: ImportRecord[] = [];
  for (let i = 0; i < count; i++) {
    const n = offset + i;
    const [brand, model, kind] = LINES[Math.floor(random() * LINES.length)]!;
    const site = n % 40;
    const net = site % 3;
    out.push({
      row: i + 1,
      device: { externalRef: `B${org}-${n}`, kind, brand, model, serial: `SN${org}X${n}`, ip: `10.${net}.${Math.floor(n / 250) % 250}.${(n % 250) + 1}` },
      site: { name: `Locatie ${site}`, category: CATEGORIES[site % CATEGORIES.length]! },
      network: { name: `net-${CONNECTIVITY[net]}`, connectivity: CONNECTIVITY[net]! },
    });
  }
  return out;
}

export interface Seeded {
  orgs: { id: string; slug: string; token: string }[];
}

/** Adds devices to every organisation until each holds `perOrg`, in chunks; prints progress. */
export async function fill(store: Store, seeded: Seeded, from: number, perOrg: number): Promise<void> {
  const identifier = identifierFor((await loadActiveKnowledge(store)).kb);
  const started = performance.now();
  const CHUNK = 5_000;
  for (let at = from; at < perOrg; at += CHUNK) {
    const n = Math.min(CHUNK, perOrg - at);
    for (const [i, org] of seeded.orgs.entries()) {
      await applyRecords(store, { orgId: org.id, actor: 'bench', source: 'bench' }, records(i, n, at), '2026-11-01T00:00:00.000Z', identifier.enrich);
    }
    console.log(`  ${((at + n) * seeded.orgs.length).toLocaleString('en')} devices after ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
}

async function seed(store: Store, o: Options): Promise<Seeded> {
  const seeded: Seeded = { orgs: [] };
  for (let i = 0; i < o.orgs; i++) {
    // Letters, not digits: a published aggregate names its publisher without numbers.
    const letters = String.fromCharCode(65 + Math.floor(i / 26) % 26, 65 + (i % 26));
    const org = await createOrganisation(store, { slug: `gemeente-${i + 1}`, name: `Gemeente ${letters}`, cbsCode: `GM${String(9000 + i).padStart(4, '0')}` }, '2026-11-01T00:00:00.000Z');
    const { token } = await createApiToken(store, { orgId: org.id, actor: 'bench', source: 'bench' }, { name: 'bench', role: 'viewer', expiresAt: '2027-11-01T00:00:00.000Z' }, '2026-11-01T00:00:00.000Z');
    seeded.orgs.push({ id: org.id, slug: org.slug, token });
  }
  await fill(store, seeded, 0, Math.ceil(o.devices / o.orgs));
  return seeded;
}

async function startServer(db: string): Promise<{ child: ChildProcess; port: number }> {
  // CAMAUDIT_BENCH_PROFILE=DIR writes a CPU profile of each server process there when it stops.
  const profile = process.env.CAMAUDIT_BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.CAMAUDIT_BENCH_PROFILE}`] : [];
  const child = spawn(process.execPath, [...profile, join(ROOT, 'bin/camaudit.js'), '--db', db, 'serve', '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => { err = (err + d).slice(-4000); });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /:(\d+)\s*$/m.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${err}`)));
  });
  return { child, port };
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

interface LoadResult {
  latencies: number[];
  errors: number;
  seconds: number;
  rss: { at: number; mb: number }[];
}

function get(agent: http.Agent, port: number, path: string, token: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => { body += d; }).on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
}

/** Device lists as people page through them: filtered first pages, then the next page by cursor. */
const QUERIES = [
  'limit=50&kind=camera&sort=-updatedAt',
  'limit=50&manufacturer=hikvision',
  'limit=50&connectivity=internet_exposed&sort=site',
  'limit=100&q=Locatie%2017',
  'limit=50&status=active&sort=brand',
];

interface Instance {
  port: number;
  pid: number;
}

async function load(servers: readonly Instance[], seeded: Seeded, clients: number, seconds: number, warmup: number): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const latencies: number[] = [];
  const rss: LoadResult['rss'] = [];
  let errors = 0;
  const start = performance.now();
  const measureFrom = start + warmup * 1000;
  const end = measureFrom + seconds * 1000;
  const sampler = setInterval(() => rss.push({ at: (performance.now() - start) / 1000, mb: servers.reduce((n, x) => n + rssMb(x.pid), 0) }), 1000);
  const random = seededRandom(42);
  await Promise.all(Array.from({ length: clients }, async (_, c) => {
    const { port } = servers[c % servers.length]!;
    let cursor: { org: (typeof seeded.orgs)[number]; query: string; next: string } | null = null;
    while (performance.now() < end) {
      const org: (typeof seeded.orgs)[number] = cursor?.org ?? seeded.orgs[Math.floor(random() * seeded.orgs.length)]!;
      const query: string = cursor ? `${cursor.query}&cursor=${encodeURIComponent(cursor.next)}` : QUERIES[Math.floor(random() * QUERIES.length)]!;
      const sent = performance.now();
      const res = await get(agent, port, `/api/v1/organisations/${org.slug}/devices?${query}`, org.token).catch(() => ({ status: 0, body: '' }));
      const took = performance.now() - sent;
      if (sent >= measureFrom) {
        latencies.push(took);
        if (res.status !== 200) errors++;
      }
      const next = res.status === 200 ? (JSON.parse(res.body) as { nextCursor: string | null }).nextCursor : null;
      // One in two lists is followed to its next page, as people scroll.
      cursor = next && !cursor && random() < 0.5 ? { org, query: query.replace(/&cursor=.*$/, ''), next } : null;
    }
  }));
  clearInterval(sampler);
  agent.destroy();
  return { latencies, errors, seconds, rss };
}

const pct = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

function report(label: string, r: LoadResult, clients: number): number {
  const sorted = [...r.latencies].sort((a, b) => a - b);
  const p95 = pct(sorted, 95);
  console.log(`${label}: ${sorted.length.toLocaleString('en')} requests in ${r.seconds} s (${(sorted.length / r.seconds).toFixed(0)}/s) by ${clients} clients, ${r.errors} errors`);
  console.log(`  latency p50 ${pct(sorted, 50).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, p99 ${pct(sorted, 99).toFixed(1)} ms, max ${sorted[sorted.length - 1]!.toFixed(1)} ms`);
  console.log(`  target p95 ≤ ${TARGET_P95_MS} ms: ${p95 <= TARGET_P95_MS ? 'PASS' : 'MISSED'}`);
  return p95;
}

/** Memory over a long run: the average of the last quarter against the first quarter after warm-up. */
function memory(r: LoadResult, warmup: number): { first: number; last: number; growth: number } {
  const samples = r.rss.filter((s) => s.at >= warmup);
  const q = Math.max(1, Math.floor(samples.length / 4));
  const avg = (xs: { mb: number }[]) => xs.reduce((n, s) => n + s.mb, 0) / xs.length;
  const first = avg(samples.slice(0, q));
  const last = avg(samples.slice(-q));
  return { first, last, growth: last / first };
}

export async function runApiBench(args: readonly string[]): Promise<number> {
  const o = parse(args);
  ensureBuilt();
  const name = `camaudit_bench_api_${randomBytes(4).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  const db = url.toString();
  let failed = false;
  const store = await openStore(db);
  try {
    await migrateToLatest(store);
    console.log(`seeding ${o.devices.toLocaleString('en')} devices over ${o.orgs} organisations in PostgreSQL`);
    const seeded = await seed(store, o);
    const servers = await Promise.all(Array.from({ length: o.instances }, () => startServer(db)));
    const instances = servers.map((x) => ({ port: x.port, pid: x.child.pid! }));
    try {
      const warm = await load(instances, seeded, o.clients, o.seconds, 3);
      const p95 = report(`device list, ${o.devices.toLocaleString('en')} devices / ${o.orgs} organisations, ${o.instances} server process(es)`, warm, o.clients);
      if (o.strict && p95 > TARGET_P95_MS) failed = true;
      if (o.soak > 0) {
        const soak = await load(instances, seeded, o.clients, o.soak, 10);
        report(`load run of ${o.soak} s`, soak, o.clients);
        const m = memory(soak, 10);
        console.log(`  server RSS ${m.first.toFixed(0)} MB (first quarter) → ${m.last.toFixed(0)} MB (last quarter): ×${m.growth.toFixed(2)}; errors ${soak.errors}`);
        console.log(`  flat memory (≤ ×1.10) and no errors: ${m.growth <= 1.1 && soak.errors === 0 ? 'PASS' : 'MISSED'}`);
        if (o.strict && (m.growth > 1.1 || soak.errors > 0)) failed = true;
      }
    } finally {
      await Promise.all(servers.map((x) => new Promise((resolve) => {
        x.child.once('exit', resolve);
        x.child.kill('SIGTERM');
      })));
    }
    if (o.aggregateDevices > 0) {
      const perOrg = Math.ceil(o.aggregateDevices / o.orgs);
      console.log(`growing to ${(perOrg * o.orgs).toLocaleString('en')} devices for the coordinator`);
      await fill(store, seeded, Math.ceil(o.devices / o.orgs), perOrg);
      if (!(await runCoordinatorBench(store, seeded, o.strict))) failed = true;
    }
  } finally {
    await store.close();
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
  return failed ? 1 : 0;
}
