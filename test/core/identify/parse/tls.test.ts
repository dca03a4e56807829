import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDn, parseTls } from '../../../../src/core/identify/parse/tls.js';

const DEVICES = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'devices');
const fixture = (rel: string) => readFileSync(join(DEVICES, rel), 'utf8');

// Synthetic (made with openssl for this test): a device certificate in the shape public files
// attribute to Dahua recorders — issuer "Dahua Device NVR CA", subject CN = the device IP.
const DAHUA_STYLE_PEM = `-----BEGIN CERTIFICATE-----
MIIB1TCCAXqgAwIBAgIUKEcXWf0Fe1slavIppKp4i6itLjIwCgYIKoZIzj0EAwIw
WDELMAkGA1UEBhMCQ04xKzApBgNVBAoMIlpoZWppYW5nIERhaHVhIFRlY2hub2xv
Z3kgQ28uLEx0ZC4xHDAaBgNVBAMME0RhaHVhIERldmljZSBOVlIgQ0EwIBcNMjYx
MTI5MDA1NTQ1WhgPMjEyNjExMDUwMDU1NDVaMCUxCzAJBgNVBAYTAkNOMRYwFAYD
VQQDDA0xOTIuMTY4LjEuMTA4MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEuxVd
mpMNdI8kf/84KiO9Yx0lk1gls9nhuB+1O0U63ywsHaarrnOlhJeXrekMLuYEgebR
otk+BNcK8I9RcyFM8qNTMFEwDwYDVR0RBAgwBocEwKgBbDAdBgNVHQ4EFgQU8VNC
oOEHCDN95VLyEHA7XFNi5DswHwYDVR0jBBgwFoAULkUwOExpI40JbzlWLMxLuFVY
DT8wCgYIKoZIzj0EAwIDSQAwRgIhALfaFjSIkWuSYPjRZ3lL2o+rW68GKDj0yoFd
24e089FRAiEAywoCdk7kK6DkuVXghafcQAO1xmPBF70R5VhwkOn6B/k=
-----END CERTIFICATE-----
`;

const DAHUA_FIELDS = {
  subject: 'CN=192.168.1.108, C=CN',
  subject_cn: '192.168.1.108',
  issuer: 'CN=Dahua Device NVR CA, O=Zhejiang Dahua Technology Co.\\,Ltd., C=CN',
  issuer_cn: 'Dahua Device NVR CA',
  issuer_o: 'Zhejiang Dahua Technology Co.,Ltd.',
};

describe('parseTls', () => {
  it('reads a PEM certificate with node:crypto, most specific attribute first', () => {
    const [signal] = parseTls(DAHUA_STYLE_PEM, 'cert.pem');
    expect(signal?.fields).toEqual({ ...DAHUA_FIELDS, san: 'IP Address:192.168.1.108' });
  });

  it('reads the same certificate as DER bytes', () => {
    const der = Buffer.from(DAHUA_STYLE_PEM.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
    expect(parseTls(der, 'cert.der')[0]?.fields).toEqual({ ...DAHUA_FIELDS, san: 'IP Address:192.168.1.108' });
  });

  it('reads a chain as one signal per certificate', () => {
    expect(parseTls(DAHUA_STYLE_PEM + DAHUA_STYLE_PEM, 'chain.pem').map((s) => s.source)).toEqual(['chain.pem #1', 'chain.pem #2']);
  });

  it('reads openssl text dumps (x509 -text and -subject -issuer)', () => {
    const dump = [
      'Certificate:',
      '    Data:',
      '        Issuer: C = CN, ST = ZheJiang, L = HangZhou, O = HIKVISION, OU = DVRNVR, CN = www.hikvision.com',
      '        Subject: C = CN, ST = ZheJiang, L = HangZhou, O = HIKVISION, OU = DVRNVR, CN = www.hikvision.com',
      '            X509v3 Subject Alternative Name: ',
      '                DNS:www.hikvision.com, IP Address:192.168.1.64',
    ].join('\n');
    const hik = 'CN=www.hikvision.com, OU=DVRNVR, O=HIKVISION, L=HangZhou, ST=ZheJiang, C=CN';
    expect(parseTls(dump, 'dump.txt')[0]?.fields).toEqual({
      subject: hik, subject_cn: 'www.hikvision.com', subject_o: 'HIKVISION',
      issuer: hik, issuer_cn: 'www.hikvision.com', issuer_o: 'HIKVISION',
      san: 'DNS:www.hikvision.com, IP Address:192.168.1.64',
    });
    const short = 'subject=C = CN, CN = 192.168.1.108\nissuer=C = CN, O = "Zhejiang Dahua Technology Co.,Ltd.", CN = Dahua Device NVR CA\n';
    expect(parseTls(short, 'short.txt')[0]?.fields).toEqual(DAHUA_FIELDS);
  });

  it.each([
    ['tls/axis-x509-subject.txt', 'subject', { subject: 'CN=axis-accc8ea31abf, O=Axis Communications AB', subject_cn: 'axis-accc8ea31abf', subject_o: 'Axis Communications AB' }],
    ['tls/bosch-x509-subject.txt', 'subject', {
      subject: 'CN=local.myboschcam.net, O=Bosch Sicherheitssysteme GmbH, L=Grasbrunn, ST=Bayern, C=DE',
      subject_cn: 'local.myboschcam.net', subject_o: 'Bosch Sicherheitssysteme GmbH',
    }],
    ['tls/bosch-x509-issuer.txt', 'issuer', {
      issuer: 'SERIALNUMBER=111111111111111111, CN=00-07-5f-11-11-11, OU=ST-VS, O=Bosch Sicherheitssysteme GmbH, L=Grasbrunn, C=DE',
      issuer_cn: '00-07-5f-11-11-11', issuer_o: 'Bosch Sicherheitssysteme GmbH',
    }],
    ['tls/hikvision-dvrnvr-x509-subject.txt', 'subject', {
      subject: 'CN=www.hikvision.com, OU=DVRNVR, O=HIKVISION, L=HangZhou, ST=ZheJiang, C=CN',
      subject_cn: 'www.hikvision.com', subject_o: 'HIKVISION',
    }],
  ] as const)('reads the bare distinguished name in %s as %s', (file, hint, expected) => {
    expect(parseTls(fixture(file), file, { hint }).map((s) => s.fields)).toEqual([expected]);
  });

  it('parses names in slash form and with unescaped commas in values', () => {
    expect(parseDn('/C=CN/O=Dahua/CN=ipc')).toEqual([['CN', 'ipc'], ['O', 'Dahua'], ['C', 'CN']]);
    expect(parseDn('CN=x,O=Zhejiang Dahua Technology Co.,Ltd.,C=CN')).toEqual([['CN', 'x'], ['O', 'Zhejiang Dahua Technology Co.,Ltd.'], ['C', 'CN']]);
  });

  it('refuses text that is no certificate or name, and a broken PEM', () => {
    expect(() => parseTls('hello world', 'x.txt')).toThrow(expect.objectContaining({ code: 'invalid_input' }));
    expect(() => parseTls('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----', 'bad.pem'))
      .toThrow(expect.objectContaining({ code: 'invalid_input', message: expect.stringContaining('bad.pem') }));
  });
});
