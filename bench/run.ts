// Entry point of `npm run bench -- [benchmark] [options]`. Each benchmark takes its own options
// and returns an exit code; with no name, every benchmark runs with its defaults.
import { API_USAGE, runApiBench } from './api.js';
import { ASSESS_USAGE, runAssessBench } from './assess.js';
import { IDENTIFY_USAGE, runIdentifyBench } from './identify.js';
import { IMPORT_USAGE, runImportBench, UsageError } from './import.js';
import { REPORT_USAGE, runReportBench } from './report.js';
import { runScanBench, SCAN_USAGE } from './scan.js';
import { runWebRegisterBench, WEB_REGISTER_USAGE } from './web-register.js';

const BENCHMARKS: Record<string, (args: readonly string[]) => Promise<number>> = {
  import: runImportBench,
  identify: runIdentifyBench,
  scan: runScanBench,
  assess: runAssessBench,
  api: runApiBench,
  report: runReportBench,
  web: runWebRegisterBench,
};

const USAGE = `usage: npm run bench -- [benchmark] [options]

benchmarks:
  ${IMPORT_USAGE}
      import a generated register with the built CLI; default 100k rows on SQLite and
      PostgreSQL, and 1M rows on SQLite (--strict: exit 1 when a target is missed)
  ${IDENTIFY_USAGE}
      identities per second over a mixed stream of real device signals, register labels and MACs
  ${SCAN_USAGE}
      lab of emulated devices on 127.77.0.0/16 (default 500), full camaudit scan of the range vs
      nmap's port sweep of it, connections/s, peak RSS, identification accuracy against the truth
  ${ASSESS_USAGE}
      1,000,000 synthetic devices assessed in process (time, peak RSS), then the three phase-out
      scenarios for 100,000 of them
  ${API_USAGE}
      PostgreSQL with 100,000 devices over 50 organisations, the built server in a child process,
      50 concurrent clients paging filtered device lists (p50/p95/p99, errors, server memory;
      --soak 120 for the two-minute load run); then 1,000,000 devices, every organisation
      publishes its aggregate and the coordinator's national summary is timed
  ${REPORT_USAGE}
      10,000 synthetic devices in SQLite, assessed, then the council report built and rendered
      as Markdown, HTML and DOCX, each timed (target ≤ 10 s)
  ${WEB_REGISTER_USAGE}
      100,000 devices in SQLite, assessed, the built server and web application, Chromium signed
      in: time to first rows of the device list, the next page, a filtered list and a search (≤ 2 s)

with no benchmark, all of them run with their defaults`;

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h') {
    console.log(USAGE);
    return 0;
  }
  const selected = name === undefined ? Object.values(BENCHMARKS) : [BENCHMARKS[name]];
  try {
    for (const bench of selected) {
      if (!bench) {
        console.error(`unknown benchmark "${name}"\n\n${USAGE}`);
        return 2;
      }
      const code = await bench(rest);
      if (code !== 0) return code;
    }
    return 0;
  } catch (err) {
    console.error((err as Error).message);
    if (err instanceof UsageError) console.error(`\n${USAGE}`);
    return err instanceof UsageError ? 2 : 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
