import { createHash } from 'node:crypto';
import { recordAuditEvent } from '../../core/audit.ts';
import type { ActorContext } from '../../core/context.ts';
import { todayInVietnam } from '../../core/dates.ts';
import type { Database, Db } from '../../core/db.ts';
import { AppError, invalidInput, notFound } from '../../core/errors.ts';
import { toNfc } from '../../core/text.ts';
import { listUnits, matchUnit, type Unit, unitNameKey } from '../units/index.ts';
import {
  type Bucket,
  type BucketCounts,
  countBuckets,
  DEFAULT_REPORTING_RHYTHM,
  effectiveDue,
  periodContaining,
  type ReportingPeriod,
  type TaskStatus,
  trackTask,
} from './buckets.ts';
import type { ParsedDirective, Period, PeriodKind, Recurrence, Role } from './directive.schemas.ts';
import {
  type DirectiveRow,
  type ExtensionRow,
  findAttachment,
  findDirectiveRowById,
  listAttachmentMeta,
  listDirectiveRows,
  listDirectiveRowsByIds,
  listDirectiveRowsByNumberKeys,
  listExtensionRows,
  listPeriodReports,
  listReportRows,
  listTaskIdsWithHistory,
  listTaskRows,
  lockDirectiveByNumberKey,
  lockExtensionRow,
  type TaskFilter,
  type TaskRow,
} from './directives.repository.ts';
import { parseDirective } from './parse.ts';
import {
  type DirectiveKind,
  directiveNumberKey,
  fallbackTitle,
  findMentionedNumbers,
  findSubject,
  kindOfDirective,
} from './subject.ts';

/** The longest directive text accepted (characters): the longest real dispatches are a few tens of pages. */
export const MAX_DIRECTIVE_TEXT_CHARS = 200_000;
/** Attachments of progress reports are stored in the database, each at most this big… */
export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;
/** …and at most this many per report. */
export const MAX_ATTACHMENTS_PER_REPORT = 5;
const MAX_REPORT_TEXT_CHARS = 10_000;

// ---------------------------------------------------------------------------------------------
// Shapes
// ---------------------------------------------------------------------------------------------

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

/** Who files a report or a request: the edge (route, CLI) fills it from the signed-in principal. */
export interface Reporter {
  context: ActorContext;
  name: string;
  unitId: string | null;
  /** The secretariat (directives:manage) may record reports for any unit, e.g. bodies outside the Ministry. */
  actsForAnyUnit: boolean;
}

// ---------------------------------------------------------------------------------------------
// Parsing and import
// ---------------------------------------------------------------------------------------------

function assertTextSize(text: string): void {
  if (text.length > MAX_DIRECTIVE_TEXT_CHARS) {
    throw new AppError(
      'payload_too_large',
      `The directive text has ${text.length} characters; at most ${MAX_DIRECTIVE_TEXT_CHARS} are accepted.`,
      { field: 'text' },
    );
  }
}

/** Parses a directive's text (Directive JSON), refusing texts over the size limit. */
export function parseDirectiveText(text: string): ParsedDirective {
  assertTextSize(text);
  return parseDirective(toNfc(text));
}

function detectLanguage(text: string): 'vi' | 'en' {
  const letters = text.replace(/[^\p{L}]/gu, '');
  const vietnamese = letters.replace(/[a-zA-Z]/g, '');
  return letters.length > 0 && vietnamese.length / letters.length > 0.03 ? 'vi' : 'en';
}

export interface ImportDirectiveInput {
  text: string;
  /** Overrides the subject read from the text. */
  title?: string | undefined;
  /** Overrides the kind read from the number. */
  kind?: DirectiveKind | undefined;
  isDemo?: boolean | undefined;
}

export type ImportOutcome = 'created' | 'updated' | 'unchanged';

export interface ImportResult {
  outcome: ImportOutcome;
  directive_id: string;
  number: string;
  units: number;
  tasks: number;
  tasks_added: number;
  tasks_updated: number;
  tasks_removed: number;
  /** Dependent tasks linked to a directive because their text names its number. */
  linked: number;
  unplaced: string[];
}

