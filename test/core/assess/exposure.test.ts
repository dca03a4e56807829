import { describe, expect, it } from 'vitest';
import type { AssessDevice } from '../../../src/core/assess/types.js';
import { device, finding } from './fixtures.js';

const net = (patch: Partial<NonNullable<AssessDevice['network']>>): AssessDevice['network'] => ({ id: 'net-2', name: 'Garage-netwerk', connectivity: 'isolated', remoteAccess: 'none', ...patch });
const fact = (name: string, detail: string, observedAt = '2026-05-01T10:00:00Z') => ({ fact: name, detail, observedAt });

describe('internet_exposed', () => {
  it('fires for a device on an internet-exposed network', () => {
    const f = finding(device({ network: net({ connectivity: 'internet_exposed' }) }), 'internet_exposed')!;
    expect(f).toMatchObject({ severity: 'high', likelihood: 'high', impact: 'high', action: 'isolate_network', dueDate: '2026-11-28' });
    expect(f.evidence).toEqual([{ ref: 'network.connectivity', value: 'internet_exposed' }, { ref: 'network.name', value: 'Garage-netwerk' }]);
    expect(f.why.nl).toMatch(/^Deze camera is vanaf het internet bereikbaar \(netwerk "Garage-netwerk"\)/);
  });

  it('does not fire for closed, internal or unknown networks', () => {
    for (const connectivity of ['isolated', 'internal', 'unknown'] as const) expect(finding(device({ network: net({ connectivity }) }), 'internet_exposed')).toBeUndefined();
    expect(finding(device({ network: null }), 'internet_exposed')).toBeUndefined();
  });
});

describe('vendor_cloud', () => {
  it('fires on the register\'s remote-access setting, naming the maker', () => {
    const f = finding(device({ manufacturer: 'hikvision', brand: 'Hikvision', firmware: null, network: net({ remoteAccess: 'vendor_cloud' }) }), 'vendor_cloud')!;
    expect(f).toMatchObject({ severity: 'high', likelihood: 'medium', impact: 'high', action: 'disable_vendor_cloud' });
    expect(f.why.nl).toMatch(/is verbonden met de clouddienst van Hikvision \(volgens de netwerkgegevens\)/);
    expect(f.evidence).toEqual([{ ref: 'network.remoteAccess', value: 'vendor_cloud' }, { ref: 'network.name', value: 'Garage-netwerk' }]);
  });

  it('fires on a scan fact when the register says nothing, citing the observation', () => {
    const f = finding(device({ facts: [fact('vendor_cloud', 'dhip.p2p=true (Dahua P2P enabled)')] }), 'vendor_cloud')!;
    expect(f.why.en).toMatch(/\(seen in a scan: dhip\.p2p=true \(Dahua P2P enabled\)\)/);
    expect(f.evidence).toEqual([{ ref: 'scan:vendor_cloud', value: 'dhip.p2p=true (Dahua P2P enabled) (2026-05-01T10:00:00Z)' }]);
  });

  it('does not fire without either', () => {
    expect(finding(device({ network: net({ remoteAccess: 'vpn' }), facts: [fact('telnet_open', 'port 23 open')] }), 'vendor_cloud')).toBeUndefined();
  });
});

describe('not_activated', () => {
  it('fires on an unactivated Hikvision or uninitialised Dahua', () => {
    const hik = finding(device({ facts: [fact('not_activated', 'sadp.activated=false')] }), 'not_activated')!;
    expect(hik).toMatchObject({ severity: 'high', likelihood: 'high', impact: 'high', action: 'activate_device' });
    expect(hik.evidence).toEqual([{ ref: 'scan:not_activated', value: 'sadp.activated=false (2026-05-01T10:00:00Z)' }]);
    expect(hik.why.nl).toMatch(/kan het beheerderswachtwoord instellen en het overnemen/);
    expect(finding(device({ facts: [fact('uninitialised', 'dhip.init=false')] }), 'not_activated')!.evidence[0]!.ref).toBe('scan:uninitialised');
  });

  it('does not fire on other facts', () => {
    expect(finding(device({ facts: [fact('serial_in_realm', 'realm names X')] }), 'not_activated')).toBeUndefined();
  });
});

describe('telnet_open', () => {
  it('fires on an open telnet port', () => {
    const f = finding(device({ kind: 'recorder', facts: [fact('telnet_open', 'port 23 open')] }), 'telnet_open')!;
    expect(f).toMatchObject({ severity: 'medium', likelihood: 'medium', impact: 'high', action: 'close_port' });
    expect(f.why.nl).toMatch(/^Op deze recorder staat telnet open/);
  });

  it('does not fire without it', () => {
    expect(finding(device({ facts: [fact('hikvision_sdk_open', 'port 8000 open')] }), 'telnet_open')).toBeUndefined();
  });
});

describe('scan facts', () => {
  it('are cited in a fixed order whatever order the scan gave them in', () => {
    const a = fact('not_activated', 'sadp.activated=false', '2026-05-02T10:00:00Z');
    const b = fact('uninitialised', 'dhip.init=false', '2026-05-01T10:00:00Z');
    const one = finding(device({ facts: [a, b] }), 'not_activated')!;
    const two = finding(device({ facts: [b, a] }), 'not_activated')!;
    expect(JSON.stringify(one)).toBe(JSON.stringify(two));
    expect(one.evidence.map((e) => e.ref)).toEqual(['scan:not_activated', 'scan:uninitialised']);
  });
});
