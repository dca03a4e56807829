// The reports page against the real server: the council report shown on the page and downloaded
// as HTML and DOCX in both languages (the bytes checked), PDF or the server's reason why not, and
// the open-data export in its public version.
import { readFile } from 'node:fs/promises';
import type { Browser, Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, expectAccessible, expectKeyboardReachable, launchBrowser, newPage, screenshot, signIn, startDemoServer, type DemoServer } from './harness.js';

const run = browserAvailable();

async function downloaded(page: Page, click: () => Promise<void>): Promise<{ name: string; bytes: Buffer }> {
  const waiting = page.waitForEvent('download');
  await click();
  const file: Download = await waiting;
  return { name: file.suggestedFilename(), bytes: await readFile((await file.path())!) };
}

describe.runIf(run)('the reports page', () => {
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

  it('shows the council report on the page and downloads it as HTML and DOCX, in Dutch and English', async () => {
    const page = await newPage(browser, 'nl');
    await signIn(page, server);
    await page.goto(`${server.url}/o/demo/reports`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Rapportages');
    await expectAccessible(page, 'reports page');
    await expectKeyboardReachable(page, 'reports page');

    await page.getByRole('button', { name: 'Rapportage tonen' }).click();
    const frame = page.frameLocator('[data-testid="council-frame"]');
    await expect.poll(() => frame.locator('body').textContent(), { timeout: 20_000 }).toContain('Gemeente Lindeveld');
    expect(await frame.locator('body').textContent()).toContain('Hikvision');
    expect(await page.getByTestId('council-frame').getAttribute('title')).toBe('Raadsrapportage (NL, Intern)');
    // Links in the report open in new tabs; the frame runs no scripts and has no origin of this page.
    expect(await frame.locator('head > base').first().getAttribute('target')).toBe('_blank');
    expect((await page.getByTestId('council-frame').getAttribute('sandbox'))!.split(' ').sort()).toEqual(['allow-popups', 'allow-popups-to-escape-sandbox']);
    await expectAccessible(page, 'reports page with the report shown');
    await screenshot(page, 'reports-council');

    for (const lang of ['nl', 'en'] as const) {
      await page.getByLabel('Taal van de rapportage').selectOption(lang);
      const html = await downloaded(page, () => page.getByRole('button', { name: 'Raadsrapportage · HTML downloaden' }).click());
      expect(html.name).toBe(`council-report-demo-${lang}.html`);
      const text = html.bytes.toString('utf8');
      expect(text).toMatch(/^<!DOCTYPE html>/i);
      expect(text).toContain(`lang="${lang}"`);
      expect(text).toContain('Gemeente Lindeveld');
      expect(text).toContain('Hikvision');
      const docx = await downloaded(page, () => page.getByRole('button', { name: 'Raadsrapportage · Word (DOCX) downloaden' }).click());
      expect(docx.name).toBe(`council-report-demo-${lang}.docx`);
      // A DOCX is a ZIP archive whose main part is word/document.xml.
      expect(docx.bytes.subarray(0, 4).toString('latin1')).toBe('PK\u0003\u0004');
      expect(docx.bytes.includes(Buffer.from('word/document.xml'))).toBe(true);
    }
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'is gedownload' }).count()).toBe(1);

    // The public edition in English says so in its file name and its title.
    await page.getByLabel('Editie').selectOption('public');
    const md = await downloaded(page, () => page.getByRole('button', { name: 'Raadsrapportage · Markdown downloaden' }).click());
    expect(md.name).toBe('council-report-demo-en-public.md');
    expect(md.bytes.toString('utf8')).toContain('Gemeente Lindeveld');
    await page.context().close();
  });

  it('answers PDF with the file or with the server\'s reason, and downloads public open data', async () => {
    const page = await newPage(browser, 'en');
    await signIn(page, server);
    await page.goto(`${server.url}/o/demo/reports`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Reports');
    const pdf = page.getByRole('button', { name: 'Download Council report · PDF' });
    const outcome = await Promise.race([
      page.waitForEvent('download', { timeout: 60_000 }).then(async (d) => ({ kind: 'file' as const, bytes: await readFile((await d.path())!) })),
      page.getByRole('alert').waitFor({ timeout: 60_000 }).then(async () => ({ kind: 'alert' as const, text: await page.getByRole('alert').textContent() })),
      pdf.click().then(() => new Promise<never>(() => undefined)),
    ]);
    if (outcome.kind === 'file') expect(outcome.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    else expect(outcome.text).toMatch(/Chromium/);

    await page.getByLabel('Public version (publication policy applied)').check();
    const geo = await downloaded(page, () => page.getByRole('button', { name: 'Download Open data (GeoJSON)' }).click());
    expect(geo.name).toBe('demo-public-sites.geojson');
    const collection = JSON.parse(geo.bytes.toString('utf8')) as { type: string; features: { properties: Record<string, unknown> }[] };
    expect(collection.type).toBe('FeatureCollection');
    expect(collection.features.length).toBeGreaterThan(0);
    expect(geo.bytes.toString('utf8')).not.toMatch(/"ip"|10\.\d+\.\d+\.\d+/);
    const hbom = await downloaded(page, () => page.getByRole('button', { name: 'Download Hardware bill of materials (CycloneDX)' }).click());
    expect(JSON.parse(hbom.bytes.toString('utf8'))).toMatchObject({ bomFormat: 'CycloneDX' });
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'has been downloaded' }).count()).toBe(1);
    await expectAccessible(page, 'reports page (English)');
    await screenshot(page, 'reports-exports');
    await page.context().close();
  });
});
