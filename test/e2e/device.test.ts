// Journey "open a device and read why it is flagged": from the device list to a device sold under
// another brand, its restricted-maker finding with the why and its sources, and the evidence the
// true maker rests on; then a field edited on the device page and seen in its history.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, expectAccessible, expectKeyboardReachable, launchBrowser, newPage, screenshot, signIn, startDemoServer, type DemoServer } from './harness.js';

const run = browserAvailable();

/** Waits for the page to show something; a loaded two-core machine may take seconds. */
const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 15_000 });

interface Finding {
  rule: string;
  severity: string;
  why: { nl: string; en: string };
  sources: { url?: string; title?: string }[];
}

interface Device {
  id: string;
  externalRef: string;
  purpose: string | null;
  identity: { manufacturer: string; evidence: { rule: string; value: string }[] };
}

async function apiGet<T>(page: Page, path: string): Promise<T> {
  return page.evaluate(async (p) => (await fetch(p)).json(), path) as Promise<T>;
}

describe.runIf(run)('a device and why it is flagged', () => {
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

  it('opens a HiWatch device from the list and reads the restricted-maker finding, its sources and the identity evidence', async () => {
    const page = await newPage(browser, 'nl');
    await signIn(page, server);
    await page.goto(`${server.url}/o/demo/devices?brand=HiWatch&sort=model`);
    const table = page.getByRole('table', { name: 'Apparaten in het register' });
    await poll(() => table.locator('tbody tr').count()).toBeGreaterThan(0);
    const firstRow = table.locator('tbody tr').first();
    expect(await firstRow.textContent()).toContain('gemaakt door Hikvision');
    const name = (await firstRow.locator('a').first().textContent())!;
    await firstRow.getByRole('link', { name }).click();
    await page.waitForURL(/\/o\/demo\/devices\/[0-9a-f-]{36}$/);
    const id = page.url().split('/').pop()!;
    const device = await apiGet<Device>(page, `/api/v1/organisations/demo/devices/${id}`);
    const findings = (await apiGet<{ items: Finding[] }>(page, `/api/v1/organisations/demo/devices/${id}/findings`)).items;
    const restricted = findings.find((f) => f.rule === 'restricted_manufacturer')!;
    expect(restricted).toBeDefined();
    expect(device.externalRef).toBe(name);

    await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain(name);
    expect(await page.getByTestId('true-maker').textContent()).toBe('Hikvision — verkocht onder het merk HiWatch');

    const finding = page.locator('article[data-rule="restricted_manufacturer"]');
    await poll(() => finding.count()).toBe(1);
    expect(await finding.getByRole('heading', { level: 3 }).textContent()).toBe('Fabrikant met beperkende maatregelen');
    expect(await finding.locator('.camaudit-risk').textContent()).toContain('Hoog');
    expect(await finding.getByTestId('finding-why').textContent()).toBe(restricted.why.nl);
    const hrefs = await finding.locator('a[href^="http"]').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    expect(hrefs).toEqual(restricted.sources.filter((s) => s.url).map((s) => s.url));
    expect(await finding.getByRole('link', { name: 'Risico accepteren of waivers beheren' }).getAttribute('href')).toBe(`/o/demo/risk?device=${id}`);

    // The identity: every piece of evidence, the rule that read it, and the brand's KB sources.
    const evidence = page.getByTestId('identity-evidence');
    const rows = evidence.locator('tbody tr');
    expect(await rows.count()).toBe(device.identity.evidence.length);
    const evidenceText = await evidence.textContent();
    for (const e of device.identity.evidence) {
      expect(evidenceText).toContain(e.rule);
      expect(evidenceText).toContain(e.value);
    }
    expect(evidenceText).toContain('kb:brand:HiWatch');
    await poll(() => page.getByRole('heading', { name: 'Bronnen voor het merk HiWatch' }).count()).toBe(1);
    await poll(() => page.getByRole('heading', { name: 'Bronnen in de kennisbank over Hikvision' }).count()).toBe(1);

    await expectAccessible(page, 'device page');
    await expectKeyboardReachable(page, 'device page');
    await screenshot(page, 'device-page');

    // The same device in English: the why in English.
    const en = await newPage(browser, 'en');
    await signIn(en, server);
    await en.goto(`${server.url}/o/demo/devices/${id}`);
    const enFinding = en.locator('article[data-rule="restricted_manufacturer"]');
    await poll(() => enFinding.getByTestId('finding-why').textContent()).toBe(restricted.why.en);
    expect(await enFinding.getByRole('heading', { level: 3 }).textContent()).toBe('Restricted manufacturer');
    expect(await en.getByTestId('true-maker').textContent()).toBe('Hikvision — sold under the brand HiWatch');
    await expectAccessible(en, 'device page in English');
    await screenshot(en, 'device-page-en');
    await en.context().close();
    await page.context().close();
  });

  it('edits a field on the device page; the change is saved and shows in the history', async () => {
    const page = await newPage(browser, 'nl');
    await signIn(page, server);
    const [device] = (await apiGet<{ items: (Device & { ip: string })[] }>(page, '/api/v1/organisations/demo/devices?q=CAM-0060')).items;
    await page.goto(`${server.url}/o/demo/devices/${device!.id}`);
    await page.getByRole('button', { name: 'Gegevens wijzigen' }).click();
    await page.locator('#edit-ip').fill('999.1.1.1');
    await page.getByRole('button', { name: 'Opslaan' }).click();
    await poll(() => page.locator('#edit-ip-error').textContent()).toContain('is not an IP address');
    await expectAccessible(page, 'device edit form with an error');
    await screenshot(page, 'device-edit-error');
    await page.locator('#edit-ip').fill('192.168.21.99');
    await page.locator('#edit-purpose').fill('Toezicht op de fietsenstalling');
    await page.getByRole('button', { name: 'Opslaan' }).click();
    await poll(() => page.getByRole('status').filter({ hasText: 'opgeslagen' }).count()).toBe(1);
    const after = await apiGet<Device & { ip: string }>(page, `/api/v1/organisations/demo/devices/${device!.id}`);
    expect(after.ip).toBe('192.168.21.99');
    expect(after.purpose).toBe('Toezicht op de fietsenstalling');
    const history = page.getByTestId('history');
    await poll(() => history.locator('li').first().textContent()).toContain('Gewijzigd');
    expect(await history.locator(':scope > li').first().textContent()).toContain(`IP-adres: ${device!.ip} → 192.168.21.99`);
    await page.context().close();
  });
});
