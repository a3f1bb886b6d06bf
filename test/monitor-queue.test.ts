import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { type CheckIndex, startCheckIndex } from '../src/modules/check/index.ts';
import { processQueuedScans } from '../src/modules/monitor/monitor.queue.ts';
import { importRegistryRows } from '../src/modules/registry/registry.service.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { createAccount, createPartnerToken, formBody, loginAs, type TestSession } from './support/auth.ts';
import { testDatabaseKind } from './support/database.ts';
import { type FakeWeb, startFakeWeb } from './support/fake-web.ts';
import { registryRow } from './support/registry.ts';

/**
 * Scans on the queue (issue 12): POST /api/v1/monitor/scans records queued scans, a worker drains them
 * (`processQueuedScans`, what the server's pg-boss job runs), GET answers the status and the Monitor answer.
 * A small fake web on 127.0.0.1 with virtual hosts through `resolve`, as in monitor-scan.test.ts.
 */

const FIXTURES = path.join(import.meta.dirname, '../src/modules/monitor/fixtures');

const SITES: Record<string, { file?: string; redirect?: string }> = {
  'www.shopgiay.vn': { file: 'shop-genuine-badge.html' },
  'giaydep-re.vn': { file: 'shop-copied-badge.html' },
  'dienthoai-xachtay.vn': { file: 'shop-unregistered.html' },
  'old-shop.vn': { redirect: 'http://dienthoai-xachtay.vn' },
  'hang-xach-tay-moi.vn': { file: 'shop-unregistered.html' },
  'dongho-gia-si.vn': { file: 'shop-unregistered.html' },
};

