/**
 * Look-alike detection: false positives on a corpus of unrelated domains, and the time of one analysis against a
 * register of a million platforms.
 *
 *   npx tsx bench/lookalike.ts [targets]        (default 1,000,000; add --expose-gc via NODE_OPTIONS for memory)
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tryNormalizeHost } from '../src/core/hosts.ts';
import {
  createLookalikeIndex,
  type LookalikeIndex,
  type LookalikeMatch,
  type LookalikeTarget,
} from '../src/modules/check/lookalike.ts';

const CORPUS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'corpus');

export interface FalsePositiveReport {
  checked: number;
  /** The corpus domains reported as look-alikes. */
  flagged: string[];
  /** What each flagged domain was said to imitate, for reading the report. */
  matches: Array<{ domain: string; match: LookalikeMatch }>;
  /** flagged / checked. */
  rate: number;
}

/** Indexes the targets (domains and names, as the check does) and counts corpus domains reported as look-alikes. */
export function measureLookalikeFalsePositives(
  targets: readonly LookalikeTarget[],
  domains: readonly string[],
): FalsePositiveReport {
  const index = buildIndex(targets);
  const matches: FalsePositiveReport['matches'] = [];
  let checked = 0;
  for (const domain of domains) {
    const host = tryNormalizeHost(domain);
    if (host === undefined) continue;
    checked++;
    const match = index.find(host);
    if (match) matches.push({ domain, match });
  }
  return {
    checked,
    flagged: matches.map(({ domain }) => domain),
    matches,
    rate: checked === 0 ? 0 : matches.length / checked,
  };
}

