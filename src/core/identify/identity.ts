// The result of identification and what it rests on. Every claim names the signal it came from,
// the rule or KB record that read it, and that record's sources.
import type { DeviceKind } from '../model.js';
import type { Protocol } from './signals.js';

export const WEIGHT_CLASSES = ['native', 'banner', 'tls', 'model', 'onvif_name', 'mac', 'text'] as const;
export type WeightClass = (typeof WEIGHT_CLASSES)[number];

/**
 * How much one kind of evidence counts, strongest first: the device's own discovery or API
 * answer, then banners and realms, certificates and favicons, model-number patterns, ONVIF
 * names, MAC prefixes (registrant, not maker), and last what a label or spreadsheet says.
 */
export const WEIGHTS: Readonly<Record<WeightClass, number>> = Object.freeze({
  native: 0.95,
  banner: 0.8,
  tls: 0.7,
  model: 0.65,
  onvif_name: 0.5,
  mac: 0.45,
  text: 0.35,
});

export interface SourceRef {
  url?: string;
  ref?: string;
  title?: string;
}

export interface Claims {
  manufacturer?: string;
  brand?: string;
  kind?: DeviceKind;
  model?: string;
  firmware?: string;
  serial?: string;
  mac?: string;
}

export interface Evidence {
  /** Where the signal came from (observation, file, row). */
  source: string;
  protocol: Protocol;
  field: string;
  value: string;
  /** `fingerprint:<id>`, `kb:brand:<brand>`, `kb:vendor:<id>`, `kb:mac:<prefix>`, `field:<protocol.field>`. */
  rule: string;
  weight: WeightClass;
  claims: Claims;
  /** Shipped KB, or the organisation's own overlay ("local knowledge"). */
  origin: 'kb' | 'overlay' | 'signal';
  sources: SourceRef[];
  /** Uncertainty or caveat carried from the KB record. */
  note?: string;
}

export interface Conflict {
  manufacturer: string;
  score: number;
  evidence: Evidence[];
}

export interface Identity {
  /** KB vendor id of the true maker, or null when nothing supports one. */
  manufacturer: string | null;
  /** The brand shown: the label, or what the device calls itself. */
  brand: string | null;
  model: string | null;
  firmware: string | null;
  serial: string | null;
  mac: string | null;
  kind: DeviceKind | null;
  /** 0–1: how strongly the evidence supports `manufacturer`, lowered by contradicting evidence. */
  confidence: number;
  evidence: Evidence[];
  /** Other makers some evidence pointed to. */
  conflicts: Conflict[];
  /** Things a person should check (a brand that some OEM lines are made by another maker, …). */
  checks: string[];
}
