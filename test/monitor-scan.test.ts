import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import zlib from 'node:zlib';
import { WARCParser } from 'warcio';
import type { Database } from '../src/core/db.ts';
import { registerEvidenceCli } from '../src/modules/evidence/index.ts';
import { registerMonitorCli } from '../src/modules/monitor/index.ts';
import { monitorAnswerSchema } from '../src/modules/monitor/monitor.schemas.ts';
import { recordOffersOfPage } from '../src/modules/promotions/index.ts';
import { importRegistryRows } from '../src/modules/registry/registry.service.ts';
import { runCliInProcess } from './support/cli.ts';
import { createTestDatabase, testDatabaseKind } from './support/database.ts';
import { type FakeWeb, startFakeWeb } from './support/fake-web.ts';
import { registryRow } from './support/registry.ts';

/**
 * `ecomgov monitor scan` (DESIGN.md "Monitor answer"): a small fake web on 127.0.0.1, virtual hosts through
 * --resolve; each page fetched once, kept as evidence (its WARC read back) and classified; the SSRF guard stops a
 * loopback address unless --allow-private.
 */

const FIXTURES = path.join(import.meta.dirname, '../src/modules/monitor/fixtures');

const SITES = {
  'www.shopgiay.vn': { file: 'shop-genuine-badge.html' },
  'giaydep-re.vn': { file: 'shop-copied-badge.html' },
  'dienthoai-xachtay.vn': { file: 'shop-unregistered.html' },
  'bepnhamai.vn': { file: 'blog.html' },
  'maple-outdoor.example.com': { file: 'foreign-store.html' },
  'old-shop.vn': { redirect: 'http://dienthoai-xachtay.vn' },
  'nen-gzip.vn': { file: 'shop-unregistered.html', encoding: 'gzip' as const },
  'nen-br.vn': { file: 'shop-unregistered.html', encoding: 'br' as const },
  'nen-deflate.vn': { file: 'shop-copied-badge.html', encoding: 'deflate' as const },
  'bom-gzip.vn': { bomb: 64 * 1024 * 1024 },
};

