import { formatCalendarDate, todayInVietnam } from '../../core/dates.ts';
import type { Database } from '../../core/db.ts';
import { invalidInput } from '../../core/errors.ts';
import type { Mailer } from '../../core/mail.ts';
import { listUnitOfficerEmails } from '../accounts/index.ts';
import { listUnits, type Unit } from '../units/index.ts';
import { reminderFor } from './buckets.ts';
import { claimReminder, listSentReminders, releaseReminder } from './directives.repository.ts';
import { loadTrackedTasks, type TrackedTask } from './tracker.service.ts';

/**
 * E-mail reminders to the officers of the unit a task is assigned to: N days before a deadline (each
 * N of DIRECTIVE_REMINDER_DAYS, default 7 and 1) and once when it is overdue. Recurring tasks are
 * reminded of each period's report. Every reminder is recorded (task, kind, deadline) before it is
 * sent, so it goes out once even with several workers; a failed send releases it for the next run.
 */

export const DEFAULT_REMINDER_DAYS: readonly number[] = [7, 1];

/** "7,1" → [7, 1]; empty → the default. Whole days from 0 to 365. */
export function parseReminderDays(value: string | undefined, name = 'DIRECTIVE_REMINDER_DAYS'): number[] {
  if (value === undefined || value.trim() === '') return [...DEFAULT_REMINDER_DAYS];
  const days = value.split(',').map((part) => part.trim());
  if (days.some((day) => !/^\d{1,3}$/.test(day) || Number(day) > 365)) {
    throw invalidInput(
      {
        vi: `${name}: cần các số ngày nguyên từ 0 đến 365, cách nhau bằng dấu phẩy (ví dụ 7,1), nhận được "${value}"`,
        en: `${name}: expected whole numbers of days from 0 to 365 separated by commas (e.g. 7,1), got "${value}"`,
      },
      name,
    );
  }
  return [...new Set(days.map(Number))].sort((a, b) => b - a);
}

export interface ReminderOptions {
  daysBefore: readonly number[];
  today?: string | undefined;
  /** PORTAL_URL, for links to the tasks. */
  portalUrl?: string | undefined;
  /** Work out what would be sent; send and record nothing. */
  dryRun?: boolean | undefined;
}

export interface ReminderItem {
  task_id: string;
  directive: string;
  seq: number;
  kind: string;
  due_on: string;
}

export interface ReminderMail {
  unit_id: string;
  recipients: string[];
  items: ReminderItem[];
}

export interface ReminderRun {
  today: string;
  mails: ReminderMail[];
  /** Units with reminders due but no active officer or head to send them to (sent once someone is). */
  units_without_recipients: string[];
  /** Units whose mail failed; their reminders stay unsent for the next run. */
  failed: Array<{ unit_id: string; error: string }>;
}

async function recipientsOf(database: Database, unit: Unit): Promise<string[]> {
  const unitIds = [unit.id, ...unit.member_ids];
  const lists = await Promise.all(unitIds.map((id) => listUnitOfficerEmails(database.db, id)));
  return [...new Set(lists.flat())].sort();
}

function taskUrl(portalUrl: string | undefined, task: TrackedTask): string | undefined {
  return portalUrl ? `${portalUrl.replace(/\/$/, '')}/workbench/directive-tasks/${task.id}` : undefined;
}

