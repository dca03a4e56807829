// A fictional municipality's camera register for demos and screenshots. Modelled on a real 2022
// case: a city found Hikvision and Dahua cameras (some under other labels) at 22 parking-garage
// and sports locations on "closed networks". Deterministic, so demos and tests see the same data.
import type { Analytic, BBox, DeviceKind, DeviceStatus, Position, SiteCategory } from '../core/model.js';
import type { DevicePatch, ImportRecord, NetworkPatch, SitePatch } from '../core/import/record.js';
import { seededRandom } from './random.js';

export const DEMO_ORGANISATION: { slug: 'demo'; name: string; cbsCode: 'GM9999'; country: 'NL'; area: BBox } = {
  slug: 'demo',
  name: 'Gemeente Lindeveld (demo)',
  // GM9999 is not a real CBS code, so the demo can never be mistaken for a real municipality.
  cbsCode: 'GM9999',
  country: 'NL',
  // About 10 x 10 km of rural Drenthe; no real town is modelled.
  area: [6.38, 52.9, 6.53, 52.99],
};

/** A product line: model first, then firmware versions seen in the field (vendor's own notation). */
type Product = readonly [model: string, ...firmware: string[]];
type SerialStyle = 'hik' | 'dahua' | 'mac' | 'digits' | 'alnum';

interface Brand {
  /** The true maker, when the label is the maker; OEM labels leave it to identification. */
  maker?: string;
  oui: readonly string[]; serial: SerialStyle;
  cameras: readonly Product[]; recorders: readonly Product[];
}

const HIK_OUI = ['44:19:b6', 'c0:56:e3', 'bc:ad:28'];
const DAHUA_OUI = ['3c:ef:8c', '9c:14:63', 'e0:50:8b'];

