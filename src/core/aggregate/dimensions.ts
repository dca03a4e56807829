// The five dimensions a federation aggregate counts devices by, and nothing finer. Each is a
// closed list: a value outside it cannot be published, so no free text from the register (an
// address, a serial, a network name) can travel inside an aggregate.
import { ASSESSABLE_STATUSES } from '../assess/inputs.js';
import { SEVERITIES } from '../assess/types.js';
import { CONNECTIVITY, DEVICE_STATUSES, SITE_CATEGORIES } from '../model.js';

/**
 * The true maker, grouped: the two makers national policy discussions name, other makers an
 * adopted restriction measure names, every other known maker, and devices whose maker is unknown.
 */
export const MAKER_GROUPS = ['hikvision', 'dahua', 'other_restricted', 'other', 'unknown'] as const;
export type MakerGroup = (typeof MAKER_GROUPS)[number];

/** Makers that appear as their own group; their subsidiaries (KB parent links) count with them. */
export const NAMED_MAKERS = ['hikvision', 'dahua'] as const satisfies readonly MakerGroup[];

/** The groups whose makers an adopted measure restricts, for headline figures. */
export const RESTRICTED_GROUPS = ['hikvision', 'dahua', 'other_restricted'] as const satisfies readonly MakerGroup[];
export type RestrictedGroup = (typeof RESTRICTED_GROUPS)[number];

/** A device placed at no site yet counts under `none`. */
export const AGGREGATE_SITE_CATEGORIES = [...SITE_CATEGORIES, 'none'] as const;
export type AggregateSiteCategory = (typeof AGGREGATE_SITE_CATEGORIES)[number];

/** A device on no recorded network has `unknown` connectivity, as a network of unknown class does. */
export const AGGREGATE_CONNECTIVITY = CONNECTIVITY;
export type AggregateConnectivity = (typeof AGGREGATE_CONNECTIVITY)[number];

export const AGGREGATE_STATUSES = DEVICE_STATUSES;
export type AggregateStatus = (typeof AGGREGATE_STATUSES)[number];

/** The worst open (not waived) finding of the device; `none` when it has none. */
export const AGGREGATE_SEVERITIES = [...SEVERITIES, 'none'] as const;
export type AggregateSeverity = (typeof AGGREGATE_SEVERITIES)[number];

/** The dimensions in the order cells list them. */
export const DIMENSIONS = {
  makerGroup: MAKER_GROUPS,
  siteCategory: AGGREGATE_SITE_CATEGORIES,
  connectivity: AGGREGATE_CONNECTIVITY,
  status: AGGREGATE_STATUSES,
  severity: AGGREGATE_SEVERITIES,
} as const;
export type Dimension = keyof typeof DIMENSIONS;
export const DIMENSION_NAMES = Object.keys(DIMENSIONS) as Dimension[];

/** One combination of the five dimensions: what a cell counts. */
export interface CellKey {
  makerGroup: MakerGroup;
  siteCategory: AggregateSiteCategory;
  connectivity: AggregateConnectivity;
  status: AggregateStatus;
  severity: AggregateSeverity;
}

/** Statuses of devices still in service (the ones assessed): what "runs Hikvision" means in the headlines. */
export const IN_SERVICE_STATUSES: readonly AggregateStatus[] = ASSESSABLE_STATUSES;
