/**
 * The periodic report of registered e-commerce service platforms (issue 10; `legal_procedures` row
 * `periodic_report`): before a day of January each year, the platform's owner reports the previous year's figures.
 * When it is due (`annual_report_deadlines`) and what it contains (`annual_report_fields`, a kind of the legal grounds
 * so an administrator corrects it with `ecomgov grounds set CODE --kind annual_report_field`) are data citing their
 * sources. The business files or amends its report in its account; the E-Commerce Agency sees, per year, who reported
 * on time, late, or not at all.
 */
import { recordAuditEvent } from '../../core/audit.ts';
import type { ActorContext } from '../../core/context.ts';
import { todayInVietnam } from '../../core/dates.ts';
import type { Db } from '../../core/db.ts';
import { AppError, conflict, type FieldIssue, invalidInput, notFound } from '../../core/errors.ts';
import type { Localized } from '../../core/i18n.ts';
import { toNfc } from '../../core/text.ts';
import { addCalendarDays } from '../../core/working-days.ts';
import type { SourceStatus } from '../procedures/index.ts';
import {
  getPlatform,
  listPlatformsWithStatus,
  PLATFORM_KINDS,
  type Platform,
  type PlatformKind,
  type PlatformStatus,
} from '../registry/index.ts';
import {
  type AnnualReportRow,
  insertReportRow,
  lockReportRow,
  selectDeadlineRowInForce,
  selectReportRowsOfPlatform,
  selectReportRowsOfYear,
  updateReportRow,
} from './annual-reports.repository.ts';
import { type Applicant, type ApplicationsContext, applicationTypeForKind, nowOf } from './applications.service.ts';
import { type LegalGround, listGroundsInForceOn } from './legal-grounds.ts';
import { isOwner } from './registration.service.ts';

/** Registered kinds report; an own sales site (notified) does not. */
export const REPORTING_KINDS: readonly PlatformKind[] = PLATFORM_KINDS.filter(
  (kind) => applicationTypeForKind(kind) === 'registration',
);
/** Statuses in which a platform is on the register as registered (suspension does not lift the duty). */
const REPORTING_STATUSES: readonly PlatformStatus[] = ['registered', 'suspended'];

export const ANNUAL_REPORT_STATES = ['filed_on_time', 'filed_late', 'overdue', 'due'] as const;
export type AnnualReportState = (typeof ANNUAL_REPORT_STATES)[number];

export const ANNUAL_REPORT_STATE_LABELS: Record<AnnualReportState, Localized> = {
  filed_on_time: { vi: 'Đã báo cáo đúng hạn', en: 'Filed on time' },
  filed_late: { vi: 'Đã báo cáo trễ hạn', en: 'Filed late' },
  overdue: { vi: 'Quá hạn, chưa báo cáo', en: 'Overdue, not filed' },
  due: { vi: 'Chưa đến hạn, chưa báo cáo', en: 'Not yet due, not filed' },
};

/** The largest figure accepted: well above any count a platform could report, and exact in a JSON number. */
const MAX_FIGURE = 1e15;

export interface AnnualReportDeadline {
  /** The reported year. */
  year: number;
  /** The last day ('YYYY-MM-DD', Vietnam) on which a report is on time. */
  lastDay: string;
  /** The day the rule names ("trước ngày 15 tháng 01"), and whether that day is itself on time. */
  namedDay: string;
  namedDayIncluded: boolean;
  provision: string;
  source_url: string;
  source_status: SourceStatus;
  note: string;
}

export interface AnnualReport {
  id: string;
  platform_id: string;
  year: number;
  figures: Record<string, number>;
  note: string;
  filed_by: string;
  filed_at: Date;
  amended_at: Date | null;
  /** Whether the first filing was on or before the deadline's last day (Vietnam time). */
  on_time: boolean;
}

function reportOfRow(row: AnnualReportRow, deadline: AnnualReportDeadline): AnnualReport {
  return { ...row, on_time: todayInVietnam(row.filed_at) <= deadline.lastDay };
}

/** The first day of the year after `year`: the day on which the deadline rule and the fields are read. */
function readingDay(year: number): string {
  return `${year + 1}-01-01`;
}

function checkYear(year: number): void {
  if (!Number.isInteger(year) || year < 2000 || year > 2999) {
    throw invalidInput({ vi: 'Năm báo cáo không hợp lệ', en: 'the year must be a four-digit year' }, 'year');
  }
}

/** When the report of `year` is due, by the rule in force on 1 January of the following year. */
export async function annualReportDeadline(db: Db, year: number): Promise<AnnualReportDeadline> {
  checkYear(year);
  const row = await selectDeadlineRowInForce(db, readingDay(year));
  if (!row) {
    throw invalidInput(
      {
        vi: `Không có quy định về báo cáo định kỳ cho năm ${year}`,
        en: `no rule on periodic reports is in force for the year ${year}`,
      },
      'year',
    );
  }
  const pad = (value: number) => String(value).padStart(2, '0');
  const namedDay = `${year + 1}-${pad(row.due_month)}-${pad(row.due_day)}`;
  return {
    year,
    lastDay: row.due_day_included ? namedDay : addCalendarDays(namedDay, -1),
    namedDay,
    namedDayIncluded: row.due_day_included,
    provision: row.provision,
    source_url: row.source_url,
    source_status: row.source_status,
    note: row.note,
  };
}

