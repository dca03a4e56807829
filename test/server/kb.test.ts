// Browsing the knowledge base through the API: version and counts, makers with their brands,
// measures and vulnerabilities, brands with the true maker, filters, sorting, paging and search —
// with the sources and uncertainty markers of every record.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stats } from '../../src/kb/query.js';
import type { KnowledgeBase } from '../../src/kb/schema.js';
import { ENGINES } from '../helpers/engines.js';
import { bearer, startTestServer, type TestServer } from '../helpers/server.js';

const engine = ENGINES[0]!;
let s: TestServer;
let kb: KnowledgeBase;

interface Page<T> { items: T[]; nextCursor: string | null }
type Item = Record<string, unknown> & { id: string; sources: unknown[] };

/** Any signed-in caller may read the KB: the token of a coordinator, who sees no register. */
const get = (url: string) => s.app.inject({ url, headers: bearer(s.tokens.a.coordinator) });

async function all(url: string, limit = 7): Promise<{ items: Item[]; pages: number }> {
  const items: Item[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const sep = url.includes('?') ? '&' : '?';
    const res = await get(`${url}${sep}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json() as Page<Item>;
    items.push(...page.items);
    cursor = page.nextCursor;
    pages++;
  } while (cursor);
  return { items, pages };
}

beforeAll(async () => {
  s = await startTestServer(engine);
  kb = await s.ctx.knowledge();
});
afterAll(async () => {
  await s.close();
  await engine.cleanup();
});

describe('knowledge base routes', () => {
  it('gives the version, date, known gaps and counts', async () => {
    const res = await get('/api/v1/kb');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ version: kb.meta.version, date: kb.meta.date, knownGaps: kb.meta.known_gaps, updatedFiles: [], counts: stats(kb) });
  });

  it('pages through every vendor once, each with its sources', async () => {
    const { items, pages } = await all('/api/v1/kb/vendors');
    expect(items.map((v) => v.id).sort()).toEqual([...new Set(kb.vendors.map((v) => v.id))].sort());
    expect(pages).toBe(Math.ceil(items.length / 7));
    expect(items.every((v) => v.sources.length > 0)).toBe(true);
  });

  it('filters vendors by country, uncertainty and words, and sorts by name', async () => {
    expect((await all('/api/v1/kb/vendors?country=SE')).items.map((v) => v.id)).toEqual(['axis']);
    const uncertain = (await all('/api/v1/kb/vendors?uncertain=true')).items;
    expect(uncertain.length).toBe(kb.vendors.filter((v) => v.uncertain).length);
    expect(uncertain.every((v) => typeof v.uncertain === 'string')).toBe(true);
    expect((await all('/api/v1/kb/vendors?q=Zhejiang%20Dahua')).items.map((v) => v.id)).toEqual(['dahua']);
    const names = (await all('/api/v1/kb/vendors?sort=-name', 100)).items.map((v) => String(v.name).toLowerCase());
    expect(names).toEqual([...names].sort().reverse());
  });

  it('shows one maker with its brands, the measures naming it and its vulnerabilities', async () => {
    const res = await get('/api/v1/kb/vendors/hikvision');
    expect(res.statusCode).toBe(200);
    const v = res.json() as { name: string; brands: { id: string; relationship: string }[]; measures: { id: string }[]; vulnerabilities: { id: string; kev: boolean }[] };
    expect(v.name).toBe('Hikvision');
    expect(v.brands).toContainEqual(expect.objectContaining({ id: 'ezviz', relationship: 'subsidiary' }));
    expect(v.measures.map((m) => m.id)).toContain('us-ndaa-fy2019-s889');
    expect(v.vulnerabilities).toContainEqual(expect.objectContaining({ id: 'CVE-2021-36260', kev: true }));
    expect((await get('/api/v1/kb/vendors/no-such-maker')).statusCode).toBe(404);
  });

  it('lists brands with the true maker behind each, the relationship and its confidence', async () => {
    const brands = (await all('/api/v1/kb/brands?maker=dahua')).items as (Item & { maker: { id: string; name: string }; relationship: string; confidence: string })[];
    expect(brands.find((b) => b.id === 'lorex')).toMatchObject({ maker: { id: 'dahua', name: 'Dahua' }, relationship: 'former_subsidiary', confidence: 'medium' });
    expect(brands.every((b) => b.maker.id === 'dahua' || (b.alternativeMakers as { id: string }[]).some((m) => m.id === 'dahua'))).toBe(true);
    const low = (await all('/api/v1/kb/brands?confidence=low')).items;
    expect(low.length).toBe(kb.brands.filter((b) => b.confidence === 'low').length);
    expect((await get('/api/v1/kb/brands?relationship=cousin')).statusCode).toBe(400);
  });

  it('lists measures and vulnerabilities by maker, scope, KEV listing and score', async () => {
    const bans = (await all('/api/v1/kb/measures?maker=hikvision&scope=procurement_ban')).items as (Item & { vendors: string[]; scope: string[] })[];
    expect(bans.map((m) => m.id)).toContain('us-ndaa-fy2019-s889');
    expect(bans.every((m) => m.vendors.includes('hikvision') && m.scope.includes('procurement_ban'))).toBe(true);
    const kev = (await all('/api/v1/kb/vulnerabilities?kev=true')).items as (Item & { kev: { listed: boolean } })[];
    expect(kev.length).toBe(kb.vulnerabilities.filter((c) => c.kev.listed).length);
    expect(kev.every((c) => c.kev.listed)).toBe(true);
    const scores = ((await all('/api/v1/kb/vulnerabilities?sort=-cvss', 100)).items as (Item & { cvss: { base_score: number }[] })[])
      .map((c) => Math.max(-1, ...c.cvss.map((x) => x.base_score)));
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('searches every section, best first, and within one section', async () => {
    const hits = (await get('/api/v1/kb/search?q=ezviz')).json() as Page<{ section: string; id: string; score: number }>;
    expect(hits.items[0]).toMatchObject({ section: 'brand', id: 'ezviz' });
    const scores = hits.items.map((h) => h.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    const measures = (await all('/api/v1/kb/search?q=hikvision&section=measure', 3)).items;
    expect(measures.length).toBeGreaterThan(3);
    expect(measures.every((h) => h.section === 'measure')).toBe(true);
    expect(new Set(measures.map((h) => h.id)).size).toBe(measures.length);
    expect((await get('/api/v1/kb/search')).statusCode).toBe(400);
  });

  it('asks for a sign-in', async () => {
    expect((await s.app.inject('/api/v1/kb/brands')).statusCode).toBe(401);
  });
});
