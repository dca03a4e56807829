// Hikvision ISAPI: /ISAPI/System/deviceInfo and /ISAPI/ContentMgmt/InputProxy/channels, as raw
// XML or as the xmltodict-style JSON Home Assistant integrations store ({"DeviceInfo": {...}},
// attributes as "@name"). An NVR's channel list inventories cameras we may not reach directly.
import type { Signal } from '../signals.js';
import { asArray, atLeastOne, child, childText, findAll, invalid, makeSignal, numbered } from './common.js';
import { parseXmlDocuments, splitJsonValues, tryJson } from './documents.js';
import { macField } from './mac.js';

function deviceInfoFields(info: unknown): Record<string, string | undefined> {
  return {
    device_name: childText(info, 'deviceName'),
    device_id: childText(info, 'deviceID'),
    model: childText(info, 'model'),
    serial: childText(info, 'serialNumber'),
    mac: macField(childText(info, 'macAddress')),
    firmware: childText(info, 'firmwareVersion'),
    firmware_released: childText(info, 'firmwareReleasedDate'),
    encoder_version: childText(info, 'encoderVersion'),
    device_type: childText(info, 'deviceType'),
    manufacturer: childText(info, 'manufacturer'),
  };
}

/** One camera behind the recorder; the descriptor is what the NVR learnt from it. */
function channelFields(channel: unknown): Record<string, string | undefined> {
  const port = child(channel, 'sourceInputPortDescriptor');
  return {
    channel: childText(channel, 'id'),
    device_name: childText(channel, 'name'),
    model: childText(port, 'model'),
    serial: childText(port, 'serialNumber'),
    firmware: childText(port, 'firmwareVersion'),
    manufacturer: childText(port, 'manufacturer'),
    mac: macField(childText(port, 'macAddress')),
    ip: childText(port, 'ipAddress'),
    // How the recorder talks to the camera: its own private protocol, or ONVIF.
    proxy_protocol: childText(port, 'proxyProtocol'),
  };
}

function signalsOf(roots: readonly unknown[], source: string): Signal[] {
  const out: (Signal | null)[] = [];
  for (const root of roots) {
    const infos = findAll(root, 'DeviceInfo');
    infos.forEach((info, i) => out.push(makeSignal('isapi', deviceInfoFields(info), numbered(source, i, infos.length))));
    const channels = findAll(root, 'InputProxyChannel');
    for (const channel of channels) {
      const fields = channelFields(channel);
      out.push(makeSignal('isapi', fields, fields.channel ? `${source} channel ${fields.channel}` : source));
    }
  }
  return atLeastOne(out, source, 'ISAPI DeviceInfo or InputProxyChannel');
}

export function parseIsapi(text: string, source: string): Signal[] {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed.startsWith('<')) return signalsOf(parseXmlDocuments(trimmed, source), source);
  const roots = splitJsonValues(trimmed).map(tryJson).filter((v) => v !== undefined);
  if (roots.length === 0) throw invalid(source, 'neither ISAPI XML nor JSON');
  return signalsOf(roots.flatMap(asArray), source);
}
