/**
 * Customs e-commerce declarations (issue 13; Dispatch 8598 tasks 2, 5, 8): streamed import of CSV/NDJSON, screening
 * (unregistered platform through the check, split shipments, goods needing a technical regulation, undervalued
 * goods, vague descriptions) with rules as effective-dated data, and suspected gathering points by address.
 */
export { registerDeclarationsCli } from './declarations.cli.ts';
export { registerDeclarationsPages, registerDeclarationsRoutes } from './declarations.routes.ts';
export { declarationReference } from './declarations.service.ts';
