/**
 * The public search at a million platforms (issue 9): p50/p99 of each kind of query, PGlite and PostgreSQL.
 *
 * Name searches are set against the 50 ms budget (p99) and as a ratio to a registration-number lookup.
 *
 *   npm run bench -- search [--platforms 1000000] [--database pglite|postgres|both] [--requests 4000] [--warmup 500]
 *                           [--seed 8598] [--server postgres://postgres@127.0.0.1:5432] [--keep]
 *
 * For each database: the seeded register of bench/generate-register.ts, imported with the real CLI (`ecomgov registry
 * import`; on PostgreSQL into a fresh database on --server, which the benchmark creates and drops, vacuumed after the
 * import as autovacuum would); then, in process, the plan of every statement of a few searches of each kind by EXPLAIN
 * (ANALYZE), each checked for a sequential scan of the register; then `ecomgov serve --no-demo` (rate limits off) and
 * one autocannon connection sending a seeded, shuffled mix of queries one after another, so that each time is a
 * search's own and not a queue's: common words, rare words (whole names, three-word pieces of names), Vietnamese with
 * and without diacritics, one-, two- and three-letter queries, pages 2 to 5 through next_cursor, registration numbers,
 * domains; and the baseline, `GET /r/{registration_no}` (the public lookup of a record by its number: a unique-index
 * look-up, its status history, a page). A registration number typed into the search is not that baseline: the search
 * also looks for it in names, which for a query no name holds means the trigram index. Kinds are interleaved, so the
 * machine's drift from minute to minute touches them alike. It prints, it does not fail; results go to
 * bench/results/search.json. Data lives in bench/.data/ (shared with the check benchmark; removed at the end unless
 * --keep, which also reuses a register imported by an earlier run, and keeps the PostgreSQL database).
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import pg from 'pg';
import type { Database } from '../src/core/db.ts';
import { brandKey, foldForSearch } from '../src/core/text.ts';
import { type SearchTracer, searchPlatforms } from '../src/modules/registry/registry.search.ts';
import { openMigratedDatabase } from '../src/runtime.ts';
import {
  CLI,
  DATA_DIR,
  findFreePort,
  HOST,
  printTable,
  type Row,
  runMeasured,
  type StartedServer,
  startServer,
  stopServer,
  wholeNumberOption,
  withTimeout,
} from './check.ts';
import { createRandom, DEFAULT_SEED, generateRegister, type RegisterSample } from './generate-register.ts';

const RESULTS_FILE = path.resolve(import.meta.dirname, 'results', 'search.json');
const BUDGET_P99_MS = 50;
const TIMEOUT_MS = { generate: 300_000, import: 1_800_000, vacuum: 900_000 };
const PAGE_SIZE = 20;
/** Searches of each kind whose statements are explained. */
const EXPLAINED_PER_KIND = 3;

const KINDS = [
  'common word',
  'rare words',
  'with diacritics',
  'without diacritics',
  'one letter',
  'two letters',
  'three letters',
  'pages 2-5',
  'registration number',
  'domain',
  'record by number',
] as const;
type Kind = (typeof KINDS)[number];
/** The kinds that are name searches: the budget's. */
const NAME_KINDS: readonly Kind[] = KINDS.slice(0, KINDS.indexOf('pages 2-5') + 1);
/** The baseline: `GET /r/{registration_no}`, the public lookup of a record by its number (one unique-index look-up). */
const BASELINE: Kind = 'record by number';

type DatabaseKind = 'pglite' | 'postgres';

export interface SearchBenchOptions {
  platforms: number;
  databases: DatabaseKind[];
  /** Measured requests per database, all kinds together. */
  requests: number;
  /** Requests before the measured ones (the same mix, another order), not measured. */
  warmup: number;
  seed: number;
  /** The PostgreSQL server, without a database name. */
  server: string;
  keep: boolean;
  logLevel: string;
}

