import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectProtocol, hintFromName, parseCapture } from '../../../../src/core/identify/parse/detect.js';
import { SIGNAL_FIELDS, type Protocol } from '../../../../src/core/identify/signals.js';

const DEVICES = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'devices');
const bytes = (rel: string) => readFileSync(join(DEVICES, rel));

// Every fixture file and what it is detected as (null: not a capture camaudit reads). The file
// name is passed too: bare values (a banner, a realm) only say what they are through it.
const EXPECTED: Readonly<Record<string, Protocol | null>> = {
  'MANIFEST.tsv': null,
  'dahua-cgi/dahua-getsoftwareversion.txt': 'dahua_cgi',
  // `type=…` alone is what any label file says; it is read as text (the model still identifies it).
  'dahua-cgi/dahua-ipc-hdw5831r-ze-getdevicetype.txt': 'text',
  'dahua-cgi/dahua-ipc-hdw5831r-ze-getsysteminfo.txt': 'dahua_cgi',
  'dhip/dahua-dhip-anonymised-universalscanner.bin': 'dhip',
  'dhip/dahua-hcvr-shadowserver.csv': 'dhip',
  'dhip/dahua-ipc-hdw1431t1-s4-notifydevinfo.json': 'dhip',
  'dvrip/dahua-dvrip-discovery-5050-anonymised-universalscanner.bin': 'dvrip',
  'http/axis-dhcp-vendor-class.txt': 'text',
  'http/axis-upnp-server-header.txt': 'http',
  'http/hanwha-html-title.txt': 'http',
  'http/hikvision-favicon-md5.txt': 'http',
  'http/hikvision-server-header.txt': 'http',
  'http/hikvision-telnet-banner.txt': 'telnet',
  'http/hikvision-wwwauth.txt': 'http',
  'http/lorex-nr900-wwwauth.txt': 'http',
  'http/xiongmai-html-title.txt': 'http',
  'http/xiongmai-uc-httpd-server-header.txt': 'http',
  'isapi/hikvision-ds-2cd2386g2-iu-deviceinfo.json': 'isapi',
  'isapi/hikvision-ds-2cd2386g2-iu-deviceinfo.xml': 'isapi',
  'isapi/hikvision-ds-2cd2t46g2-isu-deviceinfo.json': 'isapi',
  'isapi/hikvision-ds-7608nxi-i2-deviceinfo.json': 'isapi',
  'isapi/hikvision-ds-7616ni-k2-deviceinfo.json': 'isapi',
  'isapi/hikvision-ds-7616ni-k2-inputproxy-channels.json': 'isapi',
  'isapi/hikvision-ds-7732ni-m4-inputproxy-channels.json': 'isapi',
  'isapi/hikvision-ids-7204huhi-m1-deviceinfo.json': 'isapi',
  'mdns/arecont-mdns-anonymised.bin': 'mdns',
  'mdns/google-googlecast-mdns-anonymised-noncamera.bin': 'mdns',
  'nmap/multiple-nmap-service-probes-camera-excerpt.txt': null,
  'onvif/canon-vb-s30d-getdeviceinformation.json': 'onvif',
  'onvif/dahua-getcapabilities.xml': 'onvif',
  'onvif/dahua-getsnapshoturi.xml': 'onvif',
  'onvif/dahua-getstreamuri.xml': 'onvif',
  'onvif/flir-cm3102-scopes.json': 'onvif',
  'onvif/geovision-gv-unp2500-scopes.json': 'onvif',
  'onvif/hikvision-getnetworkinterfaces.xml': 'onvif',
  // These two hold the README's JavaScript, not the output the manifest describes.
  'onvif/multiple-canon-sony-panasonic-discovery-nodeonvif.txt': null,
  'onvif/panasonic-bb-sc384b-probe-parsed-nodeonvif.json': null,
  'onvif/panasonic-wv-v1330lk-scopes.json': 'onvif',
  'onvif/std-fi710-l-scopes.json': 'onvif',
  'onvif/tplink-c200-getscopes.yaml': 'onvif',
  'onvif/tplink-c200-probematch.xml': 'onvif',
  'onvif/unknown-mstar-ipnc-scopes.json': 'onvif',
  'onvif/unknown-probematch-template-vicmaeg.xml': 'onvif',
  'onvif/unknown-wsdiscovery-anonymised-universalscanner.xml': 'onvif',
  'onvif/various-noncamera-wsd-printer-windows-nmap-output.txt': null,
  'oui/multiple-camiocam-paths.csv': null,
  'oui/multiple-nmap-mac-prefixes-camera-vendors.txt': null,
  'recog/LICENSE': null,
  'rtsp/avigilon-rtsp-server-header.txt': 'rtsp',
  'rtsp/dahua-rtsp-server-header.txt': 'rtsp',
  'rtsp/foscam-hiipcam-rtsp-server-header.txt': 'rtsp',
  'rtsp/hipcam-rtsp-server-header.txt': 'rtsp',
  'rtsp/tplink-mercury-describe-sdp.txt': 'rtsp',
  'rtsp/unknown-cv-rtsphandler-describe-sdp.txt': 'rtsp',
  'rtsp/unknown-live555-ipcamera-describe-sdp.txt': 'rtsp',
  'rtsp/unknown-rtspserver-describe-sdp.txt': 'rtsp',
  'sadp/hikvision-ds-2cd2320d-i-probematch.xml': 'sadp',
  'ssdp/unknown-ssdp-notify-anonymised-universalscanner.txt': 'http',
  'tls/axis-x509-subject.txt': 'tls',
  'tls/bosch-x509-issuer.txt': 'tls',
  'tls/bosch-x509-subject.txt': 'tls',
  'tls/hikvision-dvrnvr-x509-subject.txt': 'tls',
  'vendor-discovery/360vision-discovery-anonymised.bin': null,
  'vendor-discovery/advantech-discovery-anonymised-noncamera.bin': null,
  'vendor-discovery/bosch-discovery-bin-anonymised.bin': null,
  'vendor-discovery/bosch-discovery-xml-anonymised.xml': null,
  'vendor-discovery/cyberpower-ups-discovery-anonymised-noncamera.bin': null,
  'vendor-discovery/eaton-ups-discovery-anonymised-noncamera.xml': null,
  'vendor-discovery/foscam-discovery-anonymised.bin': null,
  'vendor-discovery/gigevision-discovery-anonymised.bin': null,
  'vendor-discovery/lantronix-discovery-anonymised-noncamera.bin': null,
  // "Virtual" + a MAC: reads as a one-word label, the weakest kind of signal.
  'vendor-discovery/microchip-discovery-anonymised-noncamera.txt': 'text',
  'vendor-discovery/multiple-protocol-catalogue-universalscanner.html': 'http',
  'vendor-discovery/nicevision-discovery-anonymised.bin': null,
  'vendor-discovery/vstarcam-discovery-anonymised.bin': null,
};

