// The coordinator's view of the aggregates it received: national totals, one comparison row per
// municipality, a month-by-month trend and the headline figures ("N municipalities run Hikvision
// or Dahua; M have them internet-exposed"). It reads only totals and presence, never cells, so its
// cost grows with the number of aggregates, not with the devices behind them. A withheld figure
// stays withheld: sums that include one are lower bounds and say how many withheld figures they
// contain.
import {
  AGGREGATE_CONNECTIVITY, AGGREGATE_SEVERITIES, AGGREGATE_SITE_CATEGORIES, AGGREGATE_STATUSES, IN_SERVICE_STATUSES, MAKER_GROUPS, NAMED_MAKERS,
  type AggregateConnectivity, type AggregateSeverity, type AggregateSiteCategory, type AggregateStatus, type MakerGroup,
} from './dimensions.js';
import type { AggregateHead, AggregateTotals, Presence } from './payload.js';

/**
 * A figure summed over several published ones. `value` is exact when `suppressed` is 0; otherwise
 * it is a lower bound, counting each withheld figure as 1 (a withheld figure is never empty).
 */
export interface Sum {
  value: number;
  suppressed: number;
}

type Sums<K extends string> = Record<K, Sum>;

export interface NationalTotals {
  devices: Sum;
  makerGroup: Sums<MakerGroup>;
  siteCategory: Sums<AggregateSiteCategory>;
  connectivity: Sums<AggregateConnectivity>;
  status: Sums<AggregateStatus>;
  severity: Sums<AggregateSeverity>;
  makerGroupByConnectivity: Record<MakerGroup, Sums<AggregateConnectivity>>;
  makerGroupByStatus: Record<MakerGroup, Sums<AggregateStatus>>;
}

/** One municipality's latest aggregate, side by side with the others. Null is a withheld figure. */
export interface MunicipalityRow {
  code: string;
  name: string;
  period: string;
  threshold: number;
  devices: number | null;
  makerGroup: Record<MakerGroup, number | null>;
  internetExposed: number | null;
  critical: number | null;
  high: number | null;
  /** Hikvision and Dahua devices still in service. */
  hikvisionOrDahuaInService: Sum;
  /** Hikvision and Dahua devices on internet-exposed networks (any status). */
  hikvisionOrDahuaInternetExposed: Sum;
  presence: Presence;
}

/** The national picture at the end of a month: every municipality's latest aggregate up to then. */
export interface TrendRow {
  month: string;
  /** Municipalities with an aggregate up to this month. */
  sources: number;
  /** Of those, how many published in this month (the others count with older figures). */
  updated: number;
  devices: Sum;
  hikvisionOrDahuaInService: Sum;
  hikvisionOrDahuaInternetExposed: Sum;
  municipalitiesWithHikvisionOrDahua: number;
}

export interface Headlines {
  municipalities: number;
  /** Municipalities running Hikvision or Dahua devices (in service). */
  hikvisionOrDahua: number;
  /** Of those, how many have them on internet-exposed networks. */
  hikvisionOrDahuaInternetExposed: number;
  /** Municipalities running devices of other makers an adopted measure restricts. */
  otherRestricted: number;
}

export interface Summary {
  /** The lowest publication threshold accepted; aggregates published with a lower one are left out. */
  threshold: number;
  /** The latest period among the aggregates used; null when there are none. */
  asOf: string | null;
  excluded: { code: string; name: string; period: string; threshold: number }[];
  national: NationalTotals;
  municipalities: MunicipalityRow[];
  trend: TrendRow[];
  headlines: Headlines;
}

const zero = (): Sum => ({ value: 0, suppressed: 0 });
const sums = <K extends string>(keys: readonly K[]): Sums<K> => Object.fromEntries(keys.map((k) => [k, zero()])) as Sums<K>;

function add(sum: Sum, value: number | null): void {
  if (value === null) {
    sum.value += 1;
    sum.suppressed += 1;
  } else {
    sum.value += value;
  }
}

function addAll<K extends string>(target: Sums<K>, values: Record<K, number | null>): void {
  for (const k of Object.keys(target) as K[]) add(target[k], values[k]);
}

function emptyNational(): NationalTotals {
  return {
    devices: zero(),
    makerGroup: sums(MAKER_GROUPS),
    siteCategory: sums(AGGREGATE_SITE_CATEGORIES),
    connectivity: sums(AGGREGATE_CONNECTIVITY),
    status: sums(AGGREGATE_STATUSES),
    severity: sums(AGGREGATE_SEVERITIES),
    makerGroupByConnectivity: Object.fromEntries(MAKER_GROUPS.map((g) => [g, sums(AGGREGATE_CONNECTIVITY)])) as NationalTotals['makerGroupByConnectivity'],
    makerGroupByStatus: Object.fromEntries(MAKER_GROUPS.map((g) => [g, sums(AGGREGATE_STATUSES)])) as NationalTotals['makerGroupByStatus'],
  };
}

function addNational(n: NationalTotals, t: AggregateTotals): void {
  add(n.devices, t.devices);
  addAll(n.makerGroup, t.makerGroup);
  addAll(n.siteCategory, t.siteCategory);
  addAll(n.connectivity, t.connectivity);
  addAll(n.status, t.status);
  addAll(n.severity, t.severity);
  for (const g of MAKER_GROUPS) {
    addAll(n.makerGroupByConnectivity[g], t.makerGroupByConnectivity[g]);
    addAll(n.makerGroupByStatus[g], t.makerGroupByStatus[g]);
  }
}

