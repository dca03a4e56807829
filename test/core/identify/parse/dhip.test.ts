import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDhip } from '../../../../src/core/identify/parse/dhip.js';

const DEVICES = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'devices');
const bytes = (rel: string) => readFileSync(join(DEVICES, rel));

const IPC_HDW1431T1 = {
  vendor: 'Private', device_type: 'IPC-HDW1431T1-S4', device_class: 'IPC', serial: '6C01E93PAG69A7D',
  mac: '08:ed:ed:87:42:7a', version: '2.800.0000000.13.R', init: 'true', p2p: 'true', name: '6C01E93PAG69A7D',
};

/** A DHIP frame as the device sends it: 32-byte header, then the JSON body. */
function frame(json: string): Buffer {
  const body = Buffer.from(json, 'utf8');
  const header = Buffer.alloc(32);
  header.write('\x20\x00\x00\x00DHIP', 0, 'latin1');
  header.writeUInt32LE(body.length, 16);
  header.writeUInt32LE(body.length, 24);
  return Buffer.concat([header, body]);
}

describe('parseDhip', () => {
  it('reads the notifyDevInfo JSON body', () => {
    expect(parseDhip(bytes('dhip/dahua-ipc-hdw1431t1-s4-notifydevinfo.json'), 'dhip.json')).toEqual([
      { protocol: 'dhip', source: 'dhip.json', fields: IPC_HDW1431T1 },
    ]);
  });

  it('reads the binary UniversalScanner replay, whose anonymised JSON is damaged', () => {
    // The anonymiser dropped the closing quote of "Version", so the body is not valid JSON.
    expect(parseDhip(bytes('dhip/dahua-dhip-anonymised-universalscanner.bin'), 'dhip.bin').map((s) => s.fields)).toEqual([{
      vendor: 'General', device_type: 'Virtual (JSON)', device_class: 'V', serial: '123456789',
      mac: '00:11:22:33:44:55', version: '1.0000', name: 'Virtual',
    }]);
  });

  it('reads consecutive frames and concatenated JSON objects as one signal each', () => {
    const json = readFileSync(join(DEVICES, 'dhip/dahua-ipc-hdw1431t1-s4-notifydevinfo.json'), 'utf8').trim();
    const other = '{"method":"client.notifyDevInfo","params":{"deviceInfo":{"DeviceType":"DH-XVR5108HS-I3","SerialNo":"7A0123PAZ","Vendor":"Dahua","Mac":"E0:50:8B:01:02:03"}}}';
    const fromFrames = parseDhip(Buffer.concat([frame(json), frame(other)]), 'two.bin');
    const fromText = parseDhip(`${json}\n${other}\n`, 'two.json');
    for (const signals of [fromFrames, fromText]) {
      expect(signals.map((s) => s.fields['serial'])).toEqual(['6C01E93PAG69A7D', '7A0123PAZ']);
      expect(signals[1]?.fields).toEqual({ vendor: 'Dahua', device_type: 'DH-XVR5108HS-I3', serial: '7A0123PAZ', mac: 'e0:50:8b:01:02:03' });
    }
    expect(fromFrames.map((s) => s.source)).toEqual(['two.bin #1', 'two.bin #2']);
  });

  it('maps the Shadowserver DVR DHCPDiscover CSV columns, one signal per row', () => {
    expect(parseDhip(bytes('dhip/dahua-hcvr-shadowserver.csv'), 'scan.csv')).toEqual([{
      protocol: 'dhip',
      source: 'scan.csv row 2',
      fields: {
        vendor: 'Private', device_class: 'HCVR', device_type: 'HCVR', serial: '2K0488CPAGS0ND6',
        mac: '3c:ef:8c:18:a5:07', version: '3.210.1.4', name: 'HCVR',
      },
    }]);
  });

  it('refuses content with no device information', () => {
    expect(() => parseDhip('{"method":"DHDiscover.search","params":{"mac":"","uni":1}}', 'probe.json'))
      .toThrow(expect.objectContaining({ code: 'invalid_input', message: expect.stringContaining('probe.json') }));
    expect(() => parseDhip('hello', 'x.txt')).toThrow(expect.objectContaining({ code: 'invalid_input' }));
  });
});