interface PlannedTask {
  key: string;
  position: number;
  seq: number;
  text: string;
  period: Period;
}

interface PlannedAssignment {
  key: string;
  position: number;
  unit_name: string;
  unit_id: string | null;
  role: Role;
  cooperating_names: string[];
  cooperating_unit_ids: string[];
  tasks: PlannedTask[];
}

/** Keys that identify a unit's assignment and its tasks across re-imports: unit, occurrence, position. */
function assignmentKeys(units: ReadonlyArray<{ unit_id: string | null; unit_name: string }>): string[] {
  const occurrences = new Map<string, number>();
  return units.map((unit) => {
    const unitKey = unit.unit_id ?? unitNameKey(unit.unit_name);
    const occurrence = occurrences.get(unitKey) ?? 0;
    occurrences.set(unitKey, occurrence + 1);
    return `${unitKey}#${occurrence}`;
  });
}

function planAssignments(parsed: ParsedDirective): PlannedAssignment[] {
  const resolved = parsed.assignments.map((assignment) => ({
    assignment,
    unit_id: matchUnit(assignment.unit)?.id ?? null,
    unit_name: assignment.unit,
  }));
  const keys = assignmentKeys(resolved);
  let seq = 0;
  return resolved.map(({ assignment, unit_id, unit_name }, position) => {
    const key = keys[position] as string;
    const cooperating = assignment.cooperating ?? [];
    return {
      key,
      position,
      unit_name,
      unit_id,
      role: assignment.role,
      cooperating_names: cooperating,
      cooperating_unit_ids: [
        ...new Set(cooperating.map((name) => matchUnit(name)?.id).filter((id): id is string => !!id)),
      ],
      tasks: assignment.tasks.map((task, taskPosition) => ({
        key: `${key}/${taskPosition}`,
        position: taskPosition,
        seq: ++seq,
        text: task.text,
        period: task.period,
      })),
    };
  });
}

function sameArray(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}

function taskPeriodColumns(period: Period) {
  return {
    period_text: period.text,
    period_kind: period.kind,
    period_start: period.start,
    period_due: period.due,
    recurrence: period.recurrence ?? null,
  };
}

/**
 * Stores a directive from its text. Idempotent by document number: importing the same text again
 * changes nothing; a changed text (a corrected copy, the other language) updates the directive in
 * place, keeping each task (and its reports) matched by unit and position. A re-import that would
 * drop a task with reports or extension requests is refused.
 */
