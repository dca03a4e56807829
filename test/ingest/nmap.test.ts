import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCapture } from '../../src/core/identify/parse/detect.js';
import type { Signal } from '../../src/core/identify/signals.js';
import { foundDevice } from '../../src/discover/found.js';
import { captureBytes, type Capture } from '../../src/discover/probe.js';
import type { HostResult } from '../../src/discover/result.js';
import { readNmapXml } from '../../src/ingest/nmap.js';
import { loadIdentifier, type Identifier } from '../../src/kb/knowledge.js';
import { cli } from '../helpers/cli.js';

const FIX = join(import.meta.dirname, '..', 'fixtures');
const LIBNMAP = join(FIX, 'nmap', 'nmap-fullscan-lan-libnmap.xml');
const LAB = join(FIX, 'nmap', 'nmap-7.93-camera-lab.xml');
const XXE = join(FIX, 'hostile', 'xxe-external-entity.xml');

const read = (file: string) => readNmapXml(readFileSync(file), file);
const host = (hosts: HostResult[], ip: string) => hosts.find((h) => h.ip === ip)!;
const signalsOf = (c: Capture): Signal[] => parseCapture(captureBytes(c), c.protocol, c.probe, c.hint ? { hint: c.hint } : {});
const byProbe = (h: HostResult, probe: string, port?: number) => h.captures.filter((c) => c.probe === probe && (port === undefined || c.port === port));

/** A report written the way nmap writes one, around the given host elements. */
function report(body: string, start = ' start="1399584985"'): Buffer {
  return Buffer.from(`<?xml version="1.0"?>\n<nmaprun scanner="nmap" args="nmap -sV" version="7.94"${start} xmloutputversion="1.05">${body}</nmaprun>\n`);
}

let identifier: Identifier;
beforeAll(async () => {
  identifier = await loadIdentifier();
});

describe('readNmapXml: nmap 6.40 (python-libnmap fullscan.xml)', () => {
  const scan = read(LIBNMAP);

  it('reads the run and keeps only the hosts that were up', () => {
    expect(scan).toMatchObject({
      scanner: 'nmap', version: '6.40-2', args: 'nmap -A -vv -oX fullscan.xml 192.168.1.0/24',
      startedAt: '2014-05-08T21:36:25.000Z', finishedAt: '2014-05-08T21:37:30.000Z',
    });
    expect(scan.hosts.map((h) => h.ip)).toEqual(['192.168.1.1', '192.168.1.4']);
    expect(host(scan.hosts, '192.168.1.1').openPorts).toEqual([23, 80, 443, 992, 8080, 8443]);
    expect(host(scan.hosts, '192.168.1.4').openPorts).toEqual([22, 80, 111]);
    expect(scan.hosts.every((h) => h.mac === null)).toBe(true);
  });

  it('turns scripts and unrecognised answers into captures the parsers read, dated by the host', () => {
    const router = host(scan.hosts, '192.168.1.1');
    expect(router.captures.every((c) => c.at === '2014-05-08T21:37:30.000Z')).toBe(true);
    const [cert] = byProbe(router, 'nmap:ssl-cert', 443);
    expect(cert).toMatchObject({ protocol: 'tls', transport: 'tls', request: 'nmap --script ssl-cert' });
    expect(signalsOf(cert!)[0]!.fields).toMatchObject({ subject_cn: 'ORname_Jungo: OpenRG Products Group', issuer_cn: 'ORname_Jungo: OpenRG Products Group' });
    expect(signalsOf(byProbe(router, 'nmap:http-title', 80)[0]!)[0]!.fields).toEqual({ title: 'Belgacom' });
    // nmap did not recognise the web server, so its fingerprint holds the device's own answers.
    const answers = byProbe(router, 'nmap:service-fingerprint', 80);
    expect(answers.map((c) => c.request)).toEqual(['nmap -sV probe GetRequest', 'nmap -sV probe HTTPOptions']);
    expect(signalsOf(answers[1]!)[0]!.fields).toMatchObject({ status: '501', title: '501 Not Implemented' });
    expect(signalsOf(byProbe(router, 'nmap:service', 23)[0]!)[0]!.fields).toEqual({ manufacturer: 'Sagem' });
  });

  it('does not take a software product (Apache, OpenSSH) for the device maker', () => {
    const linux = host(scan.hosts, '192.168.1.4');
    expect(linux.captures).toEqual([]);
    expect(foundDevice(linux, identifier.knowledge)).toMatchObject({ manufacturer: null, ports: [22, 80, 111], unreadable: 0 });
  });
});

