import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import ICAL from 'ical.js';
import { sql } from 'kysely';
import type { Database } from '../src/core/db.ts';
import { BUCKETS } from '../src/modules/directives/buckets.ts';
import { EXPORT_COLUMNS } from '../src/modules/directives/directives.export.ts';
import { importDirective } from '../src/modules/directives/directives.import.ts';
import { loadDemoDirectives, registerDirectiveCli } from '../src/modules/directives/index.ts';
import {
  getTaskDetail,
  listDirectives,
  listUnitTasks,
  loadTrackedTasks,
  type TrackedTask,
} from '../src/modules/directives/tracker.service.ts';
import { addProgressReport, type Reporter, requestExtension } from '../src/modules/directives/tracker.writes.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { createAccount, loginAs, type TestSession } from './support/auth.ts';
import { runCliInProcess } from './support/cli.ts';
import { createTestDatabase, testDatabaseKind } from './support/database.ts';

const FIXTURES = new URL('../src/modules/directives/fixtures/', import.meta.url);
const readFixture = (name: string) => fs.readFileSync(new URL(name, FIXTURES), 'utf8');
const DISPATCH_8598 = readFixture('dispatch-8598.en.txt');
const DISPATCH_8598_VI = readFixture('dispatch-8598.vi-rendering.txt');
const TELEGRAM_105 = readFixture('telegram-105.vi.txt');

/** A dispatch of our own whose dependent task names the telegram it follows. */
const DISPATCH_FOLLOWING_105 = `BỘ CÔNG THƯƠNG
Số: 9999/BCT-TMĐT
Hà Nội, ngày 05 tháng 11 năm 2024
V/v triển khai Công điện số 105/CĐ-TTg

Kính gửi: Cục Thương mại điện tử và Kinh tế số.

1. Giao Cục Thương mại điện tử và Kinh tế số chủ trì, phối hợp với Vụ Pháp chế:
a) Tổng hợp tình hình thực hiện Công điện số 105/CĐ-TTg của Thủ tướng Chính phủ. Thời hạn: theo tiến độ được giao tại Công điện.
b) Rà soát danh sách nền tảng chưa đăng ký. Thời hạn: trước ngày 20/11/2024.
`;

const TEST_REPORTER = (unitId: string): Reporter => ({
  context: { actor: `test:${unitId}` },
  name: `Tester of ${unitId}`,
  unitId,
  actsForAnyUnit: false,
});

async function countRows(testApp: TestApp, table: string): Promise<number> {
  const result = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(
    testApp.database.db,
  );
  return result.rows[0]?.n ?? 0;
}

function taskBySeq(tasks: readonly TrackedTask[], number: string, seq: number): TrackedTask {
  const task = tasks.find((candidate) => candidate.directive.number === number && candidate.seq === seq);
  assert.ok(task, `${number} task ${seq}`);
  return task;
}

