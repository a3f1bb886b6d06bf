import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { citext } from '@electric-sql/pglite/contrib/citext';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
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
  close(): Promise<void>;
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
    throw new AppError('internal', `cannot use the PostgreSQL server at DATABASE_URL: ${(error as Error).message}`, {
      cause: error,
    });
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
    });
    for (const extension of EXTENSIONS) await lite.exec(`CREATE EXTENSION IF NOT EXISTS ${extension}`);
  } catch (error) {
    releaseLock();
    throw new AppError('internal', `cannot open the embedded database in ${dataDir}: ${(error as Error).message}`, {
      cause: error,
    });
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
        throw new AppError(
          'conflict',
          `the data folder ${dataDir} is in use by process ${ownerPid}; stop it first, or set DATABASE_URL to share a PostgreSQL server`,
        );
      }
      fs.rmSync(lockPath, { force: true });
    }
  }
  throw new AppError('conflict', `cannot lock the data folder ${dataDir}`);
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
