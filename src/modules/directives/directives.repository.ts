import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Db } from '../../core/db.ts';
import type {
  DirectiveAssignmentTable,
  DirectiveExtensionRequestTable,
  DirectiveProgressReportTable,
  DirectiveReportAttachmentTable,
  DirectiveTable,
  DirectiveTaskTable,
} from './directives.table.ts';

/**
 * SQL of the directive tracker: directives and their tasks as tracking reads them, their import, progress
 * reports, extension requests and reminders. Private to the module (other modules use the services through
 * index.ts); never opens a transaction: the service that calls it does.
 */

export interface DirectiveRow {
  id: string;
  number: string;
  number_key: string;
  kind: string;
  issued_on: string | null;
  issuer: string | null;
  issuer_unit_id: string | null;
  title: string;
  language: string;
  source_sha256: string;
  unplaced: string[];
  is_demo: boolean;
  imported_by: string;
  created_at: Date;
  updated_at: Date;
}

const DIRECTIVE_COLUMNS = [
  'id',
  'number',
  'number_key',
  'kind',
  'issued_on',
  'issuer',
  'issuer_unit_id',
  'title',
  'language',
  'source_sha256',
  'unplaced',
  'is_demo',
  'imported_by',
  'created_at',
  'updated_at',
] as const;

export async function findDirectiveRowById(db: Db, id: string): Promise<DirectiveRow | undefined> {
  return db.selectFrom('directives').select(DIRECTIVE_COLUMNS).where('id', '=', id).executeTakeFirst();
}

export async function findDirectiveRowByNumberKey(db: Db, numberKey: string): Promise<DirectiveRow | undefined> {
  return db.selectFrom('directives').select(DIRECTIVE_COLUMNS).where('number_key', '=', numberKey).executeTakeFirst();
}

/** Locks the directive row for the rest of the transaction (re-imports of one number are serialised). */
export async function lockDirectiveByNumberKey(trx: Db, numberKey: string): Promise<DirectiveRow | undefined> {
  return trx
    .selectFrom('directives')
    .select(DIRECTIVE_COLUMNS)
    .where('number_key', '=', numberKey)
    .forUpdate()
    .executeTakeFirst();
}

export async function listDirectiveRows(db: Db): Promise<DirectiveRow[]> {
  return db
    .selectFrom('directives')
    .select(DIRECTIVE_COLUMNS)
    .orderBy('issued_on', (ob) => ob.desc().nullsLast())
    .orderBy('number')
    .execute();
}

export async function listDirectiveRowsByNumberKeys(db: Db, keys: readonly string[]): Promise<DirectiveRow[]> {
  if (keys.length === 0) return [];
  return db.selectFrom('directives').select(DIRECTIVE_COLUMNS).where('number_key', 'in', keys).execute();
}

