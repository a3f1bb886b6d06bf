import { recordAuditEvent } from '../../core/audit.ts';
import type { ActorContext } from '../../core/context.ts';
import { formatCalendarDate, isCalendarDate, todayInVietnam } from '../../core/dates.ts';
import type { Database, Db } from '../../core/db.ts';
import { AppError, invalidInput } from '../../core/errors.ts';
import { sha256Hex } from '../../core/hash.ts';
import { isUuid } from '../../core/ids.ts';
import { toNfc } from '../../core/text.ts';
import { listUnits, type Unit } from '../units/index.ts';
import { DEFAULT_REPORTING_RHYTHM, periodContaining, type TaskStatus } from './buckets.ts';
import { periodKindLabel, rhythmLabel } from './directives.labels.ts';
import {
  findDirectiveRowById,
  findTaskIdInDirective,
  insertAttachment,
  insertExtension,
  insertReport,
  lockExtensionRow,
  lockPendingExtension,
  recordExtensionDecision,
  updateTask,
} from './directives.repository.ts';
import { MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS_PER_REPORT, MAX_REPORT_TEXT_CHARS } from './tracker.schemas.ts';
import {
  type ExtensionRequest,
  findDirectiveByNumber,
  getTrackedTask,
  type ProgressReport,
  type TrackedTask,
  toExtensionRequest,
  toProgressReport,
  unknownExtension,
} from './tracker.service.ts';

/**
 * The tracker's writes: progress reports (with attachments), extension requests and their decisions, and
 * the link of a dependent task to the document it follows. Each write is one transaction with its audit event.
 */

/** Who files a report or a request: the edge (route, CLI) fills it from the signed-in principal. */
export interface Reporter {
  context: ActorContext;
  name: string;
  unitId: string | null;
  /** The secretariat (directives:manage) may record reports for any unit, e.g. bodies outside the Ministry. */
  actsForAnyUnit: boolean;
}

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
    throw new AppError('forbidden', {
      vi: `Nhiệm vụ ${task.seq} của văn bản ${task.directive.number} được giao cho ${task.unit.name}; chỉ cán bộ của đơn vị đó báo cáo.`,
      en: `Task ${task.seq} of ${task.directive.number} is assigned to ${task.unit.name}; only that unit's officers report on it.`,
    });
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

const TOO_LONG = {
  text: { vi: 'Nội dung báo cáo', en: 'The report' },
  reason: { vi: 'Lý do', en: 'The reason' },
};

function tooLong(field: keyof typeof TOO_LONG): AppError {
  return invalidInput(
    {
      vi: `${TOO_LONG[field].vi} dài quá ${MAX_REPORT_TEXT_CHARS.toLocaleString('vi-VN')} ký tự.`,
      en: `${TOO_LONG[field].en} is longer than ${MAX_REPORT_TEXT_CHARS.toLocaleString('en-US')} characters.`,
    },
    field,
  );
}