const BRANDS: Record<string, Brand> = {
  Hikvision: {
    maker: 'Hikvision', oui: HIK_OUI, serial: 'hik',
    cameras: [
      ['DS-2CD2143G2-I', 'V5.7.3 build 220112', 'V5.7.12 build 230317'],
      ['DS-2CD2386G2-IU', 'V5.7.3 build 220112', 'V5.7.15 build 230824'],
      ['DS-2CD2047G2-L', 'V5.7.1 build 210527', 'V5.7.3 build 220112'],
      ['DS-2CD2042WD-I', 'V5.4.5 build 160928', 'V5.5.0 build 170725'],
      // Inside the CVE-2017-7921 range: the demo should show what an old garage camera looks like.
      ['DS-2CD2132F-IS', 'V5.3.0 build 150513', 'V5.4.0 build 160530'],
    ],
    recorders: [
      ['DS-7608NXI-I2/8P', 'V4.30.085 build 210923', 'V4.61.025 build 220927'],
      ['DS-7616NI-K2', 'V4.22.005 build 191211', 'V4.30.085 build 210923'],
    ],
  },
  HiWatch: { oui: HIK_OUI, serial: 'hik', recorders: [['HWN-4108MH-8P', 'V4.22.005 build 191211']],
    cameras: [['HWI-B121H', 'V5.5.82 build 190909', 'V5.6.5 build 200316'], ['HWI-T240H', 'V5.6.5 build 200316']] },
  HiLook: { oui: HIK_OUI, serial: 'hik', recorders: [['NVR-108MH-C/8P', 'V4.30.000 build 210329']],
    cameras: [['IPC-B140H', 'V5.5.800 build 210628'], ['IPC-T240H', 'V5.5.800 build 210628', 'V5.7.3 build 220112']] },
  EZVIZ: { oui: ['0c:a6:4c', '20:bb:bc'], serial: 'alnum', recorders: [['CS-X5S-8W', 'V4.1.8 build 190423']],
    cameras: [['CS-CV310-A0-1B2WFR', 'V5.2.7 build 210430', 'V5.3.0 build 221115'], ['CS-C6N-B0-1G2WF', 'V5.3.0 build 220318']] },
  Annke: { oui: HIK_OUI, serial: 'alnum', recorders: [['N46PCK', 'V4.22.005 build 191211']],
    cameras: [['C500', 'V5.5.0 build 190129'], ['I51DL', 'V5.6.2 build 200506']] },
  LTS: { oui: HIK_OUI, serial: 'alnum', recorders: [['LTN8708K-P8', 'V4.1.70 build 181217']],
    cameras: [['CMIP3C42W-28', 'V5.5.3 build 180611'], ['CMIP7442W-28', 'V5.6.0 build 190523']] },
  Dahua: {
    maker: 'Dahua', oui: DAHUA_OUI, serial: 'dahua',
    cameras: [
      ['IPC-HFW2431S-S-S2', 'V2.800.0000000.16.R', 'V2.800.0000000.27.R'], ['IPC-HDBW2431E-S-S2', 'V2.800.0000000.27.R'],
      ['IPC-HDW1431T1-S4', 'V2.800.0000000.8.R', 'V2.820.0000000.5.R'], ['IPC-HFW1230S', 'V2.622.0000000.9.R'],
      ['IPC-HFW5442E-ZE', 'V2.820.0000000.5.R', 'V2.840.0000000.13.R'],
    ],
    recorders: [
      ['DHI-NVR4108HS-8P-4KS2', 'V4.001.0000000.4.R', 'V4.002.0000000.1.R'], ['HCVR5108H', 'V3.210.0000000.2.R'],
      ['DHI-NVR5216-16P-4KS2E', 'V4.001.0000000.4.R'],
    ],
  },
  Lorex: { oui: ['00:1f:54'], serial: 'alnum', recorders: [['LNR6108', 'V3.216.0000000.2.R']],
    cameras: [['LNB4321B', 'V2.622.0000000.5.R'], ['LNE8964AB', 'V2.800.0000000.3.R']] },
  Amcrest: { oui: ['9c:8e:cd'], serial: 'alnum', recorders: [['NV4108E-HS', 'V4.001.00AC000.0.R']],
    cameras: [['IP4M-1051B', 'V2.620.00AC000.3.R'], ['IP8M-2496EB', 'V2.800.00AC000.0.R']] },
  Imou: { oui: DAHUA_OUI, serial: 'dahua', recorders: [['NVR1104HS-W-S2', 'V4.001.0000000.1.R']],
    cameras: [['IPC-F22P', 'V2.800.0000000.9.R'], ['IPC-A22EP', 'V2.640.0000000.3.R']] },
  Axis: {
    maker: 'Axis', oui: ['ac:cc:8e', 'b8:a4:4f'], serial: 'mac', recorders: [['S3008', '10.12.165']],
    cameras: [
      ['P3245-LVE', '9.80.3.8', '10.12.165'], ['M3106-L Mk II', '9.80.3.8', '10.12.165'],
      ['Q6135-LE', '10.12.165', '11.5.64'], ['M3086-V', '10.12.165', '11.5.64'],
    ],
  },
  Bosch: { maker: 'Bosch', oui: ['00:07:5f'], serial: 'digits', recorders: [['DIVAR IP all-in-one 5000', '3.62.0008']],
    cameras: [['FLEXIDOME IP 5000i', '7.72.0029', '8.40.0032'], ['DINION IP 5000 HD', '6.60.0065', '7.10.0076'], ['AUTODOME IP 5000i', '7.80.0128']] },
  Hanwha: { maker: 'Hanwha', oui: ['00:09:18'], serial: 'alnum', recorders: [['XRN-810S', '3.04.20_20220504']],
    cameras: [['XNO-6080R', '2.12.02_20220615'], ['XND-6080RV', '2.12.02_20220615'], ['QNV-6012R', '1.41.01_20211130']] },
  // Mobotix records on the camera's own SD card, so its sites need no recorder.
  Mobotix: { maker: 'Mobotix', oui: ['00:03:c5'], serial: 'digits', cameras: [['M16B', 'MX-V5.2.6.3'], ['S16B', 'MX-V5.4.3.9']], recorders: [] },
  Avigilon: { maker: 'Avigilon', oui: ['00:18:85'], serial: 'digits', recorders: [['NVR5-STD-16TB', '5.4.2.16']],
    cameras: [['2.0C-H5A-BO1-IR', '4.32.0.28'], ['4.0C-H5A-DO1', '4.40.0.34']] },
  // A Milestone appliance is a server: its MAC is the (Intel) network card's.
  Milestone: { maker: 'Milestone', oui: ['3c:fd:fe'], serial: 'alnum', cameras: [], recorders: [['Husky IVO 350R', 'XProtect 2022 R3', 'XProtect 2023 R2']] },
};

