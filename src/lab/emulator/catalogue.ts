// The lab's device catalogue: what each emulated device is and what its protocols reveal. Models,
// firmware notation, serial formats, MAC prefixes, banners, realms and certificate names follow
// each maker's real devices (test/fixtures/devices, shared/reference/discovery-protocols.md and
// the KB's own OUI table), so identification meets in the lab what it meets in the field.
// Pure and seeded: the same seed gives the same devices, address for address.
import { CamauditError } from '../../core/errors.js';
import { fromNumber, parseRange, toNumber } from '../../discover/scope.js';
import { seededRandom } from '../random.js';
import type { LabDevice, LabProtocol, LabWeb } from './types.js';

export const TEMPLATES = [
  'hikvision-camera', 'hikvision-nvr', 'hikvision-oem', 'dahua-camera', 'dahua-nvr', 'lorex-nvr', 'amcrest-camera',
  'axis-camera', 'bosch-camera', 'hanwha-camera', 'uniview-camera', 'printer', 'router', 'nas',
] as const;
export type Template = (typeof TEMPLATES)[number];

/** What `--truth-out` writes: what a scan of the lab should find, one entry per device. */
export type LabTruth = Pick<LabDevice, 'ip' | 'manufacturer' | 'brand' | 'model' | 'firmware' | 'serial' | 'mac' | 'kind' | 'template'>;

type Random = () => number;
type Channel = LabDevice['channels'][number];

const pick = <T>(r: Random, items: readonly T[]): T => items[Math.floor(r() * items.length)]!;
const chance = (r: Random, p: number) => r() < p;
const between = (r: Random, low: number, high: number) => low + Math.floor(r() * (high - low + 1));

const DIGITS = '0123456789';
const LETTERS = 'ABCDEFGHJKLMNPRSTUVWXYZ';
const UPPER_ALNUM = DIGITS + LETTERS;
const HEX = '0123456789abcdef';
const chars = (r: Random, alphabet: string, n: number) => Array.from({ length: n }, () => pick(r, [...alphabet])).join('');

function mac(r: Random, prefixes: readonly string[]): string {
  const tail = Array.from({ length: 3 }, () => chars(r, HEX, 2));
  return [pick(r, prefixes).toLowerCase(), ...tail].join(':');
}
const macHex = (m: string) => m.replace(/:/g, '');

/** A per-device password, as an owner sets one at activation. */
const password = (r: Random) => `Lab-${chars(r, UPPER_ALNUM, 4)}-${chars(r, DIGITS, 4)}`;

/** `yyyymmdd` of a day between two years, for serials that carry a production date. */
function productionDate(r: Random, fromYear: number, toYear: number): string {
  const year = between(r, fromYear, toYear);
  return `${year}${String(between(r, 1, 12)).padStart(2, '0')}${String(between(r, 1, 28)).padStart(2, '0')}`;
}

// ----------------------------------------------------------------------------- Hikvision
// Prefixes registered to Hangzhou Hikvision Digital Technology in the IEEE registry (kb/data/oui.tsv).
const HIKVISION_OUI = ['44:19:b6', 'c0:56:e3', 'bc:ad:28', '68:6d:bc', '4c:bd:8f', '54:c4:15', '98:df:82', 'e0:ba:ad'];

/** A product line: model, firmware in the maker's notation, and the years it was sold. */
interface Product {
  model: string;
  firmware: readonly string[];
  years: readonly [number, number];
  /** Firmware from before the maker's security overhaul: other banner, Basic login, telnet. */
  legacy?: boolean;
}

