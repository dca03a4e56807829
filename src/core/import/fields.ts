// The columns an import understands, and the Dutch and English headers that name them in the
// spreadsheets municipalities actually keep.

export const IMPORT_FIELDS = [
  'id',
  'externalRef',
  'kind',
  'brand',
  'manufacturer',
  'model',
  'firmware',
  'serial',
  'mac',
  'ip',
  'site',
  'siteCategory',
  'address',
  'street',
  'houseNumber',
  'houseNumberAddition',
  'postcode',
  'city',
  'bagId',
  'lat',
  'lon',
  'x',
  'y',
  'network',
  'connectivity',
  'remoteAccess',
  'analytics',
  'status',
  'purpose',
  'legalBasis',
  'retentionDays',
  'supplier',
  'installer',
  'installDate',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** Lower-case, accents and bracketed remarks removed, punctuation to single spaces. */
export function normaliseHeader(header: string): string {
  return header
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\(.*?\)/g, ' ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

// Exact (normalised) header names per field. The first entry is the header camaudit's own
// export writes, so an export re-imports without a mapping.
const SYNONYMS: Record<ImportField, readonly string[]> = {
  id: ['camaudit id'],
  externalRef: [
    'reference', 'referentie', 'referentienummer', 'ref', 'external reference', 'externe referentie',
    'kenmerk', 'asset id', 'asset tag', 'assetnummer', 'objectnummer', 'object id', 'nummer', 'id', 'code',
    'camera id', 'cameranummer', 'lokaalid', 'identificatie',
  ],
  kind: [
    'kind', 'soort', 'device type', 'apparaattype', 'type apparaat', 'soort apparaat', 'kies soort type sensor',
    'soort sensor', 'type sensor', 'categorie apparaat', 'device kind', 'plus type',
  ],
  brand: ['brand', 'merk', 'make', 'merknaam', 'label'],
  manufacturer: ['manufacturer', 'fabrikant', 'producent', 'maker', 'vendor'],
  model: ['model', 'type', 'typenummer', 'modelnummer', 'model number', 'typeaanduiding', 'product'],
  firmware: ['firmware', 'firmwareversie', 'firmware versie', 'firmware version', 'software versie', 'softwareversie'],
  serial: ['serial', 'serienummer', 'serial number', 'serialnumber', 'sn', 's n', 'serie nummer'],
  mac: ['mac', 'mac adres', 'mac address', 'macadres', 'hardware adres'],
  ip: ['ip', 'ip adres', 'ip address', 'ipadres', 'ipv4', 'ip nummer'],
  site: [
    'site', 'locatie', 'location', 'locatienaam', 'location name', 'object', 'gebouw', 'building', 'pand',
    'omschrijving van de locatie van de sensor', 'locatie omschrijving', 'vestiging',
  ],
  siteCategory: ['site category', 'locatietype', 'type locatie', 'categorie locatie', 'locatiecategorie', 'location type'],
  address: ['address', 'adres', 'locatie adres', 'straat en huisnummer', 'adres locatie'],
  street: ['street', 'straat', 'straatnaam', 'openbare ruimte'],
  houseNumber: ['house number', 'huisnummer', 'huisnr', 'nr'],
  houseNumberAddition: ['house number addition', 'toevoeging', 'huisnummertoevoeging', 'huisletter'],
  postcode: ['postcode', 'postal code', 'zip', 'zipcode'],
  city: ['city', 'plaats', 'plaatsnaam', 'woonplaats', 'stad'],
  bagId: ['bag id', 'bag', 'bag identificatie', 'verblijfsobject id', 'pand id', 'bag pand id'],
  lat: ['lat', 'latitude', 'breedtegraad', 'wgs84 lat', 'y wgs84'],
  lon: ['lon', 'lng', 'long', 'longitude', 'lengtegraad', 'wgs84 lon', 'x wgs84'],
  x: ['x', 'x coordinaat', 'x coord', 'rd x', 'x rd', 'coordinaat x', 'xcoord'],
  y: ['y', 'y coordinaat', 'y coord', 'rd y', 'y rd', 'coordinaat y', 'ycoord'],
  network: ['network', 'netwerk', 'netwerknaam', 'vlan', 'segment', 'netwerksegment'],
  connectivity: ['connectivity', 'verbinding', 'netwerktype', 'type netwerk', 'aansluiting', 'netwerkverbinding'],
  remoteAccess: ['remote access', 'toegang op afstand', 'externe toegang', 'cloud', 'p2p', 'cloudtoegang', 'remote'],
  analytics: ['analytics', 'analyse', 'videoanalyse', 'beeldanalyse', 'slimme functies'],
  status: ['status', 'state', 'staat'],
  purpose: ['purpose', 'doel', 'doelstelling', 'doelbinding', 'waarvoor meet u dat', 'doel van de camera'],
  legalBasis: ['legal basis', 'grondslag', 'wettelijke grondslag', 'rechtsgrond', 'juridische grondslag'],
  retentionDays: ['retention days', 'bewaartermijn', 'retention', 'opslagduur', 'bewaarduur', 'bewaartermijn dagen'],
  supplier: ['supplier', 'leverancier', 'verkoper'],
  installer: ['installer', 'installateur', 'installatiebedrijf', 'onderhoudspartij'],
  installDate: [
    'install date', 'installatiedatum', 'datum installatie', 'plaatsingsdatum', 'datum plaatsing', 'installed',
    'ingebruikname', 'datum ingebruikname',
  ],
};

const BY_HEADER: ReadonlyMap<string, ImportField> = new Map(
  IMPORT_FIELDS.flatMap((field) => SYNONYMS[field].map((h) => [h, field] as const)),
);

/** The field a header names, or undefined when camaudit does not know it. */
export function fieldForHeader(header: string): ImportField | undefined {
  return BY_HEADER.get(normaliseHeader(header));
}

/** The header camaudit's own export writes for a field. */
export function exportHeader(field: ImportField): string {
  return SYNONYMS[field][0]!;
}

export function isImportField(name: string): name is ImportField {
  return (IMPORT_FIELDS as readonly string[]).includes(name);
}
