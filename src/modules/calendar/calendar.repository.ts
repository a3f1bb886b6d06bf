import { sql } from 'kysely';
import type { Db } from '../../core/db.ts';
import type { CalendarDay } from '../../core/working-days.ts';
import type { CalendarDayTable } from './calendar.table.ts';
import './calendar.table.ts';

export type CalendarDayRow = CalendarDayTable & { loaded_at: Date };

export async function selectCalendarDays(db: Db, year?: number): Promise<CalendarDayRow[]> {
  let query = db.selectFrom('calendar_days').selectAll().orderBy('date');
  if (year !== undefined) query = query.where('date', '>=', `${year}-01-01`).where('date', '<=', `${year}-12-31`);
  return (await query.execute()) as CalendarDayRow[];
}

/**
 * Every writer of the calendar takes this lock first, so two loads (or two processes starting at once) never
 * interleave; readers are not blocked.
 */
export async function lockCalendar(trx: Db): Promise<void> {
  await sql`LOCK TABLE calendar_days IN SHARE ROW EXCLUSIVE MODE`.execute(trx);
}

/** A day as the table's columns (also the CSV's and the CLI's JSON): one spelling of a day everywhere. */
export function columnsOfDay(day: CalendarDay) {
  return {
    date: day.date,
    type: day.type,
    name_vi: day.name.vi,
    name_en: day.name.en,
    basis: day.basis,
    source: day.source,
    note: day.note,
  };
}

export async function upsertCalendarDays(trx: Db, days: readonly CalendarDay[], loadedBy: string): Promise<void> {
  if (days.length === 0) return;
  await trx
    .insertInto('calendar_days')
    .values(days.map((day) => ({ ...columnsOfDay(day), loaded_by: loadedBy })))
    .onConflict((conflict) =>
      conflict.column('date').doUpdateSet((excluded) => ({
        type: excluded.ref('excluded.type'),
        name_vi: excluded.ref('excluded.name_vi'),
        name_en: excluded.ref('excluded.name_en'),
        basis: excluded.ref('excluded.basis'),
        source: excluded.ref('excluded.source'),
        note: excluded.ref('excluded.note'),
        loaded_by: excluded.ref('excluded.loaded_by'),
        loaded_at: sql<string>`now()`,
      })),
    )
    .execute();
}

export async function deleteCalendarDays(trx: Db, dates: readonly string[]): Promise<void> {
  if (dates.length === 0) return;
  await trx.deleteFrom('calendar_days').where('date', 'in', dates).execute();
}
