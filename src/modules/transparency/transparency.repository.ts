/** The SQL of the public register of decisions. Never opens a transaction. */
import { type Selectable, sql } from 'kysely';
import type { Db } from '../../core/db.ts';
import type { DecisionTarget, PublishedDecisionTable } from './transparency.table.ts';

export type PublishedDecisionRow = Selectable<PublishedDecisionTable>;

export interface NewDecisionRow {
  kind: PublishedDecisionTable['kind'];
  source_type: string;
  source_id: string;
  decision_no: string | null;
  decided_on: string;
  effective_from: string | null;
  effective_to: string | null;
  issuer_unit_id: string | null;
  legal_ground: string;
  facts_vi: string;
  facts_en: string;
  targets: DecisionTarget[];
  automated_detection: boolean;
  automated_decision: boolean;
  sample: boolean;
  published_at: Date;
}

/** Inserts the row, numbered from the sequence, its public id made of the year of publication and that number. */
export async function insertDecisionRow(trx: Db, row: NewDecisionRow, year: string): Promise<PublishedDecisionRow> {
  const result = await sql<PublishedDecisionRow>`
    INSERT INTO published_decisions (
      public_id, public_no, kind, source_type, source_id, decision_no, decided_on, effective_from, effective_to,
      issuer_unit_id, legal_ground, facts_vi, facts_en, targets, automated_detection, automated_decision, sample,
      status, published_at, updated_at)
    SELECT 'ECG-' || ${year} || '-' || lpad(n.no::text, 6, '0'), n.no, ${row.kind}, ${row.source_type},
      ${row.source_id}, ${row.decision_no}, ${row.decided_on}, ${row.effective_from}, ${row.effective_to},
      ${row.issuer_unit_id}, ${row.legal_ground}, ${row.facts_vi}, ${row.facts_en}, ${JSON.stringify(row.targets)}::jsonb,
      ${row.automated_detection}, ${row.automated_decision}, ${row.sample}, 'in_force', ${row.published_at},
      ${row.published_at}
    FROM (SELECT nextval('published_decision_no') AS no) AS n
    RETURNING *`.execute(trx);
  return result.rows[0] as PublishedDecisionRow;
}

export function findDecisionRowBySource(
  db: Db,
  sourceType: string,
  sourceId: string,
): Promise<PublishedDecisionRow | undefined> {
  return db
    .selectFrom('published_decisions')
    .selectAll()
    .where('source_type', '=', sourceType)
    .where('source_id', '=', sourceId)
    .executeTakeFirst();
}

export function findDecisionRow(db: Db, publicId: string): Promise<PublishedDecisionRow | undefined> {
  return db.selectFrom('published_decisions').selectAll().where('public_id', '=', publicId).executeTakeFirst();
}

export async function endDecisionRow(
  trx: Db,
  publicId: string,
  values: { end_reason_vi: string; end_reason_en: string; ended_at: Date },
): Promise<void> {
  await trx
    .updateTable('published_decisions')
    .set({ status: 'ended', ...values, updated_at: values.ended_at })
    .where('public_id', '=', publicId)
    .execute();
}

/** A page of the register, newest first; `beforeNo` continues after the last row of the previous page. */
export function listDecisionRows(
  db: Db,
  filter: { kind?: string | undefined; beforeNo?: number | undefined; limit: number },
): Promise<PublishedDecisionRow[]> {
  let query = db.selectFrom('published_decisions').selectAll().orderBy('public_no', 'desc').limit(filter.limit);
  if (filter.kind) query = query.where('kind', '=', filter.kind as PublishedDecisionTable['kind']);
  if (filter.beforeNo !== undefined) query = query.where('public_no', '<', String(filter.beforeNo));
  return query.execute();
}

/** The rows published or ended within [from, to), in order of publication (the daily dump). */
export function listDecisionRowsChangedBetween(db: Db, from: Date, to: Date): Promise<PublishedDecisionRow[]> {
  return db
    .selectFrom('published_decisions')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb.and([eb('published_at', '>=', from), eb('published_at', '<', to)]),
        eb.and([eb('ended_at', '>=', from), eb('ended_at', '<', to)]),
      ]),
    )
    .orderBy('public_no')
    .execute();
}
