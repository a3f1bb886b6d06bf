/**
 * Evidence capture: pages per second kept as evidence (guarded fetch, WARC, store, rows, custody and audit events) set
 * against plain guarded fetching of the same pages, on PGlite and/or PostgreSQL.
 *
 *   npm run bench -- evidence [--pages 500] [--concurrency 16] [--size 25000] [--database pglite|postgres|both]
 *                             [--server postgres://postgres@127.0.0.1:5432/postgres]
 *
 * A local server on 127.0.0.1 serves a Vietnamese shop page of `--size` bytes under a name per page (through
 * `resolve`, as `--resolve` does); each phase fetches every page once at the given concurrency. It prints, it does not
 * fail; results go to bench/results/evidence.json. The monitor's target (issue 12: ≥ 50 sites/s scanned, classified
 * and stored with evidence at concurrency 32) includes this cost.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import type { Database } from '../src/core/db.ts';
import { safeFetch } from '../src/core/safe-fetch.ts';
import { captureEvidence } from '../src/modules/evidence/evidence.service.ts';
import { openMigratedDatabase } from '../src/runtime.ts';

const RESULTS_FILE = path.resolve(import.meta.dirname, 'results', 'evidence.json');

async function throughput(
  pages: number,
  concurrency: number,
  one: (index: number) => Promise<unknown>,
): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < pages) await one(next++);
    }),
  );
  return pages / ((performance.now() - started) / 1000);
}

async function serverDatabase(url: string): Promise<{ database: Database; drop(): Promise<void> }> {
  const name = `ecomgov_bench_evidence_${process.pid}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const target = new URL(url);
  target.pathname = `/${name}`;
  const database = await openMigratedDatabase({ dataDir: 'unused', databaseUrl: target.toString() });
  return {
    database,
    async drop() {
      await database.close();
      const cleanup = new pg.Client({ connectionString: url });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}

export async function main(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      pages: { type: 'string', default: '500' },
      concurrency: { type: 'string', default: '16' },
      size: { type: 'string', default: '25000' },
      database: { type: 'string', default: 'pglite' },
      server: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
    },
  });
  const pages = Number(values.pages);
  const concurrency = Number(values.concurrency);
  const unit = '<p>Thêm vào giỏ hàng – 259.000₫</p>';
  const body = `<!doctype html><html lang="vi"><body>${unit.repeat(Math.max(1, Math.round(Number(values.size) / Buffer.byteLength(unit))))}</body></html>`;
  const server = http.createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const optionsOf = (index: number) => ({
    url: `http://shop-${index}.example:${port}/`,
    resolve: [`shop-${index}.example:${port}:127.0.0.1`],
    allowPrivate: ['127.0.0.1'],
  });
  const results: Record<string, unknown> = {
    pages,
    concurrency,
    bytes: Buffer.byteLength(body),
    at: new Date().toISOString(),
  };
  try {
    const plain = await throughput(pages, concurrency, (index) => safeFetch(optionsOf(index).url, optionsOf(index)));
    results.plain_fetch_per_s = Math.round(plain);
    process.stdout.write(`plain guarded fetch: ${plain.toFixed(0)} pages/s\n`);
    const kinds = values.database === 'both' ? ['pglite', 'postgres'] : [values.database as string];
    for (const kind of kinds) {
      const opened =
        kind === 'postgres'
          ? await serverDatabase(values.server as string)
          : { database: await openMigratedDatabase({ dataDir: 'memory://' }), drop: async () => {} };
      const store = fs.mkdtempSync(path.join(os.tmpdir(), 'ecomgov-bench-evidence-'));
      try {
        const rate = await throughput(pages, concurrency, (index) =>
          captureEvidence(opened.database.db, store, { actor: 'bench:evidence' }, optionsOf(index)),
        );
        results[`${kind}_capture_per_s`] = Math.round(rate);
        process.stdout.write(
          `evidence capture (${kind}): ${rate.toFixed(0)} pages/s, ${(rate / plain).toFixed(3)} of plain fetching\n`,
        );
      } finally {
        await opened.drop();
        if (kind === 'pglite') await opened.database.close();
        fs.rmSync(store, { recursive: true, force: true });
      }
    }
  } finally {
    server.closeAllConnections();
    server.close();
  }
  fs.mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  fs.writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
}
