// When the label on a device names someone other than its true maker ("HiWatch", made by
// Hikvision), and how makers group. The device list filters on the same definitions in SQL
// (store/devices.ts), so every figure the overview shows can be listed device by device; both
// compare text in ASCII lower case because that is what SQLite's lower() does.

/** Lower-cases A–Z only, exactly as SQLite's lower() does, so counts here and filters there agree. */
export function asciiLower(text: string): string {
  return text.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/** Per maker id (lower case): the names that are the maker's own (id, name, legal names, aliases), lower case. */
export type MakerNames = Readonly<Record<string, readonly string[]>>;

export interface NamedVendor {
  id: string;
  name: string;
  legal_names: readonly string[];
  aliases: readonly string[];
}

export function makerNames(vendors: readonly NamedVendor[]): MakerNames {
  const out: Record<string, string[]> = {};
  for (const v of vendors) {
    const id = asciiLower(v.id);
    out[id] = [...new Set([...(out[id] ?? []), ...[v.id, v.name, ...v.legal_names, ...v.aliases].map(asciiLower)])];
  }
  return out;
}

/** The filter value that lists devices without a recorded maker (and without a site, a network). */
export const NO_MAKER = 'none';

/**
 * The key a manufacturer is grouped and filtered by; null when none is recorded. A maker written
 * as "none" is no maker, and the device list's `manufacturer=none` lists exactly these.
 */
export function makerKey(manufacturer: string | null): string | null {
  if (manufacturer === null || manufacturer === '') return null;
  const key = asciiLower(manufacturer);
  return key === NO_MAKER ? null : key;
}

/**
 * Whether the brand shown on the device is another name than its true maker's: an own brand
 * (HiWatch, Hikvision), a subsidiary's (EZVIZ) or a white label (Annke). A maker the knowledge
 * base does not know is compared with its recorded name.
 */
export function isOemLabelled(brand: string | null, manufacturer: string | null, names: MakerNames): boolean {
  if (brand === null || brand === '') return false;
  const maker = makerKey(manufacturer);
  if (maker === null) return false;
  const label = asciiLower(brand);
  const own = names[maker];
  return own ? !own.includes(label) : label !== maker;
}
