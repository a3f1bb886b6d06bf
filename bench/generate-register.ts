/**
 * A seeded generator of a valid Registry CSV of N platforms, with the demo register's real ones.
 *
 * Shops and platforms with Vietnamese names, .vn/.com.vn/.com domains, some apps, tax codes that pass the checksum,
 * every status and kind (DESIGN.md "Registry CSV") — plus the demo register's real platforms (Shopee, Lazada, Tiki,
 * Temu…), so that look-alikes of them are detected against a large register as they are against the demo one.
 *
 *   npm run bench -- generate-register [--platforms 1000000] [--seed 8598] [--out bench/.data/register.csv]
 *
 * The same seed and count give the same file, byte for byte. Next to the CSV it writes `<file>.sample.json`:
 * identities and names drawn from the file, which the check benchmark sends as registered inputs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { computeTaxCodeCheckDigit } from '../src/core/tax-code.ts';
import { brandKey } from '../src/core/text.ts';
import { demoRegistryRows } from '../src/modules/registry/demo-data.ts';
import type { RegistryRow } from '../src/modules/registry/registry.csv.ts';

export interface GenerateRegisterOptions {
  platforms: number;
  out: string;
  seed?: number;
}

/** Inputs that the register answers as registered (or with another status), drawn from the generated file. */
export interface RegisterSample {
  platforms: number;
  seed: number;
  domains: string[];
  androidApps: string[];
  iosApps: string[];
  names: string[];
}

export interface GenerateRegisterResult {
  file: string;
  sampleFile: string;
  rows: number;
  bytes: number;
  ms: number;
  sample: RegisterSample;
}

export const DEFAULT_SEED = 8598;
const SAMPLE_DOMAINS = 4_000;
const SAMPLE_OTHERS = 500;

const HEADER =
  'registration_no,name,kind,status,cross_border,domains,android_apps,ios_apps,org_name,tax_code,valid_until,legacy_id';

/** [how it is written, how it is spelled in a domain]. */
type Word = readonly [string, string];

const CATEGORIES: readonly Word[] = [
  ['Thời Trang', 'thoitrang'],
  ['Mỹ Phẩm', 'mypham'],
  ['Điện Máy', 'dienmay'],
  ['Điện Thoại', 'dienthoai'],
  ['Nội Thất', 'noithat'],
  ['Gia Dụng', 'giadung'],
  ['Đồ Chơi', 'dochoi'],
  ['Sách', 'sach'],
  ['Trà', 'tra'],
  ['Cà Phê', 'caphe'],
  ['Bánh Kẹo', 'banhkeo'],
  ['Thực Phẩm', 'thucpham'],
  ['Nông Sản', 'nongsan'],
  ['Hải Sản', 'haisan'],
  ['Giày Dép', 'giaydep'],
  ['Túi Xách', 'tuixach'],
  ['Đồng Hồ', 'dongho'],
  ['Trang Sức', 'trangsuc'],
  ['Mẹ và Bé', 'mevabe'],
  ['Thú Cưng', 'thucung'],
  ['Xe Máy', 'xemay'],
  ['Phụ Tùng', 'phutung'],
  ['Vật Liệu', 'vatlieu'],
  ['Cây Cảnh', 'caycanh'],
  ['Gốm Sứ', 'gomsu'],
  ['Lụa', 'lua'],
  ['Áo Dài', 'aodai'],
  ['Đặc Sản', 'dacsan'],
  ['Văn Phòng Phẩm', 'vanphongpham'],
  ['Máy Tính', 'maytinh'],
  ['Nhà Cửa', 'nhacua'],
  ['Thể Thao', 'thethao'],
  ['Du Lịch', 'dulich'],
  ['Dược Phẩm', 'duocpham'],
  ['Hoa Tươi', 'hoatuoi'],
  ['Nước Mắm', 'nuocmam'],
];

