import { todayInVietnam } from '../../core/dates.ts';
import type { Db } from '../../core/db.ts';
import { type AppError, invalidInput, notFound } from '../../core/errors.ts';
import { isUuid } from '../../core/ids.ts';
import { listUnits, matchUnit, predecessorIdsOf, type Unit } from '../units/index.ts';
import {
  type Bucket,
  type BucketCounts,
  countBuckets,
  effectiveDue,
  type ReportingPeriod,
  type TaskStatus,
  trackTask,
} from './buckets.ts';
import type { Period, PeriodKind, Recurrence, Role } from './directive.schemas.ts';
import {
  type DirectiveRow,
  type ExtensionRow,
  findAttachment,
  findDirectiveRowById,
  findTaskIdInDirective,
  listAssignmentRows,
  listAttachmentMeta,
  listDirectiveRows,
  listDirectiveRowsByIds,
  listDirectiveRowsByNumberKeys,
  listExtensionRows,
  listPeriodReports,
  listReportRows,
  listTaskRows,
  type ReportRow,
  type TaskFilter,
  type TaskRow,
} from './directives.repository.ts';
import { type DirectiveKind, directiveNumberKey } from './subject.ts';

/**
 * The tracker's reads: tasks with their bucket, deadline in force and reporting state as of a day; directives
 * with their counts; a unit's tasks; one task with its reports and extension requests.
 */

export interface TrackedTask {
  id: string;
  seq: number;
  assignment_id: string;
  directive: { id: string; number: string; title: string; issued_on: string | null; is_demo: boolean };
  unit: { id: string | null; name: string; role: Role };
  cooperating: Array<{ name: string; unit_id: string | null }>;
  text: string;
  period: Period;
  status: TaskStatus;
  completed_on: string | null;
  bucket: Bucket;
  /** The deadline in force: extended, followed from a linked directive, or the awaited report's. */
  due: string | null;
  days_overdue: number | null;
  extended_due: string | null;
  depends_on: { directive_id: string; number: string | null; task_id: string | null } | null;
  rhythm: Recurrence | null;
  awaited_period: ReportingPeriod | null;
  missed_periods: ReportingPeriod[];
  last_report: { percentage: number; reported_on: string } | null;
  updated_at: string;
}

export interface DirectiveSummary {
  id: string;
  number: string;
  kind: DirectiveKind;
  title: string;
  issued_on: string | null;
  issuer: string | null;
  issuer_unit_id: string | null;
  language: 'vi' | 'en';
  is_demo: boolean;
  unit_count: number;
  task_count: number;
  counts: BucketCounts;
  created_at: string;
  updated_at: string;
}

export interface DirectiveAssignment {
  id: string;
  position: number;
  unit_name: string;
  unit_id: string | null;
  role: Role;
  cooperating: Array<{ name: string; unit_id: string | null }>;
  tasks: TrackedTask[];
}

export interface DirectiveDetail extends DirectiveSummary {
  unplaced: string[];
  assignments: DirectiveAssignment[];
}

export interface ProgressReport {
  id: string;
  text: string;
  percentage: number;
  period_start: string | null;
  completed_on: string | null;
  reporter_name: string;
  reporter_unit_id: string | null;
  reported_on: string;
  reported_at: string;
  attachments: Array<{ id: string; filename: string; content_type: string; size_bytes: number; sha256: string }>;
}

export interface ExtensionRequest {
  id: string;
  task_id: string;
  current_due: string | null;
  requested_due: string;
  reason: string;
  requester_name: string;
  requested_at: string;
  decision: 'approved' | 'rejected' | null;
  decision_note: string | null;
  decider_name: string | null;
  decided_at: string | null;
}

export interface TaskDetail extends TrackedTask {
  reports: ProgressReport[];
  extensions: ExtensionRequest[];
}

function periodOf(row: TaskRow): Period {
  return {
    text: row.period_text,
    kind: row.period_kind as PeriodKind,
    start: row.period_start,
    due: row.period_due,
    ...(row.recurrence ? { recurrence: row.recurrence as Recurrence } : {}),
  };
}

function ownDue(row: TaskRow): string | null {
  // One level only: a task linked to a dependent task follows that task's own (extended) deadline.
  return effectiveDue({
    kind: row.period_kind === 'dependent' ? 'none' : (row.period_kind as PeriodKind),
    due: row.period_due,
    extendedDue: row.extended_due,
    dependencyDue: null,
  });
}

