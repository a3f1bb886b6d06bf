/**
 * The register's procedures as data (issue 10): each procedure's provision, period in working days, what the period
 * counts from, the unit that decides, its effective dates and how sure its source is, in table `legal_procedures`.
 * Every clock of the register (account verification, notification, registration, change of information,
 * re-registration) is counted from the row in force on the day the clock starts, over the stored working calendar;
 * an administrator changes a row with `ecomgov procedures set` (audited) and the next deadline follows.
 */

import { recordAuditEvent } from '../../core/audit.ts';
import type { ActorContext } from '../../core/context.ts';
import { todayInVietnam } from '../../core/dates.ts';
import type { Database, Db } from '../../core/db.ts';
import { conflict, invalidInput, notFound } from '../../core/errors.ts';
import type { Localized } from '../../core/i18n.ts';
import { boundedText } from '../../core/validation.ts';
import {
  addWorkingDays,
  endOfVietnamDay,
  type WorkingCalendar,
  type WorkingDeadline,
} from '../../core/working-days.ts';
import { loadWorkingCalendar } from '../calendar/index.ts';
import { findUnit } from '../units/index.ts';
import {
  type LegalProcedureRow,
  selectProcedureInForce,
  selectProcedures,
  updateProcedureRow,
} from './procedures.repository.ts';
import type { SourceStatus } from './procedures.table.ts';
import { SOURCE_STATUSES } from './source-status.ts';

/** The procedures the code counts clocks for (rows of the seed migration; others may be added as data). */
export type ProcedureCode =
  | 'account_verification'
  | 'notification'
  | 'registration'
  | 'change'
  | 'change_report'
  | 'termination'
  | 'cancellation'
  | 'reregistration'
  | 'periodic_report'
  | 'supplement'
  | 'appeal_acceptance'
  | 'appeal_resolution';

export interface LegalProcedure {
  id: number;
  code: string;
  name: Localized;
  provision: string;
  sourceUrl: string;
  workingDays: number | null;
  clockFrom: Localized;
  decidingUnitId: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  sourceStatus: SourceStatus;
  note: string;
  updatedBy: string;
  updatedAt: Date;
}

function procedureOfRow(row: LegalProcedureRow): LegalProcedure {
  return {
    id: row.id,
    code: row.code,
    name: { vi: row.name_vi, en: row.name_en },
    provision: row.provision,
    sourceUrl: row.source_url,
    workingDays: row.working_days,
    clockFrom: { vi: row.clock_from_vi, en: row.clock_from_en },
    decidingUnitId: row.deciding_unit_id,
    effectiveFrom: row.effective_from,
    effectiveTo: row.effective_to,
    sourceStatus: row.source_status,
    note: row.note,
    updatedBy: row.updated_by,
    updatedAt: row.updated_at,
  };
}

/** Every row, by code then start date. */
export async function listProcedures(db: Db): Promise<LegalProcedure[]> {
  return (await selectProcedures(db)).map(procedureOfRow);
}

function noProcedure(code: string, day: string) {
  return notFound({
    vi: `Không có quy định thủ tục “${code}” có hiệu lực ngày ${day}`,
    en: `no procedure "${code}" is in force on ${day}`,
  });
}

/** The row of `code` in force on a day (Vietnam calendar day, YYYY-MM-DD). */
export async function procedureInForce(db: Db, code: string, day: string): Promise<LegalProcedure> {
  const row = await selectProcedureInForce(db, code, day);
  if (!row) throw noProcedure(code, day);
  return procedureOfRow(row);
}

/** The period in working days of `code` in force on the day of `at`; a procedure without one is refused. */
export async function procedureWorkingDays(db: Db, code: ProcedureCode, at: Date = new Date()): Promise<number> {
  return periodOf(await procedureInForce(db, code, todayInVietnam(at)));
}

function periodOf(procedure: LegalProcedure): number {
  if (procedure.workingDays === null) {
    throw conflict({
      vi: `Thủ tục “${procedure.name.vi}” không có thời hạn tính theo ngày làm việc`,
      en: `the procedure "${procedure.name.en}" sets no period in working days`,
    });
  }
  return procedure.workingDays;
}

export interface ProcedureDeadline extends WorkingDeadline {
  workingDays: number;
  procedure: LegalProcedure;
}

/**
 * The deadline of procedure `code` whose clock starts at `from`: its period in working days (the row in force on
 * the day of `from`) after that day, on the stored working calendar (or `options.calendar`, already read).
 */
export async function procedureDeadline(
  db: Db,
  code: ProcedureCode,
  from: Date,
  options: { calendar?: WorkingCalendar } = {},
): Promise<ProcedureDeadline> {
  return procedureDeadlineFromDay(db, code, todayInVietnam(from), options);
}