const BRANDS: readonly Word[] = [
  ['Hoa Mai', 'hoamai'],
  ['Bình An', 'binhan'],
  ['Thành Công', 'thanhcong'],
  ['Phú Quý', 'phuquy'],
  ['Minh Châu', 'minhchau'],
  ['Hưng Thịnh', 'hungthinh'],
  ['Sao Mai', 'saomai'],
  ['Hồng Phát', 'hongphat'],
  ['Việt Tín', 'viettin'],
  ['Kim Ngân', 'kimngan'],
  ['Ánh Dương', 'anhduong'],
  ['Phương Nam', 'phuongnam'],
  ['Đông Á', 'donga'],
  ['Tân Tiến', 'tantien'],
  ['Gia Bảo', 'giabao'],
  ['Hạnh Phúc', 'hanhphuc'],
  ['Lộc Phát', 'locphat'],
  ['Trường Sơn', 'truongson'],
  ['An Khang', 'ankhang'],
  ['Ngọc Lan', 'ngoclan'],
  ['Thiên Long', 'thienlong'],
  ['Bảo Ngọc', 'baongoc'],
  ['Vạn Xuân', 'vanxuan'],
  ['Hoàng Gia', 'hoanggia'],
  ['Mộc Lan', 'moclan'],
  ['Tâm Đức', 'tamduc'],
  ['Sen Hồng', 'senhong'],
  ['Quê Hương', 'quehuong'],
  ['Nắng Mới', 'nangmoi'],
  ['Biển Xanh', 'bienxanh'],
  ['Mây Trắng', 'maytrang'],
  ['Cỏ Non', 'conon'],
  ['Bốn Mùa', 'bonmua'],
  ['Hoa Sữa', 'hoasua'],
  ['Trúc Xinh', 'trucxinh'],
  ['Đất Việt', 'datviet'],
  ['Nhật Minh', 'nhatminh'],
  ['Khánh Linh', 'khanhlinh'],
  ['Thu Hà', 'thuha'],
  ['Tuấn Anh', 'tuananh'],
];

const PLACES: readonly Word[] = [
  ['Hà Nội', 'hanoi'],
  ['Sài Gòn', 'saigon'],
  ['Đà Nẵng', 'danang'],
  ['Hải Phòng', 'haiphong'],
  ['Cần Thơ', 'cantho'],
  ['Huế', 'hue'],
  ['Nha Trang', 'nhatrang'],
  ['Đà Lạt', 'dalat'],
  ['Vũng Tàu', 'vungtau'],
  ['Quy Nhơn', 'quynhon'],
  ['Bắc Ninh', 'bacninh'],
  ['Nam Định', 'namdinh'],
];

const SHOP_PREFIXES = ['Cửa hàng', 'Shop', 'Tiệm', 'Nhà', 'Siêu thị', 'Chợ', 'Kho', ''];
const PLATFORM_PREFIXES = ['Sàn', 'Chợ', 'Sàn TMĐT', 'Mạng'];
const SURNAMES = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ'];
const MIDDLE_NAMES = ['Văn', 'Thị', 'Minh', 'Ngọc', 'Thanh', 'Quốc', 'Hữu', 'Đức'];
const GIVEN_NAMES = ['An', 'Bình', 'Châu', 'Dũng', 'Hà', 'Hải', 'Hạnh', 'Hoa', 'Hùng', 'Hương', 'Lan', 'Linh', 'Mai'];

/** Share of each status, in the order drawn (notified sales sites are most of a real register). */
const STATUS_SHARES: ReadonlyArray<readonly [RegistryRow['status'], number]> = [
  ['notified', 0.55],
  ['registered', 0.15],
  ['pending', 0.08],
  ['expired', 0.08],
  ['revoked', 0.03],
  ['suspended', 0.02],
  ['rejected', 0.03],
  ['unregistered', 0.04],
  ['blocked', 0.02],
];
const PLATFORM_KINDS_DRAWN: readonly RegistryRow['kind'][] = [
  'marketplace',
  'marketplace',
  'marketplace',
  'auction',
  'promotion',
  'social',
  'integrated',
];

