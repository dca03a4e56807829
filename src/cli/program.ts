import type { Command } from 'commander';
import { resolveGlobals, type GlobalOptions, type Io } from './context.js';

/** What every command file gets: the I/O, the resolved global options, and where to put its exit code. */
export interface CommandContext {
  io: Io;
  globals(): GlobalOptions;
  setExit(code: number): void;
}

export function makeContext(program: Command, io: Io, setExit: (code: number) => void): CommandContext {
  return {
    io,
    globals: () => resolveGlobals(program.opts(), io.env),
    setExit,
  };
}

export function printJson(io: Io, value: unknown): void {
  io.out(JSON.stringify(value, null, 2));
}

/** A plain text table: columns padded to their widest cell. */
export function printTable(io: Io, headers: readonly string[], rows: readonly (readonly unknown[])[]): void {
  const text = rows.map((r) => r.map((v) => (v === null || v === undefined ? '' : String(v))));
  const widths = headers.map((h, i) => Math.max(h.length, ...text.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  io.out(line(headers));
  for (const r of text) io.out(line(r));
}
