/**
 * The register of notified sales sites/apps and registered e-commerce platforms (Dispatch 8598
 * task 1). Other modules use it only through what this file exports.
 */

export { demoRegistryRows } from './demo-data.ts';
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
  parseRegistryCsv,
  type RegistryRow,
} from './registry.csv.ts';
export {
  findIdentityOwners,
  findPlatformByLegacyId,
  type IdentityKind,
  type IdentityOwner,
  type OrganisationOutcome,
  type PlatformFromApplication,
  setPlatformStatus,
  upsertPlatformFromApplication,
} from './registry.decisions.ts';
export { loadDemoRegistry } from './registry.demo.ts';
export { expireRegistrationsJob, registryJobs } from './registry.jobs.ts';
export { kindLabel, statusLabel, statusTone } from './registry.labels.ts';
export {
  decodePlatformSummary,
  encodePlatformSummary,
  type PlatformSummary,
  readRegisterRecords,
  registerSizeInBlocks,
  type ScannedIdentity,
  type ScannedPlatform,
  visitIdentityRecords,
  visitPlatformRecords,
} from './registry.records.ts';
export { registerRegistryRoutes } from './registry.routes.ts';
export { type SearchTracer, searchPlatforms } from './registry.search.ts';
export {
  exportRegistry,
  findPlatformByRegistrationNo,
  getPlatform,
  getStatusHistory,
  importRegistryFile,
  importRegistryRows,
  loadPlatformSnapshotsByIds,
  type Platform,
  type PlatformSnapshot,
  REGISTRY_CHANGED_CHANNEL,
  type StatusChange,
} from './registry.service.ts';
