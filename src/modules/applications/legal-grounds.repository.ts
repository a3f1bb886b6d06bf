/**
 * The SQL of the legal grounds (`legal-grounds.ts` holds their rules): three tables of one shape, named by the kind
 * of decision that cites them. Never opens a transaction.
 */
import { type Insertable, type Selectable, sql } from 'kysely';
import type { Db } from '../../core/db.ts';
import type { LegalGroundTable } from './applications.table.ts';

export type GroundKind = 'cancellation' | 'refusal' | 'foreign_platform' | 'annual_report_field';

export const GROUND_TABLES = {
  cancellation: 'cancellation_grounds',
  refusal: 'application_refusal_grounds',
  foreign_platform: 'foreign_platform_grounds',
  annual_report_field: 'annual_report_fields',
} as const satisfies Record<GroundKind, string>;

export type LegalGroundRow = Selectable<LegalGroundTable>;

/** Every ground of a kind, whatever its dates, in the order of the provision. */
export function selectGroundRows(db: Db, kind: GroundKind): Promise<LegalGroundRow[]> {
  return db.selectFrom(GROUND_TABLES[kind]).selectAll().orderBy('position').orderBy('code').execute();
}

/** The grounds of a kind in force on `day` ('YYYY-MM-DD'), in the order of the provision. */
export function selectGroundRowsInForce(db: Db, kind: GroundKind, day: string): Promise<LegalGroundRow[]> {
  return db
    .selectFrom(GROUND_TABLES[kind])
    .selectAll()
    .where('effective_from', '<=', day)
    .where((eb) => eb.or([eb('effective_to', 'is', null), eb('effective_to', '>=', day)]))
    .orderBy('position')
    .orderBy('code')
    .execute();
}

export function selectGroundRow(db: Db, kind: GroundKind, code: string): Promise<LegalGroundRow | undefined> {
  return db.selectFrom(GROUND_TABLES[kind]).selectAll().where('code', '=', code).executeTakeFirst();
}

export function lockGroundRow(trx: Db, kind: GroundKind, code: string): Promise<LegalGroundRow | undefined> {
  return trx.selectFrom(GROUND_TABLES[kind]).selectAll().where('code', '=', code).forUpdate().executeTakeFirst();
}

export async function insertGroundRow(
  trx: Db,
  kind: GroundKind,
  values: Omit<Insertable<LegalGroundTable>, 'position'>,
): Promise<void> {
  const table = GROUND_TABLES[kind];
  await trx
    .insertInto(table)
    .values({ ...values, position: sql<number>`(SELECT coalesce(max(position), 0) + 1 FROM ${sql.table(table)})` })
    .execute();
}

export async function updateGroundRow(
  trx: Db,
  kind: GroundKind,
  code: string,
  values: Partial<Omit<LegalGroundRow, 'code' | 'position'>>,
): Promise<void> {
  await trx.updateTable(GROUND_TABLES[kind]).set(values).where('code', '=', code).execute();
}

/** The foreign-platform grounds recorded on an application, in the table's order (whether or not still in force). */
export function selectApplicationForeignGroundRows(db: Db, applicationId: string): Promise<LegalGroundRow[]> {
  return db
    .selectFrom('application_foreign_grounds as a')
    .innerJoin('foreign_platform_grounds as g', 'g.code', 'a.ground_code')
    .selectAll('g')
    .where('a.application_id', '=', applicationId)
    .orderBy('g.position')
    .execute();
}

export async function replaceApplicationForeignGroundRows(
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
