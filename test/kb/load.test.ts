import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CamauditError } from '../../src/core/errors.js';
import { DEFAULT_KB_DIR, KB_FILES, loadKnowledgeBase, parseKnowledgeBase } from '../../src/kb/load.js';
import type { KnowledgeBase } from '../../src/kb/schema.js';

// The fingerprint rules are written separately; until kb/data/fingerprints.yaml exists the shipped
// files are loaded from a temporary copy with one minimal rule, so these tests do not depend on it.
const MINIMAL_FINGERPRINTS = `fingerprints:
  - id: test-hikvision-webs
    on: [http.server]
    pattern: '^Hikvision-Webs$'
    claims: {manufacturer: hikvision}
    weight: banner
    examples: [{value: Hikvision-Webs}]
    sources: [{ref: camaudit test fixture}]
`;

let tmp: string | null = null;

async function kbDir(): Promise<string> {
  if (existsSync(join(DEFAULT_KB_DIR, KB_FILES.fingerprints))) return DEFAULT_KB_DIR;
  tmp ??= await mkdtemp(join(tmpdir(), 'camaudit-kb-'));
  for (const name of Object.values(KB_FILES)) {
    if (name === KB_FILES.fingerprints) await writeFile(join(tmp, name), MINIMAL_FINGERPRINTS);
    else await copyFile(join(DEFAULT_KB_DIR, name), join(tmp, name));
  }
  return tmp;
}

async function shippedFiles(): Promise<Record<string, string>> {
  const dir = await kbDir();
  const files: Record<string, string> = {};
  for (const name of Object.values(KB_FILES)) files[name] = await readFile(join(dir, name), 'utf8');
  return files;
}

function invalid(fn: () => unknown): CamauditError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CamauditError);
    return err as CamauditError;
  }
  throw new Error('expected a CamauditError');
}

const OEM_RECORDS = [
  'ezviz', 'hilook', 'hiwatch', 'hiksemi', 'hikrobot', 'hikmicro', 'prama-hikvision', 'imou', 'lorex',
  'dahua-zhilian', 'huaray', 'amcrest', 'indigovision', 'annke', 'lts', 'swann', 'honeywell-oem', 'flir-oem',
];

let kb: KnowledgeBase;
beforeAll(async () => {
  kb = await loadKnowledgeBase(await kbDir());
});
afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('shipped knowledge base', () => {
  it('resolves the default directory to <package>/kb/data', () => {
    expect(DEFAULT_KB_DIR.replace(/\\/g, '/')).toMatch(/\/kb\/data\/$/);
    expect(existsSync(join(DEFAULT_KB_DIR, 'meta.yaml'))).toBe(true);
  });

  it('carries its release metadata', () => {
    expect(kb.meta.version).toBe('2026.11.1');
    expect(kb.meta.date).toBe('2026-11-29');
    expect(kb.meta.known_gaps.some((g) => g.startsWith('GAP:'))).toBe(true);
  });

  it('loads every data row of oui.tsv', async () => {
    const tsv = await readFile(join(DEFAULT_KB_DIR, 'oui.tsv'), 'utf8');
    const lines = tsv.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.startsWith('#'));
    const dataRows = lines.length - 1; // minus the header line
    expect(dataRows).toBe(2778);
    expect(kb.prefixes).toHaveLength(dataRows);
    expect(tsv).toContain('oui-data@2.1.9');
    expect(kb.prefixes.filter((p) => p.registry === 'MA-M')).toHaveLength(4);
  });

  it('keeps every oem.yaml record, with its sources', () => {
    const ids = new Set(kb.brands.map((b) => b.id));
    for (const id of OEM_RECORDS) expect(ids, id).toContain(id);
    const lorex = kb.brands.find((b) => b.id === 'lorex');
    expect(lorex?.sources).toHaveLength(7);
    expect(lorex?.valid_to).toBe('2022-11-24');
    expect(kb.brands.every((b) => b.origin === 'kb' && b.sources.length > 0)).toBe(true);
  });

  it('has own-brand records for the makers', () => {
    for (const id of ['hikvision', 'dahua', 'axis', 'bosch']) {
      expect(kb.brands.find((b) => b.id === id)).toMatchObject({ vendor: id, relationship: 'own_brand' });
    }
  });

  it('holds all 31 restrictions and 16 CVEs', () => {
    expect(kb.restrictions).toHaveLength(31);
    expect(kb.vulnerabilities).toHaveLength(16);
    const kev = kb.vulnerabilities.filter((c) => c.kev.listed).map((c) => [c.id, c.kev.date_added]);
    expect(kev).toEqual([
      ['CVE-2017-7921', '2026-03-05'],
      ['CVE-2021-36260', '2022-01-10'],
      ['CVE-2021-33044', '2024-08-21'],
      ['CVE-2021-33045', '2024-08-21'],
    ]);
    const ndaa = kb.restrictions.find((r) => r.id === 'us-ndaa-fy2019-s889');
    expect(ndaa?.vendors).toEqual(['huawei', 'zte', 'hytera', 'hikvision', 'dahua']);
  });

  it('keeps uncertainty markers as data', () => {
    const fcc = kb.restrictions.find((r) => r.id === 'us-fcc-22-84-equipment-authorization');
    expect(fcc?.uncertain).toBe('Outcome of the post-remand proceedings after Feb 2025 not found.');
    const imou = kb.brands.find((b) => b.id === 'imou');
    expect(imou?.uncertain).toContain('Exact shareholding of Huacheng by Dahua not retrieved');
    expect(imou?.label_as_given).toBe('Imou (formerly Lechange - unverified)');
    const gap = kb.restrictions.find((r) => r.id === 'nl-rijksoverheid-camera-decision-GAP');
    expect(gap).toMatchObject({ gap: true, confidence: 'low' });
    const utrecht = kb.restrictions.find((r) => r.id === 'nl-utrecht-2022');
    expect(utrecht).toMatchObject({ confidence: 'low', confidence_note: 'medium (questions); low (22-location figure)' });
    expect(kb.legal.find((l) => l.id === 'eu-cjeu-kolin-c-652-22')?.verify).toBe(true);
    const press = kb.vulnerabilities.find((c) => c.id === 'CVE-2021-33044')?.cvss[0];
    expect(press).toMatchObject({ base_score: 9.8, source_type: 'secondary', vector: null });
  });

  it('is frozen, so cached indexes cannot go stale', () => {
    expect(Object.isFrozen(kb)).toBe(true);
    expect(Object.isFrozen(kb.brands[0])).toBe(true);
  });
});

