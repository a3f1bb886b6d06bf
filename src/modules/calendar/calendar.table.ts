import type { ColumnType } from 'kysely';
import type { CalendarBasis, CalendarDayType } from '../../core/working-days.ts';

export interface CalendarDayTable {
  /** 'YYYY-MM-DD' (the DATE type is read as text). */
  date: string;
  type: CalendarDayType;
  name_vi: string;
  name_en: string;
  basis: CalendarBasis;
  source: string;
  note: string;
  /** 'system:calendar-file' (the shipped file) or the actor who loaded it ('cli:<os user>'). */
  loaded_by: string;
  loaded_at: ColumnType<Date, string | undefined, string>;
}

declare module '../../core/db.ts' {
  interface DatabaseTables {
    calendar_days: CalendarDayTable;
  }
}
