import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { listAuditEvents } from '../src/core/audit.ts';
import { sha256Hex } from '../src/core/hash.ts';
import { captureEvidence, getEvidence } from '../src/modules/evidence/evidence.service.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { createAccount, formBody, loginAs, type TestAccount, type TestSession } from './support/auth.ts';
import { testDatabaseKind } from './support/database.ts';

/** The workbench page of an evidence item: details, hashes, custody log; viewing and downloading are custody events. */

describe(`evidence workbench pages (${testDatabaseKind})`, () => {
  let testApp: TestApp;
  let storeDir: string;
  let server: http.Server;
  let officer: TestSession;
  let officerAccount: TestAccount;
  let evidenceId: string;

  before(async () => {
    storeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecomgov-evidence-web-'));
    testApp = await startTestApp({ demo: false, env: { EVIDENCE_DIR: storeDir } });
    server = http.createServer((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      response.end('<html lang="vi"><body>Giỏ hàng <script>alert(1)</script></body></html>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const captured = await captureEvidence(
      testApp.database.db,
      storeDir,
      { actor: 'cli:tester' },
      {
        url: `http://shop.example:${port}/?q=<b>`,
        resolve: [`shop.example:${port}:127.0.0.1`],
        allowPrivate: ['127.0.0.1'],
      },
    );
    evidenceId = captured.evidenceId;
    officerAccount = await createAccount(testApp.database, {
      kind: 'officer',
      unitId: 'inspectorate',
      role: 'officer',
    });
    officer = await loginAs(testApp, officerAccount);
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await testApp.close();
    fs.rmSync(storeDir, { recursive: true, force: true });
  });

  it('lists captures and shows one with its hashes and custody log, recording the view', async () => {
    const list = await testApp.app.inject({ url: '/workbench/evidence', headers: { cookie: officer.cookie } });
    assert.equal(list.statusCode, 200);
    assert.match(list.body, new RegExp(`/workbench/evidence/${evidenceId}`));
    let custody = (await getEvidence(testApp.database.db, evidenceId)).custody;
    assert.deepEqual(
      custody.map((entry) => entry.event),
      ['captured'],
      'the list is not a view of an item',
    );

    const page = await testApp.app.inject({
      url: `/workbench/evidence/${evidenceId}`,
      headers: { cookie: officer.cookie },
    });
    assert.equal(page.statusCode, 200);
    const { item } = await getEvidence(testApp.database.db, evidenceId);
    assert.ok(page.body.includes(item.files[0]?.sha256 as string));
    assert.ok(page.body.includes(item.body_sha256));
    assert.match(page.body, /data-integrity="ok"/);
    assert.ok(!page.body.includes('<b>'), 'the URL is escaped');
    assert.match(page.body, /data-custody="captured"/);
    assert.match(page.body, /data-custody="viewed"/);
    custody = (await getEvidence(testApp.database.db, evidenceId)).custody;
    assert.deepEqual(
      custody.map((entry) => [entry.event, entry.actor]),
      [
        ['captured', 'cli:tester'],
        ['viewed', `user:${officerAccount.id}`],
      ],
    );
  });

  it('shows a tampered file as differing', async () => {
    const { item } = await getEvidence(testApp.database.db, evidenceId);
    const warc = path.join(storeDir, item.files[0]?.path as string);
    const original = fs.readFileSync(warc);
    fs.writeFileSync(warc, Buffer.concat([original, Buffer.from('x')]));
    try {
      const page = await testApp.app.inject({
        url: `/workbench/evidence/${evidenceId}`,
        headers: { cookie: officer.cookie },
      });
      assert.match(page.body, /data-integrity="altered"/);
      assert.match(page.body, /<tr data-file="capture.warc.gz">[\s\S]*?data-state="altered"/);
    } finally {
      fs.writeFileSync(warc, original);
    }
  });

  it('downloads the package, recorded with its SHA-256 in the custody log and the audit trail', async () => {
    const response = await testApp.app.inject({
      url: `/workbench/evidence/${evidenceId}/package.zip`,
      headers: { cookie: officer.cookie },
    });
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['content-type'], 'application/zip');
    assert.match(String(response.headers['content-disposition']), /attachment; filename="evidence-/);
    assert.equal(response.rawPayload.subarray(0, 4).toString('latin1'), 'PK\u0003\u0004');
    const { custody } = await getEvidence(testApp.database.db, evidenceId);
    const exported = custody.at(-1);
    assert.equal(exported?.event, 'exported');
    assert.equal((exported?.detail as { sha256?: string } | undefined)?.sha256, sha256Hex(response.rawPayload));
    const audit = await listAuditEvents(testApp.database.db, { entityType: 'evidence', entityId: evidenceId });
    assert.ok(
      audit.some((event) => event.action === 'evidence.exported' && event.actor === `user:${officerAccount.id}`),
    );
  });

  it('verifies again from the page (a form with its CSRF token), logging the outcome', async () => {
    const refused = await testApp.app.inject({
      method: 'POST',
      url: `/workbench/evidence/${evidenceId}/verify`,
      headers: { cookie: officer.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: formBody({}),
    });
    assert.equal(refused.statusCode, 403, 'no CSRF token');
    const response = await testApp.app.inject({
      method: 'POST',
      url: `/workbench/evidence/${evidenceId}/verify`,
      headers: { cookie: officer.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: formBody({ _csrf: officer.csrf }),
    });
    assert.equal(response.statusCode, 303);
    assert.equal(response.headers.location, `/workbench/evidence/${evidenceId}?done=verified`);
    const { custody } = await getEvidence(testApp.database.db, evidenceId);
    assert.deepEqual(custody.at(-1)?.event, 'verified');
    assert.deepEqual(custody.at(-1)?.detail, { ok: true, failed: [] });
    const page = await testApp.app.inject({
      url: `/workbench/evidence/${evidenceId}?done=verified&lang=en`,
      headers: { cookie: officer.cookie },
    });
    assert.match(page.body, /Verified again; recorded in the custody log\./);
  });

  it('is not shown to a unit without the permission, and records nothing then', async () => {
    const other = await createAccount(testApp.database, { kind: 'officer', unitId: 'newspaper', role: 'head' });
    const session = await loginAs(testApp, other);
    const before = (await getEvidence(testApp.database.db, evidenceId)).custody.length;
    const response = await testApp.app.inject({
      url: `/workbench/evidence/${evidenceId}`,
      headers: { cookie: session.cookie },
    });
    assert.equal(response.statusCode, 403);
    assert.equal((await getEvidence(testApp.database.db, evidenceId)).custody.length, before);
  });
});
