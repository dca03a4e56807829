import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Protocol } from '../../src/core/identify/signals.js';
import { FingerprintSchema, type Fingerprint } from '../../src/kb/fingerprint-schema.js';
import { FingerprintError, checkExample, compileFingerprints, matchField, type Match } from '../../src/kb/fingerprints.js';

const FILE = join(import.meta.dirname, '..', '..', 'kb', 'data', 'fingerprints.yaml');
const raw = (parse(readFileSync(FILE, 'utf8')) as { fingerprints: unknown[] }).fingerprints;
const rules: Fingerprint[] = raw.map((r) => FingerprintSchema.parse(r));
const compiled = compileFingerprints(rules);

// Vendor ids defined by kb/data/vendors.yaml; claims must use these.
const VENDOR_IDS = new Set([
  'hikvision', 'dahua', 'axis', 'bosch', 'hanwha', 'mobotix', 'avigilon', 'milestone', 'panasonic', 'sony', 'canon',
  'geovision', 'flir', 'xiongmai', 'tp-link', 'foscam', 'arecont', 'honeywell', 'vivotek', 'uniview', 'huawei', 'zte', 'hytera',
]);
const ACCUSED = new Set(['hikvision', 'dahua']);

function split(name: string): [Protocol, string] {
  const [protocol, field] = name.split('.') as [Protocol, string];
  return [protocol, field];
}

function makers(matches: Match[]): string[] {
  return [...new Set(matches.flatMap((m) => (m.claims.manufacturer ? [m.claims.manufacturer] : [])))];
}

function match(name: string, value: string): Match[] {
  const [protocol, field] = split(name);
  return matchField(compiled, protocol, field, value);
}

describe('kb/data/fingerprints.yaml', () => {
  it('validates against FingerprintSchema, rule by rule', () => {
    for (const r of raw) {
      const result = FingerprintSchema.safeParse(r);
      expect(result.success, `${(r as { id?: string }).id}: ${result.error?.message}`).toBe(true);
    }
  });

  it('has unique ids and known vendor ids', () => {
    const ids = rules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of rules) {
      if (r.claims.manufacturer !== undefined) expect(VENDOR_IDS, r.id).toContain(r.claims.manufacturer);
    }
  });

  it('compiles every rule', () => {
    expect(compiled.size).toBe(rules.length);
  });
});

describe.each(rules.map((r) => [r.id, r] as const))('fingerprint %s', (_id, rule) => {
  it('matches every example and yields what it expects', () => {
    for (const example of rule.examples) {
      const check = checkExample(rule, example.value, example.expect);
      expect(check.ok, check.message).toBe(true);
    }
  });

  it('is found through the field index, and no example points at a different maker', () => {
    for (const example of rule.examples) {
      for (const name of rule.on) {
        const matches = match(name, example.value);
        expect(matches.map((m) => m.fingerprint.id), `${name}=${example.value}`).toContain(rule.id);
        const others = makers(matches).filter((m) => m !== rule.claims.manufacturer);
        // A rule that names no maker must not let its example be blamed on Hikvision or Dahua.
        const wrong = rule.claims.manufacturer === undefined ? others.filter((m) => ACCUSED.has(m)) : others;
        expect(wrong, `${name}=${example.value}`).toEqual([]);
      }
    }
  });
});

