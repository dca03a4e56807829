// Accuracy of true-manufacturer identification over every real device response in the fixtures.
// Targets: every Hikvision- and Dahua-family item attributed to its maker, and not one other
// device attributed to Hikvision or Dahua — a wrong accusation is worse than a miss.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { identifyCapture, type FileIdentity } from '../../src/core/identify/capture.js';
import { identify } from '../../src/core/identify/identify.js';
import { identifyKnowledge } from '../../src/kb/knowledge.js';
import { loadKnowledgeBase } from '../../src/kb/load.js';

const DIR = join(import.meta.dirname, '..', 'fixtures', 'devices');
const CHINESE_FAMILIES = new Set(['hikvision', 'dahua']);

/** The maker each fixture's MANIFEST names, as a KB vendor id; null where it names none. */
const VENDOR_OF: Record<string, string | null> = {
  'Hikvision': 'hikvision', 'Hikvision (and OEMs)': 'hikvision', 'Dahua': 'dahua', 'Dahua (Lorex OEM)': 'dahua',
  'Axis': 'axis', 'Bosch': 'bosch', 'Canon': 'canon', 'Avigilon': 'avigilon', 'Arecont Vision': 'arecont',
  'FLIR Systems': 'flir', 'GeoVision': 'geovision', 'Hanwha Vision': 'hanwha', 'Panasonic (i-PRO)': 'panasonic',
  'TP-Link': 'tp-link', 'Xiongmai (and OEMs)': 'xiongmai', 'Foscam': 'foscam',
};

// Lists and catalogues describe many devices or none; a recorder's channel list is checked per
// channel below.
const NOT_ONE_DEVICE = /^(recog\/|nmap\/|oui\/)|\.recog\.xml$|LICENSE$|catalogue/;

/**
 * Responses that hold nothing specific to any maker: only the ONVIF standard's own service
 * addresses and flags. They are counted as misses, never as hits, and kept out of the 100 % target
 * (attributing them would be a guess).
 */
const NO_MAKER_EVIDENCE = new Set(['onvif/dahua-getcapabilities.xml']);

interface Row { file: string; truth: string | null; label: string }

function rows(): Row[] {
  return readFileSync(join(DIR, 'MANIFEST.tsv'), 'utf8').split('\n').slice(1).filter(Boolean)
    .map((line) => line.split('\t'))
    .map(([file, , label]) => ({ file: file!, label: label!, truth: VENDOR_OF[label!] ?? null }))
    .filter((r) => !NOT_ONE_DEVICE.test(r.file) && !/^multiple|^various/.test(r.label));
}

let results: { row: Row; id: FileIdentity }[] = [];

beforeAll(async () => {
  const knowledge = identifyKnowledge(await loadKnowledgeBase());
  results = rows().map((row) => {
    let id: FileIdentity;
    try {
      id = identifyCapture(row.file, readFileSync(join(DIR, row.file)), (s) => identify(s, knowledge));
    } catch {
      id = { file: row.file, protocol: null, manufacturer: null, brand: null, model: null, firmware: null, serial: null, mac: null, kind: null, confidence: 0, evidence: [], conflicts: [], checks: [] };
    }
    return { row, id };
  });
});

describe('identification accuracy over the real fixtures', () => {
  it('prints precision and recall, and meets the targets', () => {
    const single = results.filter((r) => !r.row.label.includes('mixed'));
    const known = single.filter((r) => r.row.truth !== null);
    const attributed = single.filter((r) => r.id.manufacturer !== null);
    const correct = attributed.filter((r) => r.id.manufacturer === r.row.truth);
    const family = single.filter((r) => r.row.truth !== null && CHINESE_FAMILIES.has(r.row.truth) && !NO_MAKER_EVIDENCE.has(r.row.file));
    const familyCorrect = family.filter((r) => r.id.manufacturer === r.row.truth);
    const accusations = single.filter((r) => r.id.manufacturer !== null && CHINESE_FAMILIES.has(r.id.manufacturer) && r.id.manufacturer !== r.row.truth);
    const lines = [
      `items: ${single.length} (${known.length} with a known maker)`,
      `precision: ${correct.length}/${attributed.length} = ${pct(correct.length, attributed.length)}`,
      `recall: ${correct.length}/${known.length} = ${pct(correct.length, known.length)}`,
      `Hikvision/Dahua family correct: ${familyCorrect.length}/${family.length} (plus ${NO_MAKER_EVIDENCE.size} response without any maker evidence)`,
      `wrongly attributed to Hikvision/Dahua: ${accusations.length}`,
      ...single.filter((r) => r.id.manufacturer !== r.row.truth).map((r) => `  ${r.row.file}: expected ${r.row.truth ?? '—'}, got ${r.id.manufacturer ?? '—'}`),
    ];
    console.log(lines.join('\n'));
    expect(familyCorrect.map((r) => r.row.file)).toEqual(family.map((r) => r.row.file));
    expect(accusations.map((r) => r.row.file)).toEqual([]);
    // Whatever is attributed must be right: a wrong maker of any kind is a defect.
    expect(attributed.filter((r) => r.id.manufacturer !== r.row.truth).map((r) => r.row.file)).toEqual([]);
  });

  it("attributes a Hikvision recorder's Hikvision-firmware cameras to Hikvision and ONVIF ones to nobody", () => {
    const channels = results.filter((r) => r.row.label.includes('mixed')).flatMap((r) => r.id.channels ?? []);
    expect(channels.length).toBeGreaterThan(10);
    for (const ch of channels) {
      // Channels the recorder reaches over ONVIF are third-party cameras (JVSWO708…); the others
      // speak Hikvision's own protocol — the OEM model IPC-T620-Z included.
      const viaOnvif = ch.model === 'JVSWO708-PO300M2';
      expect({ model: ch.model, maker: ch.manufacturer }).toEqual({ model: ch.model, maker: viaOnvif ? null : 'hikvision' });
    }
    expect(channels.filter((c) => c.model === 'IPC-T620-Z').map((c) => c.manufacturer)).toEqual(['hikvision', 'hikvision']);
  });
});

const pct = (a: number, b: number) => (b === 0 ? 'n/a' : `${((100 * a) / b).toFixed(1)} %`);
