import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse as parseCsv } from 'csv-parse/sync';
import type { ActorContext } from '../src/core/context.ts';
import { todayInVietnam } from '../src/core/dates.ts';
import { createAdvisory, publishAdvisory, withdrawAdvisory } from '../src/modules/advisories/advisories.service.ts';
import {
  activateBlock,
  approveBlock,
  decideBlock,
  liftBlock,
  proposeBlock,
} from '../src/modules/blocking/blocking.service.ts';
import { captureEvidence } from '../src/modules/evidence/index.ts';
import { findIdentityOwners } from '../src/modules/registry/index.ts';
import { importRegistryRows } from '../src/modules/registry/registry.service.ts';
import { publishDecision } from '../src/modules/transparency/transparency.service.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { testDatabaseKind } from './support/database.ts';
import { registryRow } from './support/registry.ts';

/**
 * The public register of decisions (issue 15, "Published decisions"): a warning published and a block activated each
 * get a public id and permalink in the transaction that makes them public; withdrawing or lifting ends the record; the
 * day's dump lists them as CSV and JSON.
 */

const OFFICER: ActorContext = { actor: 'user:officer' };
const HEAD: ActorContext = { actor: 'user:head' };
const PUBLIC_ID = /^ECG-\d{4}-\d{6}$/;