const HIKVISION_CAMERAS: readonly Product[] = [
  { model: 'DS-2CD2386G2-IU', firmware: ['V5.7.3 build 220112', 'V5.7.15 build 240201'], years: [2020, 2024] },
  { model: 'DS-2CD2143G2-I', firmware: ['V5.7.3 build 220112', 'V5.7.12 build 230317'], years: [2020, 2024] },
  { model: 'DS-2CD2047G2-L', firmware: ['V5.7.1 build 210527', 'V5.7.3 build 220112'], years: [2020, 2024] },
  { model: 'DS-2CD2T46G2-ISU/SL', firmware: ['V5.7.18 build 240826'], years: [2021, 2024] },
  { model: 'DS-2CD2042WD-I', firmware: ['V5.4.5 build 160928', 'V5.5.0 build 170725'], years: [2015, 2018] },
  { model: 'DS-2CD2132F-IS', firmware: ['V5.3.0 build 150513', 'V5.4.0 build 160530'], years: [2014, 2016], legacy: true },
  { model: 'DS-2CD2320D-I', firmware: ['V5.5.6 build 180326'], years: [2017, 2019] },
];
const HIKVISION_RECORDERS: readonly Product[] = [
  { model: 'DS-7616NI-K2', firmware: ['V4.22.005 build 191211', 'V4.74.210 build 240108'], years: [2018, 2024] },
  { model: 'DS-7608NXI-I2/8P', firmware: ['V4.30.085 build 210923', 'V4.62.210 build 230619'], years: [2019, 2024] },
  { model: 'DS-7732NI-M4', firmware: ['V4.61.025 build 220927'], years: [2020, 2024] },
  { model: 'DS-7608NI-E2/8P', firmware: ['V3.4.92 build 170518'], years: [2015, 2017], legacy: true },
];

/** Hikvision-made devices sold under brands the KB maps to Hikvision (kb/data/brands.yaml). */
const HIKVISION_OEM: readonly (Product & { brand: string; kind: 'camera' | 'recorder' })[] = [
  { brand: 'HiWatch', kind: 'camera', model: 'HWI-T240H', firmware: ['V5.6.5 build 200316'], years: [2019, 2022] },
  { brand: 'HiWatch', kind: 'camera', model: 'HWI-B121H', firmware: ['V5.5.82 build 190909', 'V5.6.5 build 200316'], years: [2019, 2022] },
  { brand: 'HiWatch', kind: 'recorder', model: 'HWN-4108MH-8P', firmware: ['V4.22.005 build 191211'], years: [2019, 2022] },
  { brand: 'HiLook', kind: 'camera', model: 'IPC-T240H', firmware: ['V5.5.800 build 210628', 'V5.7.3 build 220112'], years: [2020, 2023] },
  { brand: 'HiLook', kind: 'recorder', model: 'NVR-108MH-C/8P', firmware: ['V4.30.000 build 210329'], years: [2020, 2023] },
  { brand: 'LTS', kind: 'camera', model: 'CMIP7442W-28', firmware: ['V5.6.0 build 190523'], years: [2018, 2021] },
  { brand: 'Annke', kind: 'camera', model: 'I51DL', firmware: ['V5.6.2 build 200506'], years: [2019, 2022] },
];

// The certificate every Hikvision-made device ships with (recog x509_subjects, §2.9).
const HIKVISION_CERTIFICATE = 'CN=www.hikvision.com, OU=DVRNVR, O=HIKVISION, L=HangZhou, ST=ZheJiang, C=CN';

/** DeviceSN as SADP and ISAPI report it: model, production date, a line code, the unit serial. */
function hikvisionSerial(r: Random, model: string, years: readonly [number, number], recorder: boolean): { serial: string; unit: string } {
  const unit = `${pick(r, [...LETTERS])}${chars(r, DIGITS, 8)}`;
  const date = productionDate(r, years[0], years[1]);
  return { unit, serial: recorder ? `${model}${date}${chars(r, DIGITS, 2)}CCRR${unit}WCVU` : `${model}${date}AAWR${unit}` };
}

// The start page only sends the browser on to the login page; the path is a Hikvision marker.
const HIKVISION_BODY = '<script>window.location.href = "doc/page/login.asp?_" + (new Date()).getTime();</script>';

function hikvisionWeb(r: Random, product: Product, unit: string, recorder: boolean): LabWeb {
  const common = { title: '', body: HIKVISION_BODY, tlsSubject: HIKVISION_CERTIFICATE, tlsIssuer: HIKVISION_CERTIFICATE };
  if (product.legacy) {
    return {
      ...common,
      server: recorder ? 'DNVRS-Webs' : pick(r, ['DVRDVS-Webs', 'Hikvision-Webs']),
      authScheme: 'basic', realm: 'hikvision', rtspRealm: 'Hikvision', telnetBanner: '192.0.0.64 login:',
    };
  }
  // Current firmware names its realm after the unit ("IP Camera(C2183)") on HTTP and RTSP alike.
  const realm = recorder ? 'hikvision' : `IP Camera(${unit.slice(-5)})`;
  return { ...common, server: 'App-webs/', authScheme: 'digest', realm, rtspRealm: recorder ? 'Hikvision' : realm };
}

