// Journey: import a spreadsheet with a corrected mapping. A register whose brand and IP columns
// camaudit does not recognise is matched by hand, dry-run (the deliberate error in row 4 shown
// with its row), imported without the faulty row while the job is followed through its event
// stream, and the devices are then in the register as the API reports it. Also: a file that is
// no register, the page in English, and a viewer who may not import.
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, expectAccessible, expectKeyboardReachable, launchBrowser, newPage, screenshot, signIn, startDemoServer, type DemoServer, addPerson } from './harness.js';
import { ROOT, webBuildDir } from './web-build.js';

interface Device { externalRef: string | null; brand: string | null; ip: string | null; kind: string; custom: Record<string, string>; siteName: string | null }

const run = browserAvailable();
const REGISTER = join(ROOT, 'test', 'fixtures', 'web', 'import-register.csv');
const VIEWER = 'kijker@lindeveld.example';
const VIEWER_PASSWORD = 'eikenblad-zomer-regen-31';

describe.runIf(run)('importing a register', () => {
  let server: DemoServer;
  let browser: Browser;

  beforeAll(async () => {
    // No background map is needed here; none is configured, so nothing leaves the machine.
    server = await startDemoServer({ web: { root: webBuildDir(), tileUrl: null } });
    browser = await launchBrowser();
    await addPerson(server, 'demo', VIEWER, 'viewer', VIEWER_PASSWORD);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('import a spreadsheet with a corrected mapping', async () => {
    const page = await newPage(browser, 'nl');
    await signIn(page, server);
    await page.goto(`${server.url}/o/demo/import`);
    await page.getByRole('heading', { level: 1, name: 'Register importeren' }).waitFor();
    await expectAccessible(page, 'import page');
    await expectKeyboardReachable(page, 'import page');

    await page.locator('#import-file-input').setInputFiles(REGISTER);
    const preview = page.getByTestId('preview-table');
    await preview.waitFor();
    // What camaudit recognised by itself, and what it did not.
    const selected = (field: string) => page.locator(`#map-${field}`).evaluate((el) => (el as unknown as { selectedOptions: { label: string }[] }).selectedOptions[0]!.label);
    expect(await selected('externalRef')).toBe('Cameranummer');
    expect(await selected('model')).toBe('Type');
    expect(await selected('site')).toBe('Locatie');
    expect(await preview.locator('thead').textContent()).not.toContain('Merk');
    expect(await page.locator('main').textContent()).toContain('Als extra gegevens bewaard: “Fabrikaat”, “Netwerkadres”, “Opmerking”');

    // Correct the mapping: brand and IP address are in the folded-away fields.
    await page.getByText('Overige gegevens').click();
    await page.locator('#map-brand').selectOption({ label: 'Fabrikaat' });
    await expect.poll(() => preview.locator('thead').textContent()).toContain('Merk');
    await page.locator('#map-ip').selectOption({ label: 'Netwerkadres' });
    await expect.poll(() => preview.locator('thead').textContent()).toContain('IP-adres');
    const row4 = preview.locator('tbody tr').filter({ has: page.locator('th', { hasText: /^4$/ }) });
    await expect.poll(() => row4.textContent()).toContain('Netwerkadres');
    expect(await preview.locator('tbody tr').first().textContent()).toContain('Hikvision');
    await expectAccessible(page, 'import mapping');
    await expectKeyboardReachable(page, 'import mapping');
    await screenshot(page, 'import-mapping');

    // Dry run: every row error named with its row, and what would be created; nothing written.
    await page.getByRole('button', { name: 'Proefimport uitvoeren' }).click();
    const dry = page.getByTestId('dry-run-result');
    await dry.waitFor();
    const errors = await page.getByTestId('row-errors').locator('tbody tr').allTextContents();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^4Netwerkadres10\.77\.0\.300/);
    expect(await dry.locator('[data-figure="wouldCreate"]').textContent()).toBe('4');
    expect(await dry.locator('[data-figure="rejected"]').textContent()).toBe('1');
    const devices = async () => page.evaluate(async () => (await (await fetch('/api/v1/organisations/demo/devices?q=IMP-&limit=100')).json()) as { items: Device[] });
    expect((await devices()).items).toEqual([]);
    await expectAccessible(page, 'import dry run');
    await screenshot(page, 'import-dry-run');

    // Import without the faulty row, followed through the job's event stream.
    const events = page.waitForRequest((r) => /\/api\/v1\/organisations\/demo\/jobs\/[0-9a-f-]+\/events$/.test(r.url()));
    await page.getByRole('button', { name: 'Importeren zonder de 1 rijen met fouten' }).click();
    expect((await events).headers().accept).toContain('text/event-stream');
    const result = page.getByTestId('import-result');
    await result.waitFor();
    expect(await result.getByRole('status').textContent()).toContain('De import is voltooid: 4 nieuw');
    expect(await result.locator('[data-figure="created"]').textContent()).toBe('4');
    expect(await page.getByRole('link', { name: 'Naar de apparatenlijst' }).getAttribute('href')).toBe('/o/demo/devices');

    // The devices are in the register, read through the corrected mapping.
    const imported = (await devices()).items;
    expect(imported.map((d) => d.externalRef).sort()).toEqual(['IMP-001', 'IMP-002', 'IMP-004', 'IMP-005']);
    const first = imported.find((d) => d.externalRef === 'IMP-001')!;
    expect(first).toMatchObject({ brand: 'Hikvision', ip: '10.77.0.11', kind: 'camera', siteName: 'Bibliotheek De Boekenberg' });
    expect(first.custom).toEqual({ Opmerking: 'ingang' });
    expect(imported.find((d) => d.externalRef === 'IMP-005')).toMatchObject({ kind: 'recorder', brand: 'Dahua' });
    await expectAccessible(page, 'import result');
    await expectKeyboardReachable(page, 'import result');
    await screenshot(page, 'import-result');
    await page.context().close();
  });

  it('says in English when a file is no register, and offers no import', async () => {
    const page = await newPage(browser, 'en');
    await signIn(page, server);
    await page.goto(`${server.url}/o/demo/import`);
    await page.getByRole('heading', { level: 1, name: 'Import a register' }).waitFor();
    await page.locator('#import-file-input').setInputFiles({ name: 'shopping list.csv', mimeType: 'text/csv', buffer: Buffer.from('Item,Quantity\napples,4\npears,2\n') });
    await page.getByTestId('preview-table').waitFor();
    await expect.poll(() => page.locator('main').textContent()).toContain('camaudit does not take the file for a register');
    expect(await page.getByRole('button', { name: 'Run a dry run' }).isDisabled()).toBe(true);
    // An empty file is refused by the server; its answer is shown.
    await page.locator('#import-file-input').setInputFiles({ name: 'empty.csv', mimeType: 'text/csv', buffer: Buffer.alloc(0) });
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('send the file as the request body');
    await expectAccessible(page, 'import page in English with an error');
    await screenshot(page, 'import-not-a-register-en');
    await page.context().close();
  });

  it('tells a viewer that importing is for people who maintain the register', async () => {
    const page = await newPage(browser, 'nl');
    await signIn(page, server, VIEWER, VIEWER_PASSWORD);
    await page.goto(`${server.url}/o/demo/import`);
    await expect.poll(() => page.locator('main').textContent()).toContain('Alleen wie het register beheert');
    expect(await page.locator('#import-file-input').count()).toBe(0);
    await page.context().close();
  });
});
