// A whole scan of a lab with one device of every template on 127.77.20.0/24: every device found
// and identified, unauthenticated and with credentials; found devices land in the register as
// "discovered"; a second scan updates rather than duplicates; nothing outside the scope is touched.
import dgram from 'node:dgram';
import http from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FoundDevice } from '../../src/discover/found.js';
import { makeDevice, TEMPLATES } from '../../src/lab/emulator/catalogue.js';
import { startLab, type RunningLab } from '../../src/lab/emulator/lab.js';
import type { LabDevice } from '../../src/lab/emulator/types.js';
import { cli } from '../helpers/cli.js';

const FAST = ['--rate', '0', '--host-interval', '0', '--timeout', '800', '--no-progress'];

describe('camaudit scan against the lab', () => {
  let lab: RunningLab;
  let dir: string;
  let credentials: string;
  const devices: LabDevice[] = TEMPLATES.map((t, i) => makeDevice(t, `127.77.20.${10 + i}`, 20 + i));
  // Listeners outside the scope (excluded, and beyond the range) on camera ports.
  const strangers: { connections: number; datagrams: number; close: () => Promise<void> }[] = [];

  async function stranger(ip: string): Promise<void> {
    const counter = { connections: 0, datagrams: 0, close: async () => undefined };
    const tcp = net.createServer((s) => {
      counter.connections++;
      s.destroy();
    });
    await new Promise<void>((resolve) => tcp.listen(80, ip, resolve));
    const udps = await Promise.all([3702, 37020, 37810, 5050].map(async (port) => {
      const u = dgram.createSocket('udp4');
      u.on('message', () => counter.datagrams++);
      await new Promise<void>((resolve) => u.bind(port, ip, resolve));
      return u;
    }));
    counter.close = async () => {
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
      for (const u of udps) u.close();
    };
    strangers.push(counter);
  }

  beforeAll(async () => {
    lab = await startLab({ devices });
    await stranger('127.77.20.200');
    await stranger('127.77.21.250');
    dir = mkdtempSync(join(tmpdir(), 'camaudit-scan-'));
    credentials = join(dir, 'credentials.yaml');
    writeFileSync(credentials, devices.map((d) => `- scope: ${d.ip}\n  username: ${d.credentials.username}\n  password: "${d.credentials.password}"\n${d.web.authScheme === 'basic' ? '  basic_over_http: true\n' : ''}`).join(''), { mode: 0o600 });
  }, 30_000);

  afterAll(async () => {
    await lab?.stop();
    for (const s of strangers) await s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds and identifies every device without credentials, and touches nothing outside the scope', async () => {
    const db = join(dir, 'plain.db');
    const r = await cli(['--db', db, '--json', 'scan', '127.77.20.0/24', '--exclude', '127.77.20.200', ...FAST]);
    expect(r.code, r.err).toBe(0);
    const found = new Map((JSON.parse(r.out) as FoundDevice[]).map((f) => [f.ip, f]));
    for (const d of devices) {
      const f = found.get(d.ip);
      expect(f, `${d.template} at ${d.ip}`).toBeDefined();
      expect(f!.manufacturer, `${d.template} at ${d.ip}`).toBe(d.manufacturer);
      if (d.manufacturer !== null) expect(f!.evidence.length).toBeGreaterThan(0);
    }
    expect(found.size).toBe(devices.length);
    const hik = found.get(devices[TEMPLATES.indexOf('hikvision-camera')]!.ip)!;
    expect(hik).toMatchObject({ model: devices[0]!.model, serial: devices[0]!.serial, mac: devices[0]!.mac });
    expect(hik.ports).toEqual(expect.arrayContaining([80, 443, 554, 8000]));
    expect(hik.protocols).toEqual(expect.arrayContaining(['sadp', 'http', 'onvif', 'rtsp', 'tls']));
    expect(strangers.map((s) => s.connections + s.datagrams)).toEqual([0, 0]);
  }, 60_000);

  it('sweeps in worker threads with the same result and the same scope', async () => {
    const db = join(dir, 'workers.db');
    const r = await cli(['--db', db, '--json', 'scan', '127.77.20.0/24', '--exclude', '127.77.20.200', '--workers', '3', ...FAST]);
    expect(r.code, r.err).toBe(0);
    const found = (JSON.parse(r.out) as FoundDevice[]).map((f) => [f.ip, f.manufacturer]);
    expect(found.sort()).toEqual(devices.map((d) => [d.ip, d.manufacturer]).sort());
    expect(strangers.map((s) => s.connections + s.datagrams)).toEqual([0, 0]);
  }, 60_000);

  it('reads model, firmware and serial through the authenticated APIs with credentials, and offers them to nothing else', async () => {
    // A host that is no camera but asks every visitor to log in.
    let logins = 0;
    const asker = http.createServer((req, res) => {
      if (req.headers.authorization) logins++;
      res.writeHead(401, { 'WWW-Authenticate': 'Digest realm="router", nonce="abc", qop="auth"' }).end();
    });
    await new Promise<void>((resolve) => asker.listen(80, '127.77.20.240', resolve));
    const everywhere = join(dir, 'everywhere.yaml');
    writeFileSync(everywhere, `- username: admin\n  password: "unscoped-secret"\n${readFileSync(credentials, 'utf8')}`, { mode: 0o600 });
    const db = join(dir, 'creds.db');
    let r;
    try {
      r = await cli(['--db', db, '--json', 'scan', '127.77.20.0/24', '--credentials', everywhere, ...FAST]);
    } finally {
      await new Promise<void>((resolve) => asker.close(() => resolve()));
    }
    expect(logins).toBe(0);
    expect(r.code, r.err).toBe(0);
    const found = new Map((JSON.parse(r.out) as FoundDevice[]).map((f) => [f.ip, f]));
    for (const d of devices.filter((x) => x.manufacturer !== null)) {
      const f = found.get(d.ip)!;
      expect(f.manufacturer, d.template).toBe(d.manufacturer);
      // SADP writes "V5.7.18build 240826", ISAPI "V5.7.18" with "build 240826" apart.
      expect(f.firmware?.replace(/\s+/g, ''), d.template).toBe(d.firmware.replace(/\s+/g, ''));
      expect(f.serial, d.template).toBe(d.serial);
    }
    const nvr = devices[TEMPLATES.indexOf('hikvision-nvr')]!;
    expect(found.get(nvr.ip)!.channels.map((c) => c.channel)).toEqual(nvr.channels.map((c) => String(c.id)));
    const show = await cli(['--db', db, '--json', 'scans', 'list']);
    const [run] = JSON.parse(show.out) as { id: string; stats: Record<string, number> }[];
    const hosts = await cli(['--db', db, '--json', 'scans', 'show', run!.id]);
    expect(hosts.code).toBe(0);
    // Credentials never reach the stored run.
    expect(show.out + hosts.out).not.toContain(devices[0]!.credentials.password);
  }, 60_000);

  it('puts cameras and recorders in the register as discovered, and a second scan updates them', async () => {
    const db = join(dir, 'register.db');
    const first = await cli(['--db', db, 'scan', '127.77.20.0/24', ...FAST]);
    expect(first.code, first.err).toBe(0);
    const cameras = devices.filter((d) => d.manufacturer !== null);
    expect(first.out).toContain(`register: ${cameras.length} discovered (not yet placed), 0 updated, 0 unchanged`);
    const listed = JSON.parse((await cli(['--db', db, '--json', 'devices', 'list', '--limit', '100'])).out) as { ip: string; status: string; manufacturer: string }[];
    expect(listed.map((d) => d.ip).sort()).toEqual(cameras.map((d) => d.ip).sort());
    expect(new Set(listed.map((d) => d.status))).toEqual(new Set(['discovered']));
    const second = await cli(['--db', db, 'scan', '127.77.20.0/24', '--credentials', credentials, ...FAST]);
    expect(second.code, second.err).toBe(0);
    expect(second.out).toMatch(/register: 0 discovered \(not yet placed\), \d+ updated/);
    const after = JSON.parse((await cli(['--db', db, '--json', 'devices', 'list', '--limit', '100'])).out) as unknown[];
    expect(after).toHaveLength(cameras.length);
    // The update is in the device's history, attributed to the scan run.
    const hik = listed.find((d) => d.ip === devices[0]!.ip) as unknown as { id: string };
    const shown = JSON.parse((await cli(['--db', db, '--json', 'devices', 'show', hik.id])).out) as { history: { action: string; source: string }[] };
    expect(shown.history.map((h) => h.action)).toEqual(['create', 'update']);
    expect(shown.history.every((h) => h.source.startsWith('scan:'))).toBe(true);
    const dutch = await cli(['--db', db, '--lang', 'nl', 'scan', devices[0]!.ip, ...FAST]);
    expect(dutch.out, dutch.out).toContain('register: 0 ontdekt (nog niet geplaatst), 0 bijgewerkt, 1 ongewijzigd');
    const runs = (JSON.parse((await cli(['--db', db, '--json', 'scans', 'list'])).out) as { id: string }[]).slice(1);
    const diff = await cli(['--db', db, '--json', 'scans', 'diff', runs[1]!.id, runs[0]!.id]);
    const d = JSON.parse(diff.out) as { added: unknown[]; gone: unknown[]; changed: { changes: { field: string }[] }[] };
    expect(d.added).toEqual([]);
    expect(d.gone).toEqual([]);
    // Credentials revealed firmware and serials the first scan could not read for some devices.
    expect(d.changed.flatMap((c) => c.changes.map((x) => x.field))).toEqual(expect.arrayContaining(['firmware']));
  }, 90_000);

  it('carries a scan out of a closed network as a signed bundle that the central register imports', async () => {
    const agentDir = join(dir, 'agent');
    const keygen = await cli(['agent', 'keygen', '--out', agentDir]);
    expect(keygen.code, keygen.err).toBe(0);
    const bundle = join(dir, 'garage.bundle');
    const inside = await cli(['--db', join(dir, 'agent.db'), 'scan', '127.77.20.0/24', '--exclude', '127.77.20.200', '--out', bundle, '--key', join(agentDir, 'agent.key'), ...FAST]);
    expect(inside.code, inside.err).toBe(0);
    const central = join(dir, 'central.db');
    const refused = await cli(['--db', central, 'import', bundle]);
    expect(refused.code).toBe(1);
    expect((await cli(['--db', central, 'agent', 'enrol', 'garage', join(agentDir, 'agent.pub')])).code).toBe(0);
    const imported = await cli(['--db', central, 'import', bundle]);
    expect(imported.code, imported.err).toBe(0);
    const listed = JSON.parse((await cli(['--db', central, '--json', 'devices', 'list', '--limit', '100'])).out) as { ip: string; manufacturer: string }[];
    expect(listed.map((d) => [d.ip, d.manufacturer]).sort()).toEqual(devices.filter((d) => d.manufacturer).map((d) => [d.ip, d.manufacturer]).sort());
  }, 60_000);

  it('refuses a public target and an oversized scope before sending anything', async () => {
    const db = join(dir, 'refused.db');
    const pub = await cli(['--db', db, 'scan', '192.0.2.0/28', ...FAST]);
    expect(pub.code).toBe(2);
    expect(pub.err).toMatch(/public addresses/);
    const big = await cli(['--db', db, 'scan', '10.0.0.0/8', ...FAST]);
    expect(big.code).toBe(2);
    expect(big.err).toMatch(/more than the limit of 65536/);
  });
});
