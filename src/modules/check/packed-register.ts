/**
 * The register packed into bytes and typed arrays, for the check index. A million platforms held as objects (a
 * snapshot, its strings and arrays, and a Map entry per identity, name and id) took ≈ 770 MB of heap and ≈ 35 s to
 * build, most of it allocating and hashing; the garbage collector then walked it all on every full collection.
 * Here a platform is its summary line (the registry's format) copied into large byte chunks, its identities and
 * brand key are bytes beside it, and the lookups are open-addressing hash tables of numbers over those bytes:
 * ≈ 250 MB off the JavaScript heap, built in a few seconds. A snapshot object is made only for a platform a lookup
 * finds.
 */
import { brandKeyOfCodePoint } from '../../core/text.ts';
import {
  decodePlatformSummary,
  encodePlatformSummary,
  PLATFORM_STATUSES,
  type PlatformSnapshot,
  type PlatformStatus,
  type PlatformSummary,
} from '../registry/index.ts';

export type IdentityKind = 'domain' | 'android_app' | 'ios_app';
const IDENTITY_KINDS: readonly IdentityKind[] = ['domain', 'android_app', 'ios_app'];
const NO_SLOT = -1;
/** brandLength of a removed platform's slot. */
const REMOVED = -1;

/** Bytes are appended to chunks of this size; an offset is chunk × CHUNK_SIZE + position. */
const CHUNK_BITS = 24;
const CHUNK_SIZE = 1 << CHUNK_BITS;
const MAX_CHUNKS = 2 ** 31 / CHUNK_SIZE;

/** Append-only byte storage: what a removed platform held stays until the next full load. */
class ByteChunks {
  readonly chunks: Buffer[] = [];
  private current: Buffer = Buffer.alloc(0);
  private used = 0;

  /** Appends bytes[start, end) and returns their offset. */
  append(bytes: Uint8Array, start: number, end: number): number {
    const offset = this.reserve(end - start);
    const target = this.current;
    // Lines and values are a few dozen bytes: a loop costs less than a call into the runtime.
    if (end - start <= 512) for (let i = start, at = this.used; i < end; i++, at++) target[at] = bytes[i] as number;
    else target.set(bytes.subarray(start, end), this.used);
    this.used += end - start;
    return offset;
  }

  /** Appends a string as UTF-8; returns its offset and byte length. */
  appendString(text: string): { offset: number; length: number } {
    if (isAscii(text)) {
      // Brand keys, ids: ASCII, copied by a loop rather than a call into the runtime.
      const offset = this.reserve(text.length);
      const target = this.current;
      for (let i = 0, at = this.used; i < text.length; i++, at++) target[at] = text.charCodeAt(i);
      this.used += text.length;
      return { offset, length: text.length };
    }
    const length = Buffer.byteLength(text, 'utf8');
    const offset = this.reserve(length);
    this.current.write(text, this.used, 'utf8');
    this.used += length;
    return { offset, length };
  }

  /**
   * Appends the brand key (core/text.ts `brandKey`) of the UTF-8 text bytes[start, end) without making a string of
   * it: ASCII letters and digits as they are, other characters through `brandKeyOfCodePoint`.
   */
  appendBrandKeyOfUtf8(bytes: Uint8Array, start: number, end: number): { offset: number; length: number } {
    let key: Uint8Array = this.scratch;
    let length = 0;
    for (let at = start; at < end; ) {
      const byte = bytes[at] as number;
      if (length + 8 > key.length) key = this.growScratch();
      if (byte < 0x80) {
        at++;
        if ((byte >= 0x61 && byte <= 0x7a) || (byte >= 0x30 && byte <= 0x39)) key[length++] = byte;
        else if (byte >= 0x41 && byte <= 0x5a) key[length++] = byte + 0x20;
        continue;
      }
      // PostgreSQL text is valid UTF-8: a lead byte and its continuation bytes.
      const size = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
      let codePoint = byte & (size === 4 ? 0x07 : size === 3 ? 0x0f : 0x1f);
      for (let i = 1; i < size; i++) codePoint = (codePoint << 6) | ((bytes[at + i] as number) & 0x3f);
      at += size;
      const folded = brandKeyOfCodePoint(codePoint);
      while (length + folded.length > key.length) key = this.growScratch();
      for (let i = 0; i < folded.length; i++) key[length++] = folded.charCodeAt(i);
    }
    return { offset: this.append(key, 0, length), length };
  }

