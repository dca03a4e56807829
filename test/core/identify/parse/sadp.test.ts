import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSadp } from '../../../../src/core/identify/parse/sadp.js';

const DEVICES = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'devices');
const fixture = (rel: string) => readFileSync(join(DEVICES, rel), 'utf8');

// Synthetic replies following the wire format in discovery-protocols.md §2.3 (not captures).
const reply = (extra: string) => `<?xml version="1.0" encoding="UTF-8"?>
<ProbeMatch><Uuid>0F2C5B9A-1111-2222-3333-444455556666</Uuid><Types>inquiry</Types><DeviceType>262153</DeviceType>
<DeviceDescription>DS-7608NI-K2</DeviceDescription><DeviceSN>DS-7608NI-K20820190101CCRRC12345678WCVU</DeviceSN>
<CommandPort>8000</CommandPort><HttpPort>8080</HttpPort><MAC>BC-AD-28-01-02-03</MAC><IPv4Address>192.0.0.64</IPv4Address>
<SoftwareVersion>V4.22.005build 191010</SoftwareVersion><DSPVersion>V5.0, build 190909</DSPVersion>${extra}</ProbeMatch>`;

describe('parseSadp', () => {
  it('reads the DS-2CD2320D-I reply', () => {
    expect(parseSadp(fixture('sadp/hikvision-ds-2cd2320d-i-probematch.xml'), 'sadp.xml')).toEqual([{
      protocol: 'sadp',
      source: 'sadp.xml',
      fields: {
        device_type: 'DS-2CD2320D-I',
        description: 'DS-2CD2320D-I',
        serial: 'DS-2CD2320D-I20180919AACHC52932642',
        mac: '44:47:cc:37:ce:81',
        firmware: 'V5.5.6build 180326',
        dsp_version: 'V7.3 build 180326',
        activated: 'true',
        ip: '192.168.1.112',
        http_port: '80',
        // HCPlatformEnable is really spelt "flase" by the firmware.
        cloud: 'false',
      },
    }]);
  });

  it('reports an unactivated device with Hik-Connect on', () => {
    const [signal] = parseSadp(reply('<Activated>false</Activated><SupportHCPlatform>true</SupportHCPlatform><HCPlatformEnable>true</HCPlatformEnable>'), 's');
    expect(signal?.fields).toMatchObject({ activated: 'false', cloud: 'true', mac: 'bc:ad:28:01:02:03', http_port: '8080', device_type: 'DS-7608NI-K2' });
  });

  it('reads an EZVIZ switch as the cloud flag, and leaves cloud out when only support is stated', () => {
    expect(parseSadp(reply('<EZVIZCloudEnable>true</EZVIZCloudEnable>'), 's')[0]?.fields['cloud']).toBe('true');
    expect(parseSadp(reply('<SupportHCPlatform>true</SupportHCPlatform>'), 's')[0]?.fields['cloud']).toBeUndefined();
  });

  it('gives one signal per reply when several are saved back to back', () => {
    const signals = parseSadp(`${fixture('sadp/hikvision-ds-2cd2320d-i-probematch.xml')}\n${reply('')}`, 'two.xml');
    expect(signals.map((s) => [s.source, s.fields['device_type']])).toEqual([['two.xml #1', 'DS-2CD2320D-I'], ['two.xml #2', 'DS-7608NI-K2']]);
  });

  it('refuses a DOCTYPE with hostile_input and other XML with invalid_input', () => {
    expect(() => parseSadp('<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "aaaa">]><ProbeMatch><DeviceSN>&a;</DeviceSN></ProbeMatch>', 'h.xml'))
      .toThrow(expect.objectContaining({ code: 'hostile_input' }));
    expect(() => parseSadp('<Probe><Types>inquiry</Types></Probe>', 'q.xml')).toThrow(expect.objectContaining({ code: 'invalid_input' }));
    expect(() => parseSadp('DeviceSN=1', 't.txt')).toThrow(expect.objectContaining({ code: 'invalid_input' }));
  });
});
