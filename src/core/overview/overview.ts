// The council's four questions as live figures for one organisation: what we have, how exposed it
// is, what we do about it, and what we ask of suppliers. Every device figure carries the device-list
// filter that lists exactly those devices (GET …/devices?…), so a number on the overview can always
// be followed to the devices behind it. Pure: the route reads the store and the knowledge base.
import type { Finding, Severity } from '../assess/types.js';
import { SEVERITIES } from '../assess/types.js';
import type { FindingStatus } from '../assess/finding-status.js';
import type { CompiledKnowledge } from '../assess/rules/knowledge.js';
import { CONNECTIVITY, SITE_CATEGORIES, type Connectivity, type RemoteAccess, type SiteCategory } from '../model.js';
import { vendorById } from '../../kb/query.js';
import type { Brand, KnowledgeBase, Restriction, Source, Vulnerability } from '../../kb/schema.js';
import { asciiLower, isOemLabelled, makerKey, makerNames, NO_MAKER } from './labels.js';

/** A device-list query (`GET …/devices?…`) that lists exactly the devices counted. */
export type DeviceQuery = Readonly<Record<string, string>>;

export interface Figure {
  count: number;
  filter: DeviceQuery;
}

export interface OverviewDevice {
  id: string;
  brand: string | null;
  manufacturer: string | null;
  siteId: string | null;
  siteCategory: SiteCategory | null;
  connectivity: Connectivity | null;
  remoteAccess: RemoteAccess | null;
}

export interface OverviewPlanItem {
  status: 'planned' | 'in_progress' | 'done';
  dueDate: string;
  cost: number;
  scenario: string;
}

export interface OverviewInput {
  /** The statuses counted as in service; every figure is about these devices only. */
  inService: readonly string[];
  devices: readonly OverviewDevice[];
  /** Sites in the register, whether or not a device in service is there. */
  registerSites: number;
  /** The latest assessment's findings on these devices, with where each stands. */
  findings: readonly { finding: Pick<Finding, 'deviceId' | 'rule' | 'severity'>; status: FindingStatus }[];
  waiversInForce: number;
  planItems: readonly OverviewPlanItem[];
  /** Today in the plan's calendar (YYYY-MM-DD). */
  today: string;
  kb: KnowledgeBase;
  /** The knowledge base compiled with the policy in force: which makers its measures name. */
  compiled: CompiledKnowledge;
  policy: { name: string; origin: 'organisation' | 'default'; unknownMeasures: readonly string[] };
}

const sourcesOf = (sources: readonly Source[]) => sources.map((s) => ({ url: s.url ?? null, title: s.title ?? s.ref ?? s.url ?? '', ref: s.ref ?? null }));

function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const i of items) {
    const k = key(i);
    const list = out.get(k);
    if (list) list.push(i);
    else out.set(k, [i]);
  }
  return out;
}

const sitesOf = (devices: readonly OverviewDevice[]) => new Set(devices.flatMap((d) => (d.siteId ? [d.siteId] : []))).size;

