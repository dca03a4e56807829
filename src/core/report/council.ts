// The council report built from explicit inputs: the devices in service, the latest assessment's
// findings (waivers applied), the phase-out scenarios, the clause library and the KB. It answers
// the council's four questions in order, then lists the devices. Pure: the caller reads the store
// and passes `now`; the renderers only draw what this returns.
import type { AssessDevice, Finding } from '../assess/types.js';
import { SEVERITIES } from '../assess/types.js';
import { rollUp } from '../assess/risk.js';
import type { ClauseDocument } from '../clauses/document.js';
import { CONNECTIVITY, SITE_CATEGORIES, type FieldGroup, type PublicationPolicy } from '../model.js';
import type { Scenario } from '../plan/types.js';
import type { KnowledgeBase } from '../../kb/schema.js';
import type { Source } from '../../kb/source.js';
import type { Lang } from '../../i18n/messages.js';
import { REPORT_LABELS, tReport, type ReportMessageKey } from '../../i18n/report-messages.js';
import type { Block, Cell, CouncilReport, Link, ReportSection } from './model.js';

/** A device in service with the fields only the appendix shows. */
export interface ReportDevice extends AssessDevice {
  ip: string | null;
  mac: string | null;
  serial: string | null;
  position: { lat: number; lon: number } | null;
  /** The device's own overrides of the organisation's publication policy. */
  publication: Partial<PublicationPolicy>;
}

export interface CouncilInput {
  lang: Lang;
  /** The public edition: only what the publication policy makes public, and never positions, addresses or serials. */
  publicEdition: boolean;
  now: string;
  org: { name: string; publication: PublicationPolicy };
  kb: KnowledgeBase;
  devices: readonly ReportDevice[];
  /** Active findings of the latest assessment on these devices (waivers applied). */
  findings: readonly Finding[];
  waived: number;
  assessment: { at: string; kbVersion: string; policyName: string };
  scenarios: readonly Scenario[];
  years: number;
  clauses: ClauseDocument;
}

type Tr = (key: ReportMessageKey, params?: Record<string, string | number>) => string;

/** Where a source points, as a line of text with its link. */
function sourceLink(s: Source | { url?: string; title?: string; ref?: string }): Link {
  const text = s.title ?? s.url ?? s.ref ?? '';
  return s.url ? { text, url: s.url } : { text: s.ref && s.title ? `${s.title} (${s.ref})` : text };
}

/** Distinct sources by where they point, in first-seen order. */
function distinctSources(sources: readonly { url?: string; title?: string; ref?: string }[]): Link[] {
  const seen = new Map<string, Link>();
  for (const s of sources) {
    const link = sourceLink(s);
    const key = link.url ?? link.text;
    if (!seen.has(key)) seen.set(key, link);
  }
  return [...seen.values()];
}

const countBy = <T>(items: readonly T[], key: (item: T) => string): Map<string, number> => {
  const out = new Map<string, number>();
  for (const i of items) out.set(key(i), (out.get(key(i)) ?? 0) + 1);
  return out;
};

const byCountDesc = (a: [string, number], b: [string, number]) => b[1] - a[1] || a[0].localeCompare(b[0]);

function money(lang: Lang, euros: number): string {
  return `€ ${euros.toLocaleString(lang === 'nl' ? 'nl-NL' : 'en-GB')}`;
}

/** The highest the publication policy (organisation, then device override) lets the public see. */
function publicField(input: CouncilInput, d: ReportDevice, group: FieldGroup): boolean {
  return !input.publicEdition || (d.publication[group] ?? input.org.publication[group]) === 'public';
}

