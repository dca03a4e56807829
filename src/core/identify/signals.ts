// What identification works from: one protocol answer (or spreadsheet cell) reduced to named
// text fields. Parsers produce signals; fingerprints and identification read them.

export const PROTOCOLS = [
  'http', 'rtsp', 'tls', 'onvif', 'sadp', 'dhip', 'dvrip', 'dahua_cgi', 'isapi', 'telnet', 'mdns', 'mac', 'text',
] as const;
export type Protocol = (typeof PROTOCOLS)[number];

/**
 * The fields each protocol's signals may carry. Values are trimmed text; absent means unknown.
 * Lists (ONVIF scopes, namespaces) are space-separated.
 */
export const SIGNAL_FIELDS: Record<Protocol, readonly string[]> = {
  // An HTTP response: status code, headers, <title>, favicon hash, and the start of the body.
  http: ['status', 'server', 'www_authenticate', 'realm', 'title', 'favicon_md5', 'body'],
  rtsp: ['status', 'server', 'www_authenticate', 'realm', 'public', 'sdp_session_name', 'sdp_tool'],
  // Distinguished names as OpenSSL prints them ("CN=…, O=…"), plus their common parts.
  tls: ['subject', 'issuer', 'subject_cn', 'subject_o', 'issuer_cn', 'issuer_o', 'san'],
  // GetDeviceInformation fields, ProbeMatch/GetScopes scopes, GetNetworkInterfaces MAC.
  onvif: ['manufacturer', 'model', 'firmware', 'serial', 'hardware_id', 'scopes', 'name', 'hardware', 'location', 'mac', 'xaddrs', 'types', 'namespaces'],
  sadp: ['device_type', 'description', 'serial', 'mac', 'firmware', 'dsp_version', 'activated', 'ip', 'http_port', 'cloud'],
  dhip: ['vendor', 'device_type', 'device_class', 'serial', 'mac', 'version', 'init', 'p2p', 'name'],
  dvrip: ['device_type', 'serial', 'mac', 'version', 'name'],
  dahua_cgi: ['device_type', 'serial', 'version', 'hardware_version', 'processor', 'build_date'],
  isapi: ['device_name', 'device_id', 'model', 'serial', 'mac', 'firmware', 'firmware_released', 'encoder_version', 'device_type', 'manufacturer', 'channel', 'ip', 'proxy_protocol'],
  telnet: ['banner'],
  mdns: ['service', 'name', 'model', 'manufacturer', 'txt'],
  mac: ['mac'],
  // Free text from a register: the label, the stated maker, the model.
  text: ['brand', 'manufacturer', 'model', 'firmware'],
};

export interface Signal {
  protocol: Protocol;
  fields: Readonly<Record<string, string>>;
  /** Where it came from, for evidence: an observation id, a file name, "row 12". */
  source: string;
}
