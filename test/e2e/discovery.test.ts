// Journeys: run a lab scan and watch its progress; open the run and see the lab's Hikvision and
// Dahua devices identified and matched to the register; compare two runs; stop a scan; refused
// targets and bundles; enrol and revoke an agent. Against `camaudit lab` on loopback and the demo
// server allowed to scan loopback.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDevices } from '../../src/lab/emulator/catalogue.js';
import { browserAvailable, expectAccessible, expectKeyboardReachable, launchBrowser, newPage, screenshot, signIn, startDemoServer, type DemoServer } from './harness.js';
import { ROOT } from './web-build.js';

const run = browserAvailable();

/** Whether the element has the keyboard focus. */
const isFocused = (locator: Locator) => locator.evaluate((el) => el === el.ownerDocument.activeElement);

const SUBNET = '127.77.93.0/26';
const SEED = 1;
const COUNT = 8;
const LAB = generateDevices(COUNT, SUBNET, SEED);

/** `camaudit lab` in its own process, once it printed its ready line. */
async function startLab(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test', 'helpers', 'cli-entry.ts'),
    'lab', '--devices', String(COUNT), '--subnet', SUBNET, '--seed', String(SEED)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => line.includes('"ready":true') && resolve());
    child.once('exit', (code) => reject(new Error(`lab exited (${String(code)}) before it was ready:\n${stderr}`)));
  });
  return child;
}

