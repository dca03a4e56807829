// Query and path parameters the register's lists and items share.
import { z } from 'zod';
import { CONNECTIVITY, DEVICE_KINDS, DEVICE_STATUSES } from '../../core/model.js';
import type { DeviceFilter } from '../../store/devices.js';
import { parseSort, type Sort } from '../../store/listing.js';

export const ORG = '/api/v1/organisations/:org';

export const IdParam = z.strictObject({ id: z.uuid() });

/** `sort=field` or `sort=-field`, one of the list's own fields; parsed into a Sort. */
export function sortQuery<K extends string>(keys: readonly K[], fallback: K) {
  const names = keys.flatMap((k) => [k, `-${k}`]) as [string, ...string[]];
  return z.enum(names).default(fallback).transform((s): Sort<K> => parseSort(s as K | `-${K}`));
}

/** The device filters of `camaudit devices list`, shared by the device list and the exports. */
export const DEVICE_FILTERS = {
  kind: z.enum(DEVICE_KINDS).optional(),
  status: z.enum(DEVICE_STATUSES).optional(),
  brand: z.string().max(200).optional(),
  manufacturer: z.string().max(200).optional(),
  connectivity: z.enum(CONNECTIVITY).optional(),
  /** Site id. */
  site: z.uuid().optional(),
  /** Free text over brand, model, serial, MAC, IP, reference and site name. */
  q: z.string().max(200).optional(),
};

export function deviceFilter(q: { [K in keyof typeof DEVICE_FILTERS]?: string | undefined }): DeviceFilter {
  return { kind: q.kind, status: q.status, brand: q.brand, manufacturer: q.manufacturer, connectivity: q.connectivity, siteId: q.site, q: q.q };
}
