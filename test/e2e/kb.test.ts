// Journeys in the knowledge base: a search finds the HiWatch brand with Hikvision as its true maker
// and the sources behind that; a section filtered by the server shows confidence in words.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, expectAccessible, expectKeyboardReachable, launchBrowser, newPage, screenshot, signIn, startDemoServer, type DemoServer } from './harness.js';

const run = browserAvailable();

describe.runIf(run)('the knowledge base', () => {
  let server: DemoServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startDemoServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('finds HiWatch with Hikvision as its maker and the sources behind it', async () => {
    const page = await newPage(browser, 'nl');
    await signIn(page, server);
    await page.goto(`${server.url}/o/demo/kb`);
    await page.getByText(/Versie \d{4}\.\d+\.\d+ van/).waitFor();
    await page.getByLabel('Zoek in de hele kennisbank').fill('HiWatch');
    await page.getByRole('button', { name: 'Zoeken' }).click();
    await page.waitForURL(/\/o\/demo\/kb\?q=HiWatch$/);
    const row = page.locator('tbody tr', { has: page.locator('th', { hasText: 'Merk: HiWatch → Echte fabrikant: Hikvision' }) });
    await row.waitFor();
    // The maker by name, not by its id in the knowledge base.
    expect(await row.locator('th').textContent()).toContain('Echte fabrikant: Hikvision');
    expect(await row.textContent()).toMatch(/eigen merk/);
    expect(await row.textContent()).toMatch(/Zekerheid: (hoog|middel|laag)/);
    await row.getByRole('button', { name: /Bronnen/ }).click();
    const sources = row.locator('.camaudit-sources a');
    expect(await sources.count()).toBeGreaterThan(0);
    for (const href of await sources.evaluateAll((as) => as.map((a) => a.getAttribute('href')))) expect(href).toMatch(/^https?:\/\//);
    // The answer is the server's: the same brand record with the same sources.
    const api = await page.request.get(`${server.url}/api/v1/kb/search?q=HiWatch`);
    const hit = ((await api.json()) as { items: { section: string; id: string; record: { vendor: string; sources: unknown[] } }[] }).items.find((h) => h.id === 'hiwatch')!;
    expect(hit).toMatchObject({ section: 'brand', record: { vendor: 'hikvision' } });
    expect(await sources.count()).toBe(hit.record.sources.filter((s) => (s as { url?: string }).url).length);
    await expectAccessible(page, 'knowledge base search');
    await expectKeyboardReachable(page, 'knowledge base search');
    await screenshot(page, 'kb-search-hiwatch');

    // Numbers, dates and the knowledge base's own values in Dutch: 9,8 and 6 mei 2017, not 9.8 and 2017-05-06.
    await page.goto(`${server.url}/o/demo/kb?q=CVE-2017-7921`);
    const cve = page.locator('tbody tr', { hasText: 'CVE-2017-7921' }).first();
    await cve.waitFor();
    expect(await cve.textContent()).toContain('CVSS: 9,8');
    expect(await cve.textContent()).toContain('6 mei 2017');
    await page.goto(`${server.url}/o/demo/kb?section=measures`);
    await page.getByLabel('Soort maatregel').selectOption({ label: 'inkoopverbod' });
    await page.getByRole('button', { name: 'Toepassen' }).click();
    await expect.poll(async () => (await page.locator('tbody tr').allTextContents()).every((t) => t.includes('inkoopverbod'))).toBe(true);
    const measures = (await page.locator('tbody tr').allTextContents()).join('\n');
    expect(measures).not.toMatch(/procurement_ban|in_force/);
    expect(measures).toMatch(/van kracht/);
    await expectAccessible(page, 'knowledge base measures');
    await page.context().close();
  }, 120_000);

  it('filters a section on the server and shows each record\'s certainty in words, in English', async () => {
    const page = await newPage(browser, 'en');
    await signIn(page, server);
    await page.goto(`${server.url}/o/demo/kb?section=brands`);
    await page.locator('table caption', { hasText: 'Brands and OEM' }).waitFor();
    const all = await page.locator('tbody tr').count();
    await page.getByLabel('Confidence').selectOption('low');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(async () => page.locator('tbody tr').count()).toBeLessThan(all);
    const texts = await page.locator('tbody tr').allTextContents();
    expect(texts.length).toBeGreaterThan(0);
    for (const t of texts) expect(t).toContain('Confidence: low');
    const api = await page.request.get(`${server.url}/api/v1/kb/brands?confidence=low&limit=50`);
    expect(texts.length).toBe(((await api.json()) as { items: unknown[] }).items.length);
    await expectAccessible(page, 'knowledge base brands (en)');
    await expectKeyboardReachable(page, 'knowledge base brands (en)');
    await screenshot(page, 'kb-brands-en');

    await page.getByRole('link', { name: 'Vulnerabilities' }).click();
    await page.locator('table caption', { hasText: 'Vulnerabilities' }).waitFor();
    await page.getByLabel('On the KEV list').selectOption('true');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(async () => (await page.locator('tbody tr').allTextContents()).every((t) => t.includes('On the KEV list since'))).toBe(true);
    await expectAccessible(page, 'knowledge base vulnerabilities (en)');
    await page.context().close();
  }, 120_000);
});
