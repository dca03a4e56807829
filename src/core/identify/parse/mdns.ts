// mDNS / DNS-SD answers (UDP 5353) as raw DNS messages: the PTR names the service type and the
// instance, SRV the host and port, TXT carries key=value strings where some makers put the model
// (md=) or maker (mf=). Parsing is bounds-checked throughout: the packet is untrusted.
import type { Signal } from '../signals.js';
import { atLeastOne, invalid, makeSignal } from './common.js';

const TYPE = { A: 1, PTR: 12, TXT: 16, AAAA: 28, SRV: 33 } as const;

interface DnsRecord {
  name: string;
  type: number;
  data: Buffer;
  dataOffset: number;
}

/** A possibly compressed name at `offset`; returns it and the offset after it in the record. */
function readName(msg: Buffer, offset: number): { name: string; next: number } {
  const labels: string[] = [];
  let at = offset;
  let next = -1;
  for (let jumps = 0; jumps < 32; ) {
    const length = msg[at];
    if (length === undefined) throw new RangeError('name runs past the end');
    if (length === 0) {
      if (next === -1) next = at + 1;
      return { name: labels.join('.'), next };
    }
    if ((length & 0xc0) === 0xc0) {
      const low = msg[at + 1];
      if (low === undefined) throw new RangeError('truncated pointer');
      if (next === -1) next = at + 2;
      at = ((length & 0x3f) << 8) | low;
      jumps++;
      continue;
    }
    if (at + 1 + length > msg.length) throw new RangeError('label runs past the end');
    labels.push(msg.subarray(at + 1, at + 1 + length).toString('utf8'));
    if (labels.join('.').length > 255) throw new RangeError('name too long');
    at += 1 + length;
  }
  throw new RangeError('too many compression pointers');
}

function readRecords(msg: Buffer): DnsRecord[] {
  if (msg.length < 12) throw new RangeError('shorter than a DNS header');
  const questions = msg.readUInt16BE(4);
  const records = msg.readUInt16BE(6) + msg.readUInt16BE(8) + msg.readUInt16BE(10);
  let at = 12;
  for (let i = 0; i < questions; i++) at = readName(msg, at).next + 4;
  const out: DnsRecord[] = [];
  for (let i = 0; i < records; i++) {
    const { name, next } = readName(msg, at);
    if (next + 10 > msg.length) throw new RangeError('record header runs past the end');
    const type = msg.readUInt16BE(next);
    const length = msg.readUInt16BE(next + 8);
    const dataOffset = next + 10;
    if (dataOffset + length > msg.length) throw new RangeError('record data runs past the end');
    out.push({ name, type, data: msg.subarray(dataOffset, dataOffset + length), dataOffset });
    at = dataOffset + length;
  }
  return out;
}

function txtStrings(data: Buffer): string[] {
  const strings: string[] = [];
  for (let at = 0; at < data.length; ) {
    const length = data[at] ?? 0;
    strings.push(data.subarray(at + 1, at + 1 + length).toString('utf8').trim());
    at += 1 + length;
  }
  return strings.filter((s) => s !== '');
}

const MODEL_KEYS = ['md', 'model', 'mdl', 'usb_mdl', 'product', 'ty'];
const MAKER_KEYS = ['mf', 'manufacturer', 'mfr', 'mfg', 'usb_mfg', 'vendor', 'vn'];

/** True when the bytes parse as a DNS response carrying PTR, SRV or TXT records. */
export function isMdnsMessage(content: Buffer): boolean {
  try {
    return (content.readUInt16BE(2) & 0x8000) !== 0 && readRecords(content).some((r) => r.type === TYPE.PTR || r.type === TYPE.SRV || r.type === TYPE.TXT);
  } catch {
    return false;
  }
}

export function parseMdns(content: Buffer, source: string): Signal[] {
  let records: DnsRecord[];
  try {
    records = readRecords(content);
  } catch (cause) {
    throw invalid(source, `not a DNS message: ${(cause as Error).message}`, cause);
  }
  const ptr = records.find((r) => r.type === TYPE.PTR && !r.name.startsWith('_services._dns-sd'));
  const service = ptr?.name ?? records.find((r) => r.type === TYPE.SRV)?.name.split('.').slice(-3).join('.');
  const instance = ptr ? readName(content, ptr.dataOffset).name : records.find((r) => r.type === TYPE.SRV)?.name;
  const name = instance && service && instance.endsWith(`.${service}`) ? instance.slice(0, -service.length - 1) : instance;
  const txt = records.filter((r) => r.type === TYPE.TXT).flatMap((r) => txtStrings(r.data));
  const value = (keys: readonly string[]) => {
    const entry = txt.find((t) => keys.includes(t.split('=', 1)[0]?.toLowerCase() ?? ''));
    return entry?.slice(entry.indexOf('=') + 1);
  };
  const fields = {
    service,
    name,
    model: value(MODEL_KEYS),
    manufacturer: value(MAKER_KEYS),
    txt: txt.length > 0 ? txt.join(' ') : undefined,
  };
  return atLeastOne([makeSignal('mdns', fields, source)], source, 'mDNS service records');
}
