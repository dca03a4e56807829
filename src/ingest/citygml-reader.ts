// BGT/IMGeo 2.x CityGML as Dutch municipalities publish it (PDOK downloads, own GIS exports).
// Cameras appear there as `imgeo:Sensor` objects with plus-type "camera"; every other object in
// the file (roads, buildings, other sensors) is counted in a note and left out.
import { CamauditError } from '../core/errors.js';
import type { Cell, SourceRow } from '../core/import/record.js';
import { isRdNewCrsName } from './geojson-reader.js';
import type { ReadOptions, SourceTable } from './table.js';
import { parseXmlSafely, readBoundedText, type XmlNode } from './xml-guard.js';

const HEADERS = ['lokaalID', 'kind', 'bronhouder', 'creationDate', 'bgt-status', 'x', 'y'] as const;

const isNode = (v: unknown): v is XmlNode => typeof v === 'object' && v !== null && !Array.isArray(v);
const asList = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Text content of a leaf element, with or without attributes (`codeSpace` makes it an object). */
function textOf(v: unknown): string | undefined {
  const t = isNode(v) ? v['#text'] : v;
  return typeof t === 'string' && t.trim() !== '' ? t.trim() : undefined;
}

function child(node: unknown, ...path: string[]): unknown {
  let current = node;
  for (const name of path) current = isNode(current) ? current[name] : undefined;
  return current;
}

function attr(node: unknown, name: string): string | undefined {
  const v = isNode(node) ? node[`@_${name}`] : undefined;
  return typeof v === 'string' ? v : undefined;
}

/** "lichtcel ×2, waterpeil" — what was skipped, most frequent first. */
function tally(counts: ReadonlyMap<string, number>): string {
  return [...counts].sort((a, b) => b[1] - a[1]).map(([k, n]) => (n === 1 ? k : `${k} ×${n}`)).join(', ');
}

function count(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

const listRows = (rows: readonly number[]) => rows.slice(0, 20).join(', ') + (rows.length > 20 ? ', …' : '');
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export async function readCityGml(file: string, options: ReadOptions): Promise<SourceTable> {
  const source = await readBoundedText(file, options.maxBytes);
  // Prefixes are per file (imgeo:, ns2:, none), so match on local names; within a Sensor the
  // IMGeo and CityGML local names do not collide.
  const doc = parseXmlSafely(source, file, options.maxBytes, { removeNSPrefix: true });
  const model = doc['CityModel'];
  if (!isNode(model)) throw new CamauditError('invalid_input', 'not a CityGML CityModel', { file });
  // IMGeo requires RD New throughout; a file-wide srsName on the envelope covers points without one.
  const defaultSrs = attr(child(model, 'boundedBy', 'Envelope'), 'srsName');

  const rows: SourceRow[] = [];
  const otherObjects = new Map<string, number>();
  const otherSensors = new Map<string, number>();
  const otherStatus = new Map<string, number>();
  const withoutPoint: number[] = [];
  let assumedRd = false;

  // Row N = Nth cityObjectMember (1-based, skipped members included), so row numbers stay
  // stable whichever objects are skipped and lead back to the member in the file.
  asList(model['cityObjectMember']).forEach((member, index) => {
    const row = index + 1;
    const names = isNode(member) ? Object.keys(member).filter((k) => !k.startsWith('@_')) : [];
    const sensor = isNode(member) ? member['Sensor'] : undefined;
    if (!isNode(sensor)) {
      for (const name of names) count(otherObjects, name);
      return;
    }
    const plusType = textOf(sensor['plus-type']) ?? 'none';
    if (plusType.toLowerCase() !== 'camera') return count(otherSensors, plusType);
    const status = textOf(sensor['bgt-status']) ?? 'none';
    // "historie"/"plan" objects are not (or not yet) in the street; importing them would
    // register cameras that do not hang anywhere.
    if (status.toLowerCase() !== 'bestaand') return count(otherStatus, status);

    const point = child(sensor, 'geometrie2dSensor', 'Point');
    const pos = child(point, 'pos');
    let x: Cell = null;
    let y: Cell = null;
    const coords = textOf(pos)?.split(/\s+/);
    if (coords && coords.length >= 2) {
      const srs = attr(point, 'srsName') ?? attr(pos, 'srsName') ?? defaultSrs;
      if (srs === undefined) assumedRd = true;
      else if (!isRdNewCrsName(srs)) {
        throw new CamauditError('invalid_input', `srsName "${srs}" is not supported; BGT/IMGeo positions must be in EPSG:28992 (RD New)`, { file, row });
      }
      // A token that is not a number is passed on as text so the row import names the bad value.
      const num = (t: string): Cell => (Number.isFinite(Number(t)) ? Number(t) : t);
      x = num(coords[0] ?? '');
      y = num(coords[1] ?? '');
    } else withoutPoint.push(row);

    const lokaalID = textOf(child(sensor, 'identificatie', 'NEN3610ID', 'lokaalID')) ?? null;
    const cells: Cell[] = [lokaalID, 'camera', textOf(sensor['bronhouder']) ?? null, textOf(sensor['creationDate']) ?? null, status, x, y];
    rows.push({ row, cells });
  });

  const notes: string[] = [];
  const total = (m: ReadonlyMap<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  if (otherSensors.size > 0) {
    notes.push(`${plural(total(otherSensors), 'sensor of another type', 'sensors of other types')} skipped (plus-type: ${tally(otherSensors)})`);
  }
  if (otherStatus.size > 0) {
    notes.push(`${plural(total(otherStatus), 'camera', 'cameras')} with bgt-status other than "bestaand" skipped (bgt-status: ${tally(otherStatus)})`);
  }
  if (otherObjects.size > 0) {
    notes.push(`${plural(total(otherObjects), 'other city object', 'other city objects')} skipped (${tally(otherObjects)})`);
  }
  if (withoutPoint.length > 0) {
    notes.push(`${plural(withoutPoint.length, 'camera', 'cameras')} without a point position (rows ${listRows(withoutPoint)})`);
  }
  if (assumedRd) notes.push('positions without srsName read as RD New (EPSG:28992), as IMGeo prescribes');

  return {
    file,
    format: 'citygml',
    headers: HEADERS,
    notes,
    async *rows() {
      yield* rows;
    },
  };
}
