import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { cli } from '../helpers/cli.js';

const ROOT = join(import.meta.dirname, '..', '..');
const DEVICES = join(ROOT, 'test', 'fixtures', 'devices');
let dir: string;
let db: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'camaudit-kb-'));
  db = join(dir, 'camaudit.db');
});

describe('camaudit identify', () => {
  it('identifies a captured ISAPI answer with evidence and sources', async () => {
    const r = await cli(['--db', db, '--json', 'identify', join(DEVICES, 'isapi', 'hikvision-ds-2cd2386g2-iu-deviceinfo.xml')]);
    expect(r.code).toBe(EXIT.ok);
    const id = JSON.parse(r.out);
    expect(Object.keys(id).slice(0, 11)).toEqual(['file', 'protocol', 'manufacturer', 'brand', 'model', 'firmware', 'serial', 'mac', 'kind', 'confidence', 'evidence']);
    expect(id).toMatchObject({ protocol: 'isapi', manufacturer: 'hikvision', model: 'DS-2CD2386G2-IU' });
    expect(id.confidence).toBeGreaterThan(0.9);
    expect(id.evidence.some((e: { sources: unknown[] }) => e.sources.length > 0)).toBe(true);
  });

  it('reads a MAC address, free text and a certificate subject; says when it cannot read a file', async () => {
    writeFileSync(join(dir, 'mac.txt'), '44-19-B6-12-34-56\n');
    writeFileSync(join(dir, 'label.txt'), 'brand=HiWatch\nmodel=HWI-T220H\n');
    const r = await cli(['--db', db, '--json', 'identify', join(dir, 'mac.txt'), join(dir, 'label.txt'), join(DEVICES, 'tls', 'bosch-x509-subject.txt')]);
    const [mac, label, tls] = JSON.parse(r.out);
    expect(mac).toMatchObject({ protocol: 'mac', manufacturer: 'hikvision', mac: '44:19:b6:12:34:56' });
    expect(label).toMatchObject({ manufacturer: 'hikvision', brand: 'HiWatch', model: 'HWI-T220H' });
    expect(tls.manufacturer).toBe('bosch');
    writeFileSync(join(dir, 'table.txt'), 'Merk,Type,Locatie\nMobotix,M16B,Sporthal\nDahua,IPC-HFW2431S,Zwembad\n');
    const table = await cli(['--db', db, 'identify', join(dir, 'table.txt')]);
    expect(table.code).toBe(EXIT.invalidInput);
    expect(table.err).toMatch(/looks like a table of devices/);
    writeFileSync(join(dir, 'arp.txt'), '00:40:8c:11:22:33\n44:19:b6:12:34:56\n');
    expect((await cli(['--db', db, 'identify', join(dir, 'arp.txt')])).err).toMatch(/holds 2 MAC addresses/);
    writeFileSync(join(dir, 'noise.bin'), Buffer.from([0, 1, 2, 3, 250, 251, 252]));
    const unreadable = await cli(['--db', db, 'identify', join(dir, 'noise.bin')]);
    expect(unreadable.code).toBe(EXIT.invalidInput);
    expect(unreadable.err).toMatch(/not a device response camaudit can read/);
  });
});

