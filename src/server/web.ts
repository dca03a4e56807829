// Serves the built web application: its hashed assets with a long cache life, and index.html for
// every other page address, so a bookmarked /o/demo/devices opens the application there. When the
// application has not been built, `/` explains how to build it instead.
import { readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { startPage } from './start-page.js';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/** Asset names as the build writes them: no directories, no dot-files. */
const ASSET_NAME = /^[\w-]+(?:\.[\w-]+)*\.[a-z0-9]+$/;

/** dist/web of this installation, whether running from dist/ (built) or src/ (tsx). */
export function defaultWebRoot(): string {
  return fileURLToPath(new URL('../../dist/web/', import.meta.url));
}

async function exists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

export async function registerWebApp(app: FastifyInstance, root: string, version: string): Promise<void> {
  const indexPath = join(root, 'index.html');
  const built = await exists(indexPath);

  const sendIndex = async (reply: FastifyReply) => {
    if (!built) return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(startPage(version));
    // Read per request: a rebuild while the server runs is picked up, and the file is small.
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(await readFile(indexPath));
  };

  app.get('/assets/:file', async (req, reply) => {
    const { file } = req.params as { file: string };
    const path = join(root, 'assets', file);
    if (!ASSET_NAME.test(file) || !(await exists(path))) {
      return reply.status(404).type('application/problem+json').send({ type: 'about:blank', title: 'Not Found', status: 404, instance: req.url });
    }
    return reply
      .type(TYPES[extname(file)] ?? 'application/octet-stream')
      .header('cache-control', 'public, max-age=31536000, immutable')
      .send(await readFile(path));
  });
  app.get('/', async (_req, reply) => sendIndex(reply));
  // Page addresses of the application; anything under /api keeps its problem+json 404.
  for (const prefix of ['/sign-in', '/o/*']) app.get(prefix, async (_req, reply) => sendIndex(reply));
}
