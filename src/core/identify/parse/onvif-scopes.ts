// ONVIF scopes are the identity a camera announces before any login: `name/`, `hardware/`,
// `location/`, plus vendor extensions (`acc/mfr/…`, `…/MAC/…`). This file turns scope lists —
// from XML, JSON test data, node-onvif output or YAML dumps — into signal fields.
import { asArray, asRecord, child, childText, textOf } from './common.js';
import { macField } from './mac.js';

export type Fields = Record<string, string | undefined>;

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** The values after `onvif://www.onvif.org/<key>/`, decoded; empty values dropped. */
function scopeValues(scopes: readonly string[], key: string): string[] {
  const prefix = new RegExp(`^onvif://www\\.onvif\\.org/${key}/(.*)$`, 'i');
  return scopes.map((s) => prefix.exec(s)?.[1]).filter((v): v is string => !!v).map(decode).map((v) => v.trim()).filter((v) => v !== '');
}

/** The value after a path segment (`…/mfr/FLIR%20Systems`, `…/MAC/00-1b-…`) in any scope. */
function segmentValue(scopes: readonly string[], segment: RegExp): string | undefined {
  for (const scope of scopes) {
    const path = scope.replace(/^[a-z][\w+.-]*:\/\/[^/]*/i, '').split('/').filter((p) => p !== '');
    const at = path.findIndex((p) => segment.test(p));
    if (at >= 0 && at < path.length - 1) return decode(path.slice(at + 1).join('/'));
  }
  return undefined;
}

export function scopeFields(scopes: readonly string[]): Fields {
  if (scopes.length === 0) return {};
  return {
    scopes: scopes.join(' '),
    name: scopeValues(scopes, 'name')[0],
    hardware: scopeValues(scopes, 'hardware')[0],
    location: scopeValues(scopes, 'location').join(' ') || undefined,
    // Vendor extensions some makers add (FLIR/DVTel `acc/mfr`, `acc/firmware/version`).
    manufacturer: segmentValue(scopes, /^(?:mfr|manufacturer)$/i),
    firmware: segmentValue(scopes, /^firmware$/i)?.replace(/^version\//i, ''),
    mac: macField(segmentValue(scopes, /^mac$/i)),
  };
}

/** A scopes value in any of its shapes: "a b c", ["a", "b"], [{ScopeItem: "a"}]. */
export function scopeList(node: unknown): string[] {
  const items = asArray(node).flatMap((item) => {
    const record = asRecord(item);
    const text = record && !('#text' in record) ? childText(record, 'ScopeItem') : textOf(item);
    return text ? text.split(/\s+/) : [];
  });
  return items.filter((s) => s !== '');
}

function listText(node: unknown): string | undefined {
  const items = asArray(node).map(textOf).filter((v): v is string => !!v);
  return items.length > 0 ? items.join(' ').split(/\s+/).filter((s) => s !== '').join(' ') : undefined;
}

/** GetDeviceInformation-shaped fields of an object (SOAP response or its JSON rendering). */
export function deviceInformationFields(node: unknown): Fields {
  return {
    manufacturer: childText(node, 'Manufacturer'),
    model: childText(node, 'Model'),
    firmware: childText(node, 'FirmwareVersion'),
    serial: childText(node, 'SerialNumber'),
    hardware_id: childText(node, 'HardwareId'),
  };
}

/** One ProbeMatch (or Hello/ResolveMatch, or node-onvif's parsed probe object). */
export function probeFields(node: unknown): Fields {
  const scopes = scopeList(child(node, 'Scopes'));
  const derived = scopeFields(scopes);
  return {
    ...derived,
    // node-onvif already split the scopes into name/hardware/location.
    name: derived.name ?? childText(node, 'name'),
    hardware: derived.hardware ?? childText(node, 'hardware'),
    location: derived.location ?? childText(node, 'location'),
    types: listText(child(node, 'Types')),
    xaddrs: listText(child(node, 'XAddrs')),
  };
}

const ONVIF_KEYS = ['scopes', 'xaddrs', 'types', 'manufacturer', 'firmwareversion', 'serialnumber', 'hardwareid', 'urn'];

/** The object holding ONVIF keys: the value itself or the first nested object that does. */
function onvifObject(node: unknown, depth = 0): Record<string, unknown> | undefined {
  const record = asRecord(node);
  if (!record || depth > 4) return undefined;
  if (Object.keys(record).some((k) => ONVIF_KEYS.includes(k.toLowerCase()))) return record;
  for (const value of Object.values(record)) {
    const found = onvifObject(value, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** Fields of each device in a JSON/YAML rendering (an object, or an array of them). */
export function objectFieldSets(root: unknown): Fields[] {
  return asArray(root).map((item) => {
    const record = onvifObject(item);
    return record ? { ...probeFields(record), ...definedOnly(deviceInformationFields(record)) } : {};
  });
}

function definedOnly(fields: Fields): Fields {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}
