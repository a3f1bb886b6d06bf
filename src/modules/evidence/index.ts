/**
 * Evidence of web pages (issue 12, "Evidence"): captures through the SSRF guard kept as WARC 1.1 in a
 * content-addressed store with their SHA-256, TLS chain and screenshot; a custody log per item in the audit trail;
 * `ecomgov evidence capture|verify|export`; the workbench pages. The monitor calls `captureEvidence`
 * (evidence.service.ts: export it here when it does) to fetch a page once for both evidence and classification.
 */

export { evidenceDirOf, registerEvidenceCli } from './evidence.cli.ts';
export { exportEvidence } from './evidence.package.ts';
export { registerEvidenceRoutes } from './evidence.routes.ts';
export { attachEvidence, type CapturedEvidence, captureEvidence, describeEvidence } from './evidence.service.ts';
export { defaultEvidenceDir } from './evidence.store.ts';
