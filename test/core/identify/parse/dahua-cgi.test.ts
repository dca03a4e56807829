import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDahuaCgi } from '../../../../src/core/identify/parse/dahua-cgi.js';

const DEVICES = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'devices');
const fixture = (rel: string) => readFileSync(join(DEVICES, rel), 'utf8');
const fields = (text: string) => parseDahuaCgi(text, 'cgi.txt').map((s) => s.fields);

describe('parseDahuaCgi', () => {
  it('reads getSystemInfo', () => {
    expect(fields(fixture('dahua-cgi/dahua-ipc-hdw5831r-ze-getsysteminfo.txt'))).toEqual([{
      device_type: 'IPC-HDW5831R-ZE', serial: '4X7C5A1ZAG21L3F', hardware_version: '1.00', processor: 'S3LM',
    }]);
  });

  it('reads getDeviceType', () => {
    expect(fields(fixture('dahua-cgi/dahua-ipc-hdw5831r-ze-getdevicetype.txt'))).toEqual([{ device_type: 'IPC-HDW5831R-ZE' }]);
  });

  it('splits getSoftwareVersion into version and build date', () => {
    expect(fields(fixture('dahua-cgi/dahua-getsoftwareversion.txt'))).toEqual([{ version: '2.800.0000016.0.R', build_date: '2020-06-05' }]);
  });

  it('takes the model from updateSerial when deviceType is a number (Lorex NVRs)', () => {
    expect(fields('deviceType=31\r\nserialNumber=ND021811019863\r\nupdateSerial=DHI-NVR4108HS-8P-4KS2\r\n')).toEqual([{
      device_type: 'DHI-NVR4108HS-8P-4KS2', serial: 'ND021811019863',
    }]);
  });

  it('refuses text without magicBox keys', () => {
    expect(() => parseDahuaCgi('brand=Dahua', 'x.txt')).toThrow(expect.objectContaining({ code: 'invalid_input' }));
  });
});