const asSum = (v: Sum | number | null): Sum => (v !== null && typeof v === 'object' ? v : v === null ? { value: 1, suppressed: 1 } : { value: v, suppressed: 0 });

/**
 * Devices still in service, from a total and its counts by status: the total less the devices
 * out of service when those figures are all published (exact even when the in-service statuses
 * themselves are withheld, since a reader can subtract as well), else the sum of the in-service ones.
 */
export function inServiceOf(total: Sum | number | null, byStatus: Record<AggregateStatus, Sum | number | null>): Sum {
  const all = asSum(total);
  const out = AGGREGATE_STATUSES.filter((s) => !IN_SERVICE_STATUSES.includes(s)).map((s) => asSum(byStatus[s]));
  if (all.suppressed === 0 && out.every((o) => o.suppressed === 0)) return { value: out.reduce((n, o) => n - o.value, all.value), suppressed: 0 };
  const sum = zero();
  for (const s of IN_SERVICE_STATUSES) addSum(sum, asSum(byStatus[s]));
  return sum;
}

function namedInService(t: AggregateTotals): Sum {
  const sum = zero();
  for (const g of NAMED_MAKERS) addSum(sum, inServiceOf(t.makerGroup[g], t.makerGroupByStatus[g]));
  return sum;
}

function namedExposed(t: AggregateTotals): Sum {
  const sum = zero();
  for (const g of NAMED_MAKERS) add(sum, t.makerGroupByConnectivity[g].internet_exposed);
  return sum;
}

function addSum(target: Sum, part: Sum): void {
  target.value += part.value;
  target.suppressed += part.suppressed;
}

const runsNamed = (p: Presence) => NAMED_MAKERS.some((g) => p[g].inService);
const exposesNamed = (p: Presence) => NAMED_MAKERS.some((g) => p[g].internetExposed);

function row(a: AggregateHead): MunicipalityRow {
  const t = a.totals;
  return {
    code: a.source.code,
    name: a.source.name,
    period: a.period,
    threshold: a.threshold,
    devices: t.devices,
    makerGroup: { ...t.makerGroup },
    internetExposed: t.connectivity.internet_exposed,
    critical: t.severity.critical,
    high: t.severity.high,
    hikvisionOrDahuaInService: namedInService(t),
    hikvisionOrDahuaInternetExposed: namedExposed(t),
    presence: a.presence,
  };
}

/** Each source's latest aggregate among those given (by period, then generation time). */
function latestBySource(aggregates: readonly AggregateHead[]): AggregateHead[] {
  const latest = new Map<string, AggregateHead>();
  for (const a of aggregates) {
    const current = latest.get(a.source.code);
    if (!current || a.period > current.period || (a.period === current.period && a.generatedAt > current.generatedAt)) latest.set(a.source.code, a);
  }
  return [...latest.values()].sort((x, y) => x.source.code.localeCompare(y.source.code));
}

function months(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split('-').map(Number) as [number, number];
  for (let month = from; month <= to; month = `${y}-${String(m).padStart(2, '0')}`) {
    out.push(month);
    if (++m > 12) [y, m] = [y + 1, 1];
  }
  return out;
}

function trend(aggregates: readonly AggregateHead[]): TrendRow[] {
  if (aggregates.length === 0) return [];
  const periods = aggregates.map((a) => a.period).sort();
  return months(periods[0]!.slice(0, 7), periods[periods.length - 1]!.slice(0, 7)).map((month) => {
    const current = latestBySource(aggregates.filter((a) => a.period.slice(0, 7) <= month));
    const out: TrendRow = {
      month, sources: current.length, updated: current.filter((a) => a.period.startsWith(month)).length,
      devices: zero(), hikvisionOrDahuaInService: zero(), hikvisionOrDahuaInternetExposed: zero(), municipalitiesWithHikvisionOrDahua: 0,
    };
    for (const a of current) {
      add(out.devices, a.totals.devices);
      addSum(out.hikvisionOrDahuaInService, namedInService(a.totals));
      addSum(out.hikvisionOrDahuaInternetExposed, namedExposed(a.totals));
      if (runsNamed(a.presence)) out.municipalitiesWithHikvisionOrDahua++;
    }
    return out;
  });
}

export function summarise(aggregates: readonly AggregateHead[], options: { threshold: number }): Summary {
  const accepted = aggregates.filter((a) => a.threshold >= options.threshold);
  const excluded = aggregates.filter((a) => a.threshold < options.threshold)
    .map((a) => ({ code: a.source.code, name: a.source.name, period: a.period, threshold: a.threshold }))
    .sort((x, y) => x.code.localeCompare(y.code) || x.period.localeCompare(y.period));
  const latest = latestBySource(accepted);
  const national = emptyNational();
  for (const a of latest) addNational(national, a.totals);
  return {
    threshold: options.threshold,
    asOf: latest.reduce<string | null>((max, a) => (max === null || a.period > max ? a.period : max), null),
    excluded,
    national,
    municipalities: latest.map(row),
    trend: trend(accepted),
    headlines: {
      municipalities: latest.length,
      hikvisionOrDahua: latest.filter((a) => runsNamed(a.presence)).length,
      hikvisionOrDahuaInternetExposed: latest.filter((a) => exposesNamed(a.presence)).length,
      otherRestricted: latest.filter((a) => a.presence.other_restricted.inService).length,
    },
  };
}