/** A day given to the service as YYYY-MM-DD (the API's and the forms' schemas have checked it already). */
function checkDay(value: string, field: string): string {
  if (!isCalendarDate(value)) {
    throw invalidInput(
      {
        vi: `Ngày không hợp lệ: cần một ngày có thật dạng YYYY-MM-DD, nhận được "${value}".`,
        en: `${field}: expected a day YYYY-MM-DD that exists, got "${value}"`,
      },
      field,
    );
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
  if (text.length === 0) {
    throw invalidInput({ vi: 'Hãy mô tả tiến độ đã đạt được.', en: 'Describe the progress made.' }, 'text');
  }
  if (text.length > MAX_REPORT_TEXT_CHARS) throw tooLong('text');
  if (!Number.isInteger(input.percentage) || input.percentage < 0 || input.percentage > 100) {
    throw invalidInput(
      {
        vi: 'Mức độ hoàn thành là một số nguyên từ 0 đến 100.',
        en: 'The completion is a whole number from 0 to 100.',
      },
      'percentage',
    );
  }
  const attachments = input.attachments ?? [];
  if (attachments.length > MAX_ATTACHMENTS_PER_REPORT) {
    throw invalidInput(
      {
        vi: `Mỗi báo cáo có tối đa ${MAX_ATTACHMENTS_PER_REPORT} tệp đính kèm.`,
        en: `A report has at most ${MAX_ATTACHMENTS_PER_REPORT} attachments.`,
      },
      'attachments',
    );
  }
  for (const file of attachments) {
    if (file.content.length > MAX_ATTACHMENT_BYTES) {
      throw new AppError(
        'payload_too_large',
        {
          vi: `Tệp ${cleanFilename(file.filename)} có ${file.content.length} byte; mỗi tệp tối đa ${MAX_ATTACHMENT_BYTES} byte.`,
          en: `${cleanFilename(file.filename)} is ${file.content.length} bytes; each file may be at most ${MAX_ATTACHMENT_BYTES} bytes.`,
        },
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
        {
          vi: 'Nhiệm vụ thường xuyên báo cáo theo từng kỳ, không kết thúc bằng một báo cáo: không ghi ngày hoàn thành.',
          en: 'A recurring task reports each period and is never completed by a report: give no completion day.',
        },
        'completed_on',
      );
    const rhythm = task.rhythm ?? DEFAULT_REPORTING_RHYTHM;
    if (input.periodStart) {
      const day = checkDay(input.periodStart, 'period_start');
      if (periodContaining(day, rhythm).start !== day) {
        throw invalidInput(
          {
            vi: `Ngày ${formatCalendarDate(day)} không phải ngày đầu của một kỳ báo cáo ${rhythmLabel(rhythm).vi}.`,
            en: `${formatCalendarDate(day)} does not start a ${rhythm} reporting period.`,
          },
          'period_start',
        );
      }
      if (day > today) {
        throw invalidInput(
          { vi: 'Kỳ báo cáo đó chưa bắt đầu.', en: 'That reporting period has not begun yet.' },
          'period_start',
        );
      }
      periodStart = day;
    } else {
      const awaited = task.awaited_period;
      periodStart = awaited && awaited.start <= today ? awaited.start : periodContaining(today, rhythm).start;
    }
  } else if (input.percentage === 100) {
    completedOn = input.completedOn ? checkDay(input.completedOn, 'completed_on') : today;
    if (completedOn > today) {
      throw invalidInput(
        {
          vi: 'Ngày hoàn thành không được sau ngày hôm nay.',
          en: 'The completion day cannot be in the future.',
        },
        'completed_on',
      );
    }
    status = 'done';
  } else if (input.completedOn) {
    throw invalidInput(
      {
        vi: 'Chỉ báo cáo 100% mới hoàn thành nhiệm vụ: để trống ngày hoàn thành, hoặc ghi 100%.',
        en: 'Only a report of 100% completes a task: leave the completion day empty, or report 100%.',
      },
      'completed_on',
    );
  }

  return database.db.transaction().execute(async (trx) => {
    const inserted = await insertReport(trx, {
      task_id: task.id,
      text,
      percentage: input.percentage,
      period_start: periodStart,
      completed_on: completedOn,
      reported_by: reporter.context.actor,
      reporter_name: reporter.name,
      reporter_unit_id: reporter.unitId,
      reported_on: today,
    });
    const files = [];
    for (const file of attachments) {
      files.push(
        await insertAttachment(trx, {
          report_id: inserted.id,
          filename: cleanFilename(file.filename),
          content_type: cleanContentType(file.contentType),
          size_bytes: file.content.length,
          sha256: sha256Hex(file.content),
          content: file.content,
        }),
      );
    }
    await updateTask(trx, task.id, { status, completed_on: completedOn });
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
    return toProgressReport(inserted, files);
  });
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
  if (reason.length === 0) {
    throw invalidInput({ vi: 'Hãy nêu lý do cần thêm thời gian.', en: 'Say why more time is needed.' }, 'reason');
  }
  if (reason.length > MAX_REPORT_TEXT_CHARS) throw tooLong('reason');
  const task = await getTrackedTask(database.db, taskId, today);
  await assertMayReport(database.db, reporter, task);
  if (task.status === 'done') {
    throw new AppError('conflict', {
      vi: 'Nhiệm vụ đã hoàn thành; không còn thời hạn để gia hạn.',
      en: 'The task is done; there is no deadline left to extend.',
    });
  }
  if (task.period.kind === 'recurring' || task.due === null) {
    throw invalidInput(
      {
        vi: 'Chỉ gia hạn được nhiệm vụ có thời hạn; nhiệm vụ này không có thời hạn.',
        en: 'Only a task with a deadline can be extended; this one has none.',
      },
      'requested_due',
    );
  }
  if (requestedDue <= task.due) {
    throw invalidInput(
      {
        vi: `Ngày đề nghị gia hạn phải sau hạn hiện hành (${formatCalendarDate(task.due)}).`,
        en: `The new due date must be after the deadline in force (${formatCalendarDate(task.due)}).`,
      },
      'requested_due',
    );
  }
  return database.db.transaction().execute(async (trx) => {
    const pending = await lockPendingExtension(trx, task.id);
    if (pending)
      throw new AppError('conflict', {
        vi: 'Nhiệm vụ này đã có một đề nghị gia hạn đang chờ quyết định.',
        en: 'An extension request for this task is already waiting for a decision.',
      });
    const row = await insertExtension(trx, {
      task_id: task.id,
      current_due: task.due,
      requested_due: requestedDue,
      reason,
      requested_by: reporter.context.actor,
      requester_name: reporter.name,
    });
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
  if (!isUuid(extensionId)) throw unknownExtension(extensionId);
  const note = input.note ? toNfc(input.note).trim().slice(0, MAX_REPORT_TEXT_CHARS) || null : null;
  return database.db.transaction().execute(async (trx) => {
    const request = await lockExtensionRow(trx, extensionId);
    if (!request) throw unknownExtension(extensionId);
    if (request.decision) {
      throw new AppError('conflict', {
        vi: `Đề nghị này đã được quyết định (${request.decision === 'approved' ? 'chấp thuận' : 'không chấp thuận'}).`,
        en: `This request was already ${request.decision}.`,
      });
    }
    if (request.requested_by === decider.context.actor) {
      throw new AppError('forbidden', {
        vi: 'Người đề nghị gia hạn không tự quyết định đề nghị của mình.',
        en: 'A request is decided by someone other than the person who made it.',
      });
    }
    const decision = input.decision === 'approve' ? 'approved' : 'rejected';
    const row = await recordExtensionDecision(trx, extensionId, {
      decision,
      decision_note: note,
      decided_by: decider.context.actor,
      decider_name: decider.name,
    });
    await updateTask(trx, request.task_id, {});
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
      {
        vi: `Nhiệm vụ ${task.seq} của văn bản ${task.directive.number} có thời hạn riêng (${periodKindLabel(task.period.kind).vi}); chỉ liên kết được nhiệm vụ thực hiện theo tiến độ của văn bản khác.`,
        en: `Task ${task.seq} of ${task.directive.number} has its own period (${task.period.kind}); only a task that follows another document's progress can be linked.`,
      },
      'task_id',
    );
  }
  let directiveId: string | null = null;
  let targetTaskId: string | null = null;
  if (target) {
    const directive = isUuid(target.directive)
      ? await findDirectiveRowById(database.db, target.directive)
      : await findDirectiveByNumber(database.db, target.directive);
    if (!directive) {
      // The task exists; what the input names does not: invalid input of that field, as the CLI's --directive.
      throw invalidInput(
        {
          vi: `Không có văn bản ${target.directive}; hãy nhập văn bản đó trước.`,
          en: `no directive ${target.directive}; import it first`,
        },
        'directive',
      );
    }
    if (directive.id === task.directive.id) {
      throw invalidInput(
        {
          vi: 'Nhiệm vụ không thể theo tiến độ của chính văn bản chứa nó.',
          en: 'A task cannot follow its own directive.',
        },
        'directive',
      );
    }
    directiveId = directive.id;
    if (target.taskId || target.taskSeq !== undefined) {
      const found = await findTaskIdInDirective(database.db, directive.id, {
        id: target.taskId,
        seq: target.taskSeq,
      });
      if (!found) {
        throw invalidInput(
          {
            vi: `Văn bản ${directive.number} không có nhiệm vụ ${target.taskSeq ?? 'này'}.`,
            en: `${directive.number} has no ${target.taskSeq === undefined ? 'such task' : `task ${target.taskSeq}`}`,
          },
          'task_seq',
        );
      }
      targetTaskId = found;
    }
  }
  await database.db.transaction().execute(async (trx) => {
    await updateTask(trx, task.id, { depends_on_directive_id: directiveId, depends_on_task_id: targetTaskId });
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
