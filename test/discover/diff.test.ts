import { describe, expect, it } from 'vitest';
import { diffScans } from '../../src/discover/diff.js';
import type { FoundDevice } from '../../src/discover/found.js';

function dev(ip: string, over: Partial<FoundDevice> = {}): FoundDevice {
  return {
    ip, mac: null, manufacturer: 'hikvision', brand: 'Hikvision', model: 'DS-2CD2386G2-IU', firmware: 'V5.7.3', serial: null,
    kind: 'camera', confidence: 0.9, ports: [80], protocols: ['http'], evidence: [], facts: [], channels: [], unreadable: 0, ...over,
  };
}

describe('scans diff', () => {
  it('pairs devices by MAC across an address change and reports the changed fields', () => {
    const a = [dev('10.0.0.5', { mac: 'aa:bb:cc:00:00:01' }), dev('10.0.0.6', { mac: 'aa:bb:cc:00:00:02' })];
    const b = [dev('10.0.0.9', { mac: 'aa:bb:cc:00:00:01', firmware: 'V5.7.15' }), dev('10.0.0.6', { mac: 'aa:bb:cc:00:00:02' })];
    const d = diffScans(a, b);
    expect(d.added).toEqual([]);
    expect(d.gone).toEqual([]);
    expect(d.unchanged).toBe(1);
    expect(d.changed).toEqual([{
      key: 'mac aa:bb:cc:00:00:01', ip: '10.0.0.9', manufacturer: 'hikvision',
      changes: [{ field: 'ip', before: '10.0.0.5', after: '10.0.0.9' }, { field: 'firmware', before: 'V5.7.3', after: 'V5.7.15' }],
    }]);
  });

  it('does not pair two different devices that reused an address', () => {
    const a = [dev('10.0.0.5', { mac: 'aa:bb:cc:00:00:01' })];
    const b = [dev('10.0.0.5', { mac: 'aa:bb:cc:00:00:99', manufacturer: 'dahua' })];
    const d = diffScans(a, b);
    expect(d.added.map((x) => x.mac)).toEqual(['aa:bb:cc:00:00:99']);
    expect(d.gone.map((x) => x.mac)).toEqual(['aa:bb:cc:00:00:01']);
  });

  it('matches a moved device by MAC before an address-only device can take its old address', () => {
    const a = [dev('10.0.0.10', { mac: 'aa:bb:cc:00:00:01' })];
    const b = [dev('10.0.0.10', { manufacturer: null }), dev('10.0.0.20', { mac: 'aa:bb:cc:00:00:01' })];
    const d = diffScans(a, b);
    expect(d.changed.map((c) => [c.ip, c.changes.map((x) => x.field)])).toEqual([['10.0.0.20', ['ip']]]);
    expect(d.added.map((x) => x.ip)).toEqual(['10.0.0.10']);
    expect(d.gone).toEqual([]);
  });

  it('falls back to the address when no device has a MAC or serial', () => {
    const d = diffScans([dev('10.0.0.5'), dev('10.0.0.7')], [dev('10.0.0.5', { ports: [80, 554] }), dev('10.0.0.8')]);
    expect(d.changed).toHaveLength(1);
    expect(d.changed[0]!.changes).toEqual([{ field: 'ports', before: [80], after: [80, 554] }]);
    expect(d.added.map((x) => x.ip)).toEqual(['10.0.0.8']);
    expect(d.gone.map((x) => x.ip)).toEqual(['10.0.0.7']);
  });
});
