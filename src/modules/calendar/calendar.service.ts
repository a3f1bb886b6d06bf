import { recordAuditEvent } from '../../core/audit.ts';
import type { ActorContext } from '../../core/context.ts';
import type { Database, Db } from '../../core/db.ts';
import type { FieldIssue } from '../../core/errors.ts';
import type { Localized } from '../../core/i18n.ts';
import {
  buildWorkingCalendar,
  type CalendarDay,
  calendarFileError,
  loadVietnamCalendar,
  parseCalendarFile,
  type WorkingCalendar,
} from '../../core/working-days.ts';
import {
  type CalendarDayRow,
  columnsOfDay,
  deleteCalendarDays,
  lockCalendar,
  selectCalendarDays,
  upsertCalendarDays,
} from './calendar.repository.ts';

/** Who loaded the rows that come from the file shipped with the code. */
export const SHIPPED_FILE_ACTOR = 'system:calendar-file';

export interface StoredCalendarDay extends CalendarDay {
  loadedBy: string;
  loadedAt: Date;
}

function dayOfRow(row: CalendarDayRow): StoredCalendarDay {
  return {
    date: row.date,
    type: row.type,
    name: { vi: row.name_vi, en: row.name_en },
    basis: row.basis,
    source: row.source,
    note: row.note,
    loadedBy: row.loaded_by,
    loadedAt: row.loaded_at,
  };
}

/** What a day says, without who loaded it: two loads of the same decision are the same day. */
function sameDay(a: CalendarDay, b: CalendarDay): boolean {
  return (
    a.type === b.type &&
    a.name.vi === b.name.vi &&
    a.name.en === b.name.en &&
    a.basis === b.basis &&
    a.source === b.source &&
    a.note === b.note
  );
}

/** The stored days of a year (or all), oldest first. */
export async function listCalendarDays(
  db: Db,
  options: { year?: number | undefined } = {},
): Promise<StoredCalendarDay[]> {
  return (await selectCalendarDays(db, options.year)).map(dayOfRow);
}

/**
 * The stored calendar in memory, read afresh on each call (a hundred rows) so a day an administrator loads counts
 * at once in every process; deadlines then count on it without further queries.
 */
export async function loadWorkingCalendar(db: Db): Promise<WorkingCalendar> {
  return buildWorkingCalendar(await listCalendarDays(db));
}

/**
 * Brings the file shipped with the code (`src/core/vietnam-days-off.csv`) into the table at every start
 * (idempotent): its days are added, and rows it loaded before follow its corrections. A day an administrator
 * loaded is left alone, unless it is a projection the file now has as an official decision. Not audited: the file is
 * code, reviewed and dated in the repository's history; `loaded_by` says which rows came from it.
 */
export async function syncShippedCalendar(db: Db): Promise<void> {
  const shipped = loadVietnamCalendar().days;
  await db.transaction().execute(async (trx) => {
    await lockCalendar(trx);
    const stored = new Map((await selectCalendarDays(trx)).map((row) => [row.date, dayOfRow(row)]));
    const changed = shipped.filter((day) => {
      const existing = stored.get(day.date);
      if (!existing) return true;
      if (sameDay(existing, day)) return false;
      return existing.loadedBy === SHIPPED_FILE_ACTOR || (existing.basis === 'projected' && day.basis === 'official');
    });
    const dropped = [...stored.values()]
      .filter((day) => day.loadedBy === SHIPPED_FILE_ACTOR && !shipped.some((s) => s.date === day.date))
      .map((day) => day.date);
    await upsertCalendarDays(trx, changed, SHIPPED_FILE_ACTOR);
    await deleteCalendarDays(trx, dropped);
  });
}

export interface AddDaysOptions {
  /** Names the file in messages and in the audit trail. */
  fileName: string;
  /** The source of rows whose `source` cell is empty. */
  source?: string | undefined;
  /** Let an official day of the file replace a different official day already stored (sources disagree). */
  replaceOfficial?: boolean | undefined;
}