/** Years a model was sold, where it matters: a 2020 model must not appear in a 2015 install. */
const SOLD: Record<string, readonly [number, number]> = {
  'DS-2CD2143G2-I': [2020, 2024], 'DS-2CD2386G2-IU': [2020, 2024], 'DS-2CD2047G2-L': [2020, 2024],
  'DS-2CD2042WD-I': [2015, 2018], 'DS-2CD2132F-IS': [2014, 2016], 'DS-7608NXI-I2/8P': [2019, 2024],
  'IPC-HFW2431S-S-S2': [2019, 2024], 'IPC-HDW1431T1-S4': [2019, 2024], 'IPC-HDBW2431E-S-S2': [2019, 2024],
  'IPC-HFW5442E-ZE': [2019, 2024], 'IPC-HFW1230S': [2015, 2018], HCVR5108H: [2014, 2017], 'DHI-NVR4108HS-8P-4KS2': [2018, 2024],
  'iDS-2CD7A26G0/P-IZHS': [2018, 2024], 'iDS-2CD7146G0-IZS': [2018, 2024], 'M3106-L Mk II': [2017, 2024], 'M3086-V': [2020, 2024],
  'XNO-6080R': [2018, 2024], 'XND-6080RV': [2018, 2024], 'IP8M-2496EB': [2019, 2024], 'VTO2202F-P': [2019, 2024],
};

/** A device placed by hand: special analytics, intercoms, encoders. */
interface Extra { brand: string; model: string; kind: DeviceKind; firmware?: string; analytics?: Analytic[] }

// own = the site's own closed network; lan/ors = shared municipal networks.
type NetCode = 'own' | 'own-cloud' | 'own-exposed' | 'lan' | 'ors';

interface SiteSpec {
  name: string; cat: SiteCategory; street: string;
  /** Camera labels, slash-separated; `rec` is the recorder label. */
  cams: string; rec?: string; net: NetCode;
  n?: readonly [number, number]; extras?: readonly Extra[];
  /** The first camera has no recorded legal basis: a gap the demo should surface. */
  gap?: boolean;
}

const HIK_ANPR: Extra = { brand: 'Hikvision', model: 'iDS-2CD7A26G0/P-IZHS', kind: 'camera', firmware: 'V5.5.130 build 210205', analytics: ['anpr'] };
const DAHUA_ANPR: Extra = { brand: 'Dahua', model: 'ITC237-PW6M-IRLZF1050-B', kind: 'camera', firmware: 'V2.622.0000000.4.R', analytics: ['anpr'] };