describe('readNmapXml: nmap 7.93 against emulated cameras (netns with vendor MACs)', () => {
  const scan = read(LAB);

  it('accepts nmap 7\'s bare <!DOCTYPE nmaprun> and skips the down address', () => {
    expect(readFileSync(LAB, 'utf8').split('\n')[1]).toBe('<!DOCTYPE nmaprun>');
    expect(scan.version).toBe('7.93');
    expect(scan.hosts.map((h) => h.ip).sort()).toEqual(['10.231.77.11', '10.231.77.12', '10.231.77.13']);
  });

  it('keeps MAC addresses with the vendor nmap named, and the open TCP ports', () => {
    expect(host(scan.hosts, '10.231.77.11')).toMatchObject({ mac: '28:57:be:0a:11:01', macVendor: 'Hangzhou Hikvision Digital Technology', openPorts: [23, 80, 443, 554] });
    expect(host(scan.hosts, '10.231.77.12')).toMatchObject({ mac: '00:1f:54:0a:12:01', macVendor: 'Lorex Technology', openPorts: [80, 554] });
    expect(host(scan.hosts, '10.231.77.13')).toMatchObject({ mac: '00:40:8c:0a:13:01', macVendor: 'Axis Communications AB', openPorts: [80, 443] });
  });

  it('keeps a camera-relevant capture for every host', () => {
    const hik = host(scan.hosts, '10.231.77.11');
    // The banner script escapes bytes and wraps lines ("logi\nn:"); the device's bytes come back.
    expect(signalsOf(byProbe(hik, 'nmap:banner', 23)[0]!)[0]!.fields).toEqual({ banner: '192.0.0.64 login:' });
    expect(signalsOf(byProbe(hik, 'nmap:http-server-header', 80)[0]!)[0]!.fields).toEqual({ server: 'App-webs/' });
    expect(signalsOf(byProbe(hik, 'nmap:rtsp-methods', 554)[0]!)[0]!.fields).toEqual({ public: 'OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN, PAUSE' });
    expect(signalsOf(byProbe(hik, 'nmap:ssl-cert', 443)[0]!)[0]!.fields).toMatchObject({ subject_o: 'HIKVISION', subject_cn: 'www.hikvision.com' });
    expect(byProbe(hik, 'nmap:http-favicon', 80)[0]).toMatchObject({ hint: 'favicon_md5', content: 'fd59bef57e22aa16b2ad4bae27dd5ea2' });

    const lorex = host(scan.hosts, '10.231.77.12');
    expect(signalsOf(byProbe(lorex, 'nmap:service-fingerprint', 80)[0]!)[0]!.fields).toMatchObject({ status: '401', realm: 'Login to ND011811000000' });
    // rtsp-methods failed on this server: nmap's error is not taken for an answer.
    expect(byProbe(lorex, 'nmap:rtsp-methods')).toEqual([]);
    expect(byProbe(lorex, 'nmap:service', 554)[0]).toMatchObject({ protocol: 'text', content: 'manufacturer: Dahua', request: 'nmap -sV service detection: name="rtsp" product="Dahua IP camera rtspd"' });

    const axis = host(scan.hosts, '10.231.77.13');
    expect(signalsOf(byProbe(axis, 'nmap:wsdd-discover', 3702)[0]!)[0]!.fields).toMatchObject({
      types: 'n:NetworkVideoTransmitter tds:Device', xaddrs: 'http://10.231.77.13/onvif/device_service',
    });
    expect(byProbe(axis, 'nmap:wsdd-discover')[0]!.transport).toBe('udp');
  });

  it('identifies every camera from what nmap saw, with no unreadable capture', () => {
    const found = scan.hosts.map((h) => foundDevice(h, identifier.knowledge)!);
    expect(found.map((d) => [d.ip, d.manufacturer, d.unreadable]).sort()).toEqual([
      ['10.231.77.11', 'hikvision', 0], ['10.231.77.12', 'dahua', 0], ['10.231.77.13', 'axis', 0],
    ]);
    const rules = (ip: string) => found.find((d) => d.ip === ip)!.evidence.map((e) => e.rule);
    expect(rules('10.231.77.11')).toEqual(expect.arrayContaining([
      'fingerprint:hikvision-http-server-app-webs', 'fingerprint:hikvision-telnet-factory-ip', 'fingerprint:hikvision-tls-organisation',
    ]));
    // The Lorex-branded recorder is Dahua's by the realm in nmap's service fingerprint.
    expect(rules('10.231.77.12')).toContain('fingerprint:dahua-www-authenticate-login-to-serial');
    expect(rules('10.231.77.13')).toEqual(expect.arrayContaining(['fingerprint:axis-http-title', 'fingerprint:axis-tls-organisation']));
  });
});

