// The discovery pages' reading of typed lists, ports, progress and run figures.
import { describe, expect, it } from 'vitest';
import {
  addressesOf, bundleFileName, clock, diffValue, hostsOf, isFinalStatus, listParam, makerName, parsePorts, parseWhole, percentDone, scanProgressOf, splitList,
} from '../../web/src/pages/discovery/scan-logic.js';

describe('scan form input', () => {
  it('splits targets on lines, commas, semicolons and spaces, dropping blanks', () => {
    expect(splitList('10.0.0.0/24, 10.0.1.5\n\n 10.0.2.1-10.0.2.9 ;network:Depot')).toEqual(['10.0.0.0/24', '10.0.1.5', '10.0.2.1-10.0.2.9', 'network:Depot']);
    expect(splitList('  \n ')).toEqual([]);
  });

  it('reads ports, without repeats, and names the first thing that is no port', () => {
    expect(parsePorts('80, 443 80\n554')).toEqual({ ports: [80, 443, 554] });
    expect(parsePorts('')).toEqual({ ports: [] });
    expect(parsePorts('80, http, 443')).toEqual({ invalid: 'http' });
    expect(parsePorts('0')).toEqual({ invalid: '0' });
    expect(parsePorts('65536')).toEqual({ invalid: '65536' });
    expect(parsePorts('-1')).toEqual({ invalid: '-1' });
  });

  it('takes an empty number field as the default and refuses numbers out of range', () => {
    expect(parseWhole(' ', 0, 10)).toEqual({ value: undefined });
    expect(parseWhole('7', 0, 10)).toEqual({ value: 7 });
    expect(parseWhole('11', 0, 10)).toEqual({ invalid: '11' });
    expect(parseWhole('2.5', 0, 10)).toEqual({ invalid: '2.5' });
  });

  it('makes a file name the bundle upload accepts', () => {
    expect(bundleFileName('depot (noord).bundle')).toBe('depot _noord_.bundle');
    expect(bundleFileName('C:\\scans\\depot.bundle')).toBe('depot.bundle');
    expect(bundleFileName('ü')).toBe('_');
    expect(bundleFileName('')).toBe('upload.bundle');
  });
});

describe('scan progress', () => {
  it('reads the figures of a scan job and refuses what is not one', () => {
    expect(scanProgressOf({ runId: 'r1', done: 12, total: 64, found: 3, rate: 40.5, etaSeconds: 1.3 })).toEqual({ runId: 'r1', done: 12, total: 64, found: 3, rate: 40.5, etaSeconds: 1.3 });
    expect(scanProgressOf({ done: 1, total: 2 })).toEqual({ runId: null, done: 1, total: 2, found: 0, rate: 0, etaSeconds: null });
    expect(scanProgressOf(null)).toBeNull();
    expect(scanProgressOf({ runId: 'r1' })).toBeNull();
    expect(scanProgressOf('12/64')).toBeNull();
  });

  it('gives whole percents, never more than 100 and 0 when the total is unknown', () => {
    expect(percentDone(1, 3)).toBe(33);
    expect(percentDone(64, 64)).toBe(100);
    expect(percentDone(70, 64)).toBe(100);
    expect(percentDone(5, 0)).toBe(0);
  });

  it('writes time left as a clock', () => {
    expect(clock(0)).toBe('0:00');
    expect(clock(65)).toBe('1:05');
    expect(clock(3725.4)).toBe('1:02:05');
    expect(clock(-3)).toBe('0:00');
  });

  it('knows which job statuses are final', () => {
    expect(['queued', 'running', 'cancelling'].map(isFinalStatus)).toEqual([false, false, false]);
    expect(['succeeded', 'failed', 'cancelled'].map(isFinalStatus)).toEqual([true, true, true]);
  });
});

describe('runs and diffs', () => {
  it('reads hosts found from live and imported runs', () => {
    expect(hostsOf({ found: 8, hosts: 10 })).toBe(8);
    expect(hostsOf({ hosts: 10 })).toBe(10);
    expect(hostsOf({})).toBeNull();
    expect(addressesOf({ total: 64 })).toBe(64);
    expect(addressesOf({ total: '64' })).toBeNull();
  });

  it('lists a run parameter only when it is a list', () => {
    expect(listParam({ targets: ['10.0.0.0/24'], ports: [80, 443] }, 'ports')).toEqual(['80', '443']);
    expect(listParam({ targets: 'x' }, 'targets')).toEqual([]);
  });

  it('writes a changed value readably', () => {
    expect(diffValue(null)).toBe('—');
    expect(diffValue([])).toBe('—');
    expect(diffValue([80, 554])).toBe('80, 554');
    expect(diffValue('5.7.3')).toBe('5.7.3');
  });

  it('names a maker from the knowledge base, its id otherwise', () => {
    const names = new Map([['hikvision', 'Hikvision']]);
    expect(makerName(names, 'hikvision')).toBe('Hikvision');
    expect(makerName(names, 'acme')).toBe('acme');
    expect(makerName(names, null)).toBe('—');
  });
});