/** The table starts with the Hikvision/Dahua locations of the case. */
const HIK_DAHUA_SITES = 22;
const SITES: readonly SiteSpec[] = [
  // The 22 Hikvision/Dahua locations.
  { name: 'Parkeergarage Marktplein – inrit', cat: 'parking_garage', street: 'Marktplein', cams: 'Hikvision', rec: 'Hikvision', net: 'own', extras: [HIK_ANPR] },
  { name: 'Parkeergarage Marktplein – uitrit', cat: 'parking_garage', street: 'Marktplein', cams: 'Hikvision', rec: 'Hikvision', net: 'own',
    extras: [{ brand: 'Hikvision', model: 'DS-KV6113-WPE1', kind: 'intercom', firmware: 'V2.2.45 build 220224' }] },
  { name: 'Parkeergarage Stationsplein – inrit', cat: 'parking_garage', street: 'Stationsplein', cams: 'Dahua', rec: 'Dahua', net: 'own-cloud' },
  { name: 'Parkeergarage Stationsplein – uitrit', cat: 'parking_garage', street: 'Stationsplein', cams: 'Dahua', rec: 'Dahua', net: 'own' },
  { name: 'Parkeergarage De Lindenhof – inrit', cat: 'parking_garage', street: 'Lindenhof', cams: 'HiWatch', rec: 'HiWatch', net: 'own' },
  { name: 'Parkeergarage Havenkade – inrit', cat: 'parking_garage', street: 'Havenkade', cams: 'Hikvision/LTS', rec: 'LTS', net: 'own-exposed' },
  { name: 'Parkeergarage Kerkstraat – inrit', cat: 'parking_garage', street: 'Kerkstraat', cams: 'Amcrest', rec: 'Amcrest', net: 'own' },
  { name: 'Parkeerdek Winkelcentrum Esveld', cat: 'parking_garage', street: 'Esveldpassage', cams: 'Lorex', rec: 'Lorex', net: 'own' },
  { name: 'Parkeergarage Zuidpoort – inrit', cat: 'parking_garage', street: 'Zuidpoort', cams: 'Dahua', rec: 'Dahua', net: 'own', extras: [DAHUA_ANPR] },
  { name: 'Parkeergarage Zuidpoort – uitrit', cat: 'parking_garage', street: 'Zuidpoort', cams: 'Dahua', rec: 'Dahua', net: 'own' },
  { name: 'Parkeergarage Gasthuis – inrit', cat: 'parking_garage', street: 'Gasthuisstraat', cams: 'Hikvision/HiLook', rec: 'Hikvision', net: 'own' },
  { name: 'Sporthal De Brink', cat: 'sports_facility', street: 'Brinklaan', cams: 'Hikvision', rec: 'Hikvision', net: 'lan',
    extras: [{ brand: 'Hikvision', model: 'iDS-2CD7146G0-IZS', kind: 'camera', firmware: 'V5.5.120 build 200624', analytics: ['face_recognition'] }] },
  { name: 'Zwembad De Welle', cat: 'sports_facility', street: 'Wellepad', cams: 'Dahua', rec: 'Dahua', net: 'own-cloud' },
  { name: 'Sportpark Esdal – kleedkamers', cat: 'sports_facility', street: 'Esdalweg', cams: 'HiLook', rec: 'HiLook', net: 'own' },
  { name: 'Sportpark Esdal – tennispaviljoen', cat: 'sports_facility', street: 'Esdalweg', cams: 'EZVIZ', rec: 'EZVIZ', net: 'own-cloud' },
  { name: 'Sporthal Lindehoeve', cat: 'sports_facility', street: 'Lindehoeve', cams: 'Dahua/Imou', rec: 'Dahua', net: 'own',
    extras: [{ brand: 'Dahua', model: 'VTO2202F-P', kind: 'intercom', firmware: 'V4.500.0000000.5.R' }] },
  { name: 'IJsbaan De Vennen', cat: 'sports_facility', street: 'Vennenweg', cams: 'Annke', rec: 'Annke', net: 'own' },
  { name: 'Sportpark Noordveld', cat: 'sports_facility', street: 'Noordveldsweg', cams: 'Hikvision', rec: 'Hikvision', net: 'own' },
  { name: 'Gymzaal Beukenlaan', cat: 'sports_facility', street: 'Beukenlaan', cams: 'Lorex', rec: 'Lorex', net: 'own' },
  { name: 'Sportveld Molenkamp', cat: 'sports_facility', street: 'Molenkamp', cams: 'Dahua', rec: 'Dahua', net: 'own' },
  { name: 'Atletiekbaan De Horst', cat: 'sports_facility', street: 'Horsterweg', cams: 'Hikvision', rec: 'Hikvision', net: 'own' },
  { name: 'Sportcentrum De Hoeve – fitnessruimte', cat: 'sports_facility', street: 'Hoeveweg', cams: 'Amcrest', rec: 'Amcrest', net: 'own' },
  // Everything else.
  { name: 'Marktplein', cat: 'public_space', street: 'Marktplein', cams: 'Axis', net: 'ors', n: [3, 5] },
  { name: 'Stationsplein – busstation', cat: 'public_space', street: 'Stationsplein', cams: 'Axis', net: 'ors' },
  { name: 'Uitgaansgebied Brinkstraat', cat: 'public_space', street: 'Brinkstraat', cams: 'Axis', net: 'ors', n: [3, 5] },
  { name: 'Kerkplein', cat: 'public_space', street: 'Kerkplein', cams: 'Bosch', net: 'ors' },
  { name: 'Havenkade', cat: 'public_space', street: 'Havenkade', cams: 'Axis', net: 'ors' },
  { name: 'Molenstraat', cat: 'public_space', street: 'Molenstraat', cams: 'Bosch', net: 'ors', gap: true },
  { name: 'Winkelcentrum Esveld – promenade', cat: 'public_space', street: 'Esveldpassage', cams: 'Axis', net: 'ors' },
  { name: 'Park De Lindenhof', cat: 'public_space', street: 'Lindenhof', cams: 'Hanwha', net: 'ors' },
  { name: 'Stationstunnel', cat: 'public_space', street: 'Stationsweg', cams: 'Axis', net: 'ors' },
  { name: 'Raadhuisplein', cat: 'public_space', street: 'Raadhuisplein', cams: 'Axis', net: 'ors' },
  { name: 'Veemarktterrein', cat: 'public_space', street: 'Veemarkt', cams: 'Bosch', net: 'ors' },
  { name: 'Dorpsstraat Oud-Lindeveld', cat: 'public_space', street: 'Dorpsstraat', cams: 'Hanwha', net: 'ors' },
  { name: 'Fietsenstalling station', cat: 'public_space', street: 'Stationsweg', cams: 'Axis', net: 'ors' },
  { name: 'Speeltuin Molenkamp', cat: 'public_space', street: 'Molenkamp', cams: 'Hanwha', net: 'ors', gap: true },
  { name: 'Kanaalbrug De Vennen', cat: 'public_space', street: 'Kanaalweg', cams: 'Axis', net: 'ors', n: [1, 2] },
  { name: 'Gemeentehuis – hoofdingang', cat: 'office', street: 'Raadhuisplein', cams: 'Avigilon', rec: 'Avigilon', net: 'lan',
    extras: [{ brand: 'Axis', model: 'I8116-E', kind: 'intercom', firmware: '11.5.64' }] },
  // Central recording for the public-space cameras, which have no recorder of their own.
  { name: 'Gemeentehuis – serverruimte', cat: 'office', street: 'Raadhuisplein', cams: '', rec: 'Milestone', net: 'lan', n: [0, 0] },
  { name: 'Gemeentekantoor Zuidpoort', cat: 'office', street: 'Zuidpoort', cams: 'Axis', rec: 'Axis', net: 'lan' },
  { name: 'Wijkcentrum De Kamp', cat: 'office', street: 'De Kamp', cams: 'Hanwha', rec: 'Hanwha', net: 'lan' },
  { name: 'OBS De Regenboog', cat: 'school', street: 'Schoolstraat', cams: 'Hanwha', rec: 'Hanwha', net: 'own' },
  { name: 'CBS De Fontein', cat: 'school', street: 'Fonteinlaan', cams: 'Axis', net: 'own' },
  { name: 'Kindcentrum Het Anker', cat: 'school', street: 'Ankerstraat', cams: 'Mobotix', net: 'own' },
  { name: 'Scholengemeenschap Lindeveld – fietsenstalling', cat: 'school', street: 'Beukenlaan', cams: 'Axis', rec: 'Axis', net: 'lan' },
  { name: 'Gemeentewerf Industrieweg', cat: 'depot', street: 'Industrieweg', cams: 'Axis', rec: 'Milestone', net: 'lan',
    extras: [{ brand: 'Axis', model: 'M7104', kind: 'encoder', firmware: '5.51.7.4' }] },
  { name: 'Milieustraat De Horst', cat: 'depot', street: 'Horsterweg', cams: 'Mobotix', net: 'own' },
  { name: 'Zoutloods Noordveld', cat: 'depot', street: 'Noordveldsweg', cams: 'Mobotix', net: 'own', n: [1, 2] },
  { name: 'Busremise Esveld', cat: 'depot', street: 'Remiseweg', cams: 'Bosch', rec: 'Bosch', net: 'lan' },
  { name: 'Gemeentewerf Oud-Lindeveld', cat: 'depot', street: 'Werfweg', cams: 'Axis', rec: 'Axis', net: 'lan' },
  { name: 'Begraafplaats Esveld', cat: 'other', street: 'Kerkhoflaan', cams: 'Bosch', net: 'lan',
    extras: [{ brand: 'Bosch', model: 'VIDEOJET multi 4000', kind: 'encoder', firmware: '7.10.0060' }] },
  { name: 'Bibliotheek De Boekenberg', cat: 'other', street: 'Brinkstraat', cams: 'Axis', net: 'lan' },
  { name: 'Theater De Schouw', cat: 'other', street: 'Schouwburgplein', cams: 'Bosch', rec: 'Bosch', net: 'lan' },
  { name: 'Museum Oud-Lindeveld', cat: 'other', street: 'Dorpsstraat', cams: 'Mobotix', net: 'own' },
  { name: 'Brandweerkazerne Lindeveld', cat: 'other', street: 'Industrieweg', cams: 'Axis', rec: 'Axis', net: 'lan' },
  { name: 'Gemaal De Vennen', cat: 'other', street: 'Kanaalweg', cams: 'Axis', net: 'own', n: [1, 1] },
  { name: 'Parkeergarage Nieuwe Haven', cat: 'parking_garage', street: 'Nieuwe Haven', cams: 'Axis', rec: 'Milestone', net: 'lan',
    extras: [{ brand: 'Axis', model: 'P1455-LE', kind: 'camera', firmware: '10.12.165', analytics: ['anpr'] }] },
  { name: 'Parkeergarage Stadshart', cat: 'parking_garage', street: 'Stadshart', cams: 'Bosch', rec: 'Bosch', net: 'lan' },
  { name: 'Parkeerkelder Gemeentehuis', cat: 'parking_garage', street: 'Raadhuisplein', cams: 'Avigilon', net: 'lan', n: [1, 2] },
  { name: 'Sporthal Oost', cat: 'sports_facility', street: 'Oosterweg', cams: 'Bosch', rec: 'Bosch', net: 'lan' },
  { name: 'Zwembad Het Vennebad', cat: 'sports_facility', street: 'Vennenweg', cams: 'Hanwha', rec: 'Hanwha', net: 'lan' },
  { name: 'Sportpark Esveld – clubhuis', cat: 'sports_facility', street: 'Esveldweg', cams: 'Axis', net: 'own' },
];

