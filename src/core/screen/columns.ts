// A supplier's equipment list as bid lines. Bid lists are not registers: they name what is
// offered (brand, model, components, firmware, country of origin), not where it hangs, so they get
// their own small header mapping in Dutch and English rather than the register import's.
import { CamauditError } from '../errors.js';
import { cellText, type SourceRow } from '../import/record.js';

export const BID_FIELDS = ['brand', 'manufacturer', 'model', 'kind', 'components', 'firmware', 'origin', 'description'] as const;
export type BidField = (typeof BID_FIELDS)[number];

/** One offered item as the supplier wrote it; null where the list says nothing. */
export interface BidLine {
  /** Row number as the user sees it in the file (header row = 1). */
  row: number;
  brand: string | null;
  manufacturer: string | null;
  model: string | null;
  kind: string | null;
  components: string | null;
  firmware: string | null;
  origin: string | null;
  description: string | null;
}

// Header texts as normalised by headerKey(). "type" is the model in Dutch bid lists
// ("Merk / Type"), so it maps to the model, not to the kind of device.
const ALIASES: Readonly<Record<BidField, readonly string[]>> = {
  brand: ['brand', 'merk', 'merknaam', 'brand name', 'label', 'make'],
  manufacturer: ['manufacturer', 'fabrikant', 'producent', 'maker', 'vendor'],
  model: ['model', 'type', 'typenummer', 'typenr', 'type nr', 'modelnummer', 'model number', 'model no', 'product model', 'artikelnummer', 'part number'],
  kind: ['kind', 'soort', 'device type', 'apparaat', 'categorie', 'category', 'product type', 'soort apparaat'],
  components: ['components', 'componenten', 'component', 'onderdelen', 'parts', 'bestanddelen'],
  firmware: ['firmware', 'firmwareversie', 'firmware versie', 'firmware version', 'software', 'softwareversie', 'software versie', 'software version', 'versie', 'version'],
  origin: ['country of origin', 'land van herkomst', 'herkomst', 'herkomstland', 'origin', 'country', 'land', 'made in', 'land van productie', 'country of manufacture'],
  description: ['description', 'omschrijving', 'beschrijving', 'product', 'productnaam', 'product name', 'naam', 'name'],
};

const BY_KEY: ReadonlyMap<string, BidField> = new Map(BID_FIELDS.flatMap((f) => ALIASES[f].map((a) => [a, f] as const)));

function headerKey(text: string): string {
  return text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
}

/** Column index per field; the first column with a field's name wins. */
export type BidColumns = Partial<Record<BidField, number>>;

/**
 * Which column holds which field. A header such as "Merk / Brand" counts when any of its parts
 * is a known name. A list without brand, maker and model columns is not an equipment list.
 */
export function mapBidColumns(headers: readonly string[], file: string): BidColumns {
  const out: BidColumns = {};
  headers.forEach((header, index) => {
    const key = headerKey(header);
    const field = BY_KEY.get(key) ?? header.split(/[/|()]/).map(headerKey).map((k) => BY_KEY.get(k)).find((f) => f !== undefined);
    if (field !== undefined && out[field] === undefined) out[field] = index;
  });
  if (out.brand === undefined && out.manufacturer === undefined && out.model === undefined) {
    throw new CamauditError('invalid_input', `${file}: no brand (merk), manufacturer (fabrikant) or model (type) column; found: ${headers.join(', ') || 'no headers'}`, { file });
  }
  return out;
}

/** The bid line a row gives, or null for an empty row. */
export function toBidLine(source: SourceRow, columns: BidColumns): BidLine | null {
  const value = (field: BidField): string | null => {
    const index = columns[field];
    if (index === undefined) return null;
    const text = cellText(source.cells[index]).trim();
    return text === '' ? null : text;
  };
  const line: BidLine = { row: source.row, brand: null, manufacturer: null, model: null, kind: null, components: null, firmware: null, origin: null, description: null };
  for (const field of BID_FIELDS) line[field] = value(field);
  return BID_FIELDS.every((f) => line[f] === null) ? null : line;
}
