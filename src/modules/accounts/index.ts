/**
 * Accounts, roles, sessions and API tokens (issue 3): who may do what. Other modules use:
 * - `config: { permission: 'applications:review' }` on a route; the gate registered by
 *   `registerAccounts` (before every module's routes) refuses everyone else;
 * - `getPrincipal`/`requirePrincipal`, `can`, `actorContextOf` for writes, `csrfField` in every form
 *   that posts, `headerAccountOf` for the page header;
 * - `listUnitOfficerEmails`, `findOrganisationOfBusiness`;
 * - the claims to organisations (issue 9): a business acts for its organisation only once it is verified
 *   (`principal.organisationVerified`, checked by the `business` grant of every business permission).
 */
export { registerAccountsCli } from './accounts.cli.ts';
export { accountsJobs } from './accounts.jobs.ts';
export {
  actorContextOf,
  csrfField,
  getPrincipal,
  headerAccountOf,
  registerWorkbenchLink,
  requirePrincipal,
  sendLocalizedPage,
} from './accounts.plugin.ts';
export { registerAccounts } from './accounts.routes.ts';
export { actorNames, findOrganisationOfBusiness, listUnitOfficerEmails } from './accounts.service.ts';
export { registerAuditCli } from './audit.cli.ts';
export { registerOrganisationsCli } from './organisations.cli.ts';
export { detectErcFileType } from './organisations.service.ts';
export { can } from './permissions.ts';
export { listApiTokens } from './tokens.service.ts';
