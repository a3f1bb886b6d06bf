/**
 * Notifications of sales sites/apps and applications for registration of e-commerce platforms (issue 3):
 * filing, proof of domain control, the officers' review within 3 working days, renewals, suspension and
 * revocation, the e-mails of each step, and the verifiable badge. Other modules use only what this file
 * exports.
 */
export { registerApplicationsCli } from './applications.cli.ts';
export { type ApplicationsOptions, createApplicationsContext, DEFAULT_PORTAL_URL } from './applications.context.ts';
export { type ApplicationForm, type ApplicationInput, parseApplicationForm } from './applications.input.ts';
export { createApplicationsJobs, REVIEWING_UNIT } from './applications.jobs.ts';
export { registerApplicationsRoutes } from './applications.routes.ts';
export { applicationSchema, badgeVerdictSchema } from './applications.schemas.ts';
export {
  type Applicant,
  type Application,
  type ApplicationsContext,
  approveApplication,
  changeRegistrationStatus,
  checkApplicationDomains,
  fileApplication,
  fileRenewal,
  getApplication,
  listReviewQueue,
  REGISTRATION_VALIDITY_YEARS,
  REVIEW_WORKING_DAYS,
  rejectApplication,
  requestSupplement,
  resubmitApplication,
} from './applications.service.ts';
export { verifyBadge } from './badge.service.ts';
export {
  type BadgeReason,
  type BadgeVerdict,
  badgeSnippet,
  isHostCovered,
  judgeBadge,
  renderBadgeSvg,
} from './badge.ts';
export { checkDomainControl, type DomainCheckOptions, VERIFICATION_PATH } from './domain-control.ts';
export { createRecordPageExtras } from './record-extras.ts';