// Look-alikes that must never be attributed to Hikvision or Dahua.
const MODEL_FIELDS = ['onvif.model', 'onvif.hardware', 'isapi.model', 'text.model', 'mdns.model'];
const MODEL_LOOKALIKES = [
  'Axis P1346', 'P1346', 'DCS-930L', 'DCS-5222LB1', 'DS-1100', 'DS918+', 'DS1819+', 'DS-2', 'DS-2CD', 'DS-XXX', 'IPC', 'IPCamera',
  'IP Camera', 'IPC2124LB-SF28KM-G', 'IPC-T620-Z', 'JVSWO708-PO300M2', 'XNO-6080R', 'Tapo C200', 'C200', 'MODEL',
  'MSTAR_IPNC', 'FI710-L', 'CM-3102-11-I', 'NVR', 'NVR301-04S3-P4', 'NVR4XXX', 'NVR16CH-16P-2AI', 'XVR', 'HCVR', 'SD',
  'SD card', 'SDHC', 'SD2C', 'ITC', 'VTO', 'HiWatch', 'Virtual', 'Mockup Model', 'AD410', 'GV-UNP2500', 'WV-V1330LK',
];
const BANNER_LOOKALIKES: Array<[string, string]> = [
  ['http.server', 'Boa/0.94.14rc21'],
  ['http.server', 'lighttpd'],
  ['http.server', 'lighttpd/1.4.35'],
  ['http.server', 'Apache'],
  ['http.server', 'GoAhead-Webs'],
  ['http.server', 'Webs'],
  ['http.server', 'webserver'],
  ['http.server', 'WebServer(IPCamera_Logo)'],
  ['http.server', 'Interlogix-Webs'],
  ['http.server', 'Cross Web Server'],
  ['http.server', 'uc-httpd 1.0.0'],
  ['http.server', 'Linux/4.9.94-axis5, UPnP/1.0, Portable SDK for UPnP devices/1.6.22'],
  ['http.title', 'NETSurveillance WEB'],
  ['http.title', 'DVR Components Download'],
  ['http.title', 'Web Viewer for Samsung DVR'],
  ['http.title', 'Network Video Recorder Login'],
  ['http.www_authenticate', 'Digest realm="Login to the router"'],
  ['http.www_authenticate', 'Digest realm="login to nd011811000000"'],
  ['http.www_authenticate', 'Basic realm="DCS-930L"'],
  ['http.www_authenticate', 'Basic realm="DVR"'],
  ['http.www_authenticate', 'Basic realm="IPCamera Login"'],
  ['http.realm', 'Login to the router'],
  ['rtsp.www_authenticate', 'Basic realm="device"'],
  ['rtsp.server', 'HiIpcam/V100R003 VodServer/1.0.0'],
  ['rtsp.server', 'Hipcam RealServer/V1.0'],
  ['rtsp.server', 'AvigilonOnvifNvt/2.6.0.130'],
  ['rtsp.server', 'H264DVR 1.0'],
  ['rtsp.sdp_session_name', 'Session streamed by "MERCURY RTSP Server"'],
  ['tls.subject', 'CN=axis-accc8ea31abf,O=Axis Communications AB'],
  ['tls.subject', 'CN=TCAM,OU=Security,O=Truen,L=Seoul,ST=Seoul,C=KR'],
  ['tls.subject', 'CN=www.example.com,O=HIKVISION FANS CLUB,C=US'],
  ['tls.issuer', 'SERIALNUMBER=1,CN=00-07-5f-11-11-11,OU=ST-VS,O=Bosch Sicherheitssysteme GmbH,L=Grasbrunn,C=DE'],
  ['telnet.banner', '(none) login:'],
  ['telnet.banner', '192.0.0.640 login:'],
  ['onvif.manufacturer', 'Canon'],
  ['onvif.manufacturer', 'general'],
  ['onvif.manufacturer', 'General Electric'],
  ['onvif.name', 'TP-IPC'],
  ['onvif.name', 'ONVIF_ICAMERA'],
  ['onvif.name', 'STD'],
  ['onvif.name', 'Embedded Net'],
  ['onvif.namespaces', 'http://www.onvif.org/ver10/schema http://www.axis.com/2009/event/topics'],
  ['onvif.namespaces', 'http://www.example.com/www.hikvision.com/'],
  ['mdns.name', 'ARECONT AV 1000-AV334455'],
  ['mdns.service', '_googlecast._tcp.local'],
];

describe('look-alikes are not attributed to Hikvision or Dahua', () => {
  it.each(MODEL_FIELDS.flatMap((f) => MODEL_LOOKALIKES.map((v) => [f, v] as const)))('%s = %s', (name, value) => {
    expect(makers(match(name, value)).filter((m) => ACCUSED.has(m))).toEqual([]);
  });

  it.each(BANNER_LOOKALIKES)('%s = %s', (name, value) => {
    expect(makers(match(name, value)).filter((m) => ACCUSED.has(m))).toEqual([]);
  });

  it('attributes the non-Chinese and other look-alikes to their own makers', () => {
    expect(makers(match('http.server', 'uc-httpd 1.0.0'))).toEqual(['xiongmai']);
    expect(makers(match('rtsp.server', 'AvigilonOnvifNvt/2.6.0.130'))).toEqual(['avigilon']);
    expect(makers(match('tls.subject', 'CN=axis-accc8ea31abf,O=Axis Communications AB'))).toEqual(['axis']);
    expect(makers(match('onvif.name', 'TP-IPC'))).toEqual(['tp-link']);
    const hiipcam = match('rtsp.server', 'HiIpcam/V100R003 VodServer/1.0.0');
    expect(hiipcam.map((m) => m.claims)).toEqual([{ kind: 'camera' }]);
  });
});

