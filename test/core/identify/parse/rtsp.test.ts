import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRtsp } from '../../../../src/core/identify/parse/rtsp.js';

const DEVICES = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'devices');
const fixture = (rel: string) => readFileSync(join(DEVICES, rel), 'utf8');
const fields = (text: string, hint?: 'server' | 'www_authenticate') => parseRtsp(text, 'f', { hint }).map((s) => s.fields);

describe('parseRtsp', () => {
  it.each([
    ['rtsp/dahua-rtsp-server-header.txt', 'Dahua Rtsp Server'],
    ['rtsp/avigilon-rtsp-server-header.txt', 'AvigilonOnvifNvt/2.6.0.130'],
    ['rtsp/foscam-hiipcam-rtsp-server-header.txt', 'HiIpcam/V100R003 VodServer/1.0.0'],
    ['rtsp/hipcam-rtsp-server-header.txt', 'Hipcam RealServer/V1.0'],
  ])('reads the bare Server banner in %s', (file, server) => {
    expect(fields(fixture(file), 'server')).toEqual([{ server }]);
    expect(fields(fixture(file))).toEqual([{ server }]);
  });

  it.each([
    ['rtsp/tplink-mercury-describe-sdp.txt', { sdp_session_name: 'Session streamed by "MERCURY RTSP Server"' }],
    ['rtsp/unknown-cv-rtsphandler-describe-sdp.txt', { sdp_session_name: 'Camera' }],
    ['rtsp/unknown-live555-ipcamera-describe-sdp.txt', { sdp_session_name: 'IP camera Live streaming', sdp_tool: 'LIVE555 Streaming Media v2014.02.04' }],
    ['rtsp/unknown-rtspserver-describe-sdp.txt', { sdp_session_name: 'RtspServer' }],
  ])('reads the SDP session name and tool of %s', (file, expected) => {
    expect(fields(fixture(file))).toEqual([expected]);
  });

  it('reads an OPTIONS answer: status, Server, Public', () => {
    const answer = 'RTSP/1.0 200 OK\r\nCSeq: 1\r\nServer: Dahua Rtsp Server\r\nPublic: OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN\r\n\r\n';
    expect(fields(answer)).toEqual([{ status: '200', server: 'Dahua Rtsp Server', public: 'OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN' }]);
  });

  it('reads a 401 DESCRIBE answer: challenges and realm', () => {
    const answer = 'RTSP/1.0 401 Unauthorized\nCSeq: 2\nWWW-Authenticate: Digest realm="Hikvision", nonce="x"\nWWW-Authenticate: Basic realm="/"\n\n';
    expect(fields(answer)).toEqual([{
      status: '401', www_authenticate: 'Digest realm="Hikvision", nonce="x", Basic realm="/"', realm: 'Hikvision',
    }]);
  });

  it('reads the SDP body of a DESCRIBE answer', () => {
    const answer = `RTSP/1.0 200 OK\r\nCSeq: 3\r\nContent-Type: application/sdp\r\n\r\n${fixture('rtsp/unknown-live555-ipcamera-describe-sdp.txt')}`;
    expect(fields(answer)).toEqual([{ status: '200', sdp_session_name: 'IP camera Live streaming', sdp_tool: 'LIVE555 Streaming Media v2014.02.04' }]);
  });

  it('takes a bare challenge for WWW-Authenticate', () => {
    expect(fields('Digest realm="Login to 2K0488CPAGS0ND6", nonce="1"')).toEqual([
      { www_authenticate: 'Digest realm="Login to 2K0488CPAGS0ND6", nonce="1"', realm: 'Login to 2K0488CPAGS0ND6' },
    ]);
  });

  it('refuses empty input', () => {
    expect(() => parseRtsp('', 'x.txt')).toThrow(expect.objectContaining({ code: 'invalid_input' }));
  });
});
