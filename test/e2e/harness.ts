// The browser tests' world: the demo organisation served by a real `camaudit demo --serve`
// process (the same start as `npm start`), Debian's Chromium driven by playwright-core, axe-core
// injected into each page, and screenshots kept as artefacts (test-results/, not committed).
//
// Outside CI a missing Chromium skips the browser tests with a message; in CI (CI=true) it fails.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { ROOT, webBuildDir } from './web-build.js';

// The functions passed to page.evaluate run in the browser; the test project compiles without the
// DOM library (it would clash with Node's fetch types), so the browser globals they use are
// declared here for this module only.
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;
declare const window: any;
declare const localStorage: { getItem(k: string): string | null; setItem(k: string, v: string): void };
declare const getComputedStyle: (el: any) => any;
type HTMLElement = any;
/* eslint-enable @typescript-eslint/no-explicit-any */

export const CHROMIUM = process.env.CAMAUDIT_CHROMIUM ?? '/usr/bin/chromium';
export const DEMO_EMAIL = 'demo@lindeveld.example';
export const DEMO_PASSWORD = 'lindeveld-proef-2026-sleutel';
export const VIEWPORT = { width: 1280, height: 800 };
export const SCREENSHOTS = join(ROOT, 'test-results', 'screenshots');

/** Whether the browser tests can run; in CI a missing browser is an error, not a skip. */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI === 'true') throw new Error(`Chromium not found at ${CHROMIUM}: the browser tests are mandatory in CI (apt-get install -y chromium)`);
  console.warn(`browser tests skipped: Chromium not found at ${CHROMIUM}; install it with \`apt-get install -y chromium\` (or set CAMAUDIT_CHROMIUM)`);
  return false;
}

export interface DemoServer {
  url: string;
  db: string;
  dir: string;
  /** Runs the CLI against the same database (adding people, organisations, …). */
  cli(args: string[], env?: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }>;
  stop(): Promise<void>;
}

function cliProcess(args: string[], env: Record<string, string>, cwd: string): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test', 'helpers', 'cli-entry.ts'), ...args], {
    cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CAMAUDIT_ACTOR: 'cli:e2e', ...env },
  });
}

/**
 * The demo organisation on a fresh SQLite database, served with the test run's web build.
 * `config` is merged into camaudit.yaml (the e2e scan tests allow loopback targets, for the lab).
 */
export async function startDemoServer(config: Record<string, unknown> = {}): Promise<DemoServer> {
  const dir = await mkdtemp(join(tmpdir(), 'camaudit-e2e-'));
  const db = join(dir, 'demo.db');
  const configFile = join(dir, 'camaudit.yaml');
  await writeFile(configFile, JSON.stringify({ web: { root: webBuildDir() }, ...config }));
  const child = cliProcess(['--db', db, 'demo', '--serve', '--port', '0', '--config', configFile], { CAMAUDIT_DEMO_PASSWORD: DEMO_PASSWORD }, ROOT);
  let out = '';
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => { err += d; });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /(http:\/\/localhost:\d+)/.exec(out);
      if (m) resolve(m[1]!.replace('localhost', '127.0.0.1'));
    });
    void exited.then(() => reject(new Error(`demo server ended before listening:\n${err}`)));
  });
  return {
    url, db, dir,
    cli: (args, env = {}) => new Promise((resolve) => {
      const c = cliProcess(['--db', db, ...args], env, ROOT);
      let stdout = '';
      let stderr = '';
      c.stdout!.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
      c.stderr!.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
      c.on('exit', (code) => resolve({ code, stdout, stderr }));
    }),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Gives a person a role in an organisation through the CLI, with a password to sign in with. */
export async function addPerson(server: DemoServer, org: string, email: string, role: string, password: string): Promise<void> {
  const added = await server.cli(['--org', org, 'users', 'add', email, '--role', role, '--password-env', 'PW'], { PW: password });
  expect(added.code, added.stderr).toBe(0);
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

/** A fresh browser context (no cookies, no stored language) at 1280×800, in the given language. */
export async function newPage(browser: Browser, lang: 'nl' | 'en' = 'nl'): Promise<Page> {
  const context = await browser.newContext({ viewport: VIEWPORT, locale: lang === 'nl' ? 'nl-NL' : 'en-GB' });
  await context.addInitScript((l) => {
    try {
      if (!localStorage.getItem('camaudit.lang')) localStorage.setItem('camaudit.lang', l);
    } catch {
      // a sandboxed frame (the council report shown inline) has no storage
    }
  }, lang);
  const page = await context.newPage();
  // A page error is a failed test, not something to scroll past in a log.
  page.on('pageerror', (err) => { throw err; });
  return page;
}

/** Signs in through the sign-in form and waits for the first page of the organisation. */
export async function signIn(page: Page, server: DemoServer, email = DEMO_EMAIL, password = DEMO_PASSWORD): Promise<void> {
  await page.goto(`${server.url}/sign-in`);
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="password"]').fill(password);
  await page.locator('form button[type="submit"]').click();
  await page.waitForURL(/\/o\/[^/]+\//);
}

let axeSource: string | undefined;

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core (WCAG 2.0/2.1 A and AA rules) on the page as it is now; serious and critical violations fail the test. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  axeSource ??= await readFile(join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  const loaded = await page.evaluate(() => 'axe' in window);
  // Evaluated through the debugging protocol, not as a <script>: the page's CSP stays in force.
  if (!loaded) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target })) }));
  });
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious, `${what}: ${JSON.stringify(serious, null, 2)}`).toEqual([]);
}

/**
 * Tabs through the page and checks that every visible link, button and form field receives focus
 * and that focus is visible (an outline or a box shadow) on each of them.
 */
export async function expectKeyboardReachable(page: Page, what: string, maxTabs = 400): Promise<void> {
  const targets = await page.evaluate(() => {
    const els: HTMLElement[] = [...document.querySelectorAll('a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])')];
    let n = 0;
    for (const el of els) {
      const r = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      if (r.width === 0 || r.height === 0 || style.visibility === 'hidden' || el.closest('[inert]')) continue;
      el.dataset.kbTarget = String(n++);
    }
    return n;
  });
  const reached = new Set<string>();
  const invisible: string[] = [];
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  for (let i = 0; i < maxTabs && reached.size < targets; i++) {
    await page.keyboard.press('Tab');
    const info = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      const style = getComputedStyle(el);
      const visible = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || (style.boxShadow !== 'none' && style.boxShadow !== '');
      return { id: el.dataset.kbTarget ?? null, visible, text: (el.textContent ?? el.getAttribute('aria-label') ?? el.tagName).trim().slice(0, 40) };
    });
    if (!info?.id) continue;
    reached.add(info.id);
    if (!info.visible) invisible.push(info.text);
  }
  const missing = await page.evaluate((got) => ([...document.querySelectorAll('[data-kb-target]')] as HTMLElement[])
    .filter((el) => !got.includes(el.dataset.kbTarget!))
    .map((el) => `${el.tagName.toLowerCase()} “${(el.textContent ?? el.getAttribute('aria-label') ?? '').trim().slice(0, 40)}”`), [...reached]);
  expect(missing, `${what}: not reachable by keyboard`).toEqual([]);
  expect(invisible, `${what}: focus not visible`).toEqual([]);
}

/** A 1280×800 screenshot of the page as an artefact of the run. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}