interface Latency {
  requests: number;
  non200: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

interface ExplainedStatement {
  step: string;
  executionMs: number;
  /** The plan's nodes, outermost first: "Limit > Index Only Scan using platforms_name_order_idx (21 rows)". */
  shape: string;
  readsRegisterSequentially: boolean;
}

interface ExplainedSearch {
  kind: Kind;
  q: string;
  page: number;
  statements: ExplainedStatement[];
}

interface ImportFigures {
  rows: number;
  importMs: number;
  importPeakRssMb: number | null;
  /** true when --keep found the register imported by an earlier run: these figures are that run's. */
  reused: boolean;
}

interface DatabaseFigures {
  database: DatabaseKind;
  import: ImportFigures;
  vacuumMs: number | null;
  serverStartMs: number;
  distinctQueries: Record<Kind, number>;
  plans: ExplainedSearch[];
  sequentialScans: number;
  latency: Record<Kind, Latency>;
  nameSearch: Latency;
  ratioToRegistrationNumber: number;
  table: Row[];
}

export async function runSearchBench(options: SearchBenchOptions): Promise<void> {
  const children = new Set<ChildProcess>();
  const started = performance.now();
  const loadAtStart = os.loadavg();
  fs.mkdirSync(DATA_DIR, { recursive: true });
  const csvFile = path.join(DATA_DIR, `register-${options.platforms}-${options.seed}.csv`);
  const created: string[] = [];
  try {
    const sample = await ensureRegisterFile(csvFile, options);
    const figures: DatabaseFigures[] = [];
    for (const database of options.databases) {
      figures.push(await benchDatabase(database, csvFile, sample, options, children, created));
    }
    for (const figure of figures) {
      console.log(`\n${figure.database}: ${options.platforms.toLocaleString('en')} platforms`);
      printTable(figure.table);
      printPlans(figure.plans);
    }
    const results = {
      command: `npm run bench -- search --platforms ${options.platforms} --database ${options.databases.length === 2 ? 'both' : options.databases[0]} --requests ${options.requests} --warmup ${options.warmup} --seed ${options.seed}`,
      date: new Date().toISOString(),
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model ?? 'unknown',
        memoryGb: Math.round(os.totalmem() / 2 ** 30),
        // Other work on the machine (1, 5, 15 minutes), at the start and at the end: it shows in the p99s.
        loadAverage: [loadAtStart, os.loadavg()].map((loads) => loads.map((load) => Math.round(load * 100) / 100)),
        node: process.version,
      },
      options,
      budget: { nameSearchP99Ms: BUDGET_P99_MS },
      databases: figures,
      totalSeconds: Math.round((performance.now() - started) / 1000),
    };
    fs.mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
    fs.writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
    log(`results written to bench/results/search.json (${results.totalSeconds} s in all)`);
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    if (!options.keep) {
      for (const name of created) await dropServerDatabase(options.server, name).catch(() => {});
      fs.rmSync(DATA_DIR, { recursive: true, force: true });
    }
  }
}

async function ensureRegisterFile(csvFile: string, options: SearchBenchOptions): Promise<RegisterSample> {
  if (fs.existsSync(csvFile) && fs.existsSync(`${csvFile}.sample.json`)) {
    log(`register: reusing ${path.relative(process.cwd(), csvFile)}`);
    return JSON.parse(fs.readFileSync(`${csvFile}.sample.json`, 'utf8')) as RegisterSample;
  }
  log(`register: generating ${options.platforms.toLocaleString('en')} platforms (seed ${options.seed})`);
  const generated = await withTimeout(
    generateRegister({ platforms: options.platforms, seed: options.seed, out: csvFile }),
    TIMEOUT_MS.generate,
    'generating the register',
  );
  return generated.sample;
}