describe(`directives (${testDatabaseKind})`, () => {
  let testApp: TestApp;
  let ideaOfficer: TestSession;
  let legalOfficer: TestSession;
  let legalViewer: TestSession;
  let officeHead: TestSession;
  let ideaHead: TestSession;
  let legalHead: TestSession;
  let marketOfficer: TestSession;
  let business: TestSession;

  before(async () => {
    testApp = await startTestApp({ demo: false });
    const database = testApp.database;
    ideaOfficer = await loginAs(
      testApp,
      await createAccount(database, { kind: 'officer', unitId: 'idea', role: 'officer' }),
    );
    legalOfficer = await loginAs(
      testApp,
      await createAccount(database, { kind: 'officer', unitId: 'legal', role: 'officer' }),
    );
    legalViewer = await loginAs(
      testApp,
      await createAccount(database, { kind: 'officer', unitId: 'legal', role: 'viewer' }),
    );
    officeHead = await loginAs(
      testApp,
      await createAccount(database, { kind: 'officer', unitId: 'ministry_office', role: 'head' }),
    );
    ideaHead = await loginAs(testApp, await createAccount(database, { kind: 'officer', unitId: 'idea', role: 'head' }));
    legalHead = await loginAs(
      testApp,
      await createAccount(database, { kind: 'officer', unitId: 'legal', role: 'head' }),
    );
    marketOfficer = await loginAs(
      testApp,
      await createAccount(database, { kind: 'officer', unitId: 'market_management', role: 'officer' }),
    );
    business = await loginAs(testApp, await createAccount(database, { kind: 'business' }));
  });
  after(async () => {
    await testApp.close();
  });

  const call = (
    session: TestSession | undefined,
    method: 'GET' | 'POST' | 'DELETE',
    url: string,
    payload?: unknown,
    contentType = 'application/json',
    remoteAddress?: string,
  ) =>
    testApp.app.inject({
      method,
      url,
      ...(remoteAddress ? { remoteAddress } : {}),
      headers: {
        ...(session ? { cookie: session.cookie, 'x-csrf-token': session.csrf } : {}),
        ...(payload !== undefined ? { 'content-type': contentType } : {}),
      },
      ...(payload !== undefined ? { payload: typeof payload === 'string' ? payload : JSON.stringify(payload) } : {}),
    });

  /** Posts a page's form as a browser does: urlencoded, or multipart when it carries files. */
  const submitForm = async (
    session: TestSession,
    url: string,
    fields: Record<string, string>,
    files: Array<{ name: string; filename: string; content: string }> = [],
  ) => {
    if (files.length === 0) {
      return testApp.app.inject({
        method: 'POST',
        url,
        headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: session.csrf, ...fields }).toString(),
      });
    }
    const form = new FormData();
    form.append('_csrf', session.csrf);
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    for (const file of files) form.append(file.name, new Blob([file.content], { type: 'text/plain' }), file.filename);
    const request = new Request('http://localhost/', { method: 'POST', body: form });
    return testApp.app.inject({
      method: 'POST',
      url,
      headers: { cookie: session.cookie, 'content-type': String(request.headers.get('content-type')) },
      payload: Buffer.from(await request.arrayBuffer()),
    });
  };

  /** The text of the error beside a field of a page (`<p class="field-error" id="FIELD-error">`). */
  const fieldError = (body: string, field: string) =>
    new RegExp(`<p class="field-error" id="${field}-error">([^<]*)</p>`).exec(body)?.[1];

  describe('parsing over HTTP', () => {
    it('parses a dispatch sent as text/plain into the Directive JSON', async () => {
      const response = await call(ideaOfficer, 'POST', '/api/v1/directives/parse', DISPATCH_8598, 'text/plain');
      assert.equal(response.statusCode, 200);
      const body = response.json();
      assert.equal(body.number, '8598/BCT-TMDT');
      assert.equal(body.issued_on, '2024-10-26');
      assert.equal(body.assignments.length, 10);
      assert.equal(body.assignments.flatMap((assignment: { tasks: unknown[] }) => assignment.tasks).length, 16);
    });

    it('parses the same text sent as JSON { text }', async () => {
      const response = await call(ideaOfficer, 'POST', '/api/v1/directives/parse', { text: TELEGRAM_105 });
      assert.equal(response.statusCode, 200);
      assert.equal(response.json().number, '105/CĐ-TTg');
    });

    it('answers 400 invalid_input naming the text for a structure it does not understand', async () => {
      const response = await call(ideaOfficer, 'POST', '/api/v1/directives/parse', {
        text: 'Xin chào, đây không phải công văn.',
      });
      assert.equal(response.statusCode, 400);
      const body = response.json();
      assert.equal(body.error.code, 'invalid_input');
      assert.equal(body.error.field, 'text');
      assert.match(body.error.message, /No assigned unit/);
    });

    it('answers 413 payload_too_large for a text over the limit', async () => {
      const response = await call(ideaOfficer, 'POST', '/api/v1/directives/parse', {
        text: `${DISPATCH_8598}\n${'x'.repeat(200_001)}`,
      });
      assert.equal(response.statusCode, 413);
      assert.equal(response.json().error.code, 'payload_too_large');
      const huge = await call(
        ideaOfficer,
        'POST',
        '/api/v1/directives/parse',
        'y'.repeat(2 * 1024 * 1024),
        'text/plain',
      );
      assert.equal(huge.statusCode, 413);
      assert.equal(huge.json().error.code, 'payload_too_large');
    });

    it('answers 401 without a session and 403 for a business account', async () => {
      const anonymous = await call(undefined, 'POST', '/api/v1/directives/parse', { text: DISPATCH_8598 });
      assert.equal(anonymous.statusCode, 401);
      assert.equal(anonymous.json().error.code, 'unauthorized');
      const forbidden = await call(business, 'POST', '/api/v1/directives/parse', { text: DISPATCH_8598 });
      assert.equal(forbidden.statusCode, 403);
      assert.equal(forbidden.json().error.code, 'forbidden');
    });
  });

  describe('import', () => {
    it('stores a dispatch, and importing it again changes nothing', async () => {
      const first = await call(ideaOfficer, 'POST', '/api/v1/directives', { text: DISPATCH_8598 });
      assert.equal(first.statusCode, 201);
      assert.equal(first.json().outcome, 'created');
      assert.equal(first.json().tasks, 16);
      const auditBefore = await countRows(testApp, 'audit_events');
      const again = await call(ideaOfficer, 'POST', '/api/v1/directives', DISPATCH_8598, 'text/plain');
      assert.equal(again.statusCode, 200);
      assert.equal(again.json().outcome, 'unchanged');
      assert.equal(again.json().directive_id, first.json().directive_id);
      assert.equal(await countRows(testApp, 'directives'), 1);
      assert.equal(await countRows(testApp, 'directive_tasks'), 16);
      assert.equal(await countRows(testApp, 'audit_events'), auditBefore);
    });

    it('updates in place when the same number comes in another text, keeping task ids and reports', async () => {
      const before = await loadTrackedTasks(testApp.database.db, {});
      const legalTask = taskBySeq(before, '8598/BCT-TMDT', 9);
      await addProgressReport(
        testApp.database,
        legalTask.id,
        { text: 'Đã rà soát.', percentage: 40 },
        TEST_REPORTER('legal'),
      );
      const updated = await call(ideaOfficer, 'POST', '/api/v1/directives', { text: DISPATCH_8598_VI });
      assert.equal(updated.statusCode, 200);
      assert.equal(updated.json().outcome, 'updated');
      assert.equal(updated.json().tasks_added, 0);
      assert.equal(updated.json().tasks_removed, 0);
      const after = await loadTrackedTasks(testApp.database.db, {});
      assert.equal(after.length, 16);
      assert.deepEqual(after.map((task) => task.id).sort(), before.map((task) => task.id).sort());
      const legalAfter = taskBySeq(after, '8598/BCT-TMĐT', 9);
      assert.equal(legalAfter.id, legalTask.id);
      assert.match(legalAfter.text, /Phối hợp với Cục Thương mại điện tử/);
      assert.equal(legalAfter.last_report?.percentage, 40);
    });

    it('refuses (409) a text that drops a task with reports, and leaves the directive as it was', async () => {
      const shortened = DISPATCH_8598_VI.replace(/\(4\) Vụ Pháp chế[\s\S]*?(?=\(5\))/, '');
      assert.notEqual(shortened, DISPATCH_8598_VI);
      const response = await call(ideaOfficer, 'POST', '/api/v1/directives', { text: shortened });
      assert.equal(response.statusCode, 409);
      assert.equal(response.json().error.code, 'conflict');
      assert.match(response.json().error.message, /task 9/);
      assert.equal(await countRows(testApp, 'directive_tasks'), 16);
    });

    it('needs directives:manage (403 for the legal department, 401 anonymous)', async () => {
      assert.equal((await call(legalOfficer, 'POST', '/api/v1/directives', { text: TELEGRAM_105 })).statusCode, 403);
      assert.equal((await call(undefined, 'POST', '/api/v1/directives', { text: TELEGRAM_105 })).statusCode, 401);
    });

    it('refuses a text without a document number', async () => {
      const response = await call(ideaOfficer, 'POST', '/api/v1/directives', {
        text: DISPATCH_8598.replace('Official Dispatch 8598/BCT-TMDT', 'an official dispatch'),
      });
      assert.equal(response.statusCode, 400);
      assert.match(response.json().error.message, /no document number/);
    });
  });

  describe('reading', () => {
    it('lists directives with the four bucket counts', async () => {
      const response = await call(legalViewer, 'GET', '/api/v1/directives');
      assert.equal(response.statusCode, 200);
      const [directive] = response.json().directives;
      assert.equal(directive.number, '8598/BCT-TMĐT');
      assert.equal(directive.kind, 'dispatch');
      assert.equal(directive.task_count, 16);
      assert.equal(
        BUCKETS.reduce((sum, bucket) => sum + directive.counts[bucket], 0),
        16,
      );
    });

    it('shows one directive with its units, matched unit ids, tasks and statuses', async () => {
      const list = (await call(legalViewer, 'GET', '/api/v1/directives')).json();
      const response = await call(legalViewer, 'GET', `/api/v1/directives/${list.directives[0].id}`);
      assert.equal(response.statusCode, 200);
      const detail = response.json();
      assert.equal(detail.assignments.length, 10);
      assert.deepEqual(
        detail.assignments.map((assignment: { unit_id: string | null }) => assignment.unit_id),
        [
          'idea',
          'market_management',
          'competition',
          'legal',
          'import_export',
          'trade_promotion',
          // The 2024 dispatch's Domestic Market and Science and Technology Departments ceased on 01/03/2025:
          // their tasks are tracked under the units that took over their work (Decree 40/2025/NĐ-CP).
          'market_management',
          'innovation',
          'inspection_units',
          'media_units',
        ],
      );
      assert.equal(detail.assignments[3].tasks[0].status, 'in_progress');
      assert.equal(detail.assignments[0].role, 'preside');
    });

    it('answers 404 with the error body for an unknown directive or task', async () => {
      const missing = await call(legalViewer, 'GET', '/api/v1/directives/00000000-0000-4000-8000-000000000000');
      assert.equal(missing.statusCode, 404);
      assert.equal(missing.json().error.code, 'not_found');
      const garbage = await call(legalViewer, 'GET', '/api/v1/directive-tasks/not-a-uuid');
      assert.equal(garbage.statusCode, 404);
    });
  });

  describe('progress reports', () => {
    it('lets the assigned unit report, 100 % on time marking the task done on time', async () => {
      const tasks = await loadTrackedTasks(testApp.database.db, {});
      const legalTask = taskBySeq(tasks, '8598/BCT-TMĐT', 9);
      const content = Buffer.from('%PDF-1.4 báo cáo rà soát');
      const response = await call(legalOfficer, 'POST', `/api/v1/directive-tasks/${legalTask.id}/reports`, {
        text: 'Hoàn thành rà soát, đã gửi văn bản đề xuất.',
        percentage: 100,
        completed_on: '2024-10-30',
        attachments: [
          { filename: 'bao-cao.pdf', content_type: 'application/pdf', content_base64: content.toString('base64') },
        ],
      });
      assert.equal(response.statusCode, 201, response.body);
      const report = response.json();
      assert.equal(report.completed_on, '2024-10-30');
      assert.equal(report.attachments.length, 1);
      const detail = (await call(legalViewer, 'GET', `/api/v1/directive-tasks/${legalTask.id}`)).json();
      assert.equal(detail.status, 'done');
      assert.equal(detail.bucket, 'done_on_time');
      assert.equal(detail.reports.length, 2);
      const download = await call(legalViewer, 'GET', `/api/v1/directive-attachments/${report.attachments[0].id}`);
      assert.equal(download.statusCode, 200);
      assert.deepEqual(download.rawPayload, content);
      assert.match(String(download.headers['content-disposition']), /^attachment; filename="bao-cao.pdf"/);
      assert.equal(download.headers['x-content-type-options'], 'nosniff');
    });

    it('refuses a report from another unit (403) and from a viewer (403)', async () => {
      const tasks = await loadTrackedTasks(testApp.database.db, {});
      const promotionTask = taskBySeq(tasks, '8598/BCT-TMĐT', 11);
      const other = await call(legalOfficer, 'POST', `/api/v1/directive-tasks/${promotionTask.id}/reports`, {
        text: 'x',
        percentage: 10,
      });
      assert.equal(other.statusCode, 403);
      assert.match(other.json().error.message, /only that unit/);
      const viewer = await call(legalViewer, 'POST', `/api/v1/directive-tasks/${promotionTask.id}/reports`, {
        text: 'x',
        percentage: 10,
      });
      assert.equal(viewer.statusCode, 403);
    });

    it('rejects a percentage out of range and a completion date in the future', async () => {
      const tasks = await loadTrackedTasks(testApp.database.db, {});
      const ideaTask = taskBySeq(tasks, '8598/BCT-TMĐT', 1);
      const outOfRange = await call(ideaOfficer, 'POST', `/api/v1/directive-tasks/${ideaTask.id}/reports`, {
        text: 'x',
        percentage: 120,
      });
      assert.equal(outOfRange.statusCode, 400);
      assert.equal(outOfRange.json().error.code, 'invalid_input');
      const future = await call(ideaOfficer, 'POST', `/api/v1/directive-tasks/${ideaTask.id}/reports`, {
        text: 'x',
        percentage: 100,
        completed_on: '2999-01-01',
      });
      assert.equal(future.statusCode, 400);
      assert.equal(future.json().error.field, 'completed_on');
    });

    it('gives its refusals in Vietnamese and English, the English one as the message', async () => {
      const tasks = await loadTrackedTasks(testApp.database.db, {});
      const task = taskBySeq(tasks, '8598/BCT-TMĐT', 1);
      const refusals = [
        () =>
          addProgressReport(
            testApp.database,
            task.id,
            { text: 'x', percentage: 100, completedOn: '2999-01-01' },
            TEST_REPORTER('idea'),
          ),
        () => addProgressReport(testApp.database, task.id, { text: 'x', percentage: 10 }, TEST_REPORTER('legal')),
        () =>
          requestExtension(
            testApp.database,
            task.id,
            { requestedDue: '2024-13-01', reason: 'x' },
            TEST_REPORTER('idea'),
          ),
      ];
      for (const refusal of refusals) {
        await assert.rejects(refusal(), (error: { message: string; text?: { vi: string; en: string } }) => {
          assert.equal(error.text?.en, error.message);
          assert.notEqual(error.text?.vi, error.text?.en);
          assert.equal(error.text?.vi, error.text?.vi.normalize('NFC'));
          return true;
        });
      }
    });

    it('counts a task completed after its deadline as done late', async () => {
      const tasks = await loadTrackedTasks(testApp.database.db, {});
      const ideaTask = taskBySeq(tasks, '8598/BCT-TMĐT', 2);
      await addProgressReport(
        testApp.database,
        ideaTask.id,
        { text: 'Đã trình.', percentage: 100, completedOn: '2024-11-05' },
        TEST_REPORTER('idea'),
        '2024-11-06',
      );
      const [done] = await loadTrackedTasks(testApp.database.db, { taskIds: [ideaTask.id] });
      assert.equal(done?.bucket, 'done_late');
    });

    it('files a recurring task’s report for a period, and the task is overdue while the latest ended period has none', async () => {
      const tasks = await loadTrackedTasks(testApp.database.db, {});
      const recurring = taskBySeq(tasks, '8598/BCT-TMĐT', 7);
      assert.equal(recurring.period.kind, 'recurring');
      assert.equal(recurring.rhythm, 'quarterly');
      const db = testApp.database.db;
      const [atStart] = await loadTrackedTasks(db, { taskIds: [recurring.id] }, '2024-12-20');
      assert.equal(atStart?.bucket, 'open_within');
      assert.equal(atStart?.due, '2024-12-31');
      const [missing] = await loadTrackedTasks(db, { taskIds: [recurring.id] }, '2025-01-02');
      assert.equal(missing?.bucket, 'open_overdue');
      await addProgressReport(
        testApp.database,
        recurring.id,
        { text: 'Báo cáo quý IV/2024.', percentage: 100, periodStart: '2024-10-01' },
        TEST_REPORTER('market_management'),
        '2025-01-03',
      );
      const [reported] = await loadTrackedTasks(db, { taskIds: [recurring.id] }, '2025-01-04');
      assert.equal(reported?.bucket, 'open_within');
      assert.equal(reported?.due, '2025-03-31');
      const [nextQuarter] = await loadTrackedTasks(db, { taskIds: [recurring.id] }, '2025-04-01');
      assert.equal(nextQuarter?.bucket, 'open_overdue');
      assert.equal(reported?.status, 'in_progress');
    });

    it('refuses a period start that does not begin a reporting period', async () => {
      const tasks = await loadTrackedTasks(testApp.database.db, {});
      const recurring = taskBySeq(tasks, '8598/BCT-TMĐT', 7);
      await assert.rejects(
        addProgressReport(
          testApp.database,
          recurring.id,
          { text: 'x', percentage: 50, periodStart: '2025-02-01' },
          TEST_REPORTER('market_management'),
        ),
        /does not start a quarterly reporting period/,
      );
    });
  });

  describe('dependent tasks', () => {
    it('follows the deadline the linked telegram gives the Ministry', async () => {
      const imported = await call(ideaOfficer, 'POST', '/api/v1/directives', { text: TELEGRAM_105 });
      assert.equal(imported.statusCode, 201);
      const tasks = await loadTrackedTasks(testApp.database.db, {});
      const dependent = taskBySeq(tasks, '8598/BCT-TMĐT', 4);
      assert.equal(dependent.period.kind, 'dependent');
      assert.equal(dependent.due, null);
      assert.equal(dependent.bucket, 'open_within');
      const linked = await call(ideaOfficer, 'POST', `/api/v1/directive-tasks/${dependent.id}/link`, {
        directive: '105/CĐ-TTg',
      });
      assert.equal(linked.statusCode, 200, linked.body);
      assert.equal(linked.json().depends_on.number, '105/CĐ-TTg');
      // The telegram gives the Ministry "in December 2024" and "before 30 November 2024": the latest one.
      assert.equal(linked.json().due, '2024-12-31');
      const [early] = await loadTrackedTasks(testApp.database.db, { taskIds: [dependent.id] }, '2024-12-15');
      assert.equal(early?.bucket, 'open_within');
      const [late] = await loadTrackedTasks(testApp.database.db, { taskIds: [dependent.id] }, '2025-01-02');
      assert.equal(late?.bucket, 'open_overdue');
    });

    it('follows one task of the linked directive when a task is named', async () => {
      const tasks = await loadTrackedTasks(testApp.database.db, {});
      const dependent = taskBySeq(tasks, '8598/BCT-TMĐT', 4);
      const linked = await call(ideaOfficer, 'POST', `/api/v1/directive-tasks/${dependent.id}/link`, {
        directive: '105/cd-ttg',
        task_seq: 3,
      });
      assert.equal(linked.statusCode, 200, linked.body);
      assert.equal(linked.json().due, '2024-11-30');
    });

    it('refuses to link a task that has its own deadline', async () => {
      const tasks = await loadTrackedTasks(testApp.database.db, {});
      const response = await call(
        ideaOfficer,
        'POST',
        `/api/v1/directive-tasks/${taskBySeq(tasks, '8598/BCT-TMĐT', 1).id}/link`,
        {
          directive: '105/CĐ-TTg',
        },
      );
      assert.equal(response.statusCode, 400);
    });

    it('refuses (400, naming the field) a link to a directive or a task that is not stored', async () => {
      const tasks = await loadTrackedTasks(testApp.database.db, {});
      const dependent = taskBySeq(tasks, '8598/BCT-TMĐT', 4);
      const url = `/api/v1/directive-tasks/${dependent.id}/link`;
      const noDirective = await call(ideaOfficer, 'POST', url, { directive: '1/CĐ-TTg' });
      assert.equal(noDirective.statusCode, 400);
      assert.equal(noDirective.json().error.field, 'directive');
      const noTask = await call(ideaOfficer, 'POST', url, { directive: '105/CĐ-TTg', task_seq: 99 });
      assert.equal(noTask.statusCode, 400);
      assert.equal(noTask.json().error.field, 'task_seq');
      assert.equal(noTask.json().error.message, '105/CĐ-TTg has no task 99');
    });

    it('links a dependent task by itself when its text names a stored telegram', async () => {
      const result = await importDirective(testApp.database, { text: DISPATCH_FOLLOWING_105 }, { actor: 'test' });
      assert.equal(result.linked, 1);
      const tasks = await loadTrackedTasks(testApp.database.db, { directiveIds: [result.directive_id] });
      const dependent = tasks.find((task) => task.period.kind === 'dependent');
      assert.equal(dependent?.depends_on?.number, '105/CĐ-TTg');
      assert.equal(dependent?.due, '2024-12-31');
    });
  });

  describe('extensions', () => {
    let taskId: string;
    let extensionId: string;

    it('lets the unit request a later deadline, one at a time', async () => {
      const tasks = await loadTrackedTasks(testApp.database.db, {});
      taskId = taskBySeq(tasks, '8598/BCT-TMĐT', 3).id;
      const response = await call(ideaHead, 'POST', `/api/v1/directive-tasks/${taskId}/extensions`, {
        requested_due: '2025-01-31',
        reason: 'Chờ phản hồi của nền tảng.',
      });
      assert.equal(response.statusCode, 201, response.body);
      extensionId = response.json().id;
      assert.equal(response.json().current_due, '2024-10-31');
      const second = await call(ideaOfficer, 'POST', `/api/v1/directive-tasks/${taskId}/extensions`, {
        requested_due: '2025-02-28',
        reason: 'x',
      });
      assert.equal(second.statusCode, 409);
      const pending = (await call(legalViewer, 'GET', '/api/v1/directive-extensions')).json();
      assert.ok(pending.extensions.some((extension: { id: string }) => extension.id === extensionId));
    });

    it('refuses a decision by someone without the right, or by the requester', async () => {
      const byOfficer = await call(ideaOfficer, 'POST', `/api/v1/directive-extensions/${extensionId}/decision`, {
        decision: 'approve',
      });
      assert.equal(byOfficer.statusCode, 403);
      const byRequester = await call(ideaHead, 'POST', `/api/v1/directive-extensions/${extensionId}/decision`, {
        decision: 'approve',
      });
      assert.equal(byRequester.statusCode, 403);
      assert.match(byRequester.json().error.message, /someone other than/);
    });

    it('moves the deadline once the issuing side approves', async () => {
      const [beforeApproval] = await loadTrackedTasks(testApp.database.db, { taskIds: [taskId] }, '2025-01-15');
      assert.equal(beforeApproval?.bucket, 'open_overdue');
      const response = await call(officeHead, 'POST', `/api/v1/directive-extensions/${extensionId}/decision`, {
        decision: 'approve',
        note: 'Đồng ý.',
      });
      assert.equal(response.statusCode, 200, response.body);
      assert.equal(response.json().decision, 'approved');
      const [afterApproval] = await loadTrackedTasks(testApp.database.db, { taskIds: [taskId] }, '2025-01-15');
      assert.equal(afterApproval?.bucket, 'open_within');
      assert.equal(afterApproval?.due, '2025-01-31');
      assert.equal(afterApproval?.extended_due, '2025-01-31');
      const again = await call(officeHead, 'POST', `/api/v1/directive-extensions/${extensionId}/decision`, {
        decision: 'reject',
      });
      assert.equal(again.statusCode, 409);
    });

    it('keeps the deadline when a request is rejected', async () => {
      const request = await requestExtension(
        testApp.database,
        taskId,
        { requestedDue: '2025-03-31', reason: 'Thêm thời gian.' },
        TEST_REPORTER('idea'),
        '2025-01-20',
      );
      const response = await call(officeHead, 'POST', `/api/v1/directive-extensions/${request.id}/decision`, {
        decision: 'reject',
      });
      assert.equal(response.statusCode, 200);
      const detail = await getTaskDetail(testApp.database.db, taskId, '2025-01-20');
      assert.equal(detail.due, '2025-01-31');
      assert.deepEqual(
        detail.extensions.map((extension) => extension.decision),
        ['rejected', 'approved'],
      );
    });
  });

  describe('the deadline calendar', () => {
    /** Makes the unit's secret feed address (null: all units) as the session, and returns its path. */
    async function makeFeed(session: TestSession, unitId: string | null): Promise<{ id: string; path: string }> {
      const response = await call(session, 'POST', '/api/v1/directive-feeds', { unit_id: unitId });
      assert.equal(response.statusCode, 201, response.body);
      const body = response.json();
      return { id: body.feed.id, path: new URL(body.url).pathname };
    }

    function eventUids(calendarText: string): string[] {
      return new ICAL.Component(ICAL.parse(calendarText))
        .getAllSubcomponents('vevent')
        .map((component) => String(component.getFirstPropertyValue('uid')));
    }

    const uidOf = (task: TrackedTask) => `directive-task-${task.id}@ecomgov`;

    it('is a valid iCalendar that a parser reads back, with all-day events and stable UIDs', async () => {
      const { path } = await makeFeed(ideaHead, 'idea');
      const response = await call(undefined, 'GET', path);
      assert.equal(response.statusCode, 200);
      assert.match(String(response.headers['content-type']), /^text\/calendar/);
      const text = response.body;
      for (const line of text.split('\r\n')) assert.ok(Buffer.byteLength(line) <= 75, `line too long: ${line}`);
      const calendar = new ICAL.Component(ICAL.parse(text));
      assert.equal(calendar.getFirstPropertyValue('version'), '2.0');
      const events = calendar.getAllSubcomponents('vevent').map((component) => new ICAL.Event(component));
      assert.ok(events.length >= 5);
      assert.equal(new Set(events.map((event) => event.uid)).size, events.length);
      for (const event of events) {
        assert.equal(event.startDate.isDate, true, event.summary);
        assert.ok(event.component.getFirstPropertyValue('dtstamp'));
      }
      const communication = events.find(
        (event) =>
          event.summary.includes('Strengthen communication') || event.summary.includes('Tăng cường truyền thông'),
      );
      assert.equal(communication?.startDate.toString(), '2024-10-31');
      const extended = events.find((event) => event.description.includes('Gia hạn đến / Extended to: 31/01/2025'));
      assert.equal(extended?.startDate.toString(), '2025-01-31');
      const again = await call(undefined, 'GET', path);
      assert.deepEqual(
        new ICAL.Component(ICAL.parse(again.body))
          .getAllSubcomponents('vevent')
          .map((component) => component.getFirstPropertyValue('uid')),
        calendar.getAllSubcomponents('vevent').map((component) => component.getFirstPropertyValue('uid')),
      );
    });

    it('repeats a recurring task’s report deadline at the end of every quarter', async () => {
      const { path } = await makeFeed(officeHead, 'market_management');
      const response = await call(undefined, 'GET', path);
      const calendar = new ICAL.Component(ICAL.parse(response.body));
      const [event] = calendar.getAllSubcomponents('vevent').map((component) => new ICAL.Event(component));
      if (!event) throw new Error('no event in the feed');
      assert.ok(event.isRecurring());
      const iterator = event.iterator();
      const dates = [iterator.next(), iterator.next(), iterator.next()].map((time) => time?.toString());
      assert.deepEqual(dates, ['2024-12-31', '2025-03-31', '2025-06-30']);
    });

    it('answers 404 for an unknown unit', async () => {
      const response = await call(officeHead, 'POST', '/api/v1/directive-feeds', { unit_id: 'ministry-of-magic' });
      assert.equal(response.statusCode, 404);
      assert.equal(response.json().error.code, 'not_found');
    });

    it('gives the unit’s head the address once, and lists it to the unit’s officers without it', async () => {
      const response = await call(legalHead, 'POST', '/api/v1/directive-feeds', { unit_id: 'legal' });
      assert.equal(response.statusCode, 201);
      assert.equal(response.headers['cache-control'], 'no-store');
      const { feed, url } = response.json();
      assert.equal(feed.unit.id, 'legal');
      assert.equal(feed.status, 'active');
      const token = /\/feeds\/directives\/([A-Za-z0-9_-]{43})\.ics$/.exec(url)?.[1];
      assert.ok(token, url);

      const listed = await call(legalOfficer, 'GET', '/api/v1/directive-feeds');
      assert.equal(listed.statusCode, 200);
      assert.ok(listed.json().feeds.some((item: { id: string }) => item.id === feed.id));
      assert.ok(!listed.body.includes(token));
      assert.deepEqual(
        listed.json().feeds.filter((item: { unit: { id: string } | null }) => item.unit?.id !== 'legal'),
        [],
      );
      const ofMarket = await call(marketOfficer, 'GET', '/api/v1/directive-feeds');
      assert.ok(!ofMarket.json().feeds.some((item: { id: string }) => item.id === feed.id));

      const page = await call(legalOfficer, 'GET', '/workbench/units/legal/tasks?lang=vi');
      assert.match(page.body, /Đã có địa chỉ lịch/);
      assert.doesNotMatch(page.body, /action="\/workbench\/directive-feeds"/);
      assert.ok(!page.body.includes(token));
      const headPage = await call(legalHead, 'GET', '/workbench/units/legal/tasks?lang=vi');
      assert.match(headPage.body, /action="\/workbench\/directive-feeds"/);
      const otherUnit = await call(marketOfficer, 'GET', '/workbench/units/legal/tasks?lang=vi');
      assert.doesNotMatch(otherUnit.body, /id="calendar"/);
    });

    it('lets only the unit’s head or the secretariat make or revoke an address', async () => {
      for (const session of [legalOfficer, legalViewer, marketOfficer]) {
        const response = await call(session, 'POST', '/api/v1/directive-feeds', { unit_id: 'legal' });
        assert.equal(response.statusCode, 403, response.body);
      }
      const otherUnit = await call(legalHead, 'POST', '/api/v1/directive-feeds', { unit_id: 'market_management' });
      assert.equal(otherUnit.statusCode, 403);
      const allUnits = await call(legalHead, 'POST', '/api/v1/directive-feeds', { unit_id: null });
      assert.equal(allUnits.statusCode, 403);
      const { id } = await makeFeed(legalHead, 'legal');
      for (const session of [legalOfficer, marketOfficer]) {
        const revokedByOther = await call(session, 'DELETE', `/api/v1/directive-feeds/${id}`);
        assert.equal(revokedByOther.statusCode, 403);
      }
      const business403 = await call(business, 'GET', '/api/v1/directive-feeds');
      assert.equal(business403.statusCode, 403);
    });

    it('serves that unit’s tasks only: a token of one unit never shows another’s tasks', async () => {
      const db = testApp.database.db;
      const ideaTasks = new Set((await listUnitTasks(db, 'idea')).tasks.map(uidOf));
      const legalTasks = new Set((await listUnitTasks(db, 'legal')).tasks.map(uidOf));
      const ideaFeed = eventUids((await call(undefined, 'GET', (await makeFeed(ideaHead, 'idea')).path)).body);
      const legalFeed = eventUids((await call(undefined, 'GET', (await makeFeed(officeHead, 'legal')).path)).body);
      assert.ok(ideaFeed.length > 0 && legalFeed.length > 0);
      assert.deepEqual(
        ideaFeed.filter((uid) => !ideaTasks.has(uid)),
        [],
      );
      assert.deepEqual(
        legalFeed.filter((uid) => !legalTasks.has(uid)),
        [],
      );
      assert.deepEqual(
        ideaFeed.filter((uid) => legalTasks.has(uid)),
        [],
      );
      assert.deepEqual(
        legalFeed.filter((uid) => ideaTasks.has(uid)),
        [],
      );
      const all = eventUids((await call(undefined, 'GET', (await makeFeed(officeHead, null)).path)).body);
      assert.ok(ideaFeed.every((uid) => all.includes(uid)) && legalFeed.every((uid) => all.includes(uid)));
    });

    it('answers 404 once revoked or replaced, exactly as for an address that never existed', async () => {
      const first = await makeFeed(ideaHead, 'idea');
      assert.equal((await call(undefined, 'GET', first.path)).statusCode, 200);
      const second = await makeFeed(ideaHead, 'idea');
      const replaced = await call(undefined, 'GET', first.path);
      assert.equal(replaced.statusCode, 404);
      assert.equal((await call(undefined, 'GET', second.path)).statusCode, 200);

      const revoke = await call(ideaHead, 'DELETE', `/api/v1/directive-feeds/${second.id}`);
      assert.equal(revoke.statusCode, 200);
      assert.equal(revoke.json().status, 'revoked');
      const revoked = await call(undefined, 'GET', second.path);
      assert.equal(revoked.statusCode, 404);
      const never = await call(undefined, 'GET', `/feeds/directives/${'A'.repeat(43)}.ics`);
      assert.equal(never.statusCode, 404);
      assert.equal(revoked.body, never.body);
      assert.equal(replaced.body, never.body);
      assert.equal(revoked.json().error.code, 'not_found');
    });

    it('keeps only the SHA-256 of a token, in the table and in the audit trail', async () => {
      const response = await call(ideaHead, 'POST', '/api/v1/directive-feeds', { unit_id: 'idea' });
      const { feed, url } = response.json();
      const token = /\/feeds\/directives\/([^/]+)\.ics$/.exec(url)?.[1] ?? '';
      assert.equal(token.length, 43);
      const db = testApp.database.db;
      const rows = await sql<Record<string, unknown>>`SELECT * FROM directive_feed_tokens`.execute(db);
      assert.ok(rows.rows.length >= 2);
      for (const row of rows.rows) assert.ok(!JSON.stringify(row).includes(token), 'a token stored in clear');
      const row = rows.rows.find((candidate) => candidate.id === feed.id);
      assert.equal(row?.token_hash, createHash('sha256').update(token).digest('hex'));
      const events = await sql<{ action: string; changes: unknown }>`
        SELECT action, changes FROM audit_events WHERE entity_type = 'directive_feed' ORDER BY seq`.execute(db);
      assert.ok(events.rows.some((event) => event.action === 'directive_feed.rotate'));
      assert.ok(events.rows.some((event) => event.action === 'directive_feed.revoke'));
      const trail = JSON.stringify(events.rows);
      assert.ok(!trail.includes(token) && !trail.includes(String(row?.token_hash)));
    });

    it('shows a new address once on the unit’s page, and revokes it through the page’s form', async () => {
      const form = (fields: Record<string, string>) =>
        new URLSearchParams({ _csrf: legalHead.csrf, ...fields }).toString();
      const made = await testApp.app.inject({
        method: 'POST',
        url: '/workbench/directive-feeds?lang=vi',
        headers: { cookie: legalHead.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: form({ unit_id: 'legal' }),
      });
      assert.equal(made.statusCode, 200, made.body.slice(0, 300));
      assert.match(made.body, /Hãy sao chép ngay/);
      assert.doesNotMatch(made.body, /=&quot;/);
      const address = /id="feed-address"[^>]*value="([^"]+)"/.exec(made.body)?.[1] ?? '';
      const path = new URL(address).pathname;
      assert.equal((await call(undefined, 'GET', path)).statusCode, 200);
      const shownAgain = await call(legalHead, 'GET', '/workbench/units/legal/tasks?lang=vi');
      assert.ok(!shownAgain.body.includes(path));
      const revokeAction = /action="(\/workbench\/directive-feeds\/[0-9a-f-]+\/revoke)"/.exec(shownAgain.body)?.[1];
      assert.ok(revokeAction);
      const revoked = await testApp.app.inject({
        method: 'POST',
        url: revokeAction,
        headers: { cookie: legalHead.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: form({}),
      });
      assert.equal(revoked.statusCode, 303);
      assert.equal(revoked.headers.location, '/workbench/units/legal/tasks?done=feed_revoked#calendar');
      assert.equal((await call(undefined, 'GET', path)).statusCode, 404);
    });

    it('answers the old public address with 410 Gone, pointing to the workbench', async () => {
      for (const url of ['/feeds/directives.ics', '/feeds/directives.ics?unit=idea']) {
        const response = await call(undefined, 'GET', url);
        assert.equal(response.statusCode, 410);
        assert.equal(response.json().error.code, 'gone');
        assert.match(response.json().error.message, /\/workbench\/directives/);
      }
    });

    it('limits fetches of feed addresses per client address', async () => {
      const unknown = `/feeds/directives/${'B'.repeat(43)}.ics`;
      const statuses: number[] = [];
      for (let i = 0; i < 61; i++) {
        statuses.push((await call(undefined, 'GET', unknown, undefined, undefined, '198.51.100.7')).statusCode);
      }
      assert.equal(statuses.filter((status) => status === 404).length, 60);
      assert.equal(statuses.at(-1), 429);
      const other = await call(undefined, 'GET', unknown, undefined, undefined, '198.51.100.8');
      assert.equal(other.statusCode, 404);
    });
  });

  describe('exports', () => {
    it('writes an XLSX workbook that reads back with a row per task and real dates', async () => {
      const response = await call(legalViewer, 'GET', '/api/v1/directive-tasks/export?format=xlsx');
      assert.equal(response.statusCode, 200);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
      const sheet = workbook.getWorksheet('Tracker');
      assert.ok(sheet);
      const total = await countRows(testApp, 'directive_tasks');
      assert.equal(sheet.rowCount, total + 1);
      assert.match(String(sheet.getRow(1).getCell(1).value), /Số văn bản \/ Directive/);
      const dueColumn = EXPORT_COLUMNS.indexOf('period_due') + 1;
      const rows = sheet.getRows(2, total) ?? [];
      const communication = rows.find((row) =>
        String(row.getCell(EXPORT_COLUMNS.indexOf('task_text') + 1).value).startsWith('Tăng cường truyền thông'),
      );
      const due = communication?.getCell(dueColumn).value;
      assert.ok(due instanceof Date);
      assert.equal(due.toISOString().slice(0, 10), '2024-10-31');
      const summary = workbook.getWorksheet('Summary');
      const totals = summary?.getRows(1, summary.rowCount)?.find((row) => row.getCell(1).value === 'Tổng / Total');
      assert.equal(totals?.getCell(6).value, total);
    });

    it('writes a CSV with the column keys and ISO dates, filtered by unit', async () => {
      const response = await call(legalViewer, 'GET', '/api/v1/directive-tasks/export?format=csv&unit=legal');
      assert.equal(response.statusCode, 200);
      const rows = parseCsv(response.body, { columns: true }) as Array<Record<string, string>>;
      assert.deepEqual(Object.keys(rows[0] ?? {}), [...EXPORT_COLUMNS]);
      assert.equal(rows.length, 1);
      assert.equal(rows[0]?.unit_id, 'legal');
      assert.equal(rows[0]?.completed_on, '2024-10-30');
      // Values as the administration writes them, not the codes the database keeps.
      assert.equal(rows[0]?.bucket, 'Hoàn thành đúng hạn');
      assert.equal(rows[0]?.role, 'Chủ trì');
      assert.equal(rows[0]?.status, 'Đã hoàn thành');
      assert.equal(rows[0]?.period_kind, 'Thời hạn');
      assert.equal(rows[0]?.is_demo, 'Không');
      const all = parseCsv((await call(legalViewer, 'GET', '/api/v1/directive-tasks/export?format=csv')).body, {
        columns: true,
      }) as Array<Record<string, string>>;
      const codes =
        /^(?:preside|implement|done_on_time|done_late|open_within|open_overdue|true|false|not_started|in_progress|done|deadline|range|recurring|dependent|none|monthly|quarterly)$/;
      for (const row of all)
        for (const key of ['role', 'bucket', 'status', 'period_kind', 'recurrence', 'is_demo']) {
          assert.doesNotMatch(row[key] ?? '', codes, `${key} of task ${row.task_seq}`);
        }
    });
  });

  describe('exports of texts a spreadsheet would run', () => {
    const FORMULA_TASK = '=HYPERLINK("http://evil.example/","Bấm vào đây") rà soát quy định.';
    let directiveId: string;

    before(async () => {
      const text = `BỘ CÔNG THƯƠNG
Số: 7001/BCT-TMĐT
Hà Nội, ngày 05 tháng 11 năm 2024
V/v thử xuất bảng theo dõi

Kính gửi: Vụ Khoa học và Công nghệ.

1. Giao Vụ Khoa học và Công nghệ chủ trì:
a) ${FORMULA_TASK} Thời hạn: trước ngày 20/11/2024.
b) +Tổng hợp ý kiến góp ý. Thời hạn: trước ngày 30/11/2024.
`;
      const imported = await call(ideaOfficer, 'POST', '/api/v1/directives', { text, title: '@SUM(1)' });
      assert.equal(imported.statusCode, 201, imported.body);
      directiveId = imported.json().directive_id;
    });

    it('writes a task whose text starts with =HYPERLINK( as text in the CSV: an apostrophe before it', async () => {
      const response = await call(
        legalViewer,
        'GET',
        `/api/v1/directive-tasks/export?format=csv&directive=${directiveId}`,
      );
      assert.equal(response.statusCode, 200);
      const rows = parseCsv(response.body, { columns: true }) as Array<Record<string, string>>;
      assert.deepEqual(Object.keys(rows[0] ?? {}), [...EXPORT_COLUMNS]);
      assert.deepEqual(
        rows.map((row) => row.task_text),
        [`'${FORMULA_TASK}`, "'+Tổng hợp ý kiến góp ý."],
      );
      assert.equal(rows[0]?.directive_title, "'@SUM(1)");
      assert.equal(rows[0]?.period_due, '2024-11-20');
      assert.equal(rows[0]?.task_seq, '1');
    });

    it('stores such a text in the XLSX as a string cell, never a formula', async () => {
      const response = await call(
        legalViewer,
        'GET',
        `/api/v1/directive-tasks/export?format=xlsx&directive=${directiveId}`,
      );
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
      const cell = workbook
        .getWorksheet('Tracker')
        ?.getRow(2)
        .getCell(EXPORT_COLUMNS.indexOf('task_text') + 1);
      assert.equal(cell?.type, ExcelJS.ValueType.String);
      assert.equal(cell?.value, FORMULA_TASK);
      assert.equal(cell?.formula, undefined);
    });
  });

  describe('pages', () => {
    it('shows the tracker, a directive, a unit and a task in Vietnamese and English', async () => {
      const list = (await call(legalViewer, 'GET', '/api/v1/directives')).json();
      const directive = list.directives.find((item: { number: string }) => item.number === '8598/BCT-TMĐT');
      const tasks = await loadTrackedTasks(testApp.database.db, { directiveIds: [directive.id] });
      const pages = [
        '/workbench/directives',
        `/workbench/directives/${directive.id}`,
        '/workbench/units/legal/tasks',
        `/workbench/directive-tasks/${taskBySeq(tasks, '8598/BCT-TMĐT', 9).id}`,
      ];
      for (const page of pages) {
        const vi = await call(legalOfficer, 'GET', `${page}?lang=vi`);
        assert.equal(vi.statusCode, 200, page);
        assert.match(vi.body, /<html lang="vi">/);
        assert.match(vi.body, /Hoàn thành đúng hạn|Đang thực hiện trong hạn|Quá hạn/);
        const en = await call(legalOfficer, 'GET', `${page}?lang=en`);
        assert.match(en.body, /Completed on time|In progress within deadline|Overdue/);
        assert.doesNotMatch(en.body, /\d{4}-\d{2}-\d{2}<\/td>/);
      }
    });

    it('sends someone not signed in to the sign-in page', async () => {
      const response = await call(undefined, 'GET', '/workbench/directives');
      assert.equal(response.statusCode, 303);
      assert.match(String(response.headers.location), /^\/login\?next=/);
    });

    it('takes a progress report with a file through the form, with its CSRF token', async () => {
      const tasks = await loadTrackedTasks(testApp.database.db, {});
      const task = taskBySeq(tasks, '8598/BCT-TMĐT', 11);
      const promotion = await loginAs(
        testApp,
        await createAccount(testApp.database, { kind: 'officer', unitId: 'trade_promotion', role: 'officer' }),
      );
      const form = new FormData();
      form.append('_csrf', promotion.csrf);
      form.append('text', 'Đã tổng hợp các hình thức khuyến mại vi phạm.');
      form.append('percentage', '100');
      form.append('completed_on', '15/11/2024');
      form.append('attachments', new Blob([Buffer.from('bảng tổng hợp')], { type: 'text/plain' }), 'tong-hop.txt');
      const request = new Request('http://localhost/', { method: 'POST', body: form });
      const payload = Buffer.from(await request.arrayBuffer());
      const response = await testApp.app.inject({
        method: 'POST',
        url: `/workbench/directive-tasks/${task.id}/reports`,
        headers: { cookie: promotion.cookie, 'content-type': String(request.headers.get('content-type')) },
        payload,
      });
      assert.equal(response.statusCode, 303, response.body.slice(0, 500));
      const detail = await getTaskDetail(testApp.database.db, task.id);
      assert.equal(detail.status, 'done');
      assert.equal(detail.completed_on, '2024-11-15');
      assert.equal(detail.bucket, 'done_late');
      assert.equal(detail.reports[0]?.attachments[0]?.filename, 'tong-hop.txt');

      const withoutToken = new FormData();
      withoutToken.append('text', 'x');
      withoutToken.append('percentage', '10');
      const forged = new Request('http://localhost/', { method: 'POST', body: withoutToken });
      const refused = await testApp.app.inject({
        method: 'POST',
        url: `/workbench/directive-tasks/${task.id}/reports`,
        headers: { cookie: promotion.cookie, 'content-type': String(forged.headers.get('content-type')) },
        payload: Buffer.from(await forged.arrayBuffer()),
      });
      assert.equal(refused.statusCode, 403);
    });

    it('shows the form again with the error when a report is invalid', async () => {
      const tasks = await loadTrackedTasks(testApp.database.db, {});
      const task = taskBySeq(tasks, '8598/BCT-TMĐT', 1);
      const response = await testApp.app.inject({
        method: 'POST',
        url: `/workbench/directive-tasks/${task.id}/reports?lang=en`,
        headers: { cookie: ideaOfficer.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: ideaOfficer.csrf, text: 'Xong', percentage: 'abc' }).toString(),
      });
      assert.equal(response.statusCode, 400);
      assert.match(response.body, /class="error-summary"/);
      assert.match(response.body, /whole number from 0 to 100/);
      assert.match(response.body, />Xong<\/textarea>/);
    });

    it('gives every problem of the report form beside its field, in the reader’s language, storing nothing', async () => {
      const task = taskBySeq(await loadTrackedTasks(testApp.database.db, {}), '8598/BCT-TMĐT', 1);
      const reportsBefore = await countRows(testApp, 'directive_progress_reports');
      const files = Array.from({ length: 6 }, (_, index) => ({
        name: 'attachments',
        filename: `tep-${index + 1}.txt`,
        content: 'báo cáo',
      }));
      const fields = { text: '', percentage: '12.5', completed_on: '31/02/2025' };
      const url = `/workbench/directive-tasks/${task.id}/reports`;
      const vi = await submitForm(ideaOfficer, `${url}?lang=vi`, fields, files);
      assert.equal(vi.statusCode, 400);
      assert.equal(fieldError(vi.body, 'text'), 'Chưa điền mục này.');
      assert.equal(fieldError(vi.body, 'percentage'), 'Hãy nhập một số nguyên.');
      assert.equal(fieldError(vi.body, 'completed_on'), 'Hãy viết ngày theo dạng dd/mm/yyyy, ví dụ 31/12/2024.');
      assert.equal(fieldError(vi.body, 'attachments'), 'Tối đa 5 mục.');
      assert.match(vi.body, /<a href="#completed_on">Ngày hoàn thành: Hãy viết ngày/);
      const dayInput = /<input type="text" id="completed_on"[^>]*>/.exec(vi.body)?.[0] ?? '';
      assert.match(dayInput, /value="31\/02\/2025"/);
      // One class attribute, the day's narrow width kept beside the error's border.
      assert.deepEqual(dayInput.match(/ class="[^"]*"/g), [' class="input-day input-error"']);
      const en = await submitForm(ideaOfficer, `${url}?lang=en`, fields, files);
      assert.equal(en.statusCode, 400);
      assert.equal(fieldError(en.body, 'text'), 'This is required.');
      assert.equal(fieldError(en.body, 'percentage'), 'Enter a whole number.');
      assert.equal(fieldError(en.body, 'completed_on'), 'Write the date as dd/mm/yyyy, for example 31/12/2024.');
      assert.equal(fieldError(en.body, 'attachments'), 'At most 5 items.');
      assert.equal(await countRows(testApp, 'directive_progress_reports'), reportsBefore);
    });

    it('shows the service’s refusal of a report beside its field, in Vietnamese or English', async () => {
      const task = taskBySeq(await loadTrackedTasks(testApp.database.db, {}), '8598/BCT-TMĐT', 1);
      const fields = { text: 'Đã xong.', percentage: '100', completed_on: '01/01/2999' };
      const url = `/workbench/directive-tasks/${task.id}/reports`;
      const vi = await submitForm(ideaOfficer, `${url}?lang=vi`, fields);
      assert.equal(vi.statusCode, 400);
      assert.equal(fieldError(vi.body, 'completed_on'), 'Ngày hoàn thành không được sau ngày hôm nay.');
      assert.doesNotMatch(vi.body, /cannot be in the future/);
      assert.match(vi.body, /value="01\/01\/2999"/);
      const en = await submitForm(ideaOfficer, `${url}?lang=en`, fields);
      assert.equal(fieldError(en.body, 'completed_on'), 'The completion day cannot be in the future.');
    });

    it('explains in the import form why a text could not be read, and confirms an import after it', async () => {
      const note = 'Kính gửi các đơn vị. Đây là một thư mời họp, không giao nhiệm vụ.';
      const vi = await submitForm(ideaOfficer, '/workbench/directives/import?lang=vi', { text: note });
      assert.equal(vi.statusCode, 400);
      assert.match(fieldError(vi.body, 'text') ?? '', /^Không tìm thấy đơn vị nào được giao nhiệm vụ\. Văn bản cần có/);
      assert.match(vi.body, new RegExp(`>${note}</textarea>`));
      const en = await submitForm(ideaOfficer, '/workbench/directives/import?lang=en', { text: note });
      assert.match(fieldError(en.body, 'text') ?? '', /^No assigned unit found: expected units such as/);
      const empty = await submitForm(ideaOfficer, '/workbench/directives/import?lang=vi', { text: '  ' });
      assert.equal(fieldError(empty.body, 'text'), 'Chưa điền mục này.');

      // First the officer sees what the text is read as, with what could not be placed; nothing is stored yet.
      const directivesBefore = await countRows(testApp, 'directives');
      const preview = await submitForm(ideaOfficer, '/workbench/directives/import?lang=vi', {
        text: DISPATCH_FOLLOWING_105,
      });
      assert.equal(preview.statusCode, 200);
      assert.match(preview.body, /Kết quả đọc văn bản/);
      assert.match(preview.body, /Văn bản chưa được lưu/);
      assert.match(preview.body, /9999\/BCT-TMĐT/);
      assert.equal(await countRows(testApp, 'directives'), directivesBefore);
      const digest = /name="previewed" value="([0-9a-f]{64})"/.exec(preview.body)?.[1];
      assert.ok(digest);
      // What could not be placed is listed with its line and why, before anything is stored.
      const unknown = await submitForm(ideaOfficer, '/workbench/directives/import?lang=vi', {
        text: 'Số: 12/BCT-TMĐT\nHà Nội, ngày 05 tháng 11 năm 2024\n\n1. Giao Cục Quản lý ABC kiểm tra các cửa hàng trực tuyến.\n',
      });
      assert.equal(unknown.statusCode, 200);
      assert.match(unknown.body, /Chưa xếp được \(1\)/);
      assert.match(
        unknown.body,
        /<tr><td data-label="Dòng">4<\/td><td data-label="Nội dung">Cục Quản lý ABC<\/td><td data-label="Lý do">Đơn vị không có trong danh mục<\/td><\/tr>/,
      );
      assert.equal(await countRows(testApp, 'directives'), directivesBefore);
      // A text changed after its preview is shown again, not stored.
      const changed = await submitForm(ideaOfficer, '/workbench/directives/import?lang=vi', {
        text: `${DISPATCH_FOLLOWING_105}\n`.replace('9999/BCT-TMĐT', '9998/BCT-TMĐT'),
        step: 'confirm',
        previewed: digest,
      });
      assert.equal(changed.statusCode, 200);
      assert.match(changed.body, /đã thay đổi sau khi xem trước nên chưa được lưu/);
      assert.equal(await countRows(testApp, 'directives'), directivesBefore);

      const imported = await submitForm(ideaOfficer, '/workbench/directives/import', {
        text: DISPATCH_FOLLOWING_105,
        step: 'confirm',
        previewed: digest,
      });
      assert.equal(imported.statusCode, 303);
      assert.match(
        String(imported.headers.location),
        /^\/workbench\/directives\/[0-9a-f-]{36}\?done=(created|updated)$/,
      );
      const again = await submitForm(ideaOfficer, '/workbench/directives/import', {
        text: DISPATCH_FOLLOWING_105,
        step: 'confirm',
        previewed: digest,
      });
      assert.match(String(again.headers.location), /\?done=unchanged$/);
      const page = await call(ideaOfficer, 'GET', `${again.headers.location}&lang=vi`);
      assert.match(
        page.body,
        /<div class="notice" role="status"><p>Văn bản này đã được nhập trước đây; không có gì thay đổi\.<\/p>/,
      );
    });

    it('shows the extension form’s problems, its own and the service’s, in both languages', async () => {
      const task = taskBySeq(await loadTrackedTasks(testApp.database.db, {}), '8598/BCT-TMĐT', 3);
      const url = `/workbench/directive-tasks/${task.id}/extensions`;
      const badDay = await submitForm(ideaOfficer, `${url}?lang=vi`, { requested_due: '30/02/2025', reason: '' });
      assert.equal(badDay.statusCode, 400);
      assert.equal(fieldError(badDay.body, 'requested_due'), 'Hãy viết ngày theo dạng dd/mm/yyyy, ví dụ 31/12/2024.');
      assert.equal(fieldError(badDay.body, 'reason'), 'Chưa điền mục này.');
      const early = { requested_due: '01/01/2025', reason: 'Chờ ý kiến.' };
      const vi = await submitForm(ideaOfficer, `${url}?lang=vi`, early);
      assert.equal(vi.statusCode, 400);
      assert.match(
        fieldError(vi.body, 'requested_due') ?? '',
        /^Ngày đề nghị gia hạn phải sau hạn hiện hành \(\d\d\/\d\d\/\d{4}\)\.$/,
      );
      const en = await submitForm(ideaOfficer, `${url}?lang=en`, early);
      assert.match(fieldError(en.body, 'requested_due') ?? '', /^The new due date must be after the deadline in force/);
    });

    it('records a decision through its form, and says on the task’s page when it was decided already', async () => {
      const task = taskBySeq(await loadTrackedTasks(testApp.database.db, {}), '8598/BCT-TMĐT', 3);
      const request = await requestExtension(
        testApp.database,
        task.id,
        { requestedDue: '2099-06-30', reason: 'Chờ ý kiến các bộ.' },
        TEST_REPORTER('idea'),
      );
      const url = `/workbench/directive-extensions/${request.id}/decision`;
      const decided = await submitForm(officeHead, url, { decision: 'approve', note: 'Đồng ý.' });
      assert.equal(decided.statusCode, 303);
      assert.equal(decided.headers.location, `/workbench/directive-tasks/${task.id}?done=decision`);
      const vi = await submitForm(officeHead, `${url}?lang=vi`, { decision: 'reject' });
      assert.equal(vi.statusCode, 409);
      assert.match(vi.body, /class="error-summary"[\s\S]*Đề nghị này đã được quyết định \(chấp thuận\)\./);
      const en = await submitForm(officeHead, `${url}?lang=en`, { decision: 'reject' });
      assert.match(en.body, /This request was already approved\./);
      const missing = await submitForm(officeHead, `${url}?lang=en`, {});
      assert.equal(missing.statusCode, 400);
      assert.match(missing.body, /class="error-summary"/);
    });

    it('shows the link form’s problems beside its fields', async () => {
      const task = taskBySeq(await loadTrackedTasks(testApp.database.db, {}), '8598/BCT-TMĐT', 4);
      const url = `/workbench/directive-tasks/${task.id}/link?lang=vi`;
      const notNumber = await submitForm(ideaOfficer, url, { directive: '105/CĐ-TTg', task_seq: 'ba' });
      assert.equal(notNumber.statusCode, 400);
      assert.equal(fieldError(notNumber.body, 'task_seq'), 'Hãy nhập một số.');
      const noTask = await submitForm(ideaOfficer, url, { directive: '105/CĐ-TTg', task_seq: '99' });
      assert.equal(noTask.statusCode, 400);
      assert.equal(fieldError(noTask.body, 'task_seq'), 'Văn bản 105/CĐ-TTg không có nhiệm vụ 99.');
      const linked = await submitForm(ideaOfficer, url, { directive: '105/CĐ-TTg', task_seq: '3' });
      assert.equal(linked.statusCode, 303);
    });

    it('confirms only the forms it knows after a redirect', async () => {
      const task = taskBySeq(await loadTrackedTasks(testApp.database.db, {}), '8598/BCT-TMĐT', 1);
      const done = await call(ideaOfficer, 'GET', `/workbench/directive-tasks/${task.id}?done=report&lang=en`);
      assert.match(done.body, /<div class="notice" role="status"><p>The progress report was recorded\.<\/p>/);
      for (const kind of ['constructor', 'toString', 'nothing']) {
        const page = await call(ideaOfficer, 'GET', `/workbench/directive-tasks/${task.id}?done=${kind}&lang=en`);
        assert.equal(page.statusCode, 200);
        assert.doesNotMatch(page.body, /class="notice"/);
      }
    });

    it('names the missing unit of the calendar form on the tracker’s page', async () => {
      const response = await submitForm(officeHead, '/workbench/directive-feeds?lang=vi', {});
      assert.equal(response.statusCode, 400);
      assert.match(response.body, /<a href="#unit_id">Đơn vị của lịch: Chưa điền mục này\.<\/a>/);
    });
  });
});