describe('readNmapXml: output of other nmap versions and scripts', () => {
  it('reads certificate names and Server headers that older versions only printed', () => {
    const scan = readNmapXml(report(`<host><status state="up"/><address addr="10.0.0.5" addrtype="ipv4"/><ports>
<port protocol="tcp" portid="443"><state state="open"/><service name="https" tunnel="ssl"/>
<script id="ssl-cert" output="Subject: commonName=www.hikvision.com/organizationName=HIKVISION/countryName=CN&#xa;Issuer: commonName=www.hikvision.com/organizationName=HIKVISION/countryName=CN&#xa;Public Key type: rsa"/>
<script id="http-server-header" output="DNVRS-Webs"/></port>
<port protocol="tcp" portid="23"><state state="open"/><service name="telnet" product="Axis 2100 Network Camera telnetd"><cpe>cpe:/h:axis:2100_network_camera</cpe></service></port>
</ports></host>`), 'old.xml');
    const h = scan.hosts[0]!;
    expect(h.captures.every((c) => c.at === '2014-05-08T21:36:25.000Z')).toBe(true);
    expect(signalsOf(byProbe(h, 'nmap:ssl-cert')[0]!)[0]!.fields).toMatchObject({ subject: 'CN=www.hikvision.com, O=HIKVISION, C=CN', issuer_o: 'HIKVISION' });
    expect(byProbe(h, 'nmap:http-server-header')[0]).toMatchObject({ content: 'DNVRS-Webs', hint: 'server', transport: 'tls' });
    // A hardware CPE names the maker in nmap's spelling.
    expect(byProbe(h, 'nmap:service', 23)[0]!.content).toBe('manufacturer: axis');
    expect(foundDevice(h, identifier.knowledge)!.manufacturer).toBe('hikvision');
  });

  it('attaches broadcast-wsdd-discover responders to their addresses (nmap\'s documented output)', () => {
    const printed = readFileSync(join(FIX, 'devices', 'onvif', 'various-noncamera-wsd-printer-windows-nmap-output.txt'), 'utf8')
      .split('\n').filter((l) => l.startsWith('-- |')).slice(1).map((l) => l.replace(/^-- \|_?/, '')).join('&#xa;');
    const scan = readNmapXml(report(`<prescript><script id="broadcast-wsdd-discover" output="${printed}"/></prescript>
<host><status state="up"/><address addr="1.2.3.116" addrtype="ipv4"/><ports><port protocol="tcp" portid="80"><state state="open"/></port></ports></host>`), 'wsdd.xml');
    expect(scan.hosts.map((h) => h.ip)).toEqual(['1.2.3.116', '1.2.3.131', '1.2.3.110']);
    const printer = host(scan.hosts, '1.2.3.116');
    expect(printer.openPorts).toEqual([80]);
    expect(printer.captures[0]).toMatchObject({ probe: 'nmap:broadcast-wsdd-discover', transport: 'multicast', port: 3702 });
    expect(signalsOf(printer.captures[0]!)[0]!.fields).toMatchObject({ types: 'Device wprt:PrintDeviceType', xaddrs: 'http://1.2.3.116:50000' });
    // The WCF section lists Windows services, not devices.
    expect(host(scan.hosts, '1.2.3.131').captures).toHaveLength(1);
  });

  it('refuses a host address that is not an IP address', () => {
    const odd = report('<host><status state="up"/><address addr="10.0.0.5&lt;img&gt;" addrtype="ipv4"/></host>');
    expect(() => readNmapXml(odd, 'odd.xml')).toThrow(expect.objectContaining({ code: 'invalid_input', message: expect.stringMatching(/is not an IP address/) }));
  });

  it('refuses a report that cannot be dated', () => {
    const undated = report('<host><status state="up"/><address addr="10.0.0.5" addrtype="ipv4"/></host>', '');
    expect(() => readNmapXml(undated, 'undated.xml')).toThrow(expect.objectContaining({ code: 'invalid_input', location: { file: 'undated.xml' } }));
  });
});