/** An API call with the browser's session, as the web application makes it. */
async function apiCall<T>(page: Page, method: string, path: string, body?: unknown): Promise<{ status: number; json: T }> {
  return page.evaluate(async ({ method, path, body }) => {
    const session = await (await fetch('/api/v1/auth/session')).json() as { csrfToken: string };
    const res = await fetch(path, {
      method, headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, json: await res.json().catch(() => null) };
  }, { method, path, body }) as Promise<{ status: number; json: T }>;
}

/** Fills the scan form's politeness: slow enough that the progress can be watched. */
async function politeness(page: Page, rate: string) {
  await page.getByLabel('Nieuwe verbindingen per seconde (0 = onbeperkt)').fill(rate);
  await page.getByLabel('Pauze per apparaat (ms)').fill('0');
  await page.getByLabel('Wachttijd per poging (ms)').fill('800');
}

describe.runIf(run)('discovery: scans, runs, bundles and agents', () => {
  let lab: ChildProcess;
  let server: DemoServer;
  let browser: Browser;

  beforeAll(async () => {
    [lab, server, browser] = await Promise.all([startLab(), startDemoServer({ scans: { allowLoopback: true } }), launchBrowser()]);
    // The lab's range registered as a network (an administrator's step on the networks page).
    const page = await newPage(browser, 'nl');
    await signIn(page, server);
    const network = await apiCall<{ id: string }>(page, 'POST', '/api/v1/organisations/demo/networks', { name: 'Proeflab', cidrs: [SUBNET], connectivity: 'isolated' });
    expect(network.status).toBe(201);
    await page.context().close();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (lab && lab.exitCode === null) {
      lab.kill('SIGTERM');
      await once(lab, 'exit');
    }
  });

  it('runs a lab scan and watches its progress, then sees the lab\'s Hikvision and Dahua devices identified; diffs two runs', async () => {
    const page = await newPage(browser, 'nl');
    await signIn(page, server);
    await page.goto(`${server.url}/o/demo/discovery`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Ontdekken');
    await page.getByLabel(/^Proeflab/).waitFor();
    await expectAccessible(page, 'discovery page');
    await expectKeyboardReachable(page, 'discovery page');
    await screenshot(page, 'discovery');

    // A target outside the registered networks is refused by the server, which names it.
    await page.getByLabel('Andere adressen').fill('10.99.0.0/24');
    await page.getByRole('button', { name: 'Scan starten' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('10.99.0.0/24');
    expect(await page.getByRole('alert').textContent()).toContain('outside the organisation\'s registered networks');
    await page.getByLabel('Andere adressen').fill('');

    // A port the form can tell is wrong is refused at its field, which takes focus and names the reason.
    const portsField = page.getByLabel('Poorten (optioneel)');
    await portsField.fill('80, 99999');
    await page.getByRole('button', { name: 'Scan starten' }).click();
    await expect.poll(() => portsField.getAttribute('aria-invalid')).toBe('true');
    await expect.poll(() => isFocused(portsField)).toBe(true);
    const portsError = (await portsField.getAttribute('aria-describedby'))!.split(' ').at(-1)!;
    expect(await page.locator(`[id="${portsError}"]`).textContent()).toContain('"99999" is geen poortnummer');
    await expectAccessible(page, 'scan form with a refused field');
    await portsField.fill('');

    // The scan: 64 addresses at 50 new connections a second takes several seconds.
    await page.getByLabel(/^Proeflab/).check();
    await politeness(page, '50');
    await page.getByRole('button', { name: 'Scan starten' }).click();
    const status = page.getByTestId('scan-status');
    const seen = new Set<string>();
    const bar = page.locator('progress');
    const values = new Set<number>();
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const text = (await status.textContent().catch(() => null)) ?? '';
      if (text) seen.add(text);
      const value = await bar.evaluate((el) => (el as unknown as { value: number }).value).catch(() => null);
      if (value !== null) values.add(value);
      if (text.startsWith('De scan is klaar')) break;
      await page.waitForTimeout(150);
    }
    const final = await status.textContent();
    expect(final).toMatch(/^De scan is klaar: 64 van 64 adressen gescand, 8 apparaten gevonden\.$/);
    // The line and the bar moved while the scan ran, not only at the end.
    expect([...seen].filter((s) => /^\d+ van 64 adressen gescand/.test(s)).length, [...seen].join('\n')).toBeGreaterThanOrEqual(2);
    expect([...values].filter((v) => v > 0 && v < 64).length).toBeGreaterThanOrEqual(1);
    expect(await status.getAttribute('aria-live')).toBe('polite');
    await expectAccessible(page, 'discovery page after a scan');
    await screenshot(page, 'discovery-scan-done');
    // The run is listed.
    await expect.poll(() => page.getByRole('table', { name: 'Scanrondes' }).locator('tbody tr').count()).toBe(1);

    await page.getByRole('link', { name: 'Bekijk de gevonden apparaten van deze scan' }).click();
    await page.waitForURL(/\/o\/demo\/discovery\/[0-9a-f-]{36}$/);
    const hosts = page.getByTestId('run-hosts');
    await hosts.waitFor();
    expect(await hosts.locator('tbody tr').count()).toBe(COUNT);
    for (const device of LAB.filter((d) => d.manufacturer === 'hikvision' || d.manufacturer === 'dahua')) {
      const row = hosts.locator('tbody tr', { has: page.locator(`th:text-is("${device.ip}")`) });
      expect(await row.locator('td').first().textContent(), device.ip).toContain(device.manufacturer === 'hikvision' ? 'Hikvision' : 'Dahua');
      // Matched to the register: the device it became links to its page.
      expect(await row.getByRole('link').getAttribute('href')).toMatch(/^\/o\/demo\/devices\/[0-9a-f-]{36}$/);
    }
    // An OEM label (HiLook) is still Hikvision.
    const oem = LAB.find((d) => d.brand === 'HiLook')!;
    expect(await hosts.locator('tbody tr', { has: page.locator(`th:text-is("${oem.ip}")`) }).locator('td').first().textContent()).toContain('Hikvision');
    await expect.poll(() => page.getByText('Er is nog geen andere scanronde om mee te vergelijken.').count()).toBe(1);
    await expectAccessible(page, 'scan run page');
    await expectKeyboardReachable(page, 'scan run page');
    await screenshot(page, 'scan-run');
    const firstRun = page.url();

    // A second run that leaves one Hikvision camera out: the diff shows it gone.
    const left = LAB.find((d) => d.manufacturer === 'hikvision' && d.brand === 'Hikvision')!;
    await page.goto(`${server.url}/o/demo/discovery`);
    await page.getByLabel(/^Proeflab/).check();
    await page.getByLabel('Uitsluiten').fill(left.ip);
    await politeness(page, '0');
    await page.getByRole('button', { name: 'Scan starten' }).click();
    await expect.poll(() => page.getByTestId('scan-status').textContent(), { timeout: 60_000 }).toMatch(/^De scan is klaar: 63 van 63 adressen gescand, 7 apparaten gevonden/);
    await page.getByRole('link', { name: 'Bekijk de gevonden apparaten van deze scan' }).click();
    await page.waitForURL((url) => /\/discovery\/[0-9a-f-]{36}$/.test(url.pathname) && url.href !== firstRun);
    await expect.poll(() => page.getByTestId('diff-summary').textContent()).toMatch(/0 nieuw, 1 verdwenen, 0 veranderd, 7 gelijk\.$/);
    expect(await page.getByTestId('diff-gone').locator('tbody th').allTextContents()).toEqual([left.ip]);
    await expectAccessible(page, 'scan run page with a diff');
    await screenshot(page, 'scan-run-diff');

    // Compared the other way round: from this run to the first, the camera is new.
    const select = page.getByLabel('Vergelijk met');
    await select.selectOption({ index: 0 });
    await expect.poll(() => page.getByTestId('diff-summary').textContent()).toContain('1 verdwenen');
    await page.context().close();
  }, 120_000);

  it('stops a running scan and keeps what it found', async () => {
    const page = await newPage(browser, 'nl');
    await signIn(page, server);
    await page.goto(`${server.url}/o/demo/discovery`);
    await page.getByLabel(/^Proeflab/).check();
    await politeness(page, '25');
    await page.getByRole('button', { name: 'Scan starten' }).click();
    await expect.poll(() => page.getByTestId('scan-status').textContent(), { timeout: 30_000 }).toMatch(/adressen gescand/);
    await page.getByRole('button', { name: 'Scan stoppen' }).click();
    await expect.poll(() => page.getByTestId('scan-status').textContent(), { timeout: 20_000 }).toMatch(/^De scan is gestopt na \d+ van 64 adressen/);
    // The interrupted run is on record.
    await page.getByLabel('Status', { exact: true }).selectOption('interrupted');
    await expect.poll(() => page.getByRole('table', { name: 'Scanrondes' }).locator('tbody tr').first().textContent()).toContain('Onderbroken');
    await page.context().close();
  }, 60_000);

  it('refuses a file that is no scan bundle, and enrols and revokes an agent, in English', async () => {
    const page = await newPage(browser, 'en');
    await signIn(page, server);
    await page.goto(`${server.url}/o/demo/discovery`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Discovery');

    await page.getByLabel('Scan bundle').setInputFiles({ name: 'depot.bundle', mimeType: 'application/octet-stream', buffer: Buffer.from('ip,brand\n10.0.0.1,Hikvision\n') });
    await page.getByRole('button', { name: 'Check (record nothing)' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('depot.bundle is not a camaudit scan bundle');
    expect(await page.getByRole('button', { name: 'Import', exact: true }).isDisabled()).toBe(true);

    await page.getByLabel('Name of the agent').fill('depot-noord');
    await page.getByLabel('Scopes').fill('network:Proeflab');
    await page.getByRole('button', { name: 'Make an enrolment token' }).click();
    const token = page.getByTestId('enrolment-token');
    await expect.poll(() => token.textContent()).toMatch(/^cae_/);
    const tokenText = (await token.textContent())!;
    await expectAccessible(page, 'discovery page with an enrolment token');
    await expectKeyboardReachable(page, 'discovery page (English)');
    await screenshot(page, 'discovery-agent-token');
    // The token is shown once: the agent list never carries it.
    const listed = await apiCall<{ items: unknown[] }>(page, 'GET', '/api/v1/organisations/demo/agents');
    expect(JSON.stringify(listed.json)).not.toContain(tokenText);

    // The agent enrols with the token, as an administrator's colleague would on the closed network.
    const enrolled = await server.cli(['agent', 'enrol-online', server.url, tokenText, '--key', join(server.dir, 'agent.key')]);
    expect(enrolled.code, enrolled.stderr).toBe(0);
    await page.reload();
    const agents = page.getByRole('table', { name: 'Agents' });
    await expect.poll(() => agents.locator('tbody tr').count()).toBe(1);
    expect(await agents.locator('tbody tr').textContent()).toContain('network:Proeflab');
    expect(await agents.locator('tbody tr').textContent()).toContain('Active');

    // A scan job for the agent, inside its scopes; one outside is refused with the reason.
    await agents.getByRole('button', { name: 'Give a scan job' }).click();
    // Hours out of range are refused at the field before anything is sent.
    const hoursField = page.getByLabel('Valid for (hours, 1 to 168)');
    await hoursField.fill('500');
    await page.getByRole('button', { name: 'Give the job' }).click();
    await expect.poll(() => hoursField.getAttribute('aria-invalid')).toBe('true');
    await expect.poll(() => isFocused(hoursField)).toBe(true);
    const hoursError = (await hoursField.getAttribute('aria-describedby'))!;
    expect(await page.locator(`[id="${hoursError}"]`).textContent()).toContain('"500" is not a number of hours');
    await hoursField.fill('24');
    await page.getByLabel('Targets', { exact: true }).fill('127.77.94.1');
    await page.getByRole('button', { name: 'Give the job' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('lies outside the scopes of agent "depot-noord"');
    await page.getByLabel('Targets', { exact: true }).fill('network:Proeflab');
    await page.getByRole('button', { name: 'Give the job' }).click();
    await expect.poll(() => page.getByText(/The job is ready for agent depot-noord/).count()).toBe(1);
    const jobs = await apiCall<{ items: { kind: string; agentId: string | null }[] }>(page, 'GET', '/api/v1/organisations/demo/jobs?kind=agent-scan');
    expect(jobs.json.items).toHaveLength(1);

    // Revoking takes two presses; focus goes to "yes", back on cancel, and to the notice when done.
    const revoke = agents.getByRole('button', { name: 'Revoke agent depot-noord' });
    await revoke.click();
    const yes = agents.getByRole('button', { name: 'Yes, revoke' });
    await expect.poll(() => isFocused(yes)).toBe(true);
    await agents.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => isFocused(revoke)).toBe(true);
    await revoke.click();
    await yes.click();
    await expect.poll(() => agents.locator('tbody tr').textContent()).toContain('Revoked on');
    await expect.poll(() => page.getByTestId('agents-notice').textContent()).toContain('Agent depot-noord was revoked');
    await expect.poll(() => isFocused(page.getByTestId('agents-notice'))).toBe(true);
    await page.context().close();
  }, 90_000);
});
