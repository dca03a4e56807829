// Rules about how the device can be reached: from the internet, through the maker's cloud, by
// anyone who claims an unactivated device first, or over telnet. They read the register's network
// and the risk facts of the device's latest scan, and cite the scan's own observation.
import { ruleSeverity } from '../policy.js';
import type { AssessDevice, FindingEvidence } from '../types.js';
import { Noun, draft, noun, type Draft, type Rule } from './text.js';

type Fact = AssessDevice['facts'][number];

/** The scan facts of these kinds, in a fixed order whatever order the scan gave them in. */
function factsOf(device: AssessDevice, kinds: readonly string[]): Fact[] {
  return device.facts
    .filter((f) => kinds.includes(f.fact))
    .sort((a, b) => (a.fact !== b.fact ? (a.fact < b.fact ? -1 : 1) : a.observedAt < b.observedAt ? -1 : a.observedAt > b.observedAt ? 1 : 0));
}

function factEvidence(facts: readonly Fact[]): FindingEvidence[] {
  return facts.map((f) => ({ ref: `scan:${f.fact}`, value: `${f.detail} (${f.observedAt})` }));
}

/** The shared draft with this device's own scan observations added to its evidence. */
function withFacts(shared: Draft, facts: readonly Fact[]): Draft {
  return facts.length === 0 ? shared : draft({ ...shared, evidence: [...shared.evidence, ...factEvidence(facts)] });
}

/**
 * internet_exposed. Likelihood high: internet-wide scanners find a reachable camera within hours.
 * Impact high: whoever gets in sees the video and stands inside the network.
 */
export const internetExposed: Rule = (device, k) => {
  const network = device.network;
  if (network?.connectivity !== 'internet_exposed') return null;
  return k.memo('internet_exposed', [device.kind, network.id, network.name], () => {
    const n = Noun(device.kind);
    return draft({
      severity: ruleSeverity(k.policy, 'internet_exposed', 'high'),
      likelihood: 'high',
      impact: 'high',
      why: {
        nl: `${n.nl} is vanaf het internet bereikbaar (netwerk "${network.name}"). Camera's op internet worden snel gevonden en aangevallen, zeker als er bekende lekken zijn. Haal het apparaat van het internet af, bijvoorbeeld achter een VPN.`,
        en: `${n.en} can be reached from the internet (network "${network.name}"). Cameras on the internet are found and attacked quickly, all the more so with known vulnerabilities. Take the device off the internet, for example behind a VPN.`,
      },
      evidence: [
        { ref: 'network.connectivity', value: 'internet_exposed' },
        { ref: 'network.name', value: network.name },
      ],
      sources: [],
      action: 'isolate_network',
    });
  });
};

/**
 * vendor_cloud. Likelihood medium: the path out of the network exists, but using it takes a flaw
 * or credentials at the cloud service. Impact high: video and management leave the "closed"
 * network for the maker's servers.
 */
export const vendorCloud: Rule = (device, k) => {
  const inRegister = device.network?.remoteAccess === 'vendor_cloud';
  const facts = factsOf(device, ['vendor_cloud']);
  if (!inRegister && facts.length === 0) return null;
  const maker = device.manufacturer ? k.maker(device.manufacturer).name : null;
  const shared = k.memo('vendor_cloud', [device.kind, maker, inRegister ? device.network!.name : null, ...facts.map((f) => f.detail)], () => {
    const n = Noun(device.kind);
    const seen = facts.map((f) => f.detail).join('; ');
    const via = inRegister
      ? { nl: `volgens de netwerkgegevens${seen ? `; bij een scan gezien: ${seen}` : ''}`, en: `according to the network record${seen ? `; seen in a scan: ${seen}` : ''}` }
      : { nl: `bij een scan gezien: ${seen}`, en: `seen in a scan: ${seen}` };
    return draft({
      severity: ruleSeverity(k.policy, 'vendor_cloud', 'high'),
      likelihood: 'medium',
      impact: 'high',
      why: {
        nl: `${n.nl} is verbonden met de clouddienst van ${maker ?? 'de fabrikant'} (${via.nl}). Beeld en beheer zijn dan bereikbaar via servers van de fabrikant, buiten het eigen netwerk: een "gesloten netwerk" is dan niet meer gesloten. Zet de clouddienst uit en gebruik zo nodig een eigen VPN.`,
        en: `${n.en} is connected to the cloud service of ${maker ?? 'the manufacturer'} (${via.en}). Video and management can then be reached through the manufacturer's servers, outside the own network: a "closed network" is then no longer closed. Switch the cloud service off and use an own VPN where needed.`,
      },
      evidence: inRegister ? [{ ref: 'network.remoteAccess', value: 'vendor_cloud' }, { ref: 'network.name', value: device.network!.name }] : [],
      sources: [],
      action: 'disable_vendor_cloud',
    });
  });
  return withFacts(shared, facts);
};

/**
 * not_activated. Likelihood high: anyone on the network can claim the device, no flaw needed.
 * Impact high: the one who sets the admin password owns the device.
 */
export const notActivated: Rule = (device, k) => {
  const facts = factsOf(device, ['not_activated', 'uninitialised']);
  if (facts.length === 0) return null;
  const shared = k.memo('not_activated', [device.kind, ...facts.map((f) => f.detail)], () => {
    const n = Noun(device.kind);
    const seen = facts.map((f) => f.detail).join('; ');
    return draft({
      severity: ruleSeverity(k.policy, 'not_activated', 'high'),
      likelihood: 'high',
      impact: 'high',
      why: {
        nl: `${n.nl} is nooit met een eigen wachtwoord in gebruik genomen (scan: ${seen}). Wie het apparaat als eerste bereikt, kan het beheerderswachtwoord instellen en het overnemen. Activeer het met een sterk wachtwoord.`,
        en: `${n.en} was never set up with its own password (scan: ${seen}). Whoever reaches it first can set the admin password and take it over. Activate it with a strong password.`,
      },
      evidence: [],
      sources: [],
      action: 'activate_device',
    });
  });
  return withFacts(shared, facts);
};

/**
 * telnet_open. Likelihood medium: telnet still needs a password, though often a default one.
 * Impact high: a telnet login is a shell on the device, unencrypted on the wire.
 */
export const telnetOpen: Rule = (device, k) => {
  const facts = factsOf(device, ['telnet_open']);
  if (facts.length === 0) return null;
  const shared = k.memo('telnet_open', [device.kind], () => {
    const n = noun(device.kind);
    return draft({
      severity: ruleSeverity(k.policy, 'telnet_open', 'medium'),
      likelihood: 'medium',
      impact: 'high',
      why: {
        nl: `Op ${n.nl} staat telnet open: een onversleutelde beheertoegang die vaak met standaardwachtwoorden werkt. Sluit deze poort.`,
        en: `Telnet is open on ${n.en}: an unencrypted management login that often works with default passwords. Close this port.`,
      },
      evidence: [],
      sources: [],
      action: 'close_port',
    });
  });
  return withFacts(shared, facts);
};