/** The figures a report of `year` contains (the fields in force on 1 January of the following year). */
export function annualReportFields(db: Db, year: number): Promise<LegalGround[]> {
  checkYear(year);
  return listGroundsInForceOn(db, 'annual_report_field', readingDay(year));
}

export function annualReportState(
  report: AnnualReport | undefined,
  deadline: AnnualReportDeadline,
  now: Date,
): AnnualReportState {
  if (report) return report.on_time ? 'filed_on_time' : 'filed_late';
  return todayInVietnam(now) > deadline.lastDay ? 'overdue' : 'due';
}

/**
 * Whether the platform owes periodic reports: a registered kind, on the register with a number; with `year`, also
 * registered before that year ended.
 */
export function owesAnnualReports(platform: Platform, year?: number): boolean {
  if (!REPORTING_KINDS.includes(platform.kind) || platform.registration_no === null) return false;
  return year === undefined || platform.valid_from === null || platform.valid_from <= `${year}-12-31`;
}

export interface AnnualReportOverview {
  year: number;
  deadline: AnnualReportDeadline;
  fields: LegalGround[];
  rows: Array<{ platform: Platform; report: AnnualReport | undefined; state: AnnualReportState }>;
  counts: Record<AnnualReportState, number>;
}

/**
 * Every platform registered today (registered or suspended) with its report of `year` and its state, by name; and the
 * reports filed for that year by platforms no longer registered. A platform registered after the year ended owes none.
 */
export async function annualReportOverview(
  context: ApplicationsContext,
  year: number,
  filter: { state?: AnnualReportState | undefined } = {},
): Promise<AnnualReportOverview> {
  const db = context.database.db;
  const now = nowOf(context);
  const deadline = await annualReportDeadline(db, year);
  const [fields, platforms, reportRows] = await Promise.all([
    annualReportFields(db, year),
    listPlatformsWithStatus(db, REPORTING_STATUSES, REPORTING_KINDS),
    selectReportRowsOfYear(db, year),
  ]);
  const reports = new Map(reportRows.map((row) => [row.platform_id, reportOfRow(row, deadline)]));
  const owing = platforms.filter((platform) => owesAnnualReports(platform, year));
  const listed = new Set(owing.map((platform) => platform.id));
  const others = await Promise.all(
    reportRows.filter((row) => !listed.has(row.platform_id)).map((row) => getPlatform(db, row.platform_id)),
  );
  const counts = Object.fromEntries(ANNUAL_REPORT_STATES.map((state) => [state, 0])) as Record<
    AnnualReportState,
    number
  >;
  const rows = [...owing, ...others].map((platform) => {
    const report = reports.get(platform.id);
    const state = annualReportState(report, deadline, now);
    counts[state] += 1;
    return { platform, report, state };
  });
  return {
    year,
    deadline,
    fields,
    rows: filter.state ? rows.filter((row) => row.state === filter.state) : rows,
    counts,
  };
}

/** The reports a platform filed, newest year first. */
export async function listAnnualReportsOfPlatform(db: Db, platformId: string): Promise<AnnualReport[]> {
  const rows = await selectReportRowsOfPlatform(db, platformId);
  const deadlines = new Map<number, AnnualReportDeadline>();
  for (const row of rows) {
    if (!deadlines.has(row.year)) deadlines.set(row.year, await annualReportDeadline(db, row.year));
  }
  return rows.map((row) => reportOfRow(row, deadlines.get(row.year) as AnnualReportDeadline));
}

export interface AnnualReportInput {
  year: number;
  /** By field code; form input arrives as text. */
  figures: Record<string, number | string | undefined>;
  note?: string | undefined;
}

/**
 * The figures of `input` checked against the fields in force: each required, a whole number ≥ 0, none unknown, a part
 * not above its whole. Every problem is reported at once, each naming its field (`figures.<code>`).
 */