async function benchDatabase(
  database: DatabaseKind,
  csvFile: string,
  sample: RegisterSample,
  options: SearchBenchOptions,
  children: Set<ChildProcess>,
  created: string[],
): Promise<DatabaseFigures> {
  const name = `${options.platforms}-${options.seed}`;
  // The embedded register is the check benchmark's (bench-import.json is its marker of a complete import).
  const dataDir = path.join(DATA_DIR, database === 'pglite' ? `db-${name}` : `serve-postgres-${name}`);
  const serverDatabase = `ecomgov_bench_search_${options.platforms}_${options.seed}`;
  const databaseUrl = database === 'postgres' ? `${options.server}/${serverDatabase}` : undefined;
  const marker = database === 'pglite' ? path.join(dataDir, 'bench-search-import.json') : `${dataDir}.import.json`;

  // 1. The register, imported with the CLI (or, with --keep, as an earlier run left it).
  let imported: ImportFigures;
  const checkMarker = path.join(dataDir, 'bench-import.json');
  const exists = database === 'pglite' || (await serverDatabaseExists(options.server, serverDatabase));
  if (options.keep && exists && (fs.existsSync(marker) || (database === 'pglite' && fs.existsSync(checkMarker)))) {
    const earlier = JSON.parse(fs.readFileSync(fs.existsSync(marker) ? marker : checkMarker, 'utf8')) as ImportFigures;
    imported = {
      rows: earlier.rows,
      importMs: earlier.importMs,
      importPeakRssMb: earlier.importPeakRssMb,
      reused: true,
    };
    log(`${database}: register already imported (--keep); reporting the import of the run that made it`);
  } else {
    if (database === 'pglite') fs.rmSync(dataDir, { recursive: true, force: true });
    else await createServerDatabase(options.server, serverDatabase, created);
    fs.mkdirSync(dataDir, { recursive: true });
    log(`${database}: ecomgov registry import …`);
    const command = [process.execPath, CLI, ...(database === 'pglite' ? ['--data', dataDir] : [])];
    const run = await runMeasured(
      [...command, 'registry', 'import', csvFile, '--json'],
      TIMEOUT_MS.import,
      children,
      databaseUrl,
    );
    if (run.code !== 0) throw new Error(`registry import failed (exit ${run.code}): ${run.stderr.slice(0, 2000)}`);
    const output = JSON.parse(run.stdout) as { rows: number };
    imported = { rows: output.rows, importMs: Math.round(run.wallMs), importPeakRssMb: run.peakRssMb, reused: false };
    fs.writeFileSync(marker, JSON.stringify(imported));
    log(`  ${(run.wallMs / 1000).toFixed(1)} s, peak RSS ${run.peakRssMb} MB`);
  }

  // 2. In process: what a server's autovacuum would have done, the registration numbers of the mix, the plans.
  const opened = await openMigratedDatabase({ dataDir, databaseUrl });
  let vacuumMs: number | null = null;
  let queries: Map<Kind, string[]>;
  let plans: ExplainedSearch[];
  try {
    if (database === 'postgres') {
      const began = performance.now();
      await withTimeout(
        sql`VACUUM (ANALYZE) platforms, platform_identities, organisations`.execute(opened.db),
        TIMEOUT_MS.vacuum,
        'VACUUM',
      );
      vacuumMs = Math.round(performance.now() - began);
    }
    queries = buildQueries(sample, await sampleRegistrationNumbers(opened, options.seed), options.seed);
    log(`${database}: explaining ${EXPLAINED_PER_KIND} searches of each kind …`);
    plans = await explainSearches(opened, queries);
  } finally {
    await opened.close();
  }
  const sequentialScans = plans.flatMap((plan) => plan.statements).filter((s) => s.readsRegisterSequentially).length;

  // 3. Over HTTP.
  const port = await findFreePort();
  log(`${database}: serve --no-demo …`);
  const server: StartedServer = await startServer(dataDir, port, options, children, databaseUrl);
  let latency: Record<Kind, Latency>;
  let nameSearch: Latency;
  try {
    const base = `http://${HOST}:${port}`;
    const pages = await collectPagePaths(base, queries.get('common word') ?? []);
    const paths = new Map<Kind, string[]>(
      KINDS.map((kind) => [kind, kind === 'pages 2-5' ? pages : (queries.get(kind) ?? []).map((q) => pathOf(kind, q))]),
    );
    log(`${database}: ${options.warmup} requests of warm-up, then ${options.requests} measured, one at a time …`);
    await measureMix(base, shuffledMix(paths, options.warmup, options.seed ^ 0x77));
    const samples = await measureMix(base, shuffledMix(paths, options.requests, options.seed));
    latency = Object.fromEntries(KINDS.map((kind) => [kind, summarise(samples.get(kind) ?? [])])) as Record<
      Kind,
      Latency
    >;
    nameSearch = summarise(NAME_KINDS.flatMap((kind) => samples.get(kind) ?? []));
  } finally {
    await stopServer(server.child);
  }
  const baseline = latency[BASELINE];
  const ratio = nameSearch.p99Ms / Math.max(baseline.p99Ms, 0.001);
  return {
    database,
    import: imported,
    vacuumMs,
    serverStartMs: Math.round(server.startMs),
    distinctQueries: Object.fromEntries(
      KINDS.map((kind) => [kind, kind === 'pages 2-5' ? -1 : new Set(queries.get(kind)).size]),
    ) as Record<Kind, number>,
    plans,
    sequentialScans,
    latency,
    nameSearch,
    ratioToRegistrationNumber: Math.round(ratio * 100) / 100,
    table: tableOf(imported, vacuumMs, server.startMs, latency, nameSearch, sequentialScans, plans.length),
  };
}