  private scratch: Uint8Array = new Uint8Array(256);

  private growScratch(): Uint8Array {
    const larger = new Uint8Array(this.scratch.length * 2);
    larger.set(this.scratch);
    this.scratch = larger;
    return larger;
  }

  chunkOf(offset: number): Buffer {
    return this.chunks[offset >>> CHUNK_BITS] as Buffer;
  }

  /** Whether the `length` bytes stored at `offset` are bytes[start, end). */
  equals(offset: number, length: number, bytes: Uint8Array, start: number, end: number): boolean {
    if (length !== end - start) return false;
    const chunk = this.chunkOf(offset);
    const at = offset & (CHUNK_SIZE - 1);
    for (let i = 0; i < length; i++) if (chunk[at + i] !== bytes[start + i]) return false;
    return true;
  }

  /** What `restore` takes: the chunks (the last one filled up to `used`). */
  state(): { chunks: Buffer[]; used: number } {
    return { chunks: this.chunks, used: this.used };
  }

  restore(chunks: readonly Uint8Array[], used: number): void {
    this.chunks.splice(0, this.chunks.length, ...chunks.map((chunk) => asBuffer(chunk)));
    this.current = this.chunks.at(-1) ?? Buffer.alloc(0);
    this.used = used;
  }

  private reserve(length: number): number {
    if (length > CHUNK_SIZE) throw new RangeError(`a register entry of ${length} bytes`);
    if (this.chunks.length === 0 || this.used + length > CHUNK_SIZE) {
      if (this.chunks.length === MAX_CHUNKS) throw new RangeError('the register does not fit in 2 GB');
      // Not zero-filled: every byte is written before it is read.
      this.current = Buffer.allocUnsafeSlow(CHUNK_SIZE);
      this.chunks.push(this.current);
      this.used = 0;
    }
    return (this.chunks.length - 1) * CHUNK_SIZE + this.used;
  }
}

/**
 * Where each key of a table is: byte offset and length, indexed by the number the table stores. The owner replaces
 * the arrays when it grows them.
 */
interface KeyColumns {
  offset: Int32Array<ArrayBuffer>;
  length: Int32Array<ArrayBuffer>;
}

/** A key to look up: its hash, and its UTF-8 when it is not ASCII (an ASCII string is compared as it is). */
interface Probe {
  text: string;
  hash: number;
  utf8: Buffer | undefined;
}

interface KeyTableState {
  slots: Int32Array;
  mask: number;
  count: number;
  deleted: number;
}

const EMPTY = -1;
const DELETED = -2;
/** Linear probing stays short below this share of slots in use. */
const MAX_LOAD = 0.7;

/**
 * A hash table of numbers (platform slots or identity entries) keyed by bytes in the chunks: open addressing,
 * linear probing, at most 70% full. `set` replaces the number under an equal key, as Map.set does.
 */
class KeyTable {
  /** Slot i is [2i] the number (or EMPTY, DELETED), [2i + 1] its key's hash: one cache line read per probe. */
  private slots = emptySlots(16);
  private mask = 15;
  private count = 0;
  private deleted = 0;

  constructor(
    private readonly bytes: ByteChunks,
    private readonly keys: KeyColumns,
  ) {}

  /** The number under the key bytes[start, end), or EMPTY. */
  getBytes(bytes: Uint8Array, start: number, end: number, hash: number): number {
    const slots = this.slots;
    for (let slot = hash & this.mask; ; slot = (slot + 1) & this.mask) {
      const ref = slots[2 * slot] as number;
      if (ref === EMPTY) return EMPTY;
      if (ref !== DELETED && slots[2 * slot + 1] === hash && this.keyEqualsBytes(ref, bytes, start, end)) return ref;
    }
  }

  get(probe: Probe): number {
    if (probe.utf8) return this.getBytes(probe.utf8, 0, probe.utf8.length, probe.hash);
    const slots = this.slots;
    for (let slot = probe.hash & this.mask; ; slot = (slot + 1) & this.mask) {
      const ref = slots[2 * slot] as number;
      if (ref === EMPTY) return EMPTY;
      if (ref !== DELETED && slots[2 * slot + 1] === probe.hash && this.keyEqualsAscii(ref, probe.text)) return ref;
    }
  }

