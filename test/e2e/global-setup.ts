// Builds the web application once per test run, into CAMAUDIT_WEB_OUT when set (so two runs on one
// machine do not replace each other's files) or dist/web. The e2e tests and the bundle-size test
// read that build; building it here means they always test the current sources.
import { build } from 'vite';
import { webBuildDir, WEB_CONFIG } from './web-build.js';

export async function setup(): Promise<void> {
  // The test runner sets NODE_ENV=test, which would give React's development build; the tests
  // check what people get, the production build.
  const previous = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: WEB_CONFIG, mode: 'production', logLevel: 'error', build: { outDir: webBuildDir() } });
  } finally {
    process.env.NODE_ENV = previous;
  }
}