describe('validation errors', () => {
  it('names the file and the record path', async () => {
    const files = await shippedFiles();
    const brands = files['brands.yaml']!.replace('    vendor: hikvision\n    relationship: subsidiary', '    vendor: Hik Vision\n    relationship: subsidiary');
    const err = invalid(() => parseKnowledgeBase({ ...files, 'brands.yaml': brands }));
    expect(err.code).toBe('invalid_input');
    expect(err.message).toMatch(/^kb\/data\/brands\.yaml: records\[0\]\.vendor: /);
  });

  it('rejects unknown keys', async () => {
    const files = await shippedFiles();
    const vendors = files['vendors.yaml']!.replace('  - id: axis\n', '  - id: axis\n    uncertian: typo\n');
    expect(invalid(() => parseKnowledgeBase({ ...files, 'vendors.yaml': vendors })).message).toMatch(
      /kb\/data\/vendors\.yaml: records\[\d+\]: Unrecognized key: "uncertian"/,
    );
  });

  it('rejects a record without sources', async () => {
    const files = await shippedFiles();
    const legal = files['legal.yaml']!.replace(/( {2}- id: xj-ownership[\s\S]*?) {4}sources:[\s\S]*$/, '$1    sources: []\n');
    expect(invalid(() => parseKnowledgeBase({ ...files, 'legal.yaml': legal })).message).toMatch(
      /legal\.yaml: records\[\d+\]\.sources: every record needs at least one source/,
    );
  });

  it('reports bad oui.tsv rows by line', async () => {
    const files = await shippedFiles();
    const tsv = files['oui.tsv']!.replace('\tMA-L\t24\tDahua\t', '\tMA-X\t24\tDahua\t');
    const err = invalid(() => parseKnowledgeBase({ ...files, 'oui.tsv': tsv }));
    expect(err.message).toMatch(/^kb\/data\/oui\.tsv: line 6 \(00:D9:8B\): registry: /);
    expect(err.location?.row).toBe(6);
  });

  it('reports a missing file as not_found and broken YAML as invalid_input', async () => {
    const files = await shippedFiles();
    const { 'legal.yaml': _legal, ...rest } = files;
    expect(invalid(() => parseKnowledgeBase(rest)).code).toBe('not_found');
    expect(invalid(() => parseKnowledgeBase({ ...files, 'meta.yaml': 'version: [' })).message).toMatch(/meta\.yaml: not valid YAML/);
    await expect(loadKnowledgeBase(join(tmpdir(), 'camaudit-no-such-kb'))).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('organisation overlay', () => {
  const overlay = `
vendors:
  - {id: acme-cams, name: Acme Cams, country: NL, sources: [{ref: "inventory 2026, supplier letter"}]}
brands:
  - brand: Gemeentecam
    vendor: acme-cams
    relationship: oem_whitelabel
    evidence: Supplier confirmed in writing.
    confidence: high
    sources: [{ref: "contract 2025-17"}]
  - brand: EZVIZ
    vendor: hikvision
    relationship: own_brand
    evidence: Our auditor's note.
    confidence: medium
prefixes:
  - {prefix: "AA:BB:CC", vendor: acme-cams, note: seen on our depot cameras}
`;

  it('adds records marked overlay on top of the shipped ones', async () => {
    const dir = await kbDir();
    const file = join(tmpdir(), `camaudit-overlay-${process.pid}.yaml`);
    await writeFile(file, overlay);
    try {
      const merged = await loadKnowledgeBase(dir, file);
      expect(merged.brands).toHaveLength(kb.brands.length + 2);
      const added = merged.brands.find((b) => b.brand === 'Gemeentecam');
      expect(added).toMatchObject({ id: 'gemeentecam', origin: 'overlay', vendor: 'acme-cams' });
      expect(merged.brands.filter((b) => b.brand === 'EZVIZ').map((b) => b.origin)).toEqual(['kb', 'overlay']);
      expect(merged.vendors.at(-1)).toMatchObject({ id: 'acme-cams', origin: 'overlay', legal_names: [] });
      expect(merged.prefixes.at(-1)).toMatchObject({ hex: 'AABBCC', registry: 'MA-L', bits: 24, origin: 'overlay', sources: [] });
    } finally {
      await rm(file, { force: true });
    }
  });

  it('validates overlay records the same way', async () => {
    const files = await shippedFiles();
    const bad = 'brands:\n  - {brand: X, vendor: acme, relationship: owner, evidence: e, confidence: high}\n';
    expect(invalid(() => parseKnowledgeBase(files, { overlay: bad, overlayLabel: 'org.yaml' })).message).toMatch(
      /^org\.yaml: brands\[0\]\.relationship: /,
    );
    expect(invalid(() => parseKnowledgeBase(files, { overlay: 'cameras: []\n', overlayLabel: 'org.yaml' })).message).toMatch(
      /Unrecognized key: "cameras"/,
    );
  });
});