  /**
   * Puts `ref` under its own key (as the columns tell), replacing the number an equal key had unless `replaces` says
   * no. Returns the number that held the key before (EMPTY when none).
   */
  set(ref: number, hash: number, replaces?: (ref: number, holder: number) => boolean): number {
    if (this.count + this.deleted + 1 > (this.mask + 1) * MAX_LOAD) this.resize();
    const offset = this.keys.offset[ref] as number;
    const chunk = this.bytes.chunkOf(offset);
    const start = offset & (CHUNK_SIZE - 1);
    const end = start + (this.keys.length[ref] as number);
    const slots = this.slots;
    let free = -1;
    for (let slot = hash & this.mask; ; slot = (slot + 1) & this.mask) {
      const held = slots[2 * slot] as number;
      if (held === EMPTY) {
        if (free === -1) free = slot;
        break;
      }
      if (held === DELETED) {
        if (free === -1) free = slot;
      } else if (slots[2 * slot + 1] === hash && this.keyEqualsBytes(held, chunk, start, end)) {
        if (replaces === undefined || replaces(ref, held)) slots[2 * slot] = ref;
        return held;
      }
    }
    if (slots[2 * free] === DELETED) this.deleted--;
    slots[2 * free] = ref;
    slots[2 * free + 1] = hash;
    this.count++;
    return EMPTY;
  }

  /** Removes `ref` if it is the number under its key. */
  delete(ref: number, hash: number): void {
    for (let slot = hash & this.mask; ; slot = (slot + 1) & this.mask) {
      const held = this.slots[2 * slot] as number;
      if (held === EMPTY) return;
      if (held === ref) {
        this.slots[2 * slot] = DELETED;
        this.count--;
        this.deleted++;
        return;
      }
    }
  }

  state(): KeyTableState {
    return { slots: this.slots, mask: this.mask, count: this.count, deleted: this.deleted };
  }

  restore(state: KeyTableState): void {
    this.slots = state.slots;
    this.mask = state.mask;
    this.count = state.count;
    this.deleted = state.deleted;
  }

  private resize(): void {
    const old = this.slots;
    // Twice the size when full, the same size when markers of removed keys fill it: a million keys take 2^21 slots.
    let capacity = this.mask + 1;
    if (this.count + 1 > (capacity * MAX_LOAD) / 2) capacity *= 2;
    const slots = emptySlots(capacity);
    const mask = capacity - 1;
    for (let at = 0; at < old.length; at += 2) {
      const ref = old[at] as number;
      if (ref < 0) continue;
      const hash = old[at + 1] as number;
      let slot = hash & mask;
      while (slots[2 * slot] !== EMPTY) slot = (slot + 1) & mask;
      slots[2 * slot] = ref;
      slots[2 * slot + 1] = hash;
    }
    this.slots = slots;
    this.mask = mask;
    this.deleted = 0;
  }

  private keyEqualsBytes(ref: number, bytes: Uint8Array, start: number, end: number): boolean {
    return this.bytes.equals(this.keys.offset[ref] as number, this.keys.length[ref] as number, bytes, start, end);
  }

  private keyEqualsAscii(ref: number, text: string): boolean {
    if (this.keys.length[ref] !== text.length) return false;
    const offset = this.keys.offset[ref] as number;
    const chunk = this.bytes.chunkOf(offset);
    const at = offset & (CHUNK_SIZE - 1);
    for (let i = 0; i < text.length; i++) if (chunk[at + i] !== text.charCodeAt(i)) return false;
    return true;
  }
}

/** A Buffer over the same memory (a Buffer sent to another thread arrives as a plain Uint8Array). */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function emptySlots(capacity: number): Int32Array {
  const slots = new Int32Array(2 * capacity);
  for (let slot = 0; slot < capacity; slot++) slots[2 * slot] = EMPTY;
  return slots;
}

/** FNV-1a over bytes, then MurmurHash3's finaliser (linear probing wants the low bits well mixed). */
export function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ (bytes[i] as number), 0x01000193);
  return finalMix(hash);
}

function finalMix(value: number): number {
  let hash = value ^ (value >>> 16);
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  return (hash ^ (hash >>> 16)) | 0;
}

const LONE_SURROGATE = /\p{Surrogate}/u;

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x80) return false;
  return true;
}

