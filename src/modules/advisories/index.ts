/**
 * Warnings to consumers (issue 11, "Advisories"): written in Vietnamese and English by officers of the E-Commerce
 * Agency and the media units, draft → published → withdrawn; public list and pages, Atom and RSS feeds; the check
 * lists a platform's published advisories through `AdvisoryLookup` (an in-memory index that follows changes).
 */

export { loadDemoAdvisories } from './advisories.demo.ts';
export { type AdvisoryLookup, loadAdvisoryLookup, startAdvisoryIndex } from './advisories.lookup.ts';
export { registerAdvisoryRoutes } from './advisories.routes.ts';
export { createAdvisory } from './advisories.service.ts';