export async function countDirectives(db: Db): Promise<number> {
  const row = await db
    .selectFrom('directives')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

// Demo data: reports and decisions dated as if they had been made on their day, not at load time.

export async function backdateReports(db: Db, taskId: string, reportedOn: string, reportedAt: Date): Promise<void> {
  await db
    .updateTable('directive_progress_reports')
    .set({ reported_at: reportedAt })
    .where('task_id', '=', taskId)
    .where('reported_on', '=', reportedOn)
    .execute();
}

export async function backdateExtension(
  db: Db,
  id: string,
  dates: { requestedAt: Date; decidedAt: Date },
): Promise<void> {
  await db
    .updateTable('directive_extension_requests')
    .set({ requested_at: dates.requestedAt, decided_at: dates.decidedAt })
    .where('id', '=', id)
    .execute();
}

export async function readDirectiveSource(db: Db, id: string): Promise<string | undefined> {
  const row = await db.selectFrom('directives').select('source_text').where('id', '=', id).executeTakeFirst();
  return row?.source_text;
}

// ---------------------------------------------------------------------------------------------
// Import: a directive's row, its assignments and tasks as stored
// ---------------------------------------------------------------------------------------------

export type DirectiveValues = Omit<Insertable<DirectiveTable>, 'id' | 'imported_by' | 'created_at' | 'updated_at'>;

/** Inserts a directive; undefined when its number was stored by another transaction meanwhile. */
export async function insertDirective(
  trx: Db,
  values: DirectiveValues & { imported_by: string },
): Promise<string | undefined> {
  const row = await trx
    .insertInto('directives')
    .values(values)
    .onConflict((oc) => oc.column('number_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

export async function updateDirective(trx: Db, id: string, values: DirectiveValues): Promise<void> {
  await trx
    .updateTable('directives')
    .set({ ...values, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

export type AssignmentRow = Selectable<DirectiveAssignmentTable>;
export type AssignmentValues = Omit<Insertable<DirectiveAssignmentTable>, 'id' | 'directive_id'>;

/** A directive's assignments in the order of its text. */
export async function listAssignmentRows(db: Db, directiveId: string): Promise<AssignmentRow[]> {
  return db
    .selectFrom('directive_assignments')
    .selectAll()
    .where('directive_id', '=', directiveId)
    .orderBy('position')
    .execute();
}

export async function insertAssignment(trx: Db, directiveId: string, values: AssignmentValues): Promise<string> {
  const row = await trx
    .insertInto('directive_assignments')
    .values({ ...values, directive_id: directiveId })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateAssignment(trx: Db, id: string, values: AssignmentValues): Promise<void> {
  await trx.updateTable('directive_assignments').set(values).where('id', '=', id).execute();
}

export async function deleteAssignments(trx: Db, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await trx.deleteFrom('directive_assignments').where('id', 'in', ids).execute();
}

/** A task's own row (no joins): what a re-import compares the text with. */
export type StoredTaskRow = Selectable<DirectiveTaskTable>;

export async function listStoredTaskRows(db: Db, directiveId: string): Promise<StoredTaskRow[]> {
  return db.selectFrom('directive_tasks').selectAll().where('directive_id', '=', directiveId).execute();
}

export async function insertTask(
  trx: Db,
  values: Omit<Insertable<DirectiveTaskTable>, 'id' | 'status' | 'created_at' | 'updated_at'>,
): Promise<void> {
  await trx.insertInto('directive_tasks').values(values).execute();
}

/** Changes a task; its `updated_at` (a calendar's LAST-MODIFIED) moves with every change. */
export async function updateTask(
  trx: Db,
  id: string,
  changes: Omit<Updateable<DirectiveTaskTable>, 'id' | 'directive_id' | 'created_at' | 'updated_at'>,
): Promise<void> {
  await trx
    .updateTable('directive_tasks')
    .set({ ...changes, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

export async function deleteTasks(trx: Db, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await trx.deleteFrom('directive_tasks').where('id', 'in', ids).execute();
}

/** Dependent tasks linked to nothing yet, with their directive's number and text (which may name the one followed). */
export async function listUnlinkedDependentTasks(
  db: Db,
): Promise<Array<{ id: string; text: string; directive_id: string; number_key: string; source_text: string }>> {
  return db
    .selectFrom('directive_tasks as t')
    .innerJoin('directives as d', 'd.id', 't.directive_id')
    .select(['t.id', 't.text', 't.directive_id', 'd.number_key', 'd.source_text'])
    .where('t.period_kind', '=', 'dependent')
    .where('t.depends_on_directive_id', 'is', null)
    .where('t.depends_on_task_id', 'is', null)
    .execute();
}

/** A task of the directive by its id or its sequence in the text (both when both are given). */
export async function findTaskIdInDirective(
  db: Db,
  directiveId: string,
  task: { id?: string | undefined; seq?: number | undefined },
): Promise<string | undefined> {
  const row = await db
    .selectFrom('directive_tasks')
    .select('id')
    .where('directive_id', '=', directiveId)
    .$if(task.id !== undefined, (query) => query.where('id', '=', task.id as string))
    .$if(task.seq !== undefined, (query) => query.where('seq', '=', task.seq as number))
    .executeTakeFirst();
  return row?.id;
}

// ---------------------------------------------------------------------------------------------
// Tasks with what tracking needs
// ---------------------------------------------------------------------------------------------

export interface TaskRow {
  id: string;
  directive_id: string;
  assignment_id: string;
  seq: number;
  position: number;
  text: string;
  period_text: string | null;
  period_kind: string;
  period_start: string | null;
  period_due: string | null;
  recurrence: string | null;
  depends_on_directive_id: string | null;
  depends_on_task_id: string | null;
  status: string;
  completed_on: string | null;
  updated_at: Date;
  assignment_position: number;
  unit_name: string;
  unit_id: string | null;
  role: string;
  cooperating_names: string[];
  cooperating_unit_ids: string[];
  /** The units the task's own text names to cooperate with. */
  task_cooperating_names: string[];
  directive_number: string;
  directive_title: string;
  directive_kind: string;
  directive_issued_on: string | null;
  directive_issuer_unit_id: string | null;
  directive_is_demo: boolean;
  /** The new due date of the latest approved extension. */
  extended_due: string | null;
  last_percentage: number | null;
  last_reported_on: string | null;
}

export interface TaskFilter {
  directiveIds?: readonly string[];
  taskIds?: readonly string[];
  unitIds?: readonly string[];
}

export async function listTaskRows(db: Db, filter: TaskFilter = {}): Promise<TaskRow[]> {
  let query = db
    .selectFrom('directive_tasks as t')
    .innerJoin('directive_assignments as a', 'a.id', 't.assignment_id')
    .innerJoin('directives as d', 'd.id', 't.directive_id')
    .select([
      't.id',
      't.directive_id',
      't.assignment_id',
      't.seq',
      't.position',
      't.text',
      't.period_text',
      't.period_kind',
      't.period_start',
      't.period_due',
      't.recurrence',
      't.depends_on_directive_id',
      't.depends_on_task_id',
      't.status',
      't.completed_on',
      't.updated_at',
      'a.position as assignment_position',
      'a.unit_name',
      'a.unit_id',
      'a.role',
      'a.cooperating_names',
      'a.cooperating_unit_ids',
      't.cooperating_names as task_cooperating_names',
      'd.number as directive_number',
      'd.title as directive_title',
      'd.kind as directive_kind',
      'd.issued_on as directive_issued_on',
      'd.issuer_unit_id as directive_issuer_unit_id',
      'd.is_demo as directive_is_demo',
    ])
    .select((eb) => [
      eb
        .selectFrom('directive_extension_requests as x')
        .select('x.requested_due')
        .whereRef('x.task_id', '=', 't.id')
        .where('x.decision', '=', 'approved')
        .orderBy('x.decided_at', 'desc')
        .limit(1)
        .as('extended_due'),
      eb
        .selectFrom('directive_progress_reports as r')
        .select('r.percentage')
        .whereRef('r.task_id', '=', 't.id')
        .orderBy('r.reported_at', 'desc')
        .limit(1)
        .as('last_percentage'),
      eb
        .selectFrom('directive_progress_reports as r')
        .select('r.reported_on')
        .whereRef('r.task_id', '=', 't.id')
        .orderBy('r.reported_at', 'desc')
        .limit(1)
        .as('last_reported_on'),
    ]);
  if (filter.directiveIds) {
    if (filter.directiveIds.length === 0) return [];
    query = query.where('t.directive_id', 'in', filter.directiveIds);
  }
  if (filter.taskIds) {
    if (filter.taskIds.length === 0) return [];
    query = query.where('t.id', 'in', filter.taskIds);
  }
  if (filter.unitIds) {
    if (filter.unitIds.length === 0) return [];
    query = query.where('a.unit_id', 'in', filter.unitIds);
  }
  const rows = await query
    .orderBy('d.issued_on', (ob) => ob.desc().nullsLast())
    .orderBy('d.number')
    .orderBy('t.seq')
    .execute();
  return rows as TaskRow[];
}

/** For recurring tasks: the first day a report was filed for each period. */
export async function listPeriodReports(
  db: Db,
  taskIds: readonly string[],
): Promise<Array<{ task_id: string; period_start: string; first_reported_on: string }>> {
  if (taskIds.length === 0) return [];
  const rows = await db
    .selectFrom('directive_progress_reports')
    .select(['task_id', 'period_start'])
    .select((eb) => eb.fn.min<string>('reported_on').as('first_reported_on'))
    .where('task_id', 'in', taskIds)
    .where('period_start', 'is not', null)
    .groupBy(['task_id', 'period_start'])
    .execute();
  return rows as Array<{ task_id: string; period_start: string; first_reported_on: string }>;
}

// ---------------------------------------------------------------------------------------------
// Reports, attachments, extensions
// ---------------------------------------------------------------------------------------------

export interface ReportRow {
  id: string;
  task_id: string;
  text: string;
  percentage: number;
  period_start: string | null;
  completed_on: string | null;
  reported_by: string;
  reporter_name: string;
  reporter_unit_id: string | null;
  reported_on: string;
  reported_at: Date;
}

export async function listReportRows(db: Db, taskId: string): Promise<ReportRow[]> {
  return db
    .selectFrom('directive_progress_reports')
    .selectAll()
    .where('task_id', '=', taskId)
    .orderBy('reported_at', 'desc')
    .execute();
}

export interface AttachmentMetaRow {
  id: string;
  report_id: string;
  filename: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
}

export async function listAttachmentMeta(db: Db, reportIds: readonly string[]): Promise<AttachmentMetaRow[]> {
  if (reportIds.length === 0) return [];
  return db
    .selectFrom('directive_report_attachments')
    .select(['id', 'report_id', 'filename', 'content_type', 'size_bytes', 'sha256'])
    .where('report_id', 'in', reportIds)
    .orderBy('filename')
    .execute();
}

export async function findAttachment(
  db: Db,
  id: string,
): Promise<(AttachmentMetaRow & { content: Buffer; task_id: string }) | undefined> {
  return db
    .selectFrom('directive_report_attachments as f')
    .innerJoin('directive_progress_reports as r', 'r.id', 'f.report_id')
    .select([
      'f.id',
      'f.report_id',
      'f.filename',
      'f.content_type',
      'f.size_bytes',
      'f.sha256',
      'f.content',
      'r.task_id',
    ])
    .where('f.id', '=', id)
    .executeTakeFirst();
}

export interface ExtensionRow {
  id: string;
  task_id: string;
  current_due: string | null;
  requested_due: string;
  reason: string;
  requested_by: string;
  requester_name: string;
  requested_at: Date;
  decision: string | null;
  decision_note: string | null;
  decided_by: string | null;
  decider_name: string | null;
  decided_at: Date | null;
}

export async function listExtensionRows(
  db: Db,
  filter: { id?: string; taskId?: string; pendingOnly?: boolean },
): Promise<ExtensionRow[]> {
  let query = db.selectFrom('directive_extension_requests').selectAll();
  if (filter.id) query = query.where('id', '=', filter.id);
  if (filter.taskId) query = query.where('task_id', '=', filter.taskId);
  if (filter.pendingOnly) query = query.where('decision', 'is', null);
  return query.orderBy('requested_at', 'desc').execute();
}

export async function lockExtensionRow(trx: Db, id: string): Promise<ExtensionRow | undefined> {
  return trx.selectFrom('directive_extension_requests').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function insertReport(
  trx: Db,
  values: Omit<Insertable<DirectiveProgressReportTable>, 'id' | 'reported_at'>,
): Promise<ReportRow> {
  return trx.insertInto('directive_progress_reports').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function insertAttachment(
  trx: Db,
  values: Omit<Insertable<DirectiveReportAttachmentTable>, 'id'>,
): Promise<Omit<AttachmentMetaRow, 'report_id'>> {
  return trx
    .insertInto('directive_report_attachments')
    .values(values)
    .returning(['id', 'filename', 'content_type', 'size_bytes', 'sha256'])
    .executeTakeFirstOrThrow();
}

/** The task's undecided extension request, locked for the rest of the transaction. */
export async function lockPendingExtension(trx: Db, taskId: string): Promise<{ id: string } | undefined> {
  return trx
    .selectFrom('directive_extension_requests')
    .select('id')
    .where('task_id', '=', taskId)
    .where('decision', 'is', null)
    .forUpdate()
    .executeTakeFirst();
}

export async function insertExtension(
  trx: Db,
  values: Pick<
    Insertable<DirectiveExtensionRequestTable>,
    'task_id' | 'current_due' | 'requested_due' | 'reason' | 'requested_by' | 'requester_name'
  >,
): Promise<ExtensionRow> {
  return trx.insertInto('directive_extension_requests').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function recordExtensionDecision(
  trx: Db,
  id: string,
  values: { decision: 'approved' | 'rejected'; decision_note: string | null; decided_by: string; decider_name: string },
): Promise<ExtensionRow> {
  return trx
    .updateTable('directive_extension_requests')
    .set({ ...values, decided_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Tasks that have progress reports or extension requests: their history forbids deleting them. */
export async function listTaskIdsWithHistory(db: Db, taskIds: readonly string[]): Promise<Set<string>> {
  if (taskIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('directive_tasks as t')
    .select('t.id')
    .where('t.id', 'in', taskIds)
    .where((eb) =>
      eb.or([
        eb.exists(eb.selectFrom('directive_progress_reports as r').select('r.id').whereRef('r.task_id', '=', 't.id')),
        eb.exists(eb.selectFrom('directive_extension_requests as x').select('x.id').whereRef('x.task_id', '=', 't.id')),
      ]),
    )
    .execute();
  return new Set(rows.map((row) => row.id));
}

// ---------------------------------------------------------------------------------------------
// Reminders
// ---------------------------------------------------------------------------------------------

/** Claims a reminder (inserts its row); false when it was already sent or claimed by another worker. */
export async function claimReminder(
  db: Db,
  reminder: { taskId: string; kind: string; dueOn: string; unitId: string | null; recipients: string[] },
): Promise<boolean> {
  const inserted = await db
    .insertInto('directive_reminders')
    .values({
      task_id: reminder.taskId,
      kind: reminder.kind,
      due_on: reminder.dueOn,
      unit_id: reminder.unitId,
      recipients: reminder.recipients,
    })
    .onConflict((oc) => oc.columns(['task_id', 'kind', 'due_on']).doNothing())
    .returning('task_id')
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function releaseReminder(
  db: Db,
  reminder: { taskId: string; kind: string; dueOn: string },
): Promise<void> {
  await db
    .deleteFrom('directive_reminders')
    .where('task_id', '=', reminder.taskId)
    .where('kind', '=', reminder.kind)
    .where('due_on', '=', reminder.dueOn)
    .execute();
}

export async function listSentReminders(
  db: Db,
  taskIds: readonly string[],
): Promise<Array<{ task_id: string; kind: string; due_on: string; sent_at: Date; recipients: string[] }>> {
  if (taskIds.length === 0) return [];
  return db
    .selectFrom('directive_reminders')
    .select(['task_id', 'kind', 'due_on', 'sent_at', 'recipients'])
    .where('task_id', 'in', taskIds)
    .orderBy('sent_at')
    .execute();
}

export async function listDirectiveRowsByIds(db: Db, ids: readonly string[]): Promise<DirectiveRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('directives').select(DIRECTIVE_COLUMNS).where('id', 'in', ids).execute();
}
