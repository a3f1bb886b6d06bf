/**
 * Blocklist feeds: RPZ export of 1,000,000 entries (target ≤ 5 s, streamed, RSS flat) as a ratio to writing the same bytes without formatting, and the diff since a serial with 1,000 changes (target ≤ 50 ms).
 *
 *   npm run bench -- blocklist [--entries 1000000] [--changes 1000] [--rounds 5] [--database pglite|postgres]
 *                              [--server postgres://postgres@127.0.0.1:5432]
 *
 * The list is written straight into `blocklist_entries` (one INSERT … SELECT generate_series, serial 1): what is
 * measured is the feed, not the following of the register. The export streams the zone a page of 10,000 entries
 * at a time from the database into a file (bench/.data/blocklist.rpz); the baseline, in the same run, writes the
 * same number of bytes to the same kind of file in 1 MiB chunks already made (no database, no formatting). RSS is
 * sampled through the warm-up export (a whole one: the heap, the driver's buffers and the embedded database's cache
 * settle) and the measured one; flat means that after the measured export's first quarter, the least-squares slope
 * of RSS against bytes written stays under 0.05 (a feed held in memory would show about 1 or more). Then `--changes` changes are
 * made under serial 2 (half the entries closed, half added) and the diff since serial 1 is timed, best of
 * `--rounds`. It prints, it does not fail; results go to bench/results/blocklist.json.
 */
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import type { Database } from '../src/core/db.ts';
import {
  advanceSerial,
  closeEntries,
  insertEntries,
  type NewEntry,
} from '../src/modules/blocklist/blocklist.repository.ts';
import { diffSince, feedChunks } from '../src/modules/blocklist/blocklist.service.ts';
import { openMigratedDatabase } from '../src/runtime.ts';
import { printTable, type Row } from './check.ts';

const RESULTS_FILE = path.resolve(import.meta.dirname, 'results', 'blocklist.json');
const DATA_DIR = path.resolve(import.meta.dirname, '.data');
const EXPORT_TARGET_MS = 5_000;
const DIFF_TARGET_MS = 50;

function wholeNumber(name: string, value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new Error(`--${name} takes a whole number, got "${value}"`);
  return number;
}

async function withServer<T>(server: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: `${server}/postgres` });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

