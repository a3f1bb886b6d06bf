/**
 * The check's speed on a register of a million platforms (issue 2 "Speed"): import, start, memory, load, look-alikes.
 *
 * Each figure is printed with a ratio against a baseline measured in the same run (see the table in README.md).
 *
 *   npm run bench -- check [--platforms 1000000] [--duration 10] [--rounds 3] [--connections 50] [--seed 8598] [--keep]
 *
 * Each figure is printed with a ratio against a baseline measured in the same run, since a 2-core machine is
 * noisy: import vs parse+validate only; server start on the register vs on an empty database; check vs health
 * throughput on the same server (and, for context, a bare server's with constant answers: the ceiling of the client and
 * kernel on this machine); look-alike analysis vs a plain Map lookup; memory vs the 1.5 GB budget. It prints,
 * it does not fail. Data lives in bench/.data/ (removed at the end unless --keep, which also skips generating and
 * importing again when the register is already there); servers listen on 127.0.0.1 and are stopped at the end;
 * the results go to bench/results/check.json.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { parseRegistryCsv } from '../src/modules/registry/registry.csv.ts';
import { createRandom, DEFAULT_SEED, generateRegister, type RegisterSample } from './generate-register.ts';
import { type LookalikeBenchResult, runLookalikeBench } from './lookalike.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
export const DATA_DIR = path.join(ROOT, 'bench', '.data');
const RESULTS_FILE = path.join(ROOT, 'bench', 'results', 'check.json');
export const CLI = path.join(ROOT, 'bin', 'ecomgov.js');
export const HOST = '127.0.0.1';

/** The figures of issue 2. */
const BUDGET = {
  importSeconds: 120,
  startSeconds: 15,
  rssMb: 1536,
  throughputRatio: 0.5,
  p99Ms: 20,
  lookalikeMedianUs: 200,
} as const;

/** Upper bounds on each phase, so that a regression makes the benchmark report it instead of hanging. */
const TIMEOUT_MS = { generate: 300_000, parse: 600_000, import: 900_000, start: 300_000, stop: 30_000 };

export interface CheckBenchOptions {
  platforms: number;
  /** Seconds of each measured load phase. */
  duration: number;
  /** Seconds of warm-up before each load phase (not measured). */
  warmup: number;
  /**
   * Rounds of health then check: the machine's speed drifts from one phase to the next (here /api/v1/health alone
   * measured 14,677 and 22,158 req/s a minute apart), so the figures are medians over rounds of adjacent phases.
   */
  rounds: number;
  connections: number;
  seed: number;
  /** Keep bench/.data/ afterwards, and reuse an imported register found there. */
  keep: boolean;
  logLevel: string;
}

interface ProcessRun {
  wallMs: number;
  /** Peak resident set (VmHWM), from /usr/bin/time -v or by polling /proc. */
  peakRssMb: number | null;
  stdout: string;
  stderr: string;
  code: number | null;
}

interface ImportFigures {
  rows: number;
  parseOnlyMs: number;
  parseOnlyPeakRssMb: number | null;
  importMs: number;
  importPeakRssMb: number | null;
  importOutput: unknown;
  /** true when --keep found the register imported by an earlier run: these figures are that run's. */
  reused: boolean;
}

interface LoadFigures {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  non2xx: number;
  errors: number;
}

interface LoadRound {
  health: LoadFigures;
  check: LoadFigures;
}

/**
 * The round whose check-to-health ratio is the median (the lower middle one for an even count): its health and check
 * phases ran back to back, so their ratio is a fair one, and its p99s are those of the same minute.
 */
function medianRound(rounds: readonly LoadRound[]): LoadRound {
  const ratio = (round: LoadRound) => round.check.requestsPerSecond / round.health.requestsPerSecond;
  const sorted = [...rounds].sort((a, b) => ratio(a) - ratio(b));
  const median = sorted[Math.floor((sorted.length - 1) / 2)];
  if (!median) throw new Error('no load round was run');
  return median;
}

interface Latency {
  p50Ms: number;
  p99Ms: number;
}