// ---------------------------------------------------------------------------------------------------
// The PostgreSQL server

async function withServer<T>(server: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: `${server}/postgres` });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

async function serverDatabaseExists(server: string, name: string): Promise<boolean> {
  return withServer(server, async (client) => {
    const result = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    return (result.rowCount ?? 0) > 0;
  });
}

async function createServerDatabase(server: string, name: string, created: string[]): Promise<void> {
  await withServer(server, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${name}`);
  });
  created.push(name);
}

async function dropServerDatabase(server: string, name: string): Promise<void> {
  await withServer(server, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

// ---------------------------------------------------------------------------------------------------
// The mix

/** Registration numbers of platforms at seeded random places in the register. */
async function sampleRegistrationNumbers(database: Database, seed: number): Promise<string[]> {
  const random = createRandom(seed ^ 0x4e6f);
  const numbers: string[] = [];
  for (let i = 0; i < 200; i++) {
    const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
    const from = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    const row = await sql<{ registration_no: string }>`
      SELECT registration_no FROM platforms WHERE registration_no IS NOT NULL AND id >= ${from}::uuid
      ORDER BY id LIMIT 1`.execute(database.db);
    if (row.rows[0]) numbers.push(row.rows[0].registration_no);
  }
  return numbers;
}

/**
 * The queries of each kind, from the names and domains drawn from the register (its sample file) and the
 * registration numbers drawn from the database. Pages 2-5 are made over HTTP from the common words.
 */
export function buildQueries(sample: RegisterSample, registrationNumbers: string[], seed: number): Map<Kind, string[]> {
  const random = createRandom(seed ^ 0x5ea7c4);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const wordsOf = (name: string) => name.split(' ').filter((word) => word !== '');
  const names = sample.names.map(wordsOf).filter((words) => words.length > 0);

  // Common: the words and pairs of words found in the most names of the sample (a category, a brand, "Cửa hàng").
  const namesHolding = new Map<string, number>();
  for (const words of names) {
    const pieces = new Set([
      ...words.filter((word) => word.length >= 3),
      ...words.slice(1).map((word, i) => `${words[i]} ${word}`),
    ]);
    for (const piece of pieces) namesHolding.set(piece, (namesHolding.get(piece) ?? 0) + 1);
  }
  const common = [...namesHolding.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, 40)
    .map(([piece]) => piece);

  const rare: string[] = [];
  const withDiacritics: string[] = [];
  const withoutDiacritics: string[] = [];
  const one: string[] = [];
  const two: string[] = [];
  const three: string[] = [];
  for (let i = 0; i < 150; i++) {
    const words = pick(names);
    rare.push(random() < 0.5 || words.length < 3 ? words.join(' ') : words.slice(-3).join(' '));
    const length = Math.min(words.length, 2 + Math.floor(random() * 2));
    const start = Math.floor(random() * (words.length - length + 1));
    const phrase = words.slice(start, start + length).join(' ');
    const typed = random() < 0.5 ? phrase.toLowerCase() : phrase;
    withDiacritics.push(typed);
    withoutDiacritics.push(foldForSearch(typed));
    const word = pick(words).toLowerCase();
    one.push(word.slice(0, 1));
    two.push(word.length >= 2 ? word.slice(0, 2) : word);
    // Three letters: the start of a word as often as any three letters of a name (a piece of a word: "hop", "ang").
    const compact = brandKey(words.join(' '));
    const at = Math.floor(random() * Math.max(1, compact.length - 2));
    three.push(random() < 0.5 ? foldForSearch(word).slice(0, 3) : compact.slice(at, at + 3));
  }
  const domains = sample.domains.slice(0, 300).map((domain) => (random() < 0.5 ? domain : `https://www.${domain}/`));
  return new Map<Kind, string[]>([
    ['common word', common],
    ['rare words', rare],
    ['with diacritics', withDiacritics],
    ['without diacritics', withoutDiacritics],
    ['one letter', one],
    ['two letters', two],
    ['three letters', three],
    ['pages 2-5', []],
    ['registration number', registrationNumbers],
    ['domain', domains],
    ['record by number', registrationNumbers],
  ]);
}

function pathOf(kind: Kind, q: string): string {
  return kind === BASELINE ? `/r/${encodeURIComponent(q)}` : searchPath(q);
}

function searchPath(q: string, cursor?: string): string {
  const params = new URLSearchParams({ q, limit: String(PAGE_SIZE) });
  if (cursor !== undefined) params.set('cursor', cursor);
  return `/api/v1/platforms?${params}`;
}

/** Pages 2 to 5 of each query, through next_cursor (not measured). */
async function collectPagePaths(base: string, queries: readonly string[]): Promise<string[]> {
  const paths: string[] = [];
  for (const q of queries) {
    let cursor: string | null | undefined;
    for (let page = 1; page <= 4; page++) {
      const response = await fetch(`${base}${searchPath(q, cursor ?? undefined)}`);
      if (!response.ok) throw new Error(`search ${q} page ${page}: HTTP ${response.status}`);
      cursor = ((await response.json()) as { next_cursor: string | null }).next_cursor;
      if (cursor === null) break;
      paths.push(searchPath(q, cursor));
    }
  }
  return paths;
}

interface MixEntry {
  kind: Kind;
  path: string;
}

/** `count` requests, as many of each kind, each kind's paths in turn, the whole shuffled. */
function shuffledMix(paths: Map<Kind, string[]>, count: number, seed: number): MixEntry[] {
  const random = createRandom(seed);
  const kinds = KINDS.filter((kind) => (paths.get(kind) ?? []).length > 0);
  const mix: MixEntry[] = [];
  for (let i = 0; mix.length < count; i++) {
    const kind = kinds[i % kinds.length] as Kind;
    const list = paths.get(kind) ?? [];
    mix.push({ kind, path: list[Math.floor(i / kinds.length) % list.length] as string });
  }
  for (let i = mix.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [mix[i], mix[j]] = [mix[j] as MixEntry, mix[i] as MixEntry];
  }
  return mix;
}

interface Sample {
  ms: number;
  status: number;
}

/**
 * Sends the mix once, in order, over one connection: each request waits for the previous answer. Each response is
 * matched to its request by the request's own onResponse (which autocannon calls just before the client's
 * "response" event that carries the time).
 */
async function measureMix(base: string, mix: readonly MixEntry[]): Promise<Map<Kind, Sample[]>> {
  const samples = new Map<Kind, Sample[]>();
  let answered: { kind: Kind; status: number } | undefined;
  await autocannon({
    url: base,
    connections: 1,
    pipelining: 1,
    amount: mix.length,
    timeout: 30,
    requests: mix.map((entry) => ({
      method: 'GET' as const,
      path: entry.path,
      onResponse: (status: number) => {
        answered = { kind: entry.kind, status };
      },
    })),
    setupClient: (client) => {
      client.on('response', (_status: number, _bytes: number, ms: number) => {
        if (!answered) return;
        const list = samples.get(answered.kind) ?? [];
        list.push({ ms, status: answered.status });
        samples.set(answered.kind, list);
        answered = undefined;
      });
    },
  });
  return samples;
}

function summarise(samples: readonly Sample[]): Latency {
  const times = samples.map((sample) => sample.ms).sort((a, b) => a - b);
  const at = (quantile: number) => times[Math.max(0, Math.ceil(quantile * times.length) - 1)] ?? 0;
  const round = (ms: number) => Math.round(ms * 100) / 100;
  return {
    requests: times.length,
    non200: samples.filter((sample) => sample.status !== 200).length,
    p50Ms: round(at(0.5)),
    p99Ms: round(at(0.99)),
    maxMs: round(times.at(-1) ?? 0),
  };
}

// ---------------------------------------------------------------------------------------------------
// Plans

/** The first EXPLAINED_PER_KIND searches of each kind (and pages 3 of the first common words), every statement. */
async function explainSearches(database: Database, queries: Map<Kind, string[]>): Promise<ExplainedSearch[]> {
  const explained: ExplainedSearch[] = [];
  for (const kind of KINDS.filter((kind) => kind !== BASELINE)) {
    const list = kind === 'pages 2-5' ? (queries.get('common word') ?? []) : (queries.get(kind) ?? []);
    for (const q of [...new Set(list)].slice(0, EXPLAINED_PER_KIND)) {
      let cursor: string | undefined;
      const wantedPage = kind === 'pages 2-5' ? 3 : 1;
      for (let page = 1; page < wantedPage && (page === 1 || cursor); page++) {
        cursor = (await searchPlatforms(database.db, { q, limit: PAGE_SIZE, cursor })).next_cursor ?? undefined;
      }
      if (wantedPage > 1 && cursor === undefined) continue;
      const statements: ExplainedStatement[] = [];
      const trace: SearchTracer = async (trx, statement) => {
        const result = await sql<{ plan: [{ Plan: PlanNode; 'Execution Time': number }] }>`
          EXPLAIN (ANALYZE, FORMAT JSON) ${statement.query}`.execute(trx);
        const root = (Object.values(result.rows[0] ?? {})[0] as [{ Plan: PlanNode; 'Execution Time': number }])[0];
        statements.push({
          step: statement.step,
          executionMs: Math.round(root['Execution Time'] * 100) / 100,
          shape: planShape(root.Plan),
          readsRegisterSequentially: readsSequentially(root.Plan),
        });
      };
      await searchPlatforms(database.db, { q, limit: PAGE_SIZE, cursor }, { trace });
      explained.push({ kind, q, page: wantedPage, statements });
    }
  }
  return explained;
}

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Relation Name'?: string;
  'Actual Rows'?: number;
  Plans?: PlanNode[];
}

