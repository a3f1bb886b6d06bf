/**
 * The public check "is this site or app registered?" (Dispatch 8598 task 1): answers from an
 * in-memory index of the register that follows its changes, with look-alike detection.
 */
export { registerCheckCli } from './check.cli.ts';
export { CheckIndex, startCheckIndex } from './check.index.ts';
export { registerCheckRoutes } from './check.routes.ts';
export { checkAnswerSchema } from './check.schemas.ts';
export { type CheckAnswer, checkRegistration, type Verdict } from './check.service.ts';
export { parseCheckInput } from './input.ts';
export {
  createLookalikeIndex,
  type LookalikeIndex,
  type LookalikeMatch,
  type LookalikeTarget,
  type LookalikeTechnique,
} from './lookalike.ts';
