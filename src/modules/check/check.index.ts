import type { Database } from '../../core/db.ts';
import type { NormalizedHost } from '../../core/hosts.ts';
import { brandKey } from '../../core/text.ts';
import {
  loadPlatformSnapshots,
  loadPlatformSnapshotsByIds,
  type PlatformSnapshot,
  REGISTRY_CHANGED_CHANNEL,
} from '../registry/index.ts';
import { createLookalikeIndex, type LookalikeIndex, type LookalikeMatch } from './lookalike.ts';

/**
 * Look-alikes are sought among registered platforms (marketplaces, social commerce…: the brands consumers
 * trust and fraudsters copy), not among the hundreds of thousands of notified own-sales sites: against a
 * register of 1M ordinary shop names almost any shop domain is one edit or one TLD away from some notified
 * shop (43% of an unrelated corpus was flagged in the measurement), which would drown real warnings.
 */
const IMITATED_STATUSES = new Set(['registered']);

function isCurrent(status: string): boolean {
  return status === 'registered' || status === 'notified';
}

/**
 * The register held in memory, so that a check never waits for the database: exact identities by
 * hash map, names by brand key, look-alikes by the look-alike index. It follows register changes
 * through the registry's change notifications.
 */
export class CheckIndex {
  private platforms = new Map<string, PlatformSnapshot>();
  private byDomain = new Map<string, PlatformSnapshot>();
  private byAndroidApp = new Map<string, PlatformSnapshot>();
  private byIosApp = new Map<string, PlatformSnapshot>();
  private byBrand = new Map<string, PlatformSnapshot>();
  private lookalikes: LookalikeIndex = createLookalikeIndex();

  get size(): number {
    return this.platforms.size;
  }

  /**
   * Replaces the whole content (start, or a bulk change). A Map by id, as `loadPlatformSnapshots` returns, becomes
   * the index's own: at a million platforms, copying it would cost a second or so and 50 MB.
   */
  replaceAll(snapshots: Iterable<PlatformSnapshot> | Map<string, PlatformSnapshot>): void {
    const byId = snapshots instanceof Map ? snapshots : undefined;
    this.platforms = byId ?? new Map();
    this.byDomain = new Map();
    this.byAndroidApp = new Map();
    this.byIosApp = new Map();
    this.byBrand = new Map();
    this.lookalikes = createLookalikeIndex();
    if (byId) for (const snapshot of byId.values()) this.indexSnapshot(snapshot);
    else for (const snapshot of snapshots as Iterable<PlatformSnapshot>) this.insert(snapshot);
  }

  /** Applies fresh snapshots of some platforms; ids without a snapshot were deleted. */
  update(changedIds: readonly string[], snapshots: readonly PlatformSnapshot[]): void {
    for (const id of changedIds) this.remove(id);
    for (const snapshot of snapshots) this.insert(snapshot);
  }

  private insert(snapshot: PlatformSnapshot): void {
    this.platforms.set(snapshot.id, snapshot);
    this.indexSnapshot(snapshot);
  }

  /** Indexes a platform already in `platforms`. */
  private indexSnapshot(snapshot: PlatformSnapshot): void {
    for (const domain of snapshot.domains) this.byDomain.set(domain, snapshot);
    for (const app of snapshot.androidApps) this.byAndroidApp.set(app, snapshot);
    for (const app of snapshot.iosApps) this.byIosApp.set(app, snapshot);
    const brand = brandKey(snapshot.name);
    const holder = this.byBrand.get(brand);
    // Several platforms may share a name: the one a consumer most likely means is the registered one.
    if (brand && (!holder || (isCurrent(snapshot.status) && !isCurrent(holder.status)))) {
      this.byBrand.set(brand, snapshot);
    }
    if (IMITATED_STATUSES.has(snapshot.status)) {
      for (const domain of snapshot.domains) {
        this.lookalikes.add({ platformId: snapshot.id, platformName: snapshot.name, domain });
      }
      const primaryDomain = snapshot.domains[0];
      if (primaryDomain) this.lookalikes.addBrandName(snapshot.id, snapshot.name, primaryDomain);
    }
  }

  private remove(id: string): void {
    const snapshot = this.platforms.get(id);
    if (!snapshot) return;
    this.platforms.delete(id);
    for (const domain of snapshot.domains) if (this.byDomain.get(domain) === snapshot) this.byDomain.delete(domain);
    for (const app of snapshot.androidApps) if (this.byAndroidApp.get(app) === snapshot) this.byAndroidApp.delete(app);
    for (const app of snapshot.iosApps) if (this.byIosApp.get(app) === snapshot) this.byIosApp.delete(app);
    const brand = brandKey(snapshot.name);
    if (this.byBrand.get(brand) === snapshot) this.byBrand.delete(brand);
    if (IMITATED_STATUSES.has(snapshot.status)) this.lookalikes.removePlatform(id);
  }

  /**
   * The platform owning this host: the host itself or a parent domain down to the registrable
   * domain (a subdomain inherits its verdict; another registrable domain does not).
   */
  findByHost(host: NormalizedHost): PlatformSnapshot | undefined {
    let candidate = host.host;
    for (;;) {
      const hit = this.byDomain.get(candidate);
      if (hit) return hit;
      if (candidate.length <= host.registrableDomain.length) return undefined;
      const dot = candidate.indexOf('.');
      if (dot < 0) return undefined;
      candidate = candidate.slice(dot + 1);
    }
  }

  findByAndroidApp(packageId: string): PlatformSnapshot | undefined {
    return this.byAndroidApp.get(packageId);
  }

  findByIosApp(appId: string): PlatformSnapshot | undefined {
    return this.byIosApp.get(appId);
  }

  findByName(name: string): PlatformSnapshot | undefined {
    return this.byBrand.get(brandKey(name));
  }

  findLookalike(host: NormalizedHost): LookalikeMatch | undefined {
    return this.lookalikes.find(host);
  }
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
        index.replaceAll(await loadPlatformSnapshots(database.db));
      });
    } else {
      const ids = parseIdList(payload);
      pending = pending.then(async () => index.update(ids, await loadPlatformSnapshotsByIds(database.db, ids)));
    }
    pending = pending.catch(() => {
      // A failed refresh is retried by the next change; the index keeps answering from what it has.
    });
  });
  index.replaceAll(await loadPlatformSnapshots(database.db));
  return {
    index,
    stop: async () => {
      await stopListening();
      await pending;
    },
  };
}

function parseIdList(payload: string): string[] {
  try {
    const parsed: unknown = JSON.parse(payload);
    return Array.isArray(parsed) ? parsed.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return [];
  }
}
