import { parseIdList } from '../../core/change-follower.ts';
import type { Database } from '../../core/db.ts';
import type { NormalizedHost } from '../../core/hosts.ts';
import { brandKey } from '../../core/text.ts';
import {
  loadPlatformSnapshotsByIds,
  type PlatformSnapshot,
  type PlatformSummary,
  REGISTRY_CHANGED_CHANNEL,
} from '../registry/index.ts';
import { createLookalikeIndex, type LookalikeIndex, type LookalikeMatch } from './lookalike.ts';
import { NO_SLOT, PackedRegister } from './packed-register.ts';
import { brandPreference, IMITATED_STATUSES, type LoaderThread, loadRegister } from './register-loader.ts';

/**
 * The register held in memory, so that a check never waits for the database: exact identities and names (by
 * brand key) in a packed register (see packed-register.ts), look-alikes by the look-alike index. It follows
 * register changes through the registry's change notifications.
 */
export class CheckIndex {
  private register = new PackedRegister();
  private lookalikes: LookalikeIndex = createLookalikeIndex();

  get size(): number {
    return this.register.size;
  }

  /** Replaces the whole content with these snapshots. */
  replaceAll(snapshots: Iterable<PlatformSnapshot>): void {
    this.register = new PackedRegister();
    this.lookalikes = createLookalikeIndex();
    for (const snapshot of snapshots) this.insert(snapshot);
  }

  /**
   * Replaces the whole content with the register read from the database (start, or a bulk change), without making
   * an object per platform. The index answers from its previous content until the new one is complete.
   */
  async replaceAllFromDatabase(database: Database, options: { thread?: LoaderThread } = {}): Promise<void> {
    const load = await loadRegister(database, options);
    const lookalikes = createLookalikeIndex();
    for (const platform of load.imitated) addLookalikeTargets(lookalikes, platform.id, platform.name, platform.domains);
    this.register = await load.register;
    this.lookalikes = lookalikes;
  }

  /** Applies fresh snapshots of some platforms; ids without a snapshot were deleted. */
  update(changedIds: readonly string[], snapshots: readonly PlatformSnapshot[]): void {
    for (const id of changedIds) this.remove(id);
    for (const snapshot of snapshots) this.insert(snapshot);
  }

  private insert(snapshot: PlatformSnapshot): void {
    this.remove(snapshot.id);
    const slot = this.register.addSnapshot(snapshot, brandKey(snapshot.name));
    this.register.indexBrand(slot, brandPreference(this.register));
    if (IMITATED_STATUSES.has(snapshot.status)) {
      addLookalikeTargets(this.lookalikes, snapshot.id, snapshot.name, snapshot.domains);
    }
  }

  private remove(id: string): void {
    // The look-alike side is cleared whatever the status the register holds: the two were loaded from separate
    // readings of the platform, which a concurrent change may have told apart.
    if (this.register.remove(id) !== NO_SLOT) this.lookalikes.removePlatform(id);
  }

  /**
   * The platform owning this host: the host itself or a parent domain down to the registrable
   * domain (a subdomain inherits its verdict; another registrable domain does not).
   */
  findByHost(host: NormalizedHost): PlatformSummary | undefined {
    let candidate = host.host;
    for (;;) {
      const hit = this.register.findByIdentity('domain', candidate);
      if (hit !== NO_SLOT) return this.register.summaryOf(hit);
      if (candidate.length <= host.registrableDomain.length) return undefined;
      const dot = candidate.indexOf('.');
      if (dot < 0) return undefined;
      candidate = candidate.slice(dot + 1);
    }
  }

  findByAndroidApp(packageId: string): PlatformSummary | undefined {
    return this.summaryAt(this.register.findByIdentity('android_app', packageId));
  }

  findByIosApp(appId: string): PlatformSummary | undefined {
    return this.summaryAt(this.register.findByIdentity('ios_app', appId));
  }

  findByName(name: string): PlatformSummary | undefined {
    return this.summaryAt(this.register.findByBrand(brandKey(name)));
  }

  findLookalike(host: NormalizedHost): LookalikeMatch | undefined {
    return this.lookalikes.find(host);
  }

  /** The platform without its identities: all a check answer tells of it, and no list to gather per check. */
  private summaryAt(slot: number): PlatformSummary | undefined {
    return slot === NO_SLOT ? undefined : this.register.summaryOf(slot);
  }
}

function addLookalikeTargets(lookalikes: LookalikeIndex, platformId: string, name: string, domains: readonly string[]) {
  for (const domain of domains) lookalikes.add({ platformId, platformName: name, domain });
  const primaryDomain = domains[0];
  if (primaryDomain) lookalikes.addBrandName(platformId, name, primaryDomain);
}

/** Builds the index from the register and keeps it current; returns a function that stops following. */
export async function startCheckIndex(database: Database): Promise<{ index: CheckIndex; stop: () => Promise<void> }> {
  const index = new CheckIndex();
  // Listen before loading so that no change committed during the load is missed.
  let pending = Promise.resolve();
  let reloadQueued = false;
  const stopListening = await database.listen(REGISTRY_CHANGED_CHANNEL, (payload) => {
    if (payload === '*') {
      if (reloadQueued) return;
      reloadQueued = true;
      pending = pending.then(async () => {
        reloadQueued = false;
        await index.replaceAllFromDatabase(database);
      });
    } else {
      const ids = parseIdList(payload);
      pending = pending.then(async () => index.update(ids, await loadPlatformSnapshotsByIds(database.db, ids)));
    }
    pending = pending.catch(() => {
      // A failed refresh is retried by the next change; the index keeps answering from what it has.
    });
  });
  // Through the same queue as the changes: one that arrives during the load is applied after it, not before.
  const load = index.replaceAllFromDatabase(database);
  pending = load.catch(() => {});
  try {
    await load;
  } catch (error) {
    await stopListening();
    throw error;
  }
  return {
    index,
    stop: async () => {
      await stopListening();
      await pending;
    },
  };
}
