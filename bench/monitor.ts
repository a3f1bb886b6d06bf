/**
 * Monitor scanning: sites per second scanned, classified and stored with evidence (WARC + row) at concurrency 32, as a ratio to plain guarded fetching of the same pages; then the 1 MB classification of monitor-classify.
 *
 *   npm run bench -- monitor [--sites 1000] [--concurrency 32] [--rounds 15]
 *
 * The bench serves `--sites` fixture sites itself on 127.0.0.1, one virtual host each (through `resolve`, as
 * `--resolve` does): the monitor's fixture pages (Vietnamese shops with and without badges, a blog, foreign and
 * cross-border stores) varied per site with product cards so pages differ in content and size (≈ 10–60 KB). Each
 * phase fetches every site once at the given concurrency: plain `safeFetch`, then `scanMany` (fetch, WARC,
 * evidence row, classification with the check index). PGlite by default; PostgreSQL when DATABASE_URL is set.
 * It prints, it does not fail; results go to bench/results/monitor.json. Target (issue 12): ≥ 50 sites/s.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { safeFetch } from '../src/core/safe-fetch.ts';
import { startCheckIndex } from '../src/modules/check/index.ts';
import { scanMany } from '../src/modules/monitor/scan-many.ts';
import { openMigratedDatabase } from '../src/runtime.ts';
import { main as classifyMain } from './monitor-classify.ts';

const RESULTS_FILE = path.resolve(import.meta.dirname, 'results', 'monitor.json');
const FIXTURES = path.resolve(import.meta.dirname, '../src/modules/monitor/fixtures');
const TARGET_SITES_PER_S = 50;

const CARDS = [
  (n: number) =>
    `<div class="sp"><h3>Áo thun cotton mẫu ${n}</h3><p class="gia">${199 + (n % 300)}.000₫</p><button>Thêm vào giỏ hàng</button></div>`,
  (n: number) =>
    `<div class="product"><h3>Ceramic mug no. ${n}</h3><p>$${12 + (n % 20)}.50</p><button>Add to cart</button></div>`,
  (n: number) => `<article><h2>Bài viết số ${n}</h2><p>Hôm nay chúng ta nấu canh chua cá lóc miền Tây.</p></article>`,
];

/** Site `i`: a fixture page with 20–400 extra cards inserted before </body>, so every site differs. */
function sitePage(fixtures: readonly string[], i: number): string {
  const base = fixtures[i % fixtures.length] as string;
  const card = CARDS[i % CARDS.length] as (n: number) => string;
  const extra = Array.from({ length: 20 + ((i * 37) % 380) }, (_, n) => card(n + i)).join('');
  const at = base.lastIndexOf('</body>');
  return at < 0 ? base + extra : base.slice(0, at) + extra + base.slice(at);
}

async function throughput(count: number, run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return count / ((performance.now() - started) / 1000);
}

export async function main(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      sites: { type: 'string', default: '1000' },
      concurrency: { type: 'string', default: '32' },
      rounds: { type: 'string', default: '15' },
    },
  });
  const sites = Number(values.sites);
  const concurrency = Number(values.concurrency);
  const fixtures = fs
    .readdirSync(FIXTURES)
    .filter((file) => file.endsWith('.html'))
    .sort()
    .map((file) => fs.readFileSync(path.join(FIXTURES, file), 'utf8'));
  const pages = Array.from({ length: sites }, (_, i) => Buffer.from(sitePage(fixtures, i)));
  const server = http.createServer((request, response) => {
    const match = /^site-(\d+)\./.exec(request.headers.host ?? '');
    const page = match ? pages[Number(match[1])] : undefined;
    if (!page) return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(page);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const hosts = pages.map((_, i) => `site-${i}.vn`);
  const urls = hosts.map((host) => `http://${host}:${port}/`);
  const resolve = hosts.map((host) => `${host}:${port}:127.0.0.1`);
  const databaseUrl = process.env.DATABASE_URL;
  const database = await openMigratedDatabase(
    databaseUrl ? { dataDir: 'unused', databaseUrl } : { dataDir: 'memory://' },
  );
  const store = fs.mkdtempSync(path.join(os.tmpdir(), 'ecomgov-bench-monitor-'));
  const { index, stop } = await startCheckIndex(database);
  const totalBytes = pages.reduce((sum, page) => sum + page.length, 0);
  const results: Record<string, unknown> = {
    measuredAt: new Date().toISOString(),
    machine: { cpus: os.cpus().length, loadAverage: os.loadavg(), node: process.version },
    database: databaseUrl ? 'postgres' : 'pglite',
    sites,
    concurrency,
    averageBytes: Math.round(totalBytes / sites),
  };
  try {
    const plain = await throughput(sites, async () => {
      let next = 0;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < sites) {
            const url = urls[next++] as string;
            await safeFetch(url, { resolve, allowPrivate: ['127.0.0.1'] });
          }
        }),
      );
    });
    const classified = new Map<string, number>();
    const scanned = await throughput(sites, async () => {
      const answers = await scanMany(
        { database, index, storeDir: store, portalUrl: 'https://portal.example', context: { actor: 'bench:monitor' } },
        urls,
        { concurrency, perHost: 2, resolve, allowPrivate: true },
      );
      for (const answer of answers)
        classified.set(answer.classification, (classified.get(answer.classification) ?? 0) + 1);
    });
    Object.assign(results, {
      plainFetchPerS: Math.round(plain),
      scanPerS: Math.round(scanned),
      ratio: scanned / plain,
      classifications: Object.fromEntries(classified),
    });
    console.log(
      `[bench monitor] ${sites} sites (${(totalBytes / sites / 1024).toFixed(0)} KB average), concurrency ${concurrency}, ${results.database}, load ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    console.log(`  plain guarded fetch: ${plain.toFixed(0)} sites/s`);
    console.log(
      `  scan + classify + evidence: ${scanned.toFixed(0)} sites/s = ${(scanned / plain).toFixed(3)} × plain fetching (target ≥ ${TARGET_SITES_PER_S} sites/s: ${scanned >= TARGET_SITES_PER_S ? 'met' : 'NOT met'})`,
    );
    console.log(`  classifications: ${[...classified].map(([k, v]) => `${k} ${v}`).join(', ')}`);
  } finally {
    await stop();
    server.closeAllConnections();
    server.close();
    await database.close();
    fs.rmSync(store, { recursive: true, force: true });
  }
  fs.mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  fs.writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
  // The 1 MB classification, median over rounds (bench/monitor-classify.ts, not duplicated here).
  await classifyMain(['--rounds', String(values.rounds)]);
}
