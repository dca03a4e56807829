import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseIsapi } from '../../../../src/core/identify/parse/isapi.js';

const DEVICES = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'devices');
const fixture = (rel: string) => readFileSync(join(DEVICES, rel), 'utf8');
const fields = (file: string) => parseIsapi(fixture(file), file).map((s) => s.fields);

const DS_2CD2386G2 = {
  device_name: 'yard',
  device_id: '6aff4000-1f90-00b0-0000-000c00000000',
  model: 'DS-2CD2386G2-IU',
  serial: 'DS-2CD2386G2-IU00000000AAWRJ00000000',
  mac: 'a6:63:9e:f8:01:09',
  encoder_version: 'V7.3',
  device_type: 'IPCamera',
  manufacturer: 'hikvision',
};

describe('parseIsapi: deviceInfo', () => {
  it('reads the raw XML', () => {
    expect(fields('isapi/hikvision-ds-2cd2386g2-iu-deviceinfo.xml')).toEqual([{ ...DS_2CD2386G2, firmware: 'V5.7.18', firmware_released: 'build 240826' }]);
  });

  it('reads the xmltodict JSON of the same camera (older firmware)', () => {
    expect(fields('isapi/hikvision-ds-2cd2386g2-iu-deviceinfo.json')).toEqual([{ ...DS_2CD2386G2, firmware: 'V5.7.15', firmware_released: 'build 240201' }]);
  });

  it.each([
    ['isapi/hikvision-ds-2cd2t46g2-isu-deviceinfo.json', { model: 'DS-2CD2T46G2-ISU/SL', serial: 'DS-2CD2T46G2-ISU/SL00000000AAWRG00000000', firmware: 'V5.7.18', device_type: 'IPCamera', manufacturer: 'hikvision' }],
    ['isapi/hikvision-ds-7608nxi-i2-deviceinfo.json', { model: 'DS-7608NXI-I2/8P/S', serial: 'DS-7608NXI-I0/0P/S0000000000CCRRJ00000000WCVU', firmware: 'V4.62.210', device_type: 'NVR', mac: 'e0:44:cf:0b:a7:98' }],
    ['isapi/hikvision-ds-7616ni-k2-deviceinfo.json', { model: 'DS-7616NI-K2', serial: 'DS-7616NI-K20000000000CCRRG00000000WCVU', firmware: 'V4.74.210', firmware_released: 'build 240108', device_type: 'NVR' }],
    ['isapi/hikvision-ids-7204huhi-m1-deviceinfo.json', { device_name: 'Embedded Net DVR', model: 'iDS-7204HUHI-M1/E', firmware: 'V4.75.011', device_type: 'DVR' }],
  ])('reads %s', (file, expected) => {
    expect(fields(file)).toEqual([expect.objectContaining(expected)]);
  });

  it('leaves manufacturer out when the device does not send it', () => {
    expect(fields('isapi/hikvision-ds-7608nxi-i2-deviceinfo.json')[0]?.['manufacturer']).toBeUndefined();
  });
});

describe('parseIsapi: InputProxy channels', () => {
  it('gives one signal per camera behind the DS-7616NI-K2', () => {
    const signals = parseIsapi(fixture('isapi/hikvision-ds-7616ni-k2-inputproxy-channels.json'), 'nvr.json');
    expect(signals).toHaveLength(6);
    expect(signals[1]).toEqual({
      protocol: 'isapi',
      source: 'nvr.json channel 2',
      fields: { channel: '2', device_name: 'garaazh', model: 'HWI-T220H', serial: 'HWI-T000H00000000AAWRC00000000', firmware: 'V5.5.82 build 181022', ip: '1.0.0.253', proxy_protocol: 'HIKVISION' },
    });
    expect(signals[5]?.fields['model']).toBe('DS-KV6113-WPE1(C)');
  });

  it('reads the OEM and third-party cameras behind the DS-7732NI-M4', () => {
    const signals = parseIsapi(fixture('isapi/hikvision-ds-7732ni-m4-inputproxy-channels.json'), 'nvr.json');
    expect(signals).toHaveLength(18);
    const byChannel = new Map(signals.map((s) => [s.fields['channel'], s.fields]));
    expect(byChannel.get('7')).toMatchObject({ model: 'IPC-T620-Z', firmware: 'V5.4.6 build 170629' });
    expect(byChannel.get('7')).toMatchObject({ proxy_protocol: 'HIKVISION' });
    expect(byChannel.get('9')).toMatchObject({ proxy_protocol: 'ONVIF', device_name: 'Ingresso PT', model: 'JVSWO708-PO300M2', serial: '00000000000000000000', firmware: 'V1.0.0014 - 20210517 15:00:00' });
  });

  it('reads the XML channel list, with a manufacturer when the descriptor has one', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<InputProxyChannelList version="2.0" xmlns="http://www.isapi.org/ver20/XMLSchema">
  <InputProxyChannel><id>1</id><name>Gate</name><sourceInputPortDescriptor><proxyProtocol>ONVIF</proxyProtocol>
    <ipAddress>10.0.0.5</ipAddress><manufacturer>Dahua</manufacturer><model>IPC-HFW2431S-S-S2</model>
    <serialNumber>5J0ABC123</serialNumber><firmwareVersion>2.800.0000000.22.R</firmwareVersion></sourceInputPortDescriptor></InputProxyChannel>
</InputProxyChannelList>`;
    expect(parseIsapi(xml, 'ch.xml').map((s) => s.fields)).toEqual([{
      channel: '1', device_name: 'Gate', model: 'IPC-HFW2431S-S-S2', serial: '5J0ABC123', firmware: '2.800.0000000.22.R', manufacturer: 'Dahua',
      ip: '10.0.0.5', proxy_protocol: 'ONVIF',
    }]);
  });

  it('refuses a DOCTYPE with hostile_input, and JSON without ISAPI objects with invalid_input', () => {
    expect(() => parseIsapi('<!DOCTYPE DeviceInfo SYSTEM "http://evil/x.dtd"><DeviceInfo><model>x</model></DeviceInfo>', 'h.xml'))
      .toThrow(expect.objectContaining({ code: 'hostile_input' }));
    expect(() => parseIsapi('{"Other": {}}', 'o.json')).toThrow(expect.objectContaining({ code: 'invalid_input', message: expect.stringContaining('o.json') }));
  });
});
