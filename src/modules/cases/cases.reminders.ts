/**
 * E-mail about overdue steps of cases: every night, the officers and heads of a case's unit get one message per step
 * past its due day, in Vietnamese and English, through the mail outbox. The reminder is recorded
 * (`case_step_reminders`: case, step, due day) in the transaction that queues the message, so a re-run or a second
 * worker sends nothing again, and nothing is recorded for a message that was not queued. A step whose period was
 * extended and runs out again is reminded again, of its new due day. A case whose unit has no officer to write to is
 * reported, not recorded, and reminded once someone is.
 */
import { formatCalendarDate, todayInVietnam } from '../../core/dates.ts';
import type { Database } from '../../core/db.ts';
import { enqueueMail } from '../../core/mail-outbox.ts';
import { listUnitOfficerEmails } from '../accounts/index.ts';
import { listUnits, type Unit } from '../units/index.ts';
import { claimStepReminder, selectSentStepReminders } from './cases.repository.ts';
import { listOverdueSteps, listStepRules } from './cases.service.ts';

export interface OverdueStepReminder {
  case_id: string;
  reference: string;
  step: string;
  due_on: string;
  unit_id: string | null;
  recipients: string[];
}

export interface OverdueReminderRun {
  today: string;
  /** The messages queued (or, on a dry run, that would be). */
  mails: OverdueStepReminder[];
  /** Overdue steps of cases without a unit, or whose unit has no active officer or head. */
  without_recipients: Array<Omit<OverdueStepReminder, 'recipients'>>;
}

export interface OverdueReminderOptions {
  now?: Date | undefined;
  /** PORTAL_URL, for the link to the case. */
  portalUrl?: string | undefined;
  /** Work out what would be sent; queue and record nothing. */
  dryRun?: boolean | undefined;
}

/** The officers and heads of the unit and of the units it gathers. */
async function recipientsOf(database: Database, unit: Unit | undefined): Promise<string[]> {
  if (!unit) return [];
  const lists = await Promise.all([unit.id, ...unit.member_ids].map((id) => listUnitOfficerEmails(database.db, id)));
  return [...new Set(lists.flat())].sort();
}

const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

function composeMail(
  step: { reference: string; title: string; case_id: string; due_on: string; label: { vi: string; en: string } },
  unit: Unit,
  today: string,
  portalUrl: string | undefined,
): { subject: string; body: string } {
  const late = daysBetween(step.due_on, today);
  const due = formatCalendarDate(step.due_on);
  const asOf = formatCalendarDate(today);
  const url = portalUrl ? `${portalUrl.replace(/\/+$/, '')}/workbench/cases/${step.case_id}` : undefined;
  return {
    subject: `Vụ việc ${step.reference} quá hạn bước “${step.label.vi}” / Case ${step.reference}: step “${step.label.en}” overdue`,
    body: [
      `Kính gửi ${unit.name_vi},`,
      '',
      `Bước “${step.label.vi}” của vụ việc ${step.reference} – ${step.title} đã quá hạn: hạn ${due}, tính đến ngày ${asOf} đã quá ${late} ngày. Đề nghị đơn vị hoàn thành bước này, hoặc gia hạn nếu quy trình cho phép, và cập nhật trên hệ thống.`,
      ...(url ? [url] : []),
      '',
      '---',
      '',
      `To ${unit.name_en}:`,
      '',
      `The step “${step.label.en}” of case ${step.reference} – ${step.title} is overdue: it was due on ${due}, ${late} day(s) ago as of ${asOf}. Please complete it, or extend it where the procedure allows, and record it in the system.`,
      ...(url ? [url] : []),
      '',
      'Thư được gửi tự động từ hệ thống quản lý vụ việc kiểm tra, đề nghị không trả lời thư này. / An automatic message of the inspection cases system; please do not reply.',
      '',
    ].join('\n'),
  };
}

/** Queues one e-mail per overdue step not reminded yet (the nightly job and `ecomgov cases remind-overdue`). */
export async function remindOverdueSteps(
  database: Database,
  options: OverdueReminderOptions = {},
): Promise<OverdueReminderRun> {
  const now = options.now ?? new Date();
  const today = todayInVietnam(now);
  const overdue = (await listOverdueSteps(database.db, now)).filter(
    (row): row is typeof row & { due_on: string } => row.due_on !== null,
  );
  const sent = await selectSentStepReminders(
    database.db,
    overdue.map((row) => row.case_id),
  );
  const pending = overdue.filter((row) => !sent.has(`${row.case_id}|${row.step}|${row.due_on}`));
  const run: OverdueReminderRun = { today, mails: [], without_recipients: [] };
  if (pending.length === 0) return run;
  const [rules, units] = await Promise.all([listStepRules(database.db, now), listUnits(database.db)]);
  const unitsById = new Map(units.map((unit) => [unit.id, unit]));
  for (const row of pending) {
    const unit = row.unit_id ? unitsById.get(row.unit_id) : undefined;
    const recipients = await recipientsOf(database, unit);
    const entry = { case_id: row.case_id, reference: row.reference, step: row.step, due_on: row.due_on };
    if (!unit || recipients.length === 0) {
      run.without_recipients.push({ ...entry, unit_id: row.unit_id });
      continue;
    }
    if (options.dryRun) {
      run.mails.push({ ...entry, unit_id: unit.id, recipients });
      continue;
    }
    const label = rules.find((rule) => rule.step === row.step)?.label ?? { vi: row.step, en: row.step };
    const queued = await database.db.transaction().execute(async (trx) => {
      const claimed = await claimStepReminder(trx, {
        case_id: row.case_id,
        step: row.step,
        due_on: row.due_on,
        unit_id: unit.id,
        recipients,
      });
      if (!claimed) return false;
      await enqueueMail(trx, {
        recipients,
        ...composeMail({ ...entry, title: row.title, label }, unit, today, options.portalUrl),
      });
      return true;
    });
    if (queued) run.mails.push({ ...entry, unit_id: unit.id, recipients });
  }
  return run;
}
