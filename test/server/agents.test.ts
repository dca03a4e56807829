// Online agents end to end: a real server on 127.0.0.1 and a lab of emulated devices on
// 127.77.40.0/24. An administrator hands out a one-time token, `camaudit agent enrol-online`
// redeems it, an editor gives the agent a job inside its scopes, and `camaudit agent run --once`
// pulls it, scans, and pushes the signed bundle into the register. Around that: every way a
// request or an answer could be forged, replayed, misdirected or sent across organisations.
import { createPrivateKey, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateAgentKeyPair, type AgentKeyPair } from '../../src/discover/agent-keys.js';
import { createBundle, type BundleMeta } from '../../src/discover/bundle.js';
import type { HostResult } from '../../src/discover/result.js';
import { makeDevice } from '../../src/lab/emulator/catalogue.js';
import { startLab, type RunningLab } from '../../src/lab/emulator/lab.js';
import { agentAuthenticator } from '../../src/server/agents/auth.js';
import { AGENT_MEDIA_TYPE, registerAgentBodyParser } from '../../src/server/agents/body.js';
import { newNonce, signRequest } from '../../src/server/agents/signature.js';
import { enrolAgent } from '../../src/store/agents.js';
import { listAudit } from '../../src/store/audit.js';
import { listDevices } from '../../src/store/devices.js';
import { claimNextJob, getJob } from '../../src/store/jobs.js';
import { cli } from '../helpers/cli.js';
import { ENGINES } from '../helpers/engines.js';
import { bearer, startTestServer, type TestServer } from '../helpers/server.js';
import { tenantFingerprint } from '../helpers/tenant-fingerprint.js';

const LAB = [makeDevice('hikvision-camera', '127.77.40.10', 40), makeDevice('dahua-camera', '127.77.40.11', 41), makeDevice('axis-camera', '127.77.40.12', 42)];
const FAST = { rate: 0, perHostIntervalMs: 0, timeoutMs: 800 };
const HOUR = 3_600_000;

interface Enrolled {
  agentId: string;
  pair: AgentKeyPair;
}

