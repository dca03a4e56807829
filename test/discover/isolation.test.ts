// verify-isolation: the endpoints file, the verdict, and the egress checks against real listeners
// on 127.77.17.0/24 (a DNS server, TCP, TLS, a UDP echo, a silent UDP port, a closed port).
import dgram from 'node:dgram';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import SqliteDriver from 'better-sqlite3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { checkEgress } from '../../src/discover/egress.js';
import {
  defaultPayload, judge, p2pDevices, parseEndpointsFile, type CheckResult, type NetworkDevice, type P2pDevice,
} from '../../src/discover/isolation.js';
import { openStore } from '../../src/store/database.js';
import { insertObservations } from '../../src/store/observations.js';
import { cli } from '../helpers/cli.js';

const DNS_HOST = '127.77.17.1';
const SERVICE_HOST = '127.77.17.2';
const ECHO_HOST = '127.77.17.3';
const QUIET_HOST = '127.77.17.4';
const DEAD_RESOLVER_HOST = '127.77.17.5';
const FIX = join(import.meta.dirname, '..', 'fixtures', 'isolation');

/** A DNS server answering A queries for the names it knows and NXDOMAIN for every other name. */
async function startDns(address: string, records: Record<string, string[]>) {
  const socket = dgram.createSocket('udp4');
  const queries: string[] = [];
  socket.on('message', (msg, rinfo) => {
    if (msg.length < 17) return;
    const labels: string[] = [];
    let offset = 12;
    while (offset < msg.length && msg[offset] !== 0) {
      const length = msg[offset]!;
      labels.push(msg.subarray(offset + 1, offset + 1 + length).toString('ascii'));
      offset += length + 1;
    }
    const qtype = msg.readUInt16BE(offset + 1);
    const name = labels.join('.').toLowerCase();
    queries.push(name);
    const known = records[name];
    const answers = known && qtype === 1 ? known : [];
    const header = Buffer.alloc(12);
    header.writeUInt16BE(msg.readUInt16BE(0), 0);
    // Response, recursion desired and available; rcode 3 (NXDOMAIN) for names it does not know.
    header.writeUInt16BE(0x8180 | (known ? 0 : 3), 2);
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(answers.length, 6);
    const records4 = answers.map((ip) => {
      const rr = Buffer.alloc(16);
      rr.writeUInt16BE(0xc00c, 0); // the name: a pointer to the question's
      rr.writeUInt16BE(1, 2); // A
      rr.writeUInt16BE(1, 4); // IN
      rr.writeUInt32BE(60, 6);
      rr.writeUInt16BE(4, 10);
      Buffer.from(ip.split('.').map(Number)).copy(rr, 12);
      return rr;
    });
    socket.send(Buffer.concat([header, msg.subarray(12, offset + 5), ...records4]), rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, address, resolve));
  return { port: socket.address().port, queries, close: () => new Promise<void>((resolve) => socket.close(() => resolve())) };
}

async function listen(server: net.Server, address: string): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, address, resolve));
  return (server.address() as net.AddressInfo).port;
}

async function bindUdp(address: string, onMessage: (socket: dgram.Socket, msg: Buffer, rinfo: dgram.RemoteInfo) => void) {
  const socket = dgram.createSocket('udp4');
  socket.on('message', (msg, rinfo) => onMessage(socket, msg, rinfo));
  await new Promise<void>((resolve) => socket.bind(0, address, resolve));
  return { socket, port: socket.address().port };
}

const lab = {
  dns: null as unknown as Awaited<ReturnType<typeof startDns>>,
  tcpPort: 0,
  tlsPort: 0,
  closedPort: 0,
  echoPort: 0,
  quietPort: 0,
  deadResolverPort: 0,
  tcpConnections: 0,
  tcpBytes: 0,
  tlsConnections: 0,
  echoed: [] as Buffer[],
  quietReceived: [] as Buffer[],
  close: [] as (() => Promise<void> | void)[],
};