/** The probe for a key string; undefined for a string no stored key can equal (a lone surrogate has no UTF-8). */
function probeOf(text: string): Probe | undefined {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x80) {
      if (LONE_SURROGATE.test(text)) return undefined;
      const utf8 = Buffer.from(text, 'utf8');
      return { text, hash: hashBytes(utf8, 0, utf8.length), utf8 };
    }
    hash = Math.imul(hash ^ code, 0x01000193);
  }
  return { text, hash: finalMix(hash), utf8: undefined };
}

/** Typed-array growth: twice the length, keeping the content. */
function doubledInt32(array: Int32Array): Int32Array<ArrayBuffer> {
  const larger = new Int32Array(array.length * 2);
  larger.set(array);
  return larger;
}

function doubledUint8(array: Uint8Array): Uint8Array<ArrayBuffer> {
  const larger = new Uint8Array(array.length * 2);
  larger.set(array);
  return larger;
}

const STATUS_CODES: ReadonlyMap<string, number> = new Map(PLATFORM_STATUSES.map((status, code) => [status, code]));

/**
 * Everything a packed register holds, as typed arrays and byte chunks: what a register built on another thread is
 * sent back as (`transferState`), moved rather than copied, and made a register again by `PackedRegister.fromState`.
 */
export interface PackedRegisterState {
  chunks: Uint8Array[];
  used: number;
  platformCount: number;
  liveCount: number;
  lineLength: Int32Array;
  statusCode: Uint8Array;
  ids: KeyColumns;
  brands: KeyColumns;
  firstEntry: Int32Array;
  entryCount: number;
  entryKind: Uint8Array;
  entryKeys: KeyColumns;
  entryHash: Int32Array;
  entryPosition: Int32Array;
  entryPlatform: Int32Array;
  entryNext: Int32Array;
  /** By id, by brand, then by identity kind. */
  tables: KeyTableState[];
}

/**
 * Platforms by slot (a number given in the order they are added), their identities as entries, and hash tables from
 * id, identity (by kind) and brand key to them.
 */
export class PackedRegister {
  private readonly bytes = new ByteChunks();
  private platformCount = 0;
  private liveCount = 0;
  private previousIdSlot = NO_SLOT;
  // Per platform slot. The summary line starts at ids.offset[slot]; the id is its first ids.length[slot] bytes.
  private lineLength = new Int32Array(1024);
  private statusCode = new Uint8Array(1024);
  private readonly ids: KeyColumns = { offset: new Int32Array(1024), length: new Int32Array(1024) };
  private readonly brands: KeyColumns = { offset: new Int32Array(1024), length: new Int32Array(1024) };
  /** The platform's identity entries form a list through entryNext; NO_SLOT ends it. */
  private firstEntry = new Int32Array(1024);
  // Per identity entry.
  private entryCount = 0;
  private entryKind = new Uint8Array(1024);
  private readonly entryKeys: KeyColumns = { offset: new Int32Array(1024), length: new Int32Array(1024) };
  private entryHash = new Int32Array(1024);
  private entryPosition = new Int32Array(1024);
  private entryPlatform = new Int32Array(1024);
  private entryNext = new Int32Array(1024);
  private readonly platformsById = new KeyTable(this.bytes, this.ids);
  private readonly platformsByBrand = new KeyTable(this.bytes, this.brands);
  private readonly entriesByKind = IDENTITY_KINDS.map(() => new KeyTable(this.bytes, this.entryKeys));

  /** A register from the state another thread's register gave up (see `transferState`). */
  static fromState(state: PackedRegisterState): PackedRegister {
    const register = new PackedRegister();
    register.bytes.restore(state.chunks, state.used);
    register.platformCount = state.platformCount;
    register.liveCount = state.liveCount;
    register.lineLength = state.lineLength as Int32Array<ArrayBuffer>;
    register.statusCode = state.statusCode as Uint8Array<ArrayBuffer>;
    Object.assign(register.ids, state.ids);
    Object.assign(register.brands, state.brands);
    register.firstEntry = state.firstEntry as Int32Array<ArrayBuffer>;
    register.entryCount = state.entryCount;
    register.entryKind = state.entryKind as Uint8Array<ArrayBuffer>;
    Object.assign(register.entryKeys, state.entryKeys);
    register.entryHash = state.entryHash as Int32Array<ArrayBuffer>;
    register.entryPosition = state.entryPosition as Int32Array<ArrayBuffer>;
    register.entryPlatform = state.entryPlatform as Int32Array<ArrayBuffer>;
    register.entryNext = state.entryNext as Int32Array<ArrayBuffer>;
    register.tables().forEach((table, index) => {
      const tableState = state.tables[index];
      if (!tableState) throw new RangeError('a packed register state without all its tables');
      table.restore(tableState);
    });
    return register;
  }

