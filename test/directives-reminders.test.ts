import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Database } from '../src/core/db.ts';
import { createMailer, type Mailer } from '../src/core/mail.ts';
import { importDirective } from '../src/modules/directives/directives.import.ts';
import { parseReminderDays, sendDueReminders } from '../src/modules/directives/directives.reminders.ts';
import { createDirectiveJobs } from '../src/modules/directives/index.ts';
import { createAccount } from './support/auth.ts';
import { createTestDatabase, testDatabaseKind } from './support/database.ts';
import { startSmtpServer, type TestSmtpServer } from './support/smtp.ts';

const FIXTURES = new URL('../src/modules/directives/fixtures/', import.meta.url);
const readFixture = (name: string) => fs.readFileSync(new URL(name, FIXTURES), 'utf8');
const quietLog = { info: () => {} };

describe(`directive reminders (${testDatabaseKind})`, () => {
  let database: Database;
  let smtp: TestSmtpServer;
  let mailer: Mailer;
  const emails: Record<string, string> = {};

  before(async () => {
    database = await createTestDatabase();
    smtp = await startSmtpServer();
    mailer = createMailer({ SMTP_URL: smtp.url }, quietLog);
    await importDirective(database, { text: readFixture('dispatch-8598.en.txt') }, { actor: 'test' });
    await importDirective(database, { text: readFixture('dispatch-9120.vi.txt') }, { actor: 'test' });
    for (const [key, unitId, role] of [
      ['idea', 'idea', 'officer'],
      ['ideaHead', 'idea', 'head'],
      ['ideaViewer', 'idea', 'viewer'],
      ['legal', 'legal', 'officer'],
      ['newspaper', 'newspaper', 'officer'],
    ] as const) {
      emails[key] = (await createAccount(database, { kind: 'officer', unitId, role })).email;
    }
  });
  after(async () => {
    mailer.close();
    await smtp.close();
    await database.close();
  });

  const mailTo = (email: string | undefined) => smtp.messages.filter((message) => message.to.includes(email ?? ''));

  it('e-mails the officers and heads of a unit 7 days before its deadlines, one e-mail listing the tasks', async () => {
    const run = await sendDueReminders(database, mailer, { daysBefore: [7, 1], today: '2024-10-24' });
    const idea = run.mails.find((mail) => mail.unit_id === 'idea');
    assert.deepEqual(idea?.recipients, [emails.idea, emails.ideaHead].sort());
    assert.deepEqual(
      idea?.items.map((item) => [item.seq, item.kind, item.due_on]),
      [
        [1, 'before_7', '2024-10-31'],
        [2, 'before_7', '2024-10-31'],
        [3, 'before_7', '2024-10-31'],
      ],
    );
    const mail = await smtp.waitFor((message) => message.to.includes(emails.idea ?? ''));
    assert.match(mail.subject, /3 sắp đến hạn, 0 quá hạn/);
    assert.match(mail.text, /8598\/BCT-TMDT, nhiệm vụ 1: Strengthen communication/);
    assert.match(mail.text, /còn 7 ngày/);
    assert.match(mail.text, /hạn 31\/10\/2024/);
    assert.match(mail.text, /7 days left/);
    // The administrative register: the unit is asked (đề nghị), not begged (xin).
    assert.match(mail.text, /Đề nghị đơn vị cập nhật tiến độ thực hiện/);
    assert.doesNotMatch(mail.text, /Xin cập nhật/);
    assert.equal(mailTo(emails.ideaViewer).length, 0);
    // Units without anyone to remind are reported, not failed.
    assert.ok(run.units_without_recipients.includes('import_export'));
  });

  it('sends each reminder once', async () => {
    const before = smtp.messages.length;
    const again = await sendDueReminders(database, mailer, { daysBefore: [7, 1], today: '2024-10-24' });
    const later = await sendDueReminders(database, mailer, { daysBefore: [7, 1], today: '2024-10-27' });
    assert.deepEqual(again.mails, []);
    assert.deepEqual(later.mails, []);
    assert.equal(smtp.messages.length, before);
  });

  it('sends the 1-day reminder, then one overdue reminder per deadline', async () => {
    const dayBefore = await sendDueReminders(database, mailer, { daysBefore: [7, 1], today: '2024-10-30' });
    assert.deepEqual(
      dayBefore.mails.find((mail) => mail.unit_id === 'legal')?.items.map((item) => item.kind),
      ['before_1'],
    );
    const overdue = await sendDueReminders(database, mailer, { daysBefore: [7, 1], today: '2024-11-01' });
    assert.deepEqual(
      overdue.mails.find((mail) => mail.unit_id === 'idea')?.items.map((item) => item.kind),
      ['overdue', 'overdue', 'overdue'],
    );
    const mail = await smtp.waitFor(
      (message) =>
        message.to.includes(emails.idea ?? '') && /quá hạn/.test(message.subject) && /3 quá hạn/.test(message.subject),
    );
    assert.match(mail.text, /QUÁ HẠN 1 ngày/);
    const nextDay = await sendDueReminders(database, mailer, { daysBefore: [7, 1], today: '2024-11-02' });
    assert.equal(
      nextDay.mails.find((mail) => mail.unit_id === 'idea'),
      undefined,
    );
  });

  it('reminds the members of a collective unit of its periodic reports', async () => {
    // Dispatch 9120 gives "the press agencies of the Ministry" a monthly report during 2025, and every unit it
    // names a monthly report from its closing paragraph ("báo cáo kết quả … hằng tháng"), December's still owed.
    const run = await sendDueReminders(database, mailer, { daysBefore: [7, 1], today: '2025-01-25' });
    const media = run.mails.find((mail) => mail.unit_id === 'media_units');
    assert.deepEqual(media?.recipients, [emails.newspaper]);
    assert.deepEqual(
      media?.items.map((item) => [item.directive, item.kind, item.due_on]),
      [
        ['9120/BCT-TMĐT', 'before_7', '2025-01-31'],
        ['9120/BCT-TMĐT', 'overdue', '2024-12-31'],
      ],
    );
  });

  it('lists without sending or recording in a dry run', async () => {
    const before = smtp.messages.length;
    const dry = await sendDueReminders(database, mailer, { daysBefore: [30], today: '2025-03-05', dryRun: true });
    assert.ok(dry.mails.length > 0);
    const wet = await sendDueReminders(database, mailer, { daysBefore: [30], today: '2025-03-05', dryRun: true });
    assert.deepEqual(wet.mails, dry.mails);
    assert.equal(smtp.messages.length, before);
  });

  it('leaves a reminder unsent for the next run when the mail server refuses it', async () => {
    const broken: Mailer = {
      delivers: true,
      async send() {
        throw new Error('421 service not available');
      },
      close() {},
    };
    const failed = await sendDueReminders(database, broken, { daysBefore: [7], today: '2025-03-25' });
    assert.ok(failed.failed.some((failure) => failure.unit_id === 'idea'));
    const retried = await sendDueReminders(database, mailer, { daysBefore: [7], today: '2025-03-25' });
    assert.ok(retried.mails.some((mail) => mail.unit_id === 'idea'));
  });

  it('reads the reminder days from DIRECTIVE_REMINDER_DAYS and refuses nonsense', () => {
    assert.deepEqual(parseReminderDays(undefined), [7, 1]);
    assert.deepEqual(parseReminderDays('1, 14,7'), [14, 7, 1]);
    assert.throws(() => parseReminderDays('7,soon'), /DIRECTIVE_REMINDER_DAYS/);
    assert.throws(
      () => createDirectiveJobs({ DIRECTIVE_REMINDER_DAYS: '-1', log: quietLog }),
      /DIRECTIVE_REMINDER_DAYS/,
    );
    const [job] = createDirectiveJobs({ DIRECTIVE_REMINDER_DAYS: '3', log: quietLog });
    assert.equal(job?.name, 'directives-send-reminders');
    assert.equal(job?.cron, '0 7 * * *');
  });
});
