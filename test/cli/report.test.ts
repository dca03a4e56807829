// `camaudit report council` on the demo organisation: the counts the report states match the
// register, OEM brands are named with their true makers, NL and EN both, the public edition
// leaks no positions, addresses or serials, HTML escapes register text, DOCX re-opens.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ASSESSABLE_STATUSES } from '../../src/core/assess/inputs.js';
import { findChromium } from '../../src/report/council-pdf.js';
import { cli } from '../helpers/cli.js';

let dir: string;
let env: Record<string, string>;
let inService: { manufacturer: string | null; ip: string | null; mac: string | null; serial: string | null; lat: number | null; lon: number | null }[];

const file = (name: string) => join(dir, name);
const statusList = ASSESSABLE_STATUSES.map((s) => `'${s}'`).join(',');

async function report(args: string[], name: string): Promise<string> {
  const r = await cli(['report', 'council', ...args, '-o', file(name)], env);
  expect(r.code, r.err).toBe(0);
  return readFile(file(name), 'utf8');
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'camaudit-report-'));
  env = { CAMAUDIT_DB: join(dir, 'r.db') };
  expect((await cli(['demo'], env)).code).toBe(0);
  expect((await cli(['assess'], env)).code).toBe(0);
  const db = new Database(join(dir, 'r.db'));
  // Register text is whatever people typed: a site name that is markup must stay text.
  db.prepare('update sites set name = ? where id = (select min(id) from sites)').run('<script>alert(1)</script> Markt');
  inService = db.prepare(`select manufacturer, ip, mac, serial, lat, lon from devices where status in (${statusList})`).all() as typeof inService;
  db.close();
}, 60_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('camaudit report council', () => {
  it('states the register\'s counts and names the makers behind the OEM brands, in English', async () => {
    const md = await report(['--lang', 'en', '--format', 'md'], 'en.md');
    expect(md).toContain(`The organisation has ${inService.length} devices in service at`);
    const hik = inService.filter((d) => d.manufacturer === 'hikvision').length;
    const dahua = inService.filter((d) => d.manufacturer === 'dahua').length;
    expect(md).toMatch(new RegExp(`\\| Hikvision \\| [^|]*HiWatch[^|]* \\| ${hik} \\|`));
    expect(md).toMatch(new RegExp(`\\| Dahua \\| [^|]*Lorex[^|]* \\| ${dahua} \\|`));
    expect(md).toContain('sold as HiWatch, made by Hikvision');
    expect(md).toContain('sold as Amcrest, made by Dahua');
    expect(md).toContain('UNVERIFIED');
    for (const h of ['## 1. What do we have?', '## 2. How exposed', '## 3. What is the risk', '## 4. How do we keep', '## Appendix']) expect(md).toContain(h);
    expect(md).toMatch(/CVE-\d{4}-\d+/);
  });

  it('writes the same report in Dutch', async () => {
    const md = await report(['--lang', 'nl', '--format', 'md'], 'nl.md');
    expect(md).toContain(`De organisatie heeft ${inService.length} apparaten in gebruik op`);
    expect(md).toContain('verkocht als HiWatch, gemaakt door Hikvision');
    expect(md).toContain('NIET GEVERIFIEERD');
  });

  it('keeps positions, IP and MAC addresses and serials out of the public edition only', async () => {
    const internal = await report(['--lang', 'en', '--format', 'html'], 'internal.html');
    const pub = await report(['--lang', 'en', '--format', 'html', '--public'], 'public.html');
    const withIp = inService.find((d) => d.ip)!;
    const withSerial = inService.find((d) => d.serial)!;
    expect(internal).toContain(withIp.ip);
    expect(internal).toContain(withSerial.serial);
    expect(pub).not.toMatch(/\b([0-9a-f]{2}[:-]){5}[0-9a-f]{2}\b/i);
    for (const d of inService) {
      if (d.serial) expect(pub).not.toContain(d.serial);
      if (d.ip) expect(pub).not.toContain(d.ip);
      if (d.mac) expect(pub.toLowerCase()).not.toContain(d.mac.toLowerCase());
      if (d.lat !== null) expect(pub).not.toContain(String(d.lat));
    }
    expect(pub).toContain('public (no exact positions');
  });

  it('escapes markup from the register in HTML and embeds SVG charts', async () => {
    const html = await readFile(file('internal.html'), 'utf8');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Markt');
    expect(html).toContain('<svg xmlns="http://www.w3.org/2000/svg"');
  });

  it('writes a Word document that re-opens with the section titles and the counts', async () => {
    const r = await cli(['report', 'council', '--lang', 'nl', '--format', 'docx', '-o', file('r.docx')], env);
    expect(r.code, r.err).toBe(0);
    const zip = await JSZip.loadAsync(await readFile(file('r.docx')));
    const xml = await zip.file('word/document.xml')!.async('string');
    const text = [...xml.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');
    for (const h of ['1. Wat hebben we? Inventarisatie', 'Bijlage: apparaten in gebruik', 'Hikvision', 'Dahua']) expect(text).toContain(h);
    expect(text).toContain(`De organisatie heeft ${inService.length} apparaten in gebruik`);
    expect(text).toContain('&lt;script&gt;');
  });

  it('prints a PDF with Chromium, or says how to install it (exit 8)', async () => {
    const r = await cli(['report', 'council', '--format', 'pdf', '-o', file('r.pdf')], env);
    if (await findChromium()) {
      expect(r.code, r.err).toBe(0);
      expect((await readFile(file('r.pdf'))).subarray(0, 4).toString()).toBe('%PDF');
    } else {
      expect(r.code).toBe(8);
      expect(r.err).toMatch(/Chromium.*apt-get install chromium/);
    }
  });

  it('refuses an unknown format', async () => {
    const r = await cli(['report', 'council', '--format', 'odt', '-o', file('x')], env);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--format must be md, html, docx or pdf');
  });
});
