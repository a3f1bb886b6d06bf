/**
 * Loading the whole register into the check index: the packed register (exact lookups) and the registered
 * platforms the look-alike index is built from. A large register is packed on a worker thread while this thread
 * reads the database and builds the look-alike index: at a million platforms reading takes ≈ 2 s and packing ≈ 5 s
 * on the embedded database, which runs on this thread, so the two overlap instead of adding up.
 */
import type { Worker } from 'node:worker_threads';
import type { Database } from '../../core/db.ts';
import { AppError } from '../../core/errors.ts';
import { startTypeScriptWorker } from '../../core/workers.ts';
import {
  type PlatformStatus,
  readRegisterRecords,
  registerSizeInBlocks,
  visitIdentityRecords,
  visitPlatformRecords,
} from '../registry/index.ts';
import { hashBytes, NO_SLOT, PackedRegister, type PackedRegisterState } from './packed-register.ts';

/**
 * Look-alikes are sought among registered platforms (marketplaces, social commerce…: the brands consumers
 * trust and fraudsters copy), not among the hundreds of thousands of notified own-sales sites: against a
 * register of 1M ordinary shop names almost any shop domain is one edit or one TLD away from some notified
 * shop (43% of an unrelated corpus was flagged in the measurement), which would drown real warnings.
 */
export const IMITATED_STATUSES: ReadonlySet<PlatformStatus> = new Set(['registered']);

function isCurrent(status: PlatformStatus): boolean {
  return status === 'registered' || status === 'notified';
}

/** Several platforms may share a name: the one a consumer most likely means is the registered one. */
export function brandPreference(register: PackedRegister): (candidate: number, holder: number) => boolean {
  return (candidate, holder) => isCurrent(register.statusOf(candidate)) && !isCurrent(register.statusOf(holder));
}

/** Packs the register's record chunks (registry's `readRegisterRecords`), on whichever thread runs it. */
export class PackedRegisterLoader {
  readonly register = new PackedRegister();
  private readonly replacesBrandHolder = brandPreference(this.register);

  addPlatforms(records: Buffer): void {
    visitPlatformRecords(records, (line) => {
      const slot = this.register.addPlatformNamedInUtf8(
        line.bytes,
        line.lineStart,
        line.lineEnd,
        line.idEnd,
        line.status,
        line.nameStart,
        line.nameEnd,
      );
      this.register.indexBrand(slot, this.replacesBrandHolder);
    });
  }

  addIdentities(records: Buffer): void {
    visitIdentityRecords(records, (identity) => {
      const slot = this.register.slotOfIdBytes(identity.bytes, identity.platformIdStart, identity.platformIdEnd);
      // An identity added after its platform was read belongs to a platform the load did not see: the change
      // notification that follows brings both.
      if (slot === NO_SLOT) return;
      this.register.addIdentity(
        slot,
        identity.kind,
        identity.position,
        identity.value,
        identity.valueStart,
        identity.valueEnd,
      );
    });
  }
}

/** A platform the look-alike index protects: its name and its domains in their order. */
export interface ImitatedPlatform {
  id: string;
  name: string;
  domains: string[];
}

/** Gathers the registered platforms and their domains from the same record chunks the register is packed from. */
class ImitatedPlatformsReader {
  private readonly platforms = new Map<string, { name: string; domains: { position: number; value: string }[] }>();
  /**
   * A bit per hash of the registered platforms' ids: most identities belong to other platforms, and this tells so
   * without making a string of each one's platform id (a million and a half at start).
   */
  private readonly idFilter = new Uint8Array(ID_FILTER_BITS / 8);

  addPlatforms(records: Buffer): void {
    visitPlatformRecords(records, (line) => {
      if (!IMITATED_STATUSES.has(line.status)) return;
      const idHash = hashBytes(line.bytes, line.lineStart, line.idEnd) & (ID_FILTER_BITS - 1);
      this.idFilter[idHash >>> 3] = (this.idFilter[idHash >>> 3] as number) | (1 << (idHash & 7));
      this.platforms.set(line.bytes.toString('latin1', line.lineStart, line.idEnd), {
        name: line.bytes.toString('utf8', line.nameStart, line.nameEnd),
        domains: [],
      });
    });
  }