function planShape(node: PlanNode): string {
  const self = `${node['Node Type']}${node['Index Name'] ? ` using ${node['Index Name']}` : ''}${
    node['Relation Name'] && !node['Index Name'] ? ` on ${node['Relation Name']}` : ''
  } (${node['Actual Rows'] ?? '?'} rows)`;
  const children = (node.Plans ?? []).map(planShape);
  return children.length === 0 ? self : `${self} > ${children.length === 1 ? children[0] : `[${children.join('; ')}]`}`;
}

function readsSequentially(node: PlanNode): boolean {
  const isRegister = ['platforms', 'platform_identities', 'organisations'].includes(node['Relation Name'] ?? '');
  return (node['Node Type'] === 'Seq Scan' && isRegister) || (node.Plans ?? []).some(readsSequentially);
}

// ---------------------------------------------------------------------------------------------------
// Report

function tableOf(
  imported: ImportFigures,
  vacuumMs: number | null,
  startMs: number,
  latency: Record<Kind, Latency>,
  nameSearch: Latency,
  sequentialScans: number,
  explainedSearches: number,
): Row[] {
  const baseline = latency[BASELINE];
  const baselineText = `/r/{number} p99 ${baseline.p99Ms} ms`;
  const ratio = (p99: number) =>
    `p99 ${(p99 / Math.max(baseline.p99Ms, 0.001)).toFixed(1)}× /r/{number}; ${(p99 / BUDGET_P99_MS).toFixed(2)} of budget`;
  const rows: Row[] = [
    {
      figure: `registry import (CLI)${imported.reused ? ' (earlier run, --keep)' : ''}`,
      measured: `${(imported.importMs / 1000).toFixed(1)} s`,
      baseline: `${imported.rows.toLocaleString('en')} rows`,
      ratio: imported.importPeakRssMb === null ? '' : `peak RSS ${imported.importPeakRssMb} MB`,
      target: '',
      met: null,
    },
    {
      figure: 'server start; VACUUM (ANALYZE) after import',
      measured: `${(startMs / 1000).toFixed(1)} s; ${vacuumMs === null ? '—' : `${(vacuumMs / 1000).toFixed(1)} s`}`,
      baseline: '',
      ratio: '',
      target: '',
      met: null,
    },
    {
      figure: `plans: sequential scans of the register`,
      measured: String(sequentialScans),
      baseline: `${explainedSearches} searches explained`,
      ratio: '',
      target: '0',
      met: sequentialScans === 0,
    },
    {
      figure: `name search, every name kind (${nameSearch.requests} requests)`,
      measured: `p50 ${nameSearch.p50Ms} / p99 ${nameSearch.p99Ms} ms`,
      baseline: baselineText,
      ratio: ratio(nameSearch.p99Ms),
      target: `p99 ≤ ${BUDGET_P99_MS} ms`,
      met: nameSearch.p99Ms <= BUDGET_P99_MS && nameSearch.non200 === 0,
    },
  ];
  for (const kind of KINDS) {
    const figures = latency[kind];
    const isName = NAME_KINDS.includes(kind);
    rows.push({
      figure: `  ${kind} (${figures.requests})${figures.non200 > 0 ? `, ${figures.non200} not 200` : ''}`,
      measured: `p50 ${figures.p50Ms} / p99 ${figures.p99Ms} ms`,
      baseline: kind === BASELINE ? 'the baseline' : baselineText,
      ratio: kind === BASELINE ? '' : ratio(figures.p99Ms),
      target: isName ? `p99 ≤ ${BUDGET_P99_MS} ms` : '',
      met: isName ? figures.p99Ms <= BUDGET_P99_MS && figures.non200 === 0 : null,
    });
  }
  return rows;
}