describe('readNmapXml: refusals', () => {
  it('refuses the external-entity file with hostile_input, expanding nothing', () => {
    expect(() => readNmapXml(readFileSync(XXE), XXE)).toThrow(expect.objectContaining({ code: 'hostile_input', location: expect.objectContaining({ file: XXE }) }));
  });

  it('refuses every DOCTYPE but nmap\'s own, and never reads the file an entity points at', () => {
    const secret = join(FIX, 'nmap', 'SOURCE.md');
    const doctypes = [
      `<!DOCTYPE nmaprun [<!ENTITY x SYSTEM "file://${secret}">]>`,
      `<!DOCTYPE nmaprun SYSTEM "file://${secret}">`,
      '<!DOCTYPE nmaprun PUBLIC "-//IDN nmap.org//DTD Nmap XML 1.04//EN" "http://127.0.0.1/evil.dtd">',
      '<!DOCTYPE nmaprun>\n<!DOCTYPE nmaprun [<!ENTITY y "z">]>',
    ];
    for (const doctype of doctypes) {
      const xml = Buffer.from(`<?xml version="1.0"?>\n${doctype}\n<nmaprun start="1"><host><address addr="10.0.0.1"/><hostnames><hostname name="&x;"/></hostnames></host></nmaprun>`);
      let error: unknown;
      try {
        readNmapXml(xml, 'evil.xml');
      } catch (err) {
        error = err;
      }
      expect(error).toMatchObject({ code: 'hostile_input', location: { file: 'evil.xml' } });
      expect((error as Error).message).not.toContain('nmap XML fixtures');
    }
    const own = '<!DOCTYPE nmaprun PUBLIC "-//IDN nmap.org//DTD Nmap XML 1.04//EN" "https://svn.nmap.org/nmap/docs/nmap.dtd">';
    expect(readNmapXml(Buffer.from(`<?xml version="1.0"?>\n${own}\n<nmaprun start="1"/>`), 'ndiff.xml').hosts).toEqual([]);
  });

  it('refuses a truncated report with invalid_input naming the file and line', () => {
    const whole = readFileSync(LIBNMAP);
    expect(() => readNmapXml(whole.subarray(0, Math.floor(whole.length / 2)), 'cut.xml'))
      .toThrow(expect.objectContaining({ code: 'invalid_input', location: expect.objectContaining({ file: 'cut.xml', row: expect.any(Number) }) }));
  });

  it('refuses XML that is not an nmap report, and oversize input before parsing', () => {
    expect(() => readNmapXml(Buffer.from('<root/>'), 'other.xml')).toThrow(expect.objectContaining({ code: 'invalid_input', message: expect.stringMatching(/not an nmap XML report/) }));
    expect(() => readNmapXml(readFileSync(LIBNMAP), 'big.xml', 1000)).toThrow(expect.objectContaining({ code: 'hostile_input', location: { file: 'big.xml' } }));
  });
});

describe('camaudit import of an nmap report', () => {
  it('reports the run in Dutch with --lang nl', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'camaudit-nmap-')), 'camaudit.db');
    const dry = await cli(['--db', db, '--lang', 'nl', 'import', '--dry-run', LAB]);
    expect(dry.out.split('\n')[0]).toBe(`${LAB}: nmap-rapport, 3 hosts, 3 geïdentificeerd`);
    expect(dry.out).toMatch(/^proefimport: er is niets opgeslagen$/m);

    const imported = await cli(['--db', db, 'import', LAB], { CAMAUDIT_LANG: 'nl' });
    expect(imported.code).toBe(0);
    expect(imported.out).toMatch(/10\.231\.77\.11\s+hikvision/);
    expect(imported.out).toMatch(new RegExp(`^${LAB}: register: 3 ontdekt \\(nog niet geplaatst\\), 0 bijgewerkt, 0 ongewijzigd; scanrun [0-9a-f-]{36}$`, 'm'));
    expect(imported.out).not.toMatch(/identified|discovered/);
  });
});
