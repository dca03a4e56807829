// Assessment benchmark: a million synthetic devices (Hikvision and Dahua under their own and OEM
// labels, western makers, unknown makers; firmware inside and outside known vulnerable ranges;
// sites of every category, exposed and vendor-cloud networks, scan facts, analytics) assessed
// in this process with the shipped KB and default policy; then the phase-out plan for 100,000.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { assess } from '../src/core/assess/assess.js';
import { parsePolicy } from '../src/core/assess/policy.js';
import type { AssessDevice } from '../src/core/assess/types.js';
import type { Analytic, DeviceKind, SiteCategory } from '../src/core/model.js';
import { SITE_CATEGORIES } from '../src/core/model.js';
import { DEFAULT_COST_MODEL } from '../src/core/plan/costs.js';
import { buildScenarios } from '../src/core/plan/plan.js';
import { loadKnowledgeBase } from '../src/kb/load.js';
import { seededRandom } from '../src/lab/random.js';
import { UsageError } from './import.js';

export const ASSESS_USAGE = 'assess [--devices N] [--plan-devices N]';

const TARGET_SECONDS = 10;
const TARGET_RSS_MB = 2048;
const PLAN_TARGET_SECONDS = 5;
const NOW = '2026-06-01T09:00:00.000Z';
const POLICY_FILE = new URL('../policies/default.yaml', import.meta.url);

/** Label, true maker (KB vendor id; null = not identified), identification confidence, products. */
type Product = readonly [model: string, kind: DeviceKind, ...firmware: string[]];
const LINES: readonly (readonly [brand: string, maker: string | null, confidence: number, products: readonly Product[]])[] = [
  ['Hikvision', 'hikvision', 0.875, [
    ['DS-2CD2143G2-I', 'camera', 'V5.7.3 build 220112', 'V5.7.12 build 230317'],
    // Inside the CVE-2017-7921 range (CISA KEV).
    ['DS-2CD2132F-IS', 'camera', 'V5.3.0 build 150513', 'V5.4.0 build 160530'],
    ['DS-7608NXI-I2/8P', 'recorder', 'V4.30.085 build 210923'],
  ]],
  ['HiWatch', 'hikvision', 0.875, [['HWI-B121H', 'camera', 'V5.5.82 build 190909'], ['HWN-4108MH-8P', 'recorder', 'V4.22.005 build 191211']]],
  ['LTS', 'hikvision', 0.45, [['CMIP3C42W-28', 'camera', 'V5.5.3 build 180611']]],
  ['EZVIZ', 'hikvision', 0.643, [['CS-CV310-A0-1B2WFR', 'camera', 'V5.2.7 build 210430']]],
  ['Dahua', 'dahua', 0.875, [
    ['IPC-HFW2431S-S-S2', 'camera', 'V2.800.0000000.16.R', 'V2.800.0000000.27.R'],
    ['DHI-NVR4108HS-8P-4KS2', 'recorder', 'V4.001.0000000.4.R'],
  ]],
  ['Lorex', 'dahua', 0.65, [['LNB4321B', 'camera', 'V2.622.0000000.5.R']]],
  ['Amcrest', 'dahua', 0.35, [['IP4M-1051B', 'camera', 'V2.620.00AC000.3.R']]],
  ['Axis', 'axis', 0.35, [['P3245-LVE', 'camera', '9.80.3.8', '10.12.165'], ['S3008', 'recorder', '10.12.165']]],
  ['Bosch', 'bosch', 0.35, [['FLEXIDOME IP 5000i', 'camera', '7.72.0029'], ['VIDEOJET multi 4000', 'encoder', '7.10.0060']]],
  ['Hanwha', 'hanwha', 0.35, [['XNO-6080R', 'camera', '2.12.02_20220615']]],
  ['Mobotix', 'mobotix', 0.35, [['M16B', 'camera', 'MX-V5.2.6.3']]],
  ['Acme', null, 0.2, [['X1', 'camera', '1.0']]],
];

const NETWORKS: readonly AssessDevice['network'][] = [
  { id: 'n-isolated', name: 'closed', connectivity: 'isolated', remoteAccess: 'none' },
  { id: 'n-internal', name: 'LAN', connectivity: 'internal', remoteAccess: 'none' },
  { id: 'n-vpn', name: 'public-space net', connectivity: 'internal', remoteAccess: 'vpn' },
  { id: 'n-cloud', name: 'garage net', connectivity: 'isolated', remoteAccess: 'vendor_cloud' },
  { id: 'n-exposed', name: 'exposed', connectivity: 'internet_exposed', remoteAccess: 'none' },
  null,
];

const FACTS: readonly AssessDevice['facts'][] = [
  [],
  [{ fact: 'not_activated', detail: 'sadp.activated=false', observedAt: '2026-05-01T10:00:00.000Z' }],
  [{ fact: 'telnet_open', detail: 'port 23 open', observedAt: '2026-05-01T10:00:00.000Z' }],
  [{ fact: 'vendor_cloud', detail: 'dhip.p2p=true (Dahua P2P enabled)', observedAt: '2026-05-01T10:00:00.000Z' }],
];
const ANALYTICS: readonly (readonly Analytic[])[] = [[], ['anpr'], ['face_recognition']];
const NO_CUSTOM = Object.freeze({});
const DPIA = Object.freeze({ dpia: 'DPIA-2024-07' });

/**
 * Devices as a register of this size holds them: ten to a site on average, sites and networks
 * shared between their devices (as the store's mapping shares nothing, this is the lean case for
 * memory; the rules read the same fields either way).
 */
