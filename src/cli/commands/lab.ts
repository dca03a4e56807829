// `camaudit lab`: generated devices, each on its own address, until SIGINT or SIGTERM. Tests, demos
// and the scan benchmark start it and wait for the one JSON line with "ready":true on stdout.
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { Option, type Command } from 'commander';
import { CamauditError } from '../../core/errors.js';
import { parseRange } from '../../discover/scope.js';
import { t, type Lang } from '../../i18n/messages.js';
import { generateDevices, groundTruth } from '../../lab/emulator/catalogue.js';
import { startLab } from '../../lab/emulator/lab.js';
import { createNamespace, planNamespace, removeNamespace, spawnInNamespace } from '../../lab/emulator/netns.js';
import type { LabDevice } from '../../lab/emulator/types.js';
import type { Io } from '../context.js';
import type { CommandContext } from '../program.js';

interface LabFlags {
  devices: string;
  subnet: string;
  seed: string;
  netns?: string;
  truthOut?: string;
  credentialsOut?: string;
  multicastInterface?: string;
}

/** How long the lab inside a namespace may take to start before the run is given up. */
const CHILD_START_MS = 60_000;
/** How long the lab inside a namespace gets to stop before it is killed. */
const CHILD_STOP_MS = 5_000;

function wholeNumber(value: string, flag: string): number {
  if (!/^\d+$/.test(value.trim())) throw new CamauditError('usage', `${flag} must be a whole number, not "${value}"`);
  return Number(value);
}

/**
 * Resolves on the first SIGINT or SIGTERM: the lab runs until told to stop. With `orphaned`, also
 * when stdin closes: the lab inside a namespace ends with the process that started it, even one
 * killed before it could say so.
 */
function stopRequest(orphaned = false): { signal: Promise<void>; requested(): boolean; dispose(): void } {
  let requested = false;
  let resolve!: () => void;
  const signal = new Promise<void>((r) => (resolve = r));
  const on = () => {
    requested = true;
    resolve();
  };
  process.on('SIGINT', on);
  process.on('SIGTERM', on);
  if (orphaned) process.stdin.once('end', on).resume();
  const dispose = () => {
    process.off('SIGINT', on);
    process.off('SIGTERM', on);
    if (orphaned) process.stdin.off('end', on).destroy();
  };
  return { signal, requested: () => requested, dispose };
}

async function writeTruth(flags: LabFlags, devices: readonly LabDevice[]): Promise<void> {
  if (flags.truthOut) await writeFile(flags.truthOut, JSON.stringify(groundTruth(devices), null, 2) + '\n');
  // The lab's logins as a scan credentials file (one entry per device), for credentialed scans.
  if (flags.credentialsOut) {
    const entries = devices.map((d) => ({
      scope: d.ip, username: d.credentials.username, password: d.credentials.password,
      // Old firmware that only speaks Basic gets the password over plain HTTP only when allowed.
      ...(d.web.authScheme === 'basic' ? { basic_over_http: true } : {}),
    }));
    await writeFile(flags.credentialsOut, JSON.stringify(entries, null, 2) + '\n', { mode: 0o600 });
  }
}

async function runOnHost(io: Io, lang: Lang, flags: LabFlags, devices: LabDevice[], ready: Record<string, unknown>): Promise<void> {
  const range = parseRange(flags.subnet);
  if (!flags.multicastInterface && (range.first >>> 24 !== 127 || range.last >>> 24 !== 127)) {
    throw new CamauditError('usage', `--subnet ${flags.subnet}: without --netns the lab runs on loopback; give a 127.x.y.z subnet, or add --netns NAME for a private one`);
  }
  const stop = stopRequest(flags.multicastInterface !== undefined);
  try {
    const lab = await startLab({ devices, multicastInterface: flags.multicastInterface, onError: (err, where) => io.err(`lab: ${where}: ${err.message}`) });
    try {
      await writeTruth(flags, devices);
      io.out(JSON.stringify(ready));
      // Inside a namespace the lab that started this one tells the user.
      if (!flags.multicastInterface) io.err(t(lang, 'lab.running', { n: devices.length, subnet: flags.subnet }));
      await stop.signal;
    } finally {
      await lab.stop();
    }
  } finally {
    stop.dispose();
  }
}

