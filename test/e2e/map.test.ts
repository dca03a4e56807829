// Journeys on the map: sites as markers and groups marked by risk shape and word, a legend, a
// table with the same figures as the API; groups and sites opened by keyboard, a site's devices
// with links; the background tiles unreachable (the page says so and everything else works);
// and a viewer who is shown secret sites only approximately, by the server as well as the page.
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, expectAccessible, expectKeyboardReachable, launchBrowser, newPage, screenshot, signIn, startDemoServer, type DemoServer, addPerson } from './harness.js';
import { webBuildDir } from './web-build.js';

// Functions passed to page.evaluate run in the browser; the test project has no DOM library.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare const document: any;

interface MapSite {
  id: string; name: string; position: { lat: number; lon: number } | null; precision: string | null;
  inService: number; devices: number; highestSeverity: string | null; restricted: number; openFindings: number;
}
interface MapAnswer { sites: MapSite[]; exactPositions: boolean }

const run = browserAvailable();
const VIEWER = 'lezer@lindeveld.example';
const VIEWER_PASSWORD = 'kastanje-boom-regen-77';
// Port 9 (discard) on loopback: nothing answers, so every tile fails as it would behind a firewall.
const DEAD_TILES = 'http://127.0.0.1:9/{z}/{x}/{y}.png';
const NL_RISK: Record<string, string> = { critical: 'Kritiek', high: 'Hoog', medium: 'Middel', low: 'Laag', info: 'Informatief' };

const markers = (page: Page) => page.locator('[data-testid="site-map"] .camaudit-map-marker');
const clusters = (page: Page) => page.locator('[data-testid="site-map"] .camaudit-map-cluster');
const fetchJson = <T>(page: Page, url: string) => page.evaluate(async (u) => {
  const res = await fetch(u);
  return { status: res.status, text: await res.text() };
}, url).then((r) => ({ ...r, data: JSON.parse(r.text) as T }));

