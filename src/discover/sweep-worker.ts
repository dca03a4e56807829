// One part of a sweep in its own thread (see sweep.ts). Refused connections are the common case
// here, and Node builds a stack trace for every one; this thread needs none.
import { parentPort, workerData } from 'node:worker_threads';
import { GuardedNet, type Politeness } from './net.js';
import { buildScope, type ScopeSpec } from './scope.js';
import { sweepPart } from './sweep.js';

interface SweepWorkerData {
  spec: ScopeSpec;
  ports: number[];
  politeness: Politeness;
  after: string | null;
  part: number;
  parts: number;
}

Error.stackTraceLimit = 0;
const data = workerData as SweepWorkerData;
const port = parentPort!;
let stopped = false;
port.on('message', (m: { type: string }) => {
  if (m.type === 'stop') stopped = true;
});
const netw = new GuardedNet(buildScope(data.spec), data.politeness);
await sweepPart(netw, data, data.part, data.parts, (report) => port.postMessage({ type: 'report', report }), () => stopped);
port.postMessage({ type: 'done', stats: netw.stats });
port.close();