export function syntheticDevices(count: number, seed = 0x5eed): AssessDevice[] {
  const r = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const sites = Array.from({ length: Math.max(1, Math.ceil(count / 10)) }, (_, i) => {
    const category: SiteCategory = SITE_CATEGORIES[i % SITE_CATEGORIES.length]!;
    return { id: `site-${i}`, name: `Site ${i}`, category };
  });
  const devices: AssessDevice[] = new Array<AssessDevice>(count);
  for (let i = 0; i < count; i++) {
    const [brand, maker, confidence, products] = pick(LINES);
    const [model, kind, ...firmware] = pick(products);
    const site = sites[Math.floor(i / 10)]!;
    const year = 2012 + Math.floor(r() * 13);
    devices[i] = {
      id: `dev-${String(i).padStart(8, '0')}`,
      kind,
      status: r() < 0.05 ? 'scheduled' : 'active',
      manufacturer: maker,
      brand,
      model,
      firmware: r() < 0.12 ? null : pick(firmware),
      identityConfidence: confidence,
      installDate: r() < 0.1 ? null : `${year}-${String(1 + Math.floor(r() * 12)).padStart(2, '0')}-15`,
      analytics: kind === 'camera' ? pick(ANALYTICS) : [],
      legalBasis: r() < 0.8 ? (site.category === 'public_space' ? 'Gemeentewet art. 151c' : 'AVG art. 6 lid 1 sub e') : null,
      retentionDays: pick([28, 28, 28, 60, 90]),
      custom: r() < 0.5 ? DPIA : NO_CUSTOM,
      site,
      network: pick(NETWORKS),
      facts: r() < 0.8 ? FACTS[0]! : pick(FACTS),
    };
  }
  return devices;
}

function sampleRss(): () => number {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  return () => {
    clearInterval(timer);
    // maxRSS also catches the peaks between samples (it is in KiB).
    return Math.max(peak, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024) / 2 ** 20;
  };
}

/** Lets the sampling timer run during a long synchronous call. */
const tick = () => new Promise((resolve) => setImmediate(resolve));

export async function runAssessBench(args: readonly string[]): Promise<number> {
  let count = 1_000_000;
  let planCount = 100_000;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--devices') count = Number(args[++i]);
    else if (args[i] === '--plan-devices') planCount = Number(args[++i]);
    else throw new UsageError(`unknown option "${args[i]}"; usage: ${ASSESS_USAGE}`);
  }
  if (!Number.isInteger(count) || count <= 0 || !Number.isInteger(planCount) || planCount <= 0) {
    throw new UsageError('--devices and --plan-devices need a positive whole number');
  }
  const kb = await loadKnowledgeBase();
  const policy = parsePolicy(readFileSync(POLICY_FILE, 'utf8'), 'policies/default.yaml');
  const peakRss = sampleRss();

  const devices = syntheticDevices(count);
  await tick();
  const started = performance.now();
  const findings = assess(devices, kb, policy, NOW);
  const seconds = (performance.now() - started) / 1000;
  await tick();
  const rssMb = peakRss();
  const restricted = new Set(findings.filter((f) => f.rule === 'restricted_manufacturer').map((f) => f.deviceId)).size;
  const critical = findings.filter((f) => f.severity === 'critical').length;
  console.log(`assess: ${count.toLocaleString('en')} synthetic devices (12 labels incl. OEM brands of Hikvision and Dahua, ${Math.ceil(count / 10).toLocaleString('en')} sites) in ${seconds.toFixed(2)} s, in process with the shipped KB and default policy`);
  console.log(`  ${findings.length.toLocaleString('en')} findings; ${restricted.toLocaleString('en')} devices with restricted_manufacturer; ${critical.toLocaleString('en')} critical`);
  console.log(`  time ${seconds.toFixed(2)} s (target ≤ ${TARGET_SECONDS} s): ${seconds <= TARGET_SECONDS ? 'PASS' : 'MISS'}`);
  console.log(`  peak RSS ${Math.round(rssMb).toLocaleString('en')} MB including the generated devices (target ≤ ${TARGET_RSS_MB.toLocaleString('en')} MB): ${rssMb <= TARGET_RSS_MB ? 'PASS' : 'MISS'}`);

  const planDevices = devices.slice(0, planCount);
  const planIds = new Set(planDevices.map((d) => d.id));
  const planFindings = findings.filter((f) => planIds.has(f.deviceId));
  const planStarted = performance.now();
  const scenarios = buildScenarios({
    devices: planDevices, findings: planFindings, cost: DEFAULT_COST_MODEL, budgetPerYear: 2_000_000, capacityPerYear: 5_000,
    startYear: 2026, years: 10, now: NOW,
  });
  const planSeconds = (performance.now() - planStarted) / 1000;
  console.log(`plan: ${planCount.toLocaleString('en')} devices, ${planFindings.length.toLocaleString('en')} findings, three scenarios over 10 years (budget 2,000,000 EUR and 5,000 replacements a year) in ${planSeconds.toFixed(2)} s`);
  for (const s of scenarios) {
    console.log(`  ${s.name}: ${s.actions.length.toLocaleString('en')} actions, total ${s.totalCost.toLocaleString('en')} EUR, residual risk ${s.residualRisk.at(-1)?.risk.toLocaleString('en')}, ${s.unresolved.length.toLocaleString('en')} devices unresolved`);
  }
  console.log(`  time ${planSeconds.toFixed(2)} s (target ≤ ${PLAN_TARGET_SECONDS} s): ${planSeconds <= PLAN_TARGET_SECONDS ? 'PASS' : 'MISS'}`);
  return 0;
}
