// The national picture end to end through the CLI: two organisations — the demo municipality and
// one loaded from a spreadsheet — publish their aggregates to a coordinating organisation, one
// in the same database and one as a file; the coordinator's summary shows both, with small counts
// withheld. Then the same over the network, to a real coordinator server on 127.0.0.1.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AggregatePayload } from '../../src/core/aggregate/payload.js';
import type { Summary } from '../../src/core/aggregate/summarise.js';
import { federationRoutes } from '../../src/server/routes/federation.js';
import { createApiToken } from '../../src/store/api-tokens.js';
import { listAggregates } from '../../src/store/federation.js';
import { createOrganisation } from '../../src/store/organisations.js';
import { cli } from '../helpers/cli.js';
import { ENGINES } from '../helpers/engines.js';
import { bearer, startTestServer, type TestServer } from '../helpers/server.js';

const HEADER = 'Referentie;Merk;Type;Serienummer;MAC-adres;IP-adres;Locatie;Categorie locatie;Adres;Postcode;Plaats;Netwerk;Verbinding;Toegang op afstand;Status';

/** A municipal register: Hikvision in a garage (a few of them internet-exposed), Dahua at a pool, Axis in the streets. */
function register(): string {
  const rows: string[] = [HEADER];
  const add = (n: number, brand: string, model: string, site: string, category: string, address: string, network: string, connectivity: string, status = 'actief') => {
    for (let i = 0; i < n; i++) {
      const k = rows.length;
      rows.push([`UT-${k}`, brand, model, `SN-UT-${1000 + k}`, `02:00:00:00:${String(Math.floor(k / 100)).padStart(2, '0')}:${String(k % 100).padStart(2, '0')}`, `10.20.${Math.floor(k / 200)}.${k % 200 + 1}`, site, category, address, '3511 AB', 'Utrecht', network, connectivity, 'geen', status].join(';'));
    }
  };
  add(24, 'Hikvision', 'DS-2CD2143G2-I', 'Parkeergarage Jaarbeurs', 'parkeergarage', 'Jaarbeursplein 6', 'Garage-net', 'gesloten netwerk');
  add(3, 'Hikvision', 'DS-2CD2143G2-I', 'Parkeergarage Jaarbeurs', 'parkeergarage', 'Jaarbeursplein 6', 'Garage-internet', 'internet');
  add(15, 'Dahua', 'IPC-HFW2431S-S-S2', 'Zwembad Krommerijn', 'sporthal', 'Den Hommel 1', 'Zwembad-net', 'intern');
  add(30, 'Axis', 'P3245-LVE', 'Neude', 'openbare ruimte', 'Neude 1', 'Cameranet OR', 'intern');
  add(2, 'Axis', 'P3245-LVE', 'Stadskantoor', 'kantoor', 'Stadsplateau 1', 'Cameranet OR', 'intern', 'vervangen');
  return `${rows.join('\r\n')}\r\n`;
}

