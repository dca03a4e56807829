import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { CamauditError } from '../core/errors.js';
import { parseWith } from './issues.js';
import { colonPrefix, hexDigits, parseOuiTsv, registryForDigits, slugify } from './oui.js';
import {
  BrandsFileSchema,
  FingerprintsFileSchema,
  LegalFileSchema,
  MetaSchema,
  OverlayFileSchema,
  RestrictionsFileSchema,
  VendorsFileSchema,
  VulnerabilitiesFileSchema,
  type Brand,
  type KnowledgeBase,
  type OverlayFile,
  type PrefixRow,
  type Vendor,
} from './schema.js';

/** The files of a KB directory, by section. All are required. */
export const KB_FILES = {
  meta: 'meta.yaml',
  vendors: 'vendors.yaml',
  brands: 'brands.yaml',
  prefixes: 'oui.tsv',
  fingerprints: 'fingerprints.yaml',
  restrictions: 'restrictions.yaml',
  vulnerabilities: 'vulnerabilities.yaml',
  legal: 'legal.yaml',
} as const;

// Relative to this module, so it resolves to <package>/kb/data from src/kb (tsx) and from dist/kb
// (build output, rootDir src) alike, whatever the working directory.
export const DEFAULT_KB_DIR = fileURLToPath(new URL('../../kb/data/', import.meta.url));

export interface ParseOptions {
  /** Prefix for file names in error messages; `kb/data/` unless given. */
  label?: string;
  /** Overlay YAML text, applied on top of the shipped records. */
  overlay?: string;
  /** Name of the overlay file for error messages. */
  overlayLabel?: string;
}

/** Read and validate the KB in `dir`, then apply the organisation overlay if one is given. */
export async function loadKnowledgeBase(dir: string = DEFAULT_KB_DIR, overlayFile?: string): Promise<KnowledgeBase> {
  const files: Record<string, string> = {};
  for (const name of Object.values(KB_FILES)) files[name] = await readText(join(dir, name));
  const label = dir === DEFAULT_KB_DIR ? 'kb/data/' : `${join(dir, '/')}`;
  const options: ParseOptions = { label };
  if (overlayFile !== undefined) {
    options.overlay = await readText(overlayFile);
    options.overlayLabel = overlayFile;
  }
  return parseKnowledgeBase(files, options);
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CamauditError('not_found', `knowledge-base file not found: ${path}`, { file: path });
    throw new CamauditError('invalid_input', `cannot read knowledge-base file ${path}: ${(err as Error).message}`, { file: path }, { cause: err });
  }
}

/**
 * Validate KB files given as text, keyed by file name (see KB_FILES). Pure: no I/O, so tests and
 * other front ends can feed it files from anywhere. The result is frozen.
 */
export function parseKnowledgeBase(files: Record<string, string>, options: ParseOptions = {}): KnowledgeBase {
  const label = options.label ?? 'kb/data/';
  const text = (name: string): string => {
    const content = files[name];
    if (content === undefined) throw new CamauditError('not_found', `knowledge-base file missing: ${label}${name}`, { file: `${label}${name}` });
    return content;
  };
  const yaml = (name: string): unknown => parseYamlText(text(name), `${label}${name}`);
  const withOrigin = <T extends object>(records: T[]) => records.map((r) => ({ ...r, origin: 'kb' as const }));

  const kb: KnowledgeBase = {
    meta: parseWith(MetaSchema, yaml(KB_FILES.meta), `${label}${KB_FILES.meta}`),
    vendors: withOrigin(parseWith(VendorsFileSchema, yaml(KB_FILES.vendors), `${label}${KB_FILES.vendors}`).records),
    brands: withOrigin(parseWith(BrandsFileSchema, yaml(KB_FILES.brands), `${label}${KB_FILES.brands}`).records),
    prefixes: parseOuiTsv(text(KB_FILES.prefixes), `${label}${KB_FILES.prefixes}`),
    fingerprints: parseWith(FingerprintsFileSchema, yaml(KB_FILES.fingerprints), `${label}${KB_FILES.fingerprints}`).fingerprints,
    restrictions: parseWith(RestrictionsFileSchema, yaml(KB_FILES.restrictions), `${label}${KB_FILES.restrictions}`).records,
    vulnerabilities: parseWith(VulnerabilitiesFileSchema, yaml(KB_FILES.vulnerabilities), `${label}${KB_FILES.vulnerabilities}`).records,
    legal: parseWith(LegalFileSchema, yaml(KB_FILES.legal), `${label}${KB_FILES.legal}`).records,
  };
  const result = options.overlay === undefined ? kb : applyOverlay(kb, parseOverlay(options.overlay, options.overlayLabel ?? 'overlay'));
  return deepFreeze(result);
}

/** Validate an organisation overlay file (sections vendors, brands, prefixes; all optional). */
export function parseOverlay(text: string, label = 'overlay'): OverlayFile {
  const data = parseYamlText(text, label) ?? {};
  return parseWith(OverlayFileSchema, data, label);
}

/**
 * Add overlay records on top of a KB, marked `origin: 'overlay'`. Shipped records stay; lookups
 * prefer overlay records with the same id, brand name or prefix. Missing sources become an empty
 * list, which verifyKnowledgeBase reports.
 */
export function applyOverlay(kb: KnowledgeBase, overlay: OverlayFile): KnowledgeBase {
  const vendors: Vendor[] = overlay.vendors.map((v) => ({ ...v, sources: v.sources ?? [], origin: 'overlay' }));
  const brands: Brand[] = overlay.brands.map((b) => ({
    ...b,
    id: b.id ?? slugify(b.brand),
    sources: b.sources ?? [],
    origin: 'overlay',
  }));
  const prefixes: PrefixRow[] = overlay.prefixes.map((p) => {
    const hex = hexDigits(p.prefix) ?? '';
    const registry = registryForDigits(hex.length);
    return {
      prefix: colonPrefix(hex),
      hex,
      // An impossible length keeps the row visible to verify; the MAC index skips it.
      registry: registry ?? 'MA-L',
      bits: hex.length * 4,
      group_vendor: p.vendor,
      vendor: p.vendor,
      relation: p.relation ?? 'local knowledge',
      confidence: p.confidence ?? null,
      org_name: p.org_name ?? null,
      address: null,
      country: null,
      note: p.note ?? null,
      sources: p.sources ?? [],
      origin: 'overlay',
    };
  });
  return {
    ...kb,
    vendors: [...kb.vendors, ...vendors],
    brands: [...kb.brands, ...brands],
    prefixes: [...kb.prefixes, ...prefixes],
  };
}

function parseYamlText(text: string, label: string): unknown {
  try {
    return parseYaml(text, { prettyErrors: true });
  } catch (err) {
    const message = (err as Error).message.split('\n')[0];
    throw new CamauditError('invalid_input', `${label}: not valid YAML: ${message}`, { file: label }, { cause: err });
  }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
