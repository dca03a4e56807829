// What changed between two scans: devices that appeared, devices that are gone, and devices whose
// address, firmware, model or open ports differ. A device is the same device when its MAC or
// serial match; only when neither is known does its address stand in. Pure.
import type { FoundDevice } from './found.js';

export interface DeviceChange {
  key: string;
  ip: string;
  manufacturer: string | null;
  changes: { field: string; before: unknown; after: unknown }[];
}

export interface ScanDiff {
  added: FoundDevice[];
  gone: FoundDevice[];
  changed: DeviceChange[];
  unchanged: number;
}

const COMPARED = ['ip', 'mac', 'manufacturer', 'model', 'firmware', 'serial', 'ports'] as const;

function keysOf(d: FoundDevice): string[] {
  const keys: string[] = [];
  if (d.mac) keys.push(`mac ${d.mac}`);
  if (d.serial) keys.push(`serial ${d.serial}`);
  keys.push(`ip ${d.ip}`);
  return keys;
}

function contradicts(a: FoundDevice, b: FoundDevice): boolean {
  return Boolean((a.mac && b.mac && a.mac !== b.mac) || (a.serial && b.serial && a.serial !== b.serial));
}

export function diffScans(before: readonly FoundDevice[], after: readonly FoundDevice[]): ScanDiff {
  const index = new Map<string, FoundDevice>();
  for (const d of before) for (const k of keysOf(d)) if (!index.has(k)) index.set(k, d);
  const matched = new Map<FoundDevice, { old: FoundDevice; key: string }>();
  const taken = new Set<FoundDevice>();
  // Strong keys first for every device, so an address reused by another device cannot take a
  // device before its MAC or serial match is tried.
  for (const d of after) {
    const key = keysOf(d).slice(0, -1).find((k) => index.has(k) && !taken.has(index.get(k)!));
    if (key) {
      matched.set(d, { old: index.get(key)!, key });
      taken.add(index.get(key)!);
    }
  }
  // The address pairs two devices unless their MACs or serials differ (a scan that saw less, or
  // more, of the same device is no contradiction).
  for (const d of after) {
    if (matched.has(d)) continue;
    const byIp = index.get(`ip ${d.ip}`);
    if (byIp && !taken.has(byIp) && !contradicts(byIp, d)) {
      matched.set(d, { old: byIp, key: `ip ${d.ip}` });
      taken.add(byIp);
    }
  }
  const added: FoundDevice[] = [];
  const changed: DeviceChange[] = [];
  let unchanged = 0;
  for (const d of after) {
    const pair = matched.get(d);
    if (!pair) {
      added.push(d);
      continue;
    }
    const changes = COMPARED.flatMap((field) => {
      const a = JSON.stringify(pair.old[field]);
      const b = JSON.stringify(d[field]);
      return a === b ? [] : [{ field, before: pair.old[field], after: d[field] }];
    });
    if (changes.length === 0) unchanged++;
    else changed.push({ key: pair.key, ip: d.ip, manufacturer: d.manufacturer, changes });
  }
  const gone = before.filter((d) => !taken.has(d));
  return { added, gone, changed, unchanged };
}