const CAMERAS_PER_SITE: Record<SiteCategory, readonly [number, number]> = {
  parking_garage: [2, 4], sports_facility: [2, 4], public_space: [2, 3],
  office: [1, 3], school: [1, 3], depot: [2, 3], other: [1, 2],
};

const PURPOSE: Record<SiteCategory, string> = {
  parking_garage: 'Toezicht en veiligheid parkeergarage',
  sports_facility: 'Beveiliging tegen inbraak en vandalisme',
  public_space: 'Cameratoezicht openbare orde',
  office: 'Toegangsbeveiliging gemeentelijk gebouw',
  school: 'Beveiliging schoolgebouw buiten schooltijden',
  depot: 'Beveiliging terrein en materieel',
  other: 'Beveiliging gebouw en terrein',
};

const KIND_PURPOSE: Partial<Record<DeviceKind, string>> = {
  recorder: 'Opslag camerabeelden', intercom: 'Intercom toegangsdeur', encoder: 'Aansluiting analoge camera\'s',
};
const ANALYTIC_PURPOSE: Record<Analytic, string> = {
  anpr: 'Kentekenregistratie voor parkeerafhandeling', face_recognition: 'Toegangscontrole leden met gezichtsherkenning',
};

const SUPPLIERS = ['Veiligheidstechniek Noord B.V.', 'Camvisie Drenthe B.V.', 'Securo Systemen B.V.', 'ParkTech Beheer B.V.', 'Van Dijk Beveiliging'];
const INSTALLERS = ['Elektro Hofstra & Zn.', 'Installatiebedrijf Mulder', 'Camvisie Drenthe B.V.', 'Technisch Bureau De Vries', 'Bos Elektrotechniek'];
const POSTCODE_LETTERS = 'ABCEGHJKLMNPRTVWXZ';