const HIKVISION_PROTOCOLS: readonly LabProtocol[] = ['http', 'https', 'rtsp', 'onvif', 'sadp', 'isapi', 'hik_sdk'];

function hikvisionDevice(r: Random, ip: string, template: Template, product: Product, brand: string, recorder: boolean): LabDevice {
  const { serial, unit } = hikvisionSerial(r, product.model, product.years, recorder);
  const web = hikvisionWeb(r, product, unit, recorder);
  return {
    ip, template, brand, manufacturer: 'hikvision',
    model: product.model, firmware: pick(r, product.firmware), serial, mac: mac(r, HIKVISION_OUI),
    kind: recorder ? 'recorder' : 'camera',
    credentials: { username: 'admin', password: password(r) },
    // Activation arrived with V5.3 firmware; an unactivated device is one anyone can claim.
    activated: product.legacy ? true : !chance(r, 0.1),
    cloud: chance(r, 0.3),
    channels: recorder ? hikvisionChannels(r) : [],
    protocols: product.legacy ? [...HIKVISION_PROTOCOLS, 'telnet'] : HIKVISION_PROTOCOLS,
    web,
  };
}

// ----------------------------------------------------------------------------- Dahua and its OEMs
// Prefixes registered to Zhejiang Dahua Technology (kb/data/oui.tsv); Lorex and Amcrest have their own.
const DAHUA_OUI = ['3c:ef:8c', '9c:14:63', 'e0:50:8b', '38:af:29', '4c:11:bf', 'bc:32:5f', 'f4:b1:c2'];
const LOREX_OUI = ['00:1f:54'];
const AMCREST_OUI = ['9c:8e:cd', '00:65:1e'];

const DAHUA_CAMERAS: readonly Product[] = [
  { model: 'IPC-HDW5831R-ZE', firmware: ['2.800.0000016.0.R', '2.800.0000000.16.R'], years: [2019, 2023] },
  { model: 'IPC-HFW2431S-S-S2', firmware: ['2.800.0000000.16.R', '2.800.0000000.27.R'], years: [2019, 2024] },
  { model: 'IPC-HDBW2431E-S-S2', firmware: ['2.800.0000000.27.R'], years: [2019, 2024] },
  { model: 'IPC-HDW1431T1-S4', firmware: ['2.800.0000000.13.R', '2.820.0000000.5.R'], years: [2019, 2024] },
  { model: 'IPC-HFW5442E-ZE', firmware: ['2.820.0000000.5.R', '2.840.0000000.13.R'], years: [2019, 2024] },
  { model: 'IPC-HFW1230S', firmware: ['2.622.0000000.9.R'], years: [2015, 2018], legacy: true },
];
const DAHUA_RECORDERS: readonly Product[] = [
  { model: 'NVR5216-16P-4KS2E', firmware: ['4.001.0000000.4.R', '4.002.0000000.1.R'], years: [2018, 2024] },
  { model: 'NVR4108HS-8P-4KS2', firmware: ['4.001.0000000.4.R'], years: [2018, 2024] },
  { model: 'NVR5232-EI', firmware: ['4.003.0000000.2.R'], years: [2021, 2024] },
];
const LOREX_RECORDERS: readonly Product[] = [
  { model: 'LNR6108', firmware: ['3.216.0000000.2.R'], years: [2018, 2022] },
  { model: 'NR908', firmware: ['4.001.0000000.3.R'], years: [2019, 2022] },
  { model: 'N841A8', firmware: ['4.001.0000000.6.R'], years: [2020, 2022] },
];
const AMCREST_CAMERAS: readonly Product[] = [
  { model: 'IP8M-2496EB', firmware: ['2.800.00AC000.0.R'], years: [2019, 2024] },
  { model: 'IP4M-1051B', firmware: ['2.620.00AC000.3.R'], years: [2017, 2021] },
  { model: 'IP5M-T1179EW', firmware: ['2.800.00AC000.0.R'], years: [2019, 2024] },
];