  /**
   * The state, and the memory to move with it to another thread (postMessage's transfer list). The register is
   * unusable afterwards: its memory belongs to the receiver.
   */
  transferState(): { state: PackedRegisterState; transfer: ArrayBuffer[] } {
    const { chunks, used } = this.bytes.state();
    const state: PackedRegisterState = {
      chunks,
      used,
      platformCount: this.platformCount,
      liveCount: this.liveCount,
      lineLength: this.lineLength,
      statusCode: this.statusCode,
      ids: this.ids,
      brands: this.brands,
      firstEntry: this.firstEntry,
      entryCount: this.entryCount,
      entryKind: this.entryKind,
      entryKeys: this.entryKeys,
      entryHash: this.entryHash,
      entryPosition: this.entryPosition,
      entryPlatform: this.entryPlatform,
      entryNext: this.entryNext,
      tables: this.tables().map((table) => table.state()),
    };
    const arrays: ArrayBufferView[] = [
      ...chunks,
      state.lineLength,
      state.statusCode,
      state.ids.offset,
      state.ids.length,
      state.brands.offset,
      state.brands.length,
      state.firstEntry,
      state.entryKind,
      state.entryKeys.offset,
      state.entryKeys.length,
      state.entryHash,
      state.entryPosition,
      state.entryPlatform,
      state.entryNext,
      ...state.tables.map((table) => table.slots),
    ];
    return { state, transfer: [...new Set(arrays.map((array) => array.buffer as ArrayBuffer))] };
  }

  private tables(): KeyTable[] {
    return [this.platformsById, this.platformsByBrand, ...this.entriesByKind];
  }

  /** Platforms held (removed ones not counted). */
  get size(): number {
    return this.liveCount;
  }

  /** Slots ever given, removed platforms included: iterate 0 … slotCount - 1 and skip what `isLive` rejects. */
  get slotCount(): number {
    return this.platformCount;
  }

  isLive(slot: number): boolean {
    return slot < this.platformCount && this.brands.length[slot] !== REMOVED;
  }

  /**
   * Adds a platform from its summary line bytes[lineStart, lineEnd) whose id is bytes[lineStart, idEnd); one with
   * the same id is replaced. Returns its slot; its brand key is not indexed yet (see `indexBrand`).
   */
  addPlatform(
    bytes: Uint8Array,
    lineStart: number,
    lineEnd: number,
    idEnd: number,
    status: PlatformStatus,
    brand: string,
  ): number {
    const slot = this.addSlot(bytes, lineStart, lineEnd, idEnd, status);
    this.setBrand(slot, this.bytes.appendString(brand));
    return slot;
  }

  /** As `addPlatform`, with the brand key made from the name's UTF-8, bytes[nameStart, nameEnd). */
  addPlatformNamedInUtf8(
    bytes: Uint8Array,
    lineStart: number,
    lineEnd: number,
    idEnd: number,
    status: PlatformStatus,
    nameStart: number,
    nameEnd: number,
  ): number {
    const slot = this.addSlot(bytes, lineStart, lineEnd, idEnd, status);
    this.setBrand(slot, this.bytes.appendBrandKeyOfUtf8(bytes, nameStart, nameEnd));
    return slot;
  }

  private setBrand(slot: number, stored: { offset: number; length: number }): void {
    this.brands.offset[slot] = stored.offset;
    this.brands.length[slot] = stored.length;
  }