beforeAll(async () => {
  lab.dns = await startDns(DNS_HOST, {
    'cloud.egress.test': [SERVICE_HOST],
    'relay.egress.test': [ECHO_HOST],
    'sinkholed.egress.test': ['0.0.0.0'],
    'localhost-sinkhole.egress.test': ['127.0.0.1'],
  });
  lab.close.push(lab.dns.close);

  const tcp = net.createServer((socket) => {
    lab.tcpConnections++;
    socket.on('data', (d) => (lab.tcpBytes += d.length));
    socket.on('error', () => undefined);
  });
  lab.tcpPort = await listen(tcp, SERVICE_HOST);
  lab.close.push(() => new Promise<void>((resolve) => tcp.close(() => resolve())));

  const secure = tls.createServer({ key: readFileSync(join(FIX, 'egress-test.key')), cert: readFileSync(join(FIX, 'egress-test.crt')) }, (socket) => socket.on('error', () => undefined));
  secure.on('connection', () => lab.tlsConnections++);
  secure.on('tlsClientError', () => undefined);
  lab.tlsPort = await listen(secure, SERVICE_HOST);
  lab.close.push(() => new Promise<void>((resolve) => secure.close(() => resolve())));

  // A port that was just free: nothing listens on it, so the kernel refuses the connection.
  const gone = net.createServer();
  lab.closedPort = await listen(gone, QUIET_HOST);
  await new Promise<void>((resolve) => gone.close(() => resolve()));

  const echo = await bindUdp(ECHO_HOST, (socket, msg, rinfo) => {
    lab.echoed.push(msg);
    socket.send(msg, rinfo.port, rinfo.address);
  });
  lab.echoPort = echo.port;
  lab.close.push(() => void echo.socket.close());

  const quiet = await bindUdp(QUIET_HOST, (_socket, msg) => lab.quietReceived.push(msg));
  lab.quietPort = quiet.port;
  lab.close.push(() => void quiet.socket.close());

  const deadResolver = await bindUdp(DEAD_RESOLVER_HOST, () => undefined);
  lab.deadResolverPort = deadResolver.port;
  lab.close.push(() => void deadResolver.socket.close());
});

afterAll(async () => {
  for (const close of lab.close) await close();
});

function reachableEndpoints(): string {
  return [
    `resolver: ${DNS_HOST}:${lab.dns.port}`,
    'endpoints:',
    '  - { name: cloud-dns, host: cloud.egress.test, protocol: dns }',
    '  - { name: unknown-dns, host: nowhere.egress.test, protocol: dns }',
    '  - { name: sinkholed-dns, host: sinkholed.egress.test, protocol: dns }',
    '  - { name: localhost-sinkhole-dns, host: localhost-sinkhole.egress.test, protocol: dns }',
    '  - { name: localhost-sinkhole-tcp, host: localhost-sinkhole.egress.test, port: 443, protocol: tcp }',
    `  - { name: cloud-tcp, host: cloud.egress.test, port: ${lab.tcpPort}, protocol: tcp }`,
    `  - { name: closed-tcp, host: ${QUIET_HOST}, port: ${lab.closedPort}, protocol: tcp }`,
    `  - { name: cloud-https, host: cloud.egress.test, port: ${lab.tlsPort}, protocol: https }`,
    `  - { name: relay-udp, host: relay.egress.test, port: ${lab.echoPort}, protocol: udp, payload: "hex:cafe01" }`,
    `  - { name: quiet-udp, host: ${QUIET_HOST}, port: ${lab.quietPort}, protocol: udp }`,
    `  - { name: unresolved-tcp, host: nowhere.egress.test, port: 443, protocol: tcp }`,
    `  - { name: sinkholed-tcp, host: sinkholed.egress.test, port: 443, protocol: tcp }`,
  ].join('\n');
}

function closedEndpoints(): string {
  return JSON.stringify({
    resolver: `${DNS_HOST}:${lab.dns.port}`,
    endpoints: [
      { name: 'unknown-dns', host: 'nowhere.egress.test', protocol: 'dns' },
      { name: 'closed-tcp', host: QUIET_HOST, port: lab.closedPort, protocol: 'tcp' },
      { name: 'quiet-udp', host: QUIET_HOST, port: lab.quietPort, protocol: 'udp' },
    ],
  });
}

const byName = (checks: readonly CheckResult[]) => new Map(checks.map((c) => [c.name, c]));

