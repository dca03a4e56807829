// A synthetic but realistic Dutch camera register for the benchmarks: the shape municipalities
// export from Excel (`;`-separated, CRLF, UTF-8 with BOM, decimal commas, dd-mm-yyyy). Every
// row is a new, valid device, so an import of N rows must create exactly N devices.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { seededRandom } from '../src/lab/random.js';

export const REGISTER_HEADERS = [
  'Referentie', 'Merk', 'Type', 'Firmware', 'Serienummer', 'MAC-adres', 'IP-adres', 'Locatie', 'Categorie locatie',
  'Netwerk', 'Verbinding', 'Latitude', 'Longitude', 'Installatiedatum', 'Bewaartermijn', 'Doel', 'Opmerking',
] as const;

interface Brand { name: string; oui: string; serial: string; models: readonly string[]; firmware: readonly string[] }

const BRANDS: readonly Brand[] = [
  { name: 'Hikvision', oui: '44:19:b6', serial: 'DS', models: ['DS-2CD2143G2-I', 'DS-2CD2386G2-IU', 'DS-2DE4425IW-DE'], firmware: ['V5.7.3 build 220112', 'V5.5.800'] },
  { name: 'Dahua', oui: '3c:ef:8c', serial: '7G0', models: ['IPC-HFW2431S-S-S2', 'IPC-HDBW2231R-ZS', 'SD49225XA-HNR'], firmware: ['V2.800.0000000.25.R', 'V2.820.0000000.5.R'] },
  { name: 'Axis', oui: 'ac:cc:8e', serial: 'ACCC8E', models: ['P3245-LVE', 'Q6135-LE', 'M3106-L Mk II'], firmware: ['10.12.165', '11.2.68'] },
  { name: 'Bosch', oui: '00:07:5f', serial: '0440', models: ['FLEXIDOME IP 5000i', 'DINION IP 3000i', 'AUTODOME IP 4000i'], firmware: ['7.80.0128', '8.40.0029'] },
  { name: 'Hanwha', oui: '00:09:18', serial: 'ZN7', models: ['XNV-6080R', 'QNO-6082R', 'PNM-9085RQZ'], firmware: ['2.21.04', '1.41.02'] },
  { name: 'Uniview', oui: '24:28:fd', serial: '210235', models: ['IPC2124LB-SF28KM-G', 'IPC3614SR3-ADF28KM-G'], firmware: ['IPC_G6103-B0008P62D1907'] },
];

const CATEGORIES: readonly { label: string; prefix: string }[] = [
  { label: 'Openbare ruimte', prefix: 'Cameralocatie' }, { label: 'Parkeergarage', prefix: 'Parkeergarage' },
  { label: 'Sporthal', prefix: 'Sporthal' }, { label: 'Kantoor', prefix: 'Stadskantoor' },
  { label: 'School', prefix: 'Brede school' }, { label: 'Gemeentewerf', prefix: 'Gemeentewerf' },
  { label: 'Overig', prefix: 'Object' },
];

const STREETS = [
  'Stationsplein', 'Grote Markt', 'Museumplein', 'Oude Gracht', 'Brink', 'Kerkstraat', 'Dorpsstraat',
  'Havenkade', 'Marktplein', 'Raadhuisplein', 'Sportlaan', 'Zuidoost', 'Café-terras Vismarkt', 'Noorderpark',
  'Beatrixlaan', 'Julianaplein', "'s-Gravendijkwal", 'IJsselkade', 'Westerhaven', 'Coöperatiepad',
] as const;

const CONNECTIVITY = ['Gesloten netwerk', 'Intern', 'Gemeentelijk netwerk', 'Internet', 'Onbekend'] as const;
const PURPOSES = ['Toezicht openbare orde', 'Beveiliging gebouw', 'Verkeersveiligheid', 'Bescherming eigendommen', 'Toegangscontrole'] as const;
const RETENTION = ['28 dagen', '7 dagen', '14 dagen', '4 weken', '72 uur'] as const;
const REMARKS = ['', '', '', '', 'Vervangen na storing; zie melding 2023-114', 'Camera "oud" model, vervanging gepland', 'Beeld deels afgeschermd (privacymasker)'] as const;

