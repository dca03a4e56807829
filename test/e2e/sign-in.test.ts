// Journeys: sign in and see only one's own organisation; switch language (remembered).
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, DEMO_PASSWORD, expectAccessible, expectKeyboardReachable, launchBrowser, newPage, screenshot, signIn, startDemoServer, type DemoServer, addPerson } from './harness.js';

const run = browserAvailable();

describe.runIf(run)('signing in, organisations and language', () => {
  let server: DemoServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startDemoServer();
    browser = await launchBrowser();
    expect((await server.cli(['init', '--name', 'Gemeente Noordveld', '--slug', 'noord', '--cbs', 'GM9998'])).code).toBe(0);
    await addPerson(server, 'noord', 'lezer@noordveld.example', 'viewer', 'kastanje-boom-regen-77');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('refuses a wrong password with one message and no session', async () => {
    const page = await newPage(browser);
    await page.goto(`${server.url}/o/demo/devices`);
    await page.waitForURL(/\/sign-in\?returnTo=/);
    await expectAccessible(page, 'sign-in page');
    await expectKeyboardReachable(page, 'sign-in page');
    await screenshot(page, 'sign-in');
    await page.locator('input[name="email"]').fill('demo@lindeveld.example');
    await page.locator('input[name="password"]').fill('not the password at all');
    await page.locator('form button[type="submit"]').click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('klopt niet');
    expect(page.url()).toContain('/sign-in');
    await page.context().close();
  });

  it('after signing in goes where the person was going', async () => {
    const page = await newPage(browser);
    await page.goto(`${server.url}/o/demo/devices`);
    await page.waitForURL(/\/sign-in/);
    await page.locator('input[name="email"]').fill('demo@lindeveld.example');
    await page.locator('input[name="password"]').fill(DEMO_PASSWORD);
    await page.locator('form button[type="submit"]').click();
    await page.waitForURL(/\/o\/demo\/devices$/);
    await expect.poll(() => page.locator('header').textContent()).toContain('Gemeente Lindeveld');
    await page.context().close();
  });

  it('shows a person only the organisation they hold a role in, and the server agrees', async () => {
    const page = await newPage(browser);
    await signIn(page, server, 'lezer@noordveld.example', 'kastanje-boom-regen-77');
    expect(page.url()).toMatch(/\/o\/noord\/overview$/);
    const header = await page.locator('header').textContent();
    expect(header).toContain('Gemeente Noordveld');
    expect(header).not.toContain('Lindeveld');
    // No organisation switcher: there is only one.
    expect(await page.locator('header select').count()).toBe(0);
    // A viewer gets no import or administration in the menu.
    const nav = await page.getByRole('navigation').first().textContent();
    expect(nav).not.toContain('Importeren');
    expect(nav).not.toContain('Beheer');
    // Another organisation's pages show nothing of it, and its API answers 404 as for a missing one.
    await page.goto(`${server.url}/o/demo/devices`);
    await expect.poll(() => page.locator('main').textContent()).toContain('geen rol in organisatie');
    expect(await page.locator('main').textContent()).not.toContain('Hikvision');
    const status = await page.evaluate(async () => (await fetch('/api/v1/organisations/demo/devices')).status);
    expect(status).toBe(404);
    await page.context().close();
  });

  it('switches the language, remembers it, and says so in <html lang>', async () => {
    const page = await newPage(browser, 'nl');
    await signIn(page, server);
    expect(await page.getAttribute('html', 'lang')).toBe('nl');
    await expect.poll(() => page.getByRole('navigation').first().textContent()).toContain('Apparaten');
    await page.getByTestId('language-switch').click();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await expect.poll(() => page.getByRole('navigation').first().textContent()).toContain('Devices');
    await page.reload();
    await expect.poll(() => page.getByRole('navigation').first().textContent()).toContain('Devices');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.getByTestId('language-switch').click();
    await expect.poll(() => page.getByRole('navigation').first().textContent()).toContain('Apparaten');
    await page.context().close();
  });
});