/** Dahua's 15-character serial (`4K05A5CPAZ12345`), which its realm `Login to <serial>` leaks. */
const dahuaSerial = (r: Random) =>
  `${chars(r, DIGITS, 1)}${chars(r, LETTERS, 1)}${chars(r, DIGITS, 2)}${chars(r, UPPER_ALNUM, 3)}PA${chars(r, LETTERS, 1)}${chars(r, UPPER_ALNUM, 5)}`;

// The family's start page: a title, then a script-built login form.
const DAHUA_BODY = '<div id="login"><noscript>Please enable JavaScript in your browser.</noscript></div>';

const DAHUA_PROTOCOLS: readonly LabProtocol[] = ['http', 'https', 'rtsp', 'onvif', 'dhip', 'dvrip', 'dahua_cgi', 'dahua_37777'];

interface DahuaFamily {
  brand: string;
  oui: readonly string[];
  serial: (r: Random) => string;
  /** OEM firmware without the maker's RTSP banner, asking for login with the serial realm. */
  rtspServer?: string;
}

function dahuaDevice(r: Random, ip: string, template: Template, product: Product, family: DahuaFamily, recorder: boolean): LabDevice {
  const serial = family.serial(r);
  // Old firmware offers only Basic with realm "Device_CGI" (rroller/dahua#583).
  const web: LabWeb = product.legacy
    ? { title: 'WEB SERVICE', body: DAHUA_BODY, authScheme: 'basic', realm: 'Device_CGI', rtspServer: family.rtspServer, rtspRealm: 'device' }
    : { title: 'WEB SERVICE', body: DAHUA_BODY, authScheme: 'digest', realm: `Login to ${serial}`, rtspServer: family.rtspServer, rtspRealm: `Login to ${serial}` };
  return {
    ip, template, brand: family.brand, manufacturer: 'dahua',
    model: product.model, firmware: pick(r, product.firmware), serial, mac: mac(r, family.oui),
    kind: recorder ? 'recorder' : 'camera',
    credentials: { username: 'admin', password: password(r) },
    activated: !chance(r, 0.05),
    cloud: chance(r, 0.35),
    channels: recorder ? dahuaChannels(r) : [],
    protocols: DAHUA_PROTOCOLS,
    // The family's self-signed certificate names the device address and a Dahua CA (§2.9).
    web: { ...web, tlsSubject: `CN=${ip}, C=CN`, tlsIssuer: 'CN=Dahua Device NVR CA, O=Zhejiang Dahua Technology Co.\\,Ltd., C=CN' },
  };
}

const DAHUA: DahuaFamily = { brand: 'Dahua', oui: DAHUA_OUI, serial: dahuaSerial, rtspServer: 'Dahua Rtsp Server' };
// Lorex serials as its realm shows them: "Login to ND011811000000" (recog http_wwwauth).
const LOREX: DahuaFamily = { brand: 'Lorex', oui: LOREX_OUI, serial: (r) => `ND${chars(r, DIGITS, 12)}` };
const AMCREST: DahuaFamily = { brand: 'Amcrest', oui: AMCREST_OUI, serial: (r) => `AMC0${chars(r, UPPER_ALNUM, 11)}` };

// ----------------------------------------------------------------------------- Recorder channels
interface ChannelModel { manufacturer: string; model: string }
const CHANNEL_CAMERAS: Record<string, readonly ChannelModel[]> = {
  hikvision: [{ manufacturer: 'hikvision', model: 'DS-2CD2387G2-LSU/SL' }, { manufacturer: 'hikvision', model: 'DS-2CD2143G2-I' }, { manufacturer: 'hikvision', model: 'HWI-T220H' }],
  dahua: [{ manufacturer: 'dahua', model: 'IPC-HDW1431T1-S4' }, { manufacturer: 'dahua', model: 'IPC-HFW2431S-S-S2' }],
  other: [{ manufacturer: 'axis', model: 'M3106-L Mk II' }, { manufacturer: 'hanwha', model: 'XND-6080RV' }, { manufacturer: 'uniview', model: 'IPC2124LB-SF28KM-G' }],
};

