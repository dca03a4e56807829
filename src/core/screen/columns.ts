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
  brand: ['brand', 'merk', 'merknaam', 'brand name', 'label', 'make', 'fabrikaat'],
  manufacturer: ['manufacturer', 'fabrikant', 'producent', 'maker', 'vendor'],
  model: ['model', 'type', 'typenummer', 'typenr', 'type nr', 'modelnummer', 'model number', 'model no', 'product model', 'artikelnummer', 'part number'],
  kind: ['kind', 'soort', 'device type', 'apparaat', 'categorie', 'category', 'product type', 'soort apparaat'],
  components: ['components', 'componenten', 'component', 'onderdelen', 'parts', 'bestanddelen'],
  firmware: ['firmware', 'firmwareversie', 'firmware versie', 'firmware version', 'software', 'softwareversie', 'software versie', 'software version', 'versie', 'version', 'versie firmware', 'fw', 'fw version', 'fw versie', 'firmware release'],
  origin: ['country of origin', 'land van herkomst', 'herkomst', 'herkomstland', 'origin', 'country', 'land', 'made in', 'land van productie', 'country of manufacture', 'land van oorsprong', 'oorsprong', 'coo', 'land van fabricage'],
  description: ['description', 'omschrijving', 'beschrijving', 'product', 'productnaam', 'product name', 'naam', 'name'],
};

const BY_KEY: ReadonlyMap<string, BidField> = new Map(BID_FIELDS.flatMap((f) => ALIASES[f].map((a) => [a, f] as const)));

// One column holding brand and type together ("Merk/Type": "Hikvision DS-2CD2143G2-I"): read as
// one field, or a heading split on "/" would take only its first half and lose the other.
const BRAND_MODEL_KEYS: ReadonlySet<string> = new Set(['merk type', 'merk en type', 'merk model', 'merk en model', 'fabrikaat type', 'fabrikaat en type',
  'brand model', 'brand and model', 'make model', 'make and model', 'manufacturer model', 'fabrikant type']);

function headerKey(text: string): string {
  return text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
}

/** Column index per field; the first column with a field's name wins. `brandModel`: a combined brand-and-type column. */
export type BidColumns = Partial<Record<BidField | 'brandModel', number>>;

/**
 * Which column holds which field. A header such as "Merk / Brand" counts when any of its parts
 * is a known name. A list without brand, maker and model columns is not an equipment list.
 */
export function mapBidColumns(headers: readonly string[], file: string): BidColumns {
  const out: BidColumns = {};
  headers.forEach((header, index) => {
    const key = headerKey(header);
    if (BRAND_MODEL_KEYS.has(key)) {
      if (out.brandModel === undefined) out.brandModel = index;
      return;
    }
    const field = BY_KEY.get(key) ?? header.split(/[/|()]/).map(headerKey).map((k) => BY_KEY.get(k)).find((f) => f !== undefined);
    if (field !== undefined && out[field] === undefined) out[field] = index;
  });
  if (out.brand === undefined && out.manufacturer === undefined && out.model === undefined && out.brandModel === undefined) {
    throw new CamauditError('invalid_input', `${file}: no brand (merk), manufacturer (fabrikant) or model (type) column; found: ${headers.join(', ') || 'no headers'}`, { file });
  }
  return out;
}

/** The headings no field was read from, so the user learns what the screening did not look at. */
export function ignoredBidColumns(headers: readonly string[], columns: BidColumns): string[] {
  const used = new Set(Object.values(columns));
  return headers.filter((h, i) => !used.has(i) && h.trim() !== '');
}

/** The bid line a row gives, or null for an empty row. */
export function toBidLine(source: SourceRow, columns: BidColumns): BidLine | null {
  const value = (field: BidField | 'brandModel'): string | null => {
    const index = columns[field];
    if (index === undefined) return null;
    const text = cellText(source.cells[index]).trim();
    return text === '' ? null : text;
  };
  const line: BidLine = { row: source.row, brand: null, manufacturer: null, model: null, kind: null, components: null, firmware: null, origin: null, description: null };
  for (const field of BID_FIELDS) line[field] = value(field);
  // The combined cell is both: identification finds the brand in it, the KEV check the type.
  const combined = value('brandModel');
  line.brand ??= combined;
  line.model ??= combined;
  return BID_FIELDS.every((f) => line[f] === null) ? null : line;
}
