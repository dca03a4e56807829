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

export function diffScans(before: readonly FoundDevice[], after: readonly FoundDevice[]): ScanDiff {
  const index = new Map<string, FoundDevice>();
  // Strong keys first, so an address reused by another device does not pair the two.
  for (const d of before) for (const k of keysOf(d)) if (!index.has(k)) index.set(k, d);
  const matched = new Set<FoundDevice>();
  const added: FoundDevice[] = [];
  const changed: DeviceChange[] = [];
  let unchanged = 0;
  for (const d of after) {
    const strong = keysOf(d).slice(0, -1);
    let key = strong.find((k) => index.has(k) && !matched.has(index.get(k)!));
    // The address pairs two devices only when neither has a strong key that would contradict it.
    if (!key) {
      const byIp = index.get(`ip ${d.ip}`);
      if (byIp && !matched.has(byIp) && (strong.length === 0 || keysOf(byIp).length === 1)) key = `ip ${d.ip}`;
    }
    const old = key ? index.get(key) : undefined;
    if (!old) {
      added.push(d);
      continue;
    }
    matched.add(old);
    const changes = COMPARED.flatMap((field) => {
      const a = JSON.stringify(old[field]);
      const b = JSON.stringify(d[field]);
      return a === b ? [] : [{ field, before: old[field], after: d[field] }];
    });
    if (changes.length === 0) unchanged++;
    else changed.push({ key: key!, ip: d.ip, manufacturer: d.manufacturer, changes });
  }
  const gone = before.filter((d) => !matched.has(d));
  return { added, gone, changed, unchanged };
}