export async function importDirective(
  database: Database,
  input: ImportDirectiveInput,
  context: ActorContext,
): Promise<ImportResult> {
  const text = toNfc(input.text);
  const parsed = parseDirectiveText(text);
  if (!parsed.number) {
    throw invalidInput(
      'The text gives no document number ("Số: 8598/BCT-TMĐT", "No.: …"). The number identifies a directive, so a text without one cannot be stored.',
      'text',
    );
  }
  const number = parsed.number;
  const numberKey = directiveNumberKey(number);
  const sourceSha256 = createHash('sha256').update(text).digest('hex');
  const language = detectLanguage(text);
  const planned = planAssignments(parsed);
  const taskCount = planned.reduce((sum, assignment) => sum + assignment.tasks.length, 0);

  return database.db.transaction().execute(async (trx) => {
    const existing = await lockDirectiveByNumberKey(trx, numberKey);
    const kind = input.kind ?? (existing?.kind as DirectiveKind | undefined) ?? kindOfDirective(number, text);
    // The subject the text states wins; a title given by hand survives re-imports of a text that states none.
    const title = input.title?.trim() || findSubject(text) || existing?.title || fallbackTitle(kind, number, language);
    const isDemo = input.isDemo ?? existing?.is_demo ?? false;
    const summary = {
      number,
      units: planned.length,
      tasks: taskCount,
      unplaced: parsed.unplaced,
    };
    if (
      existing &&
      existing.source_sha256 === sourceSha256 &&
      existing.title === title &&
      existing.kind === kind &&
      existing.is_demo === isDemo
    ) {
      return {
        outcome: 'unchanged',
        directive_id: existing.id,
        ...summary,
        tasks_added: 0,
        tasks_updated: 0,
        tasks_removed: 0,
        linked: 0,
      };
    }
    const values = {
      number,
      number_key: numberKey,
      kind,
      issued_on: parsed.issued_on,
      issuer: parsed.issuer,
      issuer_unit_id: parsed.issuer ? (matchUnit(parsed.issuer)?.id ?? null) : null,
      title,
      language,
      source_text: text,
      source_sha256: sourceSha256,
      unplaced: parsed.unplaced,
      is_demo: isDemo,
    };
    let directiveId: string;
    if (existing) {
      directiveId = existing.id;
      await trx
        .updateTable('directives')
        .set({ ...values, updated_at: new Date() })
        .where('id', '=', directiveId)
        .execute();
    } else {
      const inserted = await trx
        .insertInto('directives')
        .values({ ...values, imported_by: context.actor })
        .returning('id')
        .executeTakeFirstOrThrow()
        .catch((error: unknown) => {
          // Two first imports of one number at once: the later one is told to try again (it will update).
          if ((error as { code?: string }).code === '23505') {
            throw new AppError(
              'conflict',
              `${number} was imported by someone else just now; import it again to update it.`,
            );
          }
          throw error;
        });
      directiveId = inserted.id;
    }
    const changes = await reconcileAssignments(trx, directiveId, planned);
    const linked = await linkByMentionedNumbers(trx, context);
    const outcome: ImportOutcome = existing ? 'updated' : 'created';
    await recordAuditEvent(trx, context, {
      action: existing ? 'directive.reimport' : 'directive.import',
      entityType: 'directive',
      entityId: directiveId,
      changes: { number, title, kind, source_sha256: sourceSha256, ...changes },
    });
    return { outcome, directive_id: directiveId, ...summary, ...changes, linked };
  });
}

