import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseOnvif } from '../../../../src/core/identify/parse/onvif.js';

const DEVICES = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'devices');
const fixture = (rel: string) => readFileSync(join(DEVICES, rel), 'utf8');
const fields = (text: string) => parseOnvif(text, 'f').map((s) => s.fields);
const SOAP = 'http://www.w3.org/2003/05/soap-envelope';

describe('parseOnvif: scopes', () => {
  it('derives name, hardware, location and vendor extensions from FLIR scopes', () => {
    const [flir] = fields(fixture('onvif/flir-cm3102-scopes.json'));
    expect(flir).toMatchObject({
      name: 'ArielFHDIPCamera', hardware: 'CM-3102-11-I', manufacturer: 'FLIR Systems',
      firmware: '01.05.32.5', mac: '00:1b:d8:60:1f:8d',
    });
    expect(flir?.['location']).toBeUndefined(); // "location/" is empty
    expect(flir?.['scopes']?.split(' ')).toHaveLength(14);
    expect(flir?.['scopes']).toContain('dvtel://www.dvtel.com/ariel/gen2');
  });

  it.each([
    ['onvif/geovision-gv-unp2500-scopes.json', { name: 'Geovision', hardware: 'GV-UNP2500', location: 'country/taiwan', firmware: 'v3.12 2017-06-' }],
    ['onvif/panasonic-wv-v1330lk-scopes.json', { name: 'Panasonic', hardware: 'WV-V1330LK', location: 'office' }],
    ['onvif/std-fi710-l-scopes.json', { name: 'STD', hardware: 'FI710-L', location: 'country/China' }],
    ['onvif/unknown-mstar-ipnc-scopes.json', { name: 'ONVIF_ICAMERA', hardware: 'MSTAR_IPNC', location: 'China Shenzhen' }],
    ['onvif/tplink-c200-getscopes.yaml', { name: 'TP-IPC', hardware: 'MODEL', location: 'ShenZhen' }],
  ])('reads %s', (file, expected) => {
    const [signal] = fields(fixture(file));
    const { scopes, ...rest } = signal ?? {};
    expect(rest).toEqual(expected);
    expect(scopes).toMatch(/^onvif:\/\/www\.onvif\.org\//);
  });

  it('keeps the scopes space-joined and URL-decodes the name', () => {
    const list = JSON.stringify({ Scopes: ['onvif://www.onvif.org/name/Embedded%20Net%20DVR', 'onvif://www.onvif.org/MAC/68:6d:bc:5c:b1:5d'] });
    expect(fields(list)).toEqual([{
      scopes: 'onvif://www.onvif.org/name/Embedded%20Net%20DVR onvif://www.onvif.org/MAC/68:6d:bc:5c:b1:5d',
      name: 'Embedded Net DVR', mac: '68:6d:bc:5c:b1:5d',
    }]);
  });

  it('reads a plain list of scope URIs', () => {
    expect(fields('onvif://www.onvif.org/name/Dahua\nonvif://www.onvif.org/hardware/IPC-HFW1230S')).toEqual([{
      scopes: 'onvif://www.onvif.org/name/Dahua onvif://www.onvif.org/hardware/IPC-HFW1230S', name: 'Dahua', hardware: 'IPC-HFW1230S',
    }]);
  });
});

describe('parseOnvif: SOAP', () => {
  it('reads the TP-Link ProbeMatch (undeclared prefixes)', () => {
    expect(fields(fixture('onvif/tplink-c200-probematch.xml'))).toEqual([{
      scopes: 'onvif://www.onvif.org/name/TP-IPC onvif://www.onvif.org/hardware/MODEL onvif://www.onvif.org/Profile/Streaming onvif://www.onvif.org/location/ShenZhen onvif://www.onvif.org/type/NetworkVideoTransmitter',
      name: 'TP-IPC', hardware: 'MODEL', location: 'ShenZhen',
      types: 'tdn:NetworkVideoTransmitter', xaddrs: 'http://192.168.12.128:2020/onvif/device_service',
    }]);
  });

  it('reads the gSOAP template and the anonymised UniversalScanner reply', () => {
    expect(fields(fixture('onvif/unknown-probematch-template-vicmaeg.xml'))[0]).toMatchObject({
      name: '{3}', hardware: '{2}', location: 'Default', types: 'dn:NetworkVideoTransmitter', xaddrs: 'http://{4}/onvif/device_service',
    });
    expect(fields(fixture('onvif/unknown-wsdiscovery-anonymised-universalscanner.xml'))).toEqual([{
      types: 'Virtual tds:Device', xaddrs: 'http://240.0.2.0/ http://[::1]/',
      namespaces: `${SOAP} http://www.onvif.org/ver10/device/wsdl http://schemas.xmlsoap.org/ws/2004/08/addressing http://schemas.xmlsoap.org/ws/2005/04/discovery`,
    }]);
  });

  it('gives one signal per ProbeMatch', () => {
    const match = (model: string) => `<d:ProbeMatch><d:Types>dn:NetworkVideoTransmitter</d:Types><d:Scopes>onvif://www.onvif.org/hardware/${model} onvif://www.onvif.org/name/HIKVISION</d:Scopes><d:XAddrs>http://10.0.0.${model.length}/onvif/device_service</d:XAddrs></d:ProbeMatch>`;
    const doc = `<s:Envelope xmlns:s="${SOAP}" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery"><s:Body><d:ProbeMatches>${match('DS-2CD2143G0-I')}${match('DS-7608NI-K2')}</d:ProbeMatches></s:Body></s:Envelope>`;
    const signals = parseOnvif(doc, 'probe.xml');
    expect(signals.map((s) => [s.source, s.fields['hardware'], s.fields['name']])).toEqual([
      ['probe.xml #1', 'DS-2CD2143G0-I', 'HIKVISION'], ['probe.xml #2', 'DS-7608NI-K2', 'HIKVISION'],
    ]);
  });

  it('reads GetNetworkInterfaces: MAC and the Hikvision vendor namespaces', () => {
    const [signal] = fields(fixture('onvif/hikvision-getnetworkinterfaces.xml'));
    expect(signal?.['mac']).toBe('28:57:be:65:7d:d5');
    expect(signal?.['namespaces']?.split(' ')).toEqual(expect.arrayContaining([
      'http://www.hikvision.com/2011/event/topics', 'http://www.onvifext.com/onvif/ext/ver10/wsdl', 'http://www.onvifext.com/onvif/ext/ver10/schema',
    ]));
  });

  it('reads Dahua GetCapabilities: service addresses and the (standard-only) namespaces', () => {
    expect(fields(fixture('onvif/dahua-getcapabilities.xml'))).toEqual([{
      xaddrs: ['analytics_service', 'device_service', 'event_service', 'imaging_service', 'media_service', 'deviceIO_service']
        .map((s) => `http://192.168.1.123/onvif/${s}`).join(' '),
      // Dahua declares no vendor namespace; its tell is the envelope's shape (xmlns:sc first).
      namespaces: `http://www.w3.org/2003/05/soap-encoding ${SOAP} http://www.onvif.org/ver10/schema http://www.onvif.org/ver10/device/wsdl`,
    }]);
  });

  it('keeps Dahua media URIs (the /cam/realmonitor tell) in xaddrs', () => {
    expect(fields(fixture('onvif/dahua-getstreamuri.xml'))[0]?.['xaddrs']).toBe('rtsp://192.168.1.123:554/cam/realmonitor?channel=1&subtype=1&unicast=true&proto=Onvif');
    expect(fields(fixture('onvif/dahua-getsnapshoturi.xml'))[0]?.['xaddrs']).toBe('http://192.168.1.123/onvifsnapshot/media_service/snapshot?channel=1&subtype=1');
  });

  it('reads GetDeviceInformationResponse and GetScopesResponse envelopes', () => {
    const info = `<?xml version="1.0"?><env:Envelope xmlns:env="${SOAP}" xmlns:tds="http://www.onvif.org/ver10/device/wsdl"><env:Body><tds:GetDeviceInformationResponse><tds:Manufacturer>HIKVISION</tds:Manufacturer><tds:Model>DS-2CD2143G0-I</tds:Model><tds:FirmwareVersion>V5.5.82 build 190220</tds:FirmwareVersion><tds:SerialNumber>DS-2CD2143G0-I20190101AAWRC12345678</tds:SerialNumber><tds:HardwareId>88</tds:HardwareId></tds:GetDeviceInformationResponse></env:Body></env:Envelope>`;
    expect(fields(info)[0]).toMatchObject({
      manufacturer: 'HIKVISION', model: 'DS-2CD2143G0-I', firmware: 'V5.5.82 build 190220',
      serial: 'DS-2CD2143G0-I20190101AAWRC12345678', hardware_id: '88',
    });
    const scopes = `<s:Envelope xmlns:s="${SOAP}"><s:Body><tds:GetScopesResponse><tds:Scopes><tt:ScopeDef>Fixed</tt:ScopeDef><tt:ScopeItem>onvif://www.onvif.org/name/IPC</tt:ScopeItem></tds:Scopes><tds:Scopes><tt:ScopeDef>Fixed</tt:ScopeDef><tt:ScopeItem>onvif://www.onvif.org/hardware/IPC-HDW1431T1-S4</tt:ScopeItem></tds:Scopes></tds:GetScopesResponse></s:Body></s:Envelope>`;
    expect(fields(scopes)[0]).toMatchObject({ name: 'IPC', hardware: 'IPC-HDW1431T1-S4' });
  });

  it('reads the parsed GetDeviceInformation JSON (node-onvif README)', () => {
    expect(fields(fixture('onvif/canon-vb-s30d-getdeviceinformation.json'))).toEqual([{
      manufacturer: 'Canon', model: 'VB-S30D', firmware: 'Ver. 1.3.3', serial: '999999999999', hardware_id: '1D',
    }]);
  });

  it('reads node-onvif probe objects, one signal per device', () => {
    const list = JSON.stringify([
      { urn: 'urn:uuid:1', name: 'Canon VB-S30D', hardware: 'VB-S30D', location: 'Tokyo', types: ['dn:NetworkVideoTransmitter'], xaddrs: ['http://192.168.10.10/onvif/device_service'], scopes: ['onvif://www.onvif.org/type/video_encoder'] },
      { urn: 'urn:uuid:2', name: 'Panasonic BB-SC384B', hardware: 'BB-SC384B', xaddrs: ['http://192.168.10.14/onvif/device_service'], scopes: [] },
    ]);
    expect(parseOnvif(list, 'probe.json').map((s) => [s.fields['name'], s.fields['hardware'], s.fields['xaddrs']])).toEqual([
      ['Canon VB-S30D', 'VB-S30D', 'http://192.168.10.10/onvif/device_service'],
      ['Panasonic BB-SC384B', 'BB-SC384B', 'http://192.168.10.14/onvif/device_service'],
    ]);
  });

  it('refuses a DOCTYPE with hostile_input', () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE e [<!ENTITY x SYSTEM "file:///etc/passwd">]><s:Envelope xmlns:s="${SOAP}"><s:Body>&x;</s:Body></s:Envelope>`;
    expect(() => parseOnvif(xxe, 'xxe.xml')).toThrow(expect.objectContaining({ code: 'hostile_input', location: expect.objectContaining({ file: 'xxe.xml' }) }));
  });

  it('refuses XML that is no SOAP envelope, and text with no ONVIF data', () => {
    expect(() => parseOnvif('<root><a>1</a></root>', 'r.xml')).toThrow(expect.objectContaining({ code: 'invalid_input' }));
    expect(() => parseOnvif('just words', 'w.txt')).toThrow(expect.objectContaining({ code: 'invalid_input' }));
  });
});