/**
 * Cameras on a recorder's PoE ports, addressed in the recorder's own internal network (Hikvision
 * hands out 192.168.254.x, Dahua 10.1.1.65 and up): mostly the recorder's maker, some others over ONVIF.
 */
function channels(r: Random, own: 'hikvision' | 'dahua', ownProtocol: string, firstAddress: (i: number) => string): Channel[] {
  return Array.from({ length: pick(r, [4, 8, 8, 16]) }, (_, i) => {
    const foreign = chance(r, 0.25);
    const camera = pick(r, foreign ? CHANNEL_CAMERAS.other! : CHANNEL_CAMERAS[own]!);
    return { id: i + 1, ip: firstAddress(i), manufacturer: camera.manufacturer, model: camera.model, protocol: foreign ? 'ONVIF' : ownProtocol };
  });
}
const hikvisionChannels = (r: Random) => channels(r, 'hikvision', 'HIKVISION', (i) => `192.168.254.${i + 2}`);
const dahuaChannels = (r: Random) => channels(r, 'dahua', 'Private', (i) => `10.1.1.${i + 65}`);

// ----------------------------------------------------------------------------- Other camera makers
const ONVIF_CAMERA: readonly LabProtocol[] = ['http', 'https', 'rtsp', 'onvif'];

interface OtherMaker {
  manufacturer: string;
  brand: string;
  oui: readonly string[];
  products: readonly Product[];
  username: string;
  serial(r: Random, m: string): string;
  web(device: { ip: string; mac: string; model: string; serial: string }, r: Random): LabWeb;
}

// Axis (IEEE prefixes of Axis Communications AB): the serial is the MAC; realm and certificate name it.
const AXIS: OtherMaker = {
  manufacturer: 'axis', brand: 'Axis', oui: ['ac:cc:8e', 'b8:a4:4f', 'e8:27:25', '00:40:8c'], username: 'root',
  products: [
    { model: 'P3245-LVE', firmware: ['9.80.3.8', '10.12.165'], years: [2018, 2023] },
    { model: 'M3106-L Mk II', firmware: ['9.80.3.8', '10.12.165'], years: [2017, 2023] },
    { model: 'Q6135-LE', firmware: ['10.12.165', '11.5.64'], years: [2019, 2024] },
    { model: 'M3086-V', firmware: ['10.12.165', '11.5.64'], years: [2020, 2024] },
  ],
  serial: (_r, m) => macHex(m).toUpperCase(),
  web: (d) => {
    const realm = `AXIS_${macHex(d.mac).toUpperCase()}`;
    const cert = `CN=axis-${macHex(d.mac)}, O=Axis Communications AB`;
    return {
      server: 'Linux/4.9.94-axis5, UPnP/1.0, Portable SDK for UPnP devices/1.6.22', title: 'AXIS',
      body: '<noscript>Your browser has JavaScript turned off.</noscript>', authScheme: 'digest', realm, rtspRealm: realm,
      tlsSubject: cert, tlsIssuer: cert,
    };
  },
};

// Bosch (IEEE prefixes of Bosch Security Systems): its certificates and login realm per recog.
const BOSCH: OtherMaker = {
  manufacturer: 'bosch', brand: 'Bosch', oui: ['00:07:5f', '00:04:63'], username: 'service',
  products: [
    { model: 'FLEXIDOME IP 5000i', firmware: ['7.72.0029', '8.40.0032'], years: [2019, 2024] },
    { model: 'DINION IP 5000 HD', firmware: ['6.60.0065', '7.10.0076'], years: [2016, 2021] },
    { model: 'AUTODOME IP 5000i', firmware: ['7.80.0128'], years: [2019, 2024] },
  ],
  serial: (r) => chars(r, DIGITS, 18),
  web: (d) => {
    const realm = "Use 'live' as User Name in order to log in to the respective level";
    return {
      title: d.model, body: '<div id="livepage"></div>', authScheme: 'digest', realm, rtspRealm: realm,
      tlsSubject: 'CN=local.myboschcam.net, O=Bosch Sicherheitssysteme GmbH, L=Grasbrunn, ST=Bayern, C=DE',
      tlsIssuer: `SERIALNUMBER=${d.serial}, CN=${d.mac.replace(/:/g, '-')}, OU=ST-VS, O=Bosch Sicherheitssysteme GmbH, L=Grasbrunn, C=DE`,
    };
  },
};

