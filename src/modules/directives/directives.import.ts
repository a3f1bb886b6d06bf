import { createHash } from 'node:crypto';
import { recordAuditEvent } from '../../core/audit.ts';
import type { ActorContext } from '../../core/context.ts';
import type { Database, Db } from '../../core/db.ts';
import { AppError, invalidInput } from '../../core/errors.ts';
import { sha256Hex } from '../../core/hash.ts';
import { toNfc } from '../../core/text.ts';
import { loadWorkingCalendar } from '../calendar/index.ts';
import { matchUnit, unitNameKey } from '../units/index.ts';
import type { ParsedDirective, Period, Role } from './directive.schemas.ts';
import { describeUnplaced } from './directives.labels.ts';
import {
  type AssignmentRow,
  deleteAssignments,
  deleteTasks,
  insertAssignment,
  insertDirective,
  insertTask,
  listAssignmentRows,
  listDirectiveRowsByNumberKeys,
  listStoredTaskRows,
  listTaskIdsWithHistory,
  listUnlinkedDependentTasks,
  lockDirectiveByNumberKey,
  updateAssignment,
  updateDirective,
  updateTask,
} from './directives.repository.ts';
import { parseDirective } from './parse.ts';
import { parseDirectiveOffThread } from './parse-thread.ts';
import {
  type DirectiveKind,
  directiveNumberKey,
  fallbackTitle,
  findMentionedNumbers,
  findSubject,
  kindOfDirective,
} from './subject.ts';
import { MAX_DIRECTIVE_TEXT_CHARS } from './tracker.schemas.ts';

/**
 * Importing a directive: its text parsed, stored idempotently by document number, and reconciled with what
 * a previous import stored (tasks matched by unit and position, so reports stay with their task); dependent
 * tasks linked to the stored directives their text names.
 */

function assertTextSize(text: string): void {
  if (text.length > MAX_DIRECTIVE_TEXT_CHARS) {
    throw new AppError(
      'payload_too_large',
      {
        vi: `Văn bản có ${text.length} ký tự; chỉ nhận tối đa ${MAX_DIRECTIVE_TEXT_CHARS} ký tự.`,
        en: `The directive text has ${text.length} characters; at most ${MAX_DIRECTIVE_TEXT_CHARS} are accepted.`,
      },
      { field: 'text' },
    );
  }
}

/** Parses a directive's text (Directive JSON), refusing texts over the size limit. */
export function parseDirectiveText(text: string): ParsedDirective {
  assertTextSize(text);
  return parseDirective(toNfc(text));
}

/**
 * parseDirectiveText in the parsing thread, within its time budget: for texts a client sends. Periods in working
 * days count on the stored calendar (`calendar` module: the shipped days and those an administrator loaded).
 */