let dir: string;
let env: Record<string, string>;
const run = (args: string[], extra: Record<string, string> = {}) => cli(args, { ...env, ...extra });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'camaudit-federation-'));
  env = { CAMAUDIT_DB: join(dir, 'camaudit.db') };
  writeFileSync(join(dir, 'utrecht.csv'), register());
  for (const args of [
    ['demo'],
    ['init', '--name', 'Gemeente Utrecht', '--slug', 'utrecht', '--cbs', 'GM0344'],
    ['--org', 'utrecht', 'import', join(dir, 'utrecht.csv')],
    ['init', '--name', 'Landelijk beeld', '--slug', 'landelijk'],
    ['--org', 'demo', 'assess'],
    ['--org', 'utrecht', 'assess'],
  ]) {
    const r = await run(args);
    expect(r.code, `${args.join(' ')}: ${r.err}`).toBe(0);
  }
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('camaudit federation', () => {
  it('previews what would be published, nothing finer than the five dimensions', async () => {
    const r = await run(['--org', 'utrecht', 'federation', 'preview', '--json', '--period', '2026-06-01']);
    expect(r.code, r.err).toBe(0);
    const payload = JSON.parse(r.out) as AggregatePayload;
    expect(payload.source).toEqual({ code: 'GM0344', name: 'Gemeente Utrecht' });
    expect(payload.totals.devices).toBe(74);
    expect(payload.totals.makerGroup).toMatchObject({ hikvision: 27, dahua: 15, other: 32 });
    // Three internet-exposed Hikvision cameras: fewer than five, so withheld wherever they show.
    expect(payload.totals.makerGroupByConnectivity.hikvision.internet_exposed).toBeNull();
    expect(payload.presence.hikvision).toEqual({ inService: true, internetExposed: true });
    for (const secret of ['Jaarbeursplein', 'SN-UT-', '10.20.', 'Parkeergarage Jaarbeurs', 'Garage-net', 'DS-2CD2143G2-I', '3511 AB']) expect(r.out).not.toContain(secret);

    const text = await run(['--org', 'utrecht', '--lang', 'nl', 'federation', 'preview']);
    expect(text.out).toMatch(/aggregaat van Gemeente Utrecht \(GM0344\)/);
    expect(text.out).toMatch(/hikvision\s+27\s+27\s+×\s+ja/);
  });

  it('two organisations publish (in this database and as a file) and the coordinator sees both, small counts withheld', async () => {
    const local = await run(['--org', 'demo', 'federation', 'publish', '--to', 'local:landelijk', '--period', '2026-06-01']);
    expect(local.code, local.err).toBe(0);
    expect(local.out).toBe('aggregate of GM9999 for 2026-06-01 published to landelijk');

    const file = join(dir, 'utrecht-aggregate.json');
    const written = await run(['--org', 'utrecht', 'federation', 'publish', '--to', `file:${file}`, '--period', '2026-06-01']);
    expect(written.code, written.err).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8')).source.code).toBe('GM0344');
    const received = await run(['federation', 'receive', file, '--coordinator', 'landelijk']);
    expect(received.code, received.err).toBe(0);
    expect(received.out).toBe('aggregate of Gemeente Utrecht (GM0344) for 2026-06-01 received by landelijk');

    const summary = await run(['federation', 'summary', '--coordinator', 'landelijk', '--json']);
    expect(summary.code, summary.err).toBe(0);
    const s = JSON.parse(summary.out) as Summary;
    expect(s.municipalities.map((m) => m.code)).toEqual(['GM0344', 'GM9999']);
    expect(s.headlines).toMatchObject({ municipalities: 2, hikvisionOrDahua: 2 });
    expect(s.headlines.hikvisionOrDahuaInternetExposed).toBeGreaterThanOrEqual(1);
    const utrecht = s.municipalities.find((m) => m.code === 'GM0344')!;
    expect(utrecht).toMatchObject({ devices: 74, makerGroup: { hikvision: 27, dahua: 15 } });
    // Suppression carried through: Utrecht's exposed Hikvision count is withheld, the national sum says so.
    expect(utrecht.hikvisionOrDahuaInternetExposed.suppressed).toBeGreaterThan(0);
    expect(s.national.makerGroupByConnectivity.hikvision.internet_exposed.suppressed).toBeGreaterThan(0);
    expect(s.national.makerGroup.hikvision.value).toBeGreaterThanOrEqual(27);

    const text = await run(['federation', 'summary', '--coordinator', 'landelijk']);
    expect(text.out).toMatch(/2 of 2 run Hikvision or Dahua devices/);
    expect(text.out).toMatch(/GM0344\s+Gemeente Utrecht\s+2026-06-01\s+74\s+27\s+15/);
    expect(text.out).toContain('×');
  });

  it('publishing again for the same period replaces the earlier aggregate', async () => {
    const again = await run(['--org', 'demo', 'federation', 'publish', '--to', 'local:landelijk', '--period', '2026-06-01']);
    expect(again.out).toMatch(/replacing the earlier one/);
    const later = await run(['--org', 'demo', 'federation', 'publish', '--to', 'local:landelijk', '--period', '2026-07-01']);
    expect(later.code, later.err).toBe(0);
    const s = JSON.parse((await run(['federation', 'summary', '--coordinator', 'landelijk', '--json'])).out) as Summary;
    expect(s.trend.map((t) => [t.month, t.sources, t.updated])).toEqual([['2026-06', 2, 2], ['2026-07', 2, 1]]);
  });

  it('refuses what it must refuse, with a reason', async () => {
    const http = await run(['--org', 'demo', 'federation', 'publish', '--to', 'http://coordinator.example.nl/api/v1/organisations/landelijk/federation/aggregates']);
    expect(http.code).toBe(2);
    expect(http.err).toMatch(/plain http is allowed only to this machine/);
    const low = await run(['--org', 'demo', 'federation', 'preview', '--threshold', '1']);
    expect(low.code).toBe(2);
    const loose = join(dir, 'loose.json');
    expect((await run(['--org', 'demo', 'federation', 'publish', '--to', `file:${loose}`, '--threshold', '3'])).code).toBe(0);
    const refused = await run(['federation', 'receive', loose, '--coordinator', 'landelijk']);
    expect(refused.code).toBe(4);
    expect(refused.err).toMatch(/threshold 3; this coordinator accepts/);
    const tampered = join(dir, 'tampered.json');
    const doc = JSON.parse(readFileSync(join(dir, 'utrecht-aggregate.json'), 'utf8'));
    doc.cells[0].address = 'Jaarbeursplein 6';
    writeFileSync(tampered, JSON.stringify(doc));
    const bad = await run(['federation', 'receive', tampered, '--coordinator', 'landelijk']);
    expect(bad.code).toBe(4);
    expect(bad.err).toMatch(/aggregate refused/);
  });
});