describe('cross-field behaviour', () => {
  it('reads certificate names in either component order and with spaces', () => {
    const openssl = 'C = CN, ST = ZheJiang, L = HangZhou, O = HIKVISION, OU = DVRNVR, CN = www.hikvision.com';
    expect(makers(match('tls.subject', openssl))).toEqual(['hikvision']);
  });

  it('does not treat a camera listed by a Hikvision NVR as Hikvision because of the list', () => {
    expect(match('isapi.model', 'JVSWO708-PO300M2')).toEqual([]);
    expect(makers(match('isapi.model', 'DS-2CD2046G2-IU'))).toEqual(['hikvision']);
    expect(makers(match('isapi.model', 'IPC-HDW5831R-ZE'))).toEqual(['dahua']);
  });

  it('takes a model number from the start of a register cell', () => {
    const [m] = match('text.model', 'DS-2CD2143G2-I 4MP dome');
    expect(m?.claims).toEqual({ manufacturer: 'hikvision', kind: 'camera', model: 'DS-2CD2143G2-I' });
  });

  it('returns nothing for unknown fields and empty values', () => {
    expect(matchField(compiled, 'http', 'body', 'App-webs/')).toEqual([]);
    expect(match('http.server', '')).toEqual([]);
  });
});

function fp(over: Record<string, unknown>): Fingerprint {
  return FingerprintSchema.parse({
    id: 'test-rule', on: ['http.server'], pattern: '^x$', claims: { manufacturer: 'axis' }, weight: 'banner',
    examples: [{ value: 'x' }], sources: [{ ref: 'test' }], ...over,
  });
}

describe('compileFingerprints and matchField', () => {
  it('fills templates from capture groups, trims them and drops empty ones', () => {
    const rule = fp({ pattern: '^a(\\s*[A-Z0-9]*\\s*)(b)?$', flags: '', claims: { manufacturer: 'axis', model: '{1}', serial: 'S-{2}', firmware: '{2}' } });
    const c = compileFingerprints([rule]);
    expect(matchField(c, 'http', 'server', 'a M1 ')[0]?.claims).toEqual({ manufacturer: 'axis', model: 'M1', serial: 'S-' });
    expect(matchField(c, 'http', 'server', 'a')[0]?.claims).toEqual({ manufacturer: 'axis', serial: 'S-' });
    expect(matchField(c, 'http', 'server', 'ab')[0]?.claims).toEqual({ manufacturer: 'axis', serial: 'S-b', firmware: 'b' });
  });

  it('names the rule when a pattern is invalid', () => {
    expect(() => compileFingerprints([fp({ id: 'broken-rule', pattern: '^(x' })])).toThrow(/fingerprint "broken-rule": invalid pattern/);
    expect(() => compileFingerprints([fp({ id: 'broken-rule', pattern: '^(x' })])).toThrow(FingerprintError);
  });

  it('rejects templates that refer to a missing group, unknown fields and duplicate ids', () => {
    expect(() => compileFingerprints([fp({ claims: { model: '{2}' }, pattern: '^(x)$' })])).toThrow(/uses \{2\}/);
    expect(() => compileFingerprints([fp({ on: ['http.nonsense'] })])).toThrow(/"http.nonsense" is not a known signal field/);
    expect(() => compileFingerprints([fp({}), fp({})])).toThrow(/duplicate id/);
  });

  it('checkExample explains a failed example', () => {
    const rule = fp({ pattern: '^(x)$', claims: { manufacturer: 'axis', model: '{1}' } });
    expect(checkExample(rule, 'x', { model: 'x' })).toEqual({ ok: true });
    expect(checkExample(rule, 'y').message).toMatch(/does not match example "y"/);
    expect(checkExample(rule, 'x', { model: 'z' }).message).toMatch(/model="x", expected "z"/);
    expect(checkExample(rule, 'x', { vendor: 'x' }).message).toMatch(/unknown claim "vendor"/);
  });

  it('matches at least 250,000 field values a second (50,000 signals of five fields)', () => {
    const inputs = rules.flatMap((r) => r.examples.flatMap((e) => r.on.map((name) => [...split(name), e.value] as const)));
    inputs.push(...BANNER_LOOKALIKES.map(([name, value]) => [...split(name), value] as const));
    const calls = 250_000;
    const start = performance.now();
    let hits = 0;
    for (let i = 0; i < calls; i++) {
      const [protocol, field, value] = inputs[i % inputs.length]!;
      hits += matchField(compiled, protocol, field, value).length;
    }
    const elapsed = performance.now() - start;
    expect(hits).toBeGreaterThan(0);
    // About 0.4 s on the development machine; the bound leaves room for a busy CI runner.
    expect(elapsed).toBeLessThan(1000);
  });
});
