/**
 * The public check "is this site or app registered?" (Dispatch 8598 task 1): answers from an
 * in-memory index of the register that follows its changes, with look-alike detection.
 */
export { registerCheckCli } from './check.cli.ts';
export { type CheckIndex, startCheckIndex } from './check.index.ts';
export { registerCheckRoutes } from './check.routes.ts';
export { checkAnswerSchema } from './check.schemas.ts';
export { checkRegistration } from './check.service.ts';
export { registerHashPrefixRoutes } from './hash-prefix.routes.ts';
export { startHashPrefixFollower } from './hash-prefix.sync.ts';
export { parseCheckInput } from './input.ts';
