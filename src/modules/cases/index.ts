/**
 * Inspection cases and sanctions (issue 15): cases gather platforms, evidence and decisions, follow the inspection
 * procedure's steps with their clocks, and end in sanction decisions inside the decree's ranges, published in the
 * register of decisions. Other modules use only what this file exports.
 */
export { registerCasesCli } from './cases.cli.ts';
export { createCasesJobs } from './cases.jobs.ts';
export { registerCasesRoutes } from './cases.routes.ts';
export { createCase, linkToCase } from './cases.service.ts';
