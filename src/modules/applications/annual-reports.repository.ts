/**
 * The SQL of the periodic reports of registered platforms (`annual-reports.ts` holds their rules). Never opens a
 * transaction.
 */
import type { Selectable } from 'kysely';
import type { Db } from '../../core/db.ts';
import type { AnnualReportDeadlineTable, AnnualReportTable } from './applications.table.ts';

export type AnnualReportRow = Selectable<AnnualReportTable>;
export type AnnualReportDeadlineRow = Selectable<AnnualReportDeadlineTable>;

/** The deadline rule in force on `day` ('YYYY-MM-DD'). */
export function selectDeadlineRowInForce(db: Db, day: string): Promise<AnnualReportDeadlineRow | undefined> {
  return db
    .selectFrom('annual_report_deadlines')
    .selectAll()
    .where('effective_from', '<=', day)
    .where((eb) => eb.or([eb('effective_to', 'is', null), eb('effective_to', '>=', day)]))
    .orderBy('effective_from', 'desc')
    .executeTakeFirst();
}

export function selectReportRowsOfYear(db: Db, year: number): Promise<AnnualReportRow[]> {
  return db.selectFrom('annual_reports').selectAll().where('year', '=', year).execute();
}

export function selectReportRowsOfPlatform(db: Db, platformId: string): Promise<AnnualReportRow[]> {
  return db
    .selectFrom('annual_reports')
    .selectAll()
    .where('platform_id', '=', platformId)
    .orderBy('year', 'desc')
    .execute();
}

export function lockReportRow(trx: Db, platformId: string, year: number): Promise<AnnualReportRow | undefined> {
  return trx
    .selectFrom('annual_reports')
    .selectAll()
    .where('platform_id', '=', platformId)
    .where('year', '=', year)
    .forUpdate()
    .executeTakeFirst();
}

export function insertReportRow(
  trx: Db,
  values: {
    platform_id: string;
    year: number;
    figures: Record<string, number>;
    note: string;
    filed_by: string;
    filed_at: Date;
  },
): Promise<AnnualReportRow> {
  return trx
    .insertInto('annual_reports')
    .values({ ...values, figures: JSON.stringify(values.figures) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function updateReportRow(
  trx: Db,
  id: string,
  values: { figures: Record<string, number>; note: string; amended_at: Date },
): Promise<AnnualReportRow> {
  return trx
    .updateTable('annual_reports')
    .set({ ...values, figures: JSON.stringify(values.figures) })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}
