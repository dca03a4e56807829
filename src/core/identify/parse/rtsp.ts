// RTSP answers: an OPTIONS/DESCRIBE response (status, Server, challenge, Public), the SDP a
// DESCRIBE returns, or a bare Server banner copied from a scan. The SDP session name and tool
// line often name the streaming stack (LIVE555, "MERCURY RTSP Server") when headers do not.
import type { Signal } from '../signals.js';
import { atLeastOne, invalid, makeSignal, numbered } from './common.js';
import { headerValues, isMessage, readMessage, realmOf, statusOf } from './http.js';

export type RtspHint = 'server' | 'www_authenticate';
export interface RtspOptions {
  /** Which field a bare value is; guessed (auth scheme → www_authenticate, else server) when absent. */
  hint?: RtspHint;
}

const SDP_START = /^v=0\s*$/m;

/** Session-level SDP lines: `s=` (session name) and `a=tool:`. */
export function sdpFields(sdp: string): Record<string, string | undefined> {
  const lines = sdp.split(/\r?\n/).map((l) => l.trim());
  const session = lines.find((l) => l.startsWith('s='));
  const tool = lines.find((l) => l.startsWith('a=tool:'));
  return {
    sdp_session_name: session?.slice(2),
    sdp_tool: tool?.slice('a=tool:'.length),
  };
}

export function isSdp(text: string): boolean {
  return /^\s*v=0\s*\r?\n/.test(text) && /^[os]=/m.test(text);
}

export function parseRtsp(text: string, source: string, options: RtspOptions = {}): Signal[] {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed === '') throw invalid(source, 'empty RTSP capture');
  if (isSdp(trimmed)) {
    return atLeastOne([makeSignal('rtsp', sdpFields(trimmed), source)], source, 'SDP session name or tool');
  }
  const message = isMessage(trimmed, options.hint !== undefined) ? readMessage(trimmed) : null;
  if (message) {
    const auth = headerValues(message, 'www-authenticate');
    const fields = {
      status: statusOf(message),
      server: headerValues(message, 'server')[0],
      www_authenticate: auth.length > 0 ? auth.join(', ') : undefined,
      realm: auth.map(realmOf).find((r) => r !== undefined),
      public: headerValues(message, 'public')[0],
      ...(SDP_START.test(message.body) ? sdpFields(message.body) : {}),
    };
    return atLeastOne([makeSignal('rtsp', fields, source)], source, 'RTSP status or header');
  }
  // Bare banners, one per line (recog example lists).
  const values = trimmed.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  return atLeastOne(
    values.map((value, i) => {
      const hint = options.hint ?? (/^(?:basic|digest)\b|\brealm\s*=/i.test(value) ? 'www_authenticate' : 'server');
      const fields = hint === 'www_authenticate' ? { www_authenticate: value, realm: realmOf(value) } : { server: value };
      return makeSignal('rtsp', fields, numbered(source, i, values.length));
    }),
    source,
    'RTSP value',
  );
}