describe('endpoints file', () => {
  it('reads YAML and JSON with defaults: https on 443, payloads as text or hex, a real question for NTP', () => {
    const yaml = parseEndpointsFile([
      'resolver: 10.0.0.53',
      'endpoints:',
      '  - { name: hik, host: cloud.example.test, protocol: https }',
      '  - { name: ntp, host: 10.0.0.123, port: 123, protocol: udp }',
      '  - { name: probe, host: 10.0.0.11, port: 9999, protocol: udp, payload: "hex:de ad" }',
      '  - { name: text, host: 10.0.0.12, port: 9999, protocol: udp, payload: "hello" }',
    ].join('\n'), 'endpoints.yaml');
    expect(yaml.resolver).toEqual({ address: '10.0.0.53', port: 53 });
    expect(yaml.endpoints.map((e) => [e.name, e.port, e.hostIsName])).toEqual([['hik', 443, true], ['ntp', 123, false], ['probe', 9999, false], ['text', 9999, false]]);
    expect(yaml.endpoints[1]!.payload!.length).toBe(48);
    expect(yaml.endpoints[1]!.payload![0]).toBe(0x23);
    expect(yaml.endpoints[2]!.payload).toEqual(Buffer.from([0xde, 0xad]));
    expect(yaml.endpoints[3]!.payload!.toString()).toBe('hello');
    expect(defaultPayload(53).readUInt16BE(4)).toBe(1);

    const json = parseEndpointsFile(JSON.stringify({ endpoints: [{ name: 'dmss', host: 'p2p.example.test', protocol: 'dns' }] }), 'e.json');
    expect(json).toMatchObject({ resolver: null, endpoints: [{ name: 'dmss', port: null, payload: null }] });
  });

  it.each([
    ['an unknown top-level key', '{"endpoints":[{"name":"a","host":"a.test","protocol":"dns"}],"servers":[]}', /bad\.json: the file: .*servers/],
    ['an unknown key in an entry', '{"endpoints":[{"name":"a","host":"a.test","protocol":"dns"},{"name":"hik","host":"h.test","protocol":"tcp","port":1,"timeout":5}]}', /bad\.json: entry 2 \("hik"\): .*timeout/],
    ['a tcp check without a port', '{"endpoints":[{"name":"dahua","host":"d.test","protocol":"tcp"}]}', /entry 1 \("dahua"\) field "port": a tcp check needs a port/],
    ['a dns check of an address', '{"endpoints":[{"name":"x","host":"10.0.0.1","protocol":"dns"}]}', /entry 1 \("x"\) field "host": a dns check resolves a name/],
    ['an unknown protocol', '{"endpoints":[{"name":"x","host":"a.test","protocol":"icmp"}]}', /entry 1 \("x"\) field "protocol"/],
    ['a payload on a tcp check', '{"endpoints":[{"name":"x","host":"a.test","port":80,"protocol":"tcp","payload":"GET /"}]}', /entry 1 \("x"\) field "payload": only udp checks/],
    ['odd hex', '{"endpoints":[{"name":"x","host":"a.test","port":9,"protocol":"udp","payload":"hex:abc"}]}', /entry 1 \("x"\) field "payload": after "hex:"/],
    ['a reserved host', '{"endpoints":[{"name":"x","host":"240.0.0.1","port":80,"protocol":"tcp"}]}', /entry 1 \("x"\) field "host": 240\.0\.0\.1 is reserved/],
    ['a multicast host', '{"endpoints":[{"name":"x","host":"239.255.255.250","port":3702,"protocol":"udp"}]}', /entry 1 \("x"\) field "host": 239\.255\.255\.250 is a multicast group/],
    ['an IPv6 host', '{"endpoints":[{"name":"x","host":"2001:db8::1","port":443,"protocol":"tcp"}]}', /entry 1 \("x"\) field "host": IPv6/],
    ['a host that is no name', '{"endpoints":[{"name":"x","host":"not a host","port":443,"protocol":"tcp"}]}', /entry 1 \("x"\) field "host": "not a host" is neither/],
    ['a name used twice', '{"endpoints":[{"name":"x","host":"a.test","protocol":"dns"},{"name":"X","host":"b.test","protocol":"dns"}]}', /entry 2 \("X"\): the name is already used by entry 1/],
    ['a bad resolver', '{"resolver":"dns.example:53","endpoints":[{"name":"x","host":"a.test","protocol":"dns"}]}', /bad\.json: field "resolver"/],
    ['no endpoints', '{"endpoints":[]}', /bad\.json: field "endpoints"/],
    ['broken JSON', '{"endpoints": [', /bad\.json: not valid JSON/],
  ])('rejects %s, naming the file and the entry', (_what, text, message) => {
    expect(() => parseEndpointsFile(text, 'bad.json')).toThrow(message);
  });
});

const check = (name: string, result: CheckResult['result']): CheckResult => ({
  name, protocol: 'tcp', host: '192.0.2.1', port: 443, addresses: ['192.0.2.1'], result, detail: result, nl: { detail: `nl: ${result}` }, error: null, latencyMs: null, at: '2025-01-01T00:00:00Z',
});
const camera: NetworkDevice = { id: 'dev-1', ip: '10.20.0.11', brand: 'Hikvision', manufacturer: 'Hikvision', model: 'DS-2CD2143G2-I' };
const flagged: P2pDevice = { ...camera, detail: 'sadp.cloud=true (Hik-Connect enabled)', observedAt: '2025-01-01T00:00:00Z', scanRunId: 'run-1' };

