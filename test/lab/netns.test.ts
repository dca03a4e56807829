// Multicast and broadcast discovery for real: the lab runs inside a network namespace behind a
// veth pair, and the group probes a scan uses ask from the host side. Packets go only to the
// namespace created here (10.231.0.0/24). Network namespaces need root; outside
// CI the suite is skipped when they are not permitted, in CI (CI=true) it must run.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCapture } from '../../src/core/identify/parse/detect.js';
import { CamauditError } from '../../src/core/errors.js';
import { GuardedNet } from '../../src/discover/net.js';
import { captureBytes, type GroupProbe } from '../../src/discover/probe.js';
import { dhipGroupProbe } from '../../src/discover/probes/dhip.js';
import { dvripGroupProbe } from '../../src/discover/probes/dvrip.js';
import { sadpGroupProbe } from '../../src/discover/probes/sadp.js';
import { wsDiscoveryGroupProbe } from '../../src/discover/probes/ws-discovery.js';
import { buildScope } from '../../src/discover/scope.js';
import { generateDevices } from '../../src/lab/emulator/catalogue.js';
import { createNamespace, hostInterfaceFor, planNamespace, removeNamespace } from '../../src/lab/emulator/netns.js';
import type { LabProtocol } from '../../src/lab/emulator/types.js';

const ROOT = join(import.meta.dirname, '..', '..');
const NAME = `camaudit-t${process.pid}`;
const SUBNET = '10.231.0.0/24';

/** Null when this process may create network namespaces, else why not. */
function namespacesRefused(): string | null {
  const probe = `camaudit-probe-${process.pid}`;
  try {
    execFileSync('ip', ['netns', 'add', probe], { stdio: 'pipe' });
    execFileSync('ip', ['netns', 'del', probe], { stdio: 'pipe' });
    return null;
  } catch (err) {
    return ((err as { stderr?: Buffer }).stderr?.toString().trim() || (err as Error).message);
  }
}

const refused = namespacesRefused();
if (refused !== null) {
  if (process.env.CI === 'true') throw new Error(`network namespaces are required in CI, but "ip netns add" failed: ${refused}`);
  console.warn(`netns lab tests skipped: "ip netns add" is not permitted here (${refused}); run as root to include them`);
}

const links = () => execFileSync('ip', ['-o', 'link', 'show']).toString();
const namespaces = () => execFileSync('ip', ['netns', 'list']).toString();

describe.skipIf(refused !== null)('lab in a network namespace', () => {
  // Enough devices for every family to answer more than once.
  const devices = generateDevices(18, SUBNET, 4);
  let child: ChildProcess;
  let ready: { hostAddress: string; hostInterface: string; netns: string };
  let stderr = '';

  beforeAll(async () => {
    // What a run killed with SIGKILL leaves behind: the lab must clear it and start anyway.
    await createNamespace(planNamespace(NAME, SUBNET), ['10.231.0.77']);
    child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test', 'helpers', 'cli-entry.ts'),
      'lab', '--netns', NAME, '--subnet', SUBNET, '--devices', String(devices.length), '--seed', '4'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).on('line', (l) => l.includes('"ready":true') && resolve(l));
      child.on('exit', (code) => reject(new Error(`lab exited (${String(code)}) before it was ready:\n${stderr}`)));
    });
    ready = JSON.parse(line) as typeof ready;
  }, 120_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
    await removeNamespace({ name: NAME, hostInterface: hostInterfaceFor(NAME) });
  });

  it('reports the host side of the link to send discovery from', () => {
    expect(ready).toMatchObject({ ready: true, devices: devices.length, subnet: SUBNET, netns: NAME, hostAddress: '10.231.0.1', hostInterface: hostInterfaceFor(NAME) });
    expect(namespaces()).toContain(NAME);
    expect(links()).toContain(ready.hostInterface);
  });

  const families: [string, GroupProbe, LabProtocol][] = [
    ['WS-Discovery (239.255.255.250:3702)', wsDiscoveryGroupProbe, 'onvif'],
    ['SADP (239.255.255.250:37020)', sadpGroupProbe, 'sadp'],
    ['DHIP (239.255.255.251:37810)', dhipGroupProbe, 'dhip'],
    ['DVRIP (broadcast 5050)', dvripGroupProbe, 'dvrip'],
  ];
  for (const [what, probe, protocol] of families) {
    it(`answers ${what} from every device that speaks it, each from its own address`, async () => {
      const netw = new GuardedNet(buildScope({ include: [SUBNET], multicast: true }), { concurrency: 16, perHostConcurrency: 2, perHostIntervalMs: 0, timeoutMs: 2000, retries: 0, rate: 0 });
      const found = await probe.run({ net: netw, interfaceAddress: ready.hostAddress, rounds: 2, waitMs: 1500, now: () => new Date().toISOString() });
      const speakers = devices.filter((d) => d.protocols.includes(protocol));
      expect(speakers.length).toBeGreaterThanOrEqual(3);
      expect([...new Set(found.map((f) => f.ip))].sort()).toEqual(speakers.map((d) => d.ip).sort());
      expect(netw.stats.refused).toBe(0);
      if (protocol === 'sadp' || protocol === 'dhip') {
        for (const f of found) {
          const device = devices.find((d) => d.ip === f.ip)!;
          const signals = parseCapture(captureBytes(f.capture), f.capture.protocol, f.ip);
          expect(signals.some((s) => s.fields.serial === device.serial), `${what} ${f.ip}`).toBe(true);
        }
      }
    });
  }

  it('refuses a subnet that overlaps one in use, a loopback subnet and a public one', async () => {
    await expect(createNamespace(planNamespace(`${NAME}b`, '10.231.0.128/25'), [])).rejects.toThrow(/overlaps 10\.231\.0\.1\/24/);
    expect(namespaces()).not.toContain(`${NAME}b`);
    expect(() => planNamespace(NAME, '127.77.17.0/24')).toThrow(/loopback does not carry multicast/);
    expect(() => planNamespace(NAME, '8.8.8.0/24')).toThrow(CamauditError);
    expect(() => planNamespace('bad name', SUBNET)).toThrow(/--netns "bad name"/);
  });

  it('stops on SIGTERM with exit code 0 and removes the namespace and both ends of the link', async () => {
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code, stderr).toBe(0);
    expect(namespaces()).not.toContain(NAME);
    expect(links()).not.toContain(ready.hostInterface);
  });
});