const NETWORK_COUNT = 40;

interface SiteSpec { name: string; category: string; network: number; lat: number; lon: number }

function makeSites(count: number, random: () => number): SiteSpec[] {
  return Array.from({ length: count }, (_, s) => {
    const category = CATEGORIES[Math.floor(random() * CATEGORIES.length)]!;
    // The (street, number) pair is unique per site, so names never collide, whatever the category.
    const name = `${category.prefix} ${STREETS[s % STREETS.length]} ${Math.floor(s / STREETS.length) + 1}`;
    return {
      name, category: category.label, network: Math.floor(random() * NETWORK_COUNT),
      lat: 51.05 + random() * 1.9, lon: 4.05 + random() * 1.9,
    };
  });
}

const pick = <T>(list: readonly T[], random: () => number): T => list[Math.floor(random() * list.length)]!;
const pad = (n: number, width: number) => String(n).padStart(width, '0');
const hex = (n: number) => n.toString(16).padStart(2, '0');

function csvCell(text: string): string {
  return /[";\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Registers mix decimal points and commas in one column; the importer must read both. */
function coordinate(value: number, random: () => number): string {
  const text = value.toFixed(random() < 0.5 ? 4 : 6);
  return random() < 0.5 ? text.replace('.', ',') : text;
}

function row(i: number, sites: readonly SiteSpec[], random: () => number): string {
  const brand = pick(BRANDS, random);
  const site = pick(sites, random);
  // Unique keys derive from the row number: MAC and IP from its bytes, serial and reference from its digits.
  const mac = `${brand.oui}:${hex((i >>> 16) & 255)}:${hex((i >>> 8) & 255)}:${hex(i & 255)}`;
  const ip = `10.${1 + (Math.floor(i / 64516) % 254)}.${1 + (Math.floor(i / 254) % 254)}.${1 + (i % 254)}`;
  const date = `${pad(1 + Math.floor(random() * 28), 2)}-${pad(1 + Math.floor(random() * 12), 2)}-${2012 + Math.floor(random() * 13)}`;
  const cells = [
    `CAM-${pad(i + 1, 7)}`, brand.name, pick(brand.models, random), pick(brand.firmware, random),
    `${brand.serial}${pad(i + 1, 9)}`, random() < 0.8 ? mac : mac.toUpperCase().replace(/:/g, '-'), ip,
    site.name, site.category, `VLAN ${100 + site.network} Cameratoezicht`, CONNECTIVITY[site.network % CONNECTIVITY.length]!,
    coordinate(site.lat + (random() - 0.5) * 0.002, random), coordinate(site.lon + (random() - 0.5) * 0.002, random),
    date, pick(RETENTION, random), pick(PURPOSES, random), pick(REMARKS, random),
  ];
  return cells.map(csvCell).join(';');
}

/**
 * Writes `rows` devices to `file`. Lines are written in blocks and the writer waits for 'drain'
 * whenever the stream's buffer is full, so memory stays flat even for millions of rows.
 */
export async function writeRegisterCsv(file: string, rows: number, seed = 20240601): Promise<void> {
  if (rows > 16_000_000) throw new Error('at most 16 million rows: MAC addresses use three bytes of the row number');
  const random = seededRandom(seed);
  const sites = makeSites(1000, random);
  const out = createWriteStream(file);
  const failed = once(out, 'error').then(([err]) => Promise.reject(err as Error));
  failed.catch(() => undefined);
  const write = async (text: string) => {
    if (!out.write(text)) await Promise.race([once(out, 'drain'), failed]);
  };
  await write('\uFEFF' + REGISTER_HEADERS.join(';') + '\r\n');
  let block: string[] = [];
  for (let i = 0; i < rows; i++) {
    block.push(row(i, sites, random));
    if (block.length === 1000) {
      await write(block.join('\r\n') + '\r\n');
      block = [];
    }
  }
  if (block.length > 0) await write(block.join('\r\n') + '\r\n');
  out.end();
  await Promise.race([once(out, 'finish'), failed]);
}
