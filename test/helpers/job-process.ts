// Starts test/helpers/job-worker.ts as a real process and talks to it line by line.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = join(import.meta.dirname, '..', '..');

export interface WorkerProcess {
  child: ChildProcess;
  /** Resolves with the first output line starting with `prefix` (from now on or already seen). */
  waitFor(prefix: string, timeoutMs?: number): Promise<string>;
  send(line: string): void;
  /** Resolves with the exit signal (or code) once the process has ended. */
  exited: Promise<NodeJS.Signals | number | null>;
  /** What it wrote to stderr, for failure messages. */
  stderr(): string;
}

export function startWorker(location: string, instanceId: string, leaseMs: number): WorkerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test/helpers/job-worker.ts'), location, instanceId, String(leaseMs)], {
    cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters: { prefix: string; resolve: (line: string) => void }[] = [];
  let err = '';
  child.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
  createInterface({ input: child.stdout! }).on('line', (line) => {
    lines.push(line);
    for (const w of waiters.filter((x) => line.startsWith(x.prefix))) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(line);
    }
  });
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
  return {
    child,
    exited,
    stderr: () => err,
    send: (line) => child.stdin!.write(`${line}\n`),
    waitFor(prefix, timeoutMs = 30_000) {
      const seen = lines.find((l) => l.startsWith(prefix));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${instanceId}: no "${prefix}" line within ${timeoutMs} ms; stderr: ${err}`)), timeoutMs);
        waiters.push({ prefix, resolve: (line) => { clearTimeout(timer); resolve(line); } });
        void exited.then((how) => { clearTimeout(timer); reject(new Error(`${instanceId} ended (${String(how)}) before "${prefix}"; stderr: ${err}`)); });
      });
    },
  };
}
