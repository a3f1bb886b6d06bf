import type { Database, Db } from '../../core/db.ts';
import type { NormalizedHost } from '../../core/hosts.ts';
import { brandKey } from '../../core/text.ts';
import {
  loadPlatformSnapshotsByIds,
  type PlatformSnapshot,
  REGISTRY_CHANGED_CHANNEL,
  scanRegister,
} from '../registry/index.ts';
import { createLookalikeIndex, type LookalikeIndex, type LookalikeMatch } from './lookalike.ts';
import { NO_SLOT, PackedRegister } from './packed-register.ts';

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
  async replaceAllFromDatabase(db: Db): Promise<void> {
    const register = new PackedRegister();
    const replacesBrandHolder = brandPreference(register);
    await scanRegister(db, {
      platform: (line) => {
        const slot = register.addPlatformNamedInUtf8(
          line.bytes,
          line.lineStart,
          line.lineEnd,
          line.idEnd,
          line.status,
          line.nameStart,
          line.nameEnd,
        );
        register.indexBrand(slot, replacesBrandHolder);
      },
      identity: (identity) => {
        const slot = register.slotOfIdBytes(identity.bytes, identity.platformIdStart, identity.platformIdEnd);
        // An identity added after its platform was read belongs to a platform the load did not see: the change
        // notification that follows brings both.
        if (slot === NO_SLOT) return;
        register.addIdentity(
          slot,
          identity.kind,
          identity.position,
          identity.value,
          identity.valueStart,
          identity.valueEnd,
        );
      },
    });
    // Identities come after all platforms: the look-alike targets are added once their domains are known.
    const lookalikes = createLookalikeIndex();
    for (let slot = 0; slot < register.slotCount; slot++) {
      if (register.isLive(slot) && IMITATED_STATUSES.has(register.statusOf(slot))) {
        const { id, name } = register.summaryOf(slot);
        addLookalikeTargets(lookalikes, id, name, register.identitiesOf(slot, 'domain'));
      }
    }
    this.register = register;
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
    const slot = this.register.remove(id);
    if (slot !== NO_SLOT && IMITATED_STATUSES.has(this.register.statusOf(slot))) this.lookalikes.removePlatform(id);
  }

  /**
   * The platform owning this host: the host itself or a parent domain down to the registrable
   * domain (a subdomain inherits its verdict; another registrable domain does not).
   */
  findByHost(host: NormalizedHost): PlatformSnapshot | undefined {
    let candidate = host.host;
    for (;;) {
      const hit = this.register.findByIdentity('domain', candidate);
      if (hit !== NO_SLOT) return this.register.snapshotOf(hit);
      if (candidate.length <= host.registrableDomain.length) return undefined;
      const dot = candidate.indexOf('.');
      if (dot < 0) return undefined;
      candidate = candidate.slice(dot + 1);
    }
  }

  findByAndroidApp(packageId: string): PlatformSnapshot | undefined {
    return this.snapshotAt(this.register.findByIdentity('android_app', packageId));
  }

  findByIosApp(appId: string): PlatformSnapshot | undefined {
    return this.snapshotAt(this.register.findByIdentity('ios_app', appId));
  }

  findByName(name: string): PlatformSnapshot | undefined {
    return this.snapshotAt(this.register.findByBrand(brandKey(name)));
  }

  findLookalike(host: NormalizedHost): LookalikeMatch | undefined {
    return this.lookalikes.find(host);
  }

  private snapshotAt(slot: number): PlatformSnapshot | undefined {
    return slot === NO_SLOT ? undefined : this.register.snapshotOf(slot);
  }
}

/** Several platforms may share a name: the one a consumer most likely means is the registered one. */
function brandPreference(register: PackedRegister): (candidate: number, holder: number) => boolean {
  return (candidate, holder) => isCurrent(register.statusOf(candidate)) && !isCurrent(register.statusOf(holder));
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
        await index.replaceAllFromDatabase(database.db);
      });
    } else {
      const ids = parseIdList(payload);
      pending = pending.then(async () => index.update(ids, await loadPlatformSnapshotsByIds(database.db, ids)));
    }
    pending = pending.catch(() => {
      // A failed refresh is retried by the next change; the index keeps answering from what it has.
    });
  });
  await index.replaceAllFromDatabase(database.db);
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
