import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isDvripReply, parseDvrip } from '../../../../src/core/identify/parse/dvrip.js';

const DEVICES = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'devices');
const REPLY = readFileSync(join(DEVICES, 'dvrip/dahua-dvrip-discovery-5050-anonymised-universalscanner.bin'));

describe('parseDvrip', () => {
  it('reads the UniversalScanner replay: MAC and type from section 2, serial from section 3', () => {
    expect(parseDvrip(REPLY, 'dvrip.bin')).toEqual([{
      protocol: 'dvrip',
      source: 'dvrip.bin',
      // The anonymised reply has an all-zero version, so there is none to report.
      fields: { device_type: 'Virtual', serial: '123456789', mac: '00:11:22:33:44:55', name: 'Virtual' },
    }]);
  });

  it('reads the version words when they are set', () => {
    const copy = Buffer.from(REPLY);
    [2, 800, 0, 16].forEach((word, i) => copy.writeUInt16LE(word, 32 + 2 * i));
    expect(parseDvrip(copy, 'v.bin')[0]?.fields['version']).toBe('2.800.0.16');
  });

  it('refuses a truncated reply and the discovery request itself', () => {
    expect(isDvripReply(REPLY.subarray(0, 100))).toBe(false);
    expect(() => parseDvrip(REPLY.subarray(0, 130), 'cut.bin')).toThrow(expect.objectContaining({ code: 'invalid_input' }));
    const request = Buffer.from('a301000100000000000000000000000002000000000000000000000000000000', 'hex');
    expect(() => parseDvrip(request, 'req.bin')).toThrow(expect.objectContaining({ code: 'invalid_input' }));
  });

  // The body as mcw0/PoC Dahua-3DES-IMOU-PoC.py prints it (serial anonymised there), behind the
  // 32-byte DVRIP header its console script reads: 0xb0, body length at byte 4.
  const realmReply = (body: string) => {
    const header = Buffer.alloc(32);
    header.set([0xb0, 0x01, 0x00, 0x68]);
    header.writeUInt32LE(Buffer.byteLength(body), 4);
    header.writeUInt32LE(Buffer.byteLength(body), 16);
    return Buffer.concat([header, Buffer.from(body)]);
  };

  it('reads the serial from the realm reply of TCP 37777', () => {
    const reply = realmReply('Realm:Login to XXXXXXXXXXXXXXX\r\nRandom:1852772904\r\n');
    expect(isDvripReply(reply)).toBe(true);
    expect(parseDvrip(reply, 'realm.bin')).toEqual([{ protocol: 'dvrip', source: 'realm.bin', fields: { serial: 'XXXXXXXXXXXXXXX' } }]);
  });

  it('reads no identity from a realm of another form, and refuses other SDK answers', () => {
    expect(() => parseDvrip(realmReply('Realm:Device\r\nRandom:1\r\n'), 'other.bin')).toThrow(expect.objectContaining({ code: 'invalid_input' }));
    const json = realmReply('{"id":1}');
    expect(isDvripReply(json)).toBe(false);
    expect(() => parseDvrip(json, 'json.bin')).toThrow(expect.objectContaining({ code: 'invalid_input' }));
  });
});
