// The national view against the real server: the demo municipality's administrator previews and
// publishes its aggregate to a coordinating organisation on the same server, and that
// organisation's coordinator sees the national summary — withheld counts as "< threshold", never
// as 0 — in both languages.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, expectAccessible, expectKeyboardReachable, launchBrowser, newPage, screenshot, signIn, startDemoServer, type DemoServer } from './harness.js';

const run = browserAvailable();
const COORDINATOR = { email: 'analist@landelijk.example', password: 'landelijk-beeld-2026-kaart' };

interface Row { code: string; threshold: number; devices: number | null; makerGroup: Record<string, number | null>; internetExposed: number | null; critical: number | null; high: number | null }

describe.runIf(run)('the national view', () => {
  let server: DemoServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startDemoServer();
    browser = await launchBrowser();
    for (const [args, env] of [
      [['init', '--name', 'Landelijk beeld', '--slug', 'landelijk'], {}],
      [['--org', 'landelijk', 'users', 'add', COORDINATOR.email, '--role', 'coordinator', '--password-env', 'PW'], { PW: COORDINATOR.password }],
      // The demo administrator may publish to the coordinator (the publish permission there).
      [['--org', 'landelijk', 'users', 'add', 'demo@lindeveld.example', '--role', 'publisher'], {}],
    ] as const) {
      const r = await server.cli([...args], env);
      expect(r.code, r.stderr).toBe(0);
    }
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('lets the municipality\'s administrator preview and publish its aggregate', async () => {
    const page = await newPage(browser, 'en');
    await signIn(page, server);
    await page.goto(`${server.url}/o/demo/coordinator`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('National view');
    const preview = page.getByTestId('aggregate-preview');
    await preview.waitFor();
    expect(await preview.textContent()).toContain('Gemeente Lindeveld (demo) (GM9999)');
    // An administrator who is no coordinator sees no summary.
    expect(await page.getByTestId('national-summary').count()).toBe(0);
    await expectAccessible(page, 'national view, publishing');
    await expectKeyboardReachable(page, 'national view, publishing');

    await page.getByRole('button', { name: 'Publish' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toBe('Fill in where to publish to.');
    await page.getByLabel('To', { exact: true }).fill('local:landelijk');
    await page.getByRole('button', { name: 'Publish' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'published to landelijk' }).count()).toBe(1);
    await screenshot(page, 'coordinator-publish');
    // An earlier period as well, so the trend has two months.
    const earlier = await server.cli(['--org', 'demo', 'federation', 'publish', '--to', 'local:landelijk', '--period', '2026-06-01']);
    expect(earlier.code, earlier.stderr).toBe(0);
    await page.context().close();
  });

  it('shows the coordinator the national summary, withheld counts as below the threshold', async () => {
    const page = await newPage(browser, 'nl');
    await signIn(page, server, COORDINATOR.email, COORDINATOR.password);
    expect(page.url()).toMatch(/\/o\/landelijk\/coordinator$/);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Landelijk beeld');
    await page.getByTestId('national-summary').waitFor();
    const headlines = await page.getByTestId('headlines').locator('li').allTextContents();
    expect(headlines[0]).toMatch(/^1\s*Gemeenten/);
    expect(headlines[1]).toMatch(/^1\s*Met Hikvision of Dahua in gebruik/);

    // Every figure of the demo's row as the API has it: a withheld one reads "< 5", never 0.
    const summary = await page.evaluate(async () => (await (await fetch('/api/v1/organisations/landelijk/federation/summary')).json()) as { municipalities: Row[] });
    const row = summary.municipalities.find((m) => m.code === 'GM9999')!;
    const figures = [row.devices, ...['hikvision', 'dahua', 'other_restricted', 'other', 'unknown'].map((g) => row.makerGroup[g]!), row.internetExposed, row.critical, row.high];
    expect(figures).toContain(null);
    const cells = (await page.locator('[data-testid="municipalities"] tr[data-code="GM9999"] td').allTextContents()).slice(2);
    expect(cells).toHaveLength(figures.length);
    figures.forEach((value, i) => expect(cells[i]).toBe(value === null ? `< ${row.threshold}` : new Intl.NumberFormat('nl-NL').format(value)));
    expect(await page.locator('main').textContent()).toContain('het is niet 0');

    const trend = await page.getByTestId('trend').locator('tbody th').allTextContents();
    expect(trend[0]).toBe('2026-06');
    expect(trend.length).toBeGreaterThanOrEqual(2);
    await page.locator('[data-chart="trend"] svg').waitFor();
    // A coordinator publishes nothing of its own and holds no register.
    expect(await page.getByTestId('aggregate-preview').count()).toBe(0);
    await expectAccessible(page, 'national view, coordinator');
    await expectKeyboardReachable(page, 'national view, coordinator');
    await screenshot(page, 'coordinator-summary');

    await page.getByTestId('language-switch').click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('National view');
    await expect.poll(() => page.getByTestId('national-totals').locator('caption').textContent()).toBe('National totals by maker group');
    // The language switch keeps hover and focus after the click; the page is judged as it rests.
    await page.mouse.move(640, 700);
    await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { blur(): void } | null } }).document.activeElement?.blur());
    await expectAccessible(page, 'national view, coordinator (English)');
    await page.context().close();
  });
});
