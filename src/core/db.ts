import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PGlite } from '@electric-sql/pglite';
import { citext } from '@electric-sql/pglite/contrib/citext';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { Kysely, PostgresDialect, type RawBuilder, sql } from 'kysely';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { AppError } from './errors.ts';

/**
 * Every module declares its tables by augmenting this interface (declaration merging), so the one
 * Kysely handle is typed with all tables while core never imports a module.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by each module's `*.table.ts`
export interface DatabaseTables {}

export type Db = Kysely<DatabaseTables>;

export interface Database {
  readonly db: Db;
  readonly pool: pg.Pool;
  readonly kind: 'pglite' | 'postgres';
  /** Calls `handler` with each payload sent by `pg_notify(channel, …)` (after the sender's commit). */
  listen(channel: string, handler: (payload: string) => void): Promise<() => Promise<void>>;
  /**
   * Runs a query of one text column (no parameters) and hands its values over as UTF-8 bytes, each followed by a
   * newline, in chunks of about a megabyte that the callee may keep: for reading a whole table into a packed
   * in-memory index without making a string per row (a value holding a newline must carry its own length). On the
   * embedded database this reads the wire protocol's bytes directly, twice as fast as rows through the driver.
   */
  readTextColumn(query: RawBuilder<unknown>, onChunk: (values: Buffer) => void): Promise<void>;
  /**
   * Runs `work` in one transaction on one connection, with `copyIn` to bulk-load COPY text into a table (`target` as
   * COPY names it: "t" or "t (a, b)"): over the COPY protocol on the server, as a blob (`FROM '/dev/blob'`) on the
   * embedded database. Commits when `work` resolves, rolls back when it throws.
   */
  bulkTransaction<T>(work: (connection: BulkConnection) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface BulkConnection {
  query(text: string, values?: unknown[]): Promise<{ rows: Array<Record<string, unknown>> }>;
  copyIn(target: string, data: Buffer): Promise<void>;
}

/** A transaction on a client of the pool, given back to the pool after (or dropped, when it may be what failed). */
async function inClientTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
  begin = 'BEGIN',
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query(begin);
    const result = await work(client);
    await client.query('COMMIT');
    client.release();
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    client.release(error as Error);
    throw error;
  }
}

export interface OpenDatabaseOptions {
  /** PostgreSQL server; when absent, the embedded PGlite database in `dataDir`. */
  databaseUrl?: string | undefined;
  /** Folder of the embedded database, or `memory://` for a throw-away one (tests). */
  dataDir: string;
  poolSize?: number;
}

// DATE stays a 'YYYY-MM-DD' string: a JS Date would shift it by the process time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);
// Counts and sums arrive as int8; they stay far below 2^53 here.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));

const EXTENSIONS = ['pg_trgm', 'unaccent', 'citext'] as const;

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  return options.databaseUrl
    ? openServerDatabase(options.databaseUrl, options.poolSize ?? 10)
    : openEmbeddedDatabase(options.dataDir);
}

async function openServerDatabase(connectionString: string, poolSize: number): Promise<Database> {
  const pool = new pg.Pool({ connectionString, max: poolSize });
  pool.on('error', () => {
    // An idle client lost its connection; the pool replaces it on the next checkout.
  });
  try {
    for (const extension of EXTENSIONS) await pool.query(`CREATE EXTENSION IF NOT EXISTS ${extension}`);
  } catch (error) {
    await pool.end();
    throw new AppError(
      'internal',
      {
        vi: `Không dùng được máy chủ PostgreSQL tại DATABASE_URL: ${(error as Error).message}`,
        en: `cannot use the PostgreSQL server at DATABASE_URL: ${(error as Error).message}`,
      },
      { cause: error },
    );
  }
  const db = new Kysely<DatabaseTables>({ dialect: new PostgresDialect({ pool }) });
  const listeners: pg.Client[] = [];
  return {
    db,
    pool,
    kind: 'postgres',
    async listen(channel, handler) {
      const client = new pg.Client({ connectionString });
      await client.connect();
      client.on('notification', (message) => {
        if (message.channel === channel) handler(message.payload ?? '');
      });
      client.on('error', () => {});
      await client.query(`LISTEN ${quoteIdentifier(channel)}`);
      listeners.push(client);
      return async () => {
        listeners.splice(listeners.indexOf(client), 1);
        await client.end();
      };
    },
    async readTextColumn(query, onChunk) {
      const text = parameterlessSql(db, query);
      const chunks = new TextValueChunks(onChunk);
      await inClientTransaction(
        pool,
        async (client) => {
          await client.query(`DECLARE text_column NO SCROLL CURSOR FOR ${text}`);
          for (;;) {
            const batch = await client.query<[string | null]>({
              text: 'FETCH 10000 FROM text_column',
              rowMode: 'array',
            });
            if (batch.fields.length !== 1) {
              throw new AppError('internal', {
                vi: `readTextColumn nhận truy vấn một cột, không phải ${batch.fields.length} cột`,
                en: `readTextColumn takes a query of one column, not ${batch.fields.length}`,
              });
            }
            if (batch.rows.length === 0) break;
            for (const [value] of batch.rows) if (value !== null) chunks.addString(value);
          }
        },
        'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
      );
      chunks.flush();
    },
    bulkTransaction(work) {
      return inClientTransaction(pool, (client) =>
        work({
          query: (text, values) => client.query(text, values),
          copyIn: (target, data) =>
            pipeline(Readable.from([data]), client.query(copyFrom(`COPY ${target} FROM STDIN`))),
        }),
      );
    },
    async close() {
      await Promise.all(listeners.splice(0).map((client) => client.end()));
      await db.destroy();
    },
  };
}

