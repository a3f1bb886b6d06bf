/**
 * The register of notified sales sites/apps and registered e-commerce platforms (Dispatch 8598
 * task 1). Other modules use it only through what this file exports.
 */
export { registerRegistryCli } from './registry.cli.ts';
export {
  type LawPlatformType,
  lawTypeForKind,
  PLATFORM_KINDS,
  PLATFORM_STATUSES,
  type PlatformKind,
  type PlatformStatus,
  parseRegistryCsv,
  type RegistryRow,
} from './registry.csv.ts';
export { demoRegistryRows } from './demo-data.ts';
export { loadDemoRegistry } from './registry.demo.ts';
export { expireRegistrationsJob, registryJobs } from './registry.jobs.ts';
export { kindLabel, statusLabel, statusTone } from './registry.labels.ts';
export { registerRegistryRoutes } from './registry.routes.ts';
export { platformSchema } from './registry.schemas.ts';
export {
  exportRegistry,
  findPlatformByRegistrationNo,
  getPlatform,
  getStatusHistory,
  importRegistryFile,
  importRegistryRows,
  isRegisterEmpty,
  loadPlatformSnapshots,
  loadPlatformSnapshotsByIds,
  type Platform,
  type PlatformSnapshot,
  REGISTRY_CHANGED_CHANNEL,
  type StatusChange,
  searchPlatforms,
} from './registry.service.ts';
