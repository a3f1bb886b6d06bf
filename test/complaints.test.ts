import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import zlib from 'node:zlib';
import { listAuditEvents } from '../src/core/audit.ts';
import type { ActorContext } from '../src/core/context.ts';
import { todayInVietnam } from '../src/core/dates.ts';
import { addWorkingDays } from '../src/core/working-days.ts';
import { loadWorkingCalendar } from '../src/modules/calendar/index.ts';
import { createCase, getCase, linkToCase } from '../src/modules/cases/cases.service.ts';
import {
  fingerprintOf,
  listOverdueTargets,
  listTargets,
  reporterKeyOf,
  resolveTarget,
  submitComplaint,
} from '../src/modules/complaints/complaints.service.ts';
import { registerComplaintsCli } from '../src/modules/complaints/index.ts';
import { importRegistryRows } from '../src/modules/registry/registry.service.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { anonymousForm, createAccount, formBody, loginAs, randomTaxCode } from './support/auth.ts';
import { runCliInProcess } from './support/cli.ts';
import { testDatabaseKind } from './support/database.ts';
import { MULTIPART_BOUNDARY, multipartBody } from './support/multipart.ts';
import { registryRow } from './support/registry.ts';

/**
 * Complaints (issue 15): intake by the API, the public form (CSRF, honeypot, fill time, attachments checked by their
 * bytes, rate limit) and the hotline import (all or nothing, idempotent); the portal's rule: more than 5 reporters
 * open a request for explanation, 10 working days without an adequate reply put the target on the public list.
 */

const SYSTEM: ActorContext = { actor: 'test:complaints' };
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

