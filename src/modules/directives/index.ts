/**
 * Directives (issue 4): a dispatch's or telegram's text → units, tasks and implementation periods, and
 * their follow-up — progress reports, the Government Office's four buckets, extensions, dependent
 * deadlines, reminders, dashboards, iCalendar feeds at per-unit secret addresses and CSV/XLSX exports.
 * Other modules use it only through what this file exports.
 */

/** The follow-up rules: buckets, reporting periods, reminders (pure functions of a task and a day). */
export {
  BUCKETS,
  type Bucket,
  type BucketCounts,
  countBuckets,
  DEFAULT_REPORTING_RHYTHM,
  type ReportingPeriod,
  TASK_STATUSES,
  type TaskStatus,
  trackTask,
} from './buckets.ts';
/** The Directive JSON contract (DESIGN.md) and its zod schemas. */
export {
  type Assignment,
  type Directive,
  type DirectiveTask,
  directiveSchema,
  type ParsedDirective,
  PERIOD_KINDS,
  type Period,
  type PeriodKind,
  parsedDirectiveSchema,
  RECURRENCES,
  type Recurrence,
  ROLES,
  type Role,
} from './directive.schemas.ts';
/** `ecomgov directive parse|import|list|export|link|remind`. */
export { registerDirectiveCli } from './directives.cli.ts';
/** Loads Dispatch 8598 with invented progress into a database without directives (`serve` only). */
export { loadDemoDirectives } from './directives.demo.ts';
export { EXPORT_COLUMNS, formatTrackerCsv, formatTrackerXlsx } from './directives.export.ts';
export { buildDeadlineCalendar } from './directives.ics.ts';
/** Importing a directive's text: parsed, stored by document number, reconciled with an earlier import. */
export { type ImportResult, importDirective, parseDirectiveText } from './directives.import.ts';
/** The daily reminder job (serve starts it) and the reminder run it makes. */
export { createDirectiveJobs, type DirectiveJobsOptions } from './directives.jobs.ts';
export { bucketLabel, bucketTone } from './directives.labels.ts';
export {
  DEFAULT_REMINDER_DAYS,
  parseReminderDays,
  type ReminderRun,
  sendDueReminders,
} from './directives.reminders.ts';
/** The API, the officers' pages and the calendar feeds at their secret addresses. */
export { type DirectiveRoutesOptions, registerDirectiveRoutes } from './directives.routes.ts';
/** Text → Directive JSON; throws invalid_input for a structure it does not understand. */
export { type ParseDirectiveOptions, parseDirective } from './parse.ts';
export { DIRECTIVE_KINDS, type DirectiveKind, directiveNumberKey } from './subject.ts';
/** Limits of the inputs (API bodies and forms). */
export {
  MAX_ATTACHMENT_BYTES,
  MAX_ATTACHMENTS_PER_REPORT,
  MAX_DIRECTIVE_TEXT_CHARS,
} from './tracker.schemas.ts';
/** The tracker's reads. */
export {
  type DirectiveDetail,
  type DirectiveSummary,
  type ExtensionRequest,
  getDirective,
  getTaskDetail,
  listDirectives,
  listUnitTasks,
  loadTrackedTasks,
  type ProgressReport,
  type TaskDetail,
  type TrackedTask,
} from './tracker.service.ts';
/** The tracker's writes: progress reports, extension requests and decisions, links of dependent tasks. */
export {
  addProgressReport,
  decideExtension,
  linkDependentTask,
  type Reporter,
  requestExtension,
} from './tracker.writes.ts';