// Hanwha (Samsung Techwin and Hanwha Vision prefixes): "Hanwha Techwin" title, iPolis realm.
const HANWHA: OtherMaker = {
  manufacturer: 'hanwha', brand: 'Hanwha Vision', oui: ['00:09:18', 'e4:30:22', '44:b4:23'], username: 'admin',
  products: [
    { model: 'XNV-8080R', firmware: ['2.21.02_20230414', '1.41.01_20211130'], years: [2018, 2024] },
    { model: 'XNO-6080R', firmware: ['2.12.02_20220615'], years: [2018, 2024] },
    { model: 'XND-6080RV', firmware: ['2.12.02_20220615'], years: [2018, 2024] },
    { model: 'QNV-6012R', firmware: ['1.41.01_20211130'], years: [2019, 2024] },
  ],
  serial: (r) => `Z${chars(r, UPPER_ALNUM, 5)}${chars(r, DIGITS, 6)}${chars(r, LETTERS, 3)}`,
  web: (d) => {
    const realm = `iPolis_${d.mac.replace(/:/g, '-').toUpperCase()}`;
    return { title: 'Hanwha Techwin', body: '<div id="sunapi-login"></div>', authScheme: 'digest', realm, rtspRealm: realm };
  },
};

// Uniview (prefixes of Zhejiang Uniview Technologies, kb/data/oui.tsv).
const UNIVIEW: OtherMaker = {
  manufacturer: 'uniview', brand: 'Uniview', oui: ['48:ea:63', '6c:f1:7e', '88:26:3f', 'c4:79:05'], username: 'admin',
  products: [
    { model: 'IPC3614SR3-ADPF28', firmware: ['IPC_G6103-B5007P61D2206'], years: [2019, 2024] },
    { model: 'IPC2124LB-SF28KM-G', firmware: ['IPC_D1201-B0006P20D1907'], years: [2018, 2022] },
    { model: 'IPC3612LB-ADF28K-G', firmware: ['IPC_G6103-B5007P61D2206'], years: [2020, 2024] },
  ],
  serial: (r) => `210235C${chars(r, UPPER_ALNUM, 3)}${chars(r, DIGITS, 10)}`,
  web: () => ({ title: 'Web Client', body: '<div id="login"></div>', authScheme: 'digest', realm: 'Uniview', rtspRealm: 'Uniview' }),
};

function otherCamera(r: Random, ip: string, template: Template, maker: OtherMaker): LabDevice {
  const product = pick(r, maker.products);
  const m = mac(r, maker.oui);
  const serial = maker.serial(r, m);
  return {
    ip, template, brand: maker.brand, manufacturer: maker.manufacturer,
    model: product.model, firmware: pick(r, product.firmware), serial, mac: m, kind: 'camera',
    credentials: { username: maker.username, password: password(r) },
    activated: true, cloud: false, channels: [], protocols: ONVIF_CAMERA,
    web: maker.web({ ip, mac: m, model: product.model, serial }, r),
  };
}

// ----------------------------------------------------------------------------- Non-camera hosts
// What shares a camera segment: none speaks a camera protocol, and none may be taken for a camera.
function printer(r: Random, ip: string): LabDevice {
  const m = mac(r, ['3c:d9:2b', 'a0:d3:c1']);
  const serial = `CNB${chars(r, UPPER_ALNUM, 7)}`;
  const model = pick(r, ['Color LaserJet Pro MFP M479fdw', 'LaserJet Pro M404dn']);
  return {
    ip, template: 'printer', brand: 'HP', manufacturer: null, model, firmware: pick(r, ['002.2330A', '002.2149B']), serial, mac: m, kind: 'other',
    credentials: { username: 'admin', password: password(r) }, activated: true, cloud: false, channels: [], protocols: ['http', 'https'],
    web: {
      server: `HP HTTP Server; HP ${model}; Serial Number: ${serial}; Built: Thu Aug 17, 2023 03:12:08PM {002.2330A}`,
      title: `HP ${model}`, body: '<div id="pgm-theatre-staging-div"></div>', authScheme: 'basic', realm: 'HP Embedded Web Server',
      tlsSubject: `CN=NPI${macHex(m).slice(6).toUpperCase()}`,
    },
  };
}