// recog databases and the fingerprint elements kept beside the banner files: reference data.
const isReferenceXml = (rel: string) => /^recog\/.*\.xml$|\.recog\.xml$/.test(rel);

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(join(dir, e.name)) : [join(dir, e.name)]));
}
const ALL = listFiles(DEVICES).map((f) => relative(DEVICES, f).split('\\').join('/')).sort();

describe('detectProtocol', () => {
  it('has an expectation for every fixture file', () => {
    expect(ALL.filter((f) => !isReferenceXml(f) && !(f in EXPECTED))).toEqual([]);
  });

  it.each(Object.entries(EXPECTED))('%s → %s', (rel, protocol) => {
    expect(detectProtocol(bytes(rel), rel)).toBe(protocol);
  });

  it.each(ALL.filter(isReferenceXml))('%s (reference XML) → null', (rel) => {
    expect(detectProtocol(bytes(rel), rel)).toBeNull();
  });

  it('detects from content alone where the content says it', () => {
    const cases: [string, Protocol | null][] = [
      ['Server: App-webs/', 'http'],
      ['WWW-Authenticate: Basic realm="hikvision"', 'http'],
      ['HTTP/1.1 200 OK\r\nServer: Hikvision-Webs\r\n\r\n', 'http'],
      ['RTSP/1.0 200 OK\r\nServer: Dahua Rtsp Server\r\n\r\n', 'rtsp'],
      ['44-47-cc-37-ce-81', 'mac'],
      ['89b932fcc47cf4ca3faadb0cfdef89cf', 'http'],
      ['Basic realm="hikvision"', 'http'],
      ['192.0.0.64 login:', 'telnet'],
      ['CN=www.hikvision.com,OU=DVRNVR,O=HIKVISION', 'tls'],
      ['Hikvision DS-2CD2386G2-IU', 'text'],
      ['brand=Hikvision, model=DS-2CD2386G2-IU', 'text'],
      ['', null],
    ];
    for (const [content, protocol] of cases) expect([content, detectProtocol(Buffer.from(content))]).toEqual([content, protocol]);
  });

  it('sees through a saved HTTP head to the API answer in the body', () => {
    const xml = bytes('isapi/hikvision-ds-2cd2386g2-iu-deviceinfo.xml').toString('utf8');
    const response = Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\n\r\n${xml}`);
    expect(detectProtocol(response)).toBe('isapi');
    expect(parseCapture(response, undefined, 'curl.txt')[0]?.fields['model']).toBe('DS-2CD2386G2-IU');
    const cgi = Buffer.from('HTTP/1.1 200 OK\r\nContent-Type: text/plain;charset=utf-8\r\n\r\ndeviceType=IPC-HDW5831R-ZE\r\nprocessor=S3LM\r\n');
    expect(parseCapture(cgi, undefined, 'cgi.txt')).toEqual([{ protocol: 'dahua_cgi', source: 'cgi.txt', fields: { device_type: 'IPC-HDW5831R-ZE', processor: 'S3LM' } }]);
  });

  it('reads a label file with generic keys as text, not as Dahua CGI', () => {
    expect(detectProtocol(Buffer.from('merk=Axis\ntype=P3245-LVE\n'))).toBe('text');
    expect(detectProtocol(Buffer.from('brand=Axis\nmodel=P3245-LVE\nversion=10.12.114\n'))).toBe('text');
    expect(detectProtocol(Buffer.from('version=2.800.0000016.0.R,build:2020-06-05\n'))).toBe('dahua_cgi');
  });
});

describe('parseCapture', () => {
  it.each(Object.entries(EXPECTED).filter(([, p]) => p !== null))('%s gives signals within SIGNAL_FIELDS', (rel, protocol) => {
    const signals = parseCapture(bytes(rel), undefined, rel);
    expect(signals.length).toBeGreaterThan(0);
    for (const signal of signals) {
      expect(signal.protocol).toBe(protocol);
      expect(signal.source.startsWith(rel)).toBe(true);
      expect(SIGNAL_FIELDS[signal.protocol]).toEqual(expect.arrayContaining(Object.keys(signal.fields)));
      for (const value of Object.values(signal.fields)) expect(value).toBe(value.trim());
    }
  });

  it('takes the field of a bare value from the hint, else from the source name', () => {
    const title = Buffer.from('Hanwha Techwin');
    expect(parseCapture(title, 'http', 'value.txt')[0]?.fields).toEqual({ server: 'Hanwha Techwin' });
    expect(parseCapture(title, 'http', 'value.txt', { hint: 'title' })[0]?.fields).toEqual({ title: 'Hanwha Techwin' });
    expect(parseCapture(title, 'http', 'hanwha-html-title.txt')[0]?.fields).toEqual({ title: 'Hanwha Techwin' });
    expect(hintFromName('tls/bosch-x509-issuer.txt')).toBe('issuer');
    expect(hintFromName('dhip/dahua-hcvr-shadowserver.csv')).toBeUndefined();
  });

  it('throws invalid_input naming the source when the content is not the given protocol', () => {
    const sadp = bytes('sadp/hikvision-ds-2cd2320d-i-probematch.xml');
    for (const protocol of ['isapi', 'dhip', 'dvrip', 'dahua_cgi', 'mdns', 'onvif'] as const) {
      expect(() => parseCapture(sadp, protocol, 'sadp-reply.xml'))
        .toThrow(expect.objectContaining({ code: 'invalid_input', message: expect.stringContaining('sadp-reply.xml') }));
    }
    expect(() => parseCapture(bytes('vendor-discovery/foscam-discovery-anonymised.bin'), undefined, 'foscam.bin'))
      .toThrow(expect.objectContaining({ code: 'invalid_input', message: expect.stringContaining('foscam.bin') }));
  });

  it('refuses hostile XML with hostile_input, detected or named', () => {
    const xxe = Buffer.from('<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>\n<DeviceInfo xmlns="http://www.hikvision.com/ver20/XMLSchema"><model>&lol2;</model></DeviceInfo>');
    expect(detectProtocol(xxe)).toBe('isapi');
    expect(() => parseCapture(xxe, undefined, 'lol.xml')).toThrow(expect.objectContaining({ code: 'hostile_input', location: expect.objectContaining({ file: 'lol.xml', row: 2 }) }));
    expect(() => parseCapture(xxe, 'onvif', 'lol.xml')).toThrow(expect.objectContaining({ code: 'hostile_input' }));
    expect(() => parseCapture(xxe, 'sadp', 'lol.xml')).toThrow(expect.objectContaining({ code: 'hostile_input' }));
  });

  it('refuses a capture larger than any protocol answer', () => {
    expect(() => parseCapture(Buffer.alloc(9 * 1024 * 1024, 0x41), 'text', 'huge.txt')).toThrow(expect.objectContaining({ code: 'hostile_input' }));
  });
});

describe('hostile captures', () => {
  // Guards against patterns that backtrack: each of these took tens of seconds before.
  it('reads a page of a hundred thousand unclosed titles at once', () => {
    const page = Buffer.from('HTTP/1.1 200 OK\r\n\r\n<html>' + '<title>'.repeat(150_000));
    expect(parseCapture(page, 'http', 'bomb.html')[0]?.fields['title']).toBeUndefined();
  }, 5_000);

  it('reads a label of a hundred thousand spaces at once', () => {
    expect(() => parseCapture(Buffer.from('a' + ' '.repeat(100_000) + 'b'), 'text', 'spaces.txt')).toThrow(/no brand or model/);
  }, 5_000);
});
