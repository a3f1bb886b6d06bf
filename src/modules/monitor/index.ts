/**
 * Monitoring (issue 12): finds unregistered e-commerce aimed at Vietnam and fake registration badges. A scan fetches
 * a page once through the SSRF guard as evidence (the evidence module) and classifies the same bytes (signals with
 * the text that triggered them, badges checked against the register without fetching, the register's verdict).
 */
export { registerMonitorCli } from './monitor.cli.ts';
export { findingReference } from './monitor.findings.ts';
export { createMonitorJobs } from './monitor.jobs.ts';
export { registerMonitorPages, registerMonitorRoutes } from './monitor.routes.ts';
export { PROVINCES } from './provinces.ts';
export { findVndPrices, vndAmount } from './signals.ts';
