import { main } from '../../src/cli/main.js';

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

/** Runs the CLI in-process with captured output and a fixed clock. */
export async function cli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    env: { CAMAUDIT_ACTOR: 'cli:test', ...env },
    now: () => new Date().toISOString(),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}
