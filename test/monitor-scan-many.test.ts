import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Database } from '../src/core/db.ts';
import { type CheckIndex, startCheckIndex } from '../src/modules/check/index.ts';
import type { ScanServices } from '../src/modules/monitor/monitor.scan.ts';
import { MONITOR_USER_AGENT, retryAfterMs, scanMany } from '../src/modules/monitor/scan-many.ts';
import { createTestDatabase, testDatabaseKind } from './support/database.ts';

/**
 * scanMany (issue 12 "Fetching"): a local server on 127.0.0.1 counts concurrent requests per host, answers 429 once,
 * redirects six times and serves an over-limit page.
 */
describe(`monitor scanMany (${testDatabaseKind})`, () => {
  let database: Database;
  let index: CheckIndex;
  let stop: () => Promise<void>;
  let server: http.Server;
  let port: number;
  let work: string;
  const active = new Map<string, number>();
  const peak = new Map<string, number>();
  let busyCount = 0;
  const agents = new Set<string>();
  const services = (): ScanServices => ({
    database,
    index,
    storeDir: path.join(work, 'evidence'),
    portalUrl: 'https://portal.example',
    context: { actor: 'test:monitor' } as ScanServices['context'],
  });
  const resolve = (...hosts: string[]) => hosts.map((host) => `${host}:${port}:127.0.0.1`);

  before(async () => {
    database = await createTestDatabase();
    ({ index, stop } = await startCheckIndex(database));
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'ecomgov-scan-many-'));
    fs.mkdirSync(path.join(work, 'evidence'));
    server = http.createServer((request, response) => {
      const host = (request.headers.host ?? '').replace(/:\d+$/, '');
      agents.add(request.headers['user-agent'] ?? '');
      const now = (active.get(host) ?? 0) + 1;
      active.set(host, now);
      peak.set(host, Math.max(peak.get(host) ?? 0, now));
      response.on('close', () => active.set(host, (active.get(host) ?? 1) - 1));
      const page = '<html lang="vi"><body>Thêm vào giỏ hàng 259.000₫</body></html>';
      if (host === 'busy.vn' && busyCount++ === 0) {
        response.writeHead(429, { 'retry-after': '0' }).end('slow down');
      } else if (host === 'loop.vn') {
        const n = Number(request.url?.slice(1) || '0');
        response.writeHead(302, { location: `http://loop.vn:${port}/${n + 1}` }).end();
      } else if (host === 'big.vn') {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        response.end(page + 'x'.repeat(200_000));
      } else {
        setTimeout(() => {
          response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
          response.end(page);
        }, 30);
      }
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    port = (server.address() as AddressInfo).port;
  });

  after(async () => {
    await stop?.();
    server.closeAllConnections();
    await new Promise<void>((done) => server.close(() => done()));
    await database?.close();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('retries a 429 and answers with the 200 that follows', async () => {
    const [answer] = await scanMany(services(), [`http://busy.vn:${port}/`], {
      resolve: resolve('busy.vn'),
      allowPrivate: true,
      backoffMs: 10,
    });
    assert.equal(answer?.http_status, 200);
    assert.equal(busyCount, 2);
    assert.deepEqual([...agents], [MONITOR_USER_AGENT]);
    assert.match(MONITOR_USER_AGENT, /Bo Cong Thuong/);
  });

  it('keeps to the per-host limit while scanning at a higher overall concurrency', async () => {
    const urls = [
      ...Array.from({ length: 8 }, (_, n) => `http://same.vn:${port}/${n}`),
      ...Array.from({ length: 4 }, (_, n) => `http://other.vn:${port}/${n}`),
    ];
    const answers = await scanMany(services(), urls, {
      resolve: resolve('same.vn', 'other.vn'),
      allowPrivate: true,
      concurrency: 8,
      perHost: 2,
    });
    assert.equal(answers.length, 12);
    assert.ok(answers.every((answer) => answer.http_status === 200));
    assert.equal(answers[3]?.url, urls[3]);
    assert.equal(peak.get('same.vn'), 2);
    assert.ok((peak.get('other.vn') ?? 0) <= 2);
  });

  it('refuses a chain of six redirects', async () => {
    const [answer] = await scanMany(services(), [`http://loop.vn:${port}/0`], {
      resolve: resolve('loop.vn'),
      allowPrivate: true,
    });
    assert.equal(answer?.classification, 'unreachable');
    assert.equal(answer?.reasons[0]?.code, 'fetch_too_many_redirects');
  });

  it('cuts a body over the limit and says so', async () => {
    const [answer] = await scanMany(services(), [`http://big.vn:${port}/`], {
      resolve: resolve('big.vn'),
      allowPrivate: true,
      maxBytes: 50_000,
    });
    assert.equal(answer?.http_status, 200);
    assert.ok(answer?.reasons.some((reason) => reason.code === 'body_truncated'));
  });

  it('reads Retry-After in seconds or as a date', () => {
    assert.equal(retryAfterMs('3'), 3000);
    assert.equal(retryAfterMs(new Date(10_000).toUTCString(), 4_000), 6000);
    assert.equal(retryAfterMs('soon'), null);
    assert.equal(retryAfterMs(undefined), null);
  });
});