/** Waits for the ready line of the lab inside the namespace, or its early exit. */
async function childReady(child: ChildProcess, name: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const outcome = await new Promise<string | null>((resolve) => {
    // Reading on after the ready line keeps the child from blocking on a full pipe.
    createInterface({ input: child.stdout! }).on('line', (line) => /"ready":true/.test(line) && resolve(null));
    child.once('exit', (code) => resolve(`did not start (exit code ${String(code)})`));
    timer = setTimeout(() => resolve(`did not start within ${CHILD_START_MS / 1000} s`), CHILD_START_MS);
  });
  clearTimeout(timer);
  if (outcome !== null) throw new CamauditError('usage', `the lab inside namespace ${name} ${outcome}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_STOP_MS);
  await exited;
  clearTimeout(timer);
}

/**
 * Creates the namespace, then runs this same program inside it (`ip netns exec`) with the same
 * devices and the namespace's interface for multicast; removes everything again on stop.
 */
async function runInNamespace(io: Io, lang: Lang, flags: LabFlags & { netns: string }, devices: LabDevice[], ready: Record<string, unknown>): Promise<void> {
  const plan = planNamespace(flags.netns, flags.subnet);
  const stop = stopRequest();
  try {
    const ns = await createNamespace(plan, devices.map((d) => d.ip));
    try {
      const self = [process.execPath, ...process.execArgv, process.argv[1]!];
      const child = spawnInNamespace(ns.name, [
        ...self, 'lab', '--devices', flags.devices, '--subnet', flags.subnet, '--seed', flags.seed, '--multicast-interface', devices[0]!.ip,
      ]);
      const exited = once(child, 'exit').then(([code]) => code as number | null);
      try {
        await childReady(child, ns.name);
        await writeTruth(flags, devices);
        io.out(JSON.stringify({ ...ready, netns: ns.name, hostAddress: ns.hostAddress, hostInterface: ns.hostInterface }));
        io.err(t(lang, 'lab.runningInNamespace', { n: devices.length, namespace: ns.name, subnet: flags.subnet, address: ns.hostAddress, interface: ns.hostInterface }));
        const code = await Promise.race([stop.signal.then(() => null), exited]);
        // Ctrl-C reaches the lab inside the namespace too; only an exit nobody asked for is an error.
        if (!stop.requested()) throw new Error(`the lab inside namespace ${ns.name} stopped unexpectedly (exit code ${String(code)})`);
      } finally {
        await stopChild(child);
      }
    } finally {
      await removeNamespace(ns);
    }
  } finally {
    stop.dispose();
  }
}

export function registerLab(program: Command, ctx: CommandContext): void {
  program
    .command('lab')
    .description('run emulated cameras, recorders and other hosts, each on its own address, until stopped (for tests, demos and benchmarks)')
    .option('--devices <n>', 'number of devices', '20')
    .option('--subnet <cidr>', 'addresses to spread the devices over: loopback, or a private subnet with --netns', '127.77.0.0/16')
    .option('--seed <n>', 'the same seed gives the same devices', '1')
    .option('--netns <name>', 'run in a new network namespace behind a veth pair, so multicast and broadcast discovery work (needs root)')
    .option('--truth-out <file>', 'write what each device really is (JSON) for checking a scan')
    .option('--credentials-out <file>', 'write the devices\' logins as a scan credentials file (JSON)')
    // Used by --netns for the lab it runs inside the namespace.
    .addOption(new Option('--multicast-interface <address>').hideHelp())
    .action(async (flags: LabFlags) => {
      const { lang } = ctx.globals();
      const count = wholeNumber(flags.devices, '--devices');
      const seed = wholeNumber(flags.seed, '--seed');
      const devices = generateDevices(count, flags.subnet, seed);
      const ready = { ready: true, devices: devices.length, subnet: flags.subnet, seed };
      if (flags.netns) await runInNamespace(ctx.io, lang, { ...flags, netns: flags.netns }, devices, ready);
      else await runOnHost(ctx.io, lang, flags, devices, ready);
    });
}