export async function parseDirectiveTextOffThread(db: Db, text: string): Promise<ParsedDirective> {
  assertTextSize(text);
  return parseDirectiveOffThread(toNfc(text), { calendar: await loadWorkingCalendar(db) });
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
  cooperating_names: string[];
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
        cooperating_names: task.cooperating ?? [],
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
function requireNumber(parsed: ParsedDirective): string {
  if (!parsed.number) {
    throw invalidInput(
      {
        vi: 'Văn bản không có số, ký hiệu (“Số: 8598/BCT-TMĐT”). Số văn bản dùng để nhận biết văn bản, nên không lưu được văn bản không có số.',
        en: 'The text gives no document number ("Số: 8598/BCT-TMĐT", "No.: …"). The number identifies a directive, so a text without one cannot be stored.',
      },
      'text',
    );
  }
  return parsed.number;
}

export interface ImportPreview {
  parsed: ParsedDirective;
  /** Names what was previewed (the text and the subject given): a confirmation stores only that. */
  digest: string;
}

/** What the officer confirms: the text as stored (NFC) and the subject typed, if any. */
export function importDigest(input: Pick<ImportDirectiveInput, 'text' | 'title'>): string {
  return createHash('sha256')
    .update(`${toNfc(input.text)}\u0000${input.title?.trim() ?? ''}`)
    .digest('hex');
}

/**
 * Reads a text as an import would, storing nothing: the officer sees the units, tasks, periods and what could not be
 * placed before confirming. Refuses what the import would refuse (no document number, no unit).
 */
export async function previewDirectiveImport(database: Database, input: ImportDirectiveInput): Promise<ImportPreview> {
  const parsed = await parseDirectiveTextOffThread(database.db, toNfc(input.text));
  requireNumber(parsed);
  return { parsed, digest: importDigest(input) };
}

export async function importDirective(
  database: Database,
  input: ImportDirectiveInput,
  context: ActorContext,
): Promise<ImportResult> {
  const text = toNfc(input.text);
  const parsed = await parseDirectiveTextOffThread(database.db, text);
  const number = requireNumber(parsed);
  const numberKey = directiveNumberKey(number);
  const sourceSha256 = sha256Hex(text);
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
      unplaced: parsed.unplaced.map(describeUnplaced),
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
      unplaced: summary.unplaced,
      is_demo: isDemo,
    };
    let directiveId: string;
    if (existing) {
      directiveId = existing.id;
      await updateDirective(trx, directiveId, values);
    } else {
      const inserted = await insertDirective(trx, { ...values, imported_by: context.actor });
      // Two first imports of one number at once: the later one is told to try again (it will update).
      if (!inserted) {
        throw new AppError('conflict', {
          vi: `Văn bản ${number} vừa được người khác nhập; hãy nhập lại để cập nhật.`,
          en: `${number} was imported by someone else just now; import it again to update it.`,
        });
      }
      directiveId = inserted;
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

function sameAssignment(current: AssignmentRow, values: Omit<PlannedAssignment, 'key' | 'tasks'>): boolean {
  return (
    current.position === values.position &&
    current.unit_name === values.unit_name &&
    current.unit_id === values.unit_id &&
    current.role === values.role &&
    sameArray(current.cooperating_names, values.cooperating_names) &&
    sameArray(current.cooperating_unit_ids, values.cooperating_unit_ids)
  );
}

async function reconcileAssignments(
  trx: Db,
  directiveId: string,
  planned: PlannedAssignment[],
): Promise<{ tasks_added: number; tasks_updated: number; tasks_removed: number }> {
  const existingAssignments = await listAssignmentRows(trx, directiveId);
  const existingKeys = assignmentKeys(existingAssignments);
  const assignmentByKey = new Map(existingAssignments.map((row, index) => [existingKeys[index] as string, row]));
  const existingTasks = await listStoredTaskRows(trx, directiveId);
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
      if (!sameAssignment(current, values)) await updateAssignment(trx, assignmentId, values);
    } else {
      assignmentId = await insertAssignment(trx, directiveId, values);
    }
    keptAssignmentIds.add(assignmentId);
    for (const task of assignment.tasks) {
      const period = taskPeriodColumns(task.period);
      const currentTask = taskByKey.get(task.key);
      if (!currentTask) {
        await insertTask(trx, {
          directive_id: directiveId,
          assignment_id: assignmentId,
          seq: task.seq,
          position: task.position,
          text: task.text,
          cooperating_names: task.cooperating_names,
          ...period,
        });
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
        currentTask.recurrence === period.recurrence &&
        sameArray(currentTask.cooperating_names, task.cooperating_names);
      if (same) continue;
      const leavesDependent = currentTask.period_kind === 'dependent' && period.period_kind !== 'dependent';
      await updateTask(trx, currentTask.id, {
        seq: task.seq,
        text: task.text,
        cooperating_names: task.cooperating_names,
        ...period,
        ...(leavesDependent ? { depends_on_directive_id: null, depends_on_task_id: null } : {}),
      });
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
      .map((task) => ({ seq: task.seq, quote: `("${task.text.slice(0, 60)}…")` }));
    throw new AppError(
      'conflict',
      {
        vi: `Văn bản này không còn ${cited.map((task) => `nhiệm vụ ${task.seq} ${task.quote}`).join(', ')}, đã có báo cáo tiến độ hoặc đề nghị gia hạn; văn bản được giữ nguyên.`,
        en: `This text no longer contains ${cited.map((task) => `task ${task.seq} ${task.quote}`).join(', ')}, which already ${cited.length > 1 ? 'have' : 'has'} progress reports or extension requests; the directive was left as it was.`,
      },
      { field: 'text' },
    );
  }
  await deleteTasks(
    trx,
    droppedTasks.map((task) => task.id),
  );
  counts.tasks_removed = droppedTasks.length;
  await deleteAssignments(
    trx,
    existingAssignments.filter((row) => !keptAssignmentIds.has(row.id)).map((row) => row.id),
  );
  return counts;
}

/**
 * Links dependent tasks that are not yet linked to the stored directive their text names ("… theo tiến
 * độ tại Công điện số 105/CĐ-TTg"), else to the one stored directive their document names. Runs at
 * every import, so a telegram imported after the dispatch that follows it is linked too.
 */
async function linkByMentionedNumbers(trx: Db, context: ActorContext): Promise<number> {
  const unlinked = await listUnlinkedDependentTasks(trx);
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
    await updateTask(trx, task.id, { depends_on_directive_id: target.id });
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
