import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { WARCParser, type WARCRecord } from 'warcio';
import { listAuditEvents } from '../src/core/audit.ts';
import type { Database } from '../src/core/db.ts';
import { AppError } from '../src/core/errors.ts';
import { sha256Hex } from '../src/core/hash.ts';
import { SafeFetchError } from '../src/core/safe-fetch.ts';
import { registerEvidenceCli } from '../src/modules/evidence/evidence.cli.ts';
import { screenshotUnavailable } from '../src/modules/evidence/evidence.screenshot.ts';
import { attachEvidence, captureEvidence, getEvidence } from '../src/modules/evidence/evidence.service.ts';
import { runCliInProcess } from './support/cli.ts';
import { createTestDatabase, testDatabaseKind } from './support/database.ts';
import { selfSignedCertificate } from './support/tls.ts';

/**
 * Evidence (issue 12): captures of a small local web (virtual hosts through --resolve) read back with warcio's
 * reader, verification that names a tampered file, the zip package checked with `sha256sum -c`, the SSRF guard on
 * redirects, custody events in the audit trail, and (when Chromium is installed) a screenshot whose page cannot reach
 * an address the guard did not approve.
 */

const PAGE =
  '<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Cửa hàng</title></head><body><h1>Thêm vào giỏ hàng</h1><p>259.000₫</p></body></html>';
const CONTEXT = { actor: 'test:evidence' };

