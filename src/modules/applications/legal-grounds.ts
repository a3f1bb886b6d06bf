/**
 * The law as data for filings and decisions (issue 10): the grounds that make a foreign platform subject to
 * Vietnam's e-commerce rules (Decree 52/2013 Art. 67a, added by Decree 85/2021), recorded on a cross-border
 * application, and the grounds an officer cites when refusing an application. Rows live in the database
 * (migration 2026_12_04_1420), each citing its provision, source and how far that source was checked; an
 * administrator corrects or closes a row there without a release.
 */
import { todayInVietnam } from '../../core/dates.ts';
import type { Db } from '../../core/db.ts';
import type { Localized } from '../../core/i18n.ts';
import type { LegalGroundTable } from './applications.table.ts';

export interface LegalGround {
  code: string;
  label: Localized;
  provision: string;
  source_url: string;
  verification: LegalGroundTable['verification'];
  note: string;
}

type GroundTable = 'foreign_platform_grounds' | 'application_refusal_grounds';

/** The grounds of a table in force on `today` (YYYY-MM-DD), in their order. */
async function listGrounds(db: Db, table: GroundTable, today: string): Promise<LegalGround[]> {
  const rows = await db
    .selectFrom(table)
    .selectAll()
    .where('effective_from', '<=', today)
    .where((eb) => eb.or([eb('effective_to', 'is', null), eb('effective_to', '>=', today)]))
    .orderBy('position')
    .execute();
  return rows.map(groundOfRow);
}

export function listForeignPlatformGrounds(db: Db, now: Date = new Date()): Promise<LegalGround[]> {
  return listGrounds(db, 'foreign_platform_grounds', todayInVietnam(now));
}

export function listRefusalGrounds(db: Db, now: Date = new Date()): Promise<LegalGround[]> {
  return listGrounds(db, 'application_refusal_grounds', todayInVietnam(now));
}

/** The ground with this code in force today, or undefined. */
export async function findGround(
  db: Db,
  table: GroundTable,
  code: string,
  now: Date,
): Promise<LegalGround | undefined> {
  return (await listGrounds(db, table, todayInVietnam(now))).find((ground) => ground.code === code);
}

function groundOfRow(row: LegalGroundTable): LegalGround {
  return {
    code: row.code,
    label: { vi: row.label_vi, en: row.label_en },
    provision: row.provision,
    source_url: row.source_url,
    verification: row.verification,
    note: row.note,
  };
}

/** The grounds recorded on an application, in the table's order (whether or not still in force). */
export async function listApplicationForeignGrounds(db: Db, applicationId: string): Promise<LegalGround[]> {
  const rows = await db
    .selectFrom('application_foreign_grounds as a')
    .innerJoin('foreign_platform_grounds as g', 'g.code', 'a.ground_code')
    .selectAll('g')
    .where('a.application_id', '=', applicationId)
    .orderBy('g.position')
    .execute();
  return rows.map(groundOfRow);
}

/** A refusal ground by its code, whether or not still in force (a decision cites the ground of its day). */
export async function findRefusalGroundRecord(db: Db, code: string): Promise<LegalGround | undefined> {
  const row = await db
    .selectFrom('application_refusal_grounds')
    .selectAll()
    .where('code', '=', code)
    .executeTakeFirst();
  return row ? groundOfRow(row) : undefined;
}

/** Sets the grounds recorded on an application (inside the filing's transaction). */
export async function replaceApplicationForeignGrounds(
  trx: Db,
  applicationId: string,
  codes: readonly string[],
): Promise<void> {
  await trx.deleteFrom('application_foreign_grounds').where('application_id', '=', applicationId).execute();
  if (codes.length === 0) return;
  await trx
    .insertInto('application_foreign_grounds')
    .values(codes.map((ground_code) => ({ application_id: applicationId, ground_code })))
    .execute();
}
