// telnet, mDNS, MAC and free text: the parsers with little structure.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findMacs, normaliseMac, parseMac } from '../../../../src/core/identify/parse/mac.js';
import { isMdnsMessage, parseMdns } from '../../../../src/core/identify/parse/mdns.js';
import { parseTelnet } from '../../../../src/core/identify/parse/telnet.js';
import { parseText } from '../../../../src/core/identify/parse/text.js';

const DEVICES = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'devices');
const bytes = (rel: string) => readFileSync(join(DEVICES, rel));

describe('parseTelnet', () => {
  it('keeps the banner', () => {
    expect(parseTelnet(bytes('http/hikvision-telnet-banner.txt'), 'b.txt').map((s) => s.fields)).toEqual([{ banner: '192.0.0.64 login:' }]);
  });

  it('removes telnet negotiation and control bytes', () => {
    const raw = Buffer.concat([Buffer.from([0xff, 0xfd, 0x18, 0xff, 0xfa, 0x18, 0x01, 0xff, 0xf0]), Buffer.from('\r\nDVR login: \x07')]);
    expect(parseTelnet(raw, 'raw.bin')[0]?.fields).toEqual({ banner: 'DVR login:' });
  });

  it('refuses an empty banner', () => {
    expect(() => parseTelnet(Buffer.from([0xff, 0xfb, 0x01]), 'e.bin')).toThrow(expect.objectContaining({ code: 'invalid_input' }));
  });
});

describe('parseMdns', () => {
  it('reads the Arecont reply: service, instance name, TXT', () => {
    expect(parseMdns(bytes('mdns/arecont-mdns-anonymised.bin'), 'a.bin').map((s) => s.fields)).toEqual([{
      service: '_arec._tcp.local',
      name: 'ARECONT AV 1000-AV334455',
      txt: 'txtvers=1 protovers=1.0 MAC=AV334455-FW10000.00-3D9B17BB-F37B0001-0100/1000-VIRTUAL',
    }]);
  });

  it('takes the model from md= (Google Cast)', () => {
    expect(parseMdns(bytes('mdns/google-googlecast-mdns-anonymised-noncamera.bin'), 'g.bin')[0]?.fields).toMatchObject({
      service: '_googlecast._tcp.local', name: 'Google-Home-Virtual', model: 'Google Virtual',
    });
  });

  it('refuses truncated or looping packets without hanging', () => {
    const packet = bytes('mdns/arecont-mdns-anonymised.bin');
    expect(() => parseMdns(packet.subarray(0, 40), 't.bin')).toThrow(expect.objectContaining({ code: 'invalid_input' }));
    const loop = Buffer.from('000084000000000100000000c00c', 'hex'); // answer name points at itself
    expect(isMdnsMessage(loop)).toBe(false);
    expect(() => parseMdns(loop, 'loop.bin')).toThrow(expect.objectContaining({ code: 'invalid_input' }));
  });
});

describe('MAC addresses', () => {
  it.each([
    ['44-47-cc-37-ce-81', '44:47:cc:37:ce:81'],
    ['44:47:CC:37:CE:81', '44:47:cc:37:ce:81'],
    ['4447.cc37.ce81', '44:47:cc:37:ce:81'],
    ['4447CC37CE81', '44:47:cc:37:ce:81'],
    ['0:1b:d8:60:1f:8d', '00:1b:d8:60:1f:8d'],
  ])('normalises %s', (input, expected) => {
    expect(normaliseMac(input)).toBe(expected);
  });

  it('rejects what is not a MAC', () => {
    expect(normaliseMac('44:47:cc:37:ce')).toBeUndefined();
    expect(normaliseMac('44:47-cc:37:ce:81')).toBeUndefined();
    expect(normaliseMac('zz:47:cc:37:ce:81')).toBeUndefined();
  });

  it('finds each distinct MAC in text, one signal each', () => {
    expect(findMacs('eth0 BC-AD-28-01-02-03, wlan0 bcad.2801.0203 and 08:ED:ED:87:42:7A')).toEqual(['bc:ad:28:01:02:03', '08:ed:ed:87:42:7a']);
    expect(parseMac('08-ED-ED-87-42-7A\n', 'm.txt')).toEqual([{ protocol: 'mac', source: 'm.txt', fields: { mac: '08:ed:ed:87:42:7a' } }]);
    expect(() => parseMac('no mac here', 'm.txt')).toThrow(expect.objectContaining({ code: 'invalid_input' }));
  });
});

describe('parseText', () => {
  const fields = (text: string) => parseText(text, 'cell').map((s) => s.fields);

  it('reads "Brand Model [firmware]" labels', () => {
    expect(fields('Hikvision DS-2CD2386G2-IU')).toEqual([{ brand: 'Hikvision', model: 'DS-2CD2386G2-IU' }]);
    expect(fields('Dahua IPC-HDW5831R-ZE 2.800.0000016.0.R')).toEqual([{ brand: 'Dahua', model: 'IPC-HDW5831R-ZE', firmware: '2.800.0000016.0.R' }]);
    expect(fields('DS-2CD2386G2-IU')).toEqual([{ model: 'DS-2CD2386G2-IU' }]);
    expect(fields('Axis')).toEqual([{ brand: 'Axis' }]);
  });

  it('reads key=value and Dutch "merk: …; type: …" labels', () => {
    expect(fields('brand=Lorex, model=LNR6108, manufacturer=Dahua')).toEqual([{ brand: 'Lorex', model: 'LNR6108', manufacturer: 'Dahua' }]);
    expect(fields('Merk: Hikvision; Type: DS-7608NI-K2; Firmware: V4.22.005')).toEqual([{ brand: 'Hikvision', model: 'DS-7608NI-K2', firmware: 'V4.22.005' }]);
  });

  it('reads DHCP vendor classes (Axis option 60)', () => {
    expect(fields(bytes('http/axis-dhcp-vendor-class.txt').toString('utf8'))).toEqual([
      { brand: 'AXIS', model: 'P3343', firmware: '5.20.3' },
      { brand: 'AXIS', model: 'M5014', firmware: '5.50.3.7' },
      { brand: 'AXIS', model: 'P3225-LV Mk II', firmware: '9.70.1.5' },
    ]);
  });

  it('refuses code and prose that are no labels', () => {
    expect(() => parseText(bytes('onvif/multiple-canon-sony-panasonic-discovery-nodeonvif.txt').toString('utf8'), 'js.txt'))
      .toThrow(expect.objectContaining({ code: 'invalid_input' }));
    expect(() => parseText('', 'e')).toThrow(expect.objectContaining({ code: 'invalid_input' }));
  });
});