/** Each percentile's median over the rounds, for health and for check (each on its own, not the ratio's round). */
function medianLatency(rounds: readonly LoadRound[]): { health: Latency; check: Latency; errors: number } {
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)] ?? 0;
  const of = (phase: 'health' | 'check') => ({
    p50Ms: median(rounds.map((round) => round[phase].p50Ms)),
    p99Ms: median(rounds.map((round) => round[phase].p99Ms)),
  });
  return {
    health: of('health'),
    check: of('check'),
    errors: rounds.reduce((sum, round) => sum + round.check.errors, 0),
  };
}

export interface Row {
  figure: string;
  measured: string;
  baseline: string;
  ratio: string;
  target: string;
  met: boolean | null;
}

export async function runCheckBench(options: CheckBenchOptions): Promise<void> {
  const children = new Set<ChildProcess>();
  const stopAll = () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  };
  const onSignal = () => {
    stopAll();
    if (!options.keep) fs.rmSync(DATA_DIR, { recursive: true, force: true });
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const name = `register-${options.platforms}-${options.seed}`;
  const csvFile = path.join(DATA_DIR, `${name}.csv`);
  const dbDir = path.join(DATA_DIR, `db-${options.platforms}-${options.seed}`);
  const emptyDbDir = path.join(DATA_DIR, 'db-empty');
  const importMarker = path.join(dbDir, 'bench-import.json');
  if (!options.keep) fs.rmSync(DATA_DIR, { recursive: true, force: true });
  fs.mkdirSync(DATA_DIR, { recursive: true });
  const started = performance.now();

  try {
    // 1. The register.
    let sample: RegisterSample;
    if (fs.existsSync(csvFile) && fs.existsSync(`${csvFile}.sample.json`)) {
      log(`register: reusing ${path.relative(ROOT, csvFile)}`);
      sample = JSON.parse(fs.readFileSync(`${csvFile}.sample.json`, 'utf8')) as RegisterSample;
    } else {
      log(`register: generating ${options.platforms.toLocaleString('en')} platforms (seed ${options.seed})`);
      const generated = await withTimeout(
        generateRegister({ platforms: options.platforms, seed: options.seed, out: csvFile }),
        TIMEOUT_MS.generate,
        'generating the register',
      );
      log(`  ${generated.rows.toLocaleString('en')} rows, ${mb(generated.bytes)} MB in ${seconds(generated.ms)} s`);
      sample = generated.sample;
    }

    // 2. Parse-only baseline, then the real import (or the figures of the run that imported it, with --keep).
    let imported: ImportFigures;
    if (options.keep && fs.existsSync(importMarker)) {
      imported = { ...(JSON.parse(fs.readFileSync(importMarker, 'utf8')) as ImportFigures), reused: true };
      log('import: register already imported (--keep); reporting the figures of the run that imported it');
    } else {
      fs.rmSync(dbDir, { recursive: true, force: true });
      log('parse+validate only (baseline) …');
      const parsed = await runMeasured(
        [process.execPath, '--import', 'tsx', fileURLToPath(import.meta.url), '--parse-only', csvFile],
        TIMEOUT_MS.parse,
        children,
      );
      if (parsed.code !== 0) throw new Error(`parse-only failed: ${parsed.stderr}`);
      const parseResult = JSON.parse(parsed.stdout) as { rows: number; issues: number };
      if (parseResult.issues > 0) throw new Error(`the generated register has ${parseResult.issues} invalid rows`);
      log(`  ${seconds(parsed.wallMs)} s, peak RSS ${parsed.peakRssMb} MB`);
      log('ecomgov registry import …');
      const run = await runMeasured(
        [process.execPath, CLI, '--data', dbDir, 'registry', 'import', csvFile, '--json'],
        TIMEOUT_MS.import,
        children,
      );
      if (run.code !== 0) throw new Error(`registry import failed (exit ${run.code}): ${run.stderr.slice(0, 2000)}`);
      log(`  ${seconds(run.wallMs)} s, peak RSS ${run.peakRssMb} MB`);
      imported = {
        rows: parseResult.rows,
        parseOnlyMs: Math.round(parsed.wallMs),
        parseOnlyPeakRssMb: parsed.peakRssMb,
        importMs: Math.round(run.wallMs),
        importPeakRssMb: run.peakRssMb,
        importOutput: JSON.parse(run.stdout),
        reused: false,
      };
      fs.writeFileSync(importMarker, JSON.stringify(imported));
    }

    // 3. Server start: on an empty database (created by a first start, then timed on the second), and on the register.
    const port = await findFreePort();
    log('serve on an empty database (baseline) …');
    const created = await startServer(emptyDbDir, port, options, children);
    await stopServer(created.child);
    const empty = await startServer(emptyDbDir, port, options, children);
    const emptyMemory = readProcessMemory(empty.child.pid);
    await stopServer(empty.child);
    log(`  ${seconds(empty.startMs)} s`);
    log(`serve on the register of ${options.platforms.toLocaleString('en')} …`);
    const server = await startServer(dbDir, port, options, children);
    log(`  ${seconds(server.startMs)} s`);
    const afterStart = readProcessMemory(server.child.pid);

    // 4. Load: correctness and warm-up first, then health and check under 50 connections.
    const base = `http://${HOST}:${port}`;
    const inputs = buildInputMix(sample, options.seed, 10_000);
    const verdicts = await sanityCheck(base, inputs.slice(0, 2_000));
    log(`verdicts of 2,000 inputs of the mix: ${JSON.stringify(verdicts.counts)}`);
    log(`look-alikes of real brands detected: ${verdicts.brandLookalikesDetected}/${verdicts.brandLookalikes}`);
    const rounds: LoadRound[] = [];
    for (let round = 1; round <= options.rounds; round++) {
      const health = await measureLoad(`${base}/api/v1/health`, undefined, options);
      const check = await measureLoad(`${base}/api/v1/check`, inputs, options);
      log(
        `round ${round}: health ${health.requestsPerSecond} req/s (p99 ${health.p99Ms} ms), check ${check.requestsPerSecond} req/s (p99 ${check.p99Ms} ms), ${(check.requestsPerSecond / health.requestsPerSecond).toFixed(2)} of health`,
      );
      rounds.push({ health, check });
    }
    const { health, check } = medianRound(rounds);
    const latency = medianLatency(rounds);
    const afterLoad = readProcessMemory(server.child.pid);
    const typicalAnswer = await typicalCheckAnswer(base, inputs.slice(0, 101));
    await stopServer(server.child);

    // The harness's own ceiling: a bare server, constant answers of the same size, the same requests and client.
    log(`harness ceiling: bare Fastify answering ${Buffer.byteLength(typicalAnswer)}-byte constant checks …`);
    const ceiling = await measureCeiling(typicalAnswer, inputs, options, children);
    log(
      `  health ${ceiling.health.requestsPerSecond} req/s, check ${ceiling.check.requestsPerSecond} req/s, ${(ceiling.check.requestsPerSecond / ceiling.health.requestsPerSecond).toFixed(2)} of health`,
    );

    // 5. Look-alike analysis in process.
    log(`look-alike analysis against ${options.platforms.toLocaleString('en')} targets …`);
    const lookalike: LookalikeBenchResult = runLookalikeBench({ targets: options.platforms });

    // 6. Summary.
    const rows = summarise({
      imported,
      empty,
      emptyMemory,
      server,
      afterStart,
      afterLoad,
      health,
      check,
      latency,
      ceiling,
      lookalike,
    });
    printTable(rows);
    const results = {
      command: `npm run bench -- check --platforms ${options.platforms} --duration ${options.duration} --rounds ${options.rounds} --connections ${options.connections} --seed ${options.seed}`,
      date: new Date().toISOString(),
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model ?? 'unknown',
        memoryGb: Math.round(os.totalmem() / 2 ** 30),
        node: process.version,
      },
      options: { ...options },
      figures: {
        import: imported,
        serverStart: { emptyMs: Math.round(empty.startMs), registerMs: Math.round(server.startMs) },
        serverMemoryMb: { emptyDatabase: emptyMemory, afterStart, afterLoad },
        load: { health, check, latency, rounds, ceiling, verdicts },
        lookalike,
      },
      table: rows,
      totalSeconds: Math.round((performance.now() - started) / 1000),
    };
    fs.mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
    fs.writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
    log(`results written to ${path.relative(ROOT, RESULTS_FILE)} (${results.totalSeconds} s in all)`);
  } finally {
    stopAll();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (!options.keep) fs.rmSync(DATA_DIR, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------
// Processes

/**
 * Runs a command to its end, with its wall time and peak RSS (/usr/bin/time -v where present, else /proc); on the
 * PostgreSQL server at `databaseUrl` if given, else on the embedded database the command names.
 */
export async function runMeasured(
  command: string[],
  timeoutMs: number,
  children: Set<ChildProcess>,
  databaseUrl?: string,
): Promise<ProcessRun> {
  const useTime = fs.existsSync('/usr/bin/time');
  const argv = useTime ? ['/usr/bin/time', '-v', ...command] : command;
  const began = performance.now();
  const child = spawn(argv[0] as string, argv.slice(1), {
    cwd: ROOT,
    env: benchEnvironment('warn', databaseUrl),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  let polledPeakKb = 0;
  const poll = setInterval(() => {
    const memory = readProcessMemory(child.pid);
    if (memory) polledPeakKb = Math.max(polledPeakKb, memory.vmHwmMb * 1024);
  }, 200);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.on('exit', (exitCode) => resolve(exitCode)));
  const wallMs = performance.now() - began;
  clearInterval(poll);
  clearTimeout(timer);
  children.delete(child);
  let peakRssMb: number | null = polledPeakKb > 0 ? Math.round(polledPeakKb / 1024) : null;
  if (useTime) {
    const match = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
    if (match) peakRssMb = Math.round(Number(match[1]) / 1024);
    stderr = stderr.replace(/\n?\s*Command being timed:[\s\S]*$/, '');
  }
  return { wallMs, peakRssMb, stdout, stderr, code };
}

function benchEnvironment(logLevel: string, databaseUrl?: string): NodeJS.ProcessEnv {
  // The database the benchmark names is what the figures are about: a DATABASE_URL in the shell must not redirect them.
  const { DATABASE_URL: _, ...env } = process.env;
  return {
    ...env,
    ...(databaseUrl === undefined ? {} : { DATABASE_URL: databaseUrl }),
    CHECK_RATE_LIMIT: '0',
    SEARCH_RATE_LIMIT: '0',
    LOG_LEVEL: logLevel,
  };
}

export interface StartedServer {
  child: ChildProcess;
  startMs: number;
}

/** Starts `ecomgov serve` (on `databaseUrl` if given, else on `dataDir`) and times it until /api/v1/health answers. */
export async function startServer(
  dataDir: string,
  port: number,
  options: Pick<CheckBenchOptions, 'logLevel'>,
  children: Set<ChildProcess>,
  databaseUrl?: string,
): Promise<StartedServer> {
  const logFile = fs.openSync(path.join(DATA_DIR, `serve-${path.basename(dataDir)}.log`), 'a');
  const began = performance.now();
  const child = spawn(
    process.execPath,
    [CLI, 'serve', '--no-demo', '--data', dataDir, '--host', HOST, '--port', String(port)],
    { cwd: ROOT, env: benchEnvironment(options.logLevel, databaseUrl), stdio: ['ignore', logFile, logFile] },
  );
  fs.closeSync(logFile);
  children.add(child);
  child.once('exit', () => children.delete(child));
  const deadline = began + TIMEOUT_MS.start;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`serve exited with ${child.exitCode}; see bench/.data/serve-*.log`);
    if (performance.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`serve did not answer /api/v1/health within ${TIMEOUT_MS.start / 1000} s`);
    }
    try {
      const response = await fetch(`http://${HOST}:${port}/api/v1/health`);
      if (response.ok) return { child, startMs: performance.now() - began };
    } catch {
      // Not listening yet.
    }
    await sleep(25);
  }
}

