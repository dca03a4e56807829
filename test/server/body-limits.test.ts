// Nobody without the right to call a route can make the server read a large body, and routes
// that do not take uploads take small bodies only.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../helpers/engines.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const engine = ENGINES[0]!;
let s: TestServer;
let port: number;

beforeAll(async () => {
  s = await startTestServer(engine);
  await s.app.listen({ host: '127.0.0.1', port: 0 });
  port = (s.app.server.address() as { port: number }).port;
});
afterAll(async () => {
  await s.close();
  await engine.cleanup();
});

/** Sends the headers and a declared large body, and counts the bytes the server took before answering. */
function send(path: string, headers: Record<string, string>, declared: number): Promise<{ status: number; sent: number }> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers: { ...headers, 'content-length': String(declared) } }, (res) => {
      res.resume();
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, sent });
        req.destroy();
      });
    });
    req.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' || err.code === 'EPIPE' ? resolve({ status: 0, sent }) : reject(err)));
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const pump = () => {
      while (sent < declared && !req.destroyed) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end();
    };
    // Give the server the chance to answer before the body: an authorisation refusal comes first.
    req.flushHeaders();
    setTimeout(pump, 200);
  });
}

describe('request bodies', () => {
  it('are refused unread for a caller without the right, also within the route\'s upload limit', async () => {
    const anonymous = await send('/api/v1/organisations/alpha/imports?fileName=x.csv', { 'content-type': 'text/csv' }, 10 * 1024 * 1024);
    expect(anonymous).toEqual({ status: 401, sent: 0 });
    const viewer = await send('/api/v1/organisations/alpha/imports?fileName=x.csv', { 'content-type': 'text/csv', authorization: `Bearer ${s.tokens.a.viewer}` }, 10 * 1024 * 1024);
    expect(viewer).toEqual({ status: 403, sent: 0 });
  });

  it('to an agent route are refused unread unless the request names an enrolled agent', async () => {
    const fake = { 'content-type': 'application/vnd.camaudit.agent+json', authorization: 'Agent 7f0c6a52-1b7e-4a3c-9a55-0d3e5b1c2f10', 'x-camaudit-timestamp': new Date().toISOString() };
    expect(await send('/api/v1/agents/7f0c6a52-1b7e-4a3c-9a55-0d3e5b1c2f10/results', fake, 10 * 1024 * 1024)).toEqual({ status: 401, sent: 0 });
    expect(await send('/api/v1/agents/7f0c6a52-1b7e-4a3c-9a55-0d3e5b1c2f10/results', { 'content-type': 'application/vnd.camaudit.agent+json' }, 10 * 1024 * 1024)).toEqual({ status: 401, sent: 0 });
  });

  it('larger than 1 MiB are refused on routes that take no uploads', async () => {
    const big = JSON.stringify({ purpose: 'x'.repeat(1024 * 1024 + 10) });
    const devices = await s.app.inject({ url: '/api/v1/organisations/alpha/devices?limit=1', headers: { authorization: `Bearer ${s.tokens.a.viewer}` } });
    const id = (devices.json() as { items: { id: string }[] }).items[0]!.id;
    const res = await s.app.inject({ method: 'PATCH', url: `/api/v1/organisations/alpha/devices/${id}`, headers: { authorization: `Bearer ${s.tokens.a.editor}`, 'content-type': 'application/json' }, payload: big });
    expect(res.statusCode).toBe(413);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
  });
});
