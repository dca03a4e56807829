// Query and path parameters the register's lists and items share.
import { z } from 'zod';
import { RULES, SEVERITIES } from '../../core/assess/types.js';
import { dayOf } from '../../core/assess/waivers.js';
import { CamauditError } from '../../core/errors.js';
import { CONNECTIVITY, DEVICE_KINDS, DEVICE_STATUSES, REMOTE_ACCESS, SITE_CATEGORIES } from '../../core/model.js';
import { makerNames, NO_MAKER } from '../../core/overview/labels.js';
import type { KnowledgeBase } from '../../kb/schema.js';
import type { DeviceFilter } from '../../store/devices.js';
import { parseSort, type Sort } from '../../store/listing.js';

export const ORG = '/api/v1/organisations/:org';

export const IdParam = z.strictObject({ id: z.uuid() });

/** `sort=field` or `sort=-field`, one of the list's own fields; parsed into a Sort. */
export function sortQuery<K extends string>(keys: readonly K[], fallback: K) {
  const names = keys.flatMap((k) => [k, `-${k}`]) as [string, ...string[]];
  return z.enum(names).default(fallback).transform((s): Sort<K> => parseSort(s as K | `-${K}`));
}

/** One value of `values`, or several separated by commas (`status=active,isolated`). */
function oneOrMore(values: readonly string[]) {
  const allowed = new Set(values);
  return z.string().max(1000).refine((v) => v.split(',').every((part) => allowed.has(part.trim())), {
    message: `one or more of ${values.join(', ')}, separated by commas`,
  });
}

/**
 * The device filters of `camaudit devices list`, shared by the device list and the exports; the
 * overview's figures are each one combination of them (GET …/overview), so every count can be
 * listed device by device.
 */
export const DEVICE_FILTERS = {
  kind: z.enum(DEVICE_KINDS).optional(),
  /** One status or several, comma-separated. */
  status: oneOrMore(DEVICE_STATUSES).optional(),
  brand: z.string().max(200).optional(),
  /** The true maker (KB id or recorded name, any case); `none`: no maker recorded. */
  manufacturer: z.string().max(200).optional(),
  /** The network's class, or several comma-separated; `none`: on no known network. */
  connectivity: oneOrMore([...CONNECTIVITY, NO_MAKER]).optional(),
  /** Site id. */
  site: z.uuid().optional(),
  /** The site's category, or several comma-separated; `none`: at no site. */
  category: oneOrMore([...SITE_CATEGORIES, NO_MAKER]).optional(),
  /** The network's remote access. */
  remoteAccess: z.enum(REMOTE_ACCESS).optional(),
  /** `true`: the brand on the label is another name than the true maker's (an own brand, subsidiary or white label); `false`: the others. */
  oem: z.enum(['true', 'false']).optional(),
  /** An active (not waived) finding of this rule in the latest assessment. */
  rule: z.enum(RULES).optional(),
  /** The device's most serious active finding has this severity. */
  severity: z.enum(SEVERITIES).optional(),
  /** Free text over brand, model, serial, MAC, IP, reference and site name. */
  q: z.string().max(200).optional(),
};

/** What some filters need from the server: the knowledge base (oem) and the date (waivers in force). */
export interface FilterContext {
  kb?: KnowledgeBase;
  now?: string;
}

export function deviceFilter(q: { [K in keyof typeof DEVICE_FILTERS]?: string | undefined }, context: FilterContext = {}): DeviceFilter {
  if (q.oem !== undefined && !context.kb) throw new CamauditError('usage', 'the oem filter is not available here');
  return {
    kind: q.kind, status: q.status, brand: q.brand, manufacturer: q.manufacturer, connectivity: q.connectivity, siteId: q.site, q: q.q,
    category: q.category, remoteAccess: q.remoteAccess, rule: q.rule, severity: q.severity,
    ...(q.oem !== undefined && context.kb ? { oem: { labelled: q.oem === 'true', makers: makerNames(context.kb.vendors) } } : {}),
    ...(context.now ? { today: dayOf(context.now) } : {}),
  };
}
