/**
 * The register of notified sales sites/apps and registered e-commerce platforms (Dispatch 8598
 * task 1). Other modules use it only through what this file exports.
 */

export { type DomainOfPlatform, listDomainsByBlockedness, listUnblockedDomainsUnder } from './registry.blocked.ts';
export { registerRegistryCli } from './registry.cli.ts';
export {
  type LawPlatformType,
  lawTypeForKind,
  normalizeAndroidAppId,
  normalizeIosAppId,
  PLATFORM_KINDS,
  PLATFORM_STATUSES,
  type PlatformKind,
  type PlatformStatus,
  parseLegacyId,
} from './registry.csv.ts';
export {
  findIdentityOwners,
  findPlatformByLegacyId,
  type IdentityKind,
  recordUnregisteredPlatform,
  setPlatformStatus,
  upsertPlatformFromApplication,
} from './registry.decisions.ts';
export { loadDemoRegistry } from './registry.demo.ts';
export { kindLabel, statusLabel, statusTone } from './registry.labels.ts';
export {
  decodePlatformSummary,
  encodePlatformSummary,
  type PlatformSummary,
  readRegisterRecords,
  registerSizeInBlocks,
  visitIdentityRecords,
  visitPlatformRecords,
} from './registry.records.ts';
export { registerRegistryRoutes } from './registry.routes.ts';
export {
  findPlatformByRegistrationNo,
  getPlatform,
  getStatusHistory,
  listPlatformsWithStatus,
  loadPlatformSnapshotsByIds,
  type Platform,
  type PlatformSnapshot,
  REGISTRY_CHANGED_CHANNEL,
  type StatusChange,
} from './registry.service.ts';
