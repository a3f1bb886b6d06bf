/**
 * The public register of decisions (issue 15, "Published decisions"): the modules that warn, block and sanction
 * publish each decision here in the transaction that makes it public, and end it here when it ends. Other modules use
 * only what this file exports.
 */
export { registerTransparencyCli } from './transparency.cli.ts';
export { registerTransparencyRoutes } from './transparency.routes.ts';
export {
  type DecisionToPublish,
  decisionTargetOfPlatform,
  endPublishedDecision,
  getPublishedDecision,
  publishDecision,
} from './transparency.service.ts';