const round6 = (n: number) => Math.round(n * 1e6) / 1e6;
const wgs84 = (lat: number, lon: number): Position => {
  const p = { lat: round6(lat), lon: round6(lon) };
  return { ...p, original: { x: p.lon, y: p.lat, crs: 'EPSG:4326' } };
};

function cityOf(name: string): string {
  // The municipality has three villages; sites named after one lie in it.
  return ['Oud-Lindeveld', 'Esveld', 'De Vennen'].find((c) => name.includes(c)) ?? 'Lindeveld';
}

function networkOf(spec: SiteSpec): NetworkPatch {
  switch (spec.net) {
    case 'lan': return { name: 'Gemeentelijk LAN', connectivity: 'internal', remoteAccess: 'none' };
    // The police control room watches public-space cameras live over a VPN.
    case 'ors': return { name: 'Cameranetwerk openbare ruimte', connectivity: 'internal', remoteAccess: 'vpn' };
    case 'own-cloud': return { name: `${spec.name} camera-netwerk`, connectivity: 'isolated', remoteAccess: 'vendor_cloud' };
    case 'own-exposed': return { name: `${spec.name} camera-netwerk`, connectivity: 'internet_exposed', remoteAccess: 'none' };
    case 'own': return { name: `${spec.name} camera-netwerk`, connectivity: 'isolated', remoteAccess: 'none' };
  }
}