describe(`published decisions (${testDatabaseKind})`, () => {
  let testApp: TestApp;
  let evidenceStore: string;

  async function platform(name: string, domain: string): Promise<string> {
    await importRegistryRows(
      testApp.database,
      [registryRow({ name, status: 'unregistered', registrationNo: null, domains: [domain], androidApps: [] })],
      { actor: 'test' },
    );
    const owner = (await findIdentityOwners(testApp.database.db, [{ kind: 'domain', value: domain }]))[0];
    assert.ok(owner);
    return owner.platformId;
  }

  async function decisionOf(sourceType: string, sourceId: string) {
    return testApp.database.db
      .selectFrom('published_decisions')
      .selectAll()
      .where('source_type', '=', sourceType)
      .where('source_id', '=', sourceId)
      .executeTakeFirst();
  }

  const get = (url: string) => testApp.app.inject({ method: 'GET', url });

  before(async () => {
    testApp = await startTestApp({ demo: false });
    evidenceStore = fs.mkdtempSync(path.join(os.tmpdir(), 'ecomgov-transparency-evidence-'));
  });
  after(async () => {
    await testApp?.close();
    fs.rmSync(evidenceStore, { recursive: true, force: true });
  });

  it('gives a published warning a public id and permalink, escaped, and ends it when withdrawn', async () => {
    const platformId = await platform('Chợ Ảo Xuyên Biên Giới', 'cho-ao-xbg.test');
    const advisory = await createAdvisory(
      testApp.database,
      { context: OFFICER, unitId: 'idea' },
      {
        kind: 'warning',
        severity: 'danger',
        title_vi: 'Cảnh báo <script>alert(1)</script> Chợ Ảo',
        title_en: 'Warning about Chợ Ảo',
        body_vi: 'Sàn chưa đăng ký với Bộ Công Thương.',
        body_en: 'The platform is not registered with the Ministry.',
        platforms: ['cho-ao-xbg.test'],
      },
    );
    assert.equal(await decisionOf('advisory', advisory.id), undefined, 'a draft is not a public decision');
    await publishAdvisory(testApp.database, OFFICER, advisory.id);
    const row = await decisionOf('advisory', advisory.id);
    assert.ok(row);
    assert.match(row.public_id, PUBLIC_ID);
    assert.equal(row.public_id.slice(4, 8), todayInVietnam().slice(0, 4));
    assert.equal(row.kind, 'warning');
    assert.match(row.legal_ground, /không ghi căn cứ pháp lý riêng/);
    assert.deepEqual(
      row.targets.map((target) => [target.platform_id, target.domains]),
      [[platformId, ['cho-ao-xbg.test']]],
    );
    assert.deepEqual([row.automated_detection, row.automated_decision, row.status], [false, false, 'in_force']);

    // Publishing the same source again (a retried transaction) returns the record it has.
    const again = await testApp.database.db.transaction().execute((trx) =>
      publishDecision(trx, {
        kind: 'warning',
        source: { type: 'advisory', id: advisory.id },
        decided_on: todayInVietnam(),
        legal_ground: 'x',
        facts: { vi: 'x' },
        targets: [],
        automated_detection: false,
        automated_decision: false,
      }),
    );
    assert.equal(again.public_id, row.public_id);

    for (const lang of ['vi', 'en']) {
      const page = await get(`/decisions/${row.public_id}?lang=${lang}`);
      assert.equal(page.statusCode, 200, page.body);
      assert.ok(!page.body.includes('<script>alert(1)</script>'), 'the facts are escaped');
      assert.match(page.body, /&lt;script&gt;|Warning about Chợ Ảo/);
      assert.match(page.body, /data-automated-detection="false"/);
      assert.match(page.body, new RegExp(`/advisories/${advisory.id}`));
    }
    const api = await get(`/api/v1/decisions/${row.public_id}`);
    assert.equal(api.statusCode, 200);
    assert.equal(api.json().permalink, `/decisions/${row.public_id}`);

    await withdrawAdvisory(testApp.database, OFFICER, advisory.id, 'Sàn đã thông báo, đăng ký');
    const ended = await decisionOf('advisory', advisory.id);
    assert.equal(ended?.status, 'ended');
    assert.match(ended?.end_reason_vi ?? '', /Sàn đã thông báo, đăng ký/);
  });

  it('publishes a block on activation, automated detection when a scan captured its evidence, and ends it when lifted', async () => {
    const site = http.createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end('<html lang="vi"><body>Thêm vào giỏ hàng 259.000₫</body></html>');
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    const port = (site.address() as AddressInfo).port;
    let evidenceId: string;
    try {
      const captured = await captureEvidence(
        testApp.database.db,
        evidenceStore,
        { actor: 'system:monitor' },
        { url: `http://hang-nhai.test:${port}/`, resolve: [`hang-nhai.test:${port}:127.0.0.1`], allowPrivate: true },
      );
      evidenceId = captured.evidenceId;
    } finally {
      await new Promise<void>((resolve) => site.close(() => resolve()));
    }
    const platformId = await platform('Hàng Nhái', 'hang-nhai.test');
    const proposed = await proposeBlock(
      testApp.database,
      { context: OFFICER, unitId: 'idea' },
      {
        platform: 'hang-nhai.test',
        domains: [],
        android_apps: [],
        ios_apps: [],
        reason: 'Bán hàng giả mạo nhãn hiệu; không thông báo với Bộ Công Thương.',
        legal_basis: 'Điều 4 Nghị định 52/2013/NĐ-CP (sửa đổi bởi Nghị định 85/2021/NĐ-CP)',
        evidence: [evidenceId],
      },
    );
    await approveBlock(testApp.database, { actor: 'user:lawyer' }, proposed.id);
    await decideBlock(testApp.database, HEAD, proposed.id, {
      decision_no: '4321/QĐ-BCT',
      decision_date: todayInVietnam(),
    });
    assert.equal(await decisionOf('block_request', proposed.id), undefined, 'decided but not in effect yet');
    await activateBlock(testApp.database, HEAD, proposed.id);
    const row = await decisionOf('block_request', proposed.id);
    assert.ok(row);
    assert.deepEqual(
      [row.kind, row.decision_no, row.automated_detection, row.automated_decision],
      ['block', '4321/QĐ-BCT', true, false],
    );
    assert.equal(row.targets[0]?.platform_id, platformId);

    await liftBlock(testApp.database, HEAD, proposed.id, { reason: 'complied' });
    const ended = await decisionOf('block_request', proposed.id);
    assert.deepEqual([ended?.status, ended?.end_reason_en], ['ended', 'The platform complied']);

    // Today's dump lists both decisions (published and ended today), as CSV and JSON.
    const day = todayInVietnam();
    const csv = await get(`/decisions/dumps/${day}.csv`);
    assert.equal(csv.statusCode, 200, csv.body);
    const records = parseCsv(csv.body, { columns: true }) as Array<Record<string, string>>;
    const line = records.find((record) => record.public_id === row.public_id);
    assert.ok(line, 'the block is in the dump');
    assert.deepEqual(
      [line.kind, line.decision_no, line.automated_detection, line.status, line.target_domains],
      ['block', '4321/QĐ-BCT', 'true', 'ended', 'hang-nhai.test'],
    );
    assert.ok(records.some((record) => record.kind === 'warning'));
    const json = await get(`/decisions/dumps/${day}.json`);
    assert.equal(json.statusCode, 200);
    assert.ok(
      (json.json() as { decisions: Array<{ public_id: string }> }).decisions.some((d) => d.public_id === row.public_id),
    );

    const list = await get('/decisions?kind=block&lang=en');
    assert.equal(list.statusCode, 200);
    assert.match(list.body, new RegExp(row.public_id));
    const api = await get('/api/v1/decisions?kind=warning');
    assert.ok((api.json() as { decisions: Array<{ kind: string }> }).decisions.every((d) => d.kind === 'warning'));
  });

  it('refuses a malformed day or id, a future day, and limits public requests', async () => {
    assert.equal((await get('/decisions/dumps/2026-13-45.csv')).statusCode, 404);
    assert.equal((await get('/decisions/dumps/yesterday.csv')).statusCode, 400);
    assert.equal((await get('/decisions/dumps/2999-01-01.json')).statusCode, 404);
    assert.equal((await get('/decisions/ECG-2026-999999')).statusCode, 404);
    assert.equal((await get('/decisions/not-an-id')).statusCode, 404);

    const limited = await startTestApp({ demo: false, env: { DECISIONS_RATE_LIMIT: 2 } });
    try {
      const statuses = [];
      for (let call = 0; call < 3; call++) {
        statuses.push((await limited.app.inject({ method: 'GET', url: '/api/v1/decisions' })).statusCode);
      }
      assert.deepEqual(statuses, [200, 200, 429]);
    } finally {
      await limited.close();
    }
  });
});