  addIdentities(records: Buffer): void {
    visitIdentityRecords(records, (identity) => {
      if (identity.kind !== 'domain') return;
      const { bytes, platformIdStart, platformIdEnd } = identity;
      const idHash = hashBytes(bytes, platformIdStart, platformIdEnd) & (ID_FILTER_BITS - 1);
      if (((this.idFilter[idHash >>> 3] as number) & (1 << (idHash & 7))) === 0) return;
      const platform = this.platforms.get(bytes.toString('latin1', platformIdStart, platformIdEnd));
      platform?.domains.push({
        position: identity.position,
        value: identity.value.toString('utf8', identity.valueStart, identity.valueEnd),
      });
    });
  }

  /** In the order the platforms were read; domains by position (a stable sort keeps the order of equal ones). */
  *read(): Generator<ImitatedPlatform> {
    for (const [id, { name, domains }] of this.platforms) {
      domains.sort((a, b) => a.position - b.position);
      yield { id, name, domains: domains.map((domain) => domain.value) };
    }
  }
}

const ID_FILTER_BITS = 1 << 22;

/** Where the register is packed: `worker` for a large one (by default above REGISTER_BLOCKS_FOR_WORKER). */
export type LoaderThread = 'worker' | 'this';

/**
 * The platforms table's size (in 8 KB heap blocks: 32 MB) from which packing on a worker pays for starting one
 * (≈ 0.5 s, the module graph loaded again): about 150,000 platforms.
 */
const REGISTER_BLOCKS_FOR_WORKER = 4096;

export interface RegisterLoad {
  /** The registered platforms, read: the caller builds the look-alike index from them while the packing finishes. */
  imitated: Iterable<ImitatedPlatform>;
  /** The packed register, once packed. */
  register: Promise<PackedRegister>;
}

/** Reads the whole register; resolves once it is read, with the packing perhaps still under way. */
export async function loadRegister(database: Database, options: { thread?: LoaderThread } = {}): Promise<RegisterLoad> {
  const imitated = new ImitatedPlatformsReader();
  const thread =
    options.thread ?? ((await registerSizeInBlocks(database.db)) >= REGISTER_BLOCKS_FOR_WORKER ? 'worker' : 'this');
  if (thread === 'this') {
    const loader = new PackedRegisterLoader();
    await readRegisterRecords(database, {
      platforms: (records) => {
        imitated.addPlatforms(records);
        loader.addPlatforms(records);
      },
      identities: (records) => {
        imitated.addIdentities(records);
        loader.addIdentities(records);
      },
    });
    return { imitated: imitated.read(), register: Promise.resolve(loader.register) };
  }
  const worker = startTypeScriptWorker(new URL('./register-loader.worker.ts', import.meta.url));
  const register = receivePackedRegister(worker).finally(() => worker.terminate());
  // Handled here so that a failure while the database is still being read is not an unhandled rejection; the caller
  // still gets it from `register`.
  register.catch(() => {});
  const send = (type: 'platforms' | 'identities', records: Buffer) => {
    // Each chunk has a memory of its own (core/db.ts readTextColumn): moved to the worker, not copied.
    const message: LoaderMessage = { type, records };
    worker.postMessage(message, [records.buffer as ArrayBuffer]);
  };
  try {
    await readRegisterRecords(database, {
      platforms: (records) => {
        imitated.addPlatforms(records);
        send('platforms', records);
      },
      identities: (records) => {
        imitated.addIdentities(records);
        send('identities', records);
      },
    });
  } catch (error) {
    await worker.terminate();
    throw error;
  }
  worker.postMessage({ type: 'end' } satisfies LoaderMessage);
  return { imitated: imitated.read(), register };
}

/** To the worker: record chunks in the order read, then `end`. */
export type LoaderMessage = { type: 'platforms' | 'identities'; records: Uint8Array } | { type: 'end' };
/** From the worker: the packed register's state, or why there is none. */
export type LoaderReply = { type: 'packed'; state: PackedRegisterState } | { type: 'error'; message: string };

function receivePackedRegister(worker: Worker): Promise<PackedRegister> {
  return new Promise((resolve, reject) => {
    worker.once('message', (reply: LoaderReply) => {
      if (reply.type === 'packed') resolve(PackedRegister.fromState(reply.state));
      else {
        reject(
          new AppError('internal', {
            vi: `Đóng gói danh sách không thành công: ${reply.message}`,
            en: `packing the register failed: ${reply.message}`,
          }),
        );
      }
    });
    worker.once('error', reject);
    worker.once('exit', (code) =>
      reject(
        new AppError('internal', {
          vi: `Luồng đóng gói danh sách đã dừng (${code})`,
          en: `the register packing thread exited (${code})`,
        }),
      ),
    );
  });
}
