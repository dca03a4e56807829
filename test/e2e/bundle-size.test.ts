// The first load of the web application stays small: the entry chunk and everything it imports
// statically (what the browser must fetch before the first page renders) is at most 300 KB of
// JavaScript gzipped. Pages, the map and the chart library load on demand.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { webBuildDir } from './web-build.js';

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}

const LIMIT = 300 * 1024;

function readManifest(): Record<string, ManifestChunk> {
  return JSON.parse(readFileSync(join(webBuildDir(), '.vite', 'manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
}

/** The entry chunk and its static imports, transitively. */
function initialChunks(manifest: Record<string, ManifestChunk>): string[] {
  const entry = Object.keys(manifest).find((k) => manifest[k]!.isEntry);
  if (!entry) throw new Error('the build manifest has no entry chunk');
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const dep of manifest[key]!.imports ?? []) visit(dep);
  };
  visit(entry);
  return [...seen].map((k) => manifest[k]!.file);
}

const gzipped = (file: string) => gzipSync(readFileSync(join(webBuildDir(), file)), { level: 9 }).length;

describe('web application size', () => {
  it('loads at most 300 KB of JavaScript (gzipped) before the first page', () => {
    const manifest = readManifest();
    const files = initialChunks(manifest);
    const total = files.reduce((sum, f) => sum + gzipped(f), 0);
    console.info(`initial JavaScript: ${files.length} file(s), ${(total / 1024).toFixed(1)} KB gzipped (limit 300 KB)`);
    expect(total).toBeGreaterThan(10 * 1024);
    expect(total).toBeLessThanOrEqual(LIMIT);
  });

  it('keeps the chart and map libraries out of the first load', () => {
    const manifest = readManifest();
    const initial = initialChunks(manifest).map((f) => readFileSync(join(webBuildDir(), f), 'utf8')).join('\n');
    // Recognisable strings of Observable Plot and Leaflet: they must only arrive with the pages that draw.
    expect(initial).not.toContain('leaflet-container');
    expect(initial).not.toContain('plot-d6a7b5');
    expect(Object.values(manifest).some((c) => (c.dynamicImports ?? []).length > 0)).toBe(true);
  });

  it('serves index.html that loads only built, hashed assets', () => {
    const html = readFileSync(join(webBuildDir(), 'index.html'), 'utf8');
    const scripts = [...html.matchAll(/<script[^>]*src="([^"]+)"/g)].map((m) => m[1]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const src of scripts) expect(src).toMatch(/^\/assets\/[\w-]+\.js$/);
    expect(html).not.toMatch(/<script(?![^>]*src=)[^>]*>/);
  });
});
