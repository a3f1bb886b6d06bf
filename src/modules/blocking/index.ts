/**
 * The blocking workflow (issue 11, "Blocking workflow"): block requests proposed, reviewed by the Legal Affairs
 * Department, decided, active (the platform's register status `blocked`) and lifted; public pages per block, the
 * landing page of blocked domains, and appeals. Other modules use it only through what this file exports.
 */
export { registerBlockingCli } from './blocking.cli.ts';
export { blockingJobs } from './blocking.jobs.ts';
export { registerBlockingRoutes } from './blocking.routes.ts';
export { activeBlockTerms, type BlockTerms, proposeBlockIn } from './blocking.service.ts';
export { createBlockRecordExtras } from './record-extras.ts';
