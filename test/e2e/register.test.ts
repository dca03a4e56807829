// Journeys through the register: the device list filtered, sorted, searched and paged with all of
// it in the address; the column chooser; a bulk edit checked through the API; exports of exactly
// the filtered view with formulas neutralised; sites and networks listed, filtered and edited.
import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, expectAccessible, expectKeyboardReachable, launchBrowser, newPage, screenshot, signIn, startDemoServer, type DemoServer } from './harness.js';

const run = browserAvailable();

/** Waits for the page to show something; a loaded two-core machine may take seconds. */
const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 15_000 });

interface ApiDevice {
  id: string;
  externalRef: string | null;
  kind: string;
  model: string | null;
  status: string;
  purpose: string | null;
  retentionDays: number | null;
  siteId: string | null;
}

/** A JSON request from inside the signed-in page (its cookie and CSRF token). */
async function apiCall<T>(page: Page, path: string, method = 'GET', body?: unknown): Promise<T> {
  return page.evaluate(async ({ path, method, body }) => {
    const session = await (await fetch('/api/v1/auth/session')).json() as { csrfToken: string };
    const res = await fetch(path, {
      method, headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.json();
  }, { path, method, body }) as Promise<T>;
}

const DEVICES = '/api/v1/organisations/demo/devices';

async function allDevices(page: Page, query: string): Promise<ApiDevice[]> {
  return (await apiCall<{ items: ApiDevice[] }>(page, `${DEVICES}?limit=1000&${query}`)).items;
}

const deviceTable = (page: Page, lang: 'nl' | 'en' = 'nl') => page.getByRole('table', { name: lang === 'nl' ? 'Apparaten in het register' : 'Devices in the register' });
const bodyRows = (page: Page) => deviceTable(page).locator('tbody tr');
/** The device links of the table's rows, in order (the first column names each device). */
const rowNames = (page: Page) => deviceTable(page).locator('tbody tr td:nth-child(2) a').allTextContents();

describe.runIf(run)('the device register', () => {
  let server: DemoServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await startDemoServer();
    browser = await launchBrowser();
    page = await newPage(browser, 'nl');
    await signIn(page, server);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('opens a filtered list from a link, filters further with the form, and back returns to the link', async () => {
    const hikvision = await allDevices(page, 'manufacturer=hikvision');
    expect(hikvision.length).toBeGreaterThan(10);
    expect(hikvision.length).toBeLessThanOrEqual(50);
    await page.goto(`${server.url}/o/demo/devices?manufacturer=hikvision`);
    await poll(() => bodyRows(page).count()).toBe(hikvision.length);
    expect(await page.locator('#filter-manufacturer').inputValue()).toBe('hikvision');
    // Labels sold by Hikvision under another name say who made them.
    const hiwatch = deviceTable(page).locator('tbody tr', { hasText: 'HiWatch' }).first();
    expect(await hiwatch.textContent()).toContain('gemaakt door Hikvision');
    // Risk is written out, not only coloured.
    await poll(() => deviceTable(page).locator('tbody tr').first().locator('.camaudit-risk').textContent()).toMatch(/Kritiek|Hoog|Middel|Laag|Geen bevindingen/);
    await expectAccessible(page, 'device list filtered by maker');
    await expectKeyboardReachable(page, 'device list filtered by maker');
    await screenshot(page, 'register-devices-filtered');

    const recorders = hikvision.filter((d) => d.kind === 'recorder');
    await page.locator('#filter-kind').selectOption('recorder');
    await page.getByRole('button', { name: 'Filter toepassen' }).click();
    await page.waitForURL(/kind=recorder/);
    expect(new URL(page.url()).searchParams.get('manufacturer')).toBe('hikvision');
    await poll(() => bodyRows(page).count()).toBe(recorders.length);
    expect((await rowNames(page)).sort()).toEqual(recorders.map((d) => d.externalRef).sort());

    await page.goBack();
    await page.waitForURL((u) => !u.search.includes('kind='));
    await poll(() => bodyRows(page).count()).toBe(hikvision.length);
    expect(await page.locator('#filter-kind').inputValue()).toBe('');
  });

  it('sorts by a column in both directions, as the API orders it', async () => {
    await page.goto(`${server.url}/o/demo/devices?manufacturer=dahua`);
    const ascending = (await allDevices(page, 'manufacturer=dahua&sort=model')).map((d) => d.externalRef);
    const descending = (await allDevices(page, 'manufacturer=dahua&sort=-model')).map((d) => d.externalRef);
    expect(ascending).not.toEqual(descending);
    await page.getByRole('button', { name: /^Model/ }).click();
    await page.waitForURL(/sort=model/);
    await poll(() => rowNames(page)).toEqual(ascending);
    expect(await page.locator('th[aria-sort="ascending"]').textContent()).toContain('Model');
    await page.getByRole('button', { name: /^Model/ }).click();
    await page.waitForURL(/sort=-model/);
    await poll(() => rowNames(page)).toEqual(descending);
    expect(await page.locator('th[aria-sort="descending"]').textContent()).toContain('Model');
  });

  it('searches by free text', async () => {
    await page.goto(`${server.url}/o/demo/devices`);
    await page.locator('#filter-q').fill('CAM-0060');
    await page.locator('#filter-q').press('Enter');
    await page.waitForURL(/q=CAM-0060/);
    await poll(() => rowNames(page)).toEqual(['CAM-0060']);
  });

  it('pages with the cursor in the address, and back and forward move between pages', async () => {
    const all = (await allDevices(page, 'sort=model')).map((d) => d.externalRef);
    await page.goto(`${server.url}/o/demo/devices?sort=model&limit=25`);
    await poll(() => rowNames(page)).toEqual(all.slice(0, 25));
    await page.getByRole('button', { name: 'Volgende' }).click();
    await page.waitForURL(/cursor=.*page=2|page=2.*cursor=/);
    await poll(() => rowNames(page)).toEqual(all.slice(25, 50));
    expect(await page.locator('.camaudit-pager').textContent()).toContain('Pagina 2');
    await page.getByRole('button', { name: 'Volgende' }).click();
    await page.waitForURL(/page=3/);
    await poll(() => rowNames(page)).toEqual(all.slice(50, 75));
    await page.getByRole('button', { name: 'Vorige' }).click();
    await page.waitForURL(/page=2/);
    await poll(() => rowNames(page)).toEqual(all.slice(25, 50));
    await page.goBack();
    await page.waitForURL(/page=3/);
    await poll(() => rowNames(page)).toEqual(all.slice(50, 75));
    // A page of the list is a link: opened afresh it shows the same devices.
    const link = page.url();
    const other = await newPage(browser, 'nl');
    await signIn(other, server);
    await other.goto(link);
    await poll(() => rowNames(other)).toEqual(all.slice(50, 75));
    await other.context().close();
    await page.getByRole('button', { name: 'Eerste pagina' }).click();
    await poll(() => rowNames(page)).toEqual(all.slice(0, 25));
  });

  it('remembers the chosen columns', async () => {
    await page.goto(`${server.url}/o/demo/devices?q=CAM-0060`);
    await poll(() => rowNames(page)).toEqual(['CAM-0060']);
    const headers = () => deviceTable(page).locator('thead th').allTextContents();
    expect((await headers()).join('|')).not.toContain('IP-adres');
    await page.getByText('Kolommen kiezen').click();
    await page.locator('#column-ip').check();
    await page.locator('#column-connectivity').uncheck();
    expect((await headers()).join('|')).toContain('IP-adres');
    await expectAccessible(page, 'column chooser open');
    await page.reload();
    await poll(() => rowNames(page)).toEqual(['CAM-0060']);
    const after = (await headers()).join('|');
    expect(after).toContain('IP-adres');
    expect(after).not.toContain('Netwerkverbinding');
    const [device] = await allDevices(page, 'q=CAM-0060');
    expect(await bodyRows(page).first().textContent()).toContain((await apiCall<{ ip: string }>(page, `${DEVICES}/${device!.id}`)).ip);
  });

  it('changes the status of two devices at once, confirmed first, and the API agrees', async () => {
    const axis = await allDevices(page, 'brand=Axis&sort=model');
    expect(axis.length).toBeGreaterThan(3);
    const [a, b, untouched] = axis;
    await page.goto(`${server.url}/o/demo/devices?brand=Axis&sort=model&limit=100`);
    await poll(() => bodyRows(page).count()).toBe(axis.length);
    await page.getByLabel(`Selecteer ${a!.externalRef}`).check();
    await page.getByLabel(`Selecteer ${b!.externalRef}`).check();
    await poll(() => page.getByText('2 apparaten geselecteerd.').count()).toBe(1);
    await page.locator('#bulk-field').selectOption('status');
    await page.locator('#bulk-value').selectOption('decommissioned');
    await page.getByRole('button', { name: 'Wijziging controleren' }).click();
    const confirm = page.getByRole('alertdialog');
    expect(await confirm.textContent()).toContain('Zet Status op “Buiten gebruik” voor 2 apparaten?');
    await expectAccessible(page, 'bulk edit confirmation');
    await screenshot(page, 'register-bulk-confirm');
    await confirm.getByRole('button', { name: 'Ja, wijzigen' }).click();
    await poll(() => page.getByRole('status').filter({ hasText: 'verwerkt' }).textContent()).toContain('2 apparaten verwerkt, 2 gewijzigd');
    const after = new Map((await allDevices(page, 'brand=Axis')).map((d) => [d.id, d.status]));
    expect(after.get(a!.id)).toBe('decommissioned');
    expect(after.get(b!.id)).toBe('decommissioned');
    expect(after.get(untouched!.id)).toBe(untouched!.status);
    // The table shows the new status without a reload.
    await poll(() => bodyRows(page).filter({ hasText: a!.externalRef! }).textContent()).toContain('Buiten gebruik');
  });

  it('shows the API\'s objection at the field, and changes nothing', async () => {
    const [device] = await allDevices(page, 'q=CAM-0060');
    await page.goto(`${server.url}/o/demo/devices?q=CAM-0060`);
    await poll(() => rowNames(page)).toEqual(['CAM-0060']);
    await page.getByLabel('Selecteer CAM-0060').check();
    await page.locator('#bulk-field').selectOption('retentionDays');
    await page.locator('#bulk-value').fill('drie maanden ongeveer');
    await page.getByRole('button', { name: 'Wijziging controleren' }).click();
    await page.getByRole('button', { name: 'Ja, wijzigen' }).click();
    await poll(() => page.locator('#bulk-value-error').textContent()).toContain('is not a retention period');
    expect(await page.getByRole('alert').first().textContent()).toContain('retentionDays');
    expect(await page.locator('#bulk-value').getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page, 'bulk edit with an error');
    const [again] = await allDevices(page, 'q=CAM-0060');
    expect(again!.retentionDays).toBe(device!.retentionDays);
  });

  it('exports exactly the filtered view as CSV and XLSX, with formulas neutralised', async () => {
    const filter = 'manufacturer=hikvision&kind=recorder';
    const expected = await allDevices(page, filter);
    expect(expected.length).toBeGreaterThan(1);
    const all = await allDevices(page, '');
    expect(all.length).toBeGreaterThan(expected.length);
    // A value a spreadsheet would run as a formula, set through the bulk edit.
    const target = expected[0]!;
    await page.goto(`${server.url}/o/demo/devices?${filter}`);
    await poll(() => bodyRows(page).count()).toBe(expected.length);
    await page.getByLabel(`Selecteer ${target.externalRef}`).check();
    await page.locator('#bulk-field').selectOption('purpose');
    await page.locator('#bulk-value').fill('=HYPERLINK("http://example.invalid","klik")');
    await page.getByRole('button', { name: 'Wijziging controleren' }).click();
    await page.getByRole('button', { name: 'Ja, wijzigen' }).click();
    await poll(() => page.getByRole('status').filter({ hasText: 'verwerkt' }).textContent()).toContain('1 apparaten verwerkt, 1 gewijzigd');

    const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Gefilterde lijst als CSV' }).click()]);
    expect(csvDownload.suggestedFilename()).toBe('demo-devices.csv');
    const csv = (await readFile((await csvDownload.path())!, 'utf8')).replace(/^\uFEFF/, '');
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toMatch(/^camaudit_id,reference,kind,brand,manufacturer,model,/);
    expect(lines.slice(1).map((l) => l.split(',')[0]).sort()).toEqual(expected.map((d) => d.id).sort());
    const targetLine = lines.find((l) => l.startsWith(target.id))!;
    expect(targetLine).toContain('"\'=HYPERLINK(""http://example.invalid"",""klik"")"');
    await poll(() => page.getByRole('status').filter({ hasText: 'gedownload' }).textContent()).toContain('demo-devices.csv');

    const [xlsxDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Gefilterde lijst als Excel (XLSX)' }).click()]);
    expect(xlsxDownload.suggestedFilename()).toBe('demo-devices.xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile((await xlsxDownload.path())!);
    const sheet = book.worksheets[0]!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header.slice(0, 3)).toEqual(['camaudit_id', 'reference', 'kind']);
    const ids: string[] = [];
    let purpose: unknown;
    const purposeColumn = header.indexOf('purpose') + 1;
    sheet.eachRow((row, n) => {
      if (n === 1) return;
      ids.push(String(row.getCell(1).value));
      if (row.getCell(1).value === target.id) purpose = row.getCell(purposeColumn).value;
    });
    expect(ids.sort()).toEqual(expected.map((d) => d.id).sort());
    expect(purpose).toBe('\'=HYPERLINK("http://example.invalid","klik")');
  });

  it('reads the same in English', async () => {
    const en = await newPage(browser, 'en');
    await signIn(en, server);
    await en.goto(`${server.url}/o/demo/devices?brand=HiWatch`);
    await poll(() => en.getByRole('heading', { level: 1 }).textContent()).toBe('Devices');
    await poll(() => deviceTable(en, 'en').locator('tbody tr').first().textContent()).toContain('made by Hikvision');
    expect(await en.getByRole('button', { name: 'Apply filters' }).count()).toBe(1);
    await expectAccessible(en, 'device list in English');
    await screenshot(en, 'register-devices-en');
    await en.context().close();
  });
});

describe.runIf(run)('sites and networks', () => {
  let server: DemoServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await startDemoServer();
    browser = await launchBrowser();
    page = await newPage(browser, 'nl');
    await signIn(page, server);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const siteTable = () => page.getByRole('table', { name: 'Locaties met hun aantal apparaten' });

  it('filters sites by category and opens a site\'s devices from its count', async () => {
    const garages = (await apiCall<{ items: { id: string; name: string; devices: number }[] }>(page, '/api/v1/organisations/demo/sites?category=parking_garage&limit=1000')).items;
    expect(garages.length).toBeGreaterThan(1);
    await page.goto(`${server.url}/o/demo/sites`);
    await page.locator('#sites-category').selectOption('parking_garage');
    await page.getByRole('button', { name: 'Filter toepassen' }).click();
    await page.waitForURL(/category=parking_garage/);
    await poll(() => siteTable().locator('tbody tr td:first-child').allTextContents()).toEqual(garages.map((g) => g.name));
    await expectAccessible(page, 'sites filtered');
    await expectKeyboardReachable(page, 'sites filtered');
    await screenshot(page, 'register-sites');
    const site = garages.find((g) => g.devices > 0)!;
    await siteTable().getByRole('link', { name: `${site.devices} apparaten op ${site.name}` }).click();
    await page.waitForURL(new RegExp(`/o/demo/devices\\?site=${site.id}`));
    await poll(() => bodyRows(page).count()).toBe(site.devices);
    expect(await page.locator('#filter-site').inputValue()).toBe(site.id);
  });

  it('adds a site, shows the API\'s objections at the fields, and edits it', async () => {
    await page.goto(`${server.url}/o/demo/sites`);
    await page.getByRole('button', { name: 'Locatie toevoegen' }).click();
    await page.locator('#site-name').fill('Atletiekbaan De Horst');
    await page.locator('#site-lat').fill('1');
    await page.locator('#site-lon').fill('2');
    await page.getByRole('button', { name: 'Opslaan' }).click();
    // The position is checked first: outside the municipality's area.
    await poll(() => page.locator('#site-position-error').textContent()).toContain('outside the area');
    await page.locator('#site-lat').fill('52.95');
    await page.locator('#site-lon').fill('6.45');
    await page.getByRole('button', { name: 'Opslaan' }).click();
    await poll(() => page.locator('#site-name-error').textContent()).toContain('already named');
    expect(await page.locator('#site-name').getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page, 'site form with errors');
    await screenshot(page, 'register-site-form-errors');
    await page.locator('#site-name').fill('Opslagloods Zuidrand');
    await page.locator('#site-category').selectOption('depot');
    await page.locator('#site-city').fill('Lindeveld');
    await page.getByRole('button', { name: 'Opslaan' }).click();
    await poll(() => page.getByRole('status').filter({ hasText: 'toegevoegd' }).textContent()).toContain('Locatie “Opslagloods Zuidrand” is toegevoegd.');
    const created = (await apiCall<{ items: { id: string; category: string; position: { lat: number } | null }[] }>(page, '/api/v1/organisations/demo/sites?q=Zuidrand')).items;
    expect(created).toHaveLength(1);
    expect(created[0]!.category).toBe('depot');
    expect(created[0]!.position?.lat).toBeCloseTo(52.95, 5);

    await page.goto(`${server.url}/o/demo/sites?q=Zuidrand`);
    await page.getByRole('button', { name: 'Opslagloods Zuidrand wijzigen' }).click();
    await page.locator('#site-address').fill('Industrieweg 4');
    await page.getByRole('button', { name: 'Opslaan' }).click();
    await poll(() => siteTable().textContent()).toContain('Industrieweg 4');
  });

  it('filters networks, and an administrator adds one with address ranges', async () => {
    const exposed = (await apiCall<{ items: { name: string }[] }>(page, '/api/v1/organisations/demo/networks?connectivity=internet_exposed&limit=1000')).items;
    await page.goto(`${server.url}/o/demo/networks?connectivity=internet_exposed`);
    const table = page.getByRole('table', { name: 'Netwerken met hun aantal apparaten' });
    await poll(() => table.locator('tbody tr td:first-child').allTextContents()).toEqual(exposed.length ? exposed.map((n) => n.name) : ['Geen resultaten.']);
    await page.getByRole('button', { name: 'Netwerk toevoegen' }).click();
    await page.locator('#network-name').fill('Cameranetwerk werf');
    await page.locator('#network-connectivity').selectOption('isolated');
    await page.locator('#network-cidrs').fill('10.77.0.0/16\nnot-a-range');
    await page.getByRole('button', { name: 'Opslaan' }).click();
    await poll(() => page.locator('#network-cidrs-error').textContent()).toContain('not-a-range');
    await page.locator('#network-cidrs').fill('10.77.0.0/16');
    await page.getByRole('button', { name: 'Opslaan' }).click();
    await poll(() => page.getByRole('status').filter({ hasText: 'toegevoegd' }).textContent()).toContain('Cameranetwerk werf');
    const made = (await apiCall<{ items: { cidrs: string[]; connectivity: string }[] }>(page, '/api/v1/organisations/demo/networks?q=werf')).items;
    expect(made).toEqual([expect.objectContaining({ cidrs: ['10.77.0.0/16'], connectivity: 'isolated' })]);
    await expectAccessible(page, 'networks');
    await expectKeyboardReachable(page, 'networks');
    await screenshot(page, 'register-networks');

    const en = await newPage(browser, 'en');
    await signIn(en, server);
    await en.goto(`${server.url}/o/demo/networks`);
    await poll(() => en.getByRole('table', { name: 'Networks with their number of devices' }).textContent()).toContain('Cameranetwerk werf');
    await en.goto(`${server.url}/o/demo/sites`);
    await poll(() => en.getByRole('heading', { level: 1 }).textContent()).toBe('Sites');
    await expectAccessible(en, 'sites in English');
    await en.context().close();
  });
});
