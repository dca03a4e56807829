// Journey "build a plan scenario": change budget and years, compare the scenarios (chart and table
// follow), adopt one, see its timeline and budget, move an item to in progress and done, record a
// disposal and download the plan workbook — against the real server, in both languages.
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, expectAccessible, expectKeyboardReachable, launchBrowser, newPage, screenshot, signIn, startDemoServer, type DemoServer, addPerson } from './harness.js';

// Browser globals used inside page.evaluate (the test project compiles without the DOM library).
declare const document: { querySelectorAll(s: string): ArrayLike<{ textContent: string | null }> };

const run = browserAvailable();

/** The table's body rows as arrays of cell texts. */
async function tableRows(page: Page, testId: string): Promise<string[][]> {
  return page.getByTestId(testId).locator('tbody tr').evaluateAll((rows) => rows.map((r) => [...r.children].map((c) => (c.textContent ?? '').trim())));
}

const euros = (text: string) => Number(text.replace(/[^\d]/g, ''));

describe.runIf(run)('the plan page', () => {
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

  it('starts with the demo plan already adopted', async () => {
    const page = await newPage(browser, 'en');
    await signIn(page, server);
    await page.goto(`${server.url}/o/demo/plan`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Phase-out plan');
    await page.getByTestId('plan-items').waitFor();
    const periods = await tableRows(page, 'plan-periods');
    expect(periods.length).toBeGreaterThan(1);
    expect(periods[0]![0]).toMatch(/^\d{4} Q[1-4]$/);
    // The demo plan's budget over its years: the risk-based scenario within € 60,000 a year.
    const budget = await tableRows(page, 'plan-budget');
    expect(budget.length).toBeGreaterThanOrEqual(4);
    for (const row of budget) expect(euros(row[1]!)).toBeLessThanOrEqual(60_000);
    await page.getByTestId('scenario-comparison').waitFor();
    await expectAccessible(page, 'plan page (English)');
    await page.context().close();
  });

  it('builds a plan scenario: compare, adopt, follow the timeline and the budget', async () => {
    const page = await newPage(browser, 'nl');
    await signIn(page, server);
    await page.goto(`${server.url}/o/demo/plan`);
    await page.getByTestId('scenario-comparison').waitFor();
    await expect.poll(() => page.getByTestId('scenario-basis').textContent()).toContain('budget onbeperkt');
    expect(await tableRows(page, 'scenario-years')).toHaveLength(5);
    await page.locator('[data-chart="cost"] svg').waitFor();
    await page.locator('[data-chart="risk"] svg').waitFor();
    const unlimited = await tableRows(page, 'scenario-comparison');
    expect(unlimited.map((r) => r[0])).toEqual(['Nu vervangen', 'Vervangen aan het einde van de levensduur', 'Op risico, binnen budget']);

    // Forty years is refused at the field, which takes focus and carries the reason.
    const yearsField = page.getByLabel('Aantal jaren');
    await yearsField.fill('40');
    await page.getByRole('button', { name: 'Scenario’s vergelijken' }).click();
    await expect.poll(() => yearsField.getAttribute('aria-invalid')).toBe('true');
    expect(await yearsField.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    const yearsError = (await yearsField.getAttribute('aria-describedby'))!.split(' ').at(-1)!;
    expect(await page.locator(`[id="${yearsError}"]`).textContent()).toContain('tussen 1 en 30');
    await expectAccessible(page, 'scenario form with a refused field');

    // Three years at € 40,000 a year: the table and the chart follow the new comparison.
    await page.getByLabel('Budget per jaar (euro)').fill('40.000');
    await yearsField.fill('3');
    await page.getByRole('button', { name: 'Scenario’s vergelijken' }).click();
    await expect.poll(() => page.getByTestId('scenario-basis').textContent()).toMatch(/€\s40\.000 per jaar/);
    expect(await yearsField.getAttribute('aria-invalid')).toBeNull();
    await expect.poll(async () => (await tableRows(page, 'scenario-years')).length).toBe(3);
    const years = await tableRows(page, 'scenario-years');
    // Risk-based keeps within the budget each year (its cost column is the third).
    for (const row of years) expect(euros(row[3]!)).toBeLessThanOrEqual(40_000);
    const tight = await tableRows(page, 'scenario-comparison');
    const riskBased = tight.find((r) => r[0] === 'Op risico, binnen budget')!;
    // Less money and fewer years: fewer measures and more risk left than without limits.
    const before = unlimited.find((r) => r[0] === 'Op risico, binnen budget')!;
    expect(euros(riskBased[1]!)).toBeLessThan(euros(before[1]!));
    expect(euros(riskBased[4]!)).toBeGreaterThan(euros(before[4]!));
    expect(euros(riskBased[3]!)).toBeGreaterThan(0);
    expect(await page.locator('[data-chart="risk"] svg').count()).toBe(1);
    await expectAccessible(page, 'plan page after comparing');
    await expectKeyboardReachable(page, 'plan page after comparing');
    await screenshot(page, 'plan-scenarios');

    // Adopt "replace at end of life" for these three years.
    await page.getByLabel('Welk scenario wordt het plan?').selectOption('end_of_life');
    await page.getByRole('button', { name: 'Vaststellen als plan' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'is vastgesteld als plan' }).count()).toBe(1);
    await expect.poll(async () => (await tableRows(page, 'plan-budget')).length).toBe(3);
    const plan = await page.evaluate(async () => ((await (await fetch('/api/v1/organisations/demo/plan?limit=1000')).json()) as { items: { scenario: string; year: number }[] }).items);
    expect(new Set(plan.map((i) => i.scenario))).toEqual(new Set(['end_of_life']));
    expect(Math.max(...plan.map((i) => i.year)) - Math.min(...plan.map((i) => i.year))).toBeLessThanOrEqual(2);

    // The first measure on the timeline: start it, then finish it, each with a note.
    const first = page.getByTestId('plan-items').locator('tr[data-item]').first();
    const itemId = (await first.getAttribute('data-item'))!;
    await first.getByRole('button', { name: /^Starten:/ }).click();
    await page.getByLabel('Notitie (optioneel)').fill('Installateur ingepland');
    await page.getByRole('button', { name: 'Opslaan' }).click();
    await expect.poll(() => page.locator(`tr[data-item="${itemId}"]`).textContent()).toContain('Bezig');
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'is nu “Bezig”' }).count()).toBe(1);
    await expectAccessible(page, 'plan page with an item in progress');
    await page.locator(`tr[data-item="${itemId}"]`).getByRole('button', { name: /^Gereedmelden:/ }).click();
    await page.getByLabel('Notitie (optioneel)').fill('Opgeleverd');
    await page.getByRole('button', { name: 'Opslaan' }).click();
    await expect.poll(() => page.locator(`tr[data-item="${itemId}"]`).textContent()).toContain('Gereed');
    const stored = await page.evaluate(async (id) => {
      const items = ((await (await fetch('/api/v1/organisations/demo/plan?limit=1000')).json()) as { items: { id: string; status: string; note: string | null; cost: number; year: number }[] }).items;
      return items.find((i) => i.id === id)!;
    }, itemId);
    expect(stored).toMatchObject({ status: 'done', note: 'Opgeleverd' });
    // The budget counts the finished item as spent in its year.
    const budget = await tableRows(page, 'plan-budget');
    const year = budget.find((r) => r[0] === String(stored.year))!;
    expect(euros(year[2]!)).toBe(stored.cost);
    expect(euros(year[4]!)).toBe(euros(year[1]!) - stored.cost);
    await screenshot(page, 'plan-timeline');
    await page.context().close();
  });

  it('records a disposal and downloads the plan workbook', async () => {
    const page = await newPage(browser, 'en');
    await signIn(page, server);
    await page.goto(`${server.url}/o/demo/plan`);
    await page.getByTestId('plan-items').waitFor();
    const device = page.getByLabel('Device', { exact: true });
    const options = await device.locator('option').evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value).filter(Boolean));
    expect(options.length).toBeGreaterThan(0);
    await device.selectOption(options[0]!);
    await page.getByLabel('How the storage was destroyed').fill('certified wipe');
    await page.getByLabel(/^Certificate of destruction/).fill('VN-2026-0042');
    await page.getByRole('button', { name: 'Record the disposal' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'is recorded' }).count()).toBe(1);
    await expect.poll(() => page.getByRole('region', { name: 'Disposed devices' }).textContent()).toContain('VN-2026-0042');
    const status = await page.evaluate(async (id) => ((await (await fetch(`/api/v1/organisations/demo/devices/${id}`)).json()) as { status: string }).status, options[0]!);
    expect(status).toBe('disposed');

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download the plan workbook (XLSX)' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('plan.xlsx');
    const bytes = await readFile((await file.path())!);
    // An XLSX is a ZIP archive.
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'The workbook is ready' }).count()).toBe(1);
    await expectAccessible(page, 'plan page after a disposal');
    await expectKeyboardReachable(page, 'plan page (English)');
    await screenshot(page, 'plan-disposal');
    await page.context().close();
  });

  it('shows a viewer the plan without the controls that change it', async () => {
    await addPerson(server, 'demo', 'lezer@lindeveld.example', 'viewer', 'lees-maar-mee-2026-x');
    const page = await newPage(browser, 'nl');
    await signIn(page, server, 'lezer@lindeveld.example', 'lees-maar-mee-2026-x');
    await page.goto(`${server.url}/o/demo/plan`);
    await page.getByTestId('plan-items').waitFor();
    await page.getByTestId('scenario-comparison').waitFor();
    expect(await page.getByRole('button', { name: 'Vaststellen als plan' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Starten:/ }).count()).toBe(0);
    expect(await page.locator('main').textContent()).toContain('een scenario vaststellen kan een bewerker of beheerder');
    expect(await changingForms(page)).toBe(0);
    await page.context().close();
  });
});

/** Forms that change something on the page (the scenario form only computes). */
async function changingForms(page: Page): Promise<number> {
  return page.evaluate(() => document.querySelectorAll('form[aria-label], .camaudit-plan-adopt').length);
}