describe('verdict', () => {
  it('contradicts "isolated" when an endpoint is reachable, naming it', () => {
    const v = judge({ claimed: 'isolated', remoteAccess: 'none', checks: [check('hik', 'reachable'), check('dahua', 'unreachable')], p2pDevices: [] });
    expect(v.outcome).toBe('contradicted');
    expect(v.summary).toBe('claim contradicted');
    expect(v.reasons).toEqual([expect.stringContaining('hik (tcp 192.0.2.1:443) is reachable')]);
  });

  it('gives the summary and every reason in Dutch too, with the check\'s Dutch detail', () => {
    const contradicted = judge({ claimed: 'isolated', remoteAccess: 'vendor_cloud', checks: [check('hik', 'reachable')], p2pDevices: [{ ...flagged, brand: null, model: null }] });
    expect(contradicted.nl).toEqual({
      summary: 'de bewering klopt niet',
      reasons: [
        'hik (tcp 192.0.2.1:443) is bereikbaar: nl: reachable',
        'volgens het register is dit netwerk op afstand toegankelijk via de cloud van de fabrikant',
        'apparaat 10.20.0.11 (onbekend model) meldt in zijn laatste scan een verbinding met de cloud van de fabrikant: sadp.cloud=true (Hik-Connect enabled)',
      ],
    });
    expect(contradicted.reasons[2]).toMatch(/^device 10\.20\.0\.11 \(unknown model\)/);
    const supported = judge({ claimed: 'isolated', remoteAccess: 'none', checks: [check('a', 'unreachable'), check('b', 'inconclusive')], p2pDevices: [] });
    expect(supported.nl.summary).toBe('de bewering wordt door deze controles ondersteund');
    expect(supported.nl.reasons).toContain('1 van de 2 controles gaven geen eenduidig antwoord: b');
    const unknown = judge({ claimed: 'unknown', remoteAccess: 'none', checks: [check('a', 'reachable')], p2pDevices: [] });
    expect(unknown.nl.reasons).toEqual([
      'het register vermeldt niet hoe dit netwerk verbonden is', 'a (tcp 192.0.2.1:443) is bereikbaar: nl: reachable', 'het netwerk is niet gesloten',
    ]);
  });

  it('supports "isolated" when checks found endpoints unreachable and none reachable, and says what stayed open', () => {
    const v = judge({ claimed: 'isolated', remoteAccess: 'none', checks: [check('a', 'unreachable'), check('b', 'inconclusive')], p2pDevices: [] });
    expect(v.outcome).toBe('supported');
    expect(v.summary).toBe('claim supported by these checks');
    expect(v.reasons.join('\n')).toMatch(/1 of 2 checks gave no answer either way: b/);
  });

  it('is inconclusive when no check gave an answer either way', () => {
    expect(judge({ claimed: 'isolated', remoteAccess: 'none', checks: [check('a', 'inconclusive')], p2pDevices: [] }).outcome).toBe('inconclusive');
  });

  it('contradicts "isolated" on a vendor cloud link, reported by a device or recorded in the register', () => {
    const byDevice = judge({ claimed: 'isolated', remoteAccess: 'none', checks: [check('a', 'unreachable')], p2pDevices: [flagged] });
    expect(byDevice.outcome).toBe('contradicted');
    expect(byDevice.reasons[0]).toMatch(/device 10\.20\.0\.11 \(Hikvision DS-2CD2143G2-I\) .*Hik-Connect enabled/);
    const byRegister = judge({ claimed: 'isolated', remoteAccess: 'vendor_cloud', checks: [check('a', 'unreachable')], p2pDevices: [] });
    expect(byRegister.outcome).toBe('contradicted');
    expect(byRegister.reasons[0]).toMatch(/register records vendor-cloud remote access/);
  });

  it('contradicts "internal" only through a vendor cloud link; other classes make no isolation claim', () => {
    expect(judge({ claimed: 'internal', remoteAccess: 'none', checks: [check('a', 'reachable')], p2pDevices: [] }).outcome).toBe('inconclusive');
    expect(judge({ claimed: 'internal', remoteAccess: 'none', checks: [check('a', 'unreachable')], p2pDevices: [flagged] }).outcome).toBe('contradicted');
    const unknown = judge({ claimed: 'unknown', remoteAccess: 'none', checks: [check('a', 'reachable')], p2pDevices: [] });
    expect(unknown.outcome).toBe('not_applicable');
    expect(unknown.reasons).toContain('the network is not isolated');
    expect(judge({ claimed: 'internet_exposed', remoteAccess: 'none', checks: [check('a', 'reachable')], p2pDevices: [] }).outcome).toBe('not_applicable');
  });

  it('flags a device only when its latest scan reports the vendor cloud link', () => {
    const other: NetworkDevice = { ...camera, id: 'dev-2', ip: '10.20.0.12' };
    const fact = { fact: 'vendor_cloud', detail: 'sadp.cloud=true (Hik-Connect enabled)', source: 'scan:sadp' };
    const flaggedNow = p2pDevices([camera, other], [
      // dev-1: P2P on in run 1, switched off by run 2.
      { deviceId: 'dev-1', scanRunId: 'run-1', observedAt: '2025-01-01T10:00:00Z', kind: 'risk_fact', payload: fact },
      { deviceId: 'dev-1', scanRunId: 'run-2', observedAt: '2025-02-01T10:00:00Z', kind: 'capture', payload: null },
      // dev-2: P2P on in its latest run, a capture of that run being newer than the fact.
      { deviceId: 'dev-2', scanRunId: 'run-2', observedAt: '2025-02-01T10:00:00Z', kind: 'risk_fact', payload: fact },
      { deviceId: 'dev-2', scanRunId: 'run-2', observedAt: '2025-02-01T10:00:05Z', kind: 'capture', payload: null },
      { deviceId: 'dev-2', scanRunId: 'run-2', observedAt: '2025-02-01T10:00:00Z', kind: 'risk_fact', payload: { fact: 'telnet_open', detail: 'port 23 open' } },
    ]);
    expect(flaggedNow.map((d) => [d.id, d.detail, d.scanRunId])).toEqual([['dev-2', 'sadp.cloud=true (Hik-Connect enabled)', 'run-2']]);
  });
});