async function reconcileAssignments(
  trx: Db,
  directiveId: string,
  planned: PlannedAssignment[],
): Promise<{ tasks_added: number; tasks_updated: number; tasks_removed: number }> {
  const existingAssignments = await trx
    .selectFrom('directive_assignments')
    .selectAll()
    .where('directive_id', '=', directiveId)
    .orderBy('position')
    .execute();
  const existingKeys = assignmentKeys(existingAssignments);
  const assignmentByKey = new Map(existingAssignments.map((row, index) => [existingKeys[index] as string, row]));
  const existingTasks = await trx
    .selectFrom('directive_tasks')
    .selectAll()
    .where('directive_id', '=', directiveId)
    .execute();
  const keyOfAssignmentId = new Map(existingAssignments.map((row, index) => [row.id, existingKeys[index] as string]));
  const taskByKey = new Map(
    existingTasks.map((row) => [`${keyOfAssignmentId.get(row.assignment_id)}/${row.position}`, row]),
  );

  const keptTaskIds = new Set<string>();
  const keptAssignmentIds = new Set<string>();
  const counts = { tasks_added: 0, tasks_updated: 0, tasks_removed: 0 };
  for (const assignment of planned) {
    const values = {
      position: assignment.position,
      unit_name: assignment.unit_name,
      unit_id: assignment.unit_id,
      role: assignment.role,
      cooperating_names: assignment.cooperating_names,
      cooperating_unit_ids: assignment.cooperating_unit_ids,
    };
    const current = assignmentByKey.get(assignment.key);
    let assignmentId: string;
    if (current) {
      assignmentId = current.id;
      const same =
        current.position === values.position &&
        current.unit_name === values.unit_name &&
        current.unit_id === values.unit_id &&
        current.role === values.role &&
        sameArray(current.cooperating_names, values.cooperating_names) &&
        sameArray(current.cooperating_unit_ids, values.cooperating_unit_ids);
      if (!same) await trx.updateTable('directive_assignments').set(values).where('id', '=', assignmentId).execute();
    } else {
      const inserted = await trx
        .insertInto('directive_assignments')
        .values({ ...values, directive_id: directiveId })
        .returning('id')
        .executeTakeFirstOrThrow();
      assignmentId = inserted.id;
    }
    keptAssignmentIds.add(assignmentId);
    for (const task of assignment.tasks) {
      const period = taskPeriodColumns(task.period);
      const currentTask = taskByKey.get(task.key);
      if (!currentTask) {
        await trx
          .insertInto('directive_tasks')
          .values({
            directive_id: directiveId,
            assignment_id: assignmentId,
            seq: task.seq,
            position: task.position,
            text: task.text,
            ...period,
          })
          .execute();
        counts.tasks_added += 1;
        continue;
      }
      keptTaskIds.add(currentTask.id);
      const same =
        currentTask.seq === task.seq &&
        currentTask.text === task.text &&
        currentTask.period_text === period.period_text &&
        currentTask.period_kind === period.period_kind &&
        currentTask.period_start === period.period_start &&
        currentTask.period_due === period.period_due &&
        currentTask.recurrence === period.recurrence;
      if (same) continue;
      const leavesDependent = currentTask.period_kind === 'dependent' && period.period_kind !== 'dependent';
      await trx
        .updateTable('directive_tasks')
        .set({
          seq: task.seq,
          text: task.text,
          ...period,
          ...(leavesDependent ? { depends_on_directive_id: null, depends_on_task_id: null } : {}),
          updated_at: new Date(),
        })
        .where('id', '=', currentTask.id)
        .execute();
      counts.tasks_updated += 1;
    }
  }

  const droppedTasks = existingTasks.filter((task) => !keptTaskIds.has(task.id));
  const withHistory = await listTaskIdsWithHistory(
    trx,
    droppedTasks.map((task) => task.id),
  );
  if (withHistory.size > 0) {
    const cited = droppedTasks
      .filter((task) => withHistory.has(task.id))
      .map((task) => `task ${task.seq} ("${task.text.slice(0, 60)}…")`);
    throw new AppError(
      'conflict',
      `This text no longer contains ${cited.join(', ')}, which already ${cited.length > 1 ? 'have' : 'has'} progress reports or extension requests; the directive was left as it was.`,
      { field: 'text' },
    );
  }
  if (droppedTasks.length > 0) {
    await trx
      .deleteFrom('directive_tasks')
      .where(
        'id',
        'in',
        droppedTasks.map((task) => task.id),
      )
      .execute();
    counts.tasks_removed = droppedTasks.length;
  }
  const droppedAssignments = existingAssignments.filter((row) => !keptAssignmentIds.has(row.id)).map((row) => row.id);
  if (droppedAssignments.length > 0) {
    await trx.deleteFrom('directive_assignments').where('id', 'in', droppedAssignments).execute();
  }
  return counts;
}

/**
 * Links dependent tasks that are not yet linked to the stored directive their text names ("… theo tiến
 * độ tại Công điện số 105/CĐ-TTg"), else to the one stored directive their document names. Runs at
 * every import, so a telegram imported after the dispatch that follows it is linked too.
 */
async function linkByMentionedNumbers(trx: Db, context: ActorContext): Promise<number> {
  const unlinked = await trx
    .selectFrom('directive_tasks as t')
    .innerJoin('directives as d', 'd.id', 't.directive_id')
    .select(['t.id', 't.text', 't.directive_id', 'd.number_key', 'd.source_text'])
    .where('t.period_kind', '=', 'dependent')
    .where('t.depends_on_directive_id', 'is', null)
    .where('t.depends_on_task_id', 'is', null)
    .execute();
  if (unlinked.length === 0) return 0;
  const mentions = new Map(
    unlinked.map((task) => [
      task.id,
      {
        inTask: findMentionedNumbers(task.text).filter((key) => key !== task.number_key),
        inDocument: findMentionedNumbers(task.source_text).filter((key) => key !== task.number_key),
      },
    ]),
  );
  const allKeys = [...new Set([...mentions.values()].flatMap((found) => [...found.inTask, ...found.inDocument]))];
  const stored = new Map(
    (await listDirectiveRowsByNumberKeys(trx, allKeys)).map((directive) => [directive.number_key, directive]),
  );
  let linked = 0;
  for (const task of unlinked) {
    const found = mentions.get(task.id);
    if (!found) continue;
    const inTask = found.inTask.filter((key) => stored.has(key));
    const inDocument = found.inDocument.filter((key) => stored.has(key));
    const key =
      inTask.length === 1 ? inTask[0] : inTask.length === 0 && inDocument.length === 1 ? inDocument[0] : undefined;
    const target = key ? stored.get(key) : undefined;
    if (!target) continue;
    await trx
      .updateTable('directive_tasks')
      .set({ depends_on_directive_id: target.id, updated_at: new Date() })
      .where('id', '=', task.id)
      .execute();
    await recordAuditEvent(trx, context, {
      action: 'directive_task.link',
      entityType: 'directive_task',
      entityId: task.id,
      changes: {
        depends_on_directive_id: target.id,
        depends_on_number: target.number,
        reason: 'number named in the text',
      },
    });
    linked += 1;
  }
  return linked;
}

