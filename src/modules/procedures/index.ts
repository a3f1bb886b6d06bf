/**
 * The register's procedures as data (table `legal_procedures`): each with its provision, period in working days,
 * what the period counts from, the deciding unit, effective dates and source status; the clocks of accounts and
 * applications are counted from it.
 */
export { registerProceduresCli } from './procedures.cli.ts';
export { registerProceduresRoutes } from './procedures.routes.ts';
export {
  type ProcedureCode,
  procedureDeadline,
  procedureDeadlineFromDay,
  procedureInForce,
  procedureWorkingDays,
} from './procedures.service.ts';
export {
  isSourceStatus,
  parseSourceStatusOption,
  SOURCE_STATUS_LABELS,
  SOURCE_STATUSES,
  type SourceStatus,
  sourceStatusTag,
} from './source-status.ts';
