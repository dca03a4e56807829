// The procurement page against the real server: a bid list with a HiWatch camera comes back
// restricted with Hikvision named and its sources listed; the Word report downloads; the clause
// library is listed with its legal bases, in both languages.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, expectAccessible, expectKeyboardReachable, launchBrowser, newPage, screenshot, signIn, startDemoServer, type DemoServer } from './harness.js';
import { ROOT } from './web-build.js';

const run = browserAvailable();
const BID = join(ROOT, 'test', 'fixtures', 'bids', 'bid-nl.csv');

describe.runIf(run)('the procurement page', () => {
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

  it('screens a bid list: the HiWatch camera is restricted, made by Hikvision, with sources', async () => {
    const page = await newPage(browser, 'nl');
    await signIn(page, server);
    await page.goto(`${server.url}/o/demo/procurement`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Inkoop');
    await page.getByTestId('clause-library').waitFor();
    await expectAccessible(page, 'procurement page');

    // Screening without a file says what is missing.
    await page.getByRole('button', { name: 'Lijst toetsen' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toBe('Kies eerst een bestand.');

    await page.getByLabel('Lijst met apparatuur (CSV of XLSX)').setInputFiles(BID);
    await page.getByRole('button', { name: 'Lijst toetsen' }).click();
    await page.getByTestId('screening-lines').waitFor();
    const hiwatch = page.locator('[data-testid="screening-lines"] tr[data-row="2"]');
    expect(await hiwatch.textContent()).toContain('HiWatch');
    expect(await hiwatch.locator('td').nth(1).textContent()).toContain('Hikvision');
    expect(await hiwatch.locator('td').nth(2).locator('[data-verdict]').getAttribute('data-verdict')).toBe('restricted');
    expect(await hiwatch.locator('td').nth(2).textContent()).toContain('Niet toegestaan');
    expect(await hiwatch.locator('td').nth(3).textContent()).toContain('gemaakt door Hikvision');
    // Its citations point into the source list, which holds the KB's sources with their addresses.
    const cite = hiwatch.locator('a.camaudit-procurement-cite').first();
    const target = (await cite.getAttribute('href'))!;
    const sources = page.getByTestId('screening-sources');
    expect(await sources.locator(`li[id="${decodeURIComponent(target.slice(1))}"] a`).getAttribute('href')).toMatch(/^https?:\/\//);
    const urls = await sources.locator('a').evaluateAll((as) => as.map((a) => (a as unknown as { href: string }).href));
    expect(urls).toContain('https://github.com/maciej-or/hikvision_next/pull/107');
    expect(await page.locator('[data-count="restricted"]').textContent()).toBe('2');
    expect(await page.locator('[data-count="clear"]').textContent()).toBe('1');
    // The formula in the last line is shown as text, never run.
    expect(await page.getByTestId('screening-lines').textContent()).toContain('=HYPERLINK');
    await expectAccessible(page, 'procurement page with a screening');
    await expectKeyboardReachable(page, 'procurement page with a screening');
    await screenshot(page, 'procurement-screening');

    const waiting = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Als Word-rapport downloaden' }).click();
    const file = await waiting;
    expect(file.suggestedFilename()).toBe('screening-bid-nl.csv.docx');
    const bytes = await readFile((await file.path())!);
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('PK\u0003\u0004');
    await page.context().close();
  });

  it('lists the clause library with legal bases, copies a clause and downloads the library, in English', async () => {
    const page = await newPage(browser, 'en');
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    await signIn(page, server);
    await page.goto(`${server.url}/o/demo/procurement`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Procurement');
    const library = page.getByTestId('clause-library');
    await library.waitFor();
    const clauses = library.locator('article[data-clause]');
    expect(await clauses.count()).toBeGreaterThanOrEqual(10);
    const first = clauses.first();
    expect(await first.textContent()).toContain('Legal basis');
    expect(await first.locator('a[href^="https://"]').count()).toBeGreaterThan(0);
    const text = (await first.locator('blockquote').textContent())!;
    const title = (await first.locator('h4').textContent())!;
    await first.getByRole('button', { name: `Copy text: ${title}` }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'is on the clipboard' }).count()).toBe(1);
    expect(await page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText())).toBe(text);

    const waiting = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download the library (Markdown)' }).click();
    const file = await waiting;
    expect(file.suggestedFilename()).toBe('camaudit-clauses-en.md');
    expect((await readFile((await file.path())!, 'utf8'))).toContain(title);
    await expectAccessible(page, 'procurement page (English)');
    await expectKeyboardReachable(page, 'procurement page (English)');
    await screenshot(page, 'procurement-clauses');
    await page.context().close();
  });
});
