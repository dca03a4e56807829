// The council report model from explicit inputs: figures count what they say, the OEM label is
// tied to its true maker, and the public edition follows the publication policy per device and
// never carries addresses, serials or positions.
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/core/assess/types.js';
import { clauseDocument } from '../../../src/core/clauses/document.js';
import { DEFAULT_PUBLICATION } from '../../../src/core/model.js';
import { buildCouncilReport, type CouncilInput, type ReportDevice } from '../../../src/core/report/council.js';
import type { Block } from '../../../src/core/report/model.js';
import { loadKnowledgeBase } from '../../../src/kb/load.js';
import { loadClauseLibrary } from '../../../src/report/clauses-file.js';

const kb = await loadKnowledgeBase();
const clauses = clauseDocument(await loadClauseLibrary(), kb.legal, kb.meta.version, 'en');

function device(id: string, brand: string, manufacturer: string | null, over: Partial<ReportDevice> = {}): ReportDevice {
  return {
    id, kind: 'camera', status: 'active', manufacturer, brand, model: 'M1', firmware: null, identityConfidence: 1, installDate: null,
    analytics: [], legalBasis: null, retentionDays: null, custom: {}, facts: [],
    site: { id: `s-${id}`, name: `Site ${id}`, category: 'public_space' },
    network: { id: 'n', name: 'net', connectivity: 'internal', remoteAccess: 'none' },
    ip: `10.1.2.${id.length}`, mac: 'AA:BB:CC:00:11:22', serial: `SER-${id}`, position: { lat: 52.123456, lon: 5.654321 }, publication: {}, ...over,
  };
}

const finding = (deviceId: string): Finding => ({
  deviceId, rule: 'known_exploited_vulnerability', severity: 'critical', likelihood: 'high', impact: 'high',
  why: { nl: 'lek', en: 'vulnerable' }, evidence: [], sources: [{ url: 'https://example.org/kev', title: 'KEV' }], action: 'replace', dueDate: null,
});

function input(over: Partial<CouncilInput> = {}): CouncilInput {
  return {
    lang: 'en', publicEdition: false, now: '2026-11-29T09:00:00.000Z', org: { name: 'Gemeente Test', publication: DEFAULT_PUBLICATION }, kb,
    devices: [
      device('aaaaaaaa1', 'HiWatch', 'hikvision'),
      device('bbbbbbbb2', 'Hikvision', 'hikvision', { site: null, network: { id: 'n2', name: 'cloud', connectivity: 'internet_exposed', remoteAccess: 'vendor_cloud' } }),
      device('cccccccc3', 'Axis', 'axis', { publication: { identity: 'organisation' }, site: { id: 's-x', name: 'Office', category: 'office' } }),
    ],
    findings: [finding('aaaaaaaa1')], waived: 0,
    assessment: { at: '2026-11-29T08:00:00.000Z', kbVersion: kb.meta.version, policyName: 'default' }, scenarios: [], years: 5, clauses, ...over,
  };
}

const appendixTable = (blocks: Block[]) => blocks.find((b): b is Extract<Block, { kind: 'table' }> => b.kind === 'table')!;

describe('buildCouncilReport', () => {
  it('counts devices, sites, makers, public space, vendor cloud and KEV devices', () => {
    const r = buildCouncilReport(input());
    expect(r.figures).toEqual({
      devices: 3, sites: 2, makers: 2, byMaker: { Hikvision: 2, Axis: 1 }, publicSpaceDevices: 1, vendorCloudDevices: 1, kevDevices: 1, findings: 1,
    });
    expect(r.sections.map((s) => s.id)).toEqual(['summary', 'inventory', 'exposure', 'risk', 'procurement', 'appendix']);
    expect(JSON.stringify(r.sections[1])).toContain('sold as HiWatch, made by Hikvision');
  });

  it('shows addresses, serials and positions in the internal edition only', () => {
    const internal = JSON.stringify(buildCouncilReport(input()));
    const pub = JSON.stringify(buildCouncilReport(input({ publicEdition: true })));
    for (const secret of ['10.1.2.9', 'AA:BB:CC:00:11:22', 'SER-aaaaaaaa1', '52.123456']) {
      expect(internal).toContain(secret);
      expect(pub).not.toContain(secret);
    }
  });

  it('hides a device\'s identity in the public edition when its own publication level says so', () => {
    const rows = appendixTable(buildCouncilReport(input({ publicEdition: true })).sections[5]!.blocks).rows;
    const axis = rows.find((r) => r[0] === 'cccccccc')!;
    expect(axis.slice(3, 7)).toEqual(['', '', '', '']);
    expect(rows.find((r) => r[0] === 'aaaaaaaa')!.slice(3, 5)).toEqual(['HiWatch', 'Hikvision']);
  });
});
