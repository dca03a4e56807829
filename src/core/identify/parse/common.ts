// Shared by the capture parsers: building signals, refusing input, and reading values out of
// parsed XML/JSON trees. Parsers are pure (text or bytes in, signals out) so the same code serves
// files an analyst holds, the lab, and live probes.
import { CamauditError } from '../../errors.js';
import type { Protocol, Signal } from '../signals.js';

/** One protocol answer is kilobytes; a capture far larger than this is not one. */
export const MAX_CAPTURE_BYTES = 8 * 1024 * 1024;
/** XML answers (SOAP, ISAPI, SADP) are small; the cap keeps a hostile file from costing memory. */
export const MAX_XML_BYTES = 2 * 1024 * 1024;

export function invalid(source: string, message: string, cause?: unknown): CamauditError {
  return new CamauditError('invalid_input', `${source}: ${message}`, { file: source }, cause === undefined ? undefined : { cause });
}

/** A signal carrying only the fields that have a value (trimmed, never empty); null if none has. */
export function makeSignal(protocol: Protocol, fields: Record<string, string | undefined>, source: string): Signal | null {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(fields)) {
    const trimmed = value?.trim();
    if (trimmed) out[key] = trimmed;
  }
  return Object.keys(out).length > 0 ? { protocol, fields: out, source } : null;
}

/** Several signals from one capture get `#n` so evidence can point at the right one. */
export function numbered(source: string, index: number, count: number): string {
  return count > 1 ? `${source} #${index + 1}` : source;
}

/** Drop nulls; fail with a message naming the source when nothing was recognised. */
export function atLeastOne(signals: readonly (Signal | null)[], source: string, what: string): Signal[] {
  const kept = signals.filter((s): s is Signal => s !== null);
  if (kept.length === 0) throw invalid(source, `no ${what} found`);
  return kept;
}

export function toText(content: Buffer | string): string {
  const text = typeof content === 'string' ? content : content.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Devices spell booleans loosely (Hikvision SADP really sends `flase`); keep the meaning. */
export function normaliseBool(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const v = value.trim().toLowerCase();
  if (/^(true|1|yes|on|enable|enabled)$/.test(v)) return 'true';
  if (/^(false|flase|0|no|off|disable|disabled)$/.test(v)) return 'false';
  return value.trim();
}

/** Bytes that are not text: NULs or many control characters near the start. */
export function looksBinary(content: Buffer): boolean {
  const head = content.subarray(0, 1024);
  let control = 0;
  for (const byte of head) {
    if (byte === 0) return true;
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c) control++;
  }
  return head.length > 0 && control / head.length > 0.1;
}

/** The body of a saved HTTP response (`curl -i`), or null when the text has no HTTP head. */
export function stripHttpHead(text: string): string | null {
  if (!/^\s*HTTP\/\d(?:\.\d)?\s+\d{3}/i.test(text)) return null;
  const match = /\r?\n\r?\n/.exec(text);
  return match ? text.slice(match.index + match[0].length) : '';
}

// --- Parsed XML/JSON trees: values are strings, numbers, objects or arrays of them. ---

/** The text of a node: a string, a number, or an element's `#text` (when it has attributes). */
export function textOf(node: unknown): string | undefined {
  if (typeof node === 'string') return node;
  if (typeof node === 'number' || typeof node === 'boolean') return String(node);
  if (Array.isArray(node)) return textOf(node[0]);
  if (node && typeof node === 'object' && Object.hasOwn(node, '#text')) return textOf((node as Record<string, unknown>)['#text']);
  return undefined;
}

export function asRecord(node: unknown): Record<string, unknown> | undefined {
  return node && typeof node === 'object' && !Array.isArray(node) ? (node as Record<string, unknown>) : undefined;
}

export function asArray(node: unknown): unknown[] {
  if (node === undefined || node === null) return [];
  return Array.isArray(node) ? node : [node];
}

/** A child's value by name, ignoring case: devices and converters disagree on capitals. */
export function child(node: unknown, ...names: string[]): unknown {
  const record = asRecord(node);
  if (!record) return undefined;
  for (const name of names) {
    if (Object.hasOwn(record, name)) return record[name];
    const lower = name.toLowerCase();
    const key = Object.keys(record).find((k) => k.toLowerCase() === lower);
    if (key !== undefined) return record[key];
  }
  return undefined;
}

export function childText(node: unknown, ...names: string[]): string | undefined {
  return textOf(child(node, ...names));
}

/** Every descendant element named `name` (case-insensitive), depth-first, arrays flattened. */
export function findAll(node: unknown, name: string, out: unknown[] = [], depth = 0): unknown[] {
  if (depth > 32) return out;
  if (Array.isArray(node)) {
    for (const item of node) findAll(item, name, out, depth + 1);
    return out;
  }
  const record = asRecord(node);
  if (!record) return out;
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(record)) {
    if (key.toLowerCase() === lower) out.push(...asArray(value));
    else findAll(value, name, out, depth + 1);
  }
  return out;
}

export function findText(node: unknown, name: string): string | undefined {
  for (const found of findAll(node, name)) {
    const text = textOf(found);
    if (text !== undefined && text.trim() !== '') return text;
  }
  return undefined;
}