function inventory(input: CouncilInput, tr: Tr, makerOf: (id: string | null) => string): ReportSection {
  const { devices, kb } = input;
  const labels = REPORT_LABELS[input.lang];
  const makers = new Map<string, { devices: number; sites: Set<string>; brands: Set<string> }>();
  for (const d of devices) {
    const name = makerOf(d.manufacturer);
    const m = makers.get(name) ?? { devices: 0, sites: new Set<string>(), brands: new Set<string>() };
    m.devices++;
    if (d.site) m.sites.add(d.site.id);
    if (d.brand) m.brands.add(d.brand);
    makers.set(name, m);
  }
  const makerRows = [...makers].sort((a, b) => b[1].devices - a[1].devices || a[0].localeCompare(b[0]));

  // Every label the KB records for the maker identification found, other than the maker's own
  // name: a council member reading "HiWatch" should learn it is Hikvision, own brand or not.
  const oem = new Map<string, { brand: KnowledgeBase['brands'][number]; devices: number }>();
  for (const d of devices) {
    if (!d.brand || !d.manufacturer) continue;
    const label = d.brand.toLowerCase();
    if (label === makerOf(d.manufacturer).toLowerCase()) continue;
    const record = kb.brands.find((b) => b.vendor === d.manufacturer
      && [b.brand, ...b.aliases].some((n) => n.toLowerCase() === label));
    if (!record) continue;
    const seen = oem.get(record.id) ?? { brand: record, devices: 0 };
    seen.devices++;
    oem.set(record.id, seen);
  }
  const oemBlocks: Block[] = [{ kind: 'heading', text: tr('q1.oem') }];
  if (oem.size === 0) oemBlocks.push({ kind: 'paragraph', text: tr('none') });
  for (const { brand, devices: n } of [...oem.values()].sort((a, b) => b.devices - a.devices || a.brand.brand.localeCompare(b.brand.brand))) {
    const unverified = brand.confidence !== 'high' || brand.uncertain !== undefined;
    oemBlocks.push(
      { kind: 'paragraph', text: `${tr('q1.oemLine', { brand: brand.brand, maker: makerOf(brand.vendor), devices: n, relationship: brand.relationship, confidence: brand.confidence })}${unverified ? ` — ${tr('unverified')}${brand.uncertain ? `: ${brand.uncertain}` : ''}` : ''}` },
      { kind: 'list', items: distinctSources(brand.sources) },
    );
  }

  const sitesOf = (pred: (c: string) => boolean) => new Set(devices.filter((d) => d.site && pred(d.site.category)).map((d) => d.site!.id)).size;
  const perCategory = SITE_CATEGORIES.map((c) => [labels.category[c]!, devices.filter((d) => d.site?.category === c).length, sitesOf((x) => x === c)] as Cell[])
    .filter((r) => r[1] !== 0);
  const unsited = devices.filter((d) => !d.site).length;
  if (unsited > 0) perCategory.push([tr('noLocation'), unsited, 0]);
  const publicDevices = devices.filter((d) => d.site?.category === 'public_space').length;

  return {
    id: 'inventory', title: tr('q1.title'),
    blocks: [
      { kind: 'paragraph', text: tr('q1.intro') },
      { kind: 'chart', caption: tr('q1.byMaker'), bars: makerRows.map(([name, m]) => ({ label: name, value: m.devices })) },
      { kind: 'table', caption: tr('q1.byMaker'), head: [tr('q1.maker'), tr('q1.brands'), tr('q1.devices'), tr('q1.locations')],
        rows: makerRows.map(([name, m]) => [name, [...m.brands].sort().join(', '), m.devices, m.sites.size]) },
      ...oemBlocks,
      { kind: 'heading', text: tr('q1.byCategory') },
      { kind: 'paragraph', text: tr('q1.publicVsBuildings', {
        public: publicDevices, publicSites: sitesOf((c) => c === 'public_space'),
        buildings: devices.length - publicDevices - unsited, buildingSites: sitesOf((c) => c !== 'public_space'), unsited,
      }) },
      { kind: 'chart', caption: tr('q1.byCategory'), bars: perCategory.map((r) => ({ label: String(r[0]), value: Number(r[1]) })) },
      { kind: 'table', caption: tr('q1.byCategory'), head: [tr('q1.category'), tr('q1.devices'), tr('q1.locations')], rows: perCategory },
    ],
  };
}

function vendorCloud(d: AssessDevice): boolean {
  return d.network?.remoteAccess === 'vendor_cloud' || d.facts.some((f) => f.fact === 'vendor_cloud');
}

