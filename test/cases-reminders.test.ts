import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ActorContext } from '../src/core/context.ts';
import type { Database } from '../src/core/db.ts';
import { remindOverdueSteps } from '../src/modules/cases/cases.reminders.ts';
import { advanceCase, createCase, getCase } from '../src/modules/cases/cases.service.ts';
import { createCasesJobs, registerCasesCli } from '../src/modules/cases/index.ts';
import { createAccount } from './support/auth.ts';
import { runCliInProcess } from './support/cli.ts';
import { createTestDatabase, testDatabaseKind } from './support/database.ts';

/**
 * E-mail of overdue case steps (issue 15): to the officers and heads of the case's unit, through the outbox, once per
 * step; never for a step completed or not yet due.
 */

const INSPECTOR: ActorContext = { actor: 'user:inspector-reminders' };
const NOW = new Date('2026-12-03T03:00:00Z');

describe(`overdue case steps by e-mail (${testDatabaseKind})`, () => {
  let database: Database;
  const emails: Record<string, string> = {};
  const cases: Record<string, { id: string; reference: string }> = {};

  const outbox = () =>
    database.db.selectFrom('mail_outbox').select(['recipients', 'subject', 'body']).orderBy('id').execute();
  const mailsOf = async (reference: string) =>
    (await outbox()).filter((mail) => mail.subject.includes(`${reference} `));

  before(async () => {
    database = await createTestDatabase();
    for (const [key, unitId, role] of [
      ['officer', 'inspectorate', 'officer'],
      ['head', 'inspectorate', 'head'],
      ['viewer', 'inspectorate', 'viewer'],
      ['other', 'market_management', 'officer'],
    ] as const) {
      emails[key] = (await createAccount(database, { kind: 'officer', unitId, role })).email;
    }
    const open = async (key: string, unitId: string, title: string, createdOn: string) => {
      const created = await createCase(
        database,
        { context: INSPECTOR, unitId },
        { title },
        new Date(`${createdOn}T03:00:00Z`),
      );
      cases[key] = { id: created.id, reference: created.reference };
      return created.id;
    };
    // Overdue: the notice was due 3 working days after the decision of 03/11.
    const overdue = await open('overdue', 'inspectorate', 'Kiểm tra sàn “Phố Cổ”', '2026-11-01');
    await advanceCase(database, INSPECTOR, overdue, { on: '2026-11-02' }, NOW);
    await advanceCase(database, INSPECTOR, overdue, { on: '2026-11-03' }, NOW);
    // Completed: the notice was given in time; the next step has no period.
    const completed = await open('completed', 'inspectorate', 'Kiểm tra đã thông báo', '2026-11-01');
    await advanceCase(database, INSPECTOR, completed, { on: '2026-11-02' }, NOW);
    await advanceCase(database, INSPECTOR, completed, { on: '2026-11-03' }, NOW);
    await advanceCase(database, INSPECTOR, completed, { on: '2026-11-05' }, NOW);
    // Not yet due: the decision was yesterday.
    const notYet = await open('notYet', 'inspectorate', 'Kiểm tra mới', '2026-12-01');
    await advanceCase(database, INSPECTOR, notYet, { on: '2026-12-01' }, NOW);
    await advanceCase(database, INSPECTOR, notYet, { on: '2026-12-02' }, NOW);
    // Overdue, in a unit with nobody to write to.
    const nobody = await open('nobody', 'legal', 'Vụ việc của Vụ Pháp chế', '2026-11-01');
    await advanceCase(database, INSPECTOR, nobody, { on: '2026-11-02' }, NOW);
    await advanceCase(database, INSPECTOR, nobody, { on: '2026-11-03' }, NOW);
  });
  after(async () => {
    await database?.close();
  });

  it('queues one e-mail per overdue step, in Vietnamese and English, to the officers and heads of the unit', async () => {
    const due = (await getCase(database.db, cases.overdue?.id ?? '', NOW)).steps.find((step) => step.step === 'notice');
    assert.equal(due?.deadline, 'overdue');
    const run = await remindOverdueSteps(database, { now: NOW, portalUrl: 'https://portal.example/' });
    assert.deepEqual(
      run.mails.map((mail) => [mail.reference, mail.step, mail.recipients]),
      [[cases.overdue?.reference, 'notice', [emails.officer, emails.head].sort()]],
    );
    assert.deepEqual(
      run.without_recipients.map((item) => [item.reference, item.unit_id]),
      [[cases.nobody?.reference, 'legal']],
    );
    const mails = await mailsOf(cases.overdue?.reference ?? '');
    assert.equal(mails.length, 1);
    const mail = mails[0];
    assert.deepEqual([...(mail?.recipients ?? [])].sort(), [emails.officer, emails.head].sort());
    assert.ok(!mail?.recipients.includes(emails.viewer ?? ''), 'viewers are not written to');
    assert.match(mail?.subject ?? '', /quá hạn bước “Thông báo/);
    assert.match(mail?.subject ?? '', /overdue/);
    assert.match(mail?.body ?? '', /Kính gửi Thanh tra Bộ,/);
    assert.match(
      mail?.body ?? '',
      new RegExp(`hạn ${due?.due_on?.split('-').reverse().join('/')}, tính đến ngày 03/12/2026`),
    );
    assert.match(mail?.body ?? '', /Kiểm tra sàn “Phố Cổ”/);
    assert.match(mail?.body ?? '', /To Ministry Inspectorate:/);
    assert.match(mail?.body ?? '', /is overdue: it was due on \d\d\/11\/2026/);
    assert.ok(mail?.body.includes(`https://portal.example/workbench/cases/${cases.overdue?.id}`));
    for (const key of ['completed', 'notYet', 'nobody']) {
      assert.equal((await mailsOf(cases[key]?.reference ?? '')).length, 0, `${key}: no mail`);
    }
  });

  it('does not send a step again: not on a re-run, nor from the nightly job or the command line', async () => {
    const again = await remindOverdueSteps(database, { now: NOW });
    assert.deepEqual(again.mails, []);
    const job = createCasesJobs({ portalUrl: 'https://portal.example' }).find(
      (candidate) => candidate.name === 'cases-remind-overdue',
    );
    assert.equal(job?.cron, '30 0 * * *');
    await job?.handler({}, database);
    const cli = await runCliInProcess(database, registerCasesCli, ['cases', 'remind-overdue', '--json']);
    assert.equal(cli.code, 0, cli.error?.message);
    const printed = JSON.parse(cli.stdout) as { mails: Array<{ reference: string }> };
    assert.ok(!printed.mails.some((mail) => mail.reference === cases.overdue?.reference));
    assert.equal((await mailsOf(cases.overdue?.reference ?? '')).length, 1);
    const recorded = await database.db
      .selectFrom('case_step_reminders')
      .selectAll()
      .where('case_id', '=', cases.overdue?.id ?? '')
      .execute();
    assert.equal(recorded.length, 1);
  });

  it('reminds a unit once someone can be written to, and a dry run queues nothing', async () => {
    const before = (await outbox()).length;
    const dry = await remindOverdueSteps(database, { now: NOW, dryRun: true });
    assert.deepEqual(dry.mails, []);
    assert.equal((await outbox()).length, before);
    const legal = (await createAccount(database, { kind: 'officer', unitId: 'legal', role: 'officer' })).email;
    const preview = await remindOverdueSteps(database, { now: NOW, dryRun: true });
    assert.deepEqual(
      preview.mails.map((mail) => [mail.reference, mail.recipients]),
      [[cases.nobody?.reference, [legal]]],
    );
    assert.equal((await outbox()).length, before, 'a dry run queues nothing');
    const run = await remindOverdueSteps(database, { now: NOW });
    assert.deepEqual(
      run.mails.map((mail) => mail.reference),
      [cases.nobody?.reference],
    );
    assert.equal((await mailsOf(cases.nobody?.reference ?? '')).length, 1);
  });
});