describe(`complaints (${testDatabaseKind})`, () => {
  let testApp: TestApp;

  before(async () => {
    testApp = await startTestApp({ demo: false });
  });
  after(async () => {
    await testApp?.close();
  });

  it('resolves targets as the check does and tells reporters apart by e-mail or phone', () => {
    assert.deepEqual(resolveTarget('https://www.Shop.example.vn/p/123'), { target: 'example.vn', kind: 'domain' });
    assert.deepEqual(resolveTarget('https://shop.com.vn/x'), { target: 'shop.com.vn', kind: 'domain' });
    assert.equal(resolveTarget('com.shop.app').kind, 'android_app');
    assert.equal(reporterKeyOf({ email: ' A@B.vn ' }), 'email:a@b.vn');
    assert.equal(reporterKeyOf({ phone: '+84 912 345 678' }), reporterKeyOf({ phone: '0912345678' }));
    assert.equal(reporterKeyOf({ name: 'Ẩn danh' }), null);
    const body = { target: 'x', what_happened: 'Không  nhận hàng', reporter: { email: 'a@b.vn' } };
    assert.equal(
      fingerprintOf(body, 'shop.vn'),
      fingerprintOf({ ...body, what_happened: 'không nhận hàng' }, 'shop.vn'),
    );
    assert.throws(
      () => resolveTarget('javascript:alert(1)'),
      (error: { field?: string }) => error.field === 'target',
    );
  });

  it('takes complaints by the API, merges duplicates, and keeps contact private', async () => {
    const post = (payload: unknown) =>
      testApp.app.inject({ method: 'POST', url: '/api/v1/complaints', payload: payload as Record<string, unknown> });
    const body = {
      target: 'https://www.lua-dao.vn/p/1',
      what_happened: 'Đã chuyển khoản nhưng không nhận hàng',
      amount_vnd: 450000,
      payment_method: 'bank_transfer',
      occurred_on: '2026-11-20',
      reporter: { name: 'Nguyễn A', email: 'a@example.vn' },
    };
    const first = await post(body);
    assert.equal(first.statusCode, 201, first.body);
    assert.equal(first.json().target, 'lua-dao.vn');
    assert.equal(first.json().merged, false);
    const again = await post({ ...body, what_happened: 'đã chuyển khoản nhưng  không nhận hàng' });
    assert.equal(again.json().merged, true);
    assert.equal(again.json().id, first.json().id);
    const bad = await post({ ...body, amount_vnd: -1 });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /amount_vnd/);
    const unknownField = await post({ ...body, extra: 1 });
    assert.equal(unknownField.statusCode, 400);
    const [target] = (await listTargets(testApp.database.db)).filter((item) => item.target === 'lua-dao.vn');
    assert.equal(target?.complaints, 1);
    assert.equal(target?.duplicates, 1);
    const events = await listAuditEvents(testApp.database.db, { entityType: 'complaint' });
    assert.ok(events.some((event) => event.action === 'complaint.received'));
    assert.ok(!JSON.stringify(events).includes('a@example.vn'), 'the audit trail does not copy the contact');
  });

  it('opens a request for explanation at the sixth reporter, and lists the site after 10 working days', async () => {
    const complain = (index: number) =>
      submitComplaint(
        testApp.database,
        SYSTEM,
        {
          target: 'https://gia-re.vn/',
          what_happened: `Hàng giả lần ${index}`,
          reporter: { email: `nguoi${index}@example.vn` },
        },
        'api',
      );
    // Anonymous complaints are kept but count toward no threshold.
    for (let index = 0; index < 3; index++) {
      await submitComplaint(
        testApp.database,
        SYSTEM,
        { target: 'gia-re.vn', what_happened: `ẩn danh ${index}` },
        'api',
      );
    }
    for (let index = 1; index <= 5; index++) assert.equal((await complain(index)).state, 'open');
    const sixth = await complain(6);
    assert.equal(sixth.state, 'explanation_requested');
    const target = (await listTargets(testApp.database.db)).find((item) => item.target === 'gia-re.vn');
    assert.ok(target);
    assert.equal(target.reporters, 6);
    assert.equal(target.complaints, 9);
    const calendar = await loadWorkingCalendar(testApp.database.db);
    const due = addWorkingDays(calendar, todayInVietnam(), 10);
    assert.equal(target.explanation_due_on, due);
    assert.equal(target.unit_id, 'competition');

    // Not yet overdue on the due day itself; listed the next day.
    assert.deepEqual(await listOverdueTargets(testApp.database, SYSTEM, due), []);
    const dayAfter = addWorkingDays(calendar, due, 1);
    assert.deepEqual(await listOverdueTargets(testApp.database, SYSTEM, dayAfter), ['gia-re.vn']);
    const page = await testApp.app.inject({ method: 'GET', url: '/complained' });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /data-target="gia-re\.vn"/);
    assert.match(page.body, /Yêu cầu doanh nghiệp giải trình/);
    assert.match(page.body, /Đưa vào danh sách bị phản ánh/);
    assert.doesNotMatch(page.body, /nguoi1@example\.vn/);
    const en = await testApp.app.inject({ method: 'GET', url: '/complained?lang=en' });
    assert.match(en.body, /Sites and apps complained about/);
  });

  it('takes attachments through the API as multipart, checked like the form’s, and stores nothing when one is refused', async () => {
    const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\n');
    const OTHER_PDF = Buffer.from('%PDF-1.4\n% sent with a refused file\n');
    const send = (fields: Record<string, string>, files: Parameters<typeof multipartBody>[1]) =>
      testApp.app.inject({
        method: 'POST',
        url: '/api/v1/complaints',
        remoteAddress: '192.0.2.77',
        headers: { 'content-type': `multipart/form-data; boundary=${MULTIPART_BOUNDARY}` },
        payload: multipartBody(fields, files),
      });
    const complaint = (what: string) =>
      JSON.stringify({ target: 'api-files.vn', what_happened: what, reporter: { phone: '0914000001' } });
    const stored = async () =>
      (await listTargets(testApp.database.db)).find((item) => item.target === 'api-files.vn')?.complaints ?? 0;

    const accepted = await send({ complaint: complaint('Hàng giả, có hóa đơn và ảnh chụp') }, [
      { name: 'attachments', filename: 'hoa-don.pdf', content: PDF, contentType: 'application/pdf' },
      { name: 'attachments', filename: 'anh.png', content: PNG, contentType: 'image/png' },
    ]);
    assert.equal(accepted.statusCode, 201, accepted.body);
    assert.deepEqual(
      accepted
        .json()
        .attachments.map((file: { filename: string; media_type: string; size_bytes: number }) => [
          file.filename,
          file.media_type,
          file.size_bytes,
        ]),
      [
        ['hoa-don.pdf', 'application/pdf', PDF.length],
        ['anh.png', 'image/png', PNG.length],
      ],
    );
    assert.equal(accepted.json().attachments[0].sha256, createHash('sha256').update(PDF).digest('hex'));
    assert.equal(await stored(), 1);

    const refusals: Array<[Record<string, string>, Parameters<typeof multipartBody>[1], number, string]> = [
      // Named by its first bytes, not its name: an executable called .png.
      // The second of two files refused: named attachments[1], and the first, good one is not stored either.
      [
        { complaint: complaint('Lần hai') },
        [
          { name: 'attachments', filename: 'ok.pdf', content: OTHER_PDF, contentType: 'application/pdf' },
          { name: 'attachments', filename: 'x.png', content: Buffer.from('MZ!') },
        ],
        400,
        'attachments[1]',
      ],
      [
        { complaint: complaint('Lần ba') },
        Array.from({ length: 4 }, (_, i) => ({ name: 'attachments', filename: `${i}.png`, content: PNG })),
        400,
        'attachments',
      ],
      [
        { complaint: complaint('Lần tư') },
        [{ name: 'attachments', filename: 'big.pdf', size: 5 * 2 ** 20 + 1 }],
        400,
        'attachments[0]',
      ],
      [{}, [{ name: 'attachments', filename: 'a.png', content: PNG }], 400, 'complaint'],
      [{ complaint: '{not json' }, [], 400, 'complaint'],
      [{ complaint: JSON.stringify({ target: 'api-files.vn' }) }, [], 400, 'what_happened'],
    ];
    for (const [fields, files, status, field] of refusals) {
      const refused = await send(fields, files);
      assert.equal(refused.statusCode, status, `${JSON.stringify(fields)}: ${refused.body}`);
      if (field) assert.equal(refused.json().error.field, field, refused.body);
    }
    assert.equal(await stored(), 1, 'nothing stored by a refused request');
    const kept = await testApp.database.db
      .selectFrom('complaint_files')
      .select('sha256')
      .where('sha256', '=', createHash('sha256').update(OTHER_PDF).digest('hex'))
      .execute();
    assert.deepEqual(kept, [], 'the good file of a refused request is not kept');
  });

  it('takes the public form with CSRF, drops a honeypot, refuses a form sent too fast and a file that is not PDF/JPEG/PNG', async () => {
    const form = await anonymousForm(testApp.app);
    const page = await testApp.app.inject({ method: 'GET', url: '/complaints/new?target=https%3A%2F%2Fcheck-me.vn' });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /value="https:\/\/check-me\.vn"/);
    assert.match(page.body, /name="website"/);
    const fields = {
      target: 'form-shop.vn',
      what_happened: 'Giao hàng sai',
      email: 'form@example.vn',
      shown_at: String(Date.now() - 60_000),
    };
    const post = (body: Record<string, string>, cookie = form.cookie) =>
      testApp.app.inject({
        method: 'POST',
        url: '/complaints',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: formBody(body),
      });
    assert.equal((await post(fields, '')).statusCode, 403, 'no CSRF token');
    const tooFast = await post({ ...fields, shown_at: String(Date.now()), _csrf: form.csrf });
    assert.equal(tooFast.statusCode, 400);
    assert.match(tooFast.body, /quá nhanh/);
    const bot = await post({ ...fields, website: 'http://spam', target: 'bot-shop.vn', _csrf: form.csrf });
    assert.equal(bot.statusCode, 303);
    const filed = await post({ ...fields, _csrf: form.csrf });
    assert.equal(filed.statusCode, 303, filed.body);
    assert.equal(filed.headers.location, '/complaints/received');
    const targets = await listTargets(testApp.database.db);
    assert.ok(targets.some((item) => item.target === 'form-shop.vn'));
    assert.ok(!targets.some((item) => item.target === 'bot-shop.vn'), 'the honeypot kept nothing');

    const upload = (content: Buffer, filename: string) =>
      testApp.app.inject({
        method: 'POST',
        url: '/complaints',
        headers: { cookie: form.cookie, 'content-type': `multipart/form-data; boundary=${MULTIPART_BOUNDARY}` },
        payload: multipartBody({ ...fields, target: 'file-shop.vn', _csrf: form.csrf }, [
          { name: 'attachments', filename, content, contentType: 'image/png' },
        ]),
      });
    const refused = await upload(Buffer.from('MZ not an image'), 'receipt.png');
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /receipt\.png/);
    assert.match(refused.body, /không phải PDF, JPEG hoặc PNG/);
    const accepted = await upload(PNG, 'receipt.png');
    assert.equal(accepted.statusCode, 303, accepted.body);
    // Kept once by its SHA-256 (the API test stored the same bytes before: still one row).
    const sha256 = createHash('sha256').update(PNG).digest('hex');
    const stored = await testApp.database.db
      .selectFrom('complaint_files')
      .select(['sha256', 'media_type'])
      .where('sha256', '=', sha256)
      .execute();
    assert.deepEqual(stored, [{ sha256, media_type: 'image/png' }]);
  });

  it('links the check answer to the form, filled in with what was checked', async () => {
    const answer = await testApp.app.inject({ method: 'GET', url: '/check?input=lua-dao.vn' });
    assert.equal(answer.statusCode, 200);
    assert.match(answer.body, /href="\/complaints\/new\?target=lua-dao\.vn"/);
  });

  it('imports the hotline log all or nothing, naming the bad line and field, and again changes nothing', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecomgov-complaints-'));
    try {
      const good = [
        {
          external_id: 'call-1',
          target: 'hotline-shop.vn',
          what_happened: 'Lừa đảo',
          reporter: { phone: '0912000001' },
        },
        {
          external_id: 'call-2',
          target: 'hotline-shop.vn',
          what_happened: 'Lừa đảo',
          reporter: { phone: '0912000002' },
        },
      ];
      const badFile = path.join(dir, 'bad.ndjson');
      fs.writeFileSync(
        badFile,
        [
          ...good.map((line) => JSON.stringify(line)),
          JSON.stringify({ target: 'x.vn', what_happened: 'y', amount_vnd: 'nhiều' }),
        ].join('\n'),
      );
      const bad = await runCliInProcess(testApp.database, registerComplaintsCli, ['complaints', 'import', badFile]);
      assert.equal(bad.code, 2);
      assert.match(bad.error?.message ?? '', /line 3, field amount_vnd/);
      assert.ok(!(await listTargets(testApp.database.db)).some((item) => item.target === 'hotline-shop.vn'));

      const goodFile = path.join(dir, 'good.ndjson');
      fs.writeFileSync(goodFile, `${good.map((line) => JSON.stringify(line)).join('\n')}\n`);
      const first = await runCliInProcess(testApp.database, registerComplaintsCli, [
        '--json',
        'complaints',
        'import',
        goodFile,
      ]);
      assert.equal(first.code, 0, first.error?.message);
      assert.deepEqual(JSON.parse(first.stdout), { lines: 2, added: 2, merged: 0, skipped: 0 });
      const second = await runCliInProcess(testApp.database, registerComplaintsCli, [
        '--json',
        'complaints',
        'import',
        goodFile,
      ]);
      assert.deepEqual(JSON.parse(second.stdout), { lines: 2, added: 0, merged: 0, skipped: 2 });

      const listed = await runCliInProcess(testApp.database, registerComplaintsCli, [
        '--json',
        'complaints',
        'targets',
      ]);
      const hotline = (JSON.parse(listed.stdout) as Array<Record<string, unknown>>).find(
        (item) => item.target === 'hotline-shop.vn',
      );
      assert.equal(hotline?.complaints, 2);
      assert.equal(hotline?.reporters, 2);
      assert.equal(hotline?.state, 'open');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('streams a long gzip log twice (checked, then stored in chunks), names a bad line far in, and skips on re-import', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecomgov-complaints-long-'));
    try {
      const count = 1200;
      const lineOf = (index: number) =>
        JSON.stringify({
          external_id: `long-${index}`,
          target: `hotline-long-${index % 40}.vn`,
          what_happened: `Không nhận được hàng, cuộc gọi ${index}`,
          amount_vnd: 100_000 + index,
          reporter: { phone: `0913${String(index).padStart(6, '0')}` },
        });
      const lines = Array.from({ length: count }, (_, index) => lineOf(index));
      const write = (name: string, body: string[]) => {
        const file = path.join(dir, name);
        fs.writeFileSync(file, zlib.gzipSync(`${body.join('\n')}\n`));
        return file;
      };
      const bad = [...lines];
      bad[1099] = JSON.stringify({ target: 'x.vn', what_happened: 'y', occurred_on: '31/12/2026' });
      const refused = await runCliInProcess(testApp.database, registerComplaintsCli, [
        'complaints',
        'import',
        write('bad.ndjson.gz', bad),
      ]);
      assert.equal(refused.code, 2);
      assert.match(refused.error?.message ?? '', /problem\(s\), nothing imported \(line 1100, field occurred_on/);
      assert.ok(!(await listTargets(testApp.database.db)).some((item) => item.target.startsWith('hotline-long-')));

      const file = write('long.ndjson.gz', lines);
      const run = async () =>
        JSON.parse(
          (await runCliInProcess(testApp.database, registerComplaintsCli, ['--json', 'complaints', 'import', file]))
            .stdout,
        );
      assert.deepEqual(await run(), { lines: count, added: count, merged: 0, skipped: 0 });
      assert.deepEqual(await run(), { lines: count, added: 0, merged: 0, skipped: count });
      const targets = (await listTargets(testApp.database.db)).filter((item) =>
        item.target.startsWith('hotline-long-'),
      );
      assert.equal(targets.length, 40);
      assert.equal(
        targets.reduce((sum, item) => sum + item.complaints, 0),
        count,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('checks a 20,000-line plain log as a stream: bad lines from 15,000 counted, the first 100 kept, nothing written', async () => {
    // Only the first pass runs (it refuses), so the file can be as long as the issue asks without the writes' cost.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecomgov-complaints-20k-'));
    try {
      const file = path.join(dir, 'calls.ndjson');
      const out = fs.createWriteStream(file);
      for (let index = 1; index <= 20_000; index++) {
        const bad = index >= 15_000 && index < 15_150;
        out.write(
          `${JSON.stringify({
            external_id: `big-${index}`,
            target: `hotline-big-${index % 50}.vn`,
            // A bad line lacks what happened: one problem a line, so the count is the number of bad lines.
            ...(bad ? {} : { what_happened: `Cuộc gọi ${index}` }),
          })}\n`,
        );
      }
      await new Promise((resolve) => out.end(resolve));
      const refused = await runCliInProcess(testApp.database, registerComplaintsCli, ['complaints', 'import', file]);
      assert.equal(refused.code, 2);
      assert.match(
        refused.error?.message ?? '',
        /calls\.ndjson: 150 problem\(s\), nothing imported \(line 15000, field what_happened/,
      );
      assert.equal(refused.error?.issues.length, 100);
      assert.equal(refused.error?.issues[99]?.line, 15_099);
      assert.ok(!(await listTargets(testApp.database.db)).some((item) => item.target.startsWith('hotline-big-')));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rate-limits the form and the API per client address when configured', async () => {
    const limited = await startTestApp({ demo: false, env: { COMPLAINT_RATE_LIMIT: 1 } });
    try {
      const api = () =>
        limited.app.inject({
          method: 'POST',
          url: '/api/v1/complaints',
          remoteAddress: '192.0.2.80',
          payload: { target: 'rate.vn', what_happened: 'x' },
        });
      assert.equal((await api()).statusCode, 201);
      assert.equal((await api()).statusCode, 429);
      const form = () =>
        limited.app.inject({
          method: 'POST',
          url: '/complaints',
          remoteAddress: '192.0.2.81',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: 'target=x',
        });
      assert.notEqual((await form()).statusCode, 429);
      assert.equal((await form()).statusCode, 429);
    } finally {
      await limited.close();
    }
  });

  it('shows the workbench to the complaint units with a CSV, lets them judge a reply, and refuses others (403)', async () => {
    const officer = await loginAs(
      testApp.app,
      await createAccount(testApp.database, { kind: 'officer', unitId: 'idea', role: 'officer' }),
    );
    const outsider = await loginAs(
      testApp.app,
      await createAccount(testApp.database, { kind: 'officer', unitId: 'legal', role: 'officer' }),
    );
    const get = (cookie: string, url: string) => testApp.app.inject({ method: 'GET', url, headers: { cookie } });
    const post = (session: { cookie: string; csrf: string }, url: string, body: Record<string, string>) =>
      testApp.app.inject({
        method: 'POST',
        url,
        headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: formBody({ ...body, _csrf: session.csrf }),
      });
    assert.equal((await get(outsider.cookie, '/workbench/complaints')).statusCode, 403);
    const page = await get(officer.cookie, '/workbench/complaints');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /data-target="gia-re\.vn"/);
    const csv = await get(officer.cookie, '/workbench/complaints?format=csv');
    assert.match(String(csv.headers['content-type']), /text\/csv/);
    assert.match(csv.body, /^target,kind,complaints,reporters/);
    assert.match(csv.body, /gia-re\.vn,domain,9,6/);
    const stats = await get(officer.cookie, '/workbench/complaints?format=stats-csv');
    assert.match(
      stats.body,
      /^target,complaints,amount_vnd,channel_form,channel_api,channel_import,payment_bank_transfer/,
    );
    assert.match(stats.body, /\nlua-dao\.vn,1,450000,0,1,0,1,/);
    const cli = await runCliInProcess(testApp.database, registerComplaintsCli, ['--json', 'complaints', 'stats']);
    const luaDao = (
      JSON.parse(cli.stdout) as Array<{ target: string; by_payment_method: Record<string, number> }>
    ).find((item) => item.target === 'lua-dao.vn');
    assert.deepEqual(luaDao?.by_payment_method, { bank_transfer: 1 });

    // A target awaiting its explanation: the reply recorded, judged adequate → closed.
    for (let index = 1; index <= 6; index++) {
      await submitComplaint(
        testApp.database,
        SYSTEM,
        { target: 'tra-loi.vn', what_happened: 'Chậm giao', reporter: { phone: `09130000${index}0` } },
        'api',
      );
    }
    const target = (await listTargets(testApp.database.db)).find((item) => item.target === 'tra-loi.vn');
    assert.equal(target?.state, 'explanation_requested');
    const id = target?.id as string;
    assert.equal((await post(outsider, `/workbench/complaints/${id}/reply`, { reply: 'x' })).statusCode, 403);
    assert.equal((await post(officer, `/workbench/complaints/${id}/judge`, { adequate: 'yes' })).statusCode, 409);
    assert.equal(
      (await post(officer, `/workbench/complaints/${id}/reply`, { reply: 'Đã hoàn tiền cho khách.' })).statusCode,
      303,
    );
    assert.equal((await post(officer, `/workbench/complaints/${id}/judge`, { adequate: 'yes' })).statusCode, 303);
    const closed = (await listTargets(testApp.database.db)).find((item) => item.target === 'tra-loi.vn');
    assert.equal(closed?.state, 'closed');
    const anonymous = await testApp.app.inject({ method: 'GET', url: '/workbench/complaints' });
    assert.notEqual(anonymous.statusCode, 200);

    // Routing to another competent unit: from the workbench, then back by the CLI; each audited with its note.
    const routed = (await listTargets(testApp.database.db)).find((item) => item.target === 'gia-re.vn');
    const from = routed?.unit_id as string;
    const routeUrl = `/workbench/complaints/${routed?.id}/route`;
    assert.match((await get(officer.cookie, '/workbench/complaints')).body, new RegExp(`action="${routeUrl}"`));
    assert.equal((await post(outsider, routeUrl, { unit: 'market_management' })).statusCode, 403);
    const badUnit = await post(officer, routeUrl, { unit: 'legal' });
    assert.equal(badUnit.statusCode, 400);
    assert.match(badUnit.body, /legal/);
    assert.equal((await post(officer, routeUrl, { unit: from })).statusCode, 409, 'already with that unit');
    assert.equal(
      (await post(officer, routeUrl, { unit: 'market_management', note: 'Kho hàng ở Lạng Sơn' })).statusCode,
      303,
    );
    assert.equal(
      (await listTargets(testApp.database.db)).find((item) => item.target === 'gia-re.vn')?.unit_id,
      'market_management',
    );
    const back = await runCliInProcess(testApp.database, registerComplaintsCli, [
      '--json',
      'complaints',
      'route',
      'gia-re.vn',
      '--unit',
      from,
    ]);
    assert.equal(back.code, 0, back.error?.message);
    assert.deepEqual(JSON.parse(back.stdout), { target: 'gia-re.vn', from: 'market_management', to: from });
    const unknown = await runCliInProcess(testApp.database, registerComplaintsCli, [
      'complaints',
      'route',
      'khong-co.vn',
      '--unit',
      from,
    ]);
    assert.equal(unknown.code, 2);
    assert.equal(unknown.error?.field, 'target');
    const audit = await testApp.database.db
      .selectFrom('audit_events')
      .select(['changes'])
      .where('action', '=', 'complaint_target.routed')
      .where('entity_id', '=', routed?.id as string)
      .orderBy('seq')
      .execute();
    assert.deepEqual(
      audit.map((event) => (event.changes as { unit_id: string[] }).unit_id),
      [
        [from, 'market_management'],
        ['market_management', from],
      ],
    );
  });

  it('lets the business that owns the site answer in its account; an inadequate answer leaves it to the clock', async () => {
    const taxCode = randomTaxCode();
    await importRegistryRows(
      testApp.database,
      [registryRow({ name: 'Sàn Giải Trình', taxCode, domains: ['giai-trinh.vn'] })],
      { actor: 'test' },
    );
    const owner = await loginAs(testApp.app, await createAccount(testApp.database, { kind: 'business', taxCode }));
    const stranger = await loginAs(testApp.app, await createAccount(testApp.database, { kind: 'business' }));
    const officer = await loginAs(
      testApp.app,
      await createAccount(testApp.database, { kind: 'officer', unitId: 'idea', role: 'officer' }),
    );
    for (let index = 1; index <= 6; index++) {
      await submitComplaint(
        testApp.database,
        SYSTEM,
        {
          target: 'https://www.giai-trinh.vn/sp',
          what_happened: 'Không hoàn tiền',
          reporter: { email: `k${index}@example.vn` },
        },
        'api',
      );
    }
    const target = (await listTargets(testApp.database.db)).find((item) => item.target === 'giai-trinh.vn');
    assert.equal(target?.state, 'explanation_requested');
    const id = target?.id as string;
    const post = (session: { cookie: string; csrf: string }, url: string, body: Record<string, string>) =>
      testApp.app.inject({
        method: 'POST',
        url,
        headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: formBody({ ...body, _csrf: session.csrf }),
      });
    const mine = await testApp.app.inject({
      method: 'GET',
      url: '/business/complaints',
      headers: { cookie: owner.cookie },
    });
    assert.equal(mine.statusCode, 200);
    assert.match(mine.body, /data-target="giai-trinh\.vn"/);
    const theirs = await testApp.app.inject({
      method: 'GET',
      url: '/business/complaints',
      headers: { cookie: stranger.cookie },
    });
    assert.doesNotMatch(theirs.body, /giai-trinh\.vn/);
    assert.equal(
      (await post(stranger, `/business/complaints/${id}/reply`, { reply: 'Không phải tôi' })).statusCode,
      404,
    );
    assert.equal((await post(officer, `/business/complaints/${id}/reply`, { reply: 'x' })).statusCode, 403);
    assert.equal(
      (await post(owner, `/business/complaints/${id}/reply`, { reply: 'Chúng tôi đã hoàn tiền.' })).statusCode,
      303,
    );
    assert.equal((await post(officer, `/workbench/complaints/${id}/judge`, { adequate: 'no' })).statusCode, 303);
    const judged = (await listTargets(testApp.database.db)).find((item) => item.target === 'giai-trinh.vn');
    assert.equal(judged?.state, 'explanation_requested', 'inside the period: the clock decides');
    assert.equal(judged?.reply_adequate, false);
    const calendar = await loadWorkingCalendar(testApp.database.db);
    const after = addWorkingDays(calendar, judged?.explanation_due_on as string, 1);
    assert.ok((await listOverdueTargets(testApp.database, SYSTEM, after)).includes('giai-trinh.vn'));
    const trail = await listAuditEvents(testApp.database.db, { entityType: 'complaint_target', entityId: id });
    assert.deepEqual(trail.map((event) => event.action).sort(), [
      'complaint_target.explanation_requested',
      'complaint_target.judged',
      'complaint_target.listed',
      'complaint_target.replied',
    ]);
  });

  it('lets a case link a complaint by id or a target by its address, and refuses what does not exist', async () => {
    const inspection = await createCase(
      testApp.database,
      { context: SYSTEM, unitId: 'inspectorate' },
      { title: 'Kiểm tra phản ánh', summary: '' },
    );
    const complaint = await submitComplaint(
      testApp.database,
      SYSTEM,
      { target: 'https://www.vu-viec.vn/x', what_happened: 'Hàng giả' },
      'api',
    );
    await linkToCase(testApp.database, SYSTEM, inspection.id, { kind: 'complaint', ref: complaint.id });
    await linkToCase(testApp.database, SYSTEM, inspection.id, { kind: 'complaint', ref: 'https://shop.vu-viec.vn/' });
    const linked = await getCase(testApp.database.db, inspection.id);
    assert.deepEqual(
      linked.links
        .filter((link) => link.kind === 'complaint')
        .map((link) => link.ref)
        .sort(),
      [complaint.id, 'vu-viec.vn'].sort(),
    );
    await assert.rejects(
      linkToCase(testApp.database, SYSTEM, inspection.id, { kind: 'complaint', ref: 'chua-ai-phan-anh.vn' }),
      { field: 'ref' },
    );
  });
});
