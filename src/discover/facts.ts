// Risk facts a device shows to anyone on its network, before any login. They are recorded as
// observations with each scan so the assessment can cite them: an unactivated Hikvision can be
// claimed by whoever reaches it first, a vendor cloud link leaves the "closed network", an open
// telnet or vendor SDK port widens the attack surface, a serial in a realm leaks identity.
import type { Signal } from '../core/identify/signals.js';

export const RISK_FACTS = [
  'not_activated',
  'vendor_cloud',
  'uninitialised',
  'telnet_open',
  'hikvision_sdk_open',
  'dahua_sdk_open',
  'serial_in_realm',
] as const;
export type RiskFactKind = (typeof RISK_FACTS)[number];

export interface RiskFact {
  fact: RiskFactKind;
  /** What showed it: `sadp.activated=false`, `port 23 open`. */
  detail: string;
  source: string;
}

const PORT_FACTS: readonly [number, RiskFactKind][] = [
  [23, 'telnet_open'],
  [8000, 'hikvision_sdk_open'],
  [37777, 'dahua_sdk_open'],
  // Lorex firmware moves the Dahua SDK port here.
  [35000, 'dahua_sdk_open'],
];

// Dahua firmware names the serial in its login realm; some Lorex/Amcrest builds do too.
const SERIAL_REALM = /\blogin to ([A-Z0-9]{8,})\b/i;

export function riskFacts(signals: readonly Signal[], openPorts: readonly number[]): RiskFact[] {
  const facts = new Map<string, RiskFact>();
  const add = (fact: RiskFactKind, detail: string, source: string) => {
    if (!facts.has(fact)) facts.set(fact, { fact, detail, source });
  };
  for (const s of signals) {
    const f = s.fields;
    if (s.protocol === 'sadp' && f.activated === 'false') add('not_activated', 'sadp.activated=false', s.source);
    if (s.protocol === 'sadp' && f.cloud === 'true') add('vendor_cloud', 'sadp.cloud=true (Hik-Connect enabled)', s.source);
    if (s.protocol === 'dhip' && f.init === 'false') add('uninitialised', 'dhip.init=false', s.source);
    if (s.protocol === 'dhip' && f.p2p === 'true') add('vendor_cloud', 'dhip.p2p=true (Dahua P2P enabled)', s.source);
    for (const field of ['realm', 'www_authenticate'] as const) {
      const m = f[field] ? SERIAL_REALM.exec(f[field]) : null;
      if (m) add('serial_in_realm', `${s.protocol}.${field} names ${m[1]}`, s.source);
    }
  }
  for (const [port, fact] of PORT_FACTS) if (openPorts.includes(port)) add(fact, `port ${port} open`, 'scan:sweep');
  return [...facts.values()];
}