describe('camaudit kb', () => {
  it('reports stats, verifies clean and finds records', async () => {
    const stats = JSON.parse((await cli(['--db', db, '--json', 'kb', 'stats'])).out);
    expect(stats).toMatchObject({ version: '2026.11.1', prefixes: 2778, restrictions: 31, vulnerabilities: 16 });
    const verify = await cli(['--db', db, 'kb', 'verify']);
    expect(verify.code).toBe(EXIT.ok);
    expect(verify.out).toMatch(/no problems/);
    const hits = JSON.parse((await cli(['--db', db, '--json', 'kb', 'search', 'ezviz'])).out);
    expect(hits[0]).toMatchObject({ section: 'brand', id: 'ezviz' });
    const cve = JSON.parse((await cli(['--db', db, '--json', 'kb', 'show', 'CVE-2021-36260'])).out);
    expect(cve.record.kev).toMatchObject({ listed: true, date_added: '2022-01-10' });
    expect((await cli(['--db', db, 'kb', 'show', 'nope'])).code).toBe(EXIT.notFound);
  });

  it('installs a newer KB file after validation and identifies the register again', async () => {
    const csv = join(dir, 'register.csv');
    writeFileSync(csv, 'Referentie;Merk;Type\nK-1;Gemeentecam;GC-100\nK-2;Axis;P3245-LVE\n');
    await cli(['--db', db, 'import', csv]);
    const before = JSON.parse((await cli(['--db', db, '--json', 'devices', 'list', '--q', 'K-1'])).out)[0];
    expect(before.manufacturer).toBeNull();

    const update = join(dir, 'update');
    cpSync(join(ROOT, 'kb', 'data'), update, { recursive: true });
    const same = await cli(['--db', db, 'kb', 'update', join(update, 'meta.yaml')]);
    expect(same.code).toBe(EXIT.conflict);

    writeFileSync(join(update, 'meta.yaml'), readFileSync(join(update, 'meta.yaml'), 'utf8').replace('version: 2026.11.1', 'version: 2026.12.1'));
    writeFileSync(join(update, 'brands.yaml'), readFileSync(join(update, 'brands.yaml'), 'utf8') + [
      '  - id: gemeentecam', '    brand: Gemeentecam', '    vendor: nonexistent-maker', '    relationship: oem_whitelabel',
      '    evidence: Test record.', '    confidence: high', '    sources:', '      - {url: "https://example.org/gemeentecam"}', '',
    ].join('\n'));
    const broken = await cli(['--db', db, 'kb', 'update', join(update, 'meta.yaml'), join(update, 'brands.yaml')]);
    expect(broken.code).toBe(EXIT.invalidInput);
    expect(broken.err).toMatch(/update refused.*nonexistent-maker/);
    expect(JSON.parse((await cli(['--db', db, '--json', 'kb', 'stats'])).out).version).toBe('2026.11.1');

    writeFileSync(join(update, 'brands.yaml'), readFileSync(join(update, 'brands.yaml'), 'utf8').replace('vendor: nonexistent-maker', 'vendor: dahua'));
    const ok = await cli(['--db', db, '--json', 'kb', 'update', update]);
    expect(ok.code).toBe(EXIT.ok);
    const result = JSON.parse(ok.out);
    expect(result).toMatchObject({ from: '2026.11.1', to: '2026.12.1' });
    expect(result.organisations[0]).toMatchObject({ checked: 2, changed: 2 });
    expect(result.organisations[0].makerChanges).toEqual([[before.id, null, 'dahua']]);
    const after = JSON.parse((await cli(['--db', db, '--json', 'devices', 'show', before.id])).out);
    expect(after.manufacturer).toBe('dahua');
    expect(after.history.at(-1)).toMatchObject({ source: 'kb:2026.12.1' });
  });

  it('kb verify fails on local knowledge without a source or with a dangling maker', async () => {
    const overlay = join(dir, 'bad-overlay.yaml');
    writeFileSync(overlay, [
      'brands:', '  - brand: Zonder Bron', '    vendor: dahua', '    relationship: oem_whitelabel', '    evidence: Hearsay.', '    confidence: medium',
      '  - brand: Verzonnen', '    vendor: no-such-maker', '    relationship: oem_whitelabel', '    evidence: Made up.', '    confidence: medium',
      '    sources: [{ref: "nothing"}]', '',
    ].join('\n'));
    const r = await cli(['--db', db, '--kb-overlay', overlay, 'kb', 'verify']);
    expect(r.code).toBe(EXIT.rejected);
    expect(r.err).toMatch(/zonder-bron.*source/i);
    expect(r.err).toMatch(/no-such-maker/);
  });

  it("applies the organisation's overlay as local knowledge", async () => {
    const overlay = join(dir, 'overlay.yaml');
    writeFileSync(overlay, [
      'brands:', '  - brand: Beveiliging Noord Huismerk', '    vendor: dahua', '    relationship: oem_whitelabel',
      '    evidence: Our installer confirmed in writing that this house brand is Dahua hardware.', '    confidence: high',
      '    sources:', '      - {ref: "installer letter 2026-03-02"}', '',
    ].join('\n'));
    const csv = join(dir, 'register.csv');
    writeFileSync(csv, 'Referentie;Merk\nH-1;Beveiliging Noord Huismerk\n');
    await cli(['--db', db, '--kb-overlay', overlay, 'import', csv]);
    const [device] = JSON.parse((await cli(['--db', db, '--json', 'devices', 'list'])).out);
    expect(device.manufacturer).toBe('dahua');
    const shown = JSON.parse((await cli(['--db', db, '--json', 'devices', 'show', device.id])).out);
    expect(shown.identity.evidence[0]).toMatchObject({ origin: 'overlay', rule: 'kb:brand:Beveiliging Noord Huismerk' });
  });
});
