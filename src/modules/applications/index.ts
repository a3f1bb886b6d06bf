/**
 * Notifications of sales sites/apps and applications for registration of e-commerce platforms (issue 3):
 * filing, proof of domain control, the officers' review within the periods of the table of procedures (module
 * `procedures`), changes of information, re-registration, the E-Commerce Agency's decisions (suspension,
 * cancellation on grounds, termination, proposals), the e-mails of each step, and the verifiable badge. Other
 * modules use only what this file exports.
 */
export { registerApplicationsCli } from './applications.cli.ts';
export { type ApplicationsOptions, createApplicationsContext, DEFAULT_PORTAL_URL } from './applications.context.ts';
export { createApplicationsJobs } from './applications.jobs.ts';
export { registerApplicationsRoutes } from './applications.routes.ts';
export { createRecordPageExtras } from './record-extras.ts';
