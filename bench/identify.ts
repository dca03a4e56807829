// Identification benchmark: identities per second over a mixed stream of real signals (every
// fixture response, register labels, MAC addresses), on one core, in this process.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { identify } from '../src/core/identify/identify.js';
import { detectProtocol, parseCapture } from '../src/core/identify/parse/detect.js';
import type { Signal } from '../src/core/identify/signals.js';
import { identifyKnowledge } from '../src/kb/knowledge.js';
import { loadKnowledgeBase } from '../src/kb/load.js';
import { UsageError } from './import.js';

export const IDENTIFY_USAGE = 'identify [--count N]';
const TARGET_PER_SECOND = 50_000;
const FIXTURES = new URL('../test/fixtures/devices/', import.meta.url).pathname;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

/** Observation groups as identification meets them: one device's signals at a time. */
function workload(): Signal[][] {
  const groups: Signal[][] = [];
  for (const file of files(FIXTURES)) {
    const content = readFileSync(file);
    const protocol = detectProtocol(content, file);
    if (!protocol) continue;
    try {
      const signals = parseCapture(content, protocol, file);
      if (signals.length > 0) groups.push(signals);
    } catch {
      // Files the parsers refuse are not part of the stream.
    }
  }
  const labels = ['Hikvision', 'HiWatch', 'Dahua', 'Lorex', 'Axis', 'Bosch', 'EZVIZ', 'Imou', 'Hanwha', 'Amcrest'];
  const models = ['DS-2CD2143G2-I', 'HWI-T220H', 'IPC-HFW2431S-S-S2', 'LNB8005', 'P3245-LVE', 'NBN-73023BA', 'C6N', 'IPC-A22', 'XNO-6080R', 'IP8M-2493EW'];
  for (let i = 0; i < 200; i++) {
    const mac = `${['44:19:b6', '3c:ef:8c', 'ac:cc:8e', '00:07:5f'][i % 4]}:${(i % 256).toString(16).padStart(2, '0')}:00:01`;
    groups.push([
      { protocol: 'text', fields: { brand: labels[i % labels.length]!, model: models[i % models.length]! }, source: `row ${i}` },
      { protocol: 'mac', fields: { mac }, source: `row ${i}` },
    ]);
  }
  return groups;
}

/**
 * Real streams repeat banners and models but never a MAC or serial: give every device in the
 * stream its own, so that nothing about a device can be remembered from an earlier one.
 */
function withUniqueAddresses(groups: Signal[][], count: number): Signal[][] {
  return Array.from({ length: count }, (_, i) => groups[i % groups.length]!.map((s) => {
    const fields: Record<string, string> = { ...s.fields };
    if (fields.mac) fields.mac = `${fields.mac.slice(0, 8)}:${((i >> 16) & 255).toString(16).padStart(2, '0')}:${((i >> 8) & 255).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`;
    if (fields.serial) fields.serial = `${fields.serial}${i}`;
    return { ...s, fields };
  }));
}

export async function runIdentifyBench(args: readonly string[]): Promise<number> {
  let count = 200_000;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--count') count = Number(args[++i]);
    else throw new UsageError(`unknown option "${args[i]}"; usage: ${IDENTIFY_USAGE}`);
  }
  if (!Number.isInteger(count) || count <= 0) throw new UsageError('--count needs a positive whole number');
  const knowledge = identifyKnowledge(await loadKnowledgeBase());
  const groups = withUniqueAddresses(workload(), 20_000);
  // Warm up the JIT and the KB's indexes before measuring.
  for (let i = 0; i < 5_000; i++) identify(groups[i % groups.length]!, knowledge);
  const started = performance.now();
  let attributed = 0;
  for (let i = 0; i < count; i++) if (identify(groups[i % groups.length]!, knowledge).manufacturer) attributed++;
  const seconds = (performance.now() - started) / 1000;
  const rate = count / seconds;
  console.log(`identify: ${count.toLocaleString('en')} identities over ${groups.length} devices (signal groups from real fixtures, each with its own MAC and serial) in ${seconds.toFixed(2)} s`);
  console.log(`  ${Math.round(rate).toLocaleString('en')} identities/s (target ≥ ${TARGET_PER_SECOND.toLocaleString('en')}/s on one core): ${rate >= TARGET_PER_SECOND ? 'PASS' : 'MISS'}`);
  console.log(`  ${((100 * attributed) / count).toFixed(1)} % attributed to a maker`);
  return 0;
}