async function openEmbeddedDatabase(dataDir: string): Promise<Database> {
  const inMemory = dataDir.startsWith('memory://');
  const releaseLock = inMemory ? () => {} : acquireDataDirLock(dataDir);
  let lite: PGlite;
  try {
    lite = await PGlite.create(inMemory ? dataDir : path.join(dataDir, 'pgdata'), {
      extensions: { pg_trgm, unaccent, citext },
      // PostgreSQL's default of 128 MB lives in the process's own memory here, where the operating system's page cache
      // already keeps the data files: 32 MB cost no time on a million-row import and keep 100 MB off the peak (bench
      // declarations: 20,294 rows/s and 617 MB at 128 MB; 20,718 rows/s and 478 MB at 32 MB).
      // (A start parameter: PGlite's postgresqlconf option would replace the data directory's postgresql.conf whole.)
      startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=32MB'],
    });
    for (const extension of EXTENSIONS) await lite.exec(`CREATE EXTENSION IF NOT EXISTS ${extension}`);
  } catch (error) {
    releaseLock();
    throw new AppError(
      'internal',
      {
        vi: `Không mở được cơ sở dữ liệu nhúng trong ${dataDir}: ${(error as Error).message}`,
        en: `cannot open the embedded database in ${dataDir}: ${(error as Error).message}`,
      },
      { cause: error },
    );
  }
  // PGlite is a single connection: the pool holds exactly one client, so never use the outer
  // handle inside a transaction (it would wait for the connection the transaction holds).
  const pool = new pg.Pool(createPgConfig(lite) as pg.PoolConfig);
  const db = new Kysely<DatabaseTables>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    pool,
    kind: 'pglite',
    async listen(channel, handler) {
      return lite.listen(channel, handler);
    },
    async readTextColumn(query, onChunk) {
      const message = simpleQueryMessage(parameterlessSql(db, query));
      const reader = new TextColumnMessageReader(new TextValueChunks(onChunk));
      // The exchange bypasses the driver and PGlite's own locks. Holding the pool's one client keeps the driver's
      // statements (and any open transaction) out of the session, and runExclusive keeps out PGlite's own queries
      // (LISTEN, UNLISTEN), which may span several protocol exchanges.
      const client = await pool.connect();
      try {
        await lite.runExclusive(() =>
          lite.execProtocolRawStream(message, { syncToFs: false, onRawData: (data) => reader.read(data) }),
        );
      } finally {
        client.release();
      }
      reader.finish();
    },
    bulkTransaction(work) {
      // The pool's one client holds the embedded database's only session, so PGlite's own query (which alone takes a
      // blob) runs inside the transaction that client opened.
      return inClientTransaction(pool, (client) =>
        work({
          query: (text, values) => client.query(text, values),
          copyIn: async (target, data) => {
            await lite.query(`COPY ${target} FROM '/dev/blob'`, [], {
              blob: new Blob([new Uint8Array(data.buffer as ArrayBuffer, data.byteOffset, data.byteLength)]),
            });
          },
        }),
      );
    },
    async close() {
      await db.destroy();
      await lite.close();
      releaseLock();
    },
  };
}

/**
 * PGlite's files may be opened by one process only. A lock file names the owner's PID: a live owner
 * gives a clear error; a lock left by a killed process is taken over.
 */
