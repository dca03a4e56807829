// Journey: waive a finding. From a device's findings (?device=ID, as the device page links) to its
// restricted-maker finding; a waiver refused at the field until it has a reason and a date ahead,
// then granted and counted as waived (on the page and through the API); revoked again in English;
// a re-assessment followed to its end.
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, expectAccessible, expectKeyboardReachable, launchBrowser, newPage, screenshot, signIn, startDemoServer, type DemoServer } from './harness.js';

const run = browserAvailable();
const ORG = '/api/v1/organisations/demo';

interface FindingView { id: string; deviceId: string; rule: string; severity: string; status: string }

/** Whether the element has the keyboard focus. */
const isFocused = (locator: Locator) => locator.evaluate((el) => el === el.ownerDocument.activeElement);

async function apiGet<T>(page: Page, path: string): Promise<T> {
  return page.evaluate(async (p) => (await fetch(p)).json(), path) as Promise<T>;
}

function dayFromNow(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

describe.runIf(run)('risk: findings and waivers', () => {
  let server: DemoServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startDemoServer(), launchBrowser()]);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('waives a device\'s restricted-maker finding, sees it counted as waived, and revokes it', async () => {
    const page = await newPage(browser, 'nl');
    await signIn(page, server);
    const restricted = (await apiGet<{ items: FindingView[] }>(page, `${ORG}/findings?rule=restricted_manufacturer&status=open&limit=1`)).items[0]!;
    expect(restricted.severity).toBe('high');

    // The device page links here with the device chosen; the rule is then chosen on the page.
    await page.goto(`${server.url}/o/demo/risk?device=${restricted.deviceId}`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Risico\'s');
    const findings = page.getByRole('list', { name: 'Bevindingen' });
    await expect.poll(async () => (await findings.locator('article').count()) > 1).toBe(true);
    await expect.poll(() => page.getByLabel('Apparaat', { exact: true }).inputValue()).toBe(restricted.deviceId);
    await page.getByLabel('Soort bevinding').selectOption('restricted_manufacturer');
    await page.waitForURL((url) => url.searchParams.get('rule') === 'restricted_manufacturer' && url.searchParams.get('device') === restricted.deviceId);
    await expect.poll(() => findings.locator('article').count()).toBe(1);
    const article = findings.locator('article').first();
    expect(await article.getAttribute('data-finding')).toBe(restricted.id);
    expect(await article.textContent()).toContain('Fabrikant met beperkende maatregelen');
    expect(await article.textContent()).toContain('Hoog');
    // Why, in Dutch, and the sources as links.
    expect(await article.locator('p.utrecht-paragraph').first().textContent()).toMatch(/^Deze (camera|recorder)/);
    await article.locator('summary').click();
    await expect.poll(() => article.locator('a[href^="https://"]').count()).toBeGreaterThan(0);
    expect(await article.getByRole('link', { name: 'in de kennisbank' }).first().getAttribute('href')).toMatch(/^\/o\/demo\/kb\?q=/);
    // The summary covers this device and rule: one high finding, open.
    const high = page.getByTestId('risk-summary').locator('tr[data-severity="high"]');
    expect(await high.locator('[data-count="open"]').textContent()).toBe('1');
    expect(await high.locator('[data-count="waived"]').textContent()).toBe('0');
    await expectAccessible(page, 'risk page filtered to a device and rule');
    await expectKeyboardReachable(page, 'risk page filtered to a device and rule');
    await screenshot(page, 'risk-filtered');

    // The waiver form: cancelling gives focus back to the button that opened it.
    const waive = article.getByRole('button', { name: /^Waiver geven/ });
    await waive.click();
    await page.getByRole('button', { name: 'Annuleren' }).click();
    await expect.poll(() => isFocused(waive)).toBe(true);
    // The server's refusals appear at the field they are about.
    await waive.click();
    const reason = page.getByLabel('Reden');
    const until = page.getByLabel('Geldig tot en met');
    expect(await page.getByLabel('Goedgekeurd door').inputValue()).toBe('Demo beheerder');
    await page.getByRole('button', { name: 'Waiver vastleggen' }).click();
    await expect.poll(() => reason.getAttribute('aria-invalid')).toBe('true');
    const reasonError = await reason.getAttribute('aria-describedby');
    expect(await page.locator(`[id="${reasonError!.split(' ')[1]}"]`).textContent()).toContain('Vul een reden in');
    // The field the refusal is about takes focus.
    await expect.poll(() => reason.evaluate((el) => el === (el.ownerDocument as { activeElement: unknown }).activeElement)).toBe(true);
    await reason.fill('Vervanging is aanbesteed; levering in het tweede kwartaal.');
    await until.fill('2020-01-01');
    await page.getByRole('button', { name: 'Waiver vastleggen' }).click();
    await expect.poll(() => until.getAttribute('aria-invalid')).toBe('true');
    expect(await reason.getAttribute('aria-invalid')).toBeNull();
    expect(await page.locator('.camaudit-field-error').textContent()).toContain('ligt in het verleden');
    await expectAccessible(page, 'waiver form with an error');
    await screenshot(page, 'risk-waiver-form');
    const date = dayFromNow(60);
    await until.fill(date);
    await page.getByRole('button', { name: 'Waiver vastleggen' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Waiver vastgelegd' }).count()).toBe(1);
    // The form and its button are gone: focus is on the announcement.
    await expect.poll(() => isFocused(page.getByTestId('risk-notice'))).toBe(true);
    await expect.poll(() => article.getAttribute('data-status')).toBe('waived');
    expect(await article.textContent()).toContain('Staat: Geaccepteerd (waiver)');
    await expect.poll(() => high.locator('[data-count="waived"]').textContent()).toBe('1');
    expect(await high.locator('[data-count="open"]').textContent()).toBe('0');
    const waivers = page.getByRole('table', { name: 'Waivers' });
    await expect.poll(() => waivers.locator('tbody tr').first().textContent()).toContain('Vervanging is aanbesteed');
    expect(await waivers.locator('tbody tr').first().textContent()).toContain('Geldig');
    await expectAccessible(page, 'risk page with a waiver');
    await screenshot(page, 'risk-waived');

    // The server agrees: the finding is waived, and the waiver is in force.
    const waived = await apiGet<{ items: FindingView[] }>(page, `${ORG}/findings?status=waived`);
    expect(waived.items.map((f) => f.id)).toEqual([restricted.id]);
    const inForce = await apiGet<{ items: { id: string; state: string; reason: string; until: string; approver: string }[] }>(page, `${ORG}/waivers`);
    expect(inForce.items).toHaveLength(1);
    expect(inForce.items[0]).toMatchObject({ state: 'in_force', until: date, approver: 'Demo beheerder', reason: 'Vervanging is aanbesteed; levering in het tweede kwartaal.' });
    await page.context().close();

    // In English: the waived finding, revoked; the finding counts again.
    const en = await newPage(browser, 'en');
    await signIn(en, server);
    await en.goto(`${server.url}/o/demo/risk?status=waived`);
    await expect.poll(() => en.locator('h1').textContent()).toBe('Risks');
    const list = en.getByRole('list', { name: 'Findings' });
    await expect.poll(() => list.locator('article').count()).toBe(1);
    const item = list.locator('article').first();
    expect(await item.textContent()).toContain('Maker under restrictive measures');
    expect(await item.textContent()).toContain('State: Accepted (waiver)');
    expect(await item.locator('p.utrecht-paragraph').first().textContent()).toMatch(/^This (camera|recorder)/);
    await expectAccessible(en, 'risk page in English');
    await expectKeyboardReachable(en, 'risk page in English');
    await screenshot(en, 'risk-en');
    // Two presses: the question takes focus at "yes"; cancelling returns it to the first button.
    const revoke = item.getByRole('button', { name: /^Revoke waiver/ });
    await revoke.click();
    const yes = item.getByRole('button', { name: 'Yes, revoke' });
    await expect.poll(() => isFocused(yes)).toBe(true);
    await item.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => isFocused(revoke)).toBe(true);
    await en.keyboard.press('Enter');
    await expect.poll(() => isFocused(yes)).toBe(true);
    await expectAccessible(en, 'risk page asking to revoke a waiver');
    await en.keyboard.press('Enter');
    await expect.poll(() => en.getByRole('status').filter({ hasText: 'was revoked' }).count()).toBe(1);
    await expect.poll(() => isFocused(en.getByTestId('risk-notice'))).toBe(true);
    await expect.poll(() => list.locator('article').count()).toBe(0);
    const open = await apiGet<{ items: FindingView[] }>(en, `${ORG}/findings?device=${restricted.deviceId}&rule=restricted_manufacturer`);
    expect(open.items[0]!.status).toBe('open');
    const revoked = await apiGet<{ items: { state: string }[] }>(en, `${ORG}/waivers?state=revoked`);
    expect(revoked.items.map((w) => w.state)).toEqual(['revoked']);
    await en.getByLabel('Show waivers').selectOption('revoked');
    await expect.poll(() => en.getByRole('table', { name: 'Waivers' }).locator('tbody tr').first().textContent()).toContain('Revoked on');

    // Re-assessment as a job, followed to its end; a second assessment run is on record.
    await en.getByRole('button', { name: 'Re-assess' }).click();
    await expect.poll(() => en.getByTestId('reassess-status').textContent(), { timeout: 30_000 }).toBe('The assessment was updated.');
    const runs = await apiGet<{ items: unknown[] }>(en, `${ORG}/assessments`);
    expect(runs.items).toHaveLength(2);
    await en.context().close();
  }, 120_000);
});
