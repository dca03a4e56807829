// A telnet banner: whatever the device prints before asking for a login. Hikvision's factory
// address shows up in it (`192.0.0.64 login:`). Raw captures carry telnet option negotiation
// (IAC sequences) that is removed before the text is kept.
import type { Signal } from '../signals.js';
import { atLeastOne, makeSignal } from './common.js';

const IAC = 0xff;
const SB = 0xfa;
const SE = 0xf0;
const BANNER_LIMIT = 4096;

/** The bytes without telnet commands: IAC verb option, IAC SB … IAC SE, IAC IAC (a literal 0xff). */
function stripTelnetCommands(bytes: Buffer): Buffer {
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] ?? 0;
    if (byte !== IAC) {
      out.push(byte);
      continue;
    }
    const verb = bytes[i + 1];
    if (verb === IAC) {
      out.push(IAC);
      i++;
    } else if (verb === SB) {
      let j = i + 2;
      while (j < bytes.length && !(bytes[j] === IAC && bytes[j + 1] === SE)) j++;
      i = j + 1;
    } else if (verb !== undefined && verb >= 0xfb) {
      i += 2; // WILL/WONT/DO/DONT + option
    } else {
      i += 1;
    }
  }
  return Buffer.from(out);
}

export function parseTelnet(content: Buffer | string, source: string): Signal[] {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const banner = stripTelnetCommands(bytes)
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
    .trim()
    .slice(0, BANNER_LIMIT);
  return atLeastOne([makeSignal('telnet', { banner }, source)], source, 'telnet banner');
}