export async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS.stop);
  await exited;
  clearTimeout(timer);
}

/** VmRSS and VmHWM (peak) of a process, in MB; undefined once it has ended. */
function readProcessMemory(pid: number | undefined): { vmRssMb: number; vmHwmMb: number } | undefined {
  if (pid === undefined) return undefined;
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
    return { vmRssMb: Math.round(field('VmRSS') / 1024), vmHwmMb: Math.round(field('VmHWM') / 1024) };
  } catch {
    return undefined;
  }
}

export async function findFreePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

// ---------------------------------------------------------------------------------------------------
// Load

/**
 * What the public sends, deterministic for a seed: registered sites (bare, as URLs, as subdomains), unknown hosts,
 * look-alikes of the real brands and of registered shops, app-store links, platform names, real platforms.
 */
export function buildInputMix(sample: RegisterSample, seed: number, count: number): string[] {
  const random = createRandom(seed ^ 0x5eed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const letters = (length: number) => {
    let text = '';
    for (let i = 0; i < length; i++) text += String.fromCharCode(97 + Math.floor(random() * 26));
    return text;
  };
  const inputs: string[] = [];
  while (inputs.length < count) {
    const roll = random();
    if (roll < 0.35) {
      const domain = pick(sample.domains);
      const shape = random();
      inputs.push(
        shape < 0.4
          ? domain
          : shape < 0.7
            ? `https://www.${domain}/san-pham/${Math.floor(random() * 100_000)}?utm_source=zalo`
            : `https://m.${domain}/`,
      );
    } else if (roll < 0.6) {
      inputs.push(`${random() < 0.3 ? 'www.' : ''}${letters(5 + Math.floor(random() * 10))}.${pick(UNKNOWN_SUFFIXES)}`);
    } else if (roll < 0.7) {
      inputs.push(pick(BRAND_LOOKALIKES));
    } else if (roll < 0.75) {
      const domain = pick(sample.domains);
      const label = domain.slice(0, domain.indexOf('.'));
      const at = 1 + Math.floor(random() * (label.length - 2));
      inputs.push(`${label.slice(0, at)}${label.slice(at + 1)}.${pick(UNKNOWN_SUFFIXES)}`);
    } else if (roll < 0.85) {
      const shape = random();
      if (shape < 0.4 && sample.androidApps.length > 0) {
        inputs.push(`https://play.google.com/store/apps/details?id=${pick(sample.androidApps)}&hl=vi`);
      } else if (shape < 0.7 && sample.iosApps.length > 0) {
        inputs.push(`https://apps.apple.com/vn/app/cua-hang/id${pick(sample.iosApps)}`);
      } else {
        inputs.push(pick(REAL_APP_LINKS));
      }
    } else if (roll < 0.95) {
      inputs.push(random() < 0.7 ? pick(sample.names) : pick(['Shopee', 'Temu', 'Tiki', 'Lazada', 'Sàn Không Tên']));
    } else {
      inputs.push(pick(REAL_PLATFORM_INPUTS));
    }
  }
  return inputs;
}

const UNKNOWN_SUFFIXES = ['vn', 'com.vn', 'com', 'net', 'shop', 'store', 'online', 'top'];

/** Imitations of the demo register's registered marketplaces, by several techniques (each detected against it). */
export const BRAND_LOOKALIKES = [
  'shoppee.vn',
  'shopee-sale.vn',
  'sh0pee.vn',
  'shope.vn',
  'shopeex.com',
  'lazadas.vn',
  'laz-ada.vn',
  'lazsada.vn',
  'lazafa.vn',
  'lzaada.vn',
  'lazeda.vn',
  'shopee.com',
  'tiki.com',
  'shopee.vn.khuyenmai.top',
  'tiki-freeship.vn',
  'khuyenmai-lazada2025.vn',
  'sendoo.vn',
  'tiktok-sale.vn',
  'https://xn--e1aazi7hs1a.vn/',
];

const REAL_APP_LINKS = [
  'https://play.google.com/store/apps/details?id=com.shopee.vn',
  'https://apps.apple.com/vn/app/shopee/id959841449',
  'https://play.google.com/store/apps/details?id=com.einnovation.temu',
  'https://play.google.com/store/apps/details?id=vn.khong.co.app',
];

const REAL_PLATFORM_INPUTS = [
  'https://m.temu.com/vn/goods.html?x=1',
  'temu.com',
  'shein.com',
  'https://shopee.vn/flash_sale',
  'tiki.vn',
  'https://www.lazada.vn/',
];

/** Sends each input once, in order: checks the answers are sound (and warms the server up). */
async function sanityCheck(
  base: string,
  inputs: readonly string[],
): Promise<{ counts: Record<string, number>; brandLookalikes: number; brandLookalikesDetected: number }> {
  const counts: Record<string, number> = {};
  let brandLookalikes = 0;
  let brandLookalikesDetected = 0;
  const brandSet = new Set(BRAND_LOOKALIKES);
  for (const input of inputs) {
    const response = await fetch(`${base}/api/v1/check?input=${encodeURIComponent(input)}`);
    const body = (await response.json()) as { verdict?: string; lookalike_of?: { platform: string } | null };
    const key = response.ok ? (body.verdict ?? 'no verdict') : `HTTP ${response.status}`;
    counts[key] = (counts[key] ?? 0) + 1;
    if (brandSet.has(input)) {
      brandLookalikes++;
      if (body.verdict === 'lookalike') brandLookalikesDetected++;
    }
  }
  if (Object.keys(counts).some((key) => key.startsWith('HTTP 5'))) {
    throw new Error(`the check answered with server errors: ${JSON.stringify(counts)}`);
  }
  return { counts, brandLookalikes, brandLookalikesDetected };
}

/** The answer of median size among these inputs' answers: what the ceiling server answers every check with. */
async function typicalCheckAnswer(base: string, inputs: readonly string[]): Promise<string> {
  const answers: string[] = [];
  for (const input of inputs) {
    const response = await fetch(`${base}/api/v1/check?input=${encodeURIComponent(input)}`);
    answers.push(await response.text());
  }
  answers.sort((a, b) => a.length - b.length);
  return answers[Math.floor(answers.length / 2)] ?? '{}';
}

/** One round of health then check against bench/ceiling-server.ts. */
async function measureCeiling(
  answer: string,
  inputs: readonly string[],
  options: CheckBenchOptions,
  children: Set<ChildProcess>,
): Promise<LoadRound> {
  const port = await findFreePort();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'bench', 'ceiling-server.ts'), String(port)],
    { cwd: ROOT, env: { ...process.env, CEILING_BODY: answer }, stdio: 'ignore' },
  );
  children.add(child);
  child.once('exit', () => children.delete(child));
  try {
    const base = `http://${HOST}:${port}`;
    const deadline = performance.now() + TIMEOUT_MS.start;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the ceiling server exited with ${child.exitCode}`);
      if (performance.now() > deadline) throw new Error('the ceiling server did not start');
      const ready = await fetch(`${base}/api/v1/health`).then(
        (response) => response.ok,
        () => false,
      );
      if (ready) break;
      await sleep(25);
    }
    const health = await measureLoad(`${base}/api/v1/health`, undefined, options);
    const check = await measureLoad(`${base}/api/v1/check`, inputs, options);
    return { health, check };
  } finally {
    await stopServer(child);
  }
}

/** A warm-up, then `duration` seconds at `connections` connections; inputs rotate across all connections. */
async function measureLoad(
  url: string,
  inputs: readonly string[] | undefined,
  options: CheckBenchOptions,
): Promise<LoadFigures> {
  const paths = inputs?.map((input) => `/api/v1/check?input=${encodeURIComponent(input)}`);
  let next = 0;
  const requests = paths
    ? [
        {
          setupRequest: (request: autocannon.Request) => {
            request.path = paths[next++ % paths.length] as string;
            return request;
          },
        },
      ]
    : undefined;
  const run = (duration: number) =>
    autocannon({ url, connections: options.connections, duration, requests, timeout: 10 });
  if (options.warmup > 0) await run(options.warmup);
  const result = await run(options.duration);
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

// ---------------------------------------------------------------------------------------------------
// Report

function summarise(figures: {
  imported: ImportFigures;
  empty: StartedServer;
  emptyMemory: { vmRssMb: number; vmHwmMb: number } | undefined;
  server: StartedServer;
  afterStart: { vmRssMb: number; vmHwmMb: number } | undefined;
  afterLoad: { vmRssMb: number; vmHwmMb: number } | undefined;
  health: LoadFigures;
  check: LoadFigures;
  latency: ReturnType<typeof medianLatency>;
  ceiling: LoadRound;
  lookalike: LookalikeBenchResult;
}): Row[] {
  const { imported, empty, emptyMemory, server, afterLoad, health, check, latency, ceiling, lookalike } = figures;
  const importSeconds = imported.importMs / 1000;
  const rows: Row[] = [
    {
      figure: `registry import${imported.reused ? ' (earlier run, --keep)' : ''}`,
      measured: `${importSeconds.toFixed(1)} s`,
      baseline: `parse+validate only ${(imported.parseOnlyMs / 1000).toFixed(1)} s`,
      ratio: `${(imported.importMs / imported.parseOnlyMs).toFixed(2)}× parse; ${(importSeconds / BUDGET.importSeconds).toFixed(2)} of budget`,
      target: `≤ ${BUDGET.importSeconds} s`,
      met: importSeconds <= BUDGET.importSeconds,
    },
    {
      figure: 'registry import peak RSS',
      measured: `${imported.importPeakRssMb ?? '?'} MB`,
      baseline: `parse+validate only ${imported.parseOnlyPeakRssMb ?? '?'} MB`,
      ratio: ratioOf(imported.importPeakRssMb, BUDGET.rssMb, 'of budget'),
      target: `≤ ${BUDGET.rssMb} MB`,
      met: imported.importPeakRssMb === null ? null : imported.importPeakRssMb <= BUDGET.rssMb,
    },
    {
      figure: 'server start (to first /health)',
      measured: `${(server.startMs / 1000).toFixed(1)} s`,
      baseline: `empty database ${(empty.startMs / 1000).toFixed(1)} s`,
      ratio: `${(server.startMs / empty.startMs).toFixed(1)}× empty; ${(server.startMs / 1000 / BUDGET.startSeconds).toFixed(2)} of budget`,
      target: `≤ ${BUDGET.startSeconds} s`,
      met: server.startMs / 1000 <= BUDGET.startSeconds,
    },
    {
      figure: 'server RSS after load (VmRSS / VmHWM)',
      measured: afterLoad ? `${afterLoad.vmRssMb} / ${afterLoad.vmHwmMb} MB` : '?',
      baseline: `empty database ${emptyMemory?.vmRssMb ?? '?'} MB`,
      ratio: ratioOf(afterLoad?.vmHwmMb ?? null, BUDGET.rssMb, 'of budget (peak)'),
      target: `≤ ${BUDGET.rssMb} MB`,
      met: afterLoad ? afterLoad.vmHwmMb <= BUDGET.rssMb : null,
    },
    {
      figure: 'GET /api/v1/check throughput (median round)',
      measured: `${check.requestsPerSecond} req/s`,
      baseline: `/api/v1/health ${health.requestsPerSecond} req/s`,
      ratio: `${(check.requestsPerSecond / health.requestsPerSecond).toFixed(2)} of health`,
      target: `≥ ${BUDGET.throughputRatio} of health`,
      met: check.requestsPerSecond / health.requestsPerSecond >= BUDGET.throughputRatio,
    },
    {
      figure: '(harness ceiling, not a target)',
      measured: `${ceiling.check.requestsPerSecond} req/s`,
      baseline: `bare /api/v1/health ${ceiling.health.requestsPerSecond} req/s`,
      ratio: `${(ceiling.check.requestsPerSecond / ceiling.health.requestsPerSecond).toFixed(2)} of health`,
      target: 'constant answer',
      met: null,
    },
    {
      figure: 'GET /api/v1/check latency p50 / p99 (medians)',
      measured: `${latency.check.p50Ms} / ${latency.check.p99Ms} ms`,
      baseline: `/api/v1/health ${latency.health.p50Ms} / ${latency.health.p99Ms} ms`,
      ratio: `p99 ${(latency.check.p99Ms / Math.max(latency.health.p99Ms, 1)).toFixed(1)}× health; ${(latency.check.p99Ms / BUDGET.p99Ms).toFixed(2)} of budget`,
      target: `p99 ≤ ${BUDGET.p99Ms} ms`,
      met: latency.check.p99Ms <= BUDGET.p99Ms && latency.errors === 0,
    },
    {
      figure: 'look-alike analysis, unknown host (median)',
      measured: `${lookalike.analysisMedianUs} µs (p99 ${lookalike.analysisP99Us})`,
      baseline: `Map lookup ${lookalike.baselineMedianUs} µs`,
      ratio: `${(lookalike.analysisMedianUs / Math.max(lookalike.baselineMedianUs, 0.01)).toFixed(0)}× Map; ${(lookalike.analysisMedianUs / BUDGET.lookalikeMedianUs).toFixed(2)} of budget`,
      target: `≤ ${BUDGET.lookalikeMedianUs} µs`,
      met: lookalike.analysisMedianUs <= BUDGET.lookalikeMedianUs,
    },
  ];
  return rows;
}

function ratioOf(value: number | null, budget: number, what: string): string {
  return value === null ? '?' : `${(value / budget).toFixed(2)} ${what}`;
}

export function printTable(rows: readonly Row[]): void {
  const header: Row = {
    figure: 'figure',
    measured: 'measured',
    baseline: 'baseline (same run)',
    ratio: 'ratio',
    target: 'target',
    met: null,
  };
  const cells = (row: Row, isHeader: boolean) => [
    row.figure,
    row.measured,
    row.baseline,
    row.ratio,
    row.target,
    isHeader ? 'met' : row.met === null ? '?' : row.met ? 'yes' : 'NO',
  ];
  const table = [cells(header, true), ...rows.map((row) => cells(row, false))];
  const widths = table[0]?.map((_, column) => Math.max(...table.map((line) => (line[column] ?? '').length))) ?? [];
  const format = (line: string[]) => `| ${line.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  const lines = [format(table[0] ?? []), `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`];
  for (const line of table.slice(1)) lines.push(format(line));
  console.log(`\n${lines.join('\n')}\n`);
}

function log(message: string): void {
  console.log(`[bench check] ${message}`);
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(1);
}

function mb(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(0);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The parse-only baseline, run as its own process so that its memory and time compare with the import's. */
async function parseOnly(file: string): Promise<void> {
  const result = await parseRegistryCsv(fs.createReadStream(file), { maxIssues: 100 });
  process.stdout.write(`${JSON.stringify({ rows: result.rows.length, issues: result.issueCount })}\n`);
}

/** The value of option `--name`, which must be a whole number ≥ `min`. */
export function wholeNumberOption(name: string, text: string, min: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) throw new Error(`--${name} must be a whole number ≥ ${min}`);
  return value;
}

export async function main(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      platforms: { type: 'string', default: '1000000' },
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '3' },
      rounds: { type: 'string', default: '3' },
      connections: { type: 'string', default: '50' },
      seed: { type: 'string', default: String(DEFAULT_SEED) },
      keep: { type: 'boolean', default: false },
      'log-level': { type: 'string', default: 'warn' },
    },
  });
  const number = wholeNumberOption;
  await runCheckBench({
    platforms: number('platforms', values.platforms, 1),
    duration: number('duration', values.duration, 1),
    warmup: number('warmup', values.warmup, 0),
    rounds: number('rounds', values.rounds, 1),
    connections: number('connections', values.connections, 1),
    seed: number('seed', values.seed, 0),
    keep: values.keep,
    logLevel: values['log-level'],
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv[2] === '--parse-only' && process.argv[3]) await parseOnly(process.argv[3]);
  else await main(process.argv.slice(2));
}
