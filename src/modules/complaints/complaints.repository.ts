/** The SQL of complaints and their targets. Never opens a transaction. */
import { type Selectable, sql } from 'kysely';
import type { Db } from '../../core/db.ts';
import type {
  ComplaintRuleTable,
  ComplaintTargetEventTable,
  ComplaintTargetTable,
  TargetKind,
  TargetState,
} from './complaints.table.ts';

export type ComplaintRuleRow = Selectable<ComplaintRuleTable>;
export type TargetRow = Selectable<ComplaintTargetTable>;
export type TargetEventRow = Selectable<ComplaintTargetEventTable>;

export async function selectRuleInForce(db: Db, day: string): Promise<ComplaintRuleRow | undefined> {
  return db
    .selectFrom('complaint_rules')
    .selectAll()
    .where('code', '=', 'complained_list')
    .where('effective_from', '<=', day)
    .where((eb) => eb.or([eb('effective_to', 'is', null), eb('effective_to', '>=', day)]))
    .executeTakeFirst();
}

/** The target's row, created when first complained about, locked for the caller's transaction. */
export async function lockOrCreateTarget(
  trx: Db,
  target: { target: string; kind: TargetKind; unitId: string },
): Promise<TargetRow> {
  await trx
    .insertInto('complaint_targets')
    .values({ target: target.target, kind: target.kind, unit_id: target.unitId })
    .onConflict((oc) => oc.column('target').doNothing())
    .execute();
  return trx
    .selectFrom('complaint_targets')
    .selectAll()
    .where('target', '=', target.target)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

export async function lockTarget(trx: Db, id: string): Promise<TargetRow | undefined> {
  return trx.selectFrom('complaint_targets').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function countReporters(trx: Db, targetId: string): Promise<number> {
  const row = await trx
    .selectFrom('complaints')
    .select(sql<string>`count(DISTINCT reporter_key)`.as('n'))
    .where('target_id', '=', targetId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function updateTarget(
  trx: Db,
  id: string,
  changes: Partial<{
    state: TargetState;
    explanation_requested_on: string | null;
    explanation_due_on: string | null;
    reply: string | null;
    replied_at: Date | null;
    reply_adequate: boolean | null;
    listed_on: string | null;
    unit_id: string;
  }>,
): Promise<void> {
  await trx.updateTable('complaint_targets').set(changes).where('id', '=', id).execute();
}

export async function insertTargetEvent(
  trx: Db,
  targetId: string,
  event: TargetEventRow['event'],
  note = '',
): Promise<void> {
  await trx.insertInto('complaint_target_events').values({ target_id: targetId, event, note }).execute();
}

export interface TargetSummary {
  id: string;
  target: string;
  kind: TargetKind;
  unit_id: string;
  state: TargetState;
  complaints: number;
  reporters: number;
  duplicates: number;
  amount_vnd: number;
  explanation_due_on: string | null;
  listed_on: string | null;
  reply: string | null;
  reply_adequate: boolean | null;
}

export async function selectTargetSummaries(db: Db, state?: TargetState): Promise<TargetSummary[]> {
  let query = db
    .selectFrom('complaint_targets as t')
    .leftJoin('complaints as c', 'c.target_id', 't.id')
    .select([
      't.id',
      't.target',
      't.kind',
      't.unit_id',
      't.state',
      't.explanation_due_on',
      't.listed_on',
      't.reply',
      't.reply_adequate',
      sql<string>`count(c.id)`.as('complaints'),
      sql<string>`count(DISTINCT c.reporter_key)`.as('reporters'),
      sql<string>`coalesce(sum(c.duplicates), 0)`.as('duplicates'),
      sql<string>`coalesce(sum(c.amount_vnd), 0)`.as('amount_vnd'),
    ])
    .groupBy('t.id')
    .orderBy(sql`count(DISTINCT c.reporter_key)`, 'desc')
    .orderBy('t.target');
  if (state) query = query.where('t.state', '=', state);
  const rows = await query.execute();
  return rows.map((row) => ({
    ...row,
    complaints: Number(row.complaints),
    reporters: Number(row.reporters),
    duplicates: Number(row.duplicates),
    amount_vnd: Number(row.amount_vnd),
  }));
}

export async function selectTargetEvents(db: Db, targetIds: readonly string[]): Promise<TargetEventRow[]> {
  if (targetIds.length === 0) return [];
  return db
    .selectFrom('complaint_target_events')
    .selectAll()
    .where('target_id', 'in', targetIds)
    .orderBy('id')
    .execute();
}

/** Targets whose explanation period ended before `today` without an adequate reply. */
export async function selectOverdueTargets(trx: Db, today: string): Promise<TargetRow[]> {
  return trx
    .selectFrom('complaint_targets')
    .selectAll()
    .where('state', '=', 'explanation_requested')
    .where('explanation_due_on', '<', today)
    .orderBy('id')
    .forUpdate()
    .execute();
}

export async function selectExistingKeys(
  db: Db,
  fingerprints: readonly string[],
  externalIds: readonly string[],
): Promise<{ fingerprints: Set<string>; externalIds: Set<string> }> {
  const found =
    fingerprints.length + externalIds.length === 0
      ? []
      : await db
          .selectFrom('complaints')
          .select(['fingerprint', 'external_id'])
          .where((eb) =>
            eb.or([
              ...(fingerprints.length > 0 ? [eb('fingerprint', 'in', fingerprints)] : []),
              ...(externalIds.length > 0 ? [eb('external_id', 'in', externalIds)] : []),
            ]),
          )
          .execute();
  return {
    fingerprints: new Set(found.map((row) => row.fingerprint)),
    externalIds: new Set(found.flatMap((row) => (row.external_id ? [row.external_id] : []))),
  };
}

export interface StatsRow {
  target: string;
  channel: string;
  payment_method: string | null;
  complaints: number;
  amount_vnd: number;
}

/** Complaints and amounts per target, channel and payment method: the statistics per platform. */
export async function selectStatsRows(db: Db): Promise<StatsRow[]> {
  const rows = await db
    .selectFrom('complaints as c')
    .innerJoin('complaint_targets as t', 't.id', 'c.target_id')
    .select([
      't.target',
      'c.channel',
      'c.payment_method',
      sql<string>`count(*)`.as('complaints'),
      sql<string>`coalesce(sum(c.amount_vnd), 0)`.as('amount_vnd'),
    ])
    .groupBy(['t.target', 'c.channel', 'c.payment_method'])
    .orderBy('t.target')
    .execute();
  return rows.map((row) => ({ ...row, complaints: Number(row.complaints), amount_vnd: Number(row.amount_vnd) }));
}
