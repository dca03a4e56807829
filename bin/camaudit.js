#!/usr/bin/env node
// Launcher for the built CLI (dist/ is built by `npm install` in a checkout, or `npm run build`).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('camaudit is not built yet: run `npm run build` in the camaudit folder\n');
  process.exit(70);
}

// `camaudit devices list | head` closes the pipe early; that is not an error.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