/** As `procedureDeadline`, for a clock that starts on a calendar day (the day information changed). */
export async function procedureDeadlineFromDay(
  db: Db,
  code: ProcedureCode,
  day: string,
  options: { calendar?: WorkingCalendar } = {},
): Promise<ProcedureDeadline> {
  const procedure = await procedureInForce(db, code, day);
  const workingDays = periodOf(procedure);
  const calendar = options.calendar ?? (await loadWorkingCalendar(db));
  const dueOn = addWorkingDays(calendar, day, workingDays);
  return { dueOn, deadlineAt: endOfVietnamDay(dueOn), workingDays, procedure };
}

export interface ProcedureChange {
  /** A number of working days, or null for "the law sets none". */
  workingDays?: number | null | undefined;
  provision?: string | undefined;
  sourceUrl?: string | undefined;
  sourceStatus?: SourceStatus | undefined;
  note?: string | undefined;
  decidingUnitId?: string | undefined;
  effectiveTo?: string | null | undefined;
}

/**
 * Changes the row of `code` in force today (an administrator's correction of the data, not of the code): audited
 * with what it was and what it became, in one transaction. Deadlines computed afterwards use the new values;
 * deadlines already set stay as they were set.
 */
export async function setProcedure(
  database: Database,
  context: ActorContext,
  code: string,
  change: ProcedureChange,
  now: Date = new Date(),
): Promise<LegalProcedure> {
  const patch: Record<string, unknown> = {};
  if (change.workingDays !== undefined) {
    if (
      change.workingDays !== null &&
      (!Number.isInteger(change.workingDays) || change.workingDays < 1 || change.workingDays > 365)
    ) {
      throw invalidInput(
        {
          vi: 'Số ngày làm việc phải là số nguyên từ 1 đến 365',
          en: 'working days must be a whole number from 1 to 365',
        },
        'working_days',
      );
    }
    patch.working_days = change.workingDays;
  }
  if (change.provision !== undefined) {
    const provision = boundedText(change.provision, 'provision', 500);
    if (!provision)
      throw invalidInput({ vi: 'Căn cứ pháp lý không được trống', en: 'provision is required' }, 'provision');
    patch.provision = provision;
  }
  if (change.sourceUrl !== undefined) patch.source_url = boundedText(change.sourceUrl, 'source_url', 1000);
  if (change.sourceStatus !== undefined) {
    if (!SOURCE_STATUSES.includes(change.sourceStatus)) {
      throw invalidInput(
        {
          vi: `Tình trạng nguồn phải là một trong: ${SOURCE_STATUSES.join(', ')}`,
          en: `status must be one of: ${SOURCE_STATUSES.join(', ')}`,
        },
        'status',
      );
    }
    patch.source_status = change.sourceStatus;
  }
  if (change.note !== undefined) patch.note = boundedText(change.note, 'note', 4000);
  if (change.effectiveTo !== undefined) {
    if (change.effectiveTo !== null && !/^\d{4}-\d{2}-\d{2}$/.test(change.effectiveTo)) {
      throw invalidInput(
        { vi: 'Ngày hết hiệu lực phải có dạng YYYY-MM-DD', en: 'effective_to must be YYYY-MM-DD' },
        'effective_to',
      );
    }
    patch.effective_to = change.effectiveTo;
  }
  if (Object.keys(patch).length === 0 && change.decidingUnitId === undefined) {
    throw invalidInput({ vi: 'Không có nội dung nào để sửa', en: 'nothing to change' }, 'code');
  }
  const today = todayInVietnam(now);
  return database.db.transaction().execute(async (trx) => {
    if (change.decidingUnitId !== undefined) {
      if (!(await findUnit(trx, change.decidingUnitId))) {
        throw invalidInput(
          { vi: `Không có đơn vị ${change.decidingUnitId}`, en: `no unit with id ${change.decidingUnitId}` },
          'unit',
        );
      }
      patch.deciding_unit_id = change.decidingUnitId;
    }
    const before = await selectProcedureInForce(trx, code, today, { lock: true });
    if (!before) throw noProcedure(code, today);
    if (typeof patch.effective_to === 'string' && patch.effective_to < before.effective_from) {
      throw invalidInput(
        { vi: 'Ngày hết hiệu lực trước ngày có hiệu lực', en: 'effective_to is before effective_from' },
        'effective_to',
      );
    }
    const after = await updateProcedureRow(trx, before.id, { ...patch, updated_by: context.actor });
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const key of Object.keys(patch) as Array<keyof LegalProcedureRow>) {
      if (before[key] !== after[key]) changes[key] = { from: before[key], to: after[key] };
    }
    await recordAuditEvent(trx, context, {
      action: 'procedure.set',
      entityType: 'legal_procedure',
      entityId: `${before.code}@${before.effective_from}`,
      changes,
    });
    return procedureOfRow(after);
  });
}
