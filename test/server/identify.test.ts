import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../helpers/engines.js';
import { bearer, startTestServer, type TestServer } from '../helpers/server.js';

const DEVICES = join(import.meta.dirname, '..', 'fixtures', 'devices');
const engine = ENGINES[0]!;
let s: TestServer;

beforeAll(async () => {
  s = await startTestServer(engine);
});
afterAll(async () => {
  await s.close();
  await engine.cleanup();
});

const post = (body: Buffer | string, query = '', type = 'text/plain', token = s.tokens.a.viewer) =>
  s.app.inject({ method: 'POST', url: `/api/v1/identify${query}`, headers: { ...bearer(token), 'content-type': type }, payload: body });

describe('POST /api/v1/identify', () => {
  it('identifies a Dahua camera from its system-information answer, with the evidence', async () => {
    const res = await post(readFileSync(join(DEVICES, 'dahua-cgi', 'dahua-ipc-hdw5831r-ze-getsysteminfo.txt')), '?name=getSystemInfo.txt');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ file: 'getSystemInfo.txt', manufacturer: 'dahua', model: expect.stringContaining('IPC-HDW5831R-ZE') });
    expect((res.json() as { evidence: unknown[] }).evidence.length).toBeGreaterThan(0);
  });

  it('reads binary captures sent as bytes, and bare values with a hint', async () => {
    const sadp = readFileSync(join(DEVICES, 'sadp', 'hikvision-ds-2cd2320d-i-probematch.xml'));
    expect((await post(sadp, '?name=probematch.xml', 'application/octet-stream')).json()).toMatchObject({ protocol: 'sadp', manufacturer: 'hikvision' });
    const realm = await post('DNVRS-Webs', '?protocol=http&hint=server');
    expect(realm.json()).toMatchObject({ manufacturer: 'hikvision' });
  });

  it('refuses an empty body and unknown protocols, and callers without sign-in', async () => {
    expect((await post('')).statusCode).toBe(400);
    expect((await post('x', '?protocol=carrier-pigeon')).statusCode).toBe(400);
    const anonymous = await s.app.inject({ method: 'POST', url: '/api/v1/identify', headers: { 'content-type': 'text/plain' }, payload: 'DNVRS-Webs' });
    expect(anonymous.statusCode).toBe(401);
  });
});