describe(`directive demo data (${testDatabaseKind})`, () => {
  let testApp: TestApp;
  before(async () => {
    testApp = await startTestApp({ demo: false });
  });
  after(async () => {
    await testApp.close();
  });

  it('loads Dispatch 8598 with progress into an empty database, once, marked as demo', async () => {
    assert.equal(await loadDemoDirectives(testApp.database, '2026-11-29'), 1);
    assert.equal(await loadDemoDirectives(testApp.database, '2026-11-29'), 0);
    const tasks = await loadTrackedTasks(testApp.database.db, {}, '2026-11-29');
    assert.equal(tasks.length, 16);
    assert.ok(tasks.every((task) => task.directive.is_demo));
    const bucketOf = (seq: number) => tasks.find((task) => task.seq === seq)?.bucket;
    assert.deepEqual([1, 2, 3, 5, 6, 7, 8, 11].map(bucketOf), [
      'done_on_time',
      'done_late',
      'done_late',
      'done_on_time',
      'done_on_time',
      'open_within',
      'open_overdue',
      'open_overdue',
    ]);
    assert.equal(tasks.find((task) => task.seq === 5)?.extended_due, '2026-06-30');
  });

  it('keeps the units a task names to cooperate with, per task, and shows them on the unit’s dashboard', async () => {
    const tasks = await loadTrackedTasks(testApp.database.db, {}, '2026-11-29');
    const customs = tasks.find((task) => task.text.startsWith('Coordinate with the General Department of Customs'));
    assert.deepEqual(
      customs?.cooperating.map((unit) => unit.name),
      ['General Department of Customs'],
    );
    // Only that task: the unit's other tasks name none.
    const communication = tasks.find((task) => task.text.startsWith('Strengthen communication'));
    assert.deepEqual(communication?.cooperating, []);
    const officer = await loginAs(
      testApp,
      await createAccount(testApp.database, { kind: 'officer', unitId: 'market_management', role: 'officer' }),
    );
    const page = await testApp.app.inject({
      method: 'GET',
      url: '/workbench/units/market_management/tasks?lang=vi',
      headers: { cookie: officer.cookie },
    });
    assert.equal(page.statusCode, 200);
    // The page speaks Vietnamese: the unit of today in Vietnamese, with the ceased one the document named.
    assert.match(page.body, /<small class="hint">Phối hợp: Cục Hải quan \(văn bản ghi: Tổng cục Hải quan\)<\/small>/);
  });

  it('dates every sample progress report on or after the dispatch it reports on (26/10/2024)', async () => {
    const reports = await testApp.database.db
      .selectFrom('directive_progress_reports as r')
      .innerJoin('directive_tasks as t', 't.id', 'r.task_id')
      .innerJoin('directive_assignments as a', 'a.id', 't.assignment_id')
      .innerJoin('directives as d', 'd.id', 'a.directive_id')
      .select(['r.reported_on', 'd.issued_on'])
      .execute();
    assert.ok(reports.length > 10);
    for (const report of reports)
      assert.ok(String(report.reported_on) >= String(report.issued_on), String(report.reported_on));
  });
});

