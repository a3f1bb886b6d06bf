import type { Database } from '../../src/core/db.ts';
import {
  decodePlatformSummary,
  type PlatformSnapshot,
  readRegisterRecords,
  visitIdentityRecords,
  visitPlatformRecords,
} from '../../src/modules/registry/index.ts';
import type { RegistryRow } from '../../src/modules/registry/registry.csv.ts';

/** A registry row for tests: a notified sales site on line 2 with no identities, but for what the test gives. */
export function registryRow(fields: Partial<RegistryRow> & Pick<RegistryRow, 'name'>): RegistryRow {
  return {
    line: 2,
    registrationNo: null,
    kind: 'sales',
    status: 'notified',
    crossBorder: false,
    domains: [],
    androidApps: [],
    iosApps: [],
    orgName: null,
    taxCode: null,
    validUntil: null,
    legacyId: null,
    ...fields,
  };
}

/**
 * The whole register as snapshot objects, read through the same byte records as the check index
 * (`readRegisterRecords`, `visitPlatformRecords`, `visitIdentityRecords`): the reference the tests compare the
 * packed index and the per-platform query (`loadPlatformSnapshotsByIds`) with.
 */
export async function loadPlatformSnapshots(database: Database): Promise<Map<string, PlatformSnapshot>> {
  const snapshots = new Map<string, PlatformSnapshot>();
  const placed = new Map<PlatformSnapshot, Record<IdentityList, Array<string | undefined>>>();
  await readRegisterRecords(database, {
    platforms: (records) =>
      visitPlatformRecords(records, (platform) => {
        const summary = decodePlatformSummary(platform.bytes, platform.lineStart, platform.lineEnd);
        snapshots.set(summary.id, { ...summary, domains: [], androidApps: [], iosApps: [] });
      }),
    identities: (records) =>
      visitIdentityRecords(records, (identity) => {
        const snapshot = snapshots.get(
          identity.bytes.toString('latin1', identity.platformIdStart, identity.platformIdEnd),
        );
        if (!snapshot) return;
        let lists = placed.get(snapshot);
        if (!lists) {
          lists = { domains: [], androidApps: [], iosApps: [] };
          placed.set(snapshot, lists);
        }
        const key =
          identity.kind === 'domain' ? 'domains' : identity.kind === 'android_app' ? 'androidApps' : 'iosApps';
        // Rows come in physical order, not by position: each value goes to its place.
        lists[key][identity.position] = identity.value.toString('utf8', identity.valueStart, identity.valueEnd);
      }),
  });
  for (const [snapshot, lists] of placed) {
    for (const key of IDENTITY_LISTS) snapshot[key] = lists[key].filter((value) => value !== undefined);
  }
  return snapshots;
}

type IdentityList = 'domains' | 'androidApps' | 'iosApps';
const IDENTITY_LISTS: readonly IdentityList[] = ['domains', 'androidApps', 'iosApps'];