/**
 * The deadline a dependent task follows: the linked task's, or for a whole linked directive the latest
 * deadline it gives the dependent directive's issuer (the Ministry, in a Prime Minister's telegram), or
 * failing that its latest deadline.
 */
function dependencyDueOf(row: TaskRow, targets: readonly TaskRow[]): string | null {
  if (row.depends_on_task_id) {
    const target = targets.find((task) => task.id === row.depends_on_task_id);
    return target ? ownDue(target) : null;
  }
  if (!row.depends_on_directive_id) return null;
  const ofDirective = targets.filter((task) => task.directive_id === row.depends_on_directive_id);
  const forIssuer = ofDirective.filter(
    (task) => row.directive_issuer_unit_id !== null && task.unit_id === row.directive_issuer_unit_id,
  );
  const dues = (forIssuer.length > 0 ? forIssuer : ofDirective)
    .map(ownDue)
    .filter((due): due is string => due !== null)
    .sort();
  return dues.at(-1) ?? null;
}

/** Tasks with their bucket, deadline in force and reporting state, as of `today` (Vietnam). */
export async function loadTrackedTasks(db: Db, filter: TaskFilter, today = todayInVietnam()): Promise<TrackedTask[]> {
  const rows = await listTaskRows(db, filter);
  if (rows.length === 0) return [];
  const recurring = rows.filter((row) => row.period_kind === 'recurring').map((row) => row.id);
  const periodReports = new Map<string, Map<string, string>>();
  for (const report of await listPeriodReports(db, recurring)) {
    const byPeriod = periodReports.get(report.task_id) ?? new Map<string, string>();
    byPeriod.set(report.period_start, report.first_reported_on);
    periodReports.set(report.task_id, byPeriod);
  }
  const dependents = rows.filter(
    (row) => row.period_kind === 'dependent' && (row.depends_on_task_id || row.depends_on_directive_id),
  );
  const targetTaskIds = dependents.map((row) => row.depends_on_task_id).filter((id): id is string => !!id);
  const targetDirectiveIds = [
    ...new Set(
      dependents
        .filter((row) => !row.depends_on_task_id)
        .map((row) => row.depends_on_directive_id)
        .filter((id): id is string => !!id),
    ),
  ];
  const targets = [
    ...(targetTaskIds.length ? await listTaskRows(db, { taskIds: targetTaskIds }) : []),
    ...(targetDirectiveIds.length ? await listTaskRows(db, { directiveIds: targetDirectiveIds }) : []),
  ];
  const linkedDirectives = new Map(
    (
      await listDirectiveRowsByIds(
        db,
        [...new Set(dependents.map((row) => row.depends_on_directive_id ?? ''))].filter(Boolean),
      )
    ).map((directive) => [directive.id, directive]),
  );
  return rows.map((row) => {
    const period = periodOf(row);
    const status = row.status as TaskStatus;
    const tracking = trackTask(
      {
        kind: period.kind,
        start: row.period_start,
        due: row.period_due,
        recurrence: period.recurrence ?? null,
        status,
        completedOn: row.completed_on,
        extendedDue: row.extended_due,
        dependencyDue: period.kind === 'dependent' ? dependencyDueOf(row, targets) : null,
        issuedOn: row.directive_issued_on,
        periodReports: periodReports.get(row.id) ?? new Map(),
      },
      today,
    );
    return {
      id: row.id,
      seq: row.seq,
      assignment_id: row.assignment_id,
      directive: {
        id: row.directive_id,
        number: row.directive_number,
        title: row.directive_title,
        issued_on: row.directive_issued_on,
        is_demo: row.directive_is_demo,
      },
      unit: { id: row.unit_id, name: row.unit_name, role: row.role as Role },
      // The assignment's cooperating units, then those the task's own text names.
      cooperating: [...new Set([...row.cooperating_names, ...row.task_cooperating_names])].map((name) => ({
        name,
        unit_id: matchUnit(name)?.id ?? null,
      })),
      text: row.text,
      period,
      status,
      completed_on: row.completed_on,
      bucket: tracking.bucket,
      due: tracking.due,
      days_overdue: tracking.daysOverdue,
      extended_due: row.extended_due,
      depends_on: row.depends_on_directive_id
        ? {
            directive_id: row.depends_on_directive_id,
            number: linkedDirectives.get(row.depends_on_directive_id)?.number ?? null,
            task_id: row.depends_on_task_id,
          }
        : null,
      rhythm: tracking.rhythm,
      awaited_period: tracking.awaitedPeriod,
      missed_periods: tracking.missedPeriods,
      last_report:
        row.last_percentage !== null && row.last_reported_on !== null
          ? { percentage: row.last_percentage, reported_on: row.last_reported_on }
          : null,
      updated_at: new Date(row.updated_at).toISOString(),
    };
  });
}