function describeItem(
  item: { task: TrackedTask; kind: string; dueOn: string },
  today: string,
  language: 'vi' | 'en',
): string {
  const { task } = item;
  const text = task.text.length > 200 ? `${task.text.slice(0, 199)}…` : task.text;
  const days = Math.round((Date.parse(`${item.dueOn}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
  const state =
    item.kind === 'overdue'
      ? language === 'vi'
        ? `QUÁ HẠN ${-days} ngày`
        : `OVERDUE by ${-days} days`
      : language === 'vi'
        ? `còn ${days} ngày`
        : `${days} days left`;
  const what = task.period.kind === 'recurring' ? (language === 'vi' ? 'báo cáo định kỳ' : 'periodic report') : '';
  const label = language === 'vi' ? `nhiệm vụ ${task.seq}` : `task ${task.seq}`;
  const due = language === 'vi' ? 'hạn' : 'due';
  return `- [${state}] ${task.directive.number}, ${label}${what ? ` (${what})` : ''}: ${text}\n  ${due} ${formatCalendarDate(item.dueOn)}`;
}

function composeMail(
  unit: Unit,
  items: Array<{ task: TrackedTask; kind: string; dueOn: string }>,
  today: string,
  portalUrl: string | undefined,
): { subject: string; text: string } {
  const overdue = items.filter((item) => item.kind === 'overdue').length;
  const upcoming = items.length - overdue;
  const subject =
    `Nhắc thời hạn nhiệm vụ: ${upcoming} sắp đến hạn, ${overdue} quá hạn` +
    ` / Task deadlines: ${upcoming} due soon, ${overdue} overdue – ${unit.name_vi}`;
  const list = (language: 'vi' | 'en') =>
    items
      .map((item) => {
        const url = taskUrl(portalUrl, item.task);
        return `${describeItem(item, today, language)}${url ? `\n  ${url}` : ''}`;
      })
      .join('\n');
  const text = [
    `Kính gửi ${unit.name_vi},`,
    '',
    `Tính đến ngày ${formatCalendarDate(today)}, các nhiệm vụ dưới đây của đơn vị sắp đến hạn hoặc đã quá hạn. Đề nghị đơn vị cập nhật tiến độ thực hiện trên hệ thống theo dõi nhiệm vụ; trường hợp không bảo đảm thời hạn, đề nghị báo cáo, đề xuất gia hạn, nêu rõ lý do.`,
    '',
    list('vi'),
    '',
    '---',
    '',
    `To ${unit.name_en}:`,
    '',
    `As of ${formatCalendarDate(today)}, these tasks of your unit are due soon or overdue. Please report progress, or request an extension if needed.`,
    '',
    list('en'),
    '',
    'Thư được gửi tự động từ hệ thống theo dõi nhiệm vụ, đề nghị không trả lời thư này. / An automatic message of the directive tracker; please do not reply.',
  ].join('\n');
  return { subject, text };
}

/** Sends the reminders due today, one e-mail per unit listing its tasks. */
export async function sendDueReminders(
  database: Database,
  mailer: Mailer,
  options: ReminderOptions,
): Promise<ReminderRun> {
  const today = options.today ?? todayInVietnam();
  const tasks = await loadTrackedTasks(database.db, {}, today);
  const due = tasks
    .map((task) => ({ task, reminder: reminderFor(task, today, options.daysBefore) }))
    .filter((entry): entry is { task: TrackedTask; reminder: { kind: string; dueOn: string } } => !!entry.reminder);
  const sent = new Set(
    (
      await listSentReminders(
        database.db,
        due.map((entry) => entry.task.id),
      )
    ).map((row) => `${row.task_id}|${row.kind}|${row.due_on}`),
  );
  const pending = due.filter(({ task, reminder }) => !sent.has(`${task.id}|${reminder.kind}|${reminder.dueOn}`));
  const units = new Map((await listUnits(database.db)).map((unit) => [unit.id, unit]));
  const byUnit = new Map<string, Array<{ task: TrackedTask; kind: string; dueOn: string }>>();
  for (const { task, reminder } of pending) {
    if (!task.unit.id) continue;
    byUnit.set(task.unit.id, [...(byUnit.get(task.unit.id) ?? []), { task, ...reminder }]);
  }

  const run: ReminderRun = { today, mails: [], units_without_recipients: [], failed: [] };
  for (const [unitId, items] of byUnit) {
    const unit = units.get(unitId);
    if (!unit) continue;
    const recipients = await recipientsOf(database, unit);
    if (recipients.length === 0) {
      run.units_without_recipients.push(unitId);
      continue;
    }
    const toItem = (item: { task: TrackedTask; kind: string; dueOn: string }): ReminderItem => ({
      task_id: item.task.id,
      directive: item.task.directive.number,
      seq: item.task.seq,
      kind: item.kind,
      due_on: item.dueOn,
    });
    if (options.dryRun) {
      run.mails.push({ unit_id: unitId, recipients, items: items.map(toItem) });
      continue;
    }
    const claimed: typeof items = [];
    for (const item of items) {
      const won = await claimReminder(database.db, {
        taskId: item.task.id,
        kind: item.kind,
        dueOn: item.dueOn,
        unitId,
        recipients,
      });
      if (won) claimed.push(item);
    }
    if (claimed.length === 0) continue;
    const mail = composeMail(unit, claimed, today, options.portalUrl);
    try {
      await mailer.send({ to: recipients, subject: mail.subject, text: mail.text });
      run.mails.push({ unit_id: unitId, recipients, items: claimed.map(toItem) });
    } catch (error) {
      for (const item of claimed) {
        await releaseReminder(database.db, { taskId: item.task.id, kind: item.kind, dueOn: item.dueOn });
      }
      run.failed.push({ unit_id: unitId, error: (error as Error).message });
    }
  }
  return run;
}
