// Journeys on the overview: the council's four questions for the demo organisation, the
// Hikvision and Dahua figures equal to what the API and the CLI count, and a figure followed to the
// device list holding exactly that many devices. Accessible, keyboard-reachable, both languages.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, expectAccessible, expectKeyboardReachable, launchBrowser, newPage, screenshot, signIn, startDemoServer, type DemoServer } from './harness.js';

const run = browserAvailable();

interface Figure { count: number; filter: Record<string, string> }
interface Overview {
  inService: string[];
  inventory: { devices: Figure; makers: (Figure & { key: string })[]; oem: Figure & { brands: (Figure & { brand: string })[] } };
  exposure: { kev: Figure };
}

describe.runIf(run)('the overview', () => {
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

  const overviewOf = async (page: Page) => {
    const res = await page.request.get(`${server.url}/api/v1/organisations/demo/overview`);
    expect(res.status()).toBe(200);
    return (await res.json()) as Overview;
  };
  const totalOf = async (page: Page, filter: Record<string, string>) => {
    const res = await page.request.get(`${server.url}/api/v1/organisations/demo/devices?${new URLSearchParams({ ...filter, limit: '1' })}`);
    expect(res.status(), await res.text()).toBe(200);
    return ((await res.json()) as { total: number }).total;
  };
  /** The number in the maker table's row for this manufacturer. */
  const makerCell = (page: Page, name: string) =>
    page.locator('figure', { hasText: 'fabrikant' }).first().locator('tbody tr', { has: page.locator('th', { hasText: name }) }).locator('a');

  it('shows the Hikvision and Dahua counts the API and the CLI give, and leads from a figure to exactly those devices', async () => {
    const page = await newPage(browser, 'nl');
    await signIn(page, server);
    expect(page.url()).toMatch(/\/o\/demo\/overview$/);
    await page.getByRole('heading', { name: '1. Wat hebben we?' }).waitFor();
    const o = await overviewOf(page);
    const hikvision = o.inventory.makers.find((m) => m.key === 'hikvision')!;
    const dahua = o.inventory.makers.find((m) => m.key === 'dahua')!;
    expect(hikvision.count).toBeGreaterThan(0);
    expect(dahua.count).toBeGreaterThan(0);

    // The CLI lists the same devices for the same filter.
    for (const maker of [hikvision, dahua]) {
      const listed = await server.cli(['--org', 'demo', '--json', 'devices', 'list', '--manufacturer', maker.key, '--status', o.inService.join(',')]);
      expect(listed.code, listed.stderr).toBe(0);
      expect((JSON.parse(listed.stdout) as unknown[]).length).toBe(maker.count);
      expect(await totalOf(page, maker.filter)).toBe(maker.count);
    }
    expect(await makerCell(page, 'Hikvision').textContent()).toBe(String(hikvision.count));
    expect(await makerCell(page, 'Dahua').textContent()).toBe(String(dahua.count));

    // Labels of another maker, with the knowledge base's sources behind the judgement.
    const hiwatch = page.locator('li', { hasText: 'HiWatch → gemaakt door Hikvision' });
    await hiwatch.first().waitFor();
    await hiwatch.first().getByRole('button', { name: /Bronnen/ }).click();
    expect(await hiwatch.first().locator('.camaudit-sources a[href^="http"]').count()).toBeGreaterThan(0);
    expect(await hiwatch.first().textContent()).toMatch(/Zekerheid: (hoog|middel|laag)/);
    // The measures behind a restricted maker carry their dates as Dutch writes them, at the precision recorded.
    const measures = (await page.locator('.camaudit-overview__measures > li').allTextContents()).join('\n');
    expect(measures.length).toBeGreaterThan(0);
    expect(measures).not.toMatch(/\(\d{4}-\d{2}(-\d{2})?\)/);
    expect(measures).toMatch(/\((\d{1,2} )?(jan|feb|mrt|apr|mei|jun|jul|aug|sep|okt|nov|dec|januari|februari|maart|april|juni|juli|augustus|september|oktober|november|december)\.? \d{4}\)/);

    await expectAccessible(page, 'overview (nl)');
    await expectKeyboardReachable(page, 'overview (nl)');
    await screenshot(page, 'overview-nl');

    // Following the Hikvision figure opens the device list filtered to exactly those devices.
    await makerCell(page, 'Hikvision').click();
    await page.waitForURL(/\/o\/demo\/devices\?/);
    const params = Object.fromEntries(new URL(page.url()).searchParams);
    expect(params).toEqual(hikvision.filter);
    expect(await totalOf(page, params)).toBe(hikvision.count);
    await page.context().close();
  }, 120_000);

  it('traces the KEV and OEM figures to the device list, and reads in English', async () => {
    const page = await newPage(browser, 'en');
    await signIn(page, server);
    await page.getByRole('heading', { name: '1. What do we have?' }).waitFor();
    await page.getByRole('heading', { name: '4. What do we require of suppliers?' }).waitFor();
    const o = await overviewOf(page);
    expect(o.exposure.kev.count).toBeGreaterThan(0);
    expect(await totalOf(page, o.exposure.kev.filter)).toBe(o.exposure.kev.count);
    expect(await totalOf(page, o.inventory.oem.filter)).toBe(o.inventory.oem.count);
    expect(o.inventory.oem.brands.reduce((n, b) => n + b.count, 0)).toBe(o.inventory.oem.count);
    const kevLink = page.locator('li', { hasText: 'known to be exploited' }).getByRole('link');
    expect(await kevLink.textContent()).toBe(`${o.exposure.kev.count} devices`);
    expect(await page.locator('li', { hasText: 'HiWatch → made by Hikvision' }).count()).toBeGreaterThan(0);
    await expect.poll(() => page.locator('#require-title ~ p', { hasText: 'tender clauses' }).count()).toBeGreaterThan(0);
    await expectAccessible(page, 'overview (en)');
    await screenshot(page, 'overview-en');
    await kevLink.click();
    await page.waitForURL(/\/o\/demo\/devices\?/);
    expect(Object.fromEntries(new URL(page.url()).searchParams)).toEqual(o.exposure.kev.filter);
    await page.context().close();
  }, 120_000);
});