function router(r: Random, ip: string): LabDevice {
  const m = mac(r, ['4c:5e:0c', 'e4:8d:8c']);
  return {
    ip, template: 'router', brand: 'MikroTik', manufacturer: null, model: pick(r, ['RB4011iGS+', 'hEX RB750Gr3']),
    firmware: pick(r, ['RouterOS 7.12.1', 'RouterOS 6.49.10']), serial: chars(r, UPPER_ALNUM, 12), mac: m, kind: 'other',
    credentials: { username: 'admin', password: password(r) }, activated: true, cloud: false, channels: [], protocols: ['http'],
    web: { title: 'RouterOS router configuration page', body: '<div id="webfig"></div>', authScheme: 'basic', realm: 'RouterOS' },
  };
}

function nas(r: Random, ip: string): LabDevice {
  return {
    ip, template: 'nas', brand: 'Synology', manufacturer: null, model: pick(r, ['DS920+', 'DS1621+']),
    firmware: pick(r, ['DSM 7.2.1-69057 Update 5', 'DSM 7.1.1-42962']), serial: `${between(r, 19, 23)}${between(r, 10, 50)}${chars(r, UPPER_ALNUM, 9)}`,
    mac: mac(r, ['00:11:32']), kind: 'other',
    credentials: { username: 'admin', password: password(r) }, activated: true, cloud: false, channels: [], protocols: ['http', 'https'],
    web: {
      server: 'nginx', title: 'Synology DiskStation', body: '<div id="sds-login"></div>', authScheme: 'basic', realm: 'DiskStation',
      tlsSubject: 'CN=synology, O=Synology Inc., L=Taipei, ST=Taiwan, C=TW', tlsIssuer: 'CN=Synology Inc. CA, O=Synology Inc., L=Taipei, ST=Taiwan, C=TW',
    },
  };
}

// ----------------------------------------------------------------------------- Templates
const BUILDERS: Record<Template, (r: Random, ip: string) => LabDevice> = {
  'hikvision-camera': (r, ip) => hikvisionDevice(r, ip, 'hikvision-camera', pick(r, HIKVISION_CAMERAS), 'Hikvision', false),
  'hikvision-nvr': (r, ip) => hikvisionDevice(r, ip, 'hikvision-nvr', pick(r, HIKVISION_RECORDERS), 'Hikvision', true),
  'hikvision-oem': (r, ip) => {
    const product = pick(r, HIKVISION_OEM);
    return hikvisionDevice(r, ip, 'hikvision-oem', product, product.brand, product.kind === 'recorder');
  },
  'dahua-camera': (r, ip) => dahuaDevice(r, ip, 'dahua-camera', pick(r, DAHUA_CAMERAS), DAHUA, false),
  'dahua-nvr': (r, ip) => dahuaDevice(r, ip, 'dahua-nvr', pick(r, DAHUA_RECORDERS), DAHUA, true),
  'lorex-nvr': (r, ip) => dahuaDevice(r, ip, 'lorex-nvr', pick(r, LOREX_RECORDERS), LOREX, true),
  'amcrest-camera': (r, ip) => dahuaDevice(r, ip, 'amcrest-camera', pick(r, AMCREST_CAMERAS), AMCREST, false),
  'axis-camera': (r, ip) => otherCamera(r, ip, 'axis-camera', AXIS),
  'bosch-camera': (r, ip) => otherCamera(r, ip, 'bosch-camera', BOSCH),
  'hanwha-camera': (r, ip) => otherCamera(r, ip, 'hanwha-camera', HANWHA),
  'uniview-camera': (r, ip) => otherCamera(r, ip, 'uniview-camera', UNIVIEW),
  printer,
  router,
  nas,
};