/** Writes the CSV (and its sample file); the demo register's real platforms come first. */
export async function generateRegister(options: GenerateRegisterOptions): Promise<GenerateRegisterResult> {
  const started = performance.now();
  const seed = options.seed ?? DEFAULT_SEED;
  const random = createRandom(seed);
  fs.mkdirSync(path.dirname(options.out), { recursive: true });
  const out = fs.createWriteStream(options.out);
  const write = async (text: string) => {
    if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  };

  const demoRows = demoRegistryRows();
  // A generated label never contains a real brand (nor 1688…), so "shoppee.vn" stays a look-alike of Shopee.
  const reservedKeys = new Set<string>();
  for (const row of demoRows) {
    for (const domain of row.domains) reservedKeys.add(domain.slice(0, domain.indexOf('.')));
    const key = brandKey(row.name);
    if (key.length >= 4) reservedKeys.add(key);
  }
  const reserved = [...reservedKeys].filter((key) => key.length >= 4);

  let buffer = `${HEADER}\n`;
  for (const row of demoRows) buffer += formatRow(row);
  const sample: RegisterSample = {
    platforms: options.platforms,
    seed,
    domains: [],
    androidApps: [],
    iosApps: [],
    names: [],
  };
  const sampleEvery = Math.max(1, Math.floor(options.platforms / SAMPLE_DOMAINS));
  const usedLabels = new Set<string>();
  let orgName: string | null = null;
  let taxCode: string | null = null;
  let rows = demoRows.length;
  let bytes = 0;

  for (let i = 0; i < options.platforms; i++) {
    const row = generateRow(i, random, usedLabels, reserved);
    // About one organisation in four runs two sites: the second row keeps the first one's name and tax code.
    if (i % 4 !== 3 || random() < 0.3) {
      const organisation = generateOrganisation(i, row.name, random);
      orgName = organisation.name;
      taxCode = organisation.taxCode;
    }
    if (random() < 0.75) {
      row.orgName = orgName;
      row.taxCode = taxCode;
    }
    buffer += formatRow(row);
    rows++;
    if (i % sampleEvery === 0) {
      const [domain] = row.domains;
      if (domain !== undefined) sample.domains.push(domain);
      if (sample.names.length < SAMPLE_OTHERS) sample.names.push(row.name);
    }
    const [android] = row.androidApps;
    if (android !== undefined && sample.androidApps.length < SAMPLE_OTHERS && random() < 0.05) {
      sample.androidApps.push(android);
    }
    const [ios] = row.iosApps;
    if (ios !== undefined && sample.iosApps.length < SAMPLE_OTHERS && random() < 0.05) sample.iosApps.push(ios);
    if (buffer.length > 1 << 20) {
      bytes += Buffer.byteLength(buffer);
      await write(buffer);
      buffer = '';
    }
  }
  bytes += Buffer.byteLength(buffer);
  await write(buffer);
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));

  const sampleFile = `${options.out}.sample.json`;
  fs.writeFileSync(sampleFile, `${JSON.stringify(sample)}\n`);
  return { file: options.out, sampleFile, rows, bytes, ms: Math.round(performance.now() - started), sample };
}

function generateRow(
  i: number,
  random: () => number,
  usedLabels: Set<string>,
  reserved: readonly string[],
): Omit<RegistryRow, 'line'> {
  const status = drawStatus(random);
  const isShop = status === 'notified' || random() < 0.6;
  const category = pick(CATEGORIES, random);
  const brand = pick(BRANDS, random);
  const place = random() < 0.35 ? pick(PLACES, random) : undefined;
  const prefix = isShop ? pick(SHOP_PREFIXES, random) : pick(PLATFORM_PREFIXES, random);

  const parts = random() < 0.5 ? [category, brand] : [brand, category];
  if (place) parts.push(place);
  const name = [prefix, ...parts.map(([written]) => written)].filter((part) => part !== '').join(' ');
  const label = uniqueLabel(
    parts.map(([, spelled]) => spelled),
    random,
    usedLabels,
    reserved,
  );

  const domains = [`${label}.${pick(['vn', 'com.vn', 'com', 'vn', 'com.vn'], random)}`];
  if (random() < 0.1) domains.push(`${label}.${domains[0]?.endsWith('.com') ? 'vn' : 'com'}`);
  const androidApps = random() < 0.08 ? [`vn.${label.replaceAll('-', '_')}.app`] : [];
  const iosApps = random() < 0.05 ? [String(1_500_000_000 + i)] : [];

  const year = 2016 + Math.floor(random() * 10);
  const serial = String(i).padStart(7, '0');
  let registrationNo: string | null = null;
  if (status === 'notified' || (status !== 'registered' && isShop)) registrationNo = `TB-${year}-${serial}`;
  else registrationNo = `DK-${year}-${serial}`;
  if (status === 'unregistered' || (status === 'pending' && random() < 0.7)) registrationNo = null;

  let validUntil: string | null = null;
  if (status === 'expired') validUntil = dateIn(2021, 2025, random);
  else if ((status === 'registered' || status === 'notified') && random() < 0.4) {
    // A few lapsed ones that the nightly job has not marked yet: the check answers "expired" for them.
    validUntil = random() < 0.05 ? dateIn(2023, 2024, random) : dateIn(2027, 2031, random);
  }

  return {
    registrationNo,
    name,
    kind: isShop ? 'sales' : pick(PLATFORM_KINDS_DRAWN, random),
    status,
    crossBorder: random() < 0.05,
    domains,
    androidApps,
    iosApps,
    orgName: null,
    taxCode: null,
    validUntil,
    legacyId: status === 'notified' && random() < 0.2 ? `WebDetails/${1_000_000 + i}` : null,
  };
}

