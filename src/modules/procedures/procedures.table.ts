import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export type SourceStatus = 'verified' | 'unverified' | 'disputed';

/**
 * A procedure of the register as the law sets it (issue 10): its provision, the working days the deciding unit
 * (or the business) has, what the clock counts from, its effective dates, and how sure the source is. One row per
 * procedure and start date; the row in force on a day gives that day's clock.
 */
export interface LegalProcedureTable {
  id: Generated<number>;
  code: string;
  name_vi: string;
  name_en: string;
  provision: string;
  source_url: string;
  /** null where the law sets no period in working days (a fixed date, or no period at all). */
  working_days: number | null;
  clock_from_vi: string;
  clock_from_en: string;
  /** A unit of the `units` catalogue. */
  deciding_unit_id: string;
  effective_from: string;
  effective_to: string | null;
  source_status: SourceStatus;
  note: string;
  updated_by: string;
  updated_at: Timestamp;
}

declare module '../../core/db.ts' {
  interface DatabaseTables {
    legal_procedures: LegalProcedureTable;
  }
}
