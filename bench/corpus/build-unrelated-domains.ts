/**
 * Builds bench/corpus/unrelated-domains.txt: domains that imitate no platform of the demo register, for
 * measuring look-alike false positives. Reproducible: the same word lists give the same file.
 *
 *   npx tsx bench/corpus/build-unrelated-domains.ts
 *
 * Contents: the hand-listed real sites of well-known-sites.txt, every word of words-vi.txt and words-en.txt
 * under a top-level domain, and pairs of words (joined, sometimes with a hyphen) until the file holds
 * TARGET_DOMAIN_COUNT domains. Randomness comes from a seeded generator, so reruns are identical. Names that are
 * public suffixes themselves (cantho.vn is one) are skipped.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getDomain } from 'tldts';

const CORPUS_DIR = dirname(fileURLToPath(import.meta.url));
const OUTPUT_FILE = join(CORPUS_DIR, 'unrelated-domains.txt');
const TARGET_DOMAIN_COUNT = 6000;
const SEED = 8598; // the dispatch's number; any fixed seed will do
const SUFFIXES = ['com', 'vn', 'com.vn', 'net', 'org', 'shop', 'store', 'io'];
/** Share of word pairs written with a hyphen between the words ("hoa-sen.vn"). */
const HYPHENATED_SHARE = 0.15;

/**
 * Labels that spell a demo platform's own name (con + cung = concung, sen + do = sendo) are not unrelated
 * domains, whatever the suffix: they are the brand itself. Compared without hyphens.
 */
const DEMO_BRAND_LABELS = new Set([
  'shopee',
  'lazada',
  'tiki',
  'tiktok',
  'tiktokshop',
  'sendo',
  'temu',
  'shein',
  '1688',
  'chotot',
  'thegioididong',
  'dienmayxanh',
  'fptshop',
  'cellphones',
  'hasaki',
  'concung',
  'bachhoaxanh',
  'banhtrungthuanhoa',
  'gomsubattrangdemo',
  'thoitrangmaimai',
  'myphamhoalan',
  'dochoibebi',
  'sachcuhanoi',
]);

export function buildUnrelatedDomains(): { domains: string[]; excluded: string[] } {
  const random = createRandom(SEED);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const vietnamese = readWordList('words-vi.txt');
  const english = readWordList('words-en.txt');
  const domains = new Set<string>();
  const excluded = new Set<string>();
  const addDomain = (label: string, suffix: string): void => {
    const domain = `${label}.${suffix}`;
    if (DEMO_BRAND_LABELS.has(label.replaceAll('-', ''))) excluded.add(domain);
    else if (isRegistrable(domain)) domains.add(domain);
  };

  for (const site of readWordList('well-known-sites.txt')) domains.add(site);
  for (const word of [...vietnamese, ...english]) addDomain(word, pick(SUFFIXES));

  // Pairs in the proportions shop names show: mostly Vietnamese, then English, then mixed.
  const pairSources: ReadonlyArray<readonly [readonly string[], readonly string[]]> = [
    [vietnamese, vietnamese],
    [vietnamese, vietnamese],
    [english, english],
    [vietnamese, english],
  ];
  while (domains.size < TARGET_DOMAIN_COUNT) {
    const [firstWords, secondWords] = pick(pairSources);
    const first = pick(firstWords);
    const second = pick(secondWords);
    if (first === second) continue;
    const separator = random() < HYPHENATED_SHARE ? '-' : '';
    addDomain(`${first}${separator}${second}`, pick(SUFFIXES));
  }
  return { domains: [...domains].sort(), excluded: [...excluded].sort() };
}

/** Some words are public suffixes under .vn (cantho.vn, pro.vn): no site can be registered there. */
function isRegistrable(domain: string): boolean {
  return getDomain(domain, { allowPrivateDomains: true }) === domain;
}

function readWordList(fileName: string): string[] {
  return readFileSync(join(CORPUS_DIR, fileName), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** mulberry32: a small seeded generator; Math.random cannot be seeded. */
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { domains, excluded } = buildUnrelatedDomains();
  writeFileSync(OUTPUT_FILE, `${domains.join('\n')}\n`);
  console.log(`wrote ${domains.length} domains to ${OUTPUT_FILE}`);
  if (excluded.length > 0) console.log(`left out as demo brand names: ${excluded.join(', ')}`);
}
