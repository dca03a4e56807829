// Dahua CGI (magicBox.cgi: getSystemInfo, getDeviceType, getSoftwareVersion, getSerialNo…)
// answers `key=value` lines. The same API survives on Dahua's OEM firmware (Amcrest, Lorex,
// IMOU), which is what makes it evidence of the maker behind a brand.
import type { Signal } from '../signals.js';
import { atLeastOne, invalid, makeSignal } from './common.js';

/** `key=value` lines as a map (first `=` splits; later duplicates do not overwrite). */
export function keyValueLines(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*([A-Za-z][\w.[\]]*)\s*=(.*)$/.exec(line);
    if (m && !map.has(m[1] ?? '')) map.set(m[1] ?? '', (m[2] ?? '').trim());
  }
  return map;
}

// Keys magicBox.cgi answers with; any of them marks a text as Dahua CGI output.
export const DAHUA_CGI_KEYS = new Set([
  'deviceType', 'serialNumber', 'updateSerial', 'hardwareVersion', 'processor', 'version', 'type', 'sn', 'serialNo', 'appAutoStart', 'buildDate',
]);

export function parseDahuaCgi(text: string, source: string): Signal[] {
  const kv = keyValueLines(text);
  if (![...kv.keys()].some((k) => DAHUA_CGI_KEYS.has(k))) throw invalid(source, 'no magicBox.cgi key=value lines');
  // getSoftwareVersion: `version=2.800.0000016.0.R,build:2020-06-05`.
  const [version, build] = (kv.get('version') ?? '').split(/,\s*build\s*:\s*/i);
  const deviceType = kv.get('deviceType');
  const fields = {
    // Lorex NVRs answer deviceType=31 and put the real model in updateSerial.
    device_type: deviceType && !/^\d+$/.test(deviceType) ? deviceType : (kv.get('type') ?? kv.get('updateSerial') ?? deviceType),
    serial: kv.get('serialNumber') ?? kv.get('serialNo') ?? kv.get('sn'),
    version: version || undefined,
    hardware_version: kv.get('hardwareVersion'),
    processor: kv.get('processor'),
    build_date: build ?? kv.get('buildDate') ?? kv.get('build'),
  };
  return atLeastOne([makeSignal('dahua_cgi', fields, source)], source, 'Dahua CGI fields');
}
