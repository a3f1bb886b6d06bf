/**
 * Notifications of sales sites/apps and applications for registration of e-commerce platforms (issue 3):
 * filing, proof of domain control, the officers' review within 3 working days, renewals, suspension and
 * revocation, the e-mails of each step, and the verifiable badge. Other modules use only what this file
 * exports.
 */
export { registerApplicationsCli } from './applications.cli.ts';
export { type ApplicationsOptions, createApplicationsContext, DEFAULT_PORTAL_URL } from './applications.context.ts';
export { createApplicationsJobs, REVIEWING_UNIT } from './applications.jobs.ts';
export { registerApplicationsRoutes } from './applications.routes.ts';
export {
  type ApplicationForm,
  type ApplicationInput,
  applicationSchema,
  badgeVerdictSchema,
  parseApplicationForm,
} from './applications.schemas.ts';
export {
  type Applicant,
  type Application,
  type ApplicationsContext,
  getApplication,
  listReviewQueue,
  REGISTRATION_VALIDITY_YEARS,
  REVIEW_WORKING_DAYS,
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
export {
  checkApplicationDomains,
  fileApplication,
  fileRenewal,
  resubmitApplication,
} from './filing.service.ts';
export { createRecordPageExtras } from './record-extras.ts';
export { changeRegistrationStatus } from './registration.service.ts';
export { approveApplication, rejectApplication, requestSupplement } from './review.service.ts';
