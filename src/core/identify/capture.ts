// Identifying one captured device answer (a saved HTTP response, an ONVIF or SADP reply, a MAC
// address …): detect what it is, read its signals, and identify the device — and, for a
// recorder's channel list, each camera behind it. Pure: the caller reads the bytes.
import { CamauditError } from '../errors.js';
import type { Identity } from './identity.js';
import { MAX_CAPTURE_BYTES } from './parse/common.js';
import { parseCapture, detectProtocol, type CaptureHint } from './parse/detect.js';
import type { Protocol, Signal } from './signals.js';

type IdentityView = Pick<Identity, 'manufacturer' | 'brand' | 'model' | 'firmware' | 'serial' | 'mac' | 'kind' | 'confidence' | 'evidence' | 'conflicts' | 'checks'>;

export interface FileIdentity extends IdentityView {
  file: string;
  protocol: Protocol | null;
  /** Devices behind a recorder (ISAPI InputProxy channels), each identified on its own. */
  channels?: IdentityView[];
}

function shape(id: Identity): IdentityView {
  const { manufacturer, brand, model, firmware, serial, mac, kind, confidence, evidence, conflicts, checks } = id;
  return { manufacturer, brand, model, firmware, serial, mac, kind, confidence, evidence, conflicts, checks };
}

export function identifyCapture(file: string, content: Buffer, signalsFor: (s: Signal[]) => Identity, protocol?: Protocol, hint?: CaptureHint): FileIdentity {
  // Refuse an oversized capture before reading any of it, detection included.
  if (content.length > MAX_CAPTURE_BYTES) {
    throw new CamauditError('hostile_input', `${file}: capture is ${content.length} bytes, more than the limit of ${MAX_CAPTURE_BYTES}`, { file });
  }
  const detected = protocol ?? detectProtocol(content, file);
  if (!detected) {
    return { file, protocol: null, ...shape(signalsFor([])) };
  }
  const signals = parseCapture(content, detected, file, hint ? { hint } : {});
  // A list of addresses is a list of devices; merging them would give one device every maker.
  if (detected === 'mac' && signals.length > 1) {
    throw new CamauditError('invalid_input', `${file} holds ${signals.length} MAC addresses; identify one device per file, or import the list as a register`, { file });
  }
  // A recorder's channel list describes other devices: they are identified one by one.
  const channels = signals.filter((s) => s.fields.channel !== undefined);
  const own = signals.filter((s) => s.fields.channel === undefined);
  const result: FileIdentity = { file, protocol: detected, ...shape(signalsFor(own)) };
  if (channels.length > 0) result.channels = channels.map((s) => shape(signalsFor([s])));
  return result;
}