export function buildOverview(input: OverviewInput) {
  const { devices, kb, compiled } = input;
  const status = input.inService.join(',');
  const figure = (count: number, filter: Record<string, string>): Figure => ({ count, filter: { status, ...filter } });
  const vendorOf = (id: string) => vendorById(kb, id);
  const names = makerNames(kb.vendors);

  // 1. What we have.
  const byMaker = countBy(devices, (d) => makerKey(d.manufacturer) ?? NO_MAKER);
  const makers = [...byMaker].map(([key, list]) => {
    const vendor = key === NO_MAKER ? null : vendorOf(key);
    const restricted = key !== NO_MAKER && compiled.maker(vendor?.id ?? list[0]!.manufacturer!).measures.length > 0;
    return {
      key, known: key !== NO_MAKER, name: vendor?.name ?? (key === NO_MAKER ? null : list[0]!.manufacturer), country: vendor?.country ?? null,
      restricted, sites: sitesOf(list), ...figure(list.length, { manufacturer: key }),
    };
  }).sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));

  const oemDevices = devices.filter((d) => isOemLabelled(d.brand, d.manufacturer, names));
  const oemBrands = [...countBy(oemDevices, (d) => `${makerKey(d.manufacturer)}\u0000${asciiLower(d.brand!)}`).values()].map((list) => {
    const first = list[0]!;
    const maker = makerKey(first.manufacturer)!;
    const label = asciiLower(first.brand!);
    const record: Brand | undefined = kb.brands.find((b) => (b.vendor === maker || (b.vendor_alternatives ?? []).includes(maker))
      && [b.brand, ...b.aliases].some((n) => asciiLower(n) === label));
    return {
      brand: first.brand!, maker: { id: maker, name: vendorOf(maker)?.name ?? first.manufacturer! },
      record: record ? {
        id: record.id, relationship: record.relationship, confidence: record.confidence, uncertain: record.uncertain ?? null, sources: sourcesOf(record.sources),
      } : null,
      ...figure(list.length, { manufacturer: maker, brand: first.brand! }),
    };
  }).sort((a, b) => b.count - a.count || a.brand.localeCompare(b.brand));

  const byCategory = countBy(devices, (d) => d.siteCategory ?? NO_MAKER);
  const categories = [...SITE_CATEGORIES, NO_MAKER].filter((c) => byCategory.has(c)).map((c) => ({
    key: c, sites: sitesOf(byCategory.get(c)!), ...figure(byCategory.get(c)!.length, { category: c }),
  }));
  const buildingCategories = SITE_CATEGORIES.filter((c) => c !== 'public_space');
  const buildings = devices.filter((d) => d.siteCategory !== null && d.siteCategory !== 'public_space');
  const publicSpace = devices.filter((d) => d.siteCategory === 'public_space');

  // 2. How exposed.
  const byConnectivity = countBy(devices, (d) => d.connectivity ?? NO_MAKER);
  const connectivity = [...CONNECTIVITY, NO_MAKER].filter((c) => byConnectivity.has(c)).map((c) => ({
    key: c, ...figure(byConnectivity.get(c)!.length, { connectivity: c }),
  }));

  const active = input.findings.filter((s) => s.status !== 'waived').map((s) => s.finding);
  const devicesWith = (rule: string) => new Set(active.filter((f) => f.rule === rule).map((f) => f.deviceId)).size;
  const inUse = new Set(makers.filter((m) => m.known).map((m) => m.key));
  const kevRecords = kb.vulnerabilities.filter((v: Vulnerability) => v.kev.listed && inUse.has(v.vendor)).sort((a, b) => a.id.localeCompare(b.id));

  // 3. What we do.
  const worst = new Map<string, Severity>();
  for (const f of active) {
    const was = worst.get(f.deviceId);
    if (was === undefined || SEVERITIES.indexOf(f.severity) < SEVERITIES.indexOf(was)) worst.set(f.deviceId, f.severity);
  }
  const bySeverity = SEVERITIES.map((severity) => ({
    key: severity, findings: active.filter((f) => f.severity === severity).length,
    ...figure([...worst.values()].filter((w) => w === severity).length, { severity }),
  }));
  const items = input.planItems;
  const cost = (list: readonly OverviewPlanItem[]) => list.reduce((sum, i) => sum + i.cost, 0);
  const done = items.filter((i) => i.status === 'done');

  // 4. What we require of suppliers.
  const restrictedMakers = [...new Set(kb.vendors.map((v) => v.id))].map((id) => vendorById(kb, id)!)
    .map((v) => ({ vendor: v, measures: compiled.maker(v.id).measures }))
    .filter((m) => m.measures.length > 0)
    .map(({ vendor, measures }) => ({
      id: vendor.id, name: vendor.name, country: vendor.country,
      measures: measures.map((r: Restriction) => ({
        id: r.id, jurisdiction: r.jurisdiction, body: r.body, date: r.date, scope: r.scope, confidence: r.confidence, uncertain: r.uncertain ?? null,
        sources: sourcesOf(r.sources),
      })),
      ...figure(byMaker.get(vendor.id)?.length ?? 0, { manufacturer: vendor.id }),
    }))
    .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));

  return {
    inService: [...input.inService],
    inventory: {
      devices: figure(devices.length, {}),
      sites: { withDevices: sitesOf(devices), register: input.registerSites },
      makers,
      oem: { ...figure(oemDevices.length, { oem: 'true' }), brands: oemBrands },
      categories,
      publicSpace: { sites: sitesOf(publicSpace), ...figure(publicSpace.length, { category: 'public_space' }) },
      buildings: { sites: sitesOf(buildings), ...figure(buildings.length, { category: buildingCategories.join(',') }) },
      noSite: figure(devices.filter((d) => d.siteCategory === null).length, { category: NO_MAKER }),
    },
    exposure: {
      connectivity,
      internetExposed: figure(byConnectivity.get('internet_exposed')?.length ?? 0, { connectivity: 'internet_exposed' }),
      vendorCloudNetworks: figure(devices.filter((d) => d.remoteAccess === 'vendor_cloud').length, { remoteAccess: 'vendor_cloud' }),
      vendorCloudFindings: figure(devicesWith('vendor_cloud'), { rule: 'vendor_cloud' }),
      kev: {
        ...figure(devicesWith('known_exploited_vulnerability'), { rule: 'known_exploited_vulnerability' }),
        vulnerabilities: kevRecords.map((v) => ({
          id: v.id, title: v.title, maker: { id: v.vendor, name: vendorOf(v.vendor)?.name ?? v.vendor }, dispute: v.dispute ?? null,
          exploitation: v.exploitation.status, sources: sourcesOf(v.sources),
        })),
      },
    },
    risk: {
      bySeverity,
      findings: {
        active: active.length,
        open: input.findings.filter((s) => s.status === 'open').length,
        lapsed: input.findings.filter((s) => s.status === 'lapsed').length,
        waived: input.findings.filter((s) => s.status === 'waived').length,
      },
      /** Devices with at least one active finding: the sum of the severity figures. */
      devicesWithFindings: worst.size,
      waiversInForce: input.waiversInForce,
    },
    plan: {
      adopted: items.length > 0,
      scenarios: [...new Set(items.map((i) => i.scenario))].sort(),
      items: {
        planned: items.filter((i) => i.status === 'planned').length,
        in_progress: items.filter((i) => i.status === 'in_progress').length,
        done: done.length,
      },
      overdue: items.filter((i) => i.status !== 'done' && i.dueDate < input.today).length,
      budget: { planned: cost(items), spent: cost(done), remaining: cost(items) - cost(done) },
    },
    procurement: {
      policy: input.policy,
      restrictedMakers,
      restrictedDevices: figure(devicesWith('restricted_manufacturer'), { rule: 'restricted_manufacturer' }),
    },
  };
}

export type Overview = ReturnType<typeof buildOverview>;
