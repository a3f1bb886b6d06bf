import type { Selectable, Updateable } from 'kysely';
import type { Db } from '../../core/db.ts';
import type { LegalProcedureTable } from './procedures.table.ts';

export type LegalProcedureRow = Selectable<LegalProcedureTable>;

export async function selectProcedures(db: Db): Promise<LegalProcedureRow[]> {
  return db.selectFrom('legal_procedures').selectAll().orderBy('code').orderBy('effective_from').execute();
}

/** The row of `code` in force on `day` (the latest start on or before it), locked with `lock`. */
export async function selectProcedureInForce(
  db: Db,
  code: string,
  day: string,
  options: { lock?: boolean } = {},
): Promise<LegalProcedureRow | undefined> {
  let query = db
    .selectFrom('legal_procedures')
    .selectAll()
    .where('code', '=', code)
    .where('effective_from', '<=', day)
    .where((eb) => eb.or([eb('effective_to', 'is', null), eb('effective_to', '>=', day)]))
    .orderBy('effective_from', 'desc')
    .limit(1);
  if (options.lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

export async function updateProcedureRow(
  db: Db,
  id: number,
  patch: Updateable<LegalProcedureTable>,
): Promise<LegalProcedureRow> {
  return db
    .updateTable('legal_procedures')
    .set({ ...patch, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}
