// Identification of a register entry: its label, stated maker, model, firmware and MAC become
// signals; the verdict fills `manufacturer` and keeps the evidence with the device.
import type { DeviceFields, IdentitySummary } from '../model.js';
import { identify, type IdentifyKnowledge } from './identify.js';
import type { Identity } from './identity.js';
import type { Signal } from './signals.js';

/**
 * What the device's own fields say. `manufacturer` holds identification's verdict once there is
 * one; the maker as originally stated is then read from the stored identity, so that running
 * identification again on its own output changes nothing.
 */
export function deviceSignals(fields: DeviceFields, source: string): Signal[] {
  const derived = fields.identity !== null && fields.manufacturer === fields.identity.manufacturer;
  const stated = derived ? fields.identity!.statedManufacturer : fields.manufacturer;
  const text: Record<string, string> = {};
  if (fields.brand) text.brand = fields.brand;
  if (stated) text.manufacturer = stated;
  if (fields.model) text.model = fields.model;
  if (fields.firmware) text.firmware = fields.firmware;
  const signals: Signal[] = [];
  if (Object.keys(text).length > 0) signals.push({ protocol: 'text', fields: text, source });
  if (fields.mac) signals.push({ protocol: 'mac', fields: { mac: fields.mac }, source });
  return signals;
}

export function summarise(identity: Identity, statedManufacturer: string | null, kbVersion: string): IdentitySummary {
  return {
    manufacturer: identity.manufacturer,
    statedManufacturer,
    confidence: identity.confidence,
    kbVersion,
    evidence: identity.evidence
      .filter((e) => e.claims.manufacturer !== undefined || e.claims.kind !== undefined)
      .map((e) => ({
        rule: e.rule, protocol: e.protocol, field: e.field, value: e.value, weight: e.weight, origin: e.origin,
        ...(e.note ? { note: e.note } : {}),
      })),
    conflicts: identity.conflicts.map((c) => ({ manufacturer: c.manufacturer, score: c.score })),
    checks: identity.checks,
  };
}

/** The device with identification applied; the stated maker stays when nothing identifies one. */
export function identifyDevice(fields: DeviceFields, kb: IdentifyKnowledge, kbVersion: string, source: string): DeviceFields {
  const derived = fields.identity !== null && fields.manufacturer === fields.identity.manufacturer;
  const stated = derived ? fields.identity!.statedManufacturer : fields.manufacturer;
  const signals = deviceSignals(fields, source);
  if (signals.length === 0) return fields.identity === null ? fields : { ...fields, identity: null, manufacturer: stated };
  const identity = identify(signals, kb);
  return { ...fields, manufacturer: identity.manufacturer ?? stated, identity: summarise(identity, stated, kbVersion) };
}