describe('egress checks on loopback', () => {
  it('tells reachable, unreachable and inconclusive apart, sending nothing beyond connect, handshake and probe', async () => {
    const file = parseEndpointsFile(reachableEndpoints(), 'endpoints.yaml');
    const before = { tcp: lab.tcpConnections, tls: lab.tlsConnections, echoed: lab.echoed.length, quiet: lab.quietReceived.length };
    const checks = byName(await checkEgress(file, { timeoutMs: 600, concurrency: 4, now: () => '2025-03-01T12:00:00Z' }));

    expect(checks.get('cloud-dns')).toMatchObject({ result: 'reachable', addresses: [SERVICE_HOST], error: null });
    expect(checks.get('unknown-dns')).toMatchObject({ result: 'unreachable', error: 'ENOTFOUND' });
    expect(checks.get('sinkholed-dns')).toMatchObject({ result: 'unreachable', detail: expect.stringMatching(/blocking answer/) });
    // A name answered with this machine's own address is blocked, and connecting to it proves nothing.
    expect(checks.get('localhost-sinkhole-dns')).toMatchObject({ result: 'unreachable', detail: expect.stringMatching(/blocking answer/) });
    expect(checks.get('localhost-sinkhole-tcp')).toMatchObject({ result: 'inconclusive', detail: expect.stringMatching(/127\.0\.0\.1, which is this machine itself.*nothing sent/) });
    expect(checks.get('cloud-tcp')).toMatchObject({ result: 'reachable', addresses: [SERVICE_HOST], detail: `connected to ${SERVICE_HOST}:${lab.tcpPort}` });
    expect(checks.get('cloud-tcp')!.latencyMs).toBeGreaterThanOrEqual(0);
    expect(checks.get('closed-tcp')).toMatchObject({ result: 'unreachable', error: 'ECONNREFUSED' });
    expect(checks.get('cloud-https')).toMatchObject({
      result: 'reachable',
      certificate: { subject: expect.stringContaining('CN=cloud.egress.test'), trusted: false },
      detail: expect.stringMatching(/untrusted certificate/),
    });
    expect(checks.get('relay-udp')).toMatchObject({ result: 'reachable', addresses: [ECHO_HOST], detail: `reply of 3 bytes from ${ECHO_HOST}:${lab.echoPort}` });
    expect(checks.get('quiet-udp')).toMatchObject({ result: 'inconclusive', detail: expect.stringMatching(/no evidence of reachability/) });
    expect(checks.get('unresolved-tcp')).toMatchObject({ result: 'inconclusive', error: 'ENOTFOUND' });
    expect(checks.get('sinkholed-tcp')).toMatchObject({ result: 'inconclusive', detail: expect.stringMatching(/0\.0\.0\.0, which is the unspecified address.*nothing sent/) });
    expect([...checks.values()].every((c) => c.at === '2025-03-01T12:00:00Z')).toBe(true);
    // Every detail also in Dutch, system texts kept as they are.
    const nl = (name: string) => checks.get(name)!.nl.detail;
    expect(nl('cloud-dns')).toBe(`wordt omgezet naar ${SERVICE_HOST}`);
    expect(nl('unknown-dns')).toBe('wordt niet omgezet (deze naam bestaat niet)');
    expect(nl('localhost-sinkhole-dns')).toBe('de resolver antwoordt 127.0.0.1: een blokkerend antwoord, niet het adres van de dienst');
    expect(nl('localhost-sinkhole-tcp')).toMatch(/127\.0\.0\.1, dat deze machine zelf is .*niets verzonden$/);
    expect(nl('sinkholed-tcp')).toMatch(/0\.0\.0\.0, dat het ongespecificeerde adres is .*niets verzonden$/);
    expect(nl('cloud-tcp')).toBe(`verbonden met ${SERVICE_HOST}:${lab.tcpPort}`);
    expect(nl('closed-tcp')).toBe('verbinding geweigerd (door de host of door een firewall onderweg)');
    expect(nl('cloud-https')).toMatch(new RegExp(`^TLS-handshake met ${SERVICE_HOST}:${lab.tlsPort} voltooid, met een niet-vertrouwd certificaat \\(.+\\): mogelijk een onderscheppende proxy`));
    expect(nl('relay-udp')).toBe(`antwoord van 3 bytes van ${ECHO_HOST}:${lab.echoPort}`);
    expect(nl('quiet-udp')).toBe('geen antwoord binnen 600 ms: geen bewijs van bereikbaarheid (UDP blijft stil als het verkeer geblokkeerd is, maar ook als een dienst het datagram negeert)');
    expect(nl('unresolved-tcp')).toMatch(/^nowhere\.egress\.test werd niet omgezet naar een IPv4-adres \(ENOTFOUND\); geen verbinding geprobeerd/);

    expect(lab.tcpConnections - before.tcp).toBe(1);
    expect(lab.tlsConnections - before.tls).toBe(1);
    expect(lab.tcpBytes).toBe(0);
    expect(lab.echoed.slice(before.echoed)).toEqual([Buffer.from([0xca, 0xfe, 0x01])]);
    expect(lab.quietReceived.slice(before.quiet)).toEqual([Buffer.from('camaudit verify-isolation\n')]);
    expect(lab.dns.queries).toEqual(expect.arrayContaining(['cloud.egress.test', 'nowhere.egress.test', 'relay.egress.test']));
  });

  it('calls a resolver that does not answer inconclusive, not unreachable', async () => {
    const file = parseEndpointsFile(JSON.stringify({
      resolver: `${DEAD_RESOLVER_HOST}:${lab.deadResolverPort}`,
      endpoints: [{ name: 'hik', host: 'cloud.egress.test', protocol: 'dns' }],
    }), 'dead.json');
    const [result] = await checkEgress(file, { timeoutMs: 300, concurrency: 1, now: () => '2025-03-01T12:00:00Z' });
    expect(result).toMatchObject({ result: 'inconclusive', detail: expect.stringMatching(/resolver did not answer/) });
    expect(result!.nl.detail).toMatch(/^de resolver antwoordde niet \(.+\); of de naam wordt omgezet is onbekend$/);
  });
});

