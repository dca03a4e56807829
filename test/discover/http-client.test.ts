import { describe, expect, it } from 'vitest';
import { basicAuthorization, challengeParams, digestAuthorization, parseResponse } from '../../src/discover/http-client.js';

describe('HTTP client', () => {
  it('answers a Digest challenge as RFC 2617 computes it', () => {
    const challenge = 'Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"';
    const header = digestAuthorization(challenge, 'GET', '/dir/index.html', { username: 'Mufasa', password: 'Circle Of Life' }, '0a4f113b');
    expect(header).toContain('response="6629fae49393a05397450978507c4ef1"');
    expect(header).toContain('qop=auth, nc=00000001, cnonce="0a4f113b"');
    expect(header).toContain('opaque="5ccc069c403ebaf9f0171e9517f40e41"');
  });

  it('answers Basic as base64 of user:password', () => {
    expect(basicAuthorization({ username: 'admin', password: 'x:y' })).toBe('Basic YWRtaW46eDp5');
  });

  it('reads challenge parameters quoted or bare', () => {
    expect(challengeParams('Digest realm="Login to 5J0A1B2C3D", nonce=abc, stale=FALSE')).toEqual({
      scheme: 'digest', params: { realm: 'Login to 5J0A1B2C3D', nonce: 'abc', stale: 'FALSE' },
    });
  });

  it('reads loose camera answers: upper-case names, two challenges, chunked bodies', () => {
    const raw = Buffer.from('HTTP/1.1 401 Unauthorized\r\nCONNECTION: close\r\nWWW-Authenticate: Digest realm="IP Camera", nonce="n"\r\nWWW-Authenticate: Basic realm="/"\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n');
    const r = parseResponse(raw)!;
    expect(r.status).toBe(401);
    expect(r.headers.connection).toBe('close');
    expect(r.challenges).toEqual(['Digest realm="IP Camera", nonce="n"', 'Basic realm="/"']);
    expect(r.body.toString()).toBe('hello');
    expect(parseResponse(Buffer.from('SSH-2.0-OpenSSH_9.2\r\n'))).toBeNull();
    expect(parseResponse(Buffer.from('RTSP/1.0 200 OK\r\nCSeq: 1\r\nServer: Dahua Rtsp Server\r\n\r\n'))!.headers.server).toBe('Dahua Rtsp Server');
  });
});
