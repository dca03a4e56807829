// How a patch from a source changes a register record. Pure: the store decides where it lands.
import type { DeviceFields, Network, Site } from '../model.js';
import type { DevicePatch, NetworkPatch, SitePatch } from '../import/record.js';

export const NEW_DEVICE: DeviceFields = Object.freeze({
  kind: 'camera',
  brand: null,
  manufacturer: null,
  model: null,
  firmware: null,
  serial: null,
  mac: null,
  ip: null,
  siteId: null,
  networkId: null,
  position: null,
  analytics: [],
  status: 'active',
  purpose: null,
  legalBasis: null,
  retentionDays: null,
  supplier: null,
  installer: null,
  installDate: null,
  externalRef: null,
  custom: {},
  publication: {},
  identity: null,
}) as DeviceFields;

/** A patch applied to a device: given fields replace, absent fields stay, custom fields merge. */
export function applyDevicePatch(
  base: DeviceFields,
  patch: DevicePatch,
  links: { siteId?: string | null; networkId?: string | null },
): DeviceFields {
  const { custom, ...rest } = patch;
  const next: DeviceFields = { ...base, ...rest, custom: custom ? { ...base.custom, ...custom } : base.custom };
  // The same point given in another CRS (an export re-imported as WGS84) is not a move.
  if (patch.position && base.position && samePoint(patch.position, base.position)) next.position = base.position;
  if (links.siteId !== undefined && links.siteId !== null) next.siteId = links.siteId;
  // A discovered device that a person places at a site is in use, unless they say otherwise.
  if (base.status === 'discovered' && patch.status === undefined && next.siteId !== null) next.status = 'active';
  if (links.networkId !== undefined && links.networkId !== null) next.networkId = links.networkId;
  return next;
}

function samePoint(a: { lat: number; lon: number }, b: { lat: number; lon: number }): boolean {
  return Math.abs(a.lat - b.lat) < 1e-7 && Math.abs(a.lon - b.lon) < 1e-7;
}

/** Field-level difference, for the history: only what changed, before and after. */
export function diff<T extends object>(
  before: T,
  after: T,
): { before: Record<string, unknown>; after: Record<string, unknown> } | null {
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const k of Object.keys(after) as (keyof T & string)[]) {
    if (stableJson(before[k]) !== stableJson(after[k])) {
      b[k] = before[k] ?? null;
      a[k] = after[k] ?? null;
    }
  }
  return Object.keys(a).length === 0 ? null : { before: b, after: a };
}

/** JSON with sorted object keys, so that equal values compare equal. */
export function stableJson(v: unknown): string {
  return JSON.stringify(v, (_k, val: unknown) =>
    val && typeof val === 'object' && !Array.isArray(val)
      ? Object.fromEntries(Object.entries(val as Record<string, unknown>).sort(([x], [y]) => x.localeCompare(y)))
      : val,
  );
}

export type SiteFields = Omit<Site, 'id' | 'orgId' | 'createdAt' | 'updatedAt'>;
export type NetworkFields = Omit<Network, 'id' | 'orgId' | 'createdAt' | 'updatedAt'>;

export function siteKey(name: string): string {
  return name.trim().toLowerCase().replace(/\s+/g, ' ');
}

export function applySitePatch(base: SiteFields | null, patch: SitePatch): SiteFields {
  return {
    name: base?.name ?? patch.name.trim(),
    category: patch.category ?? base?.category ?? 'other',
    address: patch.address ?? base?.address ?? null,
    postcode: patch.postcode ?? base?.postcode ?? null,
    city: patch.city ?? base?.city ?? null,
    bagId: patch.bagId ?? base?.bagId ?? null,
    position: patch.position ?? base?.position ?? null,
  };
}

export function applyNetworkPatch(base: NetworkFields | null, patch: NetworkPatch): NetworkFields {
  return {
    name: base?.name ?? patch.name.trim(),
    cidrs: base?.cidrs ?? [],
    connectivity: patch.connectivity ?? base?.connectivity ?? 'unknown',
    remoteAccess: patch.remoteAccess ?? base?.remoteAccess ?? 'none',
  };
}

/**
 * Two rows of one file that describe the same site or network differently cannot both be true;
 * the first is kept and the second reported, so that re-importing the file changes nothing.
 */
export function conflictingFields<P extends object>(first: P, second: P): string[] {
  const out: string[] = [];
  for (const k of Object.keys(second) as (keyof P & string)[]) {
    if (k === 'name') continue;
    if (first[k] !== undefined && second[k] !== undefined && stableJson(first[k]) !== stableJson(second[k])) out.push(k);
  }
  return out;
}

/**
 * A record as the history stores it: an identification reduced to its verdict (the evidence is
 * kept with the device itself), and for a creation the empty fields left out — a change keeps
 * them, since clearing a field is a change worth recording.
 */
export function historyValue(values: Record<string, unknown>, action: 'create' | 'update'): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) {
    const empty = v === null || v === undefined || (typeof v === 'object' && Object.keys(v).length === 0);
    if (empty && action === 'create') continue;
    if (k === 'identity' && v) {
      const { manufacturer, confidence, kbVersion } = v as { manufacturer: unknown; confidence: unknown; kbVersion: unknown };
      out[k] = { manufacturer, confidence, kbVersion };
    } else out[k] = v;
  }
  return out;
}
