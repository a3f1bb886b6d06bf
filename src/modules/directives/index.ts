/**
 * Directives (issue 4): a dispatch's or telegram's text → units, tasks and implementation periods, and
 * their follow-up — progress reports, the Government Office's four buckets, extensions, dependent
 * deadlines, reminders, dashboards, iCalendar feeds at per-unit secret addresses and CSV/XLSX exports.
 * Other modules use it only through what this file exports.
 */

/** `ecomgov directive parse|import|list|export|link|remind`. */
export { registerDirectiveCli } from './directives.cli.ts';
/** Loads Dispatch 8598 with invented progress into a database without directives (`serve` only). */
export { loadDemoDirectives } from './directives.demo.ts';
/** The daily reminder job (serve starts it). */
export { createDirectiveJobs } from './directives.jobs.ts';
/** The API, the officers' pages and the calendar feeds at their secret addresses. */
export { registerDirectiveRoutes } from './directives.routes.ts';
/** A task as a case cites it (id, or "8598/BCT-TMĐT#4"). */
export { taskReference } from './tracker.service.ts';
