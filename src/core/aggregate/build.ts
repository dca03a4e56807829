// From the register to a publishable aggregate: devices counted by maker group × site category ×
// connectivity × status × worst open finding, small counts withheld (suppress.ts), totals and the
// organisation-level headline facts added. Nothing else about a device is read, so nothing else
// can be published.
import { CamauditError } from '../errors.js';
import {
  AGGREGATE_CONNECTIVITY, AGGREGATE_SEVERITIES, AGGREGATE_SITE_CATEGORIES, AGGREGATE_STATUSES, type CellKey,
} from './dimensions.js';
import type { MakerGrouping } from './maker-groups.js';
import {
  AGGREGATE_FORMAT, AGGREGATE_VERSION, AggregateSchema, MAX_THRESHOLD, MIN_THRESHOLD, SOURCE_NAME, presenceOf, totalsFrom, type AggregatePayload,
} from './payload.js';
import { suppress } from './suppress.js';
import { ENTRY, EXTENDED_SIZE, KIND, cellKeyOf, extend, indexOfCell, indexOfEntry } from './table.js';

/** Devices sharing the five facts an aggregate counts by (one device, or a group the store counted). */
export interface AggregateInput {
  /** The true maker: a KB vendor id, or the maker as stated when identification has not named one. */
  manufacturer: string | null;
  /** The site's category; null for a device at no site. */
  siteCategory: string | null;
  /** The network's connectivity; null for a device on no recorded network. */
  connectivity: string | null;
  status: string;
  /** The most serious finding no waiver sets aside; null for none. */
  severity: string | null;
  devices: number;
}

export interface AggregateOptions {
  source: { code: string; name: string };
  /** The day the figures describe (YYYY-MM-DD). */
  period: string;
  generatedAt: string;
  threshold: number;
  makerGroup: MakerGrouping;
}

export function checkThreshold(threshold: number): number {
  if (!Number.isInteger(threshold) || threshold < MIN_THRESHOLD || threshold > MAX_THRESHOLD) {
    throw new CamauditError('usage', `threshold ${threshold}: expected a whole number from ${MIN_THRESHOLD} to ${MAX_THRESHOLD} (counts below it are withheld)`);
  }
  return threshold;
}

function member<T extends string>(values: readonly T[], value: string, what: string): T {
  if (!(values as readonly string[]).includes(value)) {
    throw new CamauditError('invalid_input', `the register holds ${what} "${value}", which is not one of ${values.join(', ')}; correct it before publishing`);
  }
  return value as T;
}

function cellOf(input: AggregateInput, makerGroup: MakerGrouping): CellKey {
  return {
    makerGroup: makerGroup(input.manufacturer),
    siteCategory: member(AGGREGATE_SITE_CATEGORIES, input.siteCategory ?? 'none', 'site category'),
    connectivity: member(AGGREGATE_CONNECTIVITY, input.connectivity ?? 'unknown', 'connectivity'),
    status: member(AGGREGATE_STATUSES, input.status, 'device status'),
    severity: member(AGGREGATE_SEVERITIES, input.severity ?? 'none', 'severity'),
  };
}

export function buildAggregate(inputs: Iterable<AggregateInput>, options: AggregateOptions): AggregatePayload {
  const threshold = checkThreshold(options.threshold);
  if (!SOURCE_NAME.test(options.source.name)) {
    throw new CamauditError('invalid_input', `organisation name "${options.source.name}" cannot be published: an aggregate names its publisher with letters, spaces and . ' ( ) - only (no digits, so nothing like an address or a number can travel in it)`);
  }
  const counts = new Map<number, number>();
  for (const input of inputs) {
    if (input.devices <= 0) continue;
    const index = indexOfCell(cellOf(input, options.makerGroup));
    counts.set(index, (counts.get(index) ?? 0) + input.devices);
  }
  const ext = extend(counts);
  const suppressed = suppress(ext, threshold);
  const shown = (index: number): number | null => (suppressed[index] ? null : ext[index]!);

  const cells: AggregatePayload['cells'] = [];
  for (let i = 0; i < EXTENDED_SIZE; i++) {
    if (KIND[i] !== ENTRY.cell || ext[i] === 0) continue;
    cells.push({ ...cellKeyOf(i), count: shown(i), ...(suppressed[i] ? { suppressed: true as const } : {}) });
  }
  const payload: AggregatePayload = {
    format: AGGREGATE_FORMAT,
    version: AGGREGATE_VERSION,
    source: { code: options.source.code, name: options.source.name },
    period: options.period,
    generatedAt: options.generatedAt,
    threshold,
    totals: totalsFrom((dims, values) => shown(indexOfEntry(Object.fromEntries(dims.map((d, i) => [d, values[i]!]))))),
    presence: presenceOf(cells),
    cells,
  };
  // The receiver's own check: what we publish is what any coordinator accepts.
  const checked = AggregateSchema.safeParse(payload);
  if (!checked.success) {
    throw new CamauditError('invalid_input', `aggregate not publishable: ${checked.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return checked.data;
}
