// Captures often hold several answers back to back (one per reply to a multicast probe): several
// XML documents, or several JSON objects. These helpers cut them apart before parsing.
import { parseXmlSafely, type XmlNode } from '../../../ingest/xml-guard.js';
import { MAX_XML_BYTES } from './common.js';

/**
 * Parse one or more XML documents. Each `<?xml` declaration after the first starts a new
 * document; every piece goes through the guard, so a DOCTYPE anywhere is refused.
 */
export function parseXmlDocuments(text: string, source: string, removeNSPrefix = true): XmlNode[] {
  const starts: number[] = [];
  const declaration = /<\?xml\b/g;
  for (let m = declaration.exec(text); m; m = declaration.exec(text)) starts.push(m.index);
  if (starts.length <= 1) return [parseXmlSafely(text.trim(), source, MAX_XML_BYTES, { removeNSPrefix })];
  const pieces = [text.slice(0, starts[0]), ...starts.map((start, i) => text.slice(start, starts[i + 1]))];
  return pieces
    .map((piece) => piece.trim())
    .filter((piece) => piece !== '')
    .map((piece) => parseXmlSafely(piece, source, MAX_XML_BYTES, { removeNSPrefix }));
}

/** Every `xmlns` / `xmlns:p` URI declared in the text, in order, without repeats. */
export function declaredNamespaces(text: string): string[] {
  const found = new Set<string>();
  const attr = /\sxmlns(?::[\w.-]+)?\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
  for (let m = attr.exec(text); m; m = attr.exec(text)) {
    const uri = (m[1] ?? m[2] ?? '').trim();
    if (uri) found.add(uri);
  }
  return [...found];
}

/**
 * Top-level JSON values (`{…}` or `[…]`) in a text that may hold several concatenated. String
 * contents are skipped so braces inside values do not count. An unbalanced tail is returned
 * whole, so a damaged object still reaches the tolerant reader.
 */
export function splitJsonValues(text: string): string[] {
  const values: string[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = depth > 0;
    else if (c === '{' || c === '[') {
      if (depth === 0) start = i;
      depth++;
    } else if ((c === '}' || c === ']') && depth > 0) {
      depth--;
      if (depth === 0) values.push(text.slice(start, i + 1));
    }
  }
  if (depth > 0 && start >= 0) values.push(text.slice(start));
  return values;
}

export function tryJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