function exposure(input: CouncilInput, tr: Tr, makerOf: (id: string | null) => string): ReportSection {
  const labels = REPORT_LABELS[input.lang];
  const conn = countBy(input.devices, (d) => d.network ? labels.connectivity[d.network.connectivity]! : tr('noNetwork'));
  const connRows = [...CONNECTIVITY.map((c) => labels.connectivity[c]!), tr('noNetwork')].filter((l) => conn.has(l)).map((l) => [l, conn.get(l)!] as Cell[]);
  const inUse = new Set(input.devices.map((d) => d.manufacturer).filter((m): m is string => m !== null));
  const kevFindings = input.findings.filter((f) => f.rule === 'known_exploited_vulnerability');
  const kev = input.kb.vulnerabilities.filter((v) => v.kev.listed && inUse.has(v.vendor)).sort((a, b) => a.id.localeCompare(b.id));
  const blocks: Block[] = [
    { kind: 'chart', caption: tr('q2.byConnectivity'), bars: connRows.map((r) => ({ label: String(r[0]), value: Number(r[1]) })) },
    { kind: 'table', caption: tr('q2.byConnectivity'), head: [tr('q2.connectivity'), tr('q1.devices')], rows: connRows },
    { kind: 'paragraph', text: tr('q2.vendorCloud', { devices: input.devices.filter(vendorCloud).length }) },
    { kind: 'heading', text: tr('q2.kev') },
    { kind: 'paragraph', text: tr('q2.kevIntro') },
  ];
  if (kev.length === 0) blocks.push({ kind: 'paragraph', text: tr('none') });
  else {
    // The rule names every CVE it found in its explanation, so a finding's text says which it is.
    const affected = (id: string) => new Set(kevFindings.filter((f) => f.why.en.includes(id)).map((f) => f.deviceId)).size;
    blocks.push({ kind: 'table', caption: tr('q2.kev'), head: [tr('q2.cve'), tr('q1.maker'), tr('q2.description'), tr('q1.devices')],
      rows: kev.map((v) => [v.id, makerOf(v.vendor), v.dispute ? `${v.title} — ${tr('unverified')}: ${v.dispute}` : v.title, affected(v.id)]) });
    blocks.push({ kind: 'paragraph', text: tr('sources') }, { kind: 'list', items: distinctSources(kev.flatMap((v) => v.sources)) });
  }
  return { id: 'exposure', title: tr('q2.title'), blocks };
}

function risk(input: CouncilInput, tr: Tr, makerOf: (id: string | null) => string): ReportSection {
  const labels = REPORT_LABELS[input.lang];
  const { organisation } = rollUp(input.devices, input.findings);
  const withFindings = new Set(input.findings.map((f) => f.deviceId)).size;
  const blocks: Block[] = [
    { kind: 'heading', text: tr('q3.judgement') },
    { kind: 'paragraph', text: tr('q3.judgementText', { policy: input.assessment.policyName, findings: input.findings.length, devices: withFindings, total: input.devices.length, ...organisation.bySeverity }) },
  ];
  if (input.waived > 0) blocks.push({ kind: 'paragraph', text: tr('q3.waived', { n: input.waived }) });
  const groups = new Map<string, Finding[]>();
  for (const f of input.findings) groups.set(`${f.rule}\u0000${f.severity}`, [...(groups.get(`${f.rule}\u0000${f.severity}`) ?? []), f]);
  const ordered = [...groups.values()].sort((a, b) => SEVERITIES.indexOf(a[0]!.severity) - SEVERITIES.indexOf(b[0]!.severity) || b.length - a.length);
  blocks.push({ kind: 'table', caption: tr('q3.byRule'), head: [tr('q3.rule'), tr('q3.severity'), tr('q3.findings'), tr('q3.why')],
    rows: ordered.map((fs) => {
      const f = fs[0]!;
      return [labels.rule[f.rule] ?? f.rule, labels.severity[f.severity]!, fs.length, `${f.why[input.lang]}${f.uncertain ? ` (${tr('unverified')}: ${f.uncertain})` : ''}`];
    }) });
  blocks.push({ kind: 'paragraph', text: tr('sources') }, { kind: 'list', items: distinctSources(input.findings.flatMap((f) => f.sources)) });

  const inUse = new Set(input.devices.map((d) => d.manufacturer));
  const restrictions = input.kb.restrictions.filter((r) => r.vendors.some((v) => inUse.has(v)));
  blocks.push({ kind: 'heading', text: tr('q3.restrictions') });
  if (restrictions.length === 0) blocks.push({ kind: 'paragraph', text: tr('none') });
  for (const r of restrictions) {
    const unverified = r.confidence !== 'high' || r.uncertain !== undefined;
    blocks.push(
      { kind: 'paragraph', text: `${r.jurisdiction}, ${r.body} (${r.date}): ${r.vendors.map(makerOf).join(', ')} — ${r.scope_detail} ${r.status}${unverified ? ` — ${tr('unverified')}${r.uncertain ? `: ${r.uncertain}` : ''}` : ''}` },
      { kind: 'list', items: distinctSources(r.sources) },
    );
  }

  const end = (s: Scenario) => s.residualRisk[s.residualRisk.length - 1]?.risk ?? 0;
  blocks.push(
    { kind: 'heading', text: tr('q3.options') },
    { kind: 'paragraph', text: tr('q3.optionsIntro', { years: input.years, risk: organisation.score }) },
    ...input.scenarios.map((s): Block => ({ kind: 'paragraph', text: `${s.title[input.lang]}: ${s.description[input.lang]}` })),
    { kind: 'table', caption: tr('q3.options'), head: [tr('q3.scenario'), tr('q3.totalCost'), tr('q3.actions'), tr('q3.residual'), tr('q3.unresolved')],
      rows: input.scenarios.map((s) => [s.title[input.lang], money(input.lang, s.totalCost), s.actions.length, end(s), s.unresolved.length]) },
    { kind: 'chart', caption: tr('q3.residualChart'), bars: input.scenarios.map((s) => ({ label: s.title[input.lang], value: end(s) })) },
  );
  return { id: 'risk', title: tr('q3.title'), blocks };
}

