// Discovery through the API: the scope guard refuses before any job exists, and so do the
// server's own limits (targets inside the organisation's registered networks, never the server's
// loopback or link-local ranges, public ranges declared only by administrators); a scan job runs
// for real against lab devices on 127.77.30.0/24 (allowed here by scans.allowLoopback) and
// touches nothing it was told to leave out; runs are listed, shown and compared; a signed scan
// bundle is verified like `camaudit import BUNDLE` — altered, unknown, replayed and foreign
// bundles refused. Another organisation's runs are 404.
import net from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateAgentKeyPair } from '../../src/discover/agent-keys.js';
import { createBundle, type BundleMeta } from '../../src/discover/bundle.js';
import { readNmapXml } from '../../src/ingest/nmap.js';
import { makeDevice } from '../../src/lab/emulator/catalogue.js';
import { startLab, type RunningLab } from '../../src/lab/emulator/lab.js';
import { enrolAgent } from '../../src/store/agents.js';
import { listAudit } from '../../src/store/audit.js';
import { newId } from '../../src/store/ids.js';
import { ENGINES } from '../helpers/engines.js';
import { finished, waitForJob } from '../helpers/job-wait.js';
import { bearer, startTestServer, type TestServer } from '../helpers/server.js';

const ALPHA = '/api/v1/organisations/alpha';
const LAB_DEVICES = [makeDevice('hikvision-camera', '127.77.30.10', 30), makeDevice('dahua-nvr', '127.77.30.11', 31), makeDevice('axis-camera', '127.77.30.12', 32)];
const LEFT_OUT = '127.77.30.13';
const FAST = { rate: 0, perHostIntervalMs: 0, timeoutMs: 800 };
const NMAP = join(import.meta.dirname, '..', 'fixtures', 'nmap', 'nmap-7.93-camera-lab.xml');

function bundleMeta(runId: string, organisation = 'alpha'): BundleMeta {
  return {
    runId, organisation, startedAt: '2026-11-20T09:00:00.000Z', finishedAt: '2026-11-20T09:04:10.000Z', scannerVersion: '0.1.0', kbVersion: '2026.11.1',
    parameters: { targets: ['10.231.77.0/24'], exclusions: [], ports: [80, 443, 554] },
    statistics: { addresses: 254, found: 3, interrupted: false },
  };
}

/** A registered network with its address ranges (written directly: the network routes are not what is tested here). */
async function addNetwork(s: TestServer, name: string, cidrs: string[]): Promise<void> {
  await s.store.db.insertInto('networks').values({
    id: newId(), org_id: s.orgs.a.id, name, name_key: name.toLowerCase(), cidrs_json: JSON.stringify(cidrs),
    connectivity: 'internal', remote_access: 'none', created_at: s.clock.now(), updated_at: s.clock.now(),
  }).execute();
}

interface Run {
  id: string;
  origin: string;
  status: string;
  startedAt: string;
  params: Record<string, unknown>;
  stats: Record<string, number>;
}

let lab: RunningLab;
// A listener on an address inside the range but excluded: it must never see a connection.
let leftOutConnections = 0;
let leftOut: net.Server;