function checkFigures(fields: readonly LegalGround[], input: AnnualReportInput['figures']): Record<string, number> {
  const issues: FieldIssue[] = [];
  const known = new Set(fields.map((field) => field.code));
  for (const code of Object.keys(input)) {
    if (!known.has(code)) {
      issues.push({
        field: `figures.${code}`,
        message: { vi: `Chỉ tiêu “${code}” không có trong mẫu báo cáo`, en: `“${code}” is not a figure of the report` },
      });
    }
  }
  const figures: Record<string, number> = {};
  for (const field of fields) {
    const raw = input[field.code];
    // Typed in a form as "1.250.000" or "1 250 000": the separators are the reader's, not the number's.
    const text = typeof raw === 'string' ? raw.replace(/[\s.,]/g, '') : raw;
    const value = typeof text === 'string' ? (/^\d+$/.test(text) ? Number(text) : Number.NaN) : text;
    if (value === undefined || text === '') {
      issues.push({
        field: `figures.${field.code}`,
        message: { vi: `Chưa nhập “${field.label.vi}”`, en: `${field.label.en} is required` },
      });
    } else if (!Number.isInteger(value) || value < 0 || value > MAX_FIGURE) {
      issues.push({
        field: `figures.${field.code}`,
        message: {
          vi: `“${field.label.vi}” phải là số nguyên không âm`,
          en: `${field.label.en} must be a whole number, 0 or more`,
        },
      });
    } else {
      figures[field.code] = value;
    }
  }
  // A part cannot exceed its whole; checked only where all its figures are in the report and valid.
  const parts: ReadonlyArray<[readonly string[], string]> = [
    [['sellers_new'], 'sellers_total'],
    [['products_new'], 'products_total'],
    [['orders_successful', 'orders_failed'], 'orders_total'],
  ];
  const labelOf = (code: string) => fields.find((field) => field.code === code)?.label as Localized;
  for (const [partCodes, wholeCode] of parts) {
    const whole = figures[wholeCode];
    if (whole === undefined || partCodes.some((code) => figures[code] === undefined)) continue;
    const sum = partCodes.reduce((total, code) => total + (figures[code] ?? 0), 0);
    if (sum > whole) {
      issues.push({
        field: `figures.${partCodes[0]}`,
        message: {
          vi: `${partCodes.map((code) => `“${labelOf(code).vi}”`).join(' và ')} không thể lớn hơn “${labelOf(wholeCode).vi}”`,
          en: `${partCodes.map((code) => labelOf(code).en).join(' plus ')} cannot exceed ${labelOf(wholeCode).en}`,
        },
      });
    }
  }
  const [first] = issues;
  if (first) {
    throw new AppError('invalid_input', first.message, { field: first.field, issues });
  }
  return figures;
}

/**
 * Files the report of a year for one's own registered platform, or amends the one filed (its first filing time
 * stays: it decides whether the report was on time). Audited in the transaction.
 */
export async function fileAnnualReport(
  context: ApplicationsContext,
  applicant: Applicant,
  platformId: string,
  input: AnnualReportInput,
  actor: ActorContext,
): Promise<AnnualReport> {
  const db = context.database.db;
  const now = nowOf(context);
  const year = Number(input.year);
  checkYear(year);
  if (year >= Number(todayInVietnam(now).slice(0, 4))) {
    throw invalidInput(
      { vi: `Năm ${year} chưa kết thúc: chỉ báo cáo năm đã qua`, en: `the year ${year} is not over yet` },
      'year',
    );
  }
  const deadline = await annualReportDeadline(db, year);
  const figures = checkFigures(await annualReportFields(db, year), input.figures);
  const note = toNfc(input.note ?? '').trim();
  if (note.length > 4000) {
    throw invalidInput(
      { vi: 'Ghi chú quá dài (tối đa 4.000 ký tự)', en: 'the note is too long (4,000 at most)' },
      'note',
    );
  }
  return db.transaction().execute(async (trx) => {
    const platform = await getPlatform(trx, platformId, { lock: true });
    if (!isOwner(platform, applicant.organisationTaxCode)) {
      throw notFound({ vi: 'Không có nền tảng này', en: `no platform with id ${platformId}` });
    }
    if (!owesAnnualReports(platform)) {
      throw conflict({
        vi: 'Chỉ nền tảng cung cấp dịch vụ thương mại điện tử đã đăng ký mới báo cáo định kỳ',
        en: 'only a registered e-commerce service platform files periodic reports',
      });
    }
    if (!owesAnnualReports(platform, year)) {
      throw conflict(
        {
          vi: `Nền tảng được đăng ký sau năm ${year}: không báo cáo năm này`,
          en: `the platform was registered after ${year} ended: it owes no report for that year`,
        },
        'year',
      );
    }
    const before = await lockReportRow(trx, platformId, year);
    const row = before
      ? await updateReportRow(trx, before.id, { figures, note, amended_at: now })
      : await insertReportRow(trx, {
          platform_id: platformId,
          year,
          figures,
          note,
          filed_by: actor.actor,
          filed_at: now,
        });
    await recordAuditEvent(trx, actor, {
      action: before ? 'annual_report.amend' : 'annual_report.file',
      entityType: 'annual_report',
      entityId: row.id,
      changes: {
        platform_id: platformId,
        year,
        figures: before ? [before.figures, figures] : figures,
        ...(note !== (before?.note ?? '') ? { note } : {}),
      },
    });
    return reportOfRow(row, deadline);
  });
}