/** Mixes a seed and an address into one device seed, so a device depends on nothing else. */
function deviceSeed(seed: number, ip: string): number {
  let h = (Math.imul(seed >>> 0, 0x9e3779b1) ^ toNumber(ip)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  return (h ^ (h >>> 13)) >>> 0;
}

function isTemplate(name: string): name is Template {
  return (TEMPLATES as readonly string[]).includes(name);
}

/** One device of a template at an address; the same template, address and seed give the same device. */
export function makeDevice(template: string, ip: string, seed = 1): LabDevice {
  if (!isTemplate(template)) throw new CamauditError('usage', `unknown lab template "${template}" (known: ${TEMPLATES.join(', ')})`);
  return BUILDERS[template](seededRandom(deviceSeed(seed, ip)), ip);
}

// A municipal camera segment: mostly cameras, some recorders, a few rebadged devices, and about
// one host in ten that is no camera at all.
const MIX: Readonly<Record<Template, number>> = {
  'hikvision-camera': 22, 'hikvision-nvr': 5, 'hikvision-oem': 7, 'dahua-camera': 18, 'dahua-nvr': 4, 'lorex-nvr': 3, 'amcrest-camera': 4,
  'axis-camera': 10, 'bosch-camera': 6, 'hanwha-camera': 6, 'uniview-camera': 5, printer: 4, router: 3, nas: 3,
};

/** How many devices of each template: every template once when there is room, the rest by weight. */
function apportion(count: number): Template[] {
  const total = Object.values(MIX).reduce((a, b) => a + b, 0);
  const floor = count >= TEMPLATES.length ? 1 : 0;
  const rest = count - floor * TEMPLATES.length;
  const shares = TEMPLATES.map((t) => ({ t, exact: (rest * MIX[t]) / total }));
  const counts = new Map(shares.map((s) => [s.t, floor + Math.floor(s.exact)]));
  let left = count - [...counts.values()].reduce((a, b) => a + b, 0);
  // Largest remainders first; ties go to the heavier template, then catalogue order.
  for (const s of [...shares].sort((a, b) => (b.exact % 1) - (a.exact % 1) || MIX[b.t] - MIX[a.t])) {
    if (left-- <= 0) break;
    counts.set(s.t, counts.get(s.t)! + 1);
  }
  return TEMPLATES.flatMap((t) => Array<Template>(counts.get(t)!).fill(t));
}

function shuffle<T>(r: Random, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/**
 * The addresses devices may take in a subnet: not .0 or .255 in any /24 (network and broadcast
 * addresses to many tools), and not the first address, which is the segment's gateway — and the
 * host side of the link in `--netns` mode.
 */
export function labAddressRange(subnet: string): { first: number; last: number; gateway: string } {
  if (!subnet.includes('/')) throw new CamauditError('usage', `--subnet "${subnet}": give a CIDR such as 127.77.0.0/16`);
  const range = parseRange(subnet);
  if (range.last - range.first < 3) throw new CamauditError('usage', `--subnet ${subnet} is too small for a lab`);
  return { first: range.first + 2, last: range.last - 1, gateway: fromNumber(range.first + 1) };
}

const usable = (n: number) => (n & 255) !== 0 && (n & 255) !== 255;

/** `count` devices spread over `subnet`, sorted by address; deterministic for a seed. */
export function generateDevices(count: number, subnet: string, seed: number): LabDevice[] {
  if (!Number.isInteger(count) || count < 1) throw new CamauditError('usage', `--devices must be a whole number of at least 1, not ${count}`);
  const { first, last } = labAddressRange(subnet);
  let capacity = 0;
  for (let n = first; n <= last && capacity <= count; n++) if (usable(n)) capacity++;
  if (capacity < count) throw new CamauditError('usage', `--subnet ${subnet} has room for ${capacity} devices, not ${count}`);
  const r = seededRandom(seed);
  const taken = new Set<number>();
  while (taken.size < count) {
    const n = first + Math.floor(r() * (last - first + 1));
    if (usable(n)) taken.add(n);
  }
  const ips = [...taken].sort((a, b) => a - b).map(fromNumber);
  const templates = shuffle(r, apportion(count));
  return ips.map((ip, i) => makeDevice(templates[i]!, ip, seed));
}

export function groundTruth(devices: readonly LabDevice[]): LabTruth[] {
  return devices.map(({ ip, manufacturer, brand, model, firmware, serial, mac, kind, template }) => ({ ip, manufacturer, brand, model, firmware, serial, mac, kind, template }));
}
