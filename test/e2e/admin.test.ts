// Journeys on the administration page: give a person a role and change it; make an API token
// (shown once), use it, revoke it and see the API refuse it; verify the audit chain and find what
// was just done in it; refuse and store a policy; subscribe a webhook and send it a test; change
// the theme and see the application change with it; an auditor gets the audit trail and nothing
// else; make exact positions secret and a viewer sees the map only approximately. Every section
// passes axe and the keyboard check, in Dutch and in English.
import Database from 'better-sqlite3';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  browserAvailable, expectAccessible, expectKeyboardReachable, launchBrowser, newPage, screenshot, signIn, startDemoServer, type DemoServer, addPerson,
} from './harness.js';
import { webBuildDir } from './web-build.js';

const run = browserAvailable();
const AUDITOR = 'auditor@lindeveld.example';
const AUDITOR_PASSWORD = 'controle-keten-hash-2026';
const PERSON = 'nieuw.persoon@lindeveld.example';

describe.runIf(run)('administration', () => {
  let server: DemoServer;
  let browser: Browser;
  let hooks: Server;
  const received: { path: string; body: string }[] = [];
  let hookUrl = '';

  beforeAll(async () => {
    // A webhook receiver on this machine, which the server may reach only with private targets allowed.
    hooks = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8').on('data', (d: string) => { body += d; }).on('end', () => {
        received.push({ path: req.url ?? '', body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve));
    hookUrl = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/camaudit`;
    server = await startDemoServer({ notifications: { allowHttpWebhooks: true, allowPrivateTargets: true } });
    browser = await launchBrowser();
    await addPerson(server, 'demo', AUDITOR, 'auditor', AUDITOR_PASSWORD);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await new Promise((resolve) => hooks?.close(resolve));
  });

  async function adminPage(section?: string, lang: 'nl' | 'en' = 'nl'): Promise<Page> {
    const page = await newPage(browser, lang);
    await signIn(page, server);
    await page.goto(`${server.url}/o/demo/admin${section ? `?section=${section}` : ''}`);
    await page.locator('h2').first().waitFor();
    return page;
  }
  const mainText = (page: Page) => page.locator('main').textContent();
  /** Back to the top after the keyboard check has tabbed to the end, for a screenshot of the section. */
  const atTop = (page: Page) => page.locator('h1').scrollIntoViewIfNeeded();
  const api = (page: Page, path: string) => page.evaluate(async (p) => {
    const res = await fetch(p);
    return { status: res.status, body: res.ok ? await res.json() as unknown : null };
  }, path);

  it('gives a new person the viewer role, lists them, changes their role, and shows API errors at the field', async () => {
    const page = await adminPage();
    await page.locator('table caption', { hasText: 'Mensen met een rol' }).waitFor();
    await expect.poll(() => mainText(page)).toContain('demo@lindeveld.example');
    await expectAccessible(page, 'administration: people');
    await expectKeyboardReachable(page, 'administration: people');
    await atTop(page);
    await screenshot(page, 'admin-people');

    // The server refuses an address that is none; the message appears at the e-mail field.
    await page.locator('input[name="email"]').fill('geen-adres');
    await page.getByRole('button', { name: 'Rol geven' }).click();
    await expect.poll(() => page.locator('input[name="email"]').getAttribute('aria-invalid')).toBe('true');
    const described = await page.locator('input[name="email"]').getAttribute('aria-describedby');
    expect(await page.locator(`[id="${described}"]`).textContent()).toContain('not an e-mail address');
    await expectAccessible(page, 'administration: people with a field error');

    await page.locator('input[name="email"]').fill(PERSON);
    await page.locator('input[name="displayName"]').fill('Nieuwe Persoon');
    await page.locator('select[name="role"]').selectOption('viewer');
    await page.getByRole('button', { name: 'Rol geven' }).click();
    await expect.poll(() => mainText(page)).toContain(`${PERSON} heeft nu de rol Lezer`);
    const row = page.locator('tbody tr', { hasText: PERSON });
    await expect.poll(() => row.locator('select').inputValue()).toBe('viewer');
    expect(await row.textContent()).toContain('Nog niet');

    await row.locator('select').selectOption('editor');
    await row.getByRole('button', { name: /Rol wijzigen/ }).click();
    await expect.poll(() => mainText(page)).toContain('De rol van Nieuwe Persoon is nu Bewerker');
    const members = await api(page, '/api/v1/organisations/demo/members');
    expect((members.body as { items: { email: string; role: string }[] }).items.find((m) => m.email === PERSON)?.role).toBe('editor');
    await page.context().close();
  });

  it('makes a token that is shown once and works, then revokes it and the API refuses it', async () => {
    const page = await adminPage('tokens');
    await page.locator('input[name="tokenName"]').fill('e2e-script');
    await page.locator('select[name="tokenRole"]').selectOption('viewer');
    await page.locator('input[name="tokenDays"]').fill('400');
    await page.getByRole('button', { name: 'Token maken' }).click();
    await expect.poll(() => page.locator('input[name="tokenDays"]').getAttribute('aria-invalid')).toBe('true');
    await page.locator('input[name="tokenDays"]').fill('30');
    await page.getByRole('button', { name: 'Token maken' }).click();
    const secret = page.locator('#admin-new-token');
    await secret.waitFor();
    const token = await secret.inputValue();
    expect(token).toMatch(/^cam_/);
    expect(await mainText(page)).toContain('niet nog een keer getoond');
    await expectAccessible(page, 'administration: new token');
    await expectKeyboardReachable(page, 'administration: new token');
    await page.getByTestId('new-token').scrollIntoViewIfNeeded();
    await screenshot(page, 'admin-token-created');

    const devices = `${server.url}/api/v1/organisations/demo/devices?limit=1`;
    expect((await fetch(devices, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);

    await page.getByRole('button', { name: 'Ik heb het token bewaard' }).click();
    await page.reload();
    const row = page.locator('tbody tr', { hasText: 'e2e-script' });
    await row.waitFor();
    expect(await page.content()).not.toContain(token);
    await expect.poll(() => row.textContent()).toContain('Actief');

    await row.getByRole('button', { name: /Intrekken/ }).click();
    await row.getByRole('button', { name: 'Ja, intrekken' }).click();
    await expect.poll(() => mainText(page)).toContain('Token “e2e-script” is ingetrokken');
    await expect.poll(() => row.textContent()).toContain('Ingetrokken');
    expect((await fetch(devices, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
    await page.context().close();
  });

  it('verifies the audit chain as intact and shows the entries of what was just done', async () => {
    const page = await adminPage('audit');
    await page.getByTestId('verify-chain').click();
    await expect.poll(() => mainText(page)).toContain('De keten is intact');
    const entries = page.locator('table', { hasText: 'Audittrail van' });
    await expect.poll(() => entries.textContent()).toContain('role: viewer → editor');
    const text = await entries.textContent();
    expect(text).toContain('api_token');
    expect(text).toContain('revoke');
    expect(text).toContain('user:demo@lindeveld.example');
    await expectAccessible(page, 'administration: audit trail');
    await expectKeyboardReachable(page, 'administration: audit trail');
    await atTop(page);
    await screenshot(page, 'admin-audit');

    // Only the entries about the person: their account, their role given and changed.
    const personRow = entries.locator('tbody tr', { hasText: 'role: viewer → editor' });
    const subject = personRow.locator('button').first();
    const personId = (await subject.textContent())!.trim();
    await subject.click();
    await expect.poll(() => mainText(page)).toContain(`Alleen regels over ${personId}`);
    await expect.poll(async () => (await entries.locator('tbody tr').allTextContents()).every((line) => line.includes(personId))).toBe(true);
    const about = (await entries.locator('tbody tr').allTextContents()).join('\n');
    expect(about).toContain('role: viewer → editor');
    expect(about).toContain(`email: ${PERSON}`);
    expect(about).not.toContain('api_token');
    await page.getByRole('button', { name: 'Filter wissen' }).click();
    await expect.poll(() => entries.textContent()).toContain('api_token');

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Exporteren als CSV' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^audit-demo-\d{4}-\d{2}-\d{2}\.csv$/);
    await page.context().close();
  });

  it('refuses a policy naming the wrong setting, stores a right one, and goes back to the default', async () => {
    const page = await adminPage('policy');
    await expect.poll(() => page.getByTestId('policy-origin').textContent()).toContain('standaardbeleid');
    const text = page.locator('textarea[name="policyText"]');
    await text.fill('extends: default\ndeadlines:\n  critcal: 14\n');
    await page.getByRole('button', { name: 'Beleid opslaan' }).click();
    await expect.poll(() => text.getAttribute('aria-invalid')).toBe('true');
    const described = (await text.getAttribute('aria-describedby'))!.split(' ');
    const message = await page.locator(`[id="${described[described.length - 1]}"]`).textContent();
    expect(message).toContain('niet opgeslagen');
    expect(message).toContain('critcal');
    await expectAccessible(page, 'administration: policy refused');

    await text.fill('extends: default\ndeadlines:\n  critical: 14\n');
    await page.getByRole('button', { name: 'Beleid opslaan' }).click();
    await expect.poll(() => page.getByTestId('policy-origin').textContent()).toContain('eigen beleid');
    const stored = await api(page, '/api/v1/organisations/demo/policy');
    expect((stored.body as { origin: string; text: string }).text).toContain('critical: 14');
    await expectKeyboardReachable(page, 'administration: policy');
    await atTop(page);
    await screenshot(page, 'admin-policy');

    await page.getByRole('button', { name: 'Terug naar het standaardbeleid' }).click();
    await page.getByRole('button', { name: 'Ja, terugzetten' }).click();
    await expect.poll(() => page.getByTestId('policy-origin').textContent()).toContain('standaardbeleid');
    expect(((await api(page, '/api/v1/organisations/demo/policy')).body as { origin: string }).origin).toBe('default');
    await page.context().close();
  });

  it('subscribes a webhook, sends it a test message and logs the delivery', async () => {
    const page = await adminPage('notifications');
    await page.locator('select[name="channel"]').selectOption('webhook');
    await page.locator('input[name="target"]').fill(hookUrl);
    await page.getByRole('button', { name: 'Abonnement toevoegen' }).click();
    await expect.poll(() => mainText(page)).toContain('Abonnement toegevoegd');
    expect(await page.locator('#admin-webhook-secret').inputValue()).toMatch(/^[\w-]{20,}$/);
    const row = page.locator('tbody tr', { hasText: hookUrl }).first();
    await row.getByRole('button', { name: /Test sturen/ }).click();
    await expect.poll(() => mainText(page)).toContain(`Testbericht naar ${hookUrl}: Verstuurd`);
    expect(received.some((r) => r.path === '/camaudit' && r.body.includes('"test"'))).toBe(true);
    const log = page.locator('table', { hasText: 'Afleveringen' });
    await expect.poll(() => log.textContent()).toContain('Testbericht');
    await expectAccessible(page, 'administration: notifications');
    await expectKeyboardReachable(page, 'administration: notifications');
    await atTop(page);
    await screenshot(page, 'admin-notifications');

    await row.getByRole('button', { name: /Verwijderen/ }).click();
    await row.getByRole('button', { name: 'Ja, verwijderen' }).click();
    await expect.poll(() => mainText(page)).toContain('is verwijderd');
    const subs = await api(page, '/api/v1/organisations/demo/notifications/subscriptions');
    expect((subs.body as { items: unknown[] }).items).toEqual([]);
    await page.context().close();
  });

  it('changes the theme, and the application root wears it at once and after reloading', async () => {
    const page = await adminPage('theme');
    const root = page.locator('.camaudit-app');
    expect(await root.getAttribute('class')).toContain('camaudit-theme--camaudit');
    await expectKeyboardReachable(page, 'administration: theme');
    await page.locator('select[name="theme"]').selectOption('contrast');
    await page.getByRole('button', { name: 'Thema opslaan' }).click();
    await expect.poll(() => root.getAttribute('class')).toContain('camaudit-theme--contrast');
    expect(await root.getAttribute('class')).not.toContain('camaudit-theme--camaudit');
    await expect.poll(() => mainText(page)).toContain('is opgeslagen en toegepast');
    await expectAccessible(page, 'administration: theme, high contrast');
    await atTop(page);
    await screenshot(page, 'admin-theme-contrast');
    await page.reload();
    await expect.poll(() => page.locator('.camaudit-app').getAttribute('class')).toContain('camaudit-theme--contrast');
    // The audit trail has the change, with the theme before and after.
    const entries = await api(page, '/api/v1/organisations/demo/audit/entries?limit=1');
    expect((entries.body as { items: { entityType: string; after: unknown }[] }).items[0]).toMatchObject({ entityType: 'organisation', after: { theme: 'contrast' } });
    await page.locator('select[name="theme"]').selectOption('camaudit');
    await page.getByRole('button', { name: 'Thema opslaan' }).click();
    await expect.poll(() => page.locator('.camaudit-app').getAttribute('class')).toContain('camaudit-theme--camaudit');
    await page.context().close();
  });

  it('works in English: every section named, single sign-on explained', async () => {
    const page = await adminPage('sso', 'en');
    const sections = page.getByRole('navigation', { name: 'Parts of administration' });
    for (const name of ['People and roles', 'API tokens', 'Single sign-on', 'Audit trail', 'Policy', 'Notifications', 'Theme']) {
      expect(await sections.getByRole('link', { name }).count(), name).toBe(1);
    }
    expect(await sections.getByRole('link', { name: 'Single sign-on' }).getAttribute('aria-current')).toBe('page');
    await expect.poll(() => mainText(page)).toContain('Single sign-on is not configured');
    expect(await mainText(page)).toContain('camaudit.yaml');
    await expectAccessible(page, 'administration: single sign-on (en)');
    await expectKeyboardReachable(page, 'administration: single sign-on (en)');
    await atTop(page);
    await screenshot(page, 'admin-sso-en');

    await sections.getByRole('link', { name: 'People and roles' }).click();
    await page.locator('table caption', { hasText: 'People with a role' }).waitFor();
    expect(await mainText(page)).toContain('Viewer');
    await expectAccessible(page, 'administration: people (en)');
    await sections.getByRole('link', { name: 'Audit trail' }).click();
    await page.getByTestId('verify-chain').click();
    await expect.poll(() => mainText(page)).toContain('The chain is intact');
    await page.context().close();
  });

  it('gives an auditor the audit trail and nothing else', async () => {
    const page = await newPage(browser);
    await signIn(page, server, AUDITOR, AUDITOR_PASSWORD);
    await page.goto(`${server.url}/o/demo/admin?section=people`);
    await page.getByRole('heading', { level: 1, name: 'Audittrail' }).waitFor();
    expect(await page.getByRole('navigation', { name: 'Onderdelen van beheer' }).count()).toBe(0);
    const text = await mainText(page);
    expect(text).not.toContain('Mensen met een rol');
    expect(text).not.toContain('API-tokens');
    await page.getByTestId('verify-chain').click();
    await expect.poll(() => mainText(page)).toContain('De keten is intact');
    await expect.poll(() => page.locator('table', { hasText: 'Audittrail van' }).textContent()).toContain('membership');
    await expectAccessible(page, 'administration: auditor');
    await expectKeyboardReachable(page, 'administration: auditor');
    await atTop(page);
    await screenshot(page, 'admin-auditor');
    // The server agrees: people and tokens are not the auditor's to see.
    expect((await api(page, '/api/v1/organisations/demo/members')).status).toBe(403);
    expect((await api(page, '/api/v1/organisations/demo/tokens')).status).toBe(403);
    await page.context().close();
  });
});

describe.runIf(run)('administration with single sign-on configured', () => {
  let server: DemoServer;
  let browser: Browser;

  beforeAll(async () => {
    // The provider is never contacted: nobody signs in through it here, and discovery is lazy.
    server = await startDemoServer({
      oidc: {
        issuer: 'https://login.lindeveld.example/tenant', clientId: 'camaudit-lindeveld', clientSecret: 'geheim-dat-nooit-getoond-wordt',
        groupsClaim: 'groups', redirectUri: 'https://camaudit.lindeveld.example/api/v1/auth/oidc/callback',
        roleMapping: [
          { group: 'cctv-beheer', org: 'demo', role: 'admin' },
          { group: 'cctv-lezers', org: 'demo', role: 'viewer' },
          { group: 'andere-gemeente', org: 'elders', role: 'editor' },
        ],
      },
    });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows the provider and which groups give which role here, never the secret', async () => {
    const page = await newPage(browser);
    await signIn(page, server);
    await page.goto(`${server.url}/o/demo/admin?section=sso`);
    const mapping = page.locator('table', { hasText: 'Groepen en rollen' });
    await mapping.waitFor();
    const text = (await page.locator('main').textContent())!;
    expect(text).toContain('Single sign-on is ingesteld');
    expect(text).toContain('https://login.lindeveld.example/tenant');
    expect(text).toContain('camaudit-lindeveld');
    const rows = (await mapping.locator('tbody tr').allTextContents()).map((r) => r.replace(/\s+/g, ' ').trim());
    expect(rows).toEqual(['cctv-beheerBeheerder', 'cctv-lezersLezer']);
    expect(await page.content()).not.toContain('geheim-dat-nooit-getoond-wordt');
    expect(text).not.toContain('andere-gemeente');
    await expectAccessible(page, 'administration: single sign-on configured');
    await expectKeyboardReachable(page, 'administration: single sign-on configured');
    await screenshot(page, 'admin-sso-configured');
    // A person added now needs no password: the page says they sign in through the provider.
    await page.getByRole('link', { name: 'Mensen en rollen' }).click();
    await expect.poll(() => page.locator('main').textContent()).toContain('meldt zich aan via single sign-on');
    await page.context().close();
  });
});

describe.runIf(run)('publication levels', () => {
  const VIEWER = 'kijker@lindeveld.example';
  const VIEWER_PASSWORD = 'linde-blad-herfst-2026';
  let server: DemoServer;
  let browser: Browser;

  beforeAll(async () => {
    // No background tiles: the map is drawn without them and the browser fetches nothing outside.
    server = await startDemoServer({ web: { root: webBuildDir(), tileUrl: null } });
    browser = await launchBrowser();
    await addPerson(server, 'demo', VIEWER, 'viewer', VIEWER_PASSWORD);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const fetchText = (page: Page, path: string) => page.evaluate(async (p) => (await fetch(p)).text(), path);
  interface MapAnswer { sites: { position: { lat: number; lon: number } | null; precision: string | null }[] }

  it('makes exact positions secret, and a viewer then sees the map only approximately', async () => {
    const page = await newPage(browser, 'nl');
    await signIn(page, server);
    await page.goto(`${server.url}/o/demo/admin?section=publication`);
    const select = page.getByLabel('Exacte positie', { exact: true });
    await select.waitFor();
    // Every level is explained in one sentence, and the level chosen is explained at its field.
    const text = (await page.locator('main').textContent())!;
    for (const words of ['Iedereen mag het zien', 'Alleen mensen met een rol in deze organisatie', 'alleen opgeteld in aantallen', 'kijkers en auditors op ongeveer 1 km']) {
      expect(text).toContain(words);
    }
    expect(await select.inputValue()).toBe('organisation');
    await expectAccessible(page, 'administration: publication');
    await expectKeyboardReachable(page, 'administration: publication');

    await select.selectOption('secret');
    await expect.poll(() => page.getByTestId('level-explained-location_exact').textContent()).toContain('Gekozen: Geheim.');
    await page.getByRole('button', { name: 'Niveaus opslaan' }).click();
    await expect.poll(() => page.getByRole('status').allTextContents()).toContain('Opgeslagen: Exacte positie geheim.');
    // The option's "(now set)" follows the settings read back after saving, a moment after the notice.
    await expect.poll(() => select.locator('option:checked').textContent()).toBe('Geheim (nu ingesteld)');
    await expectAccessible(page, 'administration: publication saved');
    await page.locator('h1').scrollIntoViewIfNeeded();
    await screenshot(page, 'admin-publication');
    // The audit trail has the change, with the level before and after.
    const entries = JSON.parse(await fetchText(page, '/api/v1/organisations/demo/audit/entries?limit=1')) as { items: { entityType: string; before: unknown; after: unknown }[] };
    expect(entries.items[0]).toMatchObject({
      entityType: 'organisation', before: { publication: { location_exact: 'organisation' } }, after: { publication: { location_exact: 'secret' } },
    });
    await page.context().close();

    const db = new Database(server.db, { readonly: true });
    const exact = db.prepare('SELECT lat, lon FROM sites WHERE lat IS NOT NULL').all() as { lat: number; lon: number }[];
    db.close();
    expect(exact.length).toBeGreaterThan(20);

    const viewer = await newPage(browser, 'en');
    await signIn(viewer, server, VIEWER, VIEWER_PASSWORD);
    // The server keeps an organisation in memory for up to ten seconds; from then on the new level holds.
    await expect.poll(async () => {
      const answer = JSON.parse(await fetchText(viewer, '/api/v1/organisations/demo/map/sites')) as MapAnswer;
      return [...new Set(answer.sites.filter((x) => x.position).map((x) => x.precision))];
    }, { timeout: 15_000, interval: 500 }).toEqual(['approximate']);
    await viewer.goto(`${server.url}/o/demo/map`);
    await viewer.getByRole('heading', { level: 1, name: 'Map' }).waitFor();
    const markers = viewer.locator('[data-testid="site-map"] .camaudit-map-marker');
    await markers.first().waitFor();
    for (const el of await markers.all()) expect(await el.getAttribute('aria-label')).toContain('approximate position');
    // No exact coordinate reaches the viewer from the map, the sites or the devices.
    const answers = await Promise.all(['/map/sites', '/sites?limit=1000', '/devices?limit=1000'].map((p) => fetchText(viewer, `/api/v1/organisations/demo${p}`)));
    for (const p of exact) {
      for (const body of answers) {
        if (Number(p.lat.toFixed(2)) !== p.lat) expect(body).not.toContain(String(p.lat));
        if (Number(p.lon.toFixed(2)) !== p.lon) expect(body).not.toContain(String(p.lon));
      }
    }
    await expectAccessible(viewer, 'map for a viewer after exact positions were made secret');
    await viewer.context().close();
  });

  it('explains the levels in English and puts a level back', async () => {
    const page = await newPage(browser, 'en');
    await signIn(page, server);
    await page.goto(`${server.url}/o/demo/admin?section=publication`);
    await page.getByRole('heading', { level: 2, name: 'Publication' }).waitFor();
    const select = page.getByLabel('Exact position', { exact: true });
    await expect.poll(() => select.inputValue()).toBe('secret');
    expect(await page.locator('main').textContent()).toContain('Anyone may see it');
    await expectAccessible(page, 'administration: publication (en)');
    await expectKeyboardReachable(page, 'administration: publication (en)');
    await page.locator('h1').scrollIntoViewIfNeeded();
    await screenshot(page, 'admin-publication-en');
    await select.selectOption('organisation');
    await page.getByRole('button', { name: 'Save levels' }).click();
    await expect.poll(() => page.getByRole('status').allTextContents()).toContain('Saved: Exact position organisation.');
    const settings = JSON.parse(await fetchText(page, '/api/v1/organisations/demo/settings')) as { publication: Record<string, string> };
    expect(settings.publication.location_exact).toBe('organisation');
    await page.context().close();
  });
});