  private addSlot(
    bytes: Uint8Array,
    lineStart: number,
    lineEnd: number,
    idEnd: number,
    status: PlatformStatus,
  ): number {
    const slot = this.platformCount++;
    this.ensurePlatformCapacity(slot + 1);
    this.ids.offset[slot] = this.bytes.append(bytes, lineStart, lineEnd);
    this.lineLength[slot] = lineEnd - lineStart;
    this.ids.length[slot] = idEnd - lineStart;
    this.statusCode[slot] = STATUS_CODES.get(status) ?? 0;
    this.brands.length[slot] = 0;
    this.firstEntry[slot] = NO_SLOT;
    this.liveCount++;
    // A platform with the same id (read twice during a concurrent update, or changed) is replaced.
    const previous = this.platformsById.set(slot, hashBytes(bytes, lineStart, idEnd));
    if (previous !== EMPTY) this.removeSlot(previous);
    return slot;
  }

  /** Adds a platform given as a snapshot (a change applied after the load), identities included. */
  addSnapshot(snapshot: PlatformSnapshot, brand: string): number {
    const line = Buffer.from(encodePlatformSummary(snapshot), 'utf8');
    const slot = this.addPlatform(line, 0, line.length, Buffer.byteLength(snapshot.id, 'utf8'), snapshot.status, brand);
    const add = (kind: IdentityKind, values: readonly string[]) => {
      values.forEach((value, position) => {
        const bytes = Buffer.from(value, 'utf8');
        this.addIdentity(slot, kind, position, bytes, 0, bytes.length);
      });
    };
    add('domain', snapshot.domains);
    add('android_app', snapshot.androidApps);
    add('ios_app', snapshot.iosApps);
    return slot;
  }

  /** The slot of the platform whose id is bytes[start, end), or NO_SLOT. */
  slotOfIdBytes(bytes: Uint8Array, start: number, end: number): number {
    // Identities are mostly stored in the order of their platforms: the platform of the previous lookup, or the one
    // after it, is compared first, in memory just read rather than at a random place in a hash table.
    const previous = this.previousIdSlot;
    if (this.hasIdAt(previous, bytes, start, end)) return previous;
    if (this.hasIdAt(previous + 1, bytes, start, end)) {
      this.previousIdSlot = previous + 1;
      return previous + 1;
    }
    const slot = this.platformsById.getBytes(bytes, start, end, hashBytes(bytes, start, end));
    if (slot === EMPTY) return NO_SLOT;
    this.previousIdSlot = slot;
    return slot;
  }

  private hasIdAt(slot: number, bytes: Uint8Array, start: number, end: number): boolean {
    if (slot < 0 || slot >= this.platformCount || this.brands.length[slot] === REMOVED) return false;
    return this.bytes.equals(this.ids.offset[slot] as number, this.ids.length[slot] as number, bytes, start, end);
  }

  slotOfId(id: string): number {
    const probe = probeOf(id);
    const slot = probe ? this.platformsById.get(probe) : EMPTY;
    return slot === EMPTY ? NO_SLOT : slot;
  }

  /** Adds an identity (its value is bytes[start, end), UTF-8) to a platform; it replaces an equal one's owner. */
  addIdentity(slot: number, kind: IdentityKind, position: number, bytes: Uint8Array, start: number, end: number): void {
    const entry = this.entryCount++;
    this.ensureEntryCapacity(entry + 1);
    const kindCode = IDENTITY_KINDS.indexOf(kind);
    const hash = hashBytes(bytes, start, end);
    this.entryKind[entry] = kindCode;
    this.entryKeys.offset[entry] = this.bytes.append(bytes, start, end);
    this.entryKeys.length[entry] = end - start;
    this.entryHash[entry] = hash;
    this.entryPosition[entry] = position;
    this.entryPlatform[entry] = slot;
    this.entryNext[entry] = this.firstEntry[slot] as number;
    this.firstEntry[slot] = entry;
    this.entriesByKind[kindCode]?.set(entry, hash);
  }

  /**
   * Makes `slot` the platform its brand key finds, unless another holds the key and `replaces(slot, holder)` says
   * no. An empty key is not indexed.
   */
  indexBrand(slot: number, replaces: (slot: number, holder: number) => boolean): void {
    if ((this.brands.length[slot] as number) <= 0) return;
    this.platformsByBrand.set(slot, this.brandHash(slot), replaces);
  }

  statusOf(slot: number): PlatformStatus {
    return PLATFORM_STATUSES[this.statusCode[slot] as number] ?? 'notified';
  }

  /** Removes the platform with this id; returns its slot (no longer live), or NO_SLOT when there was none. */
  remove(id: string): number {
    const slot = this.slotOfId(id);
    if (slot !== NO_SLOT) this.removeSlot(slot);
    return slot;
  }

