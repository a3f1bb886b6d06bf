/**
 * Consumer complaints (issue 15, "Complaints"): the public form, the API and the hotline import; triage into targets;
 * the portal's rule (more than 5 reporters → request for explanation, no adequate reply in 10 working days → the
 * public list of sites complained about); the workbench. Other modules use only what this file exports.
 */
export { registerComplaintsCli } from './complaints.cli.ts';
export { complaintsJobs } from './complaints.jobs.ts';
export { registerComplaintsRoutes } from './complaints.routes.ts';
export { complaintReference } from './complaints.service.ts';