function procurement(input: CouncilInput, tr: Tr): ReportSection {
  const doc = input.clauses;
  const blocks: Block[] = [{ kind: 'paragraph', text: tr('q4.intro', { guidance: doc.guidance }) }];
  if (doc.caveats.length) blocks.push({ kind: 'list', items: doc.caveats.map((text) => ({ text })) });
  for (const cat of doc.categories) {
    blocks.push({ kind: 'heading', text: cat.title }, { kind: 'paragraph', text: cat.intro });
    for (const c of cat.clauses) {
      const bases = c.basis.map((b) => `${b.title}${b.instrument ? ` — ${b.instrument}` : ''}${b.analysis ? ` — ${tr('analysis')}` : ''}${b.verify ? ` — ${tr('unverified')}` : ''}`);
      blocks.push(
        { kind: 'paragraph', text: `${c.title} (${c.id}): ${c.text}` },
        { kind: 'list', items: [
          ...bases.map((text) => ({ text: `${tr('q4.basis')}: ${text}` })),
          ...[...c.caveats, ...c.basis.flatMap((b) => b.caveats)].map((text) => ({ text: `${tr('q4.caveats')}: ${text}` })),
          ...distinctSources(c.basis.flatMap((b) => b.sources)),
        ] },
      );
    }
  }
  return { id: 'procurement', title: tr('q4.title'), blocks };
}

function appendix(input: CouncilInput, tr: Tr, makerOf: (id: string | null) => string): ReportSection {
  const labels = REPORT_LABELS[input.lang];
  const worst = new Map<string, Finding['severity']>();
  for (const f of input.findings) {
    const was = worst.get(f.deviceId);
    if (was === undefined || SEVERITIES.indexOf(f.severity) < SEVERITIES.indexOf(was)) worst.set(f.deviceId, f.severity);
  }
  const exact = !input.publicEdition;
  const head = [tr('col.id'), tr('col.site'), tr('col.category'), tr('col.brand'), tr('col.maker'), tr('col.model'), tr('col.firmware'), tr('col.status'), tr('col.worst'),
    ...(exact ? [tr('col.ip'), tr('col.mac'), tr('col.serial'), tr('col.position')] : [])];
  const sorted = [...input.devices].sort((a, b) => (a.site?.name ?? '\uffff').localeCompare(b.site?.name ?? '\uffff') || a.id.localeCompare(b.id));
  const rows = sorted.map((d) => {
    const area = publicField(input, d, 'location_area');
    const identity = publicField(input, d, 'identity');
    const w = worst.get(d.id);
    const row: Cell[] = [
      d.id.slice(0, 8), area ? d.site?.name ?? '' : '', area ? (d.site ? labels.category[d.site.category]! : '') : '',
      identity ? d.brand ?? '' : '', identity ? makerOf(d.manufacturer) : '', identity ? d.model ?? '' : '', identity ? d.firmware ?? '' : '',
      d.status, w ? labels.severity[w]! : '',
    ];
    if (exact) row.push(d.ip ?? '', d.mac ?? '', d.serial ?? '', d.position ? `${d.position.lat}, ${d.position.lon}` : '');
    return row;
  });
  return { id: 'appendix', title: tr('appendix.title'), blocks: [
    { kind: 'paragraph', text: tr('appendix.intro', { n: input.devices.length }) },
    { kind: 'table', caption: tr('appendix.title'), head, rows },
  ] };
}

