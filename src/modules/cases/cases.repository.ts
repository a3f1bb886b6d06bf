/** The SQL of cases and their law (step rules, sanction rules). Never opens a transaction. */
import { type Insertable, type Selectable, sql } from 'kysely';
import type { Db } from '../../core/db.ts';
import type {
  CaseLinkTable,
  CaseSanctionTable,
  CaseStepReminderTable,
  CaseStepRuleTable,
  CaseStepTable,
  CaseTable,
  SanctionRuleTable,
} from './cases.table.ts';

export type CaseRow = Selectable<CaseTable>;
export type CaseLinkRow = Selectable<CaseLinkTable>;
export type CaseStepRow = Selectable<CaseStepTable>;
export type CaseStepRuleRow = Selectable<CaseStepRuleTable>;
export type SanctionRuleRow = Selectable<SanctionRuleTable>;
export type CaseSanctionRow = Selectable<CaseSanctionTable>;

function inForce<T extends { effective_from: string; effective_to: string | null }>(rows: T[], day: string): T[] {
  return rows.filter((row) => row.effective_from <= day && (row.effective_to === null || row.effective_to >= day));
}

export async function selectStepRulesInForce(db: Db, day: string): Promise<CaseStepRuleRow[]> {
  return inForce(await db.selectFrom('case_step_rules').selectAll().orderBy('position').execute(), day);
}

export async function selectSanctionRulesInForce(db: Db, day: string): Promise<SanctionRuleRow[]> {
  return inForce(await db.selectFrom('sanction_rules').selectAll().orderBy('position').execute(), day);
}

export async function insertCaseRow(
  trx: Db,
  values: Omit<Insertable<CaseTable>, 'reference'>,
  year: string,
): Promise<CaseRow> {
  const reference = await sql<{ no: string }>`SELECT nextval('case_reference_no')::text AS no`.execute(trx);
  return trx
    .insertInto('cases')
    .values({ ...values, reference: `HS-${year}-${(reference.rows[0]?.no ?? '0').padStart(4, '0')}` })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function findCaseRow(db: Db, id: string, options: { lock?: boolean } = {}): Promise<CaseRow | undefined> {
  const query = db.selectFrom('cases').selectAll().where('id', '=', id);
  return (options.lock ? query.forUpdate() : query).executeTakeFirst();
}

export function listCaseRows(db: Db, filter: { status?: 'open' | 'closed' | undefined }): Promise<CaseRow[]> {
  let query = db.selectFrom('cases').selectAll().orderBy('created_at', 'desc').limit(500);
  if (filter.status) query = query.where('status', '=', filter.status);
  return query.execute();
}

export async function updateCaseRow(trx: Db, id: string, values: Partial<Omit<CaseRow, 'id' | 'reference'>>) {
  await trx.updateTable('cases').set(values).where('id', '=', id).execute();
}

export function selectLinkRows(db: Db, caseId: string): Promise<CaseLinkRow[]> {
  return db.selectFrom('case_links').selectAll().where('case_id', '=', caseId).orderBy('added_at').execute();
}

/** Adds a link; returns false when the case already has it (linking is idempotent). */
export async function insertLinkRow(trx: Db, values: Insertable<CaseLinkTable>): Promise<boolean> {
  const inserted = await trx
    .insertInto('case_links')
    .values(values)
    .onConflict((conflict) => conflict.columns(['case_id', 'kind', 'ref']).doNothing())
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
}

export function selectStepRows(db: Db, caseIds: readonly string[]): Promise<CaseStepRow[]> {
  if (caseIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('case_steps').selectAll().where('case_id', 'in', caseIds).orderBy('started_on').execute();
}

export async function insertStepRow(trx: Db, values: Insertable<CaseStepTable>): Promise<void> {
  await trx.insertInto('case_steps').values(values).execute();
}

export async function updateStepRow(
  trx: Db,
  caseId: string,
  step: string,
  values: Partial<Omit<CaseStepRow, 'case_id' | 'step'>>,
): Promise<void> {
  await trx.updateTable('case_steps').set(values).where('case_id', '=', caseId).where('step', '=', step).execute();
}

/** The reminders already sent of these cases' steps, as `case_id|step|due_on`. */
export async function selectSentStepReminders(db: Db, caseIds: readonly string[]): Promise<Set<string>> {
  if (caseIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('case_step_reminders')
    .select(['case_id', 'step', 'due_on'])
    .where('case_id', 'in', caseIds)
    .execute();
  return new Set(rows.map((row) => `${row.case_id}|${row.step}|${row.due_on}`));
}

/** Records a reminder; false when it was recorded already (another run, another worker): then it is not sent. */
export async function claimStepReminder(trx: Db, values: Insertable<CaseStepReminderTable>): Promise<boolean> {
  const inserted = await trx
    .insertInto('case_step_reminders')
    .values(values)
    .onConflict((conflict) => conflict.columns(['case_id', 'step', 'due_on']).doNothing())
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Steps not completed whose due day is before `day`, with their case (the overdue list). */
export function selectOverdueStepRows(db: Db, day: string) {
  return db
    .selectFrom('case_steps as s')
    .innerJoin('cases as c', 'c.id', 's.case_id')
    .select(['s.case_id', 's.step', 's.due_on', 'c.reference', 'c.title', 'c.unit_id'])
    .where('s.completed_on', 'is', null)
    .where('s.due_on', '<', day)
    .where('c.status', '=', 'open')
    .orderBy('s.due_on')
    .execute();
}

export function insertSanctionRow(trx: Db, values: Insertable<CaseSanctionTable>): Promise<CaseSanctionRow> {
  return trx.insertInto('case_sanctions').values(values).returningAll().executeTakeFirstOrThrow();
}

export function selectSanctionRows(db: Db, caseId: string): Promise<CaseSanctionRow[]> {
  return db.selectFrom('case_sanctions').selectAll().where('case_id', '=', caseId).orderBy('decided_at').execute();
}

export function findSanctionByDecisionNo(db: Db, decisionNo: string): Promise<CaseSanctionRow | undefined> {
  return db.selectFrom('case_sanctions').selectAll().where('decision_no', '=', decisionNo).executeTakeFirst();
}

export async function setSanctionPublicId(trx: Db, id: string, publicId: string): Promise<void> {
  await trx.updateTable('case_sanctions').set({ public_id: publicId }).where('id', '=', id).execute();
}

export async function updateStepRuleRow(
  trx: Db,
  step: string,
  values: Partial<Omit<CaseStepRuleRow, 'step' | 'position'>>,
): Promise<CaseStepRuleRow | undefined> {
  return trx.updateTable('case_step_rules').set(values).where('step', '=', step).returningAll().executeTakeFirst();
}

export async function updateSanctionRuleRow(
  trx: Db,
  code: string,
  values: Partial<Omit<SanctionRuleRow, 'code' | 'position'>>,
): Promise<SanctionRuleRow | undefined> {
  return trx.updateTable('sanction_rules').set(values).where('code', '=', code).returningAll().executeTakeFirst();
}

export function findStepRuleRow(trx: Db, step: string): Promise<CaseStepRuleRow | undefined> {
  return trx.selectFrom('case_step_rules').selectAll().where('step', '=', step).forUpdate().executeTakeFirst();
}

export function findSanctionRuleRow(trx: Db, code: string): Promise<SanctionRuleRow | undefined> {
  return trx.selectFrom('sanction_rules').selectAll().where('code', '=', code).forUpdate().executeTakeFirst();
}