describe.each(ENGINES)('publishing to a coordinator server on 127.0.0.1 ($name)', (engine) => {
  let server: TestServer;
  let endpoint: string;
  let token: string;

  beforeAll(async () => {
    server = await startTestServer(engine, { app: { routes: federationRoutes() } });
    const coordinator = await createOrganisation(server.store, { slug: 'landelijk', name: 'Landelijk beeld' }, server.clock.now());
    // The coordinator hands the demo municipality a publisher token named after its CBS code.
    token = (await createApiToken(server.store, { orgId: coordinator.id, actor: 'test', source: 'test' }, { name: 'GM9999', role: 'publisher', expiresAt: '2027-06-01T00:00:00.000Z' }, server.clock.now())).token;
    const address = await server.app.listen({ host: '127.0.0.1', port: 0 });
    endpoint = `${address}/api/v1/organisations/landelijk/federation/aggregates`;
  });
  afterAll(async () => {
    await server.close();
    await engine.cleanup();
  });

  it('delivers the aggregate with the publisher token; the coordinator\'s summary shows it', async () => {
    const r = await run(['--org', 'demo', 'federation', 'publish', '--to', endpoint, '--period', '2026-06-01'], { CAMAUDIT_FEDERATION_TOKEN: token });
    expect(r.code, r.err).toBe(0);
    expect(r.out).toBe(`aggregate of GM9999 for 2026-06-01 published to ${endpoint}`);
    const coordinator = (await server.store.db.selectFrom('organisations').select('id').where('slug', '=', 'landelijk').executeTakeFirstOrThrow()).id;
    expect((await listAggregates(server.store, { orgId: coordinator, actor: 'test', source: 'test' })).map((a) => [a.sourceCode, a.receivedVia])).toEqual([['GM9999', 'https']]);
  });

  it('is refused without the right token, and says so', async () => {
    const none = await run(['--org', 'demo', 'federation', 'publish', '--to', endpoint]);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/needs the publisher token/);
    const wrong = await run(['--org', 'demo', 'federation', 'publish', '--to', endpoint, '--token', server.tokens.a.publisher]);
    expect(wrong.code).toBe(3);
    const admin = await run(['--org', 'demo', 'federation', 'publish', '--to', endpoint, '--token', 'cam_notatoken']);
    expect(admin.code).toBe(9);
    expect(admin.err).toMatch(/refused the aggregate \(401\)/);
    const res = await server.app.inject({ method: 'GET', url: '/api/v1/organisations/landelijk/federation/summary', headers: bearer(token) });
    expect(res.statusCode).toBe(403);
  });
});
