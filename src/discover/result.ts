// What discovery knows about one address: the ports it found open and every answer it captured.
// Live scans, signed bundles from closed networks and nmap files all produce these, and all are
// identified and reconciled into the register the same way (reconcile.ts).
import type { Capture } from './probe.js';

export interface HostResult {
  ip: string;
  /** From the neighbour table or a layer-2 scanner; devices' own answers carry theirs in captures. */
  mac: string | null;
  /** Vendor of the MAC as the capturing tool named it (nmap), kept as evidence. */
  macVendor?: string | null;
  openPorts: number[];
  captures: Capture[];
}