function toSummary(row: DirectiveRow, tasks: readonly TrackedTask[]): DirectiveSummary {
  const own = tasks.filter((task) => task.directive.id === row.id);
  return {
    id: row.id,
    number: row.number,
    kind: row.kind as DirectiveKind,
    title: row.title,
    issued_on: row.issued_on,
    issuer: row.issuer,
    issuer_unit_id: row.issuer_unit_id,
    language: row.language as 'vi' | 'en',
    is_demo: row.is_demo,
    unit_count: new Set(own.map((task) => task.unit.id ?? task.unit.name)).size,
    task_count: own.length,
    counts: countBuckets(own.map((task) => task.bucket)),
    created_at: new Date(row.created_at).toISOString(),
    updated_at: new Date(row.updated_at).toISOString(),
  };
}

/** Every directive with its bucket counts; pass the tracked tasks when the caller has them already. */
export async function listDirectives(
  db: Db,
  today = todayInVietnam(),
  trackedTasks?: readonly TrackedTask[],
): Promise<DirectiveSummary[]> {
  const rows = await listDirectiveRows(db);
  const tasks = trackedTasks ?? (await loadTrackedTasks(db, {}, today));
  return rows.map((row) => toSummary(row, tasks));
}

export async function getDirective(db: Db, id: string, today = todayInVietnam()): Promise<DirectiveDetail> {
  const row = isUuid(id) ? await findDirectiveRowById(db, id) : undefined;
  if (!row) throw notFound({ vi: `Không có văn bản mã ${id}.`, en: `no directive with id ${id}` });
  const tasks = await loadTrackedTasks(db, { directiveIds: [row.id] }, today);
  const assignments = await listAssignmentRows(db, row.id);
  return {
    ...toSummary(row, tasks),
    unplaced: row.unplaced,
    assignments: assignments.map((assignment) => ({
      id: assignment.id,
      position: assignment.position,
      unit_name: assignment.unit_name,
      unit_id: assignment.unit_id,
      role: assignment.role as Role,
      cooperating: assignment.cooperating_names.map((name) => ({ name, unit_id: matchUnit(name)?.id ?? null })),
      tasks: tasks.filter((task) => task.assignment_id === assignment.id),
    })),
  };
}

/** The directive by its number as written or folded ("8598/BCT-TMĐT" or "8598/bct-tmdt"). */
export async function findDirectiveByNumber(db: Db, number: string): Promise<DirectiveRow | undefined> {
  const [row] = await listDirectiveRowsByNumberKeys(db, [directiveNumberKey(number)]);
  return row;
}

/**
 * A task as another module may cite it (a case linking the task it serves): its id, or the directive's number and the
 * task's order in it as people cite it ("8598/BCT-TMĐT#4", "task 4 of 8598"); the task's id, or 400 naming `ref`.
 */
export async function taskReference(db: Db, ref: string): Promise<string> {
  const wanted = ref.trim();
  const cited = /^(.+?)\s*#\s*(\d{1,4})$/.exec(wanted);
  let found: { id: string } | undefined;
  if (isUuid(wanted)) {
    found = await db.selectFrom('directive_tasks').select('id').where('id', '=', wanted).executeTakeFirst();
  } else if (cited) {
    const directive = await findDirectiveByNumber(db, cited[1] as string);
    found = directive
      ? await db
          .selectFrom('directive_tasks')
          .select('id')
          .where('directive_id', '=', directive.id)
          .where('seq', '=', Number(cited[2]))
          .executeTakeFirst()
      : undefined;
  }
  if (found) return found.id;
  throw invalidInput(
    {
      vi: `Không có nhiệm vụ “${wanted}” (mã nhiệm vụ, hoặc số văn bản#thứ tự như 8598/BCT-TMĐT#4)`,
      en: `no task “${wanted}” (a task id, or the document's number#order such as 8598/BCT-TMĐT#4)`,
    },
    'ref',
  );
}

/** The unit, the units it succeeded, and the collective names that cover it ("Báo Công Thương" is one of "the media units"). */
export async function unitIdsCovering(db: Db, unitId: string): Promise<{ unit: Unit; ids: string[] }> {
  const units = await listUnits(db);
  const unit = units.find((candidate) => candidate.id === unitId);
  if (!unit) throw notFound({ vi: `Không có đơn vị mã ${unitId}.`, en: `no unit with id ${unitId}` });
  return {
    unit,
    ids: [
      unit.id,
      // Tasks stored under a unit that ceased (Vụ Thị trường trong nước) are its successor's.
      ...predecessorIdsOf(unit.id),
      ...units.filter((candidate) => candidate.member_ids.includes(unit.id)).map((candidate) => candidate.id),
    ],
  };
}