export interface AddDaysResult {
  added: string[];
  replaced: { date: string; from: CalendarDay['basis']; to: CalendarDay['basis'] }[];
  unchanged: string[];
}

/** Which field of two different days differs first, to name in a refusal. */
function firstDifference(stored: CalendarDay, loaded: CalendarDay): string {
  if (stored.type !== loaded.type) return 'type';
  if (stored.name.vi !== loaded.name.vi) return 'name_vi';
  if (stored.name.en !== loaded.name.en) return 'name_en';
  if (stored.source !== loaded.source) return 'source';
  return 'note';
}

/**
 * Loads a calendar file's days (typically a year's official days from the Government's decision) into the stored
 * calendar, all or nothing: every row is checked first, then against the stored days, and any problem (named by line
 * and field) leaves the calendar as it was. A day the calendar already has as given is left alone, so loading a file
 * twice changes nothing; an official day replaces a projected one; a projection never replaces a decision; and an
 * official day that differs from a stored official day is refused (the sources disagree: an administrator checks
 * them and loads again with `replaceOfficial`). The change is one audit event.
 */
export async function addCalendarDays(
  database: Database,
  text: string,
  options: AddDaysOptions,
  actor: ActorContext,
): Promise<AddDaysResult> {
  const rows = parseCalendarFile(text, { name: options.fileName, defaultSource: options.source });
  return database.db.transaction().execute(async (trx) => {
    await lockCalendar(trx);
    const stored = new Map((await selectCalendarDays(trx)).map((row) => [row.date, dayOfRow(row)]));
    const issues: FieldIssue[] = [];
    const refuse = (line: number, field: string, message: Localized) => issues.push({ line, field, message });
    const result: AddDaysResult = { added: [], replaced: [], unchanged: [] };
    const writes: CalendarDay[] = [];
    const replacedDays: {
      date: string;
      before: ReturnType<typeof columnsOfDay>;
      after: ReturnType<typeof columnsOfDay>;
    }[] = [];
    for (const { line, day } of rows) {
      const existing = stored.get(day.date);
      if (!existing) {
        result.added.push(day.date);
        writes.push(day);
        continue;
      }
      if (sameDay(existing, day)) {
        result.unchanged.push(day.date);
        continue;
      }
      if (existing.basis === 'official' && day.basis === 'projected') {
        refuse(line, 'basis', {
          vi: `${day.date} đã là ngày chính thức (${existing.source}): ngày dự kiến không thay được quyết định`,
          en: `${day.date} is already official (${existing.source}): a projection does not replace a decision`,
        });
        continue;
      }
      if (existing.basis === 'official' && !options.replaceOfficial) {
        const field = firstDifference(existing, day);
        refuse(line, field, {
          vi: `${day.date} đã là ngày chính thức với ${field} khác (nguồn: ${existing.source}): các nguồn không khớp; kiểm tra rồi nạp lại với --replace-official`,
          en: `${day.date} is already official with a different ${field} (source: ${existing.source}): the sources disagree; check them, then load again with --replace-official`,
        });
        continue;
      }
      result.replaced.push({ date: day.date, from: existing.basis, to: day.basis });
      replacedDays.push({ date: day.date, before: columnsOfDay(existing), after: columnsOfDay(day) });
      writes.push(day);
    }
    if (issues.length > 0) throw calendarFileError(options.fileName, issues);
    if (writes.length === 0) return result;
    await upsertCalendarDays(trx, writes, actor.actor);
    const years = [...new Set(writes.map((day) => day.date.slice(0, 4)))].sort();
    await recordAuditEvent(trx, actor, {
      action: 'calendar.add_days',
      entityType: 'calendar',
      entityId: years.join(','),
      changes: {
        file: options.fileName,
        source: options.source ?? null,
        added: writes.filter((day) => result.added.includes(day.date)).map(columnsOfDay),
        replaced: replacedDays,
        unchanged: result.unchanged.length,
      },
    });
    return result;
  });
}
