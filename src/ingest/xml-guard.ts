// The one way camaudit reads XML. Registers arrive from outside (suppliers, GIS exports, scanner
// output), so XML is treated as hostile until proven plain: no DTDs at all, a size cap, and
// validation before parsing so a broken file is reported with a line number instead of a
// half-parsed object.
import { readFile, stat } from 'node:fs/promises';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { CamauditError } from '../core/errors.js';

/** A parsed XML element: child elements by name, attributes as `@_name`, text as `#text`. */
export type XmlNode = Record<string, unknown>;

export interface XmlParseOptions {
  /** Drop namespace prefixes (`imgeo:Sensor` → `Sensor`) for formats whose prefixes vary per file. */
  removeNSPrefix?: boolean;
}

// A DTD is the door for both external entities (XXE: reading local files, SSRF) and entity
// expansion (billion laughs). No register format camaudit reads needs one, so any DOCTYPE or
// ENTITY declaration refuses the whole document rather than trying to neutralise it.
const DTD = /<!\s*(?:DOCTYPE|ENTITY)/i;

// With `processEntities: false` the parser leaves even `&amp;` undecoded. The five predefined
// entities and character references cannot expand or reach outside the document, so they are
// decoded here in one pass (one pass keeps `&amp;lt;` as the literal text `&lt;`).
const PREDEFINED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const REFERENCE = /&(?:(amp|lt|gt|quot|apos)|#(\d{1,7})|#x([0-9a-fA-F]{1,6}));/g;

function decodeReferences(value: string): string {
  if (!value.includes('&')) return value;
  return value.replace(REFERENCE, (whole, name: string | undefined, dec: string | undefined, hex: string | undefined) => {
    if (name) return PREDEFINED[name] ?? whole;
    const code = dec !== undefined ? Number.parseInt(dec, 10) : Number.parseInt(hex ?? '', 16);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/**
 * Parse `text` (the contents of `file`) after refusing DTDs and oversize input. Values stay
 * strings: identifiers such as BGT lokaalIDs or serial numbers have leading zeros and more digits
 * than a double holds, so number parsing is left to the caller.
 */
export function parseXmlSafely(text: string, file: string, maxBytes: number, options: XmlParseOptions = {}): XmlNode {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > maxBytes) {
    throw new CamauditError('hostile_input', `XML document is ${bytes} bytes, more than the limit of ${maxBytes}`, { file });
  }
  const dtd = DTD.exec(text);
  if (dtd) {
    throw new CamauditError(
      'hostile_input',
      'DOCTYPE/entity declarations are not accepted (XML external entity / entity expansion)',
      { file, row: lineOf(text, dtd.index) },
    );
  }
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new CamauditError('invalid_input', `not well-formed XML: ${valid.err.msg}`, { file, row: valid.err.line });
  }
  const parser = new XMLParser({
    processEntities: false,
    ignoreAttributes: false,
    removeNSPrefix: options.removeNSPrefix ?? false,
    parseTagValue: false,
    parseAttributeValue: false,
    tagValueProcessor: (_name, value) => decodeReferences(value),
    attributeValueProcessor: (_name, value) => decodeReferences(value),
  });
  return parser.parse(text) as XmlNode;
}

/**
 * Read a text file, refusing it by its size on disk before reading it into memory. Shared by the
 * geo readers; a leading byte-order mark is dropped because JSON.parse and the XML validator
 * both reject it.
 */
export async function readBoundedText(file: string, maxBytes: number): Promise<string> {
  let size: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new CamauditError('invalid_input', 'not a regular file', { file });
    size = info.size;
  } catch (err) {
    if (err instanceof CamauditError) throw err;
    const code = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'not_found' : 'invalid_input';
    throw new CamauditError(code, `cannot read file: ${(err as Error).message}`, { file }, { cause: err });
  }
  if (size > maxBytes) {
    throw new CamauditError('hostile_input', `file is ${size} bytes, more than the limit of ${maxBytes}`, { file });
  }
  const buffer = await readFile(file);
  // The file may have grown between stat and read.
  if (buffer.length > maxBytes) {
    throw new CamauditError('hostile_input', `file is ${buffer.length} bytes, more than the limit of ${maxBytes}`, { file });
  }
  const text = buffer.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
