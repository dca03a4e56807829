// An organisation's publication levels through its settings: an administrator sets the level of
// any field group, the others keep theirs, each change goes on the organisation's audit trail,
// other roles and unknown groups or levels are refused, and a stricter level holds at once for
// the device routes and exports that follow it.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PUBLICATION, PUBLICATION_LEVELS } from '../../src/core/model.js';
import { getOrganisationPublication } from '../../src/store/organisations.js';
import { ENGINES } from '../helpers/engines.js';
import { bearer, startTestServer, type TestServer } from '../helpers/server.js';

const ALPHA = '/api/v1/organisations/alpha';
const SETTINGS = `${ALPHA}/settings`;
const GARAGE = { lat: 52.157321, lon: 5.387612 };

interface AuditItem { action: string; entityType: string; entityId: string; before: Record<string, unknown> | null; after: Record<string, unknown> | null }

describe.each(ENGINES)('publication levels in the organisation settings on $name', (engine) => {
  let s: TestServer;
  const put = (token: string, payload: object) => s.app.inject({ method: 'PUT', url: SETTINGS, headers: bearer(token), payload });
  const history = async () => Number((await sql<{ n: number }>`select count(*) as n from history where org_id = ${s.orgs.a.id}`.execute(s.store.db)).rows[0]!.n);

  beforeAll(async () => {
    s = await startTestServer(engine);
    const garage = (await s.store.db.selectFrom('sites').select('id').where('org_id', '=', s.orgs.a.id).where('name', '=', 'alpha garage').executeTakeFirstOrThrow()).id;
    const res = await s.app.inject({ method: 'PATCH', url: `${ALPHA}/sites/${garage}`, headers: bearer(s.tokens.a.editor), payload: { position: GARAGE } });
    expect(res.statusCode, res.body).toBe(200);
  });
  afterAll(async () => {
    await s.close();
    await engine.cleanup();
  });

  it('shows the levels in force and the levels there are', async () => {
    const res = await s.app.inject({ url: SETTINGS, headers: bearer(s.tokens.a.admin) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ publication: DEFAULT_PUBLICATION, publicationLevels: [...PUBLICATION_LEVELS] });
  });

  it('sets the groups given, keeps the others, and records the change on the audit trail', async () => {
    const before = await history();
    const res = await put(s.tokens.a.admin, { publication: { location_exact: 'secret', serial: 'secret' } });
    expect(res.statusCode, res.body).toBe(200);
    expect((res.json() as { publication: unknown }).publication).toEqual({ ...DEFAULT_PUBLICATION, location_exact: 'secret', serial: 'secret' });
    expect(await getOrganisationPublication(s.store, { orgId: s.orgs.a.id, actor: 'test', source: 'test' }))
      .toEqual({ ...DEFAULT_PUBLICATION, location_exact: 'secret', serial: 'secret' });
    // The other organisation keeps its own.
    expect(await getOrganisationPublication(s.store, { orgId: s.orgs.b.id, actor: 'test', source: 'test' })).toEqual(DEFAULT_PUBLICATION);
    expect(await history()).toBe(before + 1);
    const audit = await s.app.inject({ url: `${ALPHA}/audit/entries?limit=1`, headers: bearer(s.tokens.a.auditor) });
    const [entry] = (audit.json() as { items: AuditItem[] }).items;
    expect(entry).toMatchObject({
      action: 'update', entityType: 'organisation', entityId: s.orgs.a.id,
      before: { publication: { location_exact: 'organisation', serial: 'organisation' } }, after: { publication: { location_exact: 'secret', serial: 'secret' } },
    });
    const verified = await s.app.inject({ url: `${ALPHA}/audit/verification`, headers: bearer(s.tokens.a.auditor) });
    expect((verified.json() as { intact: boolean }).intact).toBe(true);
  });

  it('makes a stricter level hold for readers from the next request on', async () => {
    const list = await s.app.inject({ url: `${ALPHA}/devices?limit=100`, headers: bearer(s.tokens.a.viewer) });
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(String(GARAGE.lat));
    expect((list.json() as { items: { externalRef: string; positionPrecision: string | null }[] }).items.find((d) => d.externalRef === 'alpha-1'))
      .toMatchObject({ positionPrecision: 'approximate' });
    // The public edition follows the new level too: serial numbers are no longer public columns.
    const open = await s.app.inject({ url: `${ALPHA}/exports/devices.csv?public=true`, headers: bearer(s.tokens.a.viewer) });
    expect(open.body.split('\r\n')[0]).not.toContain('serial');
  });

  it('records nothing when the levels given are the ones in force', async () => {
    const before = await history();
    const res = await put(s.tokens.a.admin, { publication: { location_exact: 'secret' } });
    expect(res.statusCode).toBe(200);
    expect(await history()).toBe(before);
  });

  it('refuses other roles, unknown groups and levels, and an empty change', async () => {
    for (const role of ['editor', 'viewer', 'auditor'] as const) {
      const res = await put(s.tokens.a[role], { publication: { location_exact: 'public' } });
      expect(res.statusCode, role).toBe(403);
    }
    const unknownLevel = await put(s.tokens.a.admin, { publication: { location_exact: 'everyone' } });
    expect(unknownLevel.statusCode).toBe(400);
    expect(unknownLevel.body).toContain('location_exact');
    const unknownGroup = await put(s.tokens.a.admin, { publication: { face: 'public' } });
    expect(unknownGroup.statusCode).toBe(400);
    for (const payload of [{}, { publication: {} }]) expect((await put(s.tokens.a.admin, payload)).statusCode).toBe(400);
    expect((await getOrganisationPublication(s.store, { orgId: s.orgs.a.id, actor: 'test', source: 'test' })).location_exact).toBe('secret');
  });

  it('changes theme and levels together', async () => {
    const res = await put(s.tokens.a.admin, { theme: 'contrast', publication: { location_exact: 'organisation' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ theme: 'contrast', publication: { location_exact: 'organisation', serial: 'secret' } });
  });
});