describe.each(ENGINES)('online agents on $name', (engine) => {
  let s: TestServer;
  let url: string;
  let dir: string;
  let lab: RunningLab;
  // The server's clock runs with the real one (the agent signs with real time); tests move it on.
  let offset = 0;
  const now = () => new Date(Date.now() + offset).toISOString();
  let betaBefore: string;
  // Nothing in 127.77.41.0/24 may ever be contacted: it is outside the agent's local scope file.
  let strangerConnections = 0;
  const stranger = net.createServer((c) => { strangerConnections++; c.destroy(); });

  const admin = () => bearer(s.tokens.a.admin);
  const editor = () => bearer(s.tokens.a.editor);

  async function enrolmentToken(name: string, scopes: string[], org: 'alpha' | 'beta' = 'alpha'): Promise<string> {
    const res = await s.app.inject({ method: 'POST', url: `/api/v1/organisations/${org}/agents/enrolments`, headers: bearer(s.tokens[org === 'alpha' ? 'a' : 'b'].admin), payload: { name, scopes } });
    expect(res.statusCode, res.body).toBe(201);
    return (res.json() as { token: string }).token;
  }

  async function enrolHttp(name: string, scopes: string[], org: 'alpha' | 'beta' = 'alpha'): Promise<Enrolled> {
    const pair = generateAgentKeyPair();
    const res = await s.app.inject({ method: 'POST', url: '/api/v1/agents/enrol', payload: { token: await enrolmentToken(name, scopes, org), publicKey: pair.publicKey } });
    expect(res.statusCode, res.body).toBe(201);
    return { agentId: (res.json() as { agentId: string }).agentId, pair };
  }

  async function giveJob(agentId: string, body: Record<string, unknown>, org = 'alpha', headers = editor()) {
    return s.app.inject({ method: 'POST', url: `/api/v1/organisations/${org}/agents/${agentId}/jobs`, headers, payload: { politeness: FAST, ...body } });
  }

  /** A request signed by `signer` (by default the agent itself), optionally tampered with on the way. */
  async function signed(
    a: Enrolled, method: 'GET' | 'POST', path: string, body?: Buffer,
    o: { timestamp?: string; nonce?: string; sendBody?: Buffer; headers?: Record<string, string>; contentType?: string } = {},
  ) {
    const headers = o.headers ?? signRequest(createPrivateKey(a.pair.privateKey), {
      agentId: a.agentId, method, path, timestamp: o.timestamp ?? new Date().toISOString(), nonce: o.nonce ?? newNonce(), body: body ?? Buffer.alloc(0),
    });
    const payload = o.sendBody ?? body;
    const res = await s.app.inject({
      method, url: path, headers: payload ? { ...headers, 'content-type': o.contentType ?? AGENT_MEDIA_TYPE } : headers, ...(payload ? { payload } : {}),
    });
    return { res, headers };
  }

  function bundleFor(a: Enrolled, runId: string, hosts: HostResult[], organisation = 'alpha'): Buffer {
    const meta: BundleMeta = {
      runId, organisation, startedAt: now(), finishedAt: now(), scannerVersion: 'test', kbVersion: 'test', statistics: { done: 1 },
      parameters: { targets: ['127.77.40.0/27'], exclusions: [], ports: [80] },
    };
    return createBundle({ meta, hosts }, a.pair.privateKey);
  }

  const host = (ip: string): HostResult => ({ ip, mac: null, openPorts: [80], captures: [] });

  const job = (id: string) => getJob(s.store, { orgId: s.orgs.a.id, actor: 'test', source: 'test' }, id);

  async function audit() {
    return (await listAudit(s.store, { orgId: s.orgs.a.id }, { limit: 10_000 })).items;
  }

  beforeAll(async () => {
    let store: TestServer['store'] | null = null;
    s = await startTestServer(engine, {
      context: { now, authenticateAgent: (req) => agentAuthenticator(store!, now)(req) },
    });
    store = s.store;
    registerAgentBodyParser(s.app);
    await s.app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(s.app.server.address() as AddressInfo).port}`;
    betaBefore = await tenantFingerprint(s.store, s.orgs.b.id);
    dir = mkdtempSync(join(tmpdir(), 'camaudit-agents-'));
    lab = await startLab({ devices: LAB });
    await new Promise<void>((resolve) => stranger.listen(80, '127.77.41.5', resolve));
  }, 60_000);

  afterAll(async () => {
    await lab?.stop();
    await new Promise<void>((resolve) => stranger.close(() => resolve()));
    await s?.close();
    await engine.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('enrolment with a one-time token', () => {
    it('enrols with camaudit agent enrol-online, which makes the key; the token works once', async () => {
      const token = await enrolmentToken('gw-north', ['127.77.40.0/24', '127.77.41.0/24']);
      expect(token).toMatch(/^cae_[A-Za-z0-9_-]{43}$/);
      const stored = await s.store.db.selectFrom('agent_enrolments').selectAll().execute();
      expect(JSON.stringify(stored)).not.toContain(token.slice(4));

      const keyFile = join(dir, 'north', 'agent.key');
      const r = await cli(['agent', 'enrol-online', url, token, '--key', keyFile]);
      expect(r.code, r.err).toBe(0);
      expect(statSync(keyFile).mode & 0o777).toBe(0o600);
      const fingerprint = /fingerprint: ([0-9a-f]{64})/.exec(r.out)?.[1];
      expect(r.out).toContain('enrolled as agent "gw-north" of alpha');

      const list = await s.app.inject({ method: 'GET', url: '/api/v1/organisations/alpha/agents', headers: admin() });
      expect(list.json().items).toEqual([expect.objectContaining({
        name: 'gw-north', fingerprint, scopes: ['127.77.40.0/24', '127.77.41.0/24'], ranges: ['127.77.40.0/24', '127.77.41.0/24'], revokedAt: null,
      })]);

      const again = await s.app.inject({ method: 'POST', url: '/api/v1/agents/enrol', payload: { token, publicKey: generateAgentKeyPair().publicKey } });
      expect(again.statusCode).toBe(409);
      expect(again.json().detail).toMatch(/was used on/);

      const trail = await audit();
      expect(trail.filter((e) => e.entityType === 'agent_enrolment').map((e) => e.action).sort()).toEqual(['create', 'use']);
      const agentId = (list.json().items as { id: string }[])[0]!.id;
      expect(trail.filter((e) => e.entityId === agentId).map((e) => [e.action, e.after])).toEqual([
        ['assign-scopes', { scopes: [{ entry: '127.77.40.0/24', ranges: ['127.77.40.0/24'] }, { entry: '127.77.41.0/24', ranges: ['127.77.41.0/24'] }] }],
        ['create', { name: 'gw-north', fingerprint }],
      ]);
    });

    it('refuses an expired token and an unknown one, and a key that is not Ed25519 leaves the token usable', async () => {
      const token = await enrolmentToken('gw-late', ['127.77.40.0/24']);
      const rsa = '-----BEGIN PUBLIC KEY-----\nMFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBAMZ0BF1RjQ1N7Dk2Gi0OSzUUiGWS9y2Wl7aIF5hrsgbP5rO3oI4oWpUzKSv/pxnNGGTo/N7cEY1Ax6aAWNSxbY8CAwEAAQ==\n-----END PUBLIC KEY-----\n';
      const bad = await s.app.inject({ method: 'POST', url: '/api/v1/agents/enrol', payload: { token, publicKey: rsa } });
      expect(bad.statusCode).toBe(400);
      offset = 25 * HOUR;
      try {
        const late = await s.app.inject({ method: 'POST', url: '/api/v1/agents/enrol', payload: { token, publicKey: generateAgentKeyPair().publicKey } });
        expect(late.statusCode).toBe(401);
        expect(late.json().detail).toMatch(/expired/);
      } finally {
        offset = 0;
      }
      const unknown = await s.app.inject({ method: 'POST', url: '/api/v1/agents/enrol', payload: { token: `cae_${'x'.repeat(43)}`, publicKey: generateAgentKeyPair().publicKey } });
      expect(unknown.statusCode).toBe(401);
    });

    it('refuses scopes that are no ranges or name no registered network', async () => {
      for (const scopes of [['10.0.0.0/33'], ['network:nowhere'], []]) {
        const res = await s.app.inject({ method: 'POST', url: '/api/v1/organisations/alpha/agents/enrolments', headers: admin(), payload: { name: 'gw-x', scopes } });
        expect(res.statusCode, JSON.stringify(scopes)).toBe(scopes.length === 1 && scopes[0]!.startsWith('network:') ? 404 : 400);
      }
    });
  });

  describe('scopes naming a network', () => {
    const networks = '/api/v1/organisations/alpha/networks';
    let cams: string;
    let agent: Enrolled;

    async function agentView(id: string) {
      const list = await s.app.inject({ method: 'GET', url: '/api/v1/organisations/alpha/agents', headers: admin() });
      return (list.json().items as { id: string; scopes: string[]; ranges: string[] }[]).find((a) => a.id === id)!;
    }

    // Editors may not change a network's ranges at all; even an administrator changing them
    // widens no agent until the agent's scopes are assigned again.
    const widen = async (cidrs: string[]) => {
      expect((await s.app.inject({ method: 'PATCH', url: `${networks}/${cams}`, headers: editor(), payload: { cidrs } })).statusCode).toBe(403);
      const res = await s.app.inject({ method: 'PATCH', url: `${networks}/${cams}`, headers: admin(), payload: { cidrs } });
      expect(res.statusCode, res.body).toBe(200);
    };

    beforeAll(async () => {
      const res = await s.app.inject({ method: 'POST', url: networks, headers: admin(), payload: { name: 'Cams', cidrs: ['127.77.50.0/24'] } });
      expect(res.statusCode, res.body).toBe(201);
      cams = (res.json() as { id: string }).id;
      agent = await enrolHttp('gw-cams', ['network:cams', '127.77.52.0/28']);
    });

    it('keeps the ranges the network had when the administrator assigned it: a network widened later widens no agent', async () => {
      expect(await agentView(agent.agentId)).toMatchObject({ scopes: ['network:cams', '127.77.52.0/28'], ranges: ['127.77.50.0/24', '127.77.52.0/28'] });
      // An enrolment keeps the ranges of its creation, also when the network changes before the agent redeems it.
      const token = await enrolmentToken('gw-cams-2', ['network:cams']);
      await widen(['127.77.50.0/24', '127.77.51.0/24', '10.0.0.0/8']);
      const late = await s.app.inject({ method: 'POST', url: '/api/v1/agents/enrol', payload: { token, publicKey: generateAgentKeyPair().publicKey } });
      expect(late.statusCode, late.body).toBe(201);
      expect(await agentView((late.json() as { agentId: string }).agentId)).toMatchObject({ scopes: ['network:cams'], ranges: ['127.77.50.0/24'] });

      for (const targets of [['127.77.51.0/28'], ['network:cams'], ['10.9.0.0/16']]) {
        const res = await giveJob(agent.agentId, { targets });
        expect(res.statusCode, JSON.stringify(targets)).toBe(400);
        expect(res.json().detail).toContain('outside the scopes of agent "gw-cams" (network:cams = 127.77.50.0/24, 127.77.52.0/28)');
      }
      expect((await giveJob(agent.agentId, { targets: ['127.77.50.0/28', '127.77.52.0/28'] })).statusCode).toBe(202);
    });

    it('follows the network when an administrator assigns the scopes again, and only then', async () => {
      const path = `/api/v1/organisations/alpha/agents/${agent.agentId}/scopes`;
      const byEditor = await s.app.inject({ method: 'PUT', url: path, headers: editor(), payload: { scopes: ['network:cams'] } });
      expect(byEditor.statusCode).toBe(403);
      const res = await s.app.inject({ method: 'PUT', url: path, headers: admin(), payload: { scopes: ['network:cams'] } });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ scopes: ['network:cams'], ranges: ['127.77.50.0/24', '127.77.51.0/24', '10.0.0.0/8'] });
      expect((await giveJob(agent.agentId, { targets: ['127.77.51.0/28'] })).statusCode).toBe(202);
      expect((await giveJob(agent.agentId, { targets: ['127.77.52.0/28'] })).statusCode).toBe(400);
      const entry = (await audit()).find((e) => e.entityId === agent.agentId && e.action === 'assign-scopes' && e.actor !== 'enrolment:gw-cams');
      expect(entry).toMatchObject({
        before: { scopes: [{ entry: 'network:cams', ranges: ['127.77.50.0/24'] }, { entry: '127.77.52.0/28', ranges: ['127.77.52.0/28'] }] },
        after: { scopes: [{ entry: 'network:cams', ranges: ['127.77.50.0/24', '127.77.51.0/24', '10.0.0.0/8'] }] },
      });
      await widen(['127.77.50.0/24']);
      const unknown = await s.app.inject({ method: 'PUT', url: path, headers: admin(), payload: { scopes: ['network:elsewhere'] } });
      expect(unknown.statusCode).toBe(404);
    });

    it('lets a network scope stored without its ranges allow nothing, until it is assigned again', async () => {
      await s.store.db.updateTable('agents').set({ scopes_json: JSON.stringify(['network:cams', '127.77.52.0/28']) }).where('id', '=', agent.agentId).execute();
      const refused = await giveJob(agent.agentId, { targets: ['127.77.50.0/28'] });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().detail).toContain('network:cams = nothing (assigned before ranges were recorded; assign the scopes again)');
      expect((await giveJob(agent.agentId, { targets: ['127.77.52.0/28'] })).statusCode).toBe(202);
    });
  });

  describe('jobs and results', () => {
    let north: string;
    const keyFile = () => join(dir, 'north', 'agent.key');
    const scopeFile = () => join(dir, 'north', 'scope.txt');

    beforeAll(async () => {
      const list = await s.app.inject({ method: 'GET', url: '/api/v1/organisations/alpha/agents?status=active', headers: admin() });
      north = (list.json().items as { id: string; name: string }[]).find((a) => a.name === 'gw-north')!.id;
      writeFileSync(scopeFile(), '# the segment behind the north gate\n127.77.40.0/24\n');
    });

    it('refuses a job reaching outside the agent\'s scopes, naming the target', async () => {
      const res = await giveJob(north, { targets: ['127.77.40.0/27', '127.77.42.0/28'] });
      expect(res.statusCode).toBe(400);
      expect(res.json().detail).toContain('target 127.77.42.0/28 lies outside the scopes of agent "gw-north"');
    });

    it('scans a job with agent run --once and puts the devices in the register', async () => {
      const created = await giveJob(north, { targets: ['127.77.40.0/27'], ports: [80, 443, 554, 8000, 37777] });
      expect(created.statusCode, created.body).toBe(202);
      const { job: queued, links } = created.json() as { job: { id: string; status: string; kind: string; agentId: string }; links: { self: string } };
      expect(queued).toMatchObject({ status: 'queued', kind: 'agent-scan', agentId: north });
      expect(links.self).toBe(`/api/v1/organisations/alpha/jobs/${queued.id}`);
      // The server's own runners never take an agent's job.
      expect(await claimNextJob(s.store, { owner: 'runner', until: new Date(Date.now() + HOUR).toISOString() }, now(), 3)).toBeNull();

      const r = await cli(['agent', 'run', url, '--key', keyFile(), '--scope', scopeFile(), '--once']);
      expect(r.code, r.err).toBe(0);
      expect(r.out).toMatch(new RegExp(`job ${queued.id}: 32 addresses scanned, 3 hosts answered; register: 3 discovered, 0 updated, 0 unchanged`));

      const devices = await listDevices(s.store, { orgId: s.orgs.a.id, actor: 'test', source: 'test' }, {}, { limit: 1000 });
      const found = devices.items.filter((d) => d.ip?.startsWith('127.77.40.'));
      expect(found.map((d) => [d.ip, d.manufacturer, d.status]).sort()).toEqual(LAB.map((d) => [d.ip, d.manufacturer, 'discovered']).sort());
      const done = await job(queued.id);
      expect(done).toMatchObject({ status: 'succeeded', result: expect.objectContaining({ runId: queued.id, created: 3 }) });
      const trail = await audit();
      expect(trail.filter((e) => e.entityId === queued.id).map((e) => e.action)).toEqual(['succeeded', 'start', 'create']);
      expect(trail.some((e) => e.entityType === 'scan_run' && e.action === 'import' && e.actor === 'agent:gw-north')).toBe(true);

      const idle = await cli(['agent', 'run', url, '--key', keyFile(), '--scope', scopeFile(), '--once']);
      expect(idle.code, idle.err).toBe(0);
      expect(idle.out).toBe('no open jobs');
    }, 60_000);

    it('refuses, on the agent, a job outside its local scope file, and touches nothing there', async () => {
      const created = await giveJob(north, { targets: ['127.77.41.0/28'] });
      expect(created.statusCode, created.body).toBe(202);
      const id = (created.json() as { job: { id: string } }).job.id;
      const r = await cli(['agent', 'run', url, '--key', keyFile(), '--scope', scopeFile(), '--once']);
      expect(r.code).toBe(5);
      expect(r.err).toContain(`job ${id} refused: target 127.77.41.0/28 lies outside this agent's local scope file`);
      expect(strangerConnections).toBe(0);
      expect(await job(id)).toMatchObject({ status: 'failed', error: expect.stringMatching(/^refused by the agent: target 127\.77\.41\.0\/28/) });
    }, 30_000);
  });

  describe('signed requests', () => {
    let a: Enrolled;
    let b: Enrolled;
    const jobsPath = (x: Enrolled) => `/api/v1/agents/${x.agentId}/jobs`;

    beforeAll(async () => {
      a = await enrolHttp('gw-a', ['127.77.40.0/24']);
      b = await enrolHttp('gw-b', ['127.77.40.0/24']);
    });

    it('accepts a signed request once: the same request again is a replay', async () => {
      const first = await signed(a, 'GET', jobsPath(a));
      expect(first.res.statusCode, first.res.body).toBe(200);
      const replay = await signed(a, 'GET', jobsPath(a), undefined, { headers: first.headers });
      expect(replay.res.statusCode).toBe(401);
      expect(replay.res.json().detail).toMatch(/nonce was used before/);
    });

    it('refuses a timestamp more than five minutes off, either way', async () => {
      for (const skew of [-6 * 60_000, 6 * 60_000]) {
        const { res } = await signed(a, 'GET', jobsPath(a), undefined, { timestamp: new Date(Date.now() + skew).toISOString() });
        expect(res.statusCode).toBe(401);
        expect(res.json().detail).toMatch(/timestamp is \d+ s (ahead of|behind) the server's clock/);
      }
      const { res } = await signed(a, 'GET', jobsPath(a), undefined, { timestamp: new Date(Date.now() - 4 * 60_000).toISOString() });
      expect(res.statusCode).toBe(200);
    });

    it('refuses an altered body, a request signed by another key, and a body sent as plain JSON', async () => {
      const id = (await giveJob(a.agentId, { targets: ['127.77.40.0/28'] })).json().job.id as string;
      const bundle = bundleFor(a, id, [host('127.77.40.3')]);
      const altered = Buffer.from(bundle.toString('utf8').replace('"version": 1', '"version":  1'));
      const path = `/api/v1/agents/${a.agentId}/results`;
      const tampered = await signed(a, 'POST', path, bundle, { sendBody: altered });
      expect(tampered.res.statusCode).toBe(401);
      expect(tampered.res.json().detail).toMatch(/signature does not hold/);
      // b's key signing a request in a's name.
      const forged = await signed({ agentId: a.agentId, pair: b.pair }, 'GET', jobsPath(a));
      expect(forged.res.statusCode).toBe(401);
      const json = await signed(a, 'POST', path, bundle, { contentType: 'application/json' });
      expect(json.res.statusCode).toBe(400);
      expect(await job(id)).toMatchObject({ status: 'queued' });
    });

    it('keeps each agent to its own jobs', async () => {
      const id = (await giveJob(a.agentId, { targets: ['127.77.40.0/28'] })).json().job.id as string;
      const peek = await signed(b, 'GET', jobsPath(a));
      expect(peek.res.statusCode).toBe(403);
      const mine = await signed(b, 'GET', jobsPath(b));
      expect(mine.res.json().items).toEqual([]);
      // b answering a's job with its own bundle: no such job for b.
      const path = `/api/v1/agents/${b.agentId}/results`;
      const foreign = await signed(b, 'POST', path, bundleFor(b, id, [host('127.77.40.3')]));
      expect(foreign.res.statusCode).toBe(404);
      // b passing on a bundle a signed: refused, whoever signed the bundle.
      const relayed = await signed(b, 'POST', path, bundleFor(a, id, [host('127.77.40.3')]));
      expect(relayed.res.statusCode).toBe(403);
      expect(await job(id)).toMatchObject({ status: 'queued' });
    });

    it('answers a retried upload with the first result, and refuses another bundle for an answered job', async () => {
      const id = (await giveJob(a.agentId, { targets: ['127.77.40.0/28'] })).json().job.id as string;
      const pulled = await signed(a, 'GET', jobsPath(a));
      expect((pulled.res.json().items as { runId: string; targets: string[] }[]).find((j) => j.runId === id)).toMatchObject({ targets: ['127.77.40.0/28'] });
      const bundle = bundleFor(a, id, [host('127.77.40.3')]);
      const path = `/api/v1/agents/${a.agentId}/results`;
      const first = await signed(a, 'POST', path, bundle);
      expect(first.res.statusCode, first.res.body).toBe(200);
      const runs = await s.store.db.selectFrom('scan_runs').select('id').where('agent_id', '=', a.agentId).execute();
      const retry = await signed(a, 'POST', path, bundle);
      expect(retry.res.json()).toEqual(first.res.json());
      expect(await s.store.db.selectFrom('scan_runs').select('id').where('agent_id', '=', a.agentId).execute()).toHaveLength(runs.length);
      const other = await signed(a, 'POST', path, bundleFor(a, id, [host('127.77.40.4')]));
      expect(other.res.statusCode).toBe(409);
    });

    it('refuses hosts the job did not ask for, an unknown run, and a bundle scanned for another organisation', async () => {
      const id = (await giveJob(a.agentId, { targets: ['127.77.40.0/28'] })).json().job.id as string;
      const path = `/api/v1/agents/${a.agentId}/results`;
      const beyond = await signed(a, 'POST', path, bundleFor(a, id, [host('127.77.40.200')]));
      expect(beyond.res.statusCode).toBe(400);
      expect(beyond.res.json().detail).toContain('127.77.40.200');
      const unknown = await signed(a, 'POST', path, bundleFor(a, randomUUID(), []));
      expect(unknown.res.statusCode).toBe(404);
      const beta = await signed(a, 'POST', path, bundleFor(a, id, [host('127.77.40.3')], 'beta'));
      expect(beta.res.statusCode).toBe(400);
      expect(await job(id)).toMatchObject({ status: 'queued' });
    });

    it('refuses an answer after the job expired, and fails the job', async () => {
      const id = (await giveJob(a.agentId, { targets: ['127.77.40.0/28'], hours: 1 })).json().job.id as string;
      offset = 2 * HOUR;
      try {
        // Signed with the server's (moved) clock, so only the job's expiry is at stake.
        const path = `/api/v1/agents/${a.agentId}/results`;
        const bundle = bundleFor(a, id, []);
        const late = await signed(a, 'POST', path, bundle, { timestamp: now() });
        expect(late.res.statusCode).toBe(409);
        expect(late.res.json().detail).toMatch(/expired/);
      } finally {
        offset = 0;
      }
      expect(await job(id)).toMatchObject({ status: 'failed' });
    });

    it('refuses a revoked agent at once and cancels its open jobs', async () => {
      const id = (await giveJob(b.agentId, { targets: ['127.77.40.0/28'] })).json().job.id as string;
      const revoke = await s.app.inject({ method: 'DELETE', url: `/api/v1/organisations/alpha/agents/${b.agentId}`, headers: admin() });
      expect(revoke.statusCode).toBe(204);
      const { res } = await signed(b, 'GET', jobsPath(b));
      expect(res.statusCode).toBe(401);
      expect(res.json().detail).toMatch(/gw-b" was revoked/);
      expect(await job(id)).toMatchObject({ status: 'cancelled' });
      expect((await audit()).some((e) => e.entityType === 'agent' && e.entityId === b.agentId && e.action === 'revoke')).toBe(true);
    });

    it('gives no jobs to an agent enrolled for offline bundles only', async () => {
      const offline = await enrolAgent(s.store.db, { orgId: s.orgs.a.id, actor: 'test', source: 'test' }, { name: 'usb-stick', publicKeyPem: generateAgentKeyPair().publicKey }, now());
      const res = await giveJob(offline.id, { targets: ['127.77.40.0/28'] });
      expect(res.statusCode).toBe(409);
    });
  });

  it('left the other organisation exactly as it was, and its people cannot reach this one\'s agents', async () => {
    expect(await tenantFingerprint(s.store, s.orgs.b.id)).toBe(betaBefore);
    // Last: using beta's tokens records their use in beta's rows.
    const agents = (await s.app.inject({ method: 'GET', url: '/api/v1/organisations/alpha/agents', headers: admin() })).json().items as { id: string }[];
    for (const { id } of agents) {
      expect((await giveJob(id, { targets: ['127.77.40.0/28'] }, 'beta', bearer(s.tokens.b.editor))).statusCode).toBe(404);
      expect((await s.app.inject({ method: 'DELETE', url: `/api/v1/organisations/beta/agents/${id}`, headers: bearer(s.tokens.b.admin) })).statusCode).toBe(404);
    }
    const beta = await s.app.inject({ method: 'GET', url: '/api/v1/organisations/beta/agents', headers: bearer(s.tokens.b.admin) });
    expect(beta.json().items).toEqual([]);
  });
});
