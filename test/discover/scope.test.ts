import { describe, expect, it } from 'vitest';
import { addresses, buildScope, decide } from '../../src/discover/scope.js';

describe('scope guard (pure: no packet is sent in these tests)', () => {
  const lan = buildScope({ include: ['10.20.0.0/24', '10.20.5.7'], exclude: ['10.20.0.128/25', '10.20.0.1'] });

  it('allows addresses inside the targets and outside the exclusions', () => {
    expect(decide(lan, '10.20.0.2')).toEqual({ allowed: true });
    expect(decide(lan, '10.20.5.7')).toEqual({ allowed: true });
  });

  it('refuses excluded, out-of-scope and malformed addresses with the reason', () => {
    expect(decide(lan, '10.20.0.1')).toEqual({ allowed: false, reason: '10.20.0.1 is excluded by 10.20.0.1' });
    expect(decide(lan, '10.20.0.200')).toMatchObject({ allowed: false, reason: expect.stringContaining('excluded by 10.20.0.128/25') });
    expect(decide(lan, '10.20.1.1')).toMatchObject({ allowed: false, reason: expect.stringContaining('outside the scan scope') });
    expect(decide(lan, '8.8.8.8')).toMatchObject({ allowed: false });
    expect(decide(lan, 'example.org')).toMatchObject({ allowed: false, reason: expect.stringContaining('not an IPv4 address') });
  });

  it('refuses the discovery groups unless multicast is enabled', () => {
    expect(decide(lan, '239.255.255.250').allowed).toBe(false);
    const withGroups = buildScope({ include: ['10.20.0.0/24'], multicast: true });
    expect(decide(withGroups, '239.255.255.250').allowed).toBe(true);
    expect(decide(withGroups, '239.1.2.3').allowed).toBe(false);
  });

  it('counts and walks the addresses minus exclusions, resuming after an address', () => {
    expect(lan.size).toBe(128 - 1 + 1);
    const all = [...addresses(lan)];
    expect(all).toHaveLength(lan.size);
    expect(all[0]).toBe('10.20.0.0');
    expect(all).not.toContain('10.20.0.1');
    expect(all).not.toContain('10.20.0.130');
    expect(all.at(-1)).toBe('10.20.5.7');
    expect([...addresses(lan, '10.20.0.126')]).toEqual(['10.20.0.127', '10.20.5.7']);
  });

  it('merges overlapping targets so no address is visited twice', () => {
    const s = buildScope({ include: ['192.168.1.0/24', '192.168.1.100-192.168.2.10'] });
    expect(s.size).toBe(256 + 11);
    expect(new Set(addresses(s)).size).toBe(s.size);
  });

  it('refuses public targets unless declared as the organisation\'s own', () => {
    expect(() => buildScope({ include: ['203.0.113.0/28'] })).toThrow(/public addresses.*--own-public/);
    expect(() => buildScope({ include: ['9.9.9.9'] })).toThrow(/public/);
    // A range straddling private and public space is public.
    expect(() => buildScope({ include: ['10.255.255.0-11.0.0.5'] })).toThrow(/public/);
    const own = buildScope({ include: ['198.51.100.0/28'], ownPublic: ['198.51.100.0/24'] });
    expect(decide(own, '198.51.100.3').allowed).toBe(true);
  });

  it('refuses multicast, broadcast and reserved space as targets', () => {
    expect(() => buildScope({ include: ['239.255.255.250'] })).toThrow(/multicast group/);
    expect(() => buildScope({ include: ['255.255.255.255'] })).toThrow(/broadcast/);
    expect(() => buildScope({ include: ['0.0.0.0'] })).toThrow(/unspecified/);
  });

  it('limits the scope size unless explicitly raised', () => {
    expect(() => buildScope({ include: ['10.0.0.0/15'] })).toThrow(/131072 addresses, more than the limit of 65536.*--max-addresses/);
    expect(buildScope({ include: ['10.0.0.0/15'], maxAddresses: 131072 }).size).toBe(131072);
    expect(buildScope({ include: ['127.77.0.0/16'] }).size).toBe(65536);
  });

  it('names the entry that is malformed', () => {
    expect(() => buildScope({ include: ['10.0.0.0/33'] })).toThrow(/"10.0.0.0\/33": prefix length/);
    expect(() => buildScope({ include: ['camera.local'] })).toThrow(/"camera.local".*host names are not accepted/);
    expect(() => buildScope({ include: ['fe80::1'] })).toThrow(/IPv6/);
    expect(() => buildScope({ include: ['10.0.0.9-10.0.0.1'] })).toThrow(/ends before it starts/);
    expect(() => buildScope({ include: [] })).toThrow(/no targets/);
  });
});
