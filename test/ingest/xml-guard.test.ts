import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CamauditError } from '../../src/core/errors.js';
import { parseXmlSafely, readBoundedText } from '../../src/ingest/xml-guard.js';

const HOSTILE = join(import.meta.dirname, '..', 'fixtures', 'hostile');
const MB = 1024 * 1024;

function failure(run: () => unknown): CamauditError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(CamauditError);
    return err as CamauditError;
  }
  throw new Error('expected a CamauditError');
}

describe('parseXmlSafely', () => {
  it('parses plain XML with attributes, namespaces kept, values as strings', () => {
    const doc = parseXmlSafely('<a:root xmlns:a="urn:x"><a:id kind="lokaal">0599100000012345</a:id></a:root>', 'f.xml', MB);
    expect(doc).toMatchObject({ 'a:root': { 'a:id': { '#text': '0599100000012345', '@_kind': 'lokaal' } } });
  });

  it('drops namespace prefixes on request', () => {
    const doc = parseXmlSafely('<a:root xmlns:a="urn:x"><a:id>1</a:id></a:root>', 'f.xml', MB, { removeNSPrefix: true });
    expect(doc).toMatchObject({ root: { id: '1' } });
  });

  it('decodes the predefined entities and character references exactly once', () => {
    const doc = parseXmlSafely('<r t="a&amp;b">Markt &amp; Plein &#233;&#x20AC; &amp;lt;</r>', 'f.xml', MB);
    expect(doc['r']).toEqual({ '#text': 'Markt & Plein é€ &lt;', '@_t': 'a&b' });
  });

  it.each(['xxe-external-entity.xml', 'billion-laughs.xml'])('refuses %s as hostile, naming DOCTYPE', async (name) => {
    const text = await readFile(join(HOSTILE, name), 'utf8');
    const err = failure(() => parseXmlSafely(text, name, MB));
    expect(err.code).toBe('hostile_input');
    expect(err.message).toBe('DOCTYPE/entity declarations are not accepted (XML external entity / entity expansion)');
    expect(err.location).toEqual({ file: name, row: 2 });
  });

  it('refuses DOCTYPE and ENTITY in any case, also after a comment or without a DOCTYPE', () => {
    for (const text of ['<!doctype r><r/>', '<!-- x -->\n<!DocType r [ ]><r/>', '<!entity x "y"><r/>']) {
      expect(failure(() => parseXmlSafely(text, 'f.xml', MB)).code).toBe('hostile_input');
    }
  });

  it('refuses text longer than maxBytes, counting UTF-8 bytes', () => {
    const err = failure(() => parseXmlSafely('<r>ééééé</r>', 'big.xml', 12));
    expect(err.code).toBe('hostile_input');
    expect(err.message).toContain('more than the limit of 12');
    expect(parseXmlSafely('<r>éé</r>', 'ok.xml', 11)).toEqual({ r: 'éé' });
  });

  it('reports malformed XML as invalid input with the line', () => {
    const err = failure(() => parseXmlSafely('<root>\n  <a>\n  </b>\n</root>', 'broken.xml', MB));
    expect(err.code).toBe('invalid_input');
    expect(err.message).toMatch(/^not well-formed XML: /);
    expect(err.location).toEqual({ file: 'broken.xml', row: 3 });
  });

  it('reports non-XML as invalid input', () => {
    expect(failure(() => parseXmlSafely('{"type":"FeatureCollection"}', 'f.xml', MB)).code).toBe('invalid_input');
    expect(failure(() => parseXmlSafely('', 'f.xml', MB)).code).toBe('invalid_input');
  });
});

describe('readBoundedText', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'camaudit-guard-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads UTF-8 and drops a byte-order mark', async () => {
    const file = join(dir, 'bom.xml');
    await writeFile(file, '\uFEFF<r/>');
    expect(await readBoundedText(file, 100)).toBe('<r/>');
  });

  it('refuses an oversize file by its size on disk', async () => {
    const file = join(dir, 'big.xml');
    await writeFile(file, `<r>${'x'.repeat(200)}</r>`);
    await expect(readBoundedText(file, 100)).rejects.toMatchObject({ code: 'hostile_input', location: { file } });
  });

  it('reports a missing file as not found', async () => {
    await expect(readBoundedText(join(dir, 'nope.xml'), 100)).rejects.toMatchObject({ code: 'not_found' });
  });
});
