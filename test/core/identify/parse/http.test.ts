import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseHttp } from '../../../../src/core/identify/parse/http.js';

const DEVICES = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'devices');
const fixture = (rel: string) => readFileSync(join(DEVICES, rel), 'utf8');
const fields = (text: string, source: string, hint?: Parameters<typeof parseHttp>[2]) => parseHttp(text, source, hint).map((s) => s.fields);

describe('parseHttp on the recog example values', () => {
  it('reads one Server banner per line', () => {
    expect(fields(fixture('http/hikvision-server-header.txt'), 'f', { hint: 'server' })).toEqual([
      { server: 'Hikvision-Webs' }, { server: 'DVRDVS-Webs' }, { server: 'DNVRS-Webs' },
    ]);
    expect(fields(fixture('http/xiongmai-uc-httpd-server-header.txt'), 'f', { hint: 'server' })).toEqual([
      { server: 'uc-httpd 1.0.0' }, { server: 'uc-httpd/1.0.0' },
    ]);
    expect(fields(fixture('http/axis-upnp-server-header.txt'), 'f')).toEqual([
      { server: 'Linux/4.9.94-axis5, UPnP/1.0, Portable SDK for UPnP devices/1.6.22' },
    ]);
  });

  it('reads the realm out of a bare WWW-Authenticate value, hinted or not', () => {
    const hik = { www_authenticate: 'Basic realm="hikvision"', realm: 'hikvision' };
    expect(fields(fixture('http/hikvision-wwwauth.txt'), 'f', { hint: 'www_authenticate' })).toEqual([hik]);
    expect(fields(fixture('http/hikvision-wwwauth.txt'), 'f')).toEqual([hik]);
    expect(fields(fixture('http/lorex-nr900-wwwauth.txt'), 'f')).toEqual([{
      www_authenticate: 'Digest realm="Login to ND011811000000", nonce="ec3682ef24b2cd9cedefe5cc26110000"',
      realm: 'Login to ND011811000000',
    }]);
  });

  it('takes favicon hashes (detected or hinted) and titles (hinted)', () => {
    const hashes = [{ favicon_md5: '89b932fcc47cf4ca3faadb0cfdef89cf' }, { favicon_md5: 'efca7d9aeaad122133c65cdf628ac574' }];
    expect(fields(fixture('http/hikvision-favicon-md5.txt'), 'f')).toEqual(hashes);
    expect(fields(fixture('http/hikvision-favicon-md5.txt'), 'f', { hint: 'favicon_md5' })).toEqual(hashes);
    expect(fields(fixture('http/hanwha-html-title.txt'), 'f', { hint: 'title' })).toEqual([{ title: 'Hanwha Techwin' }]);
    expect(fields(fixture('http/xiongmai-html-title.txt'), 'f', { hint: 'title' })).toEqual([{ title: 'NETSurveillance WEB' }]);
    // Unhinted, a bare value is taken for a Server banner.
    expect(fields(fixture('http/hanwha-html-title.txt'), 'f')).toEqual([{ server: 'Hanwha Techwin' }]);
  });

  it('numbers the sources of several values', () => {
    expect(parseHttp(fixture('http/hikvision-favicon-md5.txt'), 'fav.txt').map((s) => s.source)).toEqual(['fav.txt #1', 'fav.txt #2']);
  });
});

describe('parseHttp on messages', () => {
  it('reads a full response with CRLF: status, Server, challenge, realm, title, body', () => {
    const response = [
      'HTTP/1.1 401 Unauthorized',
      'Server: App-webs/',
      'WWW-Authenticate: Digest qop="auth", realm="IP Camera(C1234)", nonce="abc"',
      'WWW-Authenticate: Basic realm="/"',
      'Content-Type: text/html',
      '',
      '<html><head><title>Document &amp; Error: &#85;nauthorized</title></head><body>401</body></html>',
    ].join('\r\n');
    const [signal] = parseHttp(response, 'cam.http');
    expect(signal?.protocol).toBe('http');
    expect(signal?.source).toBe('cam.http');
    expect(signal?.fields).toEqual({
      status: '401',
      server: 'App-webs/',
      www_authenticate: 'Digest qop="auth", realm="IP Camera(C1234)", nonce="abc", Basic realm="/"',
      realm: 'IP Camera(C1234)',
      title: 'Document & Error: Unauthorized',
      body: '<html><head><title>Document &amp; Error: &#85;nauthorized</title></head><body>401</body></html>',
    });
  });

  it('reads headers-only text and a bare header line (LF)', () => {
    expect(fields('Server: App-webs/\n', 'f')).toEqual([{ server: 'App-webs/' }]);
    expect(fields('WWW-Authenticate: Digest realm="Login to 4X7C5A1ZAG21L3F"', 'f')).toEqual([
      { www_authenticate: 'Digest realm="Login to 4X7C5A1ZAG21L3F"', realm: 'Login to 4X7C5A1ZAG21L3F' },
    ]);
    expect(fields('Server: DNVRS-Webs', 'f', { hint: 'server' })).toEqual([{ server: 'DNVRS-Webs' }]);
  });

  it('keeps only the first 4,096 characters of the body', () => {
    const body = 'x'.repeat(10_000);
    expect(parseHttp(`HTTP/1.0 200 OK\n\n${body}`, 'f')[0]?.fields['body']).toHaveLength(4096);
  });

  it('reads an HTML page on its own as a body with its title', () => {
    expect(fields('<!DOCTYPE html><html><title>\n  NETSurveillance   WEB\n</title></html>', 'f')).toEqual([{
      title: 'NETSurveillance WEB',
      body: '<!DOCTYPE html><html><title>\n  NETSurveillance   WEB\n</title></html>',
    }]);
  });

  it('reads an SSDP NOTIFY (HTTP over UDP) for its Server header', () => {
    expect(fields(fixture('ssdp/unknown-ssdp-notify-anonymised-universalscanner.txt'), 'f')).toEqual([
      { server: 'Universal Scanner/0.0, Virtual/1.0' },
    ]);
  });

  it('refuses empty input with invalid_input naming the source', () => {
    expect(() => parseHttp('  \n', 'empty.txt')).toThrow(expect.objectContaining({ code: 'invalid_input', message: expect.stringContaining('empty.txt') }));
  });
});