describe('camaudit verify-isolation', () => {
  let dir: string;
  let db: string;
  const REGISTER = [
    'Referentie;Merk;Type;IP-adres;Netwerk;Verbinding;Toegang op afstand',
    'C-1;Hikvision;DS-2CD2143G2-I;10.20.0.11;Camera-net;gesloten netwerk;geen',
    'C-2;Dahua;IPC-HFW2431S;10.20.0.12;Camera-net;gesloten netwerk;geen',
    'O-1;Hikvision;DS-7608NI;10.30.0.5;Office-net;intern;geen',
  ].join('\n');

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'camaudit-isolation-'));
    db = join(dir, 'camaudit.db');
    writeFileSync(join(dir, 'register.csv'), REGISTER);
    writeFileSync(join(dir, 'reachable.yaml'), reachableEndpoints());
    writeFileSync(join(dir, 'closed.json'), closedEndpoints());
    const imported = await cli(['--db', db, 'import', join(dir, 'register.csv')]);
    expect(imported.code).toBe(EXIT.ok);
  });

  const isolationRows = () => {
    const sqlite = new SqliteDriver(db, { readonly: true });
    try {
      return sqlite.prepare("select id, device_id, source, kind, payload_json from observations where kind = 'isolation'").all() as
        { id: string; device_id: string | null; source: string; kind: string; payload_json: string }[];
    } finally {
      sqlite.close();
    }
  };
  const networkId = (name: string) => {
    const sqlite = new SqliteDriver(db, { readonly: true });
    try {
      return (sqlite.prepare('select id from networks where name = ?').get(name) as { id: string }).id;
    } finally {
      sqlite.close();
    }
  };

  it('contradicts an isolated network when an endpoint is reachable, exits 1 and records the evidence', async () => {
    const r = await cli(['--db', db, 'verify-isolation', '--network', 'camera-net', '--endpoints', join(dir, 'reachable.yaml'), '--timeout', '600']);
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/cloud-tcp\s+tcp\s+cloud\.egress\.test:\d+\s+reachable/);
    expect(r.out).toMatch(/closed-tcp\s+tcp\s+127\.77\.17\.4:\d+\s+unreachable/);
    expect(r.out).toMatch(/quiet-udp\s+udp\s+127\.77\.17\.4:\d+\s+inconclusive/);
    expect(r.out).toMatch(/Network "Camera-net" is recorded as isolated: claim contradicted/);
    expect(r.out).toMatch(/- cloud-https \(https cloud\.egress\.test:\d+\) is reachable/);

    const rows = isolationRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ device_id: null, source: 'verify-isolation', kind: 'isolation' });
    const payload = JSON.parse(rows[0]!.payload_json);
    expect(payload).toMatchObject({
      networkId: networkId('Camera-net'), networkName: 'Camera-net', claimed: 'isolated',
      verdict: { outcome: 'contradicted' }, p2pDevices: [], resolver: `${DNS_HOST}:${lab.dns.port}`,
    });
    expect(typeof payload.host).toBe('string');
    expect(payload.checks).toHaveLength(12);
    expect(r.out).toContain('Recorded as observation');
    // The stored evidence reads in Dutch too.
    expect(payload.verdict.nl).toMatchObject({ summary: 'de bewering klopt niet', reasons: expect.arrayContaining([expect.stringMatching(/^cloud-tcp \(tcp cloud\.egress\.test:\d+\) is bereikbaar: verbonden met /)]) });
    expect(payload.checks[0].nl.detail).toBe(`wordt omgezet naar ${SERVICE_HOST}`);
  });

  it('prints the result in Dutch with --lang nl', async () => {
    const r = await cli(['--db', db, '--lang', 'nl', 'verify-isolation', '--network', 'camera-net', '--endpoints', join(dir, 'reachable.yaml'), '--timeout', '600']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^eindpunt\s+protocol\s+doel\s+resultaat\s+ms\s+toelichting$/m);
    expect(r.out).toMatch(/cloud-tcp\s+tcp\s+cloud\.egress\.test:\d+\s+bereikbaar\s+\d+\s+verbonden met 127\.77\.17\.2:\d+/);
    expect(r.out).toMatch(/closed-tcp\s+tcp\s+127\.77\.17\.4:\d+\s+onbereikbaar\s+\d+\s+verbinding geweigerd/);
    expect(r.out).toMatch(/quiet-udp\s+udp\s+127\.77\.17\.4:\d+\s+niet eenduidig\s+geen antwoord binnen 600 ms/);
    expect(r.out).toContain('Geen apparaat in dit netwerk meldt in zijn laatste scan een verbinding met de cloud van de fabrikant.');
    expect(r.out).toContain('Netwerk "Camera-net" staat in het register als gesloten netwerk: de bewering klopt niet');
    expect(r.out).toMatch(/- cloud-https \(https cloud\.egress\.test:\d+\) is bereikbaar: TLS-handshake met 127\.77\.17\.2:\d+ voltooid/);
    expect(r.out).toMatch(/Vastgelegd als waarneming [0-9a-f-]{36} \(/);
    expect(r.out).not.toMatch(/reachable|claim|Recorded/);

    const supported = await cli(['--db', db, 'verify-isolation', '--network', 'Camera-net', '--endpoints', join(dir, 'closed.json'), '--timeout', '400', '--no-save'], { CAMAUDIT_LANG: 'nl' });
    expect(supported.out).toContain('Netwerk "Camera-net" staat in het register als gesloten netwerk: de bewering wordt door deze controles ondersteund');
    expect(supported.out).toMatch(/- 2 van de 3 controles vonden het eindpunt onbereikbaar; geen enkel eindpunt was bereikbaar/);
    expect(supported.out).toContain('- 1 van de 3 controles gaven geen eenduidig antwoord: quiet-udp');
    expect(supported.out).toContain('Niet vastgelegd (--no-save).');
  });

  it('supports the claim when nothing is reachable, exits 0, and prints the full result with --json', async () => {
    const r = await cli(['--db', db, '--json', 'verify-isolation', '--network', 'Camera-net', '--endpoints', join(dir, 'closed.json'), '--timeout', '400']);
    expect(r.code).toBe(EXIT.ok);
    const result = JSON.parse(r.out);
    expect(result.verdict).toMatchObject({ claimed: 'isolated', outcome: 'supported' });
    expect(result.checks.map((c: CheckResult) => [c.name, c.result])).toEqual([
      ['unknown-dns', 'unreachable'], ['closed-tcp', 'unreachable'], ['quiet-udp', 'inconclusive'],
    ]);
    expect(result.network).toMatchObject({ id: networkId('Camera-net'), connectivity: 'isolated', remoteAccess: 'none' });
    expect(isolationRows().map((row) => row.id)).toEqual([result.observationId]);
  });

  it('stores nothing with --no-save', async () => {
    const r = await cli(['--db', db, 'verify-isolation', '--network', 'Camera-net', '--endpoints', join(dir, 'closed.json'), '--timeout', '400', '--no-save']);
    expect(r.code).toBe(EXIT.ok);
    expect(r.out).toMatch(/claim supported by these checks/);
    expect(r.out).toContain('Not recorded (--no-save).');
    expect(isolationRows()).toEqual([]);
  });

  it('lists the devices of the network whose latest scan reports a vendor cloud link, and contradicts on them', async () => {
    const devices = JSON.parse((await cli(['--db', db, '--json', 'devices', 'list'])).out) as { id: string; ip: string }[];
    const id = (ip: string) => devices.find((d) => d.ip === ip)!.id;
    const store = await openStore(db);
    try {
      const org = await store.db.selectFrom('organisations').select('id').executeTakeFirstOrThrow();
      const scope = { orgId: org.id, actor: 'cli:test', source: 'scan' };
      const fact = { fact: 'vendor_cloud', detail: 'sadp.cloud=true (Hik-Connect enabled)', source: 'scan:sadp' };
      await insertObservations(store.db, scope, [
        { deviceId: id('10.20.0.11'), source: 'scan', observedAt: '2025-01-01T10:00:00Z', kind: 'risk_fact', payload: fact, scanRunId: 'run-1' },
        { deviceId: id('10.20.0.11'), source: 'scan', observedAt: '2025-02-01T10:00:00Z', kind: 'risk_fact', payload: { fact: 'telnet_open', detail: 'port 23 open', source: 'scan:sweep' }, scanRunId: 'run-2' },
        { deviceId: id('10.20.0.12'), source: 'scan', observedAt: '2025-02-01T10:00:00Z', kind: 'risk_fact', payload: fact, scanRunId: 'run-2' },
        { deviceId: id('10.30.0.5'), source: 'scan', observedAt: '2025-02-01T10:00:00Z', kind: 'risk_fact', payload: fact, scanRunId: 'run-2' },
      ]);
    } finally {
      await store.close();
    }
    const r = await cli(['--db', db, '--json', 'verify-isolation', '--network', 'Camera-net', '--endpoints', join(dir, 'closed.json'), '--timeout', '400']);
    expect(r.code).toBe(1);
    const result = JSON.parse(r.out);
    expect(result.p2pDevices).toEqual([expect.objectContaining({ id: id('10.20.0.12'), ip: '10.20.0.12', brand: 'Dahua', scanRunId: 'run-2' })]);
    expect(result.verdict.outcome).toBe('contradicted');
    expect(result.verdict.reasons[0]).toMatch(/device 10\.20\.0\.12 .*Hik-Connect enabled/);

    const text = await cli(['--db', db, 'verify-isolation', '--network', 'Camera-net', '--endpoints', join(dir, 'closed.json'), '--timeout', '400', '--no-save']);
    expect(text.out).toMatch(/Devices whose latest scan reports a vendor cloud link:[\s\S]*10\.20\.0\.12\s+Dahua/);
    const dutch = await cli(['--db', db, '--lang', 'nl', 'verify-isolation', '--network', 'Camera-net', '--endpoints', join(dir, 'closed.json'), '--timeout', '400', '--no-save']);
    expect(dutch.out).toMatch(/Apparaten die in hun laatste scan een verbinding met de cloud van de fabrikant melden:\n\s*apparaat\s+ip\s+merk\s+model\s+bewijs\s+waargenomen\n.*10\.20\.0\.12\s+Dahua/);
    expect(dutch.out).toContain('- apparaat 10.20.0.12 (Dahua IPC-HFW2431S) meldt in zijn laatste scan een verbinding met de cloud van de fabrikant: sadp.cloud=true (Hik-Connect enabled)');
  });

  it('refuses an unknown network, listing the known ones, and a bad endpoints file, naming the entry', async () => {
    const unknown = await cli(['--db', db, 'verify-isolation', '--network', 'Parking-net', '--endpoints', join(dir, 'closed.json')]);
    expect(unknown.code).toBe(EXIT.notFound);
    expect(unknown.err).toMatch(/no network named "Parking-net" \(known: "Camera-net", "Office-net"\)/);

    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'endpoints:\n  - { name: hik-connect, host: cloud.egress.test, protocol: tcp }\n');
    const refused = await cli(['--db', db, 'verify-isolation', '--network', 'Camera-net', '--endpoints', bad]);
    expect(refused.code).toBe(EXIT.invalidInput);
    expect(refused.err).toMatch(/bad\.yaml: entry 1 \("hik-connect"\) field "port": a tcp check needs a port/);
    expect(isolationRows()).toEqual([]);

    const missing = await cli(['--db', db, 'verify-isolation', '--network', 'Camera-net', '--endpoints', join(dir, 'none.yaml')]);
    expect(missing.code).toBe(EXIT.notFound);
    expect(missing.err).toMatch(/cannot read endpoints file .*none\.yaml/);
  });
});
