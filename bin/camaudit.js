#!/usr/bin/env node
// Launcher for the built CLI: `npm run build` produces dist/.
import { main } from '../dist/cli/main.js';

// `camaudit devices list | head` closes the pipe early; that is not an error.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

process.exitCode = await main(process.argv.slice(2));