/** Reads bench/corpus/unrelated-domains.txt. */
export function readUnrelatedDomains(): string[] {
  return readFileSync(join(CORPUS_DIR, 'unrelated-domains.txt'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

export interface LookalikeBenchOptions {
  /** Platforms in the generated register (one domain and one name each). */
  targets: number;
  /** Hosts analysed per timing round (default 20,000). */
  queries?: number;
}

export interface LookalikeBenchResult {
  targets: number;
  queries: number;
  /** Time to add every target and its brand name. */
  buildMs: number;
  /** Heap the index takes (the register's strings not counted), when run with --expose-gc; otherwise null. */
  indexHeapMb: number | null;
  /** find() on an already normalised host (wall time; CPU time alongside). */
  findMedianUs: number;
  findP99Us: number;
  findCpuMedianUs: number;
  /** normalizeHost + find on the raw host string: one full analysis. */
  analysisMedianUs: number;
  analysisP99Us: number;
  analysisCpuMedianUs: number;
  /** Baseline in the same run: Map.get of the registrable domain in a Map of every target domain. */
  baselineMedianUs: number;
  baselineP99Us: number;
  /** Share of the query mix reported as a look-alike (the mix plants 25%: edits and subdomains). */
  flaggedShare: number;
  /** Share of the random unknown hosts (none planted) reported anyway: chance matches in a register this big. */
  unplantedFlaggedShare: number;
}

/** Hosts are timed in batches: one hrtime call per host would cost more than a Map lookup. */
const BATCH_SIZE = 50;
const SUFFIXES = ['vn', 'com.vn', 'com', 'net', 'shop', 'store', 'online', 'asia', 'io', 'org'];

export function runLookalikeBench(options: LookalikeBenchOptions): LookalikeBenchResult {
  const queryCount = options.queries ?? 20_000;
  const random = createRandom(20241026);
  const words = [...readWordList('words-vi.txt'), ...readWordList('words-en.txt')];

  // The register's own strings (ids, names, domains) exist before the index, as they do in the check.
  const targetDomains = generateTargetDomains(options.targets, words, random);
  const platformIds = targetDomains.map((_, i) => `p${i}`);
  const platformNames = targetDomains.map(nameOfDomain);
  collectGarbage();
  const heapBefore = process.memoryUsage().heapUsed;
  const buildStart = performance.now();
  const index = createLookalikeIndex();
  targetDomains.forEach((domain, i) => {
    const platformId = platformIds[i] ?? '';
    const platformName = platformNames[i] ?? '';
    index.add({ platformId, platformName, domain });
    index.addBrandName(platformId, platformName, domain);
  });
  const buildMs = performance.now() - buildStart;
  collectGarbage();
  const indexHeapMb = hasGc() ? (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20 : null;

  const queries = generateQueries(queryCount, targetDomains, words, random);
  const rawQueries = queries.map(({ raw }) => raw);
  const hosts = rawQueries.map((raw) => tryNormalizeHost(raw)).filter((host) => host !== undefined);
  const domainSet = new Map(targetDomains.map((domain, i) => [domain, i]));

  let flagged = 0;
  let unplanted = 0;
  let unplantedFlagged = 0;
  for (const { raw, planted } of queries) {
    const host = tryNormalizeHost(raw);
    const isFlagged = host !== undefined && index.find(host) !== undefined; // also warms up
    if (isFlagged) flagged++;
    if (!planted) unplanted++;
    if (!planted && isFlagged) unplantedFlagged++;
  }

  const find = timeInBatches(hosts, (host) => index.find(host));
  const analysis = timeInBatches(rawQueries, (raw) => {
    const host = tryNormalizeHost(raw);
    return host && index.find(host);
  });
  const baseline = timeInBatches(hosts, (host) => domainSet.get(host.registrableDomain));

  return {
    targets: index.size,
    queries: hosts.length,
    buildMs: round(buildMs),
    indexHeapMb: indexHeapMb === null ? null : round(indexHeapMb),
    findMedianUs: find.medianUs,
    findP99Us: find.p99Us,
    findCpuMedianUs: find.cpuMedianUs,
    analysisMedianUs: analysis.medianUs,
    analysisP99Us: analysis.p99Us,
    analysisCpuMedianUs: analysis.cpuMedianUs,
    baselineMedianUs: baseline.medianUs,
    baselineP99Us: baseline.p99Us,
    flaggedShare: round(flagged / hosts.length),
    unplantedFlaggedShare: Math.round((unplantedFlagged / unplanted) * 10_000) / 10_000,
  };
}

function buildIndex(targets: readonly LookalikeTarget[]): LookalikeIndex {
  const index = createLookalikeIndex();
  for (const target of targets) {
    index.add(target);
    index.addBrandName(target.platformId, target.platformName, target.domain);
  }
  return index;
}

interface BatchTimes {
  medianUs: number;
  p99Us: number;
  /** Median of the process's CPU time a host: unlike wall time, not inflated when other processes share the CPU. */
  cpuMedianUs: number;
}

/** Per-host time (µs) of each batch, as median and 99th percentile over the batches; three rounds, warm. */
function timeInBatches<T>(items: readonly T[], work: (item: T) => unknown): BatchTimes {
  const wallUs: number[] = [];
  const cpuUs: number[] = [];
  let sink = 0;
  for (let round = 0; round < 3; round++) {
    for (let start = 0; start + BATCH_SIZE <= items.length; start += BATCH_SIZE) {
      const cpuBefore = process.cpuUsage();
      const began = process.hrtime.bigint();
      for (let i = start; i < start + BATCH_SIZE; i++) if (work(items[i] as T)) sink++;
      wallUs.push(Number(process.hrtime.bigint() - began) / 1000 / BATCH_SIZE);
      const cpu = process.cpuUsage(cpuBefore);
      cpuUs.push((cpu.user + cpu.system) / BATCH_SIZE);
    }
  }
  if (sink < 0) console.log(sink); // keeps the work observable to the optimiser
  wallUs.sort((a, b) => a - b);
  cpuUs.sort((a, b) => a - b);
  return {
    medianUs: round(percentile(wallUs, 0.5)),
    p99Us: round(percentile(wallUs, 0.99)),
    cpuMedianUs: round(percentile(cpuUs, 0.5)),
  };
}

/** Plausible shop domains: one to three words, sometimes a hyphen or a number, under a common suffix. */
function generateTargetDomains(count: number, words: readonly string[], random: () => number): string[] {
  const domains = new Set<string>();
  while (domains.size < count) {
    const parts = [pick(words, random), pick(words, random)];
    if (random() < 0.5) parts.push(pick(words, random));
    let label = parts.join(random() < 0.1 ? '-' : '');
    if (random() < 0.05) label += String(Math.floor(random() * 100));
    if (label.length <= 63) domains.add(`${label}.${pick(SUFFIXES, random)}`);
  }
  return [...domains];
}

/**
 * The query mix: 70% unknown hosts (random letters, www/m subdomains), 15% edits of registered labels, 10% a
 * registered label as a subdomain of another domain, 5% internationalised names.
 */
function generateQueries(
  count: number,
  targetDomains: readonly string[],
  words: readonly string[],
  random: () => number,
): Array<{ raw: string; planted: boolean }> {
  const queries: Array<{ raw: string; planted: boolean }> = [];
  while (queries.length < count) {
    const roll = random();
    const target = pick(targetDomains, random);
    const targetLabel = target.slice(0, target.indexOf('.'));
    if (roll < 0.7) {
      const prefix = random() < 0.3 ? pick(['www.', 'm.', 'shop.'], random) : '';
      const label = randomLetters(5 + Math.floor(random() * 12), random);
      queries.push({ raw: `${prefix}${label}.${pick(SUFFIXES, random)}`, planted: false });
    } else if (roll < 0.85) {
      queries.push({ raw: `${applyRandomEdit(targetLabel, random)}.${pick(SUFFIXES, random)}`, planted: true });
    } else if (roll < 0.95) {
      queries.push({ raw: `${targetLabel}.${randomLetters(8, random)}.top`, planted: true });
    } else {
      queries.push({ raw: `${pick(words, random)}-cửa-hàng-${randomLetters(4, random)}.vn`, planted: false });
    }
  }
  return queries;
}

function applyRandomEdit(label: string, random: () => number): string {
  const i = Math.floor(random() * label.length);
  const letter = randomLetters(1, random);
  switch (Math.floor(random() * 4)) {
    case 0:
      return label.slice(0, i) + label.slice(i + 1);
    case 1:
      return label.slice(0, i) + letter + label.slice(i);
    case 2:
      return label.slice(0, i) + letter + label.slice(i + 1);
    default:
      return `${label}-sale`;
  }
}

function nameOfDomain(domain: string): string {
  const label = domain.slice(0, domain.indexOf('.'));
  return `Cửa hàng ${label}`;
}

function randomLetters(length: number, random: () => number): string {
  let letters = '';
  for (let i = 0; i < length; i++) letters += String.fromCharCode(97 + Math.floor(random() * 26));
  return letters;
}

function readWordList(fileName: string): string[] {
  return readFileSync(join(CORPUS_DIR, fileName), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)] as T;
}

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? Number.NaN;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

function hasGc(): boolean {
  return typeof globalThis.gc === 'function';
}

function collectGarbage(): void {
  globalThis.gc?.();
}

/** mulberry32: a small seeded generator, so every run analyses the same hosts. */
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
  const targets = Number(process.argv[2] ?? 1_000_000);
  console.log(JSON.stringify(runLookalikeBench({ targets }), null, 2));
}
