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
  CSRF_COOKIE,
  CSRF_FIELD,
  CSRF_HEADER,
  csrfField,
  csrfTokenOf,
  getPrincipal,
  headerAccountOf,
  listProtectedRoutes,
  type ProtectedRoute,
  registerWorkbenchLink,
  requirePrincipal,
  SESSION_COOKIE,
} from './accounts.plugin.ts';
export { registerAccounts } from './accounts.routes.ts';
export {
  type Account,
  type BusinessOrganisation,
  confirmTotpEnrolment,
  createAdmin,
  createOfficer,
  findAccount,
  findAccountByEmail,
  findOrganisationOfBusiness,
  getAccount,
  listAccounts,
  listUnitOfficerEmails,
  setAccountActive,
  startTotpEnrolment,
} from './accounts.service.ts';
export { registerAuditCli } from './audit.cli.ts';
export { LOGIN_POLICY, logIn, SESSION_POLICY } from './auth.service.ts';
export { registerOrganisationsCli } from './organisations.cli.ts';
export {
  ACCOUNT_VERIFICATION_WORKING_DAYS,
  type ClaimDecision,
  decideClaim,
  detectErcFileType,
  fileOrganisationClaim,
  getClaim,
  listClaimQueue,
  MAX_ERC_FILE_BYTES,
  type OrganisationClaim,
  verifyOrganisationForSetup,
} from './organisations.service.ts';
export {
  ACCOUNT_KINDS,
  type AccountKind,
  can,
  isPermission,
  OFFICER_ROLES,
  type OfficerRole,
  PERMISSION_MATRIX,
  PERMISSIONS,
  type Permission,
  type Principal,
  TOKEN_SCOPES,
  type TokenScope,
} from './permissions.ts';
export { confirmAccountEmail, signUpBusiness } from './signup.service.ts';
export { type ApiToken, createApiToken, listApiTokens, revokeApiToken } from './tokens.service.ts';
export { generateTotpCode } from './totp.ts';