describe(`monitor scan (${testDatabaseKind})`, () => {
  let database: Database;
  let web: FakeWeb;
  let port: number;
  let work: string;
  const saved = { EVIDENCE_DIR: process.env.EVIDENCE_DIR, PORTAL_URL: process.env.PORTAL_URL };
  const scan = (args: string[]) => runCliInProcess(database, registerMonitorCli, ['monitor', 'scan', ...args]);
  const resolveAll = () => Object.keys(SITES).flatMap((host) => ['--resolve', `${host}:${port}:127.0.0.1`]);

  before(async () => {
    database = await createTestDatabase();
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'ecomgov-monitor-test-'));
    process.env.EVIDENCE_DIR = path.join(work, 'evidence');
    fs.mkdirSync(process.env.EVIDENCE_DIR);
    process.env.PORTAL_URL = 'https://portal.example';
    await importRegistryRows(
      database,
      [registryRow({ line: 2, name: 'Giày Đẹp', registrationNo: 'TB-2026-00101', domains: ['shopgiay.vn'] })],
      { actor: 'test:monitor' },
    );
    web = await startFakeWeb(FIXTURES, SITES);
    port = web.port;
  });

  after(async () => {
    await web.close();
    await database?.close();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('scans several sites at once, answering one Monitor answer per URL in the order given', async () => {
    const urls = [
      'www.shopgiay.vn',
      'giaydep-re.vn',
      'dienthoai-xachtay.vn',
      'bepnhamai.vn',
      'maple-outdoor.example.com',
    ].map((host) => `http://${host}:${port}/`);
    const run = await scan([...urls, ...resolveAll(), '--allow-private', '--json']);
    assert.equal(run.code, 0, run.error?.message);
    const answers = (JSON.parse(run.stdout) as unknown[]).map((answer) => monitorAnswerSchema.parse(answer));
    assert.deepEqual(
      answers.map((answer) => [answer.url, answer.classification]),
      [
        [urls[0], 'compliant'],
        [urls[1], 'fake_badge'],
        [urls[2], 'unregistered_ecommerce'],
        [urls[3], 'not_ecommerce'],
        [urls[4], 'not_targeting_vietnam'],
      ],
    );
    const genuine = answers[0];
    assert.equal(genuine?.registry.verdict, 'notified');
    assert.equal(genuine?.signals.badge.genuine, true);
    assert.equal(genuine?.ip, '127.0.0.1');
    assert.equal(genuine?.http_status, 200);
    assert.equal(answers[1]?.signals.badge.genuine, false);
  });

  it('keeps each scan as evidence: the WARC holds the page that was classified', async () => {
    const url = `http://dienthoai-xachtay.vn:${port}/`;
    const run = await scan([url, ...resolveAll(), '--allow-private', '--json']);
    assert.equal(run.code, 0, run.error?.message);
    const answer = monitorAnswerSchema.parse(JSON.parse(run.stdout));
    assert.ok(answer.evidence);
    assert.match(answer.evidence.sha256, /^[0-9a-f]{64}$/);
    const warcFile = path.join(path.dirname(process.env.EVIDENCE_DIR as string), answer.evidence.warc);
    const parser = new WARCParser(fs.createReadStream(warcFile));
    const bodies: string[] = [];
    for await (const record of parser) {
      if (record.warcType === 'response') bodies.push(await record.contentText());
    }
    assert.deepEqual(bodies, [fs.readFileSync(path.join(FIXTURES, 'shop-unregistered.html'), 'utf8')]);
    const stored = await database.db
      .selectFrom('evidence_items')
      .select(['id', 'url'])
      .where('id', '=', answer.evidence.id)
      .executeTakeFirstOrThrow();
    assert.equal(stored.url, url);
  });

  it('takes gzip, br and deflate as a browser does: classifies the content, keeps the wire bytes, verifies', async () => {
    const hosts = ['nen-gzip.vn', 'nen-br.vn', 'nen-deflate.vn'];
    const run = await scan([
      ...hosts.map((host) => `http://${host}:${port}/`),
      ...resolveAll(),
      '--allow-private',
      '--json',
    ]);
    assert.equal(run.code, 0, run.error?.message);
    const answers = (JSON.parse(run.stdout) as unknown[]).map((answer) => monitorAnswerSchema.parse(answer));
    assert.deepEqual(
      answers.map((answer) => answer.classification),
      ['unregistered_ecommerce', 'unregistered_ecommerce', 'fake_badge'],
    );
    for (const [index, answer] of answers.entries()) {
      assert.ok(answer.evidence);
      const warcFile = path.join(path.dirname(process.env.EVIDENCE_DIR as string), answer.evidence.warc);
      const encoding = ['gzip', 'br', 'deflate'][index];
      for await (const record of new WARCParser(fs.createReadStream(warcFile))) {
        if (record.warcType === 'request') {
          assert.equal(record.httpHeaders?.headers.get('accept-encoding'), 'gzip, deflate, br');
        }
        if (record.warcType !== 'response') continue;
        // The record is true to the wire: the header and the compressed bytes; a reader decodes them.
        assert.equal(record.httpHeaders?.headers.get('content-encoding'), encoding);
        const wire = Buffer.from(await record.readFully(false));
        const fixture = fs.readFileSync(
          path.join(FIXTURES, index === 2 ? 'shop-copied-badge.html' : 'shop-unregistered.html'),
        );
        assert.notDeepEqual(wire, fixture);
        const decoded =
          encoding === 'gzip'
            ? zlib.gunzipSync(wire)
            : encoding === 'br'
              ? zlib.brotliDecompressSync(wire)
              : zlib.inflateSync(wire);
        assert.deepEqual(decoded, fixture);
      }
      const verified = await runCliInProcess(database, registerEvidenceCli, [
        '--json',
        'evidence',
        'verify',
        answer.evidence.id,
      ]);
      assert.equal(verified.code, 0, verified.error?.message ?? verified.stdout);
      assert.equal(JSON.parse(verified.stdout).ok, true);
    }
  });

  it('stops a gzip bomb at the byte limit: 64 MB of zeros in a few kB are not inflated past it', async () => {
    const run = await scan([`http://bom-gzip.vn:${port}/`, ...resolveAll(), '--allow-private', '--json']);
    assert.equal(run.code, 0, run.error?.message);
    const answer = monitorAnswerSchema.parse(JSON.parse(run.stdout));
    assert.ok(answer.evidence, 'the capture is kept, marked truncated');
    const item = await database.db
      .selectFrom('evidence_items')
      .select(['body_truncated', 'body_bytes'])
      .where('id', '=', answer.evidence.id)
      .executeTakeFirstOrThrow();
    assert.equal(item.body_truncated, false, 'the bytes on the wire were few');
    assert.ok(item.body_bytes < 200_000);
    assert.ok(process.memoryUsage().rss < 2 ** 30);
  });

  it('follows a redirect and classifies where it lands', async () => {
    const run = await scan([`http://old-shop.vn:${port}/`, ...resolveAll(), '--allow-private', '--json']);
    assert.equal(run.code, 0, run.error?.message);
    const answer = monitorAnswerSchema.parse(JSON.parse(run.stdout));
    assert.equal(answer.final_url, `http://dienthoai-xachtay.vn:${port}/`);
    assert.equal(answer.classification, 'unregistered_ecommerce');
  });

  it('is unreachable, with the reason and no evidence, when the SSRF guard refuses the address', async () => {
    const before = await database.db
      .selectFrom('evidence_items')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const run = await scan([`http://dienthoai-xachtay.vn:${port}/`, ...resolveAll(), '--json']);
    assert.equal(run.code, 0, run.error?.message);
    const answer = monitorAnswerSchema.parse(JSON.parse(run.stdout));
    assert.equal(answer.classification, 'unreachable');
    assert.equal(answer.evidence, null);
    assert.equal(answer.reasons[0]?.code, 'fetch_blocked_address');
    const afterScan = await database.db
      .selectFrom('evidence_items')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(afterScan.n), Number(before.n));
  });

  it('is unreachable, naming the network failure, when the host is dead (nothing listens)', async () => {
    // A port that was just freed: the connection is refused, as by a host whose shop has closed.
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const run = await scan([
      `http://cua-hang-da-dong.vn:${deadPort}/`,
      '--resolve',
      `cua-hang-da-dong.vn:${deadPort}:127.0.0.1`,
      '--allow-private',
      '--json',
    ]);
    assert.equal(run.code, 0, run.error?.message);
    const answer = monitorAnswerSchema.parse(JSON.parse(run.stdout));
    assert.equal(answer.classification, 'unreachable');
    assert.equal(answer.evidence, null);
    assert.equal(answer.reasons[0]?.code, 'fetch_network');
  });

  it('hands each page to the composition root’s observers: the prices a shop shows join the price history', async () => {
    const run = await runCliInProcess(
      database,
      (program, services) => registerMonitorCli(program, services, { pageObservers: [recordOffersOfPage] }),
      ['monitor', 'scan', '--json', ...resolveAll(), '--allow-private', `http://dienthoai-xachtay.vn:${port}/`],
    );
    assert.equal(run.code, 0, run.error?.message);
    const answer = JSON.parse(run.stdout) as { evidence: { id: string } };
    const observed = await database.db
      .selectFrom('price_observations')
      .selectAll()
      .where('evidence_id', '=', answer.evidence.id)
      .execute();
    assert.ok(observed.length > 0, 'the shop’s prices are recorded with the scan’s evidence');
    assert.ok(observed.every((row) => row.domain === 'dienthoai-xachtay.vn' && Number(row.price_vnd) > 0));
  });
});
