// The council report for 10,000 synthetic devices in SQLite: the register is filled with the API
// benchmark's generator, assessed once, then the report is read from the store, built and
// rendered as Markdown, HTML and DOCX in process, each timed. Target: ≤ 10 s per format.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultPolicy } from '../src/ingest/policy.js';
import { loadActiveKnowledge } from '../src/kb/active.js';
import { councilReport, renderCouncil, type CouncilFormat } from '../src/report/council-file.js';
import { runAssessment } from '../src/store/assessments.js';
import { migrateToLatest, openStore } from '../src/store/database.js';
import { createOrganisation } from '../src/store/organisations.js';
import { fill } from './api.js';
import { UsageError } from './import.js';

export const REPORT_USAGE = 'report [--devices N] [--strict]';
const TARGET_MS = 10_000;
const NOW = '2026-11-29T09:00:00.000Z';

function parse(args: readonly string[]): { devices: number; strict: boolean } {
  let devices = 10_000;
  let strict = false;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--strict') strict = true;
    else if (args[i] === '--devices' && Number.isInteger(Number(args[i + 1])) && Number(args[i + 1]) > 0) devices = Number(args[++i]);
    else throw new UsageError(`unknown or invalid option ${args[i]}; ${REPORT_USAGE}`);
  }
  return { devices, strict };
}

export async function runReportBench(args: readonly string[]): Promise<number> {
  const o = parse(args);
  const dir = await mkdtemp(join(tmpdir(), 'camaudit-bench-report-'));
  const store = await openStore(join(dir, 'report.db'));
  try {
    await migrateToLatest(store);
    const org = await createOrganisation(store, { slug: 'gemeente-bench', name: 'Gemeente Bench', cbsCode: 'GM9999' }, NOW);
    const scope = { orgId: org.id, actor: 'bench', source: 'bench' };
    console.log(`seeding ${o.devices.toLocaleString('en')} devices in SQLite`);
    await fill(store, { orgs: [{ id: org.id, slug: org.slug, token: '' }] }, 0, o.devices);
    const { kb } = await loadActiveKnowledge(store);
    let t = performance.now();
    await runAssessment(store, scope, kb, await defaultPolicy(), NOW);
    console.log(`assessment: ${((performance.now() - t) / 1000).toFixed(2)} s`);
    let missed = false;
    for (const format of ['md', 'html', 'docx'] as CouncilFormat[]) {
      t = performance.now();
      const report = await councilReport(store, scope, org, kb, { lang: 'nl', publicEdition: false, now: NOW });
      const bytes = await renderCouncil(report, format);
      const ms = performance.now() - t;
      if (ms > TARGET_MS) missed = true;
      console.log(`council report ${format}: ${(ms / 1000).toFixed(2)} s, ${(bytes.length / 1024).toFixed(0)} KiB, ${report.figures.devices} devices (target ≤ ${TARGET_MS / 1000} s)`);
    }
    return o.strict && missed ? 1 : 0;
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}