function acquireDataDirLock(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockPath = path.join(dataDir, 'ecomgov.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const ownerPid = Number.parseInt(fs.readFileSync(lockPath, 'utf8'), 10);
      if (Number.isInteger(ownerPid) && ownerPid !== process.pid && isProcessAlive(ownerPid)) {
        throw new AppError('conflict', {
          vi: `Thư mục dữ liệu ${dataDir} đang được tiến trình ${ownerPid} dùng; hãy dừng tiến trình đó trước, hoặc đặt DATABASE_URL để dùng chung một máy chủ PostgreSQL`,
          en: `the data folder ${dataDir} is in use by process ${ownerPid}; stop it first, or set DATABASE_URL to share a PostgreSQL server`,
        });
      }
      fs.rmSync(lockPath, { force: true });
    }
  }
  throw new AppError('conflict', {
    vi: `Không khóa được thư mục dữ liệu ${dataDir}`,
    en: `cannot lock the data folder ${dataDir}`,
  });
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Sends a notification that listeners receive when the surrounding transaction commits. */
export async function notifyChannel(db: Db, channel: string, payload: string): Promise<void> {
  await sql`SELECT pg_notify(${channel}, ${payload})`.execute(db);
}

/**
 * A PostgreSQL array literal (`{"a","b",NULL}`) of text or numbers, for `${literal}::text[]` parameters: what the
 * `pg` driver would build from a JS array, made by the caller so that it can be made on another thread.
 */
export function pgArrayLiteral(values: readonly (string | number | null)[]): string {
  let literal = '{';
  for (let index = 0; index < values.length; index++) {
    if (index > 0) literal += ',';
    const value = values[index];
    if (value === null || value === undefined) literal += 'NULL';
    else if (typeof value === 'number') literal += String(value);
    // Most values need no escaping: testing first saves building a copy of each.
    else if (!value.includes('"') && !value.includes('\\')) literal += `"${value}"`;
    else literal += `"${value.replace(/[\\"]/g, '\\$&')}"`;
  }
  return `${literal}}`;
}

function parameterlessSql(db: Db, query: RawBuilder<unknown>): string {
  const compiled = query.compile(db);
  if (compiled.parameters.length > 0) {
    throw new AppError('internal', {
      vi: 'readTextColumn nhận truy vấn không có tham số',
      en: 'readTextColumn takes a query without parameters',
    });
  }
  return compiled.sql;
}

/** A simple-query ('Q') message of the PostgreSQL wire protocol. */
function simpleQueryMessage(text: string): Uint8Array {
  const length = Buffer.byteLength(text, 'utf8');
  const message = Buffer.alloc(1 + 4 + length + 1);
  message[0] = 0x51;
  message.writeInt32BE(4 + length + 1, 1);
  message.write(text, 5, 'utf8');
  return message;
}

const TEXT_CHUNK_BYTES = 1 << 20;
const NEWLINE = 0x0a;

/** Gathers values, each followed by a newline, into chunks of about TEXT_CHUNK_BYTES handed over as they fill. */
class TextValueChunks {
  private chunk = Buffer.allocUnsafeSlow(TEXT_CHUNK_BYTES);
  private used = 0;

  constructor(private readonly onChunk: (values: Buffer) => void) {}

  add(source: Uint8Array, start: number, end: number): void {
    this.reserve(end - start + 1);
    const chunk = this.chunk;
    // Values are a few dozen bytes: a loop costs less than a view and a call into the runtime for each.
    if (end - start <= 256) for (let i = start, at = this.used; i < end; i++, at++) chunk[at] = source[i] as number;
    else chunk.set(source.subarray(start, end), this.used);
    this.used += end - start;
    chunk[this.used++] = NEWLINE;
  }

  addString(value: string): void {
    this.reserve(Buffer.byteLength(value, 'utf8') + 1);
    this.used += this.chunk.write(value, this.used, 'utf8');
    this.chunk[this.used++] = NEWLINE;
  }

  /** Hands over what is gathered; each chunk is a buffer of its own, so that the callee may keep it. */
  flush(): void {
    if (this.used === 0) return;
    this.onChunk(this.chunk.subarray(0, this.used));
    this.chunk = Buffer.allocUnsafeSlow(TEXT_CHUNK_BYTES);
    this.used = 0;
  }

  private reserve(length: number): void {
    if (this.used + length <= this.chunk.length) return;
    this.flush();
    if (length > this.chunk.length) this.chunk = Buffer.allocUnsafeSlow(length);
  }
}

/**
 * Reads the backend's messages of a one-column query from the raw protocol stream, which arrives in pieces that
 * cut messages anywhere: data rows go to the chunks, an error is kept and thrown by `finish`, the rest (row
 * description, command complete, ready for query) is skipped.
 */
