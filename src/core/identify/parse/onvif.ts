// ONVIF answers: SOAP envelopes (WS-Discovery ProbeMatch/Hello, GetDeviceInformation, GetScopes,
// GetNetworkInterfaces, GetCapabilities/GetServices, media URIs) and the JSON/YAML renderings
// tools print. Namespace prefixes vary per firmware, so elements are matched by local name;
// the declared namespace URIs are kept because vendor ones (Hikvision's) identify the maker.
import { parse as parseYaml } from 'yaml';
import type { Signal } from '../signals.js';
import { asRecord, atLeastOne, child, childText, findAll, findText, invalid, makeSignal, numbered, textOf } from './common.js';
import { declaredNamespaces, parseXmlDocuments, splitJsonValues, tryJson } from './documents.js';
import { macField } from './mac.js';
import { deviceInformationFields, objectFieldSets, probeFields, scopeFields, scopeList, type Fields } from './onvif-scopes.js';

const PROBE_ELEMENTS = ['ProbeMatch', 'ResolveMatch', 'Hello'];

function joinUnique(values: readonly (string | undefined)[]): string | undefined {
  const unique = [...new Set(values.filter((v): v is string => !!v && v.trim() !== '').map((v) => v.trim()))];
  return unique.length > 0 ? unique.join(' ') : undefined;
}

/** Fields of a non-discovery response: whatever of the known operations the body holds. */
function responseFields(doc: unknown): Fields {
  const info = findAll(doc, 'GetDeviceInformationResponse')[0];
  const interfaces = findAll(doc, 'NetworkInterfaces');
  const enabled = interfaces.find((i) => childText(i, 'Enabled') === 'true') ?? interfaces[0];
  const scopes = findAll(doc, 'GetScopesResponse').flatMap((r) => scopeList(child(r, 'Scopes')));
  return {
    ...(info ? deviceInformationFields(info) : {}),
    ...scopeFields(scopes),
    mac: macField(enabled ? findText(enabled, 'HwAddress') : undefined),
    // Service and media addresses: GetCapabilities/GetServices XAddr, GetStreamUri/GetSnapshotUri
    // Uri. Paths such as Dahua's /cam/realmonitor are a vendor tell.
    xaddrs: joinUnique([...findAll(doc, 'XAddr'), ...findAll(doc, 'MediaUri').map((m) => child(m, 'Uri'))].map(textOf)),
  };
}

function fromXml(text: string, source: string): Signal[] {
  const docs = parseXmlDocuments(text, source);
  const namespaces = joinUnique(declaredNamespaces(text));
  const sets: Fields[] = [];
  for (const doc of docs) {
    const root = asRecord(doc);
    const hasEnvelope = root !== undefined && Object.keys(root).some((k) => k === 'Envelope');
    // Outside an envelope (a fragment copied from a capture) a ProbeMatch must carry WS-Discovery
    // content: SADP replies are bare <ProbeMatch> documents too.
    const probes = PROBE_ELEMENTS.flatMap((name) => findAll(doc, name))
      .filter((p) => hasEnvelope || child(p, 'Scopes') !== undefined || child(p, 'XAddrs') !== undefined);
    if (probes.length > 0) sets.push(...probes.map(probeFields));
    else if (hasEnvelope) sets.push(responseFields(doc));
    else throw invalid(source, 'not a SOAP envelope or WS-Discovery message');
  }
  return atLeastOne(sets.map((f, i) => makeSignal('onvif', { ...f, namespaces }, numbered(source, i, sets.length))), source, 'ONVIF fields');
}

/** JSON (one or several values), YAML, or a plain list of scope URIs. */
function fromStructuredText(text: string, source: string): Signal[] {
  let roots: unknown[] = splitJsonValues(text).map(tryJson).filter((v) => v !== undefined);
  if (roots.length === 0) {
    try {
      const yaml: unknown = parseYaml(text, { maxAliasCount: 50, logLevel: 'silent' });
      if (yaml && typeof yaml === 'object') roots = [yaml];
    } catch {
      // not YAML either: fall through to scanning for scope URIs
    }
  }
  const sets = roots.flatMap(objectFieldSets);
  if (sets.length === 0 || sets.every((f) => Object.values(f).every((v) => v === undefined))) {
    const scopes = text.match(/\bonvif:\/\/www\.onvif\.org\/\S*[^\s"',\]]/gi) ?? [];
    sets.splice(0, sets.length, scopeFields(scopes));
  }
  return atLeastOne(sets.map((f, i) => makeSignal('onvif', f, numbered(source, i, sets.length))), source, 'ONVIF scopes or device information');
}

export function parseOnvif(text: string, source: string): Signal[] {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed === '') throw invalid(source, 'empty ONVIF capture');
  return trimmed.startsWith('<') ? fromXml(trimmed, source) : fromStructuredText(trimmed, source);
}