function printPlans(plans: readonly ExplainedSearch[]): void {
  const shapes = new Map<string, { kinds: Set<string>; count: number; maxMs: number; example: string }>();
  for (const plan of plans) {
    for (const statement of plan.statements) {
      const key = `${statement.step}: ${statement.shape.replace(/\(\d+ rows\)/g, '')}`;
      const entry = shapes.get(key) ?? { kinds: new Set(), count: 0, maxMs: 0, example: plan.q };
      entry.kinds.add(plan.kind);
      entry.count++;
      entry.maxMs = Math.max(entry.maxMs, statement.executionMs);
      shapes.set(key, entry);
    }
  }
  console.log('plan shapes (EXPLAIN ANALYZE of every statement of the explained searches):');
  for (const [shape, entry] of shapes) {
    console.log(
      `  ${shape.replace(/ +>/g, ' >').replace(/ +\]/g, ']').replace(/ +;/g, ';')}\n` +
        `      ${entry.count}× (${[...entry.kinds].join(', ')}), slowest ${entry.maxMs} ms; e.g. ${JSON.stringify(entry.example)}`,
    );
  }
}

function log(message: string): void {
  console.log(`[bench search] ${message}`);
}

export async function main(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      platforms: { type: 'string', default: '1000000' },
      database: { type: 'string', default: 'both' },
      requests: { type: 'string', default: '4000' },
      warmup: { type: 'string', default: '500' },
      seed: { type: 'string', default: String(DEFAULT_SEED) },
      server: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432' },
      keep: { type: 'boolean', default: false },
      'log-level': { type: 'string', default: 'warn' },
    },
  });
  const number = wholeNumberOption;
  const databases: Record<string, DatabaseKind[]> = {
    pglite: ['pglite'],
    postgres: ['postgres'],
    both: ['pglite', 'postgres'],
  };
  const chosen = databases[values.database];
  if (!chosen) throw new Error('--database must be pglite, postgres or both');
  await runSearchBench({
    platforms: number('platforms', values.platforms, 1),
    databases: chosen,
    requests: number('requests', values.requests, 1),
    warmup: number('warmup', values.warmup, 0),
    seed: number('seed', values.seed, 0),
    server: values.server.replace(/\/+$/, ''),
    keep: values.keep,
    logLevel: values['log-level'],
  });
}
