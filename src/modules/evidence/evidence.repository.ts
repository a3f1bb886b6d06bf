import type { Insertable, Selectable } from 'kysely';
import type { Db } from '../../core/db.ts';
import type { CustodyEvent, EvidenceCustodyTable, EvidenceItemTable } from './evidence.table.ts';

export type EvidenceItemRow = Selectable<EvidenceItemTable>;
export type CustodyRow = Selectable<EvidenceCustodyTable>;

export async function insertEvidenceItem(trx: Db, values: Insertable<EvidenceItemTable>): Promise<string> {
  const row = await trx.insertInto('evidence_items').values(values).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function findEvidenceItem(db: Db, id: string): Promise<EvidenceItemRow | undefined> {
  return db.selectFrom('evidence_items').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findEvidenceItemsByIds(db: Db, ids: readonly string[]): Promise<EvidenceItemRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('evidence_items').selectAll().where('id', 'in', ids).execute();
}

/** The row locked for an attachment (two officers attaching at once: the second sees the first's reference). */
export async function lockEvidenceItem(trx: Db, id: string): Promise<EvidenceItemRow | undefined> {
  return trx.selectFrom('evidence_items').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function setEvidenceReferences(
  trx: Db,
  id: string,
  references: { case_id?: string | null; finding_id?: string | null },
): Promise<void> {
  await trx.updateTable('evidence_items').set(references).where('id', '=', id).execute();
}

export async function insertCustodyEvent(
  trx: Db,
  values: { evidence_id: string; event: CustodyEvent; actor: string; detail: unknown },
): Promise<void> {
  await trx
    .insertInto('evidence_custody')
    .values({ ...values, detail: values.detail === undefined ? null : JSON.stringify(values.detail) })
    .execute();
}

export async function listCustodyEvents(db: Db, evidenceId: string): Promise<CustodyRow[]> {
  return db.selectFrom('evidence_custody').selectAll().where('evidence_id', '=', evidenceId).orderBy('id').execute();
}

export async function listEvidenceItems(db: Db, limit: number): Promise<EvidenceItemRow[]> {
  return db
    .selectFrom('evidence_items')
    .selectAll()
    .orderBy('captured_at', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
}