  findByIdentity(kind: IdentityKind, value: string): number {
    const probe = probeOf(value);
    const entry = probe ? (this.entriesByKind[IDENTITY_KINDS.indexOf(kind)]?.get(probe) ?? EMPTY) : EMPTY;
    return entry === EMPTY ? NO_SLOT : (this.entryPlatform[entry] as number);
  }

  findByBrand(key: string): number {
    const probe = key === '' ? undefined : probeOf(key);
    const slot = probe ? this.platformsByBrand.get(probe) : EMPTY;
    return slot === EMPTY ? NO_SLOT : slot;
  }

  summaryOf(slot: number): PlatformSummary {
    const offset = this.ids.offset[slot] as number;
    const start = offset & (CHUNK_SIZE - 1);
    return decodePlatformSummary(this.bytes.chunkOf(offset), start, start + (this.lineLength[slot] as number));
  }

  /** The platform's identities of a kind, in their order. */
  identitiesOf(slot: number, kind: IdentityKind): string[] {
    const kindCode = IDENTITY_KINDS.indexOf(kind);
    const entries: number[] = [];
    for (let entry = this.firstEntry[slot] as number; entry !== NO_SLOT; entry = this.entryNext[entry] as number) {
      if (this.entryKind[entry] === kindCode) entries.push(entry);
    }
    // The list runs newest first: reversed, equal positions keep the order they were added in.
    entries.reverse();
    entries.sort((a, b) => (this.entryPosition[a] as number) - (this.entryPosition[b] as number));
    return entries.map((entry) => {
      const offset = this.entryKeys.offset[entry] as number;
      const start = offset & (CHUNK_SIZE - 1);
      return this.bytes.chunkOf(offset).toString('utf8', start, start + (this.entryKeys.length[entry] as number));
    });
  }

  snapshotOf(slot: number): PlatformSnapshot {
    const summary = this.summaryOf(slot);
    return {
      ...summary,
      domains: this.identitiesOf(slot, 'domain'),
      androidApps: this.identitiesOf(slot, 'android_app'),
      iosApps: this.identitiesOf(slot, 'ios_app'),
    };
  }

  private removeSlot(slot: number): void {
    for (let entry = this.firstEntry[slot] as number; entry !== NO_SLOT; entry = this.entryNext[entry] as number) {
      this.entriesByKind[this.entryKind[entry] as number]?.delete(entry, this.entryHash[entry] as number);
    }
    this.firstEntry[slot] = NO_SLOT;
    if ((this.brands.length[slot] as number) > 0) this.platformsByBrand.delete(slot, this.brandHash(slot));
    this.brands.length[slot] = REMOVED;
    const offset = this.ids.offset[slot] as number;
    const start = offset & (CHUNK_SIZE - 1);
    const chunk = this.bytes.chunkOf(offset);
    this.platformsById.delete(slot, hashBytes(chunk, start, start + (this.ids.length[slot] as number)));
    this.liveCount--;
  }

  private brandHash(slot: number): number {
    const offset = this.brands.offset[slot] as number;
    const start = offset & (CHUNK_SIZE - 1);
    return hashBytes(this.bytes.chunkOf(offset), start, start + (this.brands.length[slot] as number));
  }

  private ensurePlatformCapacity(needed: number): void {
    if (needed <= this.lineLength.length) return;
    this.lineLength = doubledInt32(this.lineLength);
    this.statusCode = doubledUint8(this.statusCode);
    this.firstEntry = doubledInt32(this.firstEntry);
    for (const columns of [this.ids, this.brands]) {
      columns.offset = doubledInt32(columns.offset);
      columns.length = doubledInt32(columns.length);
    }
  }

  private ensureEntryCapacity(needed: number): void {
    if (needed <= this.entryKind.length) return;
    this.entryKind = doubledUint8(this.entryKind);
    this.entryKeys.offset = doubledInt32(this.entryKeys.offset);
    this.entryKeys.length = doubledInt32(this.entryKeys.length);
    this.entryHash = doubledInt32(this.entryHash);
    this.entryPosition = doubledInt32(this.entryPosition);
    this.entryPlatform = doubledInt32(this.entryPlatform);
    this.entryNext = doubledInt32(this.entryNext);
  }
}

export { NO_SLOT };
