// The council report as PDF: the HTML edition printed by a headless Chromium, when one is
// installed. Nothing is bundled: a browser is a large dependency most installations do not need.
import { execFile } from 'node:child_process';
import { access, constants, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { CamauditError } from '../core/errors.js';

const run = promisify(execFile);
const NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];
const PRINT_TIMEOUT_MS = 120_000;

/** The first Chromium on PATH (or /usr/bin), or null. */
export async function findChromium(path: string = process.env['PATH'] ?? ''): Promise<string | null> {
  const dirs = [...path.split(delimiter).filter((d) => d !== ''), '/usr/bin'];
  for (const dir of dirs) {
    for (const name of NAMES) {
      const file = join(dir, name);
      if (await access(file, constants.X_OK).then(() => true, () => false)) return file;
    }
  }
  return null;
}

export async function councilPdf(html: string, found?: string | null): Promise<Buffer> {
  const chromium = found === undefined ? await findChromium() : found;
  if (chromium === null) {
    throw new CamauditError('unsupported', 'PDF needs a headless Chromium and none was found (chromium or chromium-browser on PATH, or /usr/bin/chromium). Install it (Debian/Ubuntu: apt-get install chromium) or choose --format docx or html and print that.');
  }
  const dir = await mkdtemp(join(tmpdir(), 'camaudit-pdf-'));
  try {
    const page = join(dir, 'report.html');
    const pdf = join(dir, 'report.pdf');
    await writeFile(page, html);
    // The page fetches nothing, so the browser needs no network; --no-sandbox lets it run as a
    // service user in a container, where the sandbox cannot start.
    await run(chromium, ['--headless', '--no-sandbox', '--disable-gpu', '--no-pdf-header-footer', `--print-to-pdf=${pdf}`, pathToFileURL(page).href], { timeout: PRINT_TIMEOUT_MS });
    return await readFile(pdf);
  } catch (cause) {
    if (cause instanceof CamauditError) throw cause;
    throw new CamauditError('unsupported', `Chromium (${chromium}) could not print the report: ${(cause as Error).message}`, undefined, { cause });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