describe('the directive CLI', () => {
  const run = promisify(execFile);
  const cli = (...args: string[]) =>
    run(process.execPath, ['--import', 'tsx', 'src/bin/cli.ts', ...args], { encoding: 'utf8' }).then(
      (result) => ({ code: 0, ...result }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );

  it('prints the Directive JSON of a file', async () => {
    const result = await cli('directive', 'parse', new URL('dispatch-8598.en.txt', FIXTURES).pathname, '--json');
    assert.equal(result.code, 0);
    const parsed = JSON.parse(result.stdout);
    assert.equal(parsed.number, '8598/BCT-TMDT');
    assert.equal(parsed.assignments.length, 10);
  });

  it('prints the JSON and exits 2 when something is unplaced; 0 with --lenient', async () => {
    const file = `${fs.mkdtempSync('/tmp/ecomgov-directive-')}/unplaced.txt`;
    fs.writeFileSync(
      file,
      'Số: 12/BCT-TMĐT\nHà Nội, ngày 05 tháng 11 năm 2024\n\n1. Giao Cục Quản lý ABC kiểm tra các cửa hàng trực tuyến.\n',
    );
    const strict = await cli('directive', 'parse', file, '--json');
    assert.equal(strict.code, 2);
    assert.deepEqual(JSON.parse(strict.stdout).unplaced, [
      { line: 4, text: 'Cục Quản lý ABC', reason: 'unknown_unit' },
    ]);
    const lenient = await cli('directive', 'parse', file, '--json', '--lenient');
    assert.equal(lenient.code, 0);
    assert.deepEqual(JSON.parse(lenient.stdout), JSON.parse(strict.stdout));
    const human = await cli('directive', 'parse', file);
    assert.equal(human.code, 2);
    assert.match(human.stdout, /line 4: unit not recognised: Cục Quản lý ABC/);
  });

  it('exits 2 naming the file when the structure is unknown', async () => {
    const file = `${fs.mkdtempSync('/tmp/ecomgov-directive-')}/note.txt`;
    fs.writeFileSync(file, 'Một ghi chú không phải công văn.\n');
    const result = await cli('directive', 'parse', file);
    assert.equal(result.code, 2);
    assert.match(result.stderr, new RegExp(`${file}: No assigned unit found`));
  });
});

describe(`directive import of several files (${testDatabaseKind})`, () => {
  let database: Database;
  let folder: string;
  const file = (name: string) => `${folder}/${name}`;

  before(async () => {
    database = await createTestDatabase();
    folder = fs.mkdtempSync('/tmp/ecomgov-directives-');
    fs.writeFileSync(file('1-telegram-105.txt'), TELEGRAM_105);
    fs.writeFileSync(file('2-invitation.txt'), 'Kính gửi các đơn vị. Đây là một thư mời họp, không giao nhiệm vụ.\n');
    fs.writeFileSync(file('3-dispatch-9999.txt'), DISPATCH_FOLLOWING_105);
  });
  after(async () => {
    await database.close();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  /** Runs the command, keeping what it writes to stderr (progress, errors). */
  async function importFiles(...args: string[]) {
    const write = process.stderr.write;
    let stderr = '';
    process.stderr.write = ((chunk: string | Uint8Array) => {
      stderr += String(chunk);
      return true;
    }) as typeof process.stderr.write;
    try {
      return { ...(await runCliInProcess(database, registerDirectiveCli, ['directive', 'import', ...args])), stderr };
    } finally {
      process.stderr.write = write;
    }
  }

  it('imports each file, names the one that fails after the others, and exits 2', async () => {
    const files = ['1-telegram-105.txt', '2-invitation.txt', '3-dispatch-9999.txt'].map(file);
    const run = await importFiles(...files);
    assert.equal(run.code, 2);
    assert.deepEqual(run.stdout.trim().split('\n'), [
      `${files[0]}: 105/CĐ-TTg created — 6 units, 9 tasks`,
      `${files[2]}: 9999/BCT-TMĐT created — 1 units, 2 tasks; 1 dependent task(s) linked`,
    ]);
    assert.match(
      run.error?.message ?? '',
      new RegExp(`^1 of 3 files were not imported:\n  ${files[1]}: No assigned unit found`),
    );
    assert.match(
      run.error?.text.vi ?? '',
      new RegExp(`^1/3 tệp không nhập được:\n  ${files[1]}: Không tìm thấy đơn vị`),
    );
    assert.match(run.stderr, /^directive import: 3 files in \d+:\d\d\n$/);
    const stored = await listDirectives(database.db);
    assert.deepEqual(stored.map((directive) => directive.number).sort(), ['105/CĐ-TTg', '9999/BCT-TMĐT']);
  });

  it('answers an array with --json, one entry per file, the failed one with its error, and shows no progress', async () => {
    const files = ['1-telegram-105.txt', '2-invitation.txt', '3-dispatch-9999.txt', 'missing.txt'].map(file);
    const run = await importFiles(...files, '--json');
    assert.equal(run.code, 2);
    assert.equal(run.stderr, '');
    const answer = JSON.parse(run.stdout) as Array<{
      file: string;
      outcome?: string;
      error?: { code: string; message: string };
    }>;
    assert.deepEqual(
      answer.map((entry) => [entry.file, entry.outcome ?? entry.error?.code]),
      [
        [files[0], 'unchanged'],
        [files[1], 'invalid_input'],
        [files[2], 'unchanged'],
        [files[3], 'invalid_input'],
      ],
    );
    assert.equal(answer[3]?.error?.message, `${files[3]}: no such file`);
  });

  it('keeps the answer for one file an object, and its error as it was', async () => {
    const one = await importFiles(file('3-dispatch-9999.txt'), '--json');
    assert.equal(one.code, 0);
    const answer = JSON.parse(one.stdout);
    assert.equal(Array.isArray(answer), false);
    assert.equal(answer.file, file('3-dispatch-9999.txt'));
    assert.equal(answer.outcome, 'unchanged');
    assert.equal(one.stderr, '');
    const failed = await importFiles(file('2-invitation.txt'));
    assert.equal(failed.code, 2);
    assert.match(failed.error?.message ?? '', new RegExp(`^${file('2-invitation.txt')}: No assigned unit found`));
    assert.equal(failed.stdout, '');
  });

  it('refuses --title with several files: each directive has its own subject', async () => {
    const run = await importFiles(file('1-telegram-105.txt'), file('3-dispatch-9999.txt'), '--title', 'Một trích yếu');
    assert.equal(run.code, 2);
    assert.equal(run.error?.field, 'title');
  });
});