class TextColumnMessageReader {
  /** The start of a message the last piece cut: its first `partialLength` bytes (the buffer grows as needed). */
  private partial = Buffer.alloc(1024);
  private partialLength = 0;
  private error: string | undefined;
  /** What the chunks' callee threw: kept for `finish`, since the database would swallow it. */
  private calleeFailure: { error: unknown } | undefined;

  constructor(private readonly values: TextValueChunks) {}

  /**
   * Takes a piece: a view of the database's memory, valid during this call only (what is left over is copied).
   * Called from inside the embedded database's engine, which swallows what is thrown there and leaves the session
   * unusable: nothing may escape. Once the callee has failed, the rest of the answer is read past.
   */
  read(data: Uint8Array): void {
    if (this.calleeFailure) return;
    try {
      this.readPiece(data);
    } catch (error) {
      this.calleeFailure = { error };
    }
  }

  private readPiece(data: Uint8Array): void {
    let at = this.partialLength > 0 ? this.completePartial(data) : 0;
    if (at < 0) return;
    while (at + 5 <= data.length) {
      const end = at + 1 + readInt32(data, at + 1);
      if (end > data.length) break;
      this.readMessage(data, at, end);
      at = end;
    }
    this.keepPartial(data, at, data.length);
  }

  finish(): void {
    if (this.calleeFailure) throw this.calleeFailure.error;
    if (this.error !== undefined) {
      throw new AppError('internal', { vi: `Lỗi cơ sở dữ liệu: ${this.error}`, en: `database error: ${this.error}` });
    }
    if (this.partialLength > 0) {
      throw new AppError('internal', {
        vi: 'Câu trả lời của cơ sở dữ liệu kết thúc giữa chừng một thông điệp',
        en: 'database answer ended inside a message',
      });
    }
    this.values.flush();
  }

  /**
   * Adds the start of `data` to the message the previous piece cut, and reads it once whole. Returns where the rest
   * of `data` starts, or -1 when all of it went into the still incomplete message.
   */
  private completePartial(data: Uint8Array): number {
    let at = 0;
    if (this.partialLength < 5) {
      at = Math.min(5 - this.partialLength, data.length);
      this.keepPartial(data, 0, at);
      if (this.partialLength < 5) return -1;
    }
    const end = 1 + readInt32(this.partial, 1);
    const take = Math.min(end - this.partialLength, data.length - at);
    this.keepPartial(data, at, at + take);
    if (this.partialLength < end) return -1;
    this.readMessage(this.partial, 0, end);
    this.partialLength = 0;
    return at + take;
  }

  private keepPartial(data: Uint8Array, start: number, end: number): void {
    const needed = this.partialLength + end - start;
    if (needed > this.partial.length) {
      const larger = Buffer.alloc(Math.max(needed, this.partial.length * 2));
      larger.set(this.partial.subarray(0, this.partialLength));
      this.partial = larger;
    }
    this.partial.set(data.subarray(start, end), this.partialLength);
    this.partialLength = needed;
  }

  private readMessage(bytes: Uint8Array, start: number, end: number): void {
    const type = bytes[start];
    if (type === 0x44 /* D: data row */) {
      // Int16 column count, then the column's Int32 length (-1 for NULL) and its bytes.
      const length = readInt32(bytes, start + 7);
      if (length >= 0) this.values.add(bytes, start + 11, start + 11 + length);
    } else if (type === 0x54 /* T: row description */ && readInt16(bytes, start + 5) !== 1) {
      this.error ??= `readTextColumn takes a query of one column, not ${readInt16(bytes, start + 5)}`;
    } else if (type === 0x45 /* E: error */ && this.error === undefined) {
      this.error = errorMessageOf(bytes, start + 5, end);
    }
  }
}

function readInt16(bytes: Uint8Array, at: number): number {
  return ((bytes[at] as number) << 8) | (bytes[at + 1] as number);
}

/** A signed big-endian Int32 (a NULL column's length is -1). */
function readInt32(bytes: Uint8Array, at: number): number {
  return (
    ((bytes[at] as number) << 24) |
    ((bytes[at + 1] as number) << 16) |
    ((bytes[at + 2] as number) << 8) |
    (bytes[at + 3] as number)
  );
}

/** The 'M' (message) field of an ErrorResponse's fields bytes[start, end). */
function errorMessageOf(bytes: Uint8Array, start: number, end: number): string {
  let at = start;
  while (at < end && bytes[at] !== 0) {
    const code = bytes[at];
    const valueEnd = bytes.indexOf(0, at + 1);
    if (valueEnd < 0) break;
    if (code === 0x4d) return Buffer.from(bytes.subarray(at + 1, valueEnd)).toString('utf8');
    at = valueEnd + 1;
  }
  return 'unknown error';
}