export interface UnitTasks {
  unit: Unit;
  counts: BucketCounts;
  tasks: TrackedTask[];
}

export async function listUnitTasks(db: Db, unitId: string, today = todayInVietnam()): Promise<UnitTasks> {
  const { unit, ids } = await unitIdsCovering(db, unitId);
  const tasks = await loadTrackedTasks(db, { unitIds: ids }, today);
  return { unit, counts: countBuckets(tasks.map((task) => task.bucket)), tasks };
}

export async function getTrackedTask(db: Db, taskId: string, today = todayInVietnam()): Promise<TrackedTask> {
  const [task] = isUuid(taskId) ? await loadTrackedTasks(db, { taskIds: [taskId] }, today) : [];
  if (!task) throw notFound({ vi: `Không có nhiệm vụ mã ${taskId}.`, en: `no directive task with id ${taskId}` });
  return task;
}

export async function getTaskDetail(db: Db, taskId: string, today = todayInVietnam()): Promise<TaskDetail> {
  const task = await getTrackedTask(db, taskId, today);
  const reports = await listReportRows(db, task.id);
  const attachments = await listAttachmentMeta(
    db,
    reports.map((report) => report.id),
  );
  const extensions = await listExtensionRows(db, { taskId: task.id });
  return {
    ...task,
    reports: reports.map((report) =>
      toProgressReport(
        report,
        attachments.filter((file) => file.report_id === report.id).map(({ report_id: _, ...file }) => file),
      ),
    ),
    extensions: extensions.map(toExtensionRequest),
  };
}

export function toProgressReport(row: ReportRow, attachments: ProgressReport['attachments']): ProgressReport {
  return {
    id: row.id,
    text: row.text,
    percentage: row.percentage,
    period_start: row.period_start,
    completed_on: row.completed_on,
    reporter_name: row.reporter_name,
    reporter_unit_id: row.reporter_unit_id,
    reported_on: row.reported_on,
    reported_at: new Date(row.reported_at).toISOString(),
    attachments,
  };
}

export function toExtensionRequest(row: ExtensionRow): ExtensionRequest {
  return {
    id: row.id,
    task_id: row.task_id,
    current_due: row.current_due,
    requested_due: row.requested_due,
    reason: row.reason,
    requester_name: row.requester_name,
    requested_at: new Date(row.requested_at).toISOString(),
    decision: row.decision as 'approved' | 'rejected' | null,
    decision_note: row.decision_note,
    decider_name: row.decider_name,
    decided_at: row.decided_at ? new Date(row.decided_at).toISOString() : null,
  };
}

export async function listPendingExtensions(db: Db): Promise<ExtensionRequest[]> {
  return (await listExtensionRows(db, { pendingOnly: true })).map(toExtensionRequest);
}

export function unknownExtension(id: string): AppError {
  return notFound({ vi: `Không có đề nghị gia hạn mã ${id}.`, en: `no extension request with id ${id}` });
}

/** One extension request (the decision form's page is its task's). */
export async function getExtensionRequest(db: Db, id: string): Promise<ExtensionRequest> {
  const [row] = isUuid(id) ? await listExtensionRows(db, { id }) : [];
  if (!row) throw unknownExtension(id);
  return toExtensionRequest(row);
}

export async function getAttachment(db: Db, id: string) {
  const file = isUuid(id) ? await findAttachment(db, id) : undefined;
  if (!file) throw notFound({ vi: `Không có tệp đính kèm mã ${id}.`, en: `no attachment with id ${id}` });
  return file;
}

/** The task of a directive by its number and its sequence in the text ("8598/BCT-TMDT", 4). */
export async function findTaskBySeq(db: Db, number: string, seq: number): Promise<string> {
  const directive = await findDirectiveByNumber(db, number);
  if (!directive) throw notFound({ vi: `Không có văn bản số ${number}.`, en: `no directive ${number}` });
  const taskId = await findTaskIdInDirective(db, directive.id, { seq });
  if (!taskId) {
    throw notFound({
      vi: `Văn bản ${directive.number} không có nhiệm vụ ${seq}.`,
      en: `${directive.number} has no task ${seq}`,
    });
  }
  return taskId;
}