// ---------------------------------------------------------------------------------------------
// Tracking
// ---------------------------------------------------------------------------------------------

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
      cooperating: row.cooperating_names.map((name) => ({ name, unit_id: matchUnit(name)?.id ?? null })),
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
  if (!row) throw notFound(`no directive with id ${id}`);
  const tasks = await loadTrackedTasks(db, { directiveIds: [row.id] }, today);
  const assignments = await db
    .selectFrom('directive_assignments')
    .selectAll()
    .where('directive_id', '=', row.id)
    .orderBy('position')
    .execute();
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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** The unit and the collective names that cover it ("Báo Công Thương" is one of "the media units"). */
export async function unitIdsCovering(db: Db, unitId: string): Promise<{ unit: Unit; ids: string[] }> {
  const units = await listUnits(db);
  const unit = units.find((candidate) => candidate.id === unitId);
  if (!unit) throw notFound(`no unit with id ${unitId}`);
  return {
    unit,
    ids: [
      unit.id,
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
  if (!task) throw notFound(`no directive task with id ${taskId}`);
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
    reports: reports.map((report) => ({
      id: report.id,
      text: report.text,
      percentage: report.percentage,
      period_start: report.period_start,
      completed_on: report.completed_on,
      reporter_name: report.reporter_name,
      reporter_unit_id: report.reporter_unit_id,
      reported_on: report.reported_on,
      reported_at: new Date(report.reported_at).toISOString(),
      attachments: attachments.filter((file) => file.report_id === report.id).map(({ report_id: _, ...file }) => file),
    })),
    extensions: extensions.map(toExtensionRequest),
  };
}

function toExtensionRequest(row: ExtensionRow): ExtensionRequest {
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

// ---------------------------------------------------------------------------------------------
// Progress reports, extensions, links
// ---------------------------------------------------------------------------------------------

/** Whether the reporter's unit is the task's unit (or one of a collective's members), or the secretariat. */
export function mayReportOn(
  reporter: Pick<Reporter, 'unitId' | 'actsForAnyUnit'>,
  task: TrackedTask,
  units: readonly Unit[],
): boolean {
  if (reporter.actsForAnyUnit) return true;
  if (!reporter.unitId || !task.unit.id) return false;
  if (reporter.unitId === task.unit.id) return true;
  return units.some((unit) => unit.id === task.unit.id && unit.member_ids.includes(reporter.unitId as string));
}

async function assertMayReport(db: Db, reporter: Reporter, task: TrackedTask): Promise<void> {
  if (!mayReportOn(reporter, task, await listUnits(db))) {
    throw new AppError(
      'forbidden',
      `Task ${task.seq} of ${task.directive.number} is assigned to ${task.unit.name}; only that unit's officers report on it.`,
    );
  }
}

export interface AttachmentInput {
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface ProgressReportInput {
  text: string;
  percentage: number;
  /** The day the work was finished (100 % only); defaults to the day of the report. */
  completedOn?: string | undefined;
  /** Recurring tasks: the start of the period the report is for; defaults to the period awaited. */
  periodStart?: string | undefined;
  attachments?: AttachmentInput[] | undefined;
}

function cleanFilename(name: string): string {
  const base = (name.split(/[\\/]/).pop() ?? '').replace(/[\p{Cc}"]/gu, '').trim();
  return (base || 'attachment').slice(0, 200);
}

function cleanContentType(type: string): string {
  const lowered = type.trim().toLowerCase().split(';')[0] ?? '';
  return /^[a-z0-9][\w.+-]*\/[\w.+-]+$/.test(lowered) ? lowered : 'application/octet-stream';
}

function checkDay(value: string, field: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw invalidInput(`${field}: expected a date YYYY-MM-DD, got "${value}"`, field);
  }
  if (new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value) {
    throw invalidInput(`${field}: ${value} is not a day of the calendar`, field);
  }
  return value;
}

/** Files a progress report; 100 % on a task with a deadline marks it done (on the given day or today). */
export async function addProgressReport(
  database: Database,
  taskId: string,
  input: ProgressReportInput,
  reporter: Reporter,
  today = todayInVietnam(),
): Promise<ProgressReport> {
  const text = toNfc(input.text).trim();
  if (text.length === 0) throw invalidInput('text: describe the progress made', 'text');
  if (text.length > MAX_REPORT_TEXT_CHARS) {
    throw invalidInput(`text: at most ${MAX_REPORT_TEXT_CHARS} characters`, 'text');
  }
  if (!Number.isInteger(input.percentage) || input.percentage < 0 || input.percentage > 100) {
    throw invalidInput('percentage: a whole number from 0 to 100', 'percentage');
  }
  const attachments = input.attachments ?? [];
  if (attachments.length > MAX_ATTACHMENTS_PER_REPORT) {
    throw invalidInput(`attachments: at most ${MAX_ATTACHMENTS_PER_REPORT} files per report`, 'attachments');
  }
  for (const file of attachments) {
    if (file.content.length > MAX_ATTACHMENT_BYTES) {
      throw new AppError(
        'payload_too_large',
        `attachments: ${cleanFilename(file.filename)} is ${file.content.length} bytes; each file may be at most ${MAX_ATTACHMENT_BYTES} bytes`,
        { field: 'attachments' },
      );
    }
  }
  const task = await getTrackedTask(database.db, taskId, today);
  await assertMayReport(database.db, reporter, task);

  let periodStart: string | null = null;
  let completedOn: string | null = null;
  let status: TaskStatus = 'in_progress';
  if (task.period.kind === 'recurring') {
    if (input.completedOn)
      throw invalidInput(
        'completed_on: a recurring task reports each period and is never completed by a report',
        'completed_on',
      );
    const rhythm = task.rhythm ?? DEFAULT_REPORTING_RHYTHM;
    if (input.periodStart) {
      const day = checkDay(input.periodStart, 'period_start');
      if (periodContaining(day, rhythm).start !== day) {
        throw invalidInput(`period_start: ${day} does not start a ${rhythm} reporting period`, 'period_start');
      }
      if (day > today) throw invalidInput('period_start: that period has not begun yet', 'period_start');
      periodStart = day;
    } else {
      const awaited = task.awaited_period;
      periodStart = awaited && awaited.start <= today ? awaited.start : periodContaining(today, rhythm).start;
    }
  } else if (input.percentage === 100) {
    completedOn = input.completedOn ? checkDay(input.completedOn, 'completed_on') : today;
    if (completedOn > today) throw invalidInput('completed_on: cannot be in the future', 'completed_on');
    status = 'done';
  } else if (input.completedOn) {
    throw invalidInput('completed_on: only a report of 100 % completes a task', 'completed_on');
  }

  const report = await database.db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('directive_progress_reports')
      .values({
        task_id: task.id,
        text,
        percentage: input.percentage,
        period_start: periodStart,
        completed_on: completedOn,
        reported_by: reporter.context.actor,
        reporter_name: reporter.name,
        reporter_unit_id: reporter.unitId,
        reported_on: today,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const files = [];
    for (const file of attachments) {
      const stored = await trx
        .insertInto('directive_report_attachments')
        .values({
          report_id: inserted.id,
          filename: cleanFilename(file.filename),
          content_type: cleanContentType(file.contentType),
          size_bytes: file.content.length,
          sha256: createHash('sha256').update(file.content).digest('hex'),
          content: file.content,
        })
        .returning(['id', 'filename', 'content_type', 'size_bytes', 'sha256'])
        .executeTakeFirstOrThrow();
      files.push(stored);
    }
    await trx
      .updateTable('directive_tasks')
      .set({ status, completed_on: completedOn, updated_at: new Date() })
      .where('id', '=', task.id)
      .execute();
    await recordAuditEvent(trx, reporter.context, {
      action: 'directive_task.report',
      entityType: 'directive_task',
      entityId: task.id,
      changes: {
        report_id: inserted.id,
        percentage: input.percentage,
        period_start: periodStart,
        status: [task.status, status],
        completed_on: completedOn,
        attachments: files.map((file) => ({
          filename: file.filename,
          sha256: file.sha256,
          size_bytes: file.size_bytes,
        })),
      },
    });
    return { ...inserted, attachments: files };
  });
  return {
    id: report.id,
    text: report.text,
    percentage: report.percentage,
    period_start: report.period_start,
    completed_on: report.completed_on,
    reporter_name: report.reporter_name,
    reporter_unit_id: report.reporter_unit_id,
    reported_on: report.reported_on,
    reported_at: new Date(report.reported_at).toISOString(),
    attachments: report.attachments,
  };
}

export async function getAttachment(db: Db, id: string) {
  const file = isUuid(id) ? await findAttachment(db, id) : undefined;
  if (!file) throw notFound(`no attachment with id ${id}`);
  return file;
}

/** The assigned unit asks the issuing side for a later deadline; one request may be pending per task. */
export async function requestExtension(
  database: Database,
  taskId: string,
  input: { requestedDue: string; reason: string },
  reporter: Reporter,
  today = todayInVietnam(),
): Promise<ExtensionRequest> {
  const requestedDue = checkDay(input.requestedDue, 'requested_due');
  const reason = toNfc(input.reason).trim();
  if (reason.length === 0) throw invalidInput('reason: say why more time is needed', 'reason');
  if (reason.length > MAX_REPORT_TEXT_CHARS)
    throw invalidInput(`reason: at most ${MAX_REPORT_TEXT_CHARS} characters`, 'reason');
  const task = await getTrackedTask(database.db, taskId, today);
  await assertMayReport(database.db, reporter, task);
  if (task.status === 'done') throw new AppError('conflict', 'The task is done; there is no deadline left to extend.');
  if (task.period.kind === 'recurring' || task.due === null) {
    throw invalidInput('Only a task with a deadline can be extended; this one has none.', 'requested_due');
  }
  if (requestedDue <= task.due) {
    throw invalidInput(`requested_due: must be after the deadline in force (${task.due})`, 'requested_due');
  }
  return database.db.transaction().execute(async (trx) => {
    const pending = await trx
      .selectFrom('directive_extension_requests')
      .select('id')
      .where('task_id', '=', task.id)
      .where('decision', 'is', null)
      .forUpdate()
      .executeTakeFirst();
    if (pending)
      throw new AppError('conflict', 'An extension request for this task is already waiting for a decision.');
    const row = await trx
      .insertInto('directive_extension_requests')
      .values({
        task_id: task.id,
        current_due: task.due,
        requested_due: requestedDue,
        reason,
        requested_by: reporter.context.actor,
        requester_name: reporter.name,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAuditEvent(trx, reporter.context, {
      action: 'directive_task.request_extension',
      entityType: 'directive_task',
      entityId: task.id,
      changes: { extension_id: row.id, current_due: task.due, requested_due: requestedDue },
    });
    return toExtensionRequest(row);
  });
}

/** The issuing side approves (the due date moves) or rejects a pending extension request. */
export async function decideExtension(
  database: Database,
  extensionId: string,
  input: { decision: 'approve' | 'reject'; note?: string | undefined },
  decider: { context: ActorContext; name: string },
): Promise<ExtensionRequest> {
  if (!isUuid(extensionId)) throw notFound(`no extension request with id ${extensionId}`);
  const note = input.note ? toNfc(input.note).trim().slice(0, MAX_REPORT_TEXT_CHARS) || null : null;
  return database.db.transaction().execute(async (trx) => {
    const request = await lockExtensionRow(trx, extensionId);
    if (!request) throw notFound(`no extension request with id ${extensionId}`);
    if (request.decision) throw new AppError('conflict', `This request was already ${request.decision}.`);
    if (request.requested_by === decider.context.actor) {
      throw new AppError('forbidden', 'A request is decided by someone other than the person who made it.');
    }
    const decision = input.decision === 'approve' ? 'approved' : 'rejected';
    const row = await trx
      .updateTable('directive_extension_requests')
      .set({
        decision,
        decision_note: note,
        decided_by: decider.context.actor,
        decider_name: decider.name,
        decided_at: new Date(),
      })
      .where('id', '=', extensionId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await trx
      .updateTable('directive_tasks')
      .set({ updated_at: new Date() })
      .where('id', '=', request.task_id)
      .execute();
    await recordAuditEvent(trx, decider.context, {
      action: `directive_task.extension_${decision}`,
      entityType: 'directive_task',
      entityId: request.task_id,
      changes: {
        extension_id: extensionId,
        due: [request.current_due, decision === 'approved' ? request.requested_due : request.current_due],
      },
    });
    return toExtensionRequest(row);
  });
}

/**
 * Links a dependent task ("as per the progress assigned in the telegram") to the directive it follows,
 * and optionally to one of that directive's tasks; `null` unlinks it.
 */
export async function linkDependentTask(
  database: Database,
  taskId: string,
  target: { directive: string; taskSeq?: number | undefined; taskId?: string | undefined } | null,
  context: ActorContext,
): Promise<TrackedTask> {
  const task = await getTrackedTask(database.db, taskId);
  if (task.period.kind !== 'dependent') {
    throw invalidInput(
      `Task ${task.seq} of ${task.directive.number} has its own period (${task.period.kind}); only a task that follows another document's progress can be linked.`,
      'task_id',
    );
  }
  let directiveId: string | null = null;
  let targetTaskId: string | null = null;
  if (target) {
    const directive = isUuid(target.directive)
      ? await findDirectiveRowById(database.db, target.directive)
      : await findDirectiveByNumber(database.db, target.directive);
    if (!directive) throw notFound(`no directive ${target.directive}; import it first`);
    if (directive.id === task.directive.id) throw invalidInput('A task cannot follow its own directive.', 'directive');
    directiveId = directive.id;
    if (target.taskId || target.taskSeq !== undefined) {
      const found = await database.db
        .selectFrom('directive_tasks')
        .select('id')
        .where('directive_id', '=', directive.id)
        .$if(target.taskId !== undefined, (query) => query.where('id', '=', target.taskId as string))
        .$if(target.taskSeq !== undefined, (query) => query.where('seq', '=', target.taskSeq as number))
        .executeTakeFirst();
      if (!found) throw notFound(`${directive.number} has no such task`);
      targetTaskId = found.id;
    }
  }
  await database.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('directive_tasks')
      .set({ depends_on_directive_id: directiveId, depends_on_task_id: targetTaskId, updated_at: new Date() })
      .where('id', '=', task.id)
      .execute();
    await recordAuditEvent(trx, context, {
      action: directiveId ? 'directive_task.link' : 'directive_task.unlink',
      entityType: 'directive_task',
      entityId: task.id,
      changes: {
        depends_on_directive_id: [task.depends_on?.directive_id ?? null, directiveId],
        depends_on_task_id: [task.depends_on?.task_id ?? null, targetTaskId],
      },
    });
  });
  return getTrackedTask(database.db, task.id);
}

/** The task of a directive by its number and its sequence in the text ("8598/BCT-TMDT", 4). */
export async function findTaskBySeq(db: Db, number: string, seq: number): Promise<string> {
  const directive = await findDirectiveByNumber(db, number);
  if (!directive) throw notFound(`no directive ${number}`);
  const task = await db
    .selectFrom('directive_tasks')
    .select('id')
    .where('directive_id', '=', directive.id)
    .where('seq', '=', seq)
    .executeTakeFirst();
  if (!task) throw notFound(`${directive.number} has no task ${seq}`);
  return task.id;
}