describe(`monitor scans on the queue (${testDatabaseKind})`, () => {
  let testApp: TestApp;
  let storeDir: string;
  let web: FakeWeb;
  let port: number;
  let index: { index: CheckIndex; stop(): Promise<void> };
  let officer: TestSession;
  let legalOfficer: TestSession;
  let agencyOfficer: TestSession;
  const resolveAll = () => web.resolveEntries();

  const call = (session: TestSession | undefined, method: 'GET' | 'POST', url: string, payload?: unknown) =>
    testApp.app.inject({
      method,
      url,
      headers: {
        ...(session ? { cookie: session.cookie, 'x-csrf-token': session.csrf } : {}),
        ...(payload !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(payload !== undefined ? { payload: JSON.stringify(payload) } : {}),
    });

  const openFindingOf = async (domain: string) =>
    (
      (await call(officer, 'GET', '/api/v1/monitor/findings?status=open')).json().findings as Array<{
        id: string;
        domain: string;
        classification: string;
        latest_evidence_id: string;
      }>
    ).find((item) => item.domain === domain);

  const drain = (allowPrivate: readonly string[] = ['127.0.0.1']) =>
    processQueuedScans({
      database: testApp.database,
      index: index.index,
      storeDir,
      portalUrl: 'https://portal.example',
      allowPrivate,
    });

  before(async () => {
    storeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecomgov-monitor-queue-'));
    testApp = await startTestApp({
      demo: false,
      env: { EVIDENCE_DIR: storeDir, PORTAL_URL: 'https://portal.example' },
    });
    await importRegistryRows(
      testApp.database,
      [registryRow({ line: 2, name: 'Giày Đẹp', registrationNo: 'TB-2026-00101', domains: ['shopgiay.vn'] })],
      { actor: 'test:monitor' },
    );
    index = await startCheckIndex(testApp.database);
    web = await startFakeWeb(FIXTURES, SITES);
    port = web.port;
    officer = await loginAs(
      testApp,
      await createAccount(testApp.database, { kind: 'officer', unitId: 'inspectorate', role: 'officer' }),
    );
    agencyOfficer = await loginAs(
      testApp,
      await createAccount(testApp.database, { kind: 'officer', unitId: 'idea', role: 'officer' }),
    );
    legalOfficer = await loginAs(
      testApp,
      await createAccount(testApp.database, { kind: 'officer', unitId: 'legal', role: 'officer' }),
    );
  });

  after(async () => {
    await web.close();
    await index.stop();
    await testApp.close();
    fs.rmSync(storeDir, { recursive: true, force: true });
  });

  it('queues scans (202), a worker processes them, and GET answers the Monitor answer', async () => {
    const urls = ['www.shopgiay.vn', 'giaydep-re.vn', 'dienthoai-xachtay.vn'].map((host) => `http://${host}:${port}/`);
    const queued = await call(officer, 'POST', '/api/v1/monitor/scans', { urls, resolve: resolveAll() });
    assert.equal(queued.statusCode, 202, queued.body);
    const scans = queued.json().scans as Array<{ id: string; url: string }>;
    assert.deepEqual(
      scans.map((scan) => scan.url),
      urls,
    );

    const waiting = await call(officer, 'GET', `/api/v1/monitor/scans/${scans[0]?.id}`);
    assert.equal(waiting.statusCode, 200);
    assert.equal(waiting.json().status, 'queued');
    assert.equal(waiting.json().answer, null);

    assert.equal(await drain(), 3);
    assert.equal(await drain(), 0, 'nothing is scanned twice');

    const answers = await Promise.all(scans.map((scan) => call(officer, 'GET', `/api/v1/monitor/scans/${scan.id}`)));
    assert.deepEqual(
      answers.map((answer) => [answer.json().status, answer.json().classification]),
      [
        ['done', 'compliant'],
        ['done', 'fake_badge'],
        ['done', 'unregistered_ecommerce'],
      ],
    );
    const unregistered = answers[2]?.json();
    assert.equal(unregistered.answer.url, urls[2]);
    assert.equal(unregistered.evidence_id, unregistered.answer.evidence.id);
    assert.equal(unregistered.requested_by.startsWith('user:'), true);
  });

  it('refuses a bad body naming the field, and never takes allow-private from the request', async () => {
    const empty = await call(officer, 'POST', '/api/v1/monitor/scans', { urls: [] });
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /urls/);
    const ftp = await call(officer, 'POST', '/api/v1/monitor/scans', { urls: ['ftp://example.vn/'] });
    assert.equal(ftp.statusCode, 400);
    assert.match(ftp.body, /urls/);
    const badResolve = await call(officer, 'POST', '/api/v1/monitor/scans', {
      urls: ['http://example.vn/'],
      resolve: ['example.vn'],
    });
    assert.equal(badResolve.statusCode, 400);
    assert.match(badResolve.body, /resolve/);
    const sneaky = await call(officer, 'POST', '/api/v1/monitor/scans', {
      urls: ['http://example.vn/'],
      allow_private: true,
    });
    assert.equal(sneaky.statusCode, 400, 'an unknown field such as allow_private is refused');
  });

  it('answers 403 to a unit without monitor:scan, 401 without a session, and refuses a POST without CSRF', async () => {
    const body = { urls: ['http://example.vn/'] };
    assert.equal((await call(legalOfficer, 'POST', '/api/v1/monitor/scans', body)).statusCode, 403);
    assert.equal((await call(undefined, 'POST', '/api/v1/monitor/scans', body)).statusCode, 401);
    const noCsrf = await testApp.app.inject({
      method: 'POST',
      url: '/api/v1/monitor/scans',
      headers: { cookie: officer.cookie, 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    });
    assert.equal(noCsrf.statusCode, 403);
    const count = await testApp.database.db
      .selectFrom('monitor_scans')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('url', '=', 'http://example.vn/')
      .executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 0, 'nothing was queued');
    assert.equal((await call(officer, 'GET', '/api/v1/monitor/scans/not-a-uuid')).statusCode, 404);
  });

  it('SSRF: with the default configuration a URL (or its redirect) to 127.0.0.1 is unreachable, no evidence', async () => {
    const queued = await call(officer, 'POST', '/api/v1/monitor/scans', {
      urls: [`http://old-shop.vn:${port}/`],
      resolve: resolveAll(),
    });
    assert.equal(queued.statusCode, 202);
    const id = queued.json().scans[0].id as string;
    assert.equal(await drain([]), 1);
    const scan = (await call(officer, 'GET', `/api/v1/monitor/scans/${id}`)).json();
    assert.equal(scan.status, 'done');
    assert.equal(scan.classification, 'unreachable');
    assert.equal(scan.answer.reasons[0].code, 'fetch_blocked_address');
    assert.equal(scan.evidence_id, null);
  });

  it('opens one finding per flagged domain, and a re-scan updates it without removing history', async () => {
    const listed = await call(officer, 'GET', '/api/v1/monitor/findings');
    assert.equal(listed.statusCode, 200, listed.body);
    const findings = listed.json().findings as Array<Record<string, string>>;
    assert.deepEqual(findings.map((finding) => [finding.domain, finding.classification, finding.status]).sort(), [
      ['dienthoai-xachtay.vn', 'unregistered_ecommerce', 'open'],
      ['giaydep-re.vn', 'fake_badge', 'open'],
    ]);
    const unregistered = findings.find((finding) => finding.domain === 'dienthoai-xachtay.vn') as Record<
      string,
      string
    >;

    // Twice the same site, and a redirect that lands there: still one finding, now pointing at the latest scan.
    const again = await call(officer, 'POST', '/api/v1/monitor/scans', {
      urls: [
        `http://dienthoai-xachtay.vn:${port}/`,
        `http://old-shop.vn:${port}/`,
        `http://dienthoai-xachtay.vn:${port}/`,
      ],
      resolve: resolveAll(),
    });
    assert.equal(again.statusCode, 202);
    assert.equal(await drain(), 3);
    const detail = (await call(officer, 'GET', `/api/v1/monitor/findings/${unregistered.id}`)).json();
    assert.equal(detail.finding.id, unregistered.id);
    assert.equal(detail.finding.latest_scan_id, again.json().scans[2].id);
    assert.notEqual(detail.finding.latest_evidence_id, unregistered.latest_evidence_id);
    assert.equal(detail.scans.length, 4, 'every scan of the domain stays in its history');
    const onlyUnregistered = await call(
      officer,
      'GET',
      '/api/v1/monitor/findings?classification=unregistered_ecommerce',
    );
    assert.equal(onlyUnregistered.json().findings.length, 1);

    // The fake-badge site is fixed (now a blog): noted as the last scan; the finding and its classification stay.
    const fakeBadge = findings.find((finding) => finding.domain === 'giaydep-re.vn') as Record<string, string>;
    SITES['giaydep-re.vn'] = { file: 'blog.html' };
    await call(officer, 'POST', '/api/v1/monitor/scans', {
      urls: [`http://giaydep-re.vn:${port}/`],
      resolve: resolveAll(),
    });
    assert.equal(await drain(), 1);
    const fixed = (await call(officer, 'GET', `/api/v1/monitor/findings/${fakeBadge.id}`)).json();
    assert.equal(fixed.finding.classification, 'fake_badge');
    assert.equal(fixed.finding.last_scan_classification, 'not_ecommerce');
    assert.equal(fixed.finding.last_seen_at, fakeBadge.last_seen_at);
    assert.equal(fixed.scans.length, 2);
  });

  it('dismisses an open finding with a reason, audited; permission, CSRF and out-of-order changes are refused', async () => {
    const [finding] = (await call(officer, 'GET', '/api/v1/monitor/findings?classification=fake_badge')).json()
      .findings as Array<{ id: string }>;
    const url = `/api/v1/monitor/findings/${finding?.id}/dismiss`;
    const reason = { reason: 'Trang đã gỡ biểu tượng giả / the fake badge was removed' };
    assert.equal((await call(legalOfficer, 'POST', url, reason)).statusCode, 403);
    const noCsrf = await testApp.app.inject({
      method: 'POST',
      url,
      headers: { cookie: officer.cookie, 'content-type': 'application/json' },
      payload: JSON.stringify(reason),
    });
    assert.equal(noCsrf.statusCode, 403);
    const blank = await call(officer, 'POST', url, { reason: ' ' });
    assert.equal(blank.statusCode, 400);
    assert.equal(blank.json().error.field, 'reason');

    const dismissed = await call(officer, 'POST', url, reason);
    assert.equal(dismissed.statusCode, 200, dismissed.body);
    const again = await call(officer, 'POST', url, reason);
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().error.field, 'status');
    const shown = (await call(officer, 'GET', `/api/v1/monitor/findings/${finding?.id}`)).json().finding;
    assert.equal(shown.status, 'dismissed');
    assert.equal(shown.status_reason, reason.reason);
    const audit = await testApp.database.db
      .selectFrom('audit_events')
      .select(['action', 'actor'])
      .where('entity_type', '=', 'monitor_finding')
      .where('entity_id', '=', finding?.id as string)
      .orderBy('seq')
      .execute();
    assert.deepEqual(
      audit.map((event) => event.action),
      ['monitor_finding.open', 'monitor_finding.dismissed'],
    );
    assert.match(audit[1]?.actor ?? '', /^user:/);
  });

  it('turns an open finding into a draft warning through the advisories module; both permissions needed', async () => {
    const [finding] = (
      await call(officer, 'GET', '/api/v1/monitor/findings?classification=unregistered_ecommerce')
    ).json().findings as Array<{ id: string }>;
    const url = `/api/v1/monitor/findings/${finding?.id}/warning`;
    const body = {
      severity: 'warning',
      title_vi: 'Cảnh báo: dienthoai-xachtay.vn chưa đăng ký',
      title_en: 'Warning: dienthoai-xachtay.vn is not registered',
      body_vi: 'Trang bán hàng chưa thông báo với Bộ Công Thương.',
      body_en: 'The shop has not notified the Ministry of Industry and Trade.',
    };
    // The inspectorate may act on findings but not write warnings; the legal department neither.
    assert.equal((await call(officer, 'POST', url, body)).statusCode, 403);
    assert.equal((await call(legalOfficer, 'POST', url, body)).statusCode, 403);
    const missing = await call(agencyOfficer, 'POST', url, { ...body, title_en: undefined });
    assert.equal(missing.statusCode, 400);
    assert.match(missing.body, /title_en/);

    const warned = await call(agencyOfficer, 'POST', url, body);
    assert.equal(warned.statusCode, 201, warned.body);
    const advisory = await testApp.database.db
      .selectFrom('advisories')
      .select(['status', 'kind', 'title_en'])
      .where('id', '=', warned.json().advisory_id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(advisory, { status: 'draft', kind: 'warning', title_en: body.title_en });
    const again = await call(agencyOfficer, 'POST', url, body);
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().error.field, 'status');
    const shown = (await call(officer, 'GET', `/api/v1/monitor/findings/${finding?.id}`)).json().finding;
    assert.equal(shown.status, 'warned');
  });

  it('turns an open finding into a block request citing its evidence, through the blocking module', async () => {
    // The registered shop now shows a copied badge image linking to no record: a fake badge on a register platform.
    SITES['www.shopgiay.vn'] = { file: 'shop-copied-badge.html' };
    await call(officer, 'POST', '/api/v1/monitor/scans', {
      urls: [`http://www.shopgiay.vn:${port}/`],
      resolve: resolveAll(),
    });
    assert.equal(await drain(), 1);
    const finding = await openFindingOf('shopgiay.vn');
    assert.ok(finding, 'a finding for shopgiay.vn');
    assert.equal(finding.classification, 'fake_badge');
    const url = `/api/v1/monitor/findings/${finding.id}/block-request`;
    const body = { reason: 'Gắn biểu tượng của website khác.', legal_basis: 'Nghị định 52/2013/NĐ-CP (unverified)' };
    assert.equal((await call(officer, 'POST', url, body)).statusCode, 403, 'the inspectorate does not propose blocks');
    const requested = await call(agencyOfficer, 'POST', url, body);
    assert.equal(requested.statusCode, 201, requested.body);
    assert.equal(requested.json().platform_recorded, false, 'the register holds shopgiay.vn already');
    const block = await testApp.database.db
      .selectFrom('block_requests')
      .select(['status', 'evidence'])
      .where('id', '=', requested.json().block_id)
      .executeTakeFirstOrThrow();
    assert.equal(block.status, 'proposed');
    assert.deepEqual(block.evidence, [finding.latest_evidence_id]);
    assert.equal((await call(agencyOfficer, 'POST', url, body)).statusCode, 409);
  });

  it('takes scans from a system with an API token of scope monitor:scan, and refuses one without it', async () => {
    const bearer = (token: string | undefined, payload: unknown) =>
      testApp.app.inject({
        method: 'POST',
        url: '/api/v1/monitor/scans',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        payload: JSON.stringify(payload),
      });
    const body = { urls: [`http://www.shopgiay.vn:${port}/`], resolve: resolveAll() };
    assert.equal((await bearer(undefined, body)).statusCode, 401);
    const checkOnly = await bearer(await createPartnerToken(testApp.database, ['check:read']), body);
    assert.equal(checkOnly.statusCode, 403);
    assert.match(checkOnly.body, /monitor:scan/);
    const token = await createPartnerToken(testApp.database, ['monitor:scan']);
    const queued = await bearer(token, body);
    assert.equal(queued.statusCode, 202, queued.body);
    const id = queued.json().scans[0].id as string;
    assert.equal(await drain(), 1);
    const answer = await testApp.app.inject({
      method: 'GET',
      url: `/api/v1/monitor/scans/${id}`,
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(answer.json().status, 'done');
    assert.equal(answer.json().answer.url, body.urls[0]);
    const requestedBy = await testApp.database.db
      .selectFrom('monitor_scans')
      .select('requested_by')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.match(requestedBy.requested_by, /token/);
  });

  it('queues again a scan its dead worker left running, fails it after three claims, and leaves a live one alone', async () => {
    const queue = async () =>
      (
        (
          await call(officer, 'POST', '/api/v1/monitor/scans', {
            urls: [`http://www.shopgiay.vn:${port}/`],
            resolve: resolveAll(),
          })
        ).json().scans as Array<{ id: string }>
      )[0]?.id as string;
    const [abandoned, hopeless, live] = [await queue(), await queue(), await queue()];
    const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);
    // As a worker leaves them when it is killed mid-scan.
    const strand = (id: string, attempts: number, since: Date) =>
      sql`UPDATE monitor_scans SET status = 'running', attempts = ${attempts}, started_at = ${since} WHERE id = ${id}`.execute(
        testApp.database.db,
      );
    await strand(abandoned, 1, minutesAgo(30));
    await strand(hopeless, 3, minutesAgo(30));
    await strand(live, 1, minutesAgo(2));
    assert.equal(await drain(), 1, 'the abandoned scan is scanned again, the others are not');
    const statusOf = async (id: string) => (await call(officer, 'GET', `/api/v1/monitor/scans/${id}`)).json();
    assert.equal((await statusOf(abandoned)).status, 'done');
    const failed = await statusOf(hopeless);
    assert.equal(failed.status, 'failed');
    assert.match(failed.error, /interrupted 3 times/);
    assert.equal((await statusOf(live)).status, 'running');
    await sql`UPDATE monitor_scans SET status = 'queued', started_at = NULL WHERE id = ${live}`.execute(
      testApp.database.db,
    );
    assert.equal(await drain(), 1);
  });

  it('records a domain the register does not hold as unregistered, in the transaction proposing its block', async () => {
    await call(officer, 'POST', '/api/v1/monitor/scans', {
      urls: [`http://dongho-gia-si.vn:${port}/`],
      resolve: resolveAll(),
    });
    assert.equal(await drain(), 1);
    const finding = await openFindingOf('dongho-gia-si.vn');
    assert.ok(finding, 'a finding for dongho-gia-si.vn');
    assert.equal(finding.classification, 'unregistered_ecommerce');
    const holders = () =>
      testApp.database.db
        .selectFrom('platform_identities')
        .innerJoin('platforms', 'platforms.id', 'platform_identities.platform_id')
        .select(['platforms.id', 'platforms.name', 'platforms.status', 'platforms.kind', 'platforms.cross_border'])
        .where('platform_identities.value', '=', 'dongho-gia-si.vn')
        .execute();
    const url = `/api/v1/monitor/findings/${finding.id}/block-request`;
    const body = {
      reason: 'Bán hàng cho người tiêu dùng Việt Nam, chưa thông báo.',
      legal_basis: 'Điều 53 NĐ 52/2013',
    };

    const badKind = await call(agencyOfficer, 'POST', url, { ...body, platform_kind: 'shop' });
    assert.equal(badKind.statusCode, 400);
    assert.match(badKind.body, /platform_kind/);
    // Refused by the blocking module after the domain was recorded: the record goes with the refused request.
    const blank = await call(agencyOfficer, 'POST', url, { ...body, reason: '   ' });
    assert.equal(blank.statusCode, 400, blank.body);
    assert.equal(blank.json().error.field, 'reason');
    assert.deepEqual(await holders(), [], 'nothing recorded for a refused request');

    const requested = await call(agencyOfficer, 'POST', url, { ...body, cross_border: true });
    assert.equal(requested.statusCode, 201, requested.body);
    assert.equal(requested.json().platform_recorded, true);
    const [platform] = await holders();
    assert.deepEqual(
      { ...platform, id: undefined },
      { id: undefined, name: 'dongho-gia-si.vn', status: 'unregistered', kind: 'sales', cross_border: true },
    );
    assert.equal(requested.json().platform_id, platform?.id);
    const history = await testApp.database.db
      .selectFrom('platform_status_history')
      .select(['from_status', 'to_status', 'reason'])
      .where('platform_id', '=', platform?.id as string)
      .execute();
    assert.equal(history.length, 1);
    assert.equal(history[0]?.to_status, 'unregistered');
    assert.match(history[0]?.reason ?? '', new RegExp(finding.id));
    const block = await testApp.database.db
      .selectFrom('block_requests')
      .select(['status', 'platform_id', 'domains', 'evidence'])
      .where('id', '=', requested.json().block_id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(block, {
      status: 'proposed',
      platform_id: platform?.id,
      domains: ['dongho-gia-si.vn'],
      evidence: [finding.latest_evidence_id],
    });
  });

  it('offers the same on the workbench: queue from a form, the findings queue and CSV, a finding opened as a case', async () => {
    const form = (session: TestSession, url: string, fields: Record<string, string>) =>
      testApp.app.inject({
        method: 'POST',
        url,
        headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: formBody({ ...fields, _csrf: session.csrf }),
      });
    const bad = await form(officer, '/workbench/monitor/scans', { urls: `http://ok.vn/\nftp://bad.example/` });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Dòng 2|line 2/);
    const queued = await form(officer, '/workbench/monitor/scans', { urls: `http://hang-xach-tay-moi.vn:${port}/\n` });
    assert.equal(queued.statusCode, 303, queued.body);
    // The form takes no --resolve (a lab's option): the scan is queued as asked, and fails to resolve the fake host.
    await drain();
    await call(officer, 'POST', '/api/v1/monitor/scans', {
      urls: [`http://hang-xach-tay-moi.vn:${port}/`],
      resolve: resolveAll(),
    });
    await drain();
    const page = await testApp.app.inject({
      method: 'GET',
      url: '/workbench/monitor?status=open&lang=en',
      headers: { cookie: officer.cookie },
    });
    assert.equal(page.statusCode, 200);
    const id = /data-finding="([0-9a-f-]{36})"/.exec(page.body)?.[1];
    assert.ok(id, 'an open finding is listed');
    const csv = await testApp.app.inject({
      method: 'GET',
      url: '/workbench/monitor?format=csv',
      headers: { cookie: officer.cookie },
    });
    assert.match(csv.body, /^domain,classification,status/);
    for (const lang of ['vi', 'en']) {
      const detail: { statusCode: number; body: string } = await testApp.app.inject({
        method: 'GET',
        url: `/workbench/monitor/findings/${id}?lang=${lang}`,
        headers: { cookie: officer.cookie },
      });
      assert.equal(detail.statusCode, 200, detail.body);
      assert.match(detail.body, /<q>/, 'the signals show the text that triggered them');
    }
    const refused = await form(officer, `/workbench/monitor/findings/${id}/dismiss`, { reason: '' });
    assert.equal(refused.statusCode, 400);
    const opened = await form(officer, `/workbench/monitor/findings/${id}/case`, {});
    assert.equal(opened.statusCode, 303, opened.body);
    const finding = (await call(officer, 'GET', `/api/v1/monitor/findings/${id}`)).json().finding as { status: string };
    assert.equal(finding.status, 'case');
    const links = await testApp.database.db
      .selectFrom('case_links')
      .select(['case_id', 'kind', 'ref'])
      .where('ref', '=', id as string)
      .execute();
    assert.deepEqual(
      links.map((link) => link.kind),
      ['finding'],
      'the case cites the finding itself',
    );
    const evidence = await testApp.database.db
      .selectFrom('case_links')
      .select('ref')
      .where('case_id', '=', links[0]?.case_id as string)
      .where('kind', '=', 'evidence')
      .execute();
    assert.equal(evidence.length, 1, 'and its evidence');
  });
});