describe(`evidence (${testDatabaseKind})`, () => {
  let database: Database;
  let storeDir: string;
  let work: string;
  let server: http.Server;
  let redirector: http.Server;
  let tlsServer: https.Server;
  let port: number;
  let redirectorPort: number;
  let tlsPort: number;
  const tls = selfSignedCertificate(['secure.example']);
  const requests: string[] = [];

  const cli = (args: string[]) => runCliInProcess(database, registerEvidenceCli, args);
  const shop = () => ({ resolve: [`shop.example:${port}:127.0.0.1`], allowPrivate: ['127.0.0.1'] });

  before(async () => {
    database = await createTestDatabase();
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'ecomgov-evidence-test-'));
    storeDir = path.join(work, 'store');
    fs.mkdirSync(storeDir);
    process.env.EVIDENCE_DIR = storeDir;
    server = http.createServer((request, response) => {
      requests.push(`${request.headers.host}${request.url}`);
      switch (request.url) {
        case '/':
          response.writeHead(200, {
            'Content-Type': 'text/html; charset=utf-8',
            'Content-Length': Buffer.byteLength(PAGE),
          });
          response.end(PAGE);
          return;
        case '/moved':
          response.writeHead(301, { Location: '/' });
          response.end('moved');
          return;
        case '/chunked':
          response.writeHead(200, { 'Content-Type': 'text/plain' });
          response.write('abc123\n');
          response.end('second chunk');
          return;
        case '/with-images':
          response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
          response.end(
            `<!doctype html><html><body style="height:2000px"><h1>Ảnh</h1><img src="/pixel.svg"><img src="http://127.0.0.1:${port}/secret.svg"><img src="http://other.example:${port}/other.svg"></body></html>`,
          );
          return;
        case '/pixel.svg':
        case '/secret.svg':
        case '/other.svg':
          response.writeHead(200, { 'Content-Type': 'image/svg+xml' });
          response.end(
            '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>',
          );
          return;
        default:
          response.writeHead(404);
          response.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    // Another site, on 127.0.0.2: a redirect to 127.0.0.1, and a page whose images point at 127.0.0.1.
    redirector = http.createServer((request, response) => {
      if (request.url === '/with-images') {
        response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
        response.end(
          `<!doctype html><html><body><h1>Ảnh</h1><img src="/local.svg"><img src="http://127.0.0.1:${port}/secret.svg"><img src="http://other.example:${port}/other.svg"><script>fetch('http://127.0.0.1:${port}/from-script').catch(() => {})</script></body></html>`,
        );
        return;
      }
      if (request.url === '/local.svg') {
        response.writeHead(200, { 'Content-Type': 'image/svg+xml' });
        response.end('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>');
        return;
      }
      response.writeHead(302, { Location: `http://127.0.0.1:${port}/` });
      response.end();
    });
    await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.2', resolve));
    redirectorPort = (redirector.address() as AddressInfo).port;
    tlsServer = https.createServer({ key: tls.key, cert: tls.cert }, (_request, response) => {
      response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      response.end(PAGE);
    });
    await new Promise<void>((resolve) => tlsServer.listen(0, '127.0.0.1', resolve));
    tlsPort = (tlsServer.address() as AddressInfo).port;
  });
  after(async () => {
    for (const each of [server, redirector, tlsServer]) {
      each.closeAllConnections();
      await new Promise((resolve) => each.close(resolve));
    }
    await database.close();
    fs.rmSync(work, { recursive: true, force: true });
    delete process.env.EVIDENCE_DIR;
  });

  async function records(warcPath: string): Promise<Array<{ record: WARCRecord; payload: Buffer }>> {
    const list: Array<{ record: WARCRecord; payload: Buffer }> = [];
    for await (const record of new WARCParser(fs.createReadStream(path.join(storeDir, warcPath)))) {
      list.push({ record, payload: Buffer.from(await record.readFully(true)) });
    }
    return list;
  }

  it('captures a redirect chain as WARC 1.1 request and response records that a WARC reader reads back', async () => {
    const captured = await captureEvidence(database.db, storeDir, CONTEXT, {
      url: `http://shop.example:${port}/moved`,
      ...shop(),
    });
    assert.equal(captured.finalUrl, `http://shop.example:${port}/`);
    assert.equal(captured.httpStatus, 200);
    assert.equal(captured.ip, '127.0.0.1');
    assert.equal(captured.body.toString('utf8'), PAGE);
    assert.equal(captured.bodySha256, sha256Hex(Buffer.from(PAGE)));
    assert.equal(captured.headers['content-type'], 'text/html; charset=utf-8');
    assert.match(captured.warcPath, /^[0-9a-f]{2}\/[0-9a-f]{64}\/capture\.warc\.gz$/);
    assert.equal(captured.warcFile, path.join(storeDir, captured.warcPath));
    const warcFile = fs.readFileSync(captured.warcFile);
    assert.equal(sha256Hex(warcFile), captured.sha256);
    assert.equal(captured.warcPath.split('/')[1], captured.sha256, 'content-addressed by the WARC hash');
    assert.equal(warcFile[0], 0x1f, 'gzip');
    assert.equal(warcFile[1], 0x8b, 'gzip');

    const read = await records(captured.warcPath);
    assert.deepEqual(
      read.map(({ record }) => [record.warcType, record.warcTargetURI ?? null]),
      [
        ['warcinfo', null],
        ['request', `http://shop.example:${port}/moved`],
        ['response', `http://shop.example:${port}/moved`],
        ['request', `http://shop.example:${port}/`],
        ['response', `http://shop.example:${port}/`],
      ],
    );
    for (const { record } of read.slice(1)) {
      assert.equal(record.warcHeaders.statusline, 'WARC/1.1');
      assert.equal(record.warcHeader('WARC-IP-Address'), '127.0.0.1');
    }
    const [, request, redirect, , response] = read as Array<{ record: WARCRecord; payload: Buffer }>;
    assert.equal(request?.record.httpHeaders?.statusline, 'GET /moved HTTP/1.1');
    assert.equal(request?.record.httpHeaders?.headers.get('host'), `shop.example:${port}`);
    assert.equal(request?.record.warcHeader('WARC-Concurrent-To'), redirect?.record.warcHeader('WARC-Record-ID'));
    assert.equal(redirect?.record.httpHeaders?.statusCode, 301);
    assert.equal(redirect?.record.httpHeaders?.headers.get('location'), '/');
    assert.equal(redirect?.payload.toString(), 'moved');
    assert.equal(response?.payload.toString('utf8'), PAGE);
    assert.equal(response?.record.warcPayloadDigest, `sha256:${sha256Hex(Buffer.from(PAGE))}`);

    const { item, custody } = await getEvidence(database.db, captured.evidenceId);
    assert.equal(item.final_url, captured.finalUrl);
    assert.equal(item.captured_by, 'test:evidence');
    assert.deepEqual(
      custody.map((entry) => entry.event),
      ['captured'],
    );
  });

  it('stores a chunked body once, readable by a reader that follows Transfer-Encoding', async () => {
    const captured = await captureEvidence(database.db, storeDir, CONTEXT, {
      url: `http://shop.example:${port}/chunked`,
      ...shop(),
    });
    const response = (await records(captured.warcPath)).find(({ record }) => record.warcType === 'response');
    assert.equal(response?.payload.toString(), 'abc123\nsecond chunk');
    assert.equal(response?.record.httpHeaders?.headers.get('x-archive-orig-transfer-encoding'), 'chunked');
  });

  it('keeps the TLS certificate chain of an https capture as a hashed PEM file', async () => {
    const captured = await captureEvidence(database.db, storeDir, CONTEXT, {
      url: `https://secure.example:${tlsPort}/`,
      resolve: [`secure.example:${tlsPort}:127.0.0.1`],
      allowPrivate: ['127.0.0.1'],
      ca: tls.cert,
    });
    assert.ok(captured.certChainPath);
    const pem = fs.readFileSync(path.join(storeDir, captured.certChainPath));
    assert.equal(new X509Certificate(pem).fingerprint256, new X509Certificate(tls.cert).fingerprint256);
    const { item } = await getEvidence(database.db, captured.evidenceId);
    assert.deepEqual(
      item.files.map((file) => [file.name, file.sha256]),
      [
        ['capture.warc.gz', captured.sha256],
        ['tls-chain.pem', sha256Hex(pem)],
      ],
    );
  });

  it('verifies every hash (exit 0), names a tampered file (exit 1), and exports a package sha256sum accepts', async () => {
    const captured = await captureEvidence(database.db, storeDir, CONTEXT, {
      url: `https://secure.example:${tlsPort}/`,
      resolve: [`secure.example:${tlsPort}:127.0.0.1`],
      allowPrivate: ['127.0.0.1'],
      ca: tls.cert,
    });
    const id = captured.evidenceId;
    const verified = await cli(['evidence', 'verify', id]);
    assert.equal(verified.code, 0, verified.stdout);
    assert.match(verified.stdout, /every hash matches/);

    const zipFile = path.join(work, 'package.zip');
    const exported = await cli(['evidence', 'export', id, '--out', zipFile, '--json']);
    assert.equal(exported.code, 0, exported.stdout);
    const unpacked = path.join(work, 'unpacked');
    execFileSync('unzip', ['-q', zipFile, '-d', unpacked]);
    assert.deepEqual(fs.readdirSync(unpacked).sort(), [
      'capture.warc.gz',
      'custody.csv',
      'manifest.json',
      'manifest.sha256',
      'tls-chain.pem',
    ]);
    const check = execFileSync('sha256sum', ['-c', 'manifest.sha256'], { cwd: unpacked, encoding: 'utf8' });
    assert.match(check, /capture\.warc\.gz: OK/);
    assert.match(check, /custody\.csv: OK/);
    const manifest = JSON.parse(fs.readFileSync(path.join(unpacked, 'manifest.json'), 'utf8'));
    assert.equal(manifest.evidence.id, id);
    assert.equal(
      manifest.files.find((file: { name: string }) => file.name === 'capture.warc.gz').sha256,
      captured.sha256,
    );
    const csv = fs.readFileSync(path.join(unpacked, 'custody.csv'), 'utf8').trim().split('\n');
    assert.equal(csv[0], 'evidence_id,event,actor,at,detail');
    assert.deepEqual(
      csv.slice(1).map((line) => line.split(',')[1]),
      ['captured', 'verified'],
    );
    // A byte changed in an unpacked file: sha256sum names it.
    fs.appendFileSync(path.join(unpacked, 'tls-chain.pem'), '\n');
    assert.throws(
      () => execFileSync('sha256sum', ['-c', 'manifest.sha256'], { cwd: unpacked, stdio: 'pipe' }),
      (error: { stdout: Buffer }) => /tls-chain\.pem: FAILED/.test(error.stdout.toString()),
    );

    // Tamper with the stored chain: verify names it and fails; export refuses.
    const chainPath = path.join(storeDir, captured.certChainPath as string);
    fs.appendFileSync(chainPath, ' ');
    const tampered = await cli(['evidence', 'verify', id]);
    assert.equal(tampered.code, 1);
    assert.match(tampered.stdout, /DIFFERS {2}tls-chain\.pem/);
    assert.doesNotMatch(tampered.stdout, /DIFFERS {2}capture\.warc\.gz/);
    const refused = await cli(['evidence', 'export', id, '--out', path.join(work, 'refused.zip')]);
    assert.equal(refused.code, 1);
    assert.equal(fs.existsSync(path.join(work, 'refused.zip')), false);

    // The WARC altered: its hash and the body's both differ.
    const warcPath = path.join(storeDir, captured.warcPath);
    fs.writeFileSync(warcPath, fs.readFileSync(warcPath).subarray(0, 40));
    const broken = await cli(['evidence', 'verify', id, '--json']);
    assert.equal(broken.code, 1);
    const report = JSON.parse(broken.stdout);
    assert.deepEqual(
      report.checks.filter((entry: { ok: boolean }) => !entry.ok).map((entry: { name: string }) => entry.name),
      ['capture.warc.gz', 'tls-chain.pem', 'body'],
    );

    // Every custody event is in the audit trail.
    const audit = await listAuditEvents(database.db, { entityType: 'evidence', entityId: id });
    assert.deepEqual(
      audit.map((event) => event.action).sort(),
      ['evidence.captured', 'evidence.exported', 'evidence.verified', 'evidence.verified', 'evidence.verified'].sort(),
    );
    const { custody } = await getEvidence(database.db, id);
    assert.deepEqual(
      custody.map((entry) => entry.event),
      ['captured', 'verified', 'exported', 'verified', 'verified'],
    );
    assert.deepEqual(custody.at(-1)?.detail, { ok: false, failed: ['capture.warc.gz', 'tls-chain.pem', 'body'] });
  });

  it('refuses a redirect to 127.0.0.1 without allowPrivate, and stores nothing', async () => {
    const before = await database.db
      .selectFrom('evidence_items')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const filesBefore = fs.readdirSync(storeDir, { recursive: true }).length;
    await assert.rejects(
      captureEvidence(database.db, storeDir, CONTEXT, {
        url: `http://redirect.example:${redirectorPort}/`,
        resolve: [`redirect.example:${redirectorPort}:127.0.0.2`],
        allowPrivate: ['127.0.0.2'],
      }),
      (error: unknown) => error instanceof SafeFetchError && error.reason === 'blocked_address',
    );
    const run = await cli([
      'evidence',
      'capture',
      `http://shop.example:${port}/`,
      '--resolve',
      `shop.example:${port}:127.0.0.1`,
    ]);
    assert.equal(run.code, 1);
    assert.match(run.error?.message ?? '', /not a public Internet address/);
    const afterCount = await database.db
      .selectFrom('evidence_items')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(afterCount.n), Number(before.n));
    assert.equal(fs.readdirSync(storeDir, { recursive: true }).length, filesBefore);
  });

  it('captures through the CLI with --resolve and --allow-private', async () => {
    const run = await cli([
      'evidence',
      'capture',
      `http://shop.example:${port}/`,
      '--resolve',
      `shop.example:${port}:127.0.0.1`,
      '--allow-private',
      '--json',
    ]);
    assert.equal(run.code, 0, run.stdout);
    const result = JSON.parse(run.stdout);
    assert.equal(result.httpStatus, 200);
    assert.equal(result.ip, '127.0.0.1');
    assert.equal(result.body, undefined, 'the body is not printed');
    assert.ok(fs.existsSync(path.join(storeDir, result.warcPath)));
  });

  it('attaches an item to a case (a custody event) and never changes a capture', async () => {
    const captured = await captureEvidence(database.db, storeDir, CONTEXT, {
      url: `http://shop.example:${port}/`,
      ...shop(),
    });
    const caseId = '3f1c0d3e-8b8a-4c1e-9a55-0b6f5e8f0a11';
    const item = await attachEvidence(database.db, { actor: 'user:officer' }, captured.evidenceId, { caseId });
    assert.equal(item.case_id, caseId);
    // The same case again is fine; another case is refused.
    await attachEvidence(database.db, { actor: 'user:officer' }, captured.evidenceId, { caseId });
    await assert.rejects(
      attachEvidence(database.db, { actor: 'user:officer' }, captured.evidenceId, {
        caseId: '0b9e3c62-5d0e-4b7a-8d1f-2a9c4e6b7d80',
      }),
      (error: unknown) => error instanceof AppError && error.code === 'conflict' && error.field === 'case_id',
    );
    await assert.rejects(
      attachEvidence(database.db, { actor: 'user:officer' }, captured.evidenceId, {}),
      (error: unknown) => error instanceof AppError && error.code === 'invalid_input',
    );
    const audit = await listAuditEvents(database.db, { entityType: 'evidence', entityId: captured.evidenceId });
    assert.ok(audit.some((event) => event.action === 'evidence.attached' && event.actor === 'user:officer'));
    await assert.rejects(
      database.db
        .updateTable('evidence_items')
        .set({ body_sha256: '0'.repeat(64) })
        .where('id', '=', captured.evidenceId)
        .execute(),
      /a capture is not changed/,
    );
    await assert.rejects(
      database.db.deleteFrom('evidence_custody').where('evidence_id', '=', captured.evidenceId).execute(),
      /append-only/,
    );
  });

  it('takes a full-page screenshot whose page reaches only what the guard approves', async (t) => {
    const unavailable = await screenshotUnavailable();
    if (unavailable) {
      t.skip(unavailable);
      return;
    }
    requests.length = 0;
    const captured = await captureEvidence(database.db, storeDir, CONTEXT, {
      // A fragment: the browser asks for the page without it, and still gets the captured bytes.
      url: `http://shop.example:${port}/with-images#gio-hang`,
      resolve: [`shop.example:${port}:127.0.0.1`, `other.example:${port}:127.0.0.1`],
      allowPrivate: ['127.0.0.1'],
      screenshot: true,
    });
    assert.equal(captured.screenshotError, null);
    assert.ok(captured.screenshotPath);
    const png = fs.readFileSync(path.join(storeDir, captured.screenshotPath));
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.ok(png.readUInt32BE(20) >= 2000, 'full page: as tall as the page');
    // The page itself was fetched once (the browser got the captured bytes); its images through the guard.
    assert.equal(requests.filter((request) => request.endsWith('/with-images')).length, 1);
    assert.ok(requests.includes(`shop.example:${port}/pixel.svg`));
    // 127.0.0.1 by address is allowed by this capture's options, so it is fetched through the guard too; the WARC
    // holds every request the screenshot made.
    const uris = (await records(captured.warcPath))
      .filter(({ record }) => record.warcType === 'response')
      .map(({ record }) => record.warcTargetURI);
    assert.ok(uris.includes(`http://shop.example:${port}/pixel.svg`));
    const { item } = await getEvidence(database.db, captured.evidenceId);
    assert.equal(item.files.find((file) => file.name === 'screenshot.png')?.sha256, sha256Hex(png));
  });

  it('does not let the screenshot reach an address the guard refuses', async (t) => {
    const unavailable = await screenshotUnavailable();
    if (unavailable) {
      t.skip(unavailable);
      return;
    }
    requests.length = 0;
    // The page's site is on 127.0.0.2, the only address allowed; its images and a script's fetch aim at 127.0.0.1,
    // by address and by a name that maps there. Were the browser unguarded, the server on 127.0.0.1 would see them.
    const captured = await captureEvidence(database.db, storeDir, CONTEXT, {
      url: `http://site.example:${redirectorPort}/with-images`,
      resolve: [`site.example:${redirectorPort}:127.0.0.2`, `other.example:${port}:127.0.0.1`],
      allowPrivate: ['127.0.0.2'],
      screenshot: true,
    });
    assert.equal(captured.screenshotError, null);
    assert.ok(captured.screenshotPath);
    assert.deepEqual(requests, []);
    const uris = (await records(captured.warcPath)).map(({ record }) => record.warcTargetURI);
    assert.ok(uris.includes(`http://site.example:${redirectorPort}/local.svg`));
    assert.ok(!uris.some((uri) => uri?.includes(`:${port}/`)));
  });
});