beforeAll(async () => {
  lab = await startLab({ devices: LAB_DEVICES });
  leftOut = net.createServer((socket) => {
    leftOutConnections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => leftOut.listen(80, LEFT_OUT, resolve));
}, 30_000);
afterAll(async () => {
  await lab?.stop();
  await new Promise<void>((resolve) => leftOut.close(() => resolve()));
});

describe.each(ENGINES)('scans and bundles on $name', (engine) => {
  let s: TestServer;
  const scopeA = () => ({ orgId: s.orgs.a.id, actor: 'test', source: 'test' });
  const get = (url: string, token = s.tokens.a.viewer) => s.app.inject({ method: 'GET', url, headers: bearer(token) });
  const post = (url: string, payload: unknown, token = s.tokens.a.editor) => s.app.inject({ method: 'POST', url, headers: bearer(token), payload: payload as object });
  const jobCount = async () => (await s.store.db.selectFrom('jobs').select('id').execute()).length;
  const scan = async (body: Record<string, unknown>) => {
    const res = await post(`${ALPHA}/scans`, body);
    expect(res.statusCode, res.body).toBe(202);
    const { job, links } = res.json() as { job: { id: string; kind: string; params: { targets: string[] } }; links: { self: string } };
    expect(job.kind).toBe('scan');
    expect(links.self).toBe(`${ALPHA}/jobs/${job.id}`);
    const done = await waitForJob(s.store, scopeA(), job.id, finished, 45_000);
    expect(done.status, done.error ?? '').toBe('succeeded');
    return { job, result: done.result as { runId: string; found: number; created: number; updated: number; devices: { ip: string; manufacturer: string | null }[] } };
  };
  const audit = async () => (await listAudit(s.store, { orgId: s.orgs.a.id }, { limit: 5000 })).items;

  beforeAll(async () => {
    s = await startTestServer(engine, { runJobs: true, config: { scans: { allowLoopback: true } } });
  }, 30_000);
  afterAll(async () => {
    await s.close();
    await engine.cleanup();
  });

  it('refuses a scope the guard refuses before any job exists (400/404)', async () => {
    const cases: [unknown, number, RegExp][] = [
      [{ targets: ['8.8.8.0/24'] }, 400, /public addresses.*ownPublic/],
      [{ targets: ['10.0.0.0/8'] }, 400, /more than the limit of 65536.*maxAddresses/],
      [{ targets: ['127.77.30.0/24'], maxAddresses: 16 }, 400, /256 addresses, more than the limit of 16/],
      [{ targets: ['239.255.255.250'] }, 400, /multicast/],
      [{ targets: ['camera.example.nl'] }, 400, /host names are not accepted/],
      [{ targets: ['fe80::1'] }, 400, /IPv6/],
      [{ targets: [] }, 400, /no registered network has address ranges/],
      [{ targets: ['network:nowhere'] }, 404, /no network "nowhere"/],
      // Nothing is registered yet: every private range is outside the organisation's networks.
      [{ targets: ['10.9.0.0/24'] }, 400, /"10\.9\.0\.0\/24" is outside the organisation's registered networks/],
      [{ targets: ['127.77.30.10'] }, 400, /outside the organisation's registered networks/],
      [{ targets: ['192.0.2.0/28'], ownPublic: ['192.0.2.0/24'] }, 403, /only an administrator may declare public ranges/],
      [{ targets: ['127.77.30.10'], credentials: 'admin:admin' }, 400, /credentials/],
      [{ targets: ['127.77.30.10'], ports: [0] }, 400, /ports/],
    ];
    for (const [body, status, detail] of cases) {
      const res = await post(`${ALPHA}/scans`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(status);
      expect((res.json() as { detail: string }).detail, JSON.stringify(body)).toMatch(detail);
    }
    expect((await post(`${ALPHA}/scans`, { targets: ['127.77.30.10'] }, s.tokens.a.viewer)).statusCode).toBe(403);
    expect(await jobCount()).toBe(0);
    expect(await s.store.db.selectFrom('scan_runs').select('id').execute()).toEqual([]);
  });

  it('queues a public range of a registered network that an administrator declares the organisation\'s own', async () => {
    // A server without a runner: the job is only stored, no packet leaves this machine.
    const idle = await startTestServer(engine);
    try {
      await addNetwork(idle, 'Internet', ['192.0.2.0/24']);
      const body = { targets: ['192.0.2.0/28'], ownPublic: ['192.0.2.0/24'] };
      const send = (token: string, payload: object = body) => idle.app.inject({ method: 'POST', url: `${ALPHA}/scans`, headers: bearer(token), payload });
      expect((await send(idle.tokens.a.editor)).statusCode).toBe(403);
      const res = await send(idle.tokens.a.admin);
      expect(res.statusCode, res.body).toBe(202);
      expect((res.json() as { job: { status: string; params: Record<string, unknown> } }).job).toMatchObject({ status: 'queued', params: { targets: ['192.0.2.0/28'], ownPublic: ['192.0.2.0/24'] } });
      // Declared its own or not, a public range outside the registered networks is not scanned from the server.
      expect((await send(idle.tokens.a.admin, { targets: ['198.51.100.0/28'], ownPublic: ['198.51.100.0/24'] })).statusCode).toBe(400);
    } finally {
      await idle.close();
    }
  });

  it('by default never scans the server\'s own loopback or link-local ranges, registered or not', async () => {
    const idle = await startTestServer(engine);
    try {
      await addNetwork(idle, 'Lab', ['127.77.30.8/29']);
      await addNetwork(idle, 'Cloud', ['169.254.169.0/24']);
      for (const targets of [['127.0.0.1', '169.254.169.254'], ['network:Lab'], ['127.77.30.10'], ['169.254.169.254'], ['10.0.0.0/24', '127.0.0.0/30'], []]) {
        const res = await idle.app.inject({ method: 'POST', url: `${ALPHA}/scans`, headers: bearer(idle.tokens.a.admin), payload: { targets } });
        expect(res.statusCode, JSON.stringify(targets)).toBe(400);
        expect((res.json() as { detail: string }).detail).toMatch(/the server's own loopback or link-local range/);
      }
      expect(await idle.store.db.selectFrom('jobs').select('id').execute()).toEqual([]);
    } finally {
      await idle.close();
    }
  });

  it('runs a scan job against the lab: devices found, identified, in the register, excluded address untouched', async () => {
    await addNetwork(s, 'Lab', ['127.77.30.8/29']);
    const before = leftOutConnections;
    const { result } = await scan({ targets: ['127.77.30.8/29'], exclude: [LEFT_OUT], politeness: FAST });
    expect(result.devices.map((d) => [d.ip, d.manufacturer])).toEqual(LAB_DEVICES.map((d) => [d.ip, d.manufacturer]));
    expect(result.created).toBe(LAB_DEVICES.length);
    expect(leftOutConnections).toBe(before);

    const registered = await s.store.db.selectFrom('devices').select(['ip', 'status']).where('org_id', '=', s.orgs.a.id).where('ip', 'like', '127.77.30.%').execute();
    expect(registered.map((d) => d.ip).sort()).toEqual(LAB_DEVICES.map((d) => d.ip).sort());
    expect(new Set(registered.map((d) => d.status))).toEqual(new Set(['discovered']));

    const runs = (await get(`${ALPHA}/scans`)).json() as { items: Run[]; nextCursor: string | null };
    expect(runs.items).toHaveLength(1);
    expect(runs.items[0]).toMatchObject({ id: result.runId, origin: 'live', status: 'done', stats: { created: LAB_DEVICES.length } });
    expect(runs.items[0]).not.toHaveProperty('cursor');
    const shown = (await get(`${ALPHA}/scans/${result.runId}`)).json() as Run & { devices: { ip: string; deviceId: string | null; model: string }[] };
    expect(shown.devices.map((d) => d.ip)).toEqual(LAB_DEVICES.map((d) => d.ip));
    expect(shown.devices.every((d) => d.deviceId !== null)).toBe(true);
    expect(shown.devices[0]!.model).toBe(LAB_DEVICES[0]!.model);
    const entries = (await audit()).filter((e) => e.entityType === 'scan_run' && e.entityId === result.runId).map((e) => e.action);
    expect(entries).toEqual(['finish', 'start']);
  }, 60_000);

  it('scans a registered network by name and tells what changed since the last run', async () => {
    const first = (await get(`${ALPHA}/scans`)).json() as { items: Run[] };
    s.clock.advance(60_000);
    const { job, result } = await scan({ targets: ['network:Lab'], exclude: [LEFT_OUT, '127.77.30.12'], politeness: FAST });
    expect(job.params.targets).toEqual(['127.77.30.8/29']);
    expect(result.found).toBe(2);

    const diff = await get(`${ALPHA}/scans/${first.items[0]!.id}/diff/${result.runId}`);
    expect(diff.statusCode).toBe(200);
    const d = diff.json() as { added: unknown[]; gone: { ip: string }[]; changed: unknown[]; unchanged: number };
    expect(d.gone.map((g) => g.ip)).toEqual(['127.77.30.12']);
    expect(d.added).toEqual([]);
    expect(d.unchanged + d.changed.length).toBe(2);

    const newest = (await get(`${ALPHA}/scans?limit=1`)).json() as { items: Run[]; nextCursor: string };
    expect(newest.items.map((r) => r.id)).toEqual([result.runId]);
    const older = (await get(`${ALPHA}/scans?limit=1&cursor=${newest.nextCursor}`)).json() as { items: Run[]; nextCursor: string | null };
    expect(older).toEqual({ items: [expect.objectContaining({ id: first.items[0]!.id })], nextCursor: null });
    expect(((await get(`${ALPHA}/scans?sort=startedAt`)).json() as { items: Run[] }).items.map((r) => r.id)).toEqual([first.items[0]!.id, result.runId]);
  }, 60_000);

  it('answers 404 for another organisation\'s run, and 400 for bad list parameters', async () => {
    const [run] = ((await get(`${ALPHA}/scans`)).json() as { items: Run[] }).items;
    expect((await get(`/api/v1/organisations/beta/scans/${run!.id}`, s.tokens.b.viewer)).statusCode).toBe(404);
    expect((await get(`/api/v1/organisations/beta/scans/${run!.id}/diff/${run!.id}`, s.tokens.b.viewer)).statusCode).toBe(404);
    expect(((await get('/api/v1/organisations/beta/scans', s.tokens.b.viewer)).json() as { items: Run[] }).items).toEqual([]);
    for (const q of ['?sort=ip', '?origin=cloud', '?limit=0', '?page=2']) expect((await get(`${ALPHA}/scans${q}`)).statusCode, q).toBe(400);
  });

  describe('bundles', () => {
    const agent = generateAgentKeyPair();
    const stranger = generateAgentKeyPair();
    const hosts = readNmapXml(readFileSync(NMAP), NMAP).hosts;
    const bundle = createBundle({ meta: bundleMeta('5b0f6a43-7c1d-4b8e-9a2f-3e6d1c0b9a87', 'utrecht'), hosts }, agent.privateKey);
    const upload = (body: Buffer | string, query = '', token = s.tokens.a.editor, org = 'alpha', type = 'application/json') =>
      s.app.inject({ method: 'POST', url: `/api/v1/organisations/${org}/bundles${query}`, headers: { ...bearer(token), 'content-type': type }, payload: body });

    beforeAll(async () => {
      await enrolAgent(s.store.db, scopeA(), { name: 'depot-agent', publicKeyPem: agent.publicKey }, s.clock.now());
    });

    it('identifies a bundle in a dry run without storing anything', async () => {
      const res = await upload(bundle, '?dryRun=true&fileName=depot.bundle');
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ file: 'depot.bundle', format: 'bundle', dryRun: true, committed: false, runId: null, agent: 'depot-agent', hosts: hosts.length });
      expect(((await get(`${ALPHA}/scans?origin=bundle`)).json() as { items: Run[] }).items).toEqual([]);
    });

    it('imports a verified bundle as a scan run, and refuses it a second time', async () => {
      const res = await upload(bundle, '?fileName=depot.bundle');
      expect(res.statusCode, res.body).toBe(201);
      const report = res.json() as { runId: string; committed: boolean; created: number; identified: number; notices: { nl: string; en: string }[] };
      expect(report).toMatchObject({ committed: true, created: expect.any(Number) });
      expect(report.identified).toBeGreaterThan(0);
      // The agent scanned for "utrecht": imported, with a notice in both languages.
      expect(report.notices).toHaveLength(1);
      expect(report.notices[0]!.en).toMatch(/utrecht.*alpha/);
      const runs = ((await get(`${ALPHA}/scans?origin=bundle`)).json() as { items: Run[] }).items;
      expect(runs.map((r) => [r.id, r.origin, r.status])).toEqual([[report.runId, 'bundle', 'done']]);
      expect(runs[0]!.params.bundle).toMatchObject({ file: 'depot.bundle', runId: '5b0f6a43-7c1d-4b8e-9a2f-3e6d1c0b9a87' });
      expect((await audit()).some((e) => e.entityType === 'scan_run' && e.entityId === report.runId && e.action === 'import')).toBe(true);

      const again = await upload(bundle.toString('utf8'), '', s.tokens.a.editor, 'alpha', 'text/plain');
      expect(again.statusCode).toBe(409);
      expect((again.json() as { detail: string }).detail).toMatch(/already imported/);
    });

    it('refuses altered, unknown-signer and foreign bundles, and what is no bundle', async () => {
      const envelope = JSON.parse(bundle.toString('utf8')) as { payload: string };
      const altered = JSON.stringify({ ...envelope, payload: envelope.payload.replace(/"10\.231\.77\.(\d+)"/, '"10.231.77.250"') });
      const res = await upload(altered);
      expect(res.statusCode).toBe(400);
      expect((res.json() as { detail: string }).detail).toMatch(/altered after signing/);

      const unknown = createBundle({ meta: bundleMeta('0d6f2b1e-9c3a-4f5d-8e7b-1a2c3d4e5f60'), hosts }, stranger.privateKey);
      expect((await upload(unknown)).statusCode).toBe(422);
      // Beta has not enrolled alpha's agent: the same bundle is an unknown signer there.
      const fresh = createBundle({ meta: bundleMeta('7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d'), hosts }, agent.privateKey);
      expect((await upload(fresh, '', s.tokens.b.editor, 'beta')).statusCode).toBe(422);
      expect((await upload(fresh, '', s.tokens.a.viewer)).statusCode).toBe(403);
      expect((await upload(JSON.stringify({ devices: [] }))).statusCode).toBe(400);
      expect((await upload(fresh, '?fileName=../../etc/passwd')).statusCode).toBe(400);
      expect(((await get('/api/v1/organisations/beta/scans', s.tokens.b.viewer)).json() as { items: Run[] }).items).toEqual([]);
    });
  });
});