async function writeTo(
  file: string,
  chunks: AsyncIterable<string | Buffer>,
  progress?: { bytes: number },
): Promise<number> {
  const out = fs.createWriteStream(file);
  let bytes = 0;
  for await (const chunk of chunks) {
    bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    if (progress) progress.bytes = bytes;
    if (!out.write(chunk)) await once(out, 'drain');
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  return bytes;
}

/** Least-squares slope of RSS against bytes written: what each byte of the feed leaves in memory. */
function slopeOf(samples: ReadonlyArray<{ bytes: number; rss: number }>): number {
  if (samples.length < 2) return 0;
  const meanBytes = samples.reduce((sum, sample) => sum + sample.bytes, 0) / samples.length;
  const meanRss = samples.reduce((sum, sample) => sum + sample.rss, 0) / samples.length;
  let covariance = 0;
  let variance = 0;
  for (const sample of samples) {
    covariance += (sample.bytes - meanBytes) * (sample.rss - meanRss);
    variance += (sample.bytes - meanBytes) ** 2;
  }
  return variance === 0 ? 0 : covariance / variance;
}

async function* repeated(chunk: Buffer, total: number): AsyncGenerator<Buffer> {
  let left = total;
  while (left > 0) {
    const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
    left -= piece.length;
    yield piece;
  }
}

async function fill(database: Database, entries: number): Promise<void> {
  await sql`TRUNCATE blocklist_entries`.execute(database.db);
  await sql`
    INSERT INTO blocklist_entries (domain, action, platform_id, platform_name, added_serial)
    SELECT 'shop-' || n || '-' || substr(md5(n::text), 1, 6) || '.vn', 'block', md5(n::text)::uuid, 'Platform ' || n, 1
      FROM generate_series(1, ${entries}) AS n`.execute(database.db);
  await sql`UPDATE blocklist_state SET serial = 1, changed_at = now()`.execute(database.db);
  await sql`ANALYZE blocklist_entries`.execute(database.db);
}

export async function main(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      entries: { type: 'string', default: '1000000' },
      changes: { type: 'string', default: '1000' },
      rounds: { type: 'string', default: '5' },
      database: { type: 'string', default: 'pglite' },
      server: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432' },
    },
  });
  const entries = wholeNumber('entries', values.entries);
  const changes = wholeNumber('changes', values.changes);
  const rounds = wholeNumber('rounds', values.rounds);
  const kind = values.database === 'postgres' ? 'postgres' : 'pglite';
  fs.mkdirSync(DATA_DIR, { recursive: true });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecomgov-bench-blocklist-'));
  // On a server, a database of its own, made afresh and dropped at the end.
  const serverDatabase = 'ecomgov_bench_blocklist';
  if (kind === 'postgres') {
    await withServer(values.server, async (client) => {
      await client.query(`DROP DATABASE IF EXISTS ${serverDatabase} WITH (FORCE)`);
      await client.query(`CREATE DATABASE ${serverDatabase}`);
    });
  }
  const database = await openMigratedDatabase({
    dataDir,
    databaseUrl: kind === 'postgres' ? `${values.server}/${serverDatabase}` : undefined,
  });
  const settings = { zone: 'rpz.ecomgov.invalid', landingHost: null };
  const zoneFile = path.join(DATA_DIR, 'blocklist.rpz');
  const baselineFile = path.join(DATA_DIR, 'blocklist.baseline');
  try {
    console.log(`[bench blocklist] ${entries} entries on ${kind}`);
    const filled = performance.now();
    await fill(database, entries);
    console.log(`  filled in ${((performance.now() - filled) / 1000).toFixed(1)} s`);

    // RSS is sampled through both exports. The warm-up (a whole export through the same code) lets the heap, the
    // driver's buffers and the embedded database's cache settle: what it adds is a plateau whatever the list's size.
    // During the measured export, a streamed feed keeps RSS level once the first quarter is written (the garbage
    // collector's saw-tooth aside); memory that followed the list would rise with every byte.
    const rssBefore = process.memoryUsage().rss;
    let rssWarmPeak = rssBefore;
    const warmSampler = setInterval(() => {
      rssWarmPeak = Math.max(rssWarmPeak, process.memoryUsage().rss);
    }, 50);
    await writeTo(zoneFile, feedChunks(database, 'rpz', settings));
    clearInterval(warmSampler);
    const progress = { bytes: 0 };
    const samples: Array<{ bytes: number; rss: number }> = [];
    const sampler = setInterval(() => samples.push({ bytes: progress.bytes, rss: process.memoryUsage().rss }), 25);
    const started = performance.now();
    const bytes = await writeTo(zoneFile, feedChunks(database, 'rpz', settings), progress);
    const exportMs = performance.now() - started;
    clearInterval(sampler);
    samples.push({ bytes, rss: process.memoryUsage().rss });
    const rssSlope = slopeOf(samples.filter((sample) => sample.bytes > bytes / 4));

    const chunk = Buffer.alloc(1024 * 1024);
    const head = fs.openSync(zoneFile, 'r');
    fs.readSync(head, chunk, 0, chunk.length, 0);
    fs.closeSync(head);
    const baselineStarted = performance.now();
    await writeTo(baselineFile, repeated(chunk, bytes));
    const baselineMs = performance.now() - baselineStarted;
    fs.rmSync(baselineFile, { force: true });

    // The diff: `changes` changes under serial 2, half closed, half added.
    const closed = Math.floor(changes / 2);
    const added = changes - closed;
    const closeDomains = (
      await sql<{ domain: string }>`SELECT domain FROM blocklist_entries ORDER BY id LIMIT ${closed}`.execute(
        database.db,
      )
    ).rows.map((row) => row.domain);
    const newEntries: NewEntry[] = Array.from({ length: added }, (_, index) => ({
      domain: `new-${index}.vn`,
      action: 'block',
      platform_id: crypto.randomUUID(),
      platform_name: `New ${index}`,
      registration_no: null,
      decision_no: null,
      legal_basis: null,
      effective_from: null,
      effective_to: null,
    }));
    await database.db.transaction().execute(async (trx) => {
      await closeEntries(trx, closeDomains, 2);
      await insertEntries(trx, newEntries, 2);
      await advanceSerial(trx, 2);
    });
    await sql`ANALYZE blocklist_entries`.execute(database.db);
    let diffMs = Number.POSITIVE_INFINITY;
    let diffSize = 0;
    for (let round = 0; round < rounds + 1; round++) {
      const began = performance.now();
      const diff = await diffSince(database.db, 1);
      const ms = performance.now() - began;
      if (round > 0) diffMs = Math.min(diffMs, ms);
      diffSize = diff.added.length + diff.removed.length;
    }
    if (diffSize !== changes) throw new Error(`the diff lists ${diffSize} changes, ${changes} were made`);

    const rssSettling = rssWarmPeak - rssBefore;

    const rows: Row[] = [
      {
        figure: `RPZ export, ${entries} entries (${mb(bytes)} MB)`,
        measured: `${(exportMs / 1000).toFixed(2)} s`,
        baseline: `${(baselineMs / 1000).toFixed(2)} s writing the same bytes`,
        ratio: `${(exportMs / baselineMs).toFixed(1)}×`,
        target: `≤ ${EXPORT_TARGET_MS / 1000} s`,
        met: exportMs <= EXPORT_TARGET_MS,
      },
      {
        figure: 'RSS added by the first export (heap settling)',
        measured: `${mb(rssSettling)} MB`,
        baseline: `${mb(bytes)} MB file`,
        ratio: `${(rssSettling / bytes).toFixed(2)}×`,
        target: '—',
        met: true,
      },
      {
        figure: 'RSS per byte written, after the first quarter (slope)',
        measured: `${rssSlope.toFixed(3)} B/B`,
        baseline: `${samples.length} samples`,
        ratio: '—',
        target: 'flat (under 0.05: memory does not follow the list)',
        met: rssSlope < 0.05,
      },
      {
        figure: `diff since a serial, ${changes} changes`,
        measured: `${diffMs.toFixed(1)} ms`,
        baseline: '—',
        ratio: '—',
        target: `≤ ${DIFF_TARGET_MS} ms`,
        met: diffMs <= DIFF_TARGET_MS,
      },
    ];
    printTable(rows);
    const results = {
      measured_at: new Date().toISOString(),
      database: kind,
      entries,
      bytes,
      export_ms: Math.round(exportMs),
      baseline_ms: Math.round(baselineMs),
      ratio: Number((exportMs / baselineMs).toFixed(2)),
      rss_before_mb: mb(rssBefore),
      rss_settling_mb: mb(rssSettling),
      rss_slope_bytes_per_byte: Number(rssSlope.toFixed(4)),
      changes,
      diff_ms: Number(diffMs.toFixed(2)),
      machine: { cpus: os.cpus().length, node: process.version },
    };
    fs.mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
    fs.writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
  } finally {
    await database.close();
    if (kind === 'postgres') {
      await withServer(values.server, (client) =>
        client.query(`DROP DATABASE IF EXISTS ${serverDatabase} WITH (FORCE)`),
      );
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(zoneFile, { force: true });
  }
}