describe.runIf(run)('the map', () => {
  let server: DemoServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startDemoServer({ web: { root: webBuildDir(), tileUrl: DEAD_TILES } });
    browser = await launchBrowser();
    await addPerson(server, 'demo', VIEWER, 'viewer', VIEWER_PASSWORD);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows sites by risk shape and word, groups them, says the background is unavailable, and lists the same figures as the API', async () => {
    const page = await newPage(browser, 'nl');
    await signIn(page, server);
    await page.goto(`${server.url}/o/demo/map`);
    await page.getByRole('heading', { level: 1, name: 'Kaart' }).waitFor();
    await markers(page).first().waitFor();
    await expect.poll(() => page.getByTestId('tile-notice').textContent()).toContain('achtergrondkaart kan niet worden geladen');

    const api = (await fetchJson<MapAnswer>(page, '/api/v1/organisations/demo/map/sites')).data;
    expect(api.exactPositions).toBe(true);
    const placed = api.sites.filter((s) => s.position !== null);
    expect(placed.length).toBeGreaterThan(20);
    // Every placed site is on the map once: alone, or counted in a group.
    const groupCounts = await clusters(page).locator('.camaudit-map-cluster__count').evaluateAll((els) => els.map((el) => el.dataset.count as string));
    expect(groupCounts.length).toBeGreaterThan(0);
    expect(await markers(page).count() + groupCounts.reduce((n, c) => n + Number(c), 0)).toBe(placed.length);
    // Not colour alone: each marker is a named button with its risk in words, and a shape.
    for (const el of await markers(page).all()) {
      expect(await el.getAttribute('role')).toBe('button');
      expect(await el.getAttribute('aria-label')).toMatch(/hoogste risico (Kritiek|Hoog|Middel|Laag|Informatief|Geen open bevindingen)/);
      expect(await el.locator('svg path').count()).toBe(1);
    }
    expect(await clusters(page).first().getAttribute('aria-label')).toMatch(/^Groep van \d+ locaties, hoogste risico/);
    const legend = await page.locator('.camaudit-map-legend').textContent();
    for (const word of [...Object.values(NL_RISK), 'Geen open bevindingen', 'bij benadering']) expect(legend).toContain(word);

    // The table holds every site with the API's figures.
    const rows = page.locator('#map-table-title ~ * table tbody tr');
    expect(await rows.count()).toBe(api.sites.length);
    for (const row of await rows.all()) {
      const cells = await row.locator('td').allTextContents();
      const site = api.sites.find((s) => s.name === cells[0]);
      expect(site, cells[0]).toBeDefined();
      expect(cells[3]).toContain(site!.highestSeverity ? NL_RISK[site!.highestSeverity]! : 'Geen open bevindingen');
      expect(cells[4]).toBe(String(site!.openFindings));
      expect(cells[5]).toContain(String(site!.restricted));
      expect(cells[6]).toBe(site!.position ? 'Exact' : 'Geen positie');
    }
    await expectAccessible(page, 'map page');
    await expectKeyboardReachable(page, 'map page');
    await screenshot(page, 'map');
    await page.context().close();
  });

  it('opens a group and then a site by keyboard, and lists the site\'s devices with links', async () => {
    const page = await newPage(browser, 'nl');
    await signIn(page, server);
    await page.goto(`${server.url}/o/demo/map`);
    await clusters(page).first().waitFor();
    const before = await markers(page).count();
    const group = clusters(page).first();
    const size = Number(await group.locator('.camaudit-map-cluster__count').getAttribute('data-count'));
    await group.focus();
    await page.keyboard.press('Enter');
    // Zoomed in: more single markers than before, and focus is on what the group held.
    await expect.poll(() => markers(page).count()).toBeGreaterThan(before);
    await expect.poll(() => page.evaluate(() => {
      const el = document.activeElement;
      return el?.classList.contains('camaudit-map-marker') || el?.classList.contains('camaudit-map-cluster');
    })).toBe(true);
    expect(size).toBeGreaterThan(1);

    // A site marker by keyboard: its devices appear and focus moves to them.
    const site = markers(page).first();
    const name = (await site.getAttribute('aria-label'))!.split(':')[0]!;
    await site.focus();
    await page.keyboard.press('Enter');
    const panel = page.getByTestId('site-panel');
    await expect.poll(() => panel.locator('h2').textContent()).toBe(name);
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('map-site-title');
    const api = (await fetchJson<MapAnswer>(page, '/api/v1/organisations/demo/map/sites')).data.sites.find((s) => s.name === name)!;
    await panel.locator('tbody tr').first().waitFor();
    expect(await panel.locator('tbody tr').count()).toBe(api.devices);
    expect(await panel.locator('tbody a[href*="/o/demo/devices/"]').count()).toBe(api.devices);
    expect(await panel.getByRole('link', { name: 'Deze locatie in de apparatenlijst' }).getAttribute('href')).toBe(`/o/demo/devices?site=${api.id}`);
    await expectAccessible(page, 'map with a site open');
    await screenshot(page, 'map-site');

    // From the table: the same site opens, and the map moves to it.
    await page.getByRole('button', { name: 'Sluiten' }).last().click();
    await page.locator('#map-table-title ~ * table').getByRole('button', { name, exact: true }).click();
    await expect.poll(() => panel.locator('h2').textContent()).toBe(name);
    await page.context().close();
  });

  it('gives a viewer secret sites only approximately, from the server and on the page (English)', async () => {
    // Each device's own override makes its site secret. Administrators set the organisation-wide
    // level on the administration page (admin.test.ts follows that path); nothing sets a device's
    // override yet, so the test writes them into the database.
    const db = new Database(server.db);
    const exact: { lat: number; lon: number }[] = db.prepare('SELECT lat, lon FROM sites WHERE lat IS NOT NULL').all() as { lat: number; lon: number }[];
    db.prepare('UPDATE devices SET publication_json = ? WHERE site_id IS NOT NULL').run(JSON.stringify({ location_exact: 'secret' }));
    db.close();
    expect(exact.length).toBeGreaterThan(20);

    const page = await newPage(browser, 'en');
    await signIn(page, server, VIEWER, VIEWER_PASSWORD);
    await page.goto(`${server.url}/o/demo/map`);
    await page.getByRole('heading', { level: 1, name: 'Map' }).waitFor();
    await markers(page).first().waitFor();
    await expect.poll(() => page.locator('main').textContent()).toContain('you see an approximate position');

    const answer = await fetchJson<MapAnswer>(page, '/api/v1/organisations/demo/map/sites');
    expect(answer.data.exactPositions).toBe(false);
    const sites = await fetchJson<{ items: { positionPrecision: string | null; address: string | null }[] }>(page, '/api/v1/organisations/demo/sites?limit=1000');
    for (const s of answer.data.sites.filter((x) => x.position)) {
      expect(s.precision).toBe('approximate');
      expect(Number(s.position!.lat.toFixed(2))).toBe(s.position!.lat);
    }
    for (const s of sites.data.items.filter((x) => x.positionPrecision !== null)) expect(s).toMatchObject({ positionPrecision: 'approximate', address: null });
    // No exact coordinate reaches the viewer's browser from either route.
    for (const p of exact) {
      for (const text of [answer.text, sites.text]) {
        if (Number(p.lat.toFixed(2)) !== p.lat) expect(text).not.toContain(String(p.lat));
        if (Number(p.lon.toFixed(2)) !== p.lon) expect(text).not.toContain(String(p.lon));
      }
    }
    // On the page: dashed markers said to be approximate, and the table says so.
    for (const el of await markers(page).all()) {
      expect(await el.getAttribute('class')).toContain('camaudit-map-marker--approximate');
      expect(await el.getAttribute('aria-label')).toContain('approximate position');
    }
    const positions = await page.locator('#map-table-title ~ * table tbody tr td:last-child').allTextContents();
    expect(new Set(positions.filter((p) => p !== 'No position'))).toEqual(new Set(['Approximate (±1 km)']));
    await expectAccessible(page, 'map for a viewer');
    await expectKeyboardReachable(page, 'map for a viewer');
    await screenshot(page, 'map-viewer-en');
    await page.context().close();
  });
});