export function demoRecords(): ImportRecord[] {
  const r = seededRandom(0x4c1d3f);
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const chars = (n: number, set: string) => Array.from({ length: n }, () => pick([...set])).join('');
  const taken = new Set<string>();
  const unique = (make: () => string): string => {
    for (;;) {
      const v = make();
      if (!taken.has(v)) { taken.add(v); return v; }
    }
  };
  const counters: Record<DeviceKind, number> = { camera: 0, recorder: 0, encoder: 0, intercom: 0, other: 0 };
  const refPrefix: Record<DeviceKind, string> = { camera: 'CAM', recorder: 'REC', encoder: 'ENC', intercom: 'INT', other: 'DEV' };
  const [minLon, minLat, maxLon, maxLat] = DEMO_ORGANISATION.area;
  const records: ImportRecord[] = [];

  SITES.forEach((spec, index) => {
    const hikDahua = index < HIK_DAHUA_SITES;
    // A margin keeps the device positions scattered around a site inside the area too.
    const lat = minLat + 0.005 + r() * (maxLat - minLat - 0.01);
    const lon = minLon + 0.005 + r() * (maxLon - minLon - 0.01);
    const site: SitePatch = {
      name: spec.name, category: spec.cat, address: `${spec.street} ${int(1, 120)}`,
      postcode: `94${int(10, 99)} ${chars(2, POSTCODE_LETTERS)}`, city: cityOf(spec.name), position: wgs84(lat, lon),
    };
    const network = networkOf(spec);
    const subnet = spec.net === 'lan' ? `10.20.${index + 1}` : spec.net === 'ors' ? `10.30.${index + 1}`
      : hikDahua ? `192.168.${index + 1}` : `172.16.${index + 1}`;
    const supplier = pick(SUPPLIERS);
    const installer = pick(INSTALLERS);

    const labels = spec.cams === '' ? [] : spec.cams.split('/');
    const [lo, hi] = spec.n ?? CAMERAS_PER_SITE[spec.cat];
    const cameras = int(lo, hi);
    const recorders = spec.rec ? (cameras >= 4 && r() < 0.3 ? 2 : 1) : 0;
    const plan: Extra[] = [...(spec.extras ?? [])];
    for (let i = 0; i < cameras; i++) {
      const brand = pick(labels);
      const product = pick(BRANDS[brand]!.cameras);
      plan.push({ brand, model: product[0], kind: 'camera', firmware: pick(product.slice(1)) });
    }
    for (let i = 0; i < recorders; i++) {
      const product = pick(BRANDS[spec.rec!]!.recorders);
      plan.push({ brand: spec.rec!, model: product[0], kind: 'recorder', firmware: pick(product.slice(1)) });
    }

    plan.forEach((item, i) => {
      const info = BRANDS[item.brand]!;
      const [from, to] = SOLD[item.model] ?? [2014, 2024];
      const year = int(Math.max(from, hikDahua ? 2014 : 2016), Math.max(from, Math.min(to, hikDahua ? 2021 : 2024)));
      const installDate = `${year}-${String(int(1, 12)).padStart(2, '0')}-${String(int(1, 28)).padStart(2, '0')}`;
      const mac = unique(() => [pick(info.oui), ...Array.from({ length: 3 }, () => chars(2, '0123456789abcdef'))].join(':'));
      const serial = unique(() => {
        switch (info.serial) {
          // Hikvision serials embed the model and production date.
          case 'hik': return `${item.model}${installDate.replaceAll('-', '')}AAWR${chars(9, '0123456789')}`;
          case 'dahua': return chars(15, '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ');
          case 'mac': return mac.replaceAll(':', '').toUpperCase(); // Axis prints the MAC as serial.
          case 'digits': return chars(16, '0123456789');
          case 'alnum': return chars(12, '0123456789ABCDEFGHJKLMNPRSTUVWXYZ');
        }
      });
      const roll = r();
      const status: DeviceStatus = hikDahua
        ? (roll < 0.07 ? 'scheduled' : roll < 0.11 ? 'isolated' : 'active')
        : (roll < 0.02 ? 'scheduled' : 'active');
      const keep = r();
      const device: DevicePatch = {
        kind: item.kind, brand: item.brand, model: item.model, serial, mac,
        ip: `${subnet}.${11 + i}`, status, installDate, supplier, installer,
        externalRef: `${refPrefix[item.kind]}-${String(++counters[item.kind]).padStart(4, '0')}`,
        analytics: item.analytics ?? [],
        retentionDays: keep < 0.05 ? 90 : keep < 0.1 ? 60 : 28,
      };
      if (info.maker) device.manufacturer = info.maker;
      // Registers often lack firmware: about one in eight devices says nothing.
      if (item.firmware && r() >= 0.12) device.firmware = item.firmware;
      device.purpose = (item.analytics?.[0] && ANALYTIC_PURPOSE[item.analytics[0]]) ?? KIND_PURPOSE[item.kind] ?? PURPOSE[spec.cat];
      if (spec.cat === 'public_space') {
        if (!(spec.gap && i === 0)) device.legalBasis = 'Gemeentewet art. 151c';
        device.position = wgs84(lat + (r() - 0.5) * 0.003, lon + (r() - 0.5) * 0.004);
      } else if (r() < 0.75) {
        device.legalBasis = 'AVG art. 6 lid 1 sub e';
      }
      records.push({ row: records.length + 1, device, site: structuredClone(site), network: { ...network } });
    });
  });
  return records;
}