export function buildCouncilReport(input: CouncilInput): CouncilReport {
  const tr: Tr = (key, params) => tReport(input.lang, key, params);
  const vendorNames = new Map(input.kb.vendors.map((v) => [v.id, v.name]));
  const makerOf = (id: string | null) => (id === null ? tr('unknownMaker') : vendorNames.get(id) ?? id);
  const { devices, findings } = input;
  const byMaker = Object.fromEntries([...countBy(devices, (d) => makerOf(d.manufacturer))].sort(byCountDesc));
  const sites = new Set(devices.flatMap((d) => (d.site ? [d.site.id] : []))).size;
  const kevDevices = new Set(findings.filter((f) => f.rule === 'known_exploited_vulnerability').map((f) => f.deviceId)).size;
  const restrictedIds = new Set(input.kb.restrictions.flatMap((r) => r.vendors));
  const restricted = devices.filter((d) => d.manufacturer !== null && restrictedIds.has(d.manufacturer));
  const figures = {
    devices: devices.length, sites, makers: Object.keys(byMaker).length, byMaker,
    publicSpaceDevices: devices.filter((d) => d.site?.category === 'public_space').length,
    vendorCloudDevices: devices.filter(vendorCloud).length, kevDevices, findings: findings.length,
  };
  const cheapest = [...input.scenarios].sort((a, b) => a.totalCost - b.totalCost)[0];
  const end = (s: Scenario) => s.residualRisk[s.residualRisk.length - 1]?.risk ?? 0;
  const safest = [...input.scenarios].sort((a, b) => end(a) - end(b))[0];
  const summary: Block[] = [
    { kind: 'paragraph', text: tr('summary.inventory', { devices: devices.length, sites, makers: figures.makers }) },
    { kind: 'paragraph', text: tr('summary.restricted', { devices: restricted.length, makers: [...new Set(restricted.map((d) => makerOf(d.manufacturer)))].sort().join(', ') || '—' }) },
    { kind: 'paragraph', text: tr('summary.kev', { devices: kevDevices }) },
    { kind: 'paragraph', text: tr('summary.risk', { findings: findings.length, devices: new Set(findings.map((f) => f.deviceId)).size, score: rollUp(devices, findings).organisation.score }) },
  ];
  if (cheapest && safest) summary.push({ kind: 'paragraph', text: tr('summary.options', { years: input.years, scenario: cheapest.title[input.lang], cost: money(input.lang, cheapest.totalCost), lowest: safest.title[input.lang] }) });
  return {
    lang: input.lang,
    edition: input.publicEdition ? 'public' : 'internal',
    title: tr('title', { org: input.org.name }),
    subtitle: tr('subtitle', {
      edition: tr(input.publicEdition ? 'edition.public' : 'edition.internal'), date: input.now.slice(0, 10),
      assessed: input.assessment.at.slice(0, 10), kb: input.assessment.kbVersion, policy: input.assessment.policyName,
    }),
    sections: [
      { id: 'summary', title: tr('summary.title'), blocks: summary },
      inventory(input, tr, makerOf),
      exposure(input, tr, makerOf),
      risk(input, tr, makerOf),
      procurement(input, tr),
      appendix(input, tr, makerOf),
    ],
    figures,
  };
}