/** A domain label from the spelled words, made unique with a number (or a hyphen) when it is taken. */
function uniqueLabel(
  words: readonly string[],
  random: () => number,
  usedLabels: Set<string>,
  reserved: readonly string[],
): string {
  const base = words.join(random() < 0.15 ? '-' : '').slice(0, 50);
  let label = base;
  for (let attempt = 0; ; attempt++) {
    if (!usedLabels.has(label) && !reserved.some((key) => label.includes(key))) break;
    label = `${base}${Math.floor(random() * 10 ** Math.min(6, 2 + Math.floor(attempt / 3)))}`;
  }
  usedLabels.add(label);
  return label;
}

function generateOrganisation(
  i: number,
  platformName: string,
  random: () => number,
): { name: string; taxCode: string } {
  const roll = random();
  const person = `${pick(SURNAMES, random)} ${pick(MIDDLE_NAMES, random)} ${pick(GIVEN_NAMES, random)}`;
  const core = platformName.replace(/^(Cửa hàng|Shop|Tiệm|Nhà|Siêu thị|Chợ|Kho|Sàn TMĐT|Sàn|Mạng) /, '');
  const name =
    roll < 0.45
      ? `Công ty TNHH ${core}`
      : roll < 0.7
        ? `Công ty Cổ phần ${core}`
        : roll < 0.9
          ? `Hộ kinh doanh ${person}`
          : `Công ty TNHH Thương mại ${person.split(' ').at(-1)} ${i}`;
  return { name, taxCode: taxCodeFor(i, random() < 0.03) };
}

/**
 * A tax code that passes the checksum, unique per organisation number: nine digits `05nnnnnnn` (then 06…, 07… when
 * no check digit exists for them), far from the demo register's codes.
 */
function taxCodeFor(organisation: number, isBranch: boolean): string {
  for (const prefix of ['05', '06', '07']) {
    const firstNine = `${prefix}${String(organisation).padStart(7, '0')}`;
    const check = computeTaxCodeCheckDigit(firstNine);
    if (check !== undefined) return `${firstNine}${check}${isBranch ? '-001' : ''}`;
  }
  throw new Error(`no valid tax code for organisation ${organisation}`);
}

function drawStatus(random: () => number): RegistryRow['status'] {
  let roll = random();
  for (const [status, share] of STATUS_SHARES) {
    roll -= share;
    if (roll < 0) return status;
  }
  return 'notified';
}

function dateIn(fromYear: number, toYear: number, random: () => number): string {
  const year = fromYear + Math.floor(random() * (toYear - fromYear + 1));
  const month = 1 + Math.floor(random() * 12);
  const day = 1 + Math.floor(random() * 28);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function formatRow(row: Omit<RegistryRow, 'line'>): string {
  return `${[
    row.registrationNo ?? '',
    row.name,
    row.kind,
    row.status,
    row.crossBorder ? 'true' : 'false',
    row.domains.join('|'),
    row.androidApps.join('|'),
    row.iosApps.join('|'),
    row.orgName ?? '',
    row.taxCode ?? '',
    row.validUntil ?? '',
    row.legacyId ?? '',
  ]
    .map(csvField)
    .join(',')}\n`;
}

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)] as T;
}

/** mulberry32: a small seeded generator, so every run writes the same register. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `npm run bench -- generate-register [--platforms N] [--seed S] [--out FILE]`. */
export async function main(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      platforms: { type: 'string', default: '1000000' },
      seed: { type: 'string', default: String(DEFAULT_SEED) },
      out: { type: 'string', default: 'bench/.data/register.csv' },
    },
  });
  const result = await generateRegister({
    platforms: Number(values.platforms),
    seed: Number(values.seed),
    out: path.resolve(values.out),
  });
  const { sample: _, ...summary } = result;
  console.log(JSON.stringify(summary, null, 2));
}
