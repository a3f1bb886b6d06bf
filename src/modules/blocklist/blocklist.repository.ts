/** All SQL of the blocklist module. Runs in the transaction (or on the handle) it is given; never opens one. */
import { sql } from 'kysely';
import type { Database, Db } from '../../core/db.ts';

export type EntryAction = 'block' | 'passthru';

/** One domain on the list as the feeds write it. */
export interface EntryRow {
  domain: string;
  action: EntryAction;
  platform_id: string;
  platform_name: string;
  registration_no: string | null;
  decision_no: string | null;
  legal_basis: string | null;
  effective_from: string | null;
  effective_to: string | null;
}

export type NewEntry = EntryRow;

const ENTRY_COLUMNS = [
  'domain',
  'action',
  'platform_id',
  'platform_name',
  'registration_no',
  'decision_no',
  'legal_basis',
  'effective_from',
  'effective_to',
] as const;

export async function readState(db: Db): Promise<{ serial: number; changed_at: Date }> {
  const row = await db.selectFrom('blocklist_state').select(['serial', 'changed_at']).executeTakeFirstOrThrow();
  return row;
}

/** Locks the one state row until the transaction ends: one synchronisation at a time, whichever process runs it. */
export async function lockState(trx: Db): Promise<number> {
  const row = await trx.selectFrom('blocklist_state').select('serial').forUpdate().executeTakeFirstOrThrow();
  return row.serial;
}

export async function advanceSerial(trx: Db, serial: number): Promise<void> {
  await trx.updateTable('blocklist_state').set({ serial, changed_at: new Date() }).execute();
}

/** The list as it was at `serial`, after `afterDomain`, in domain order (one version of a domain is valid at a serial). */
export async function listEntriesAt(
  db: Db,
  serial: number,
  afterDomain: string | null,
  limit: number,
  action?: EntryAction,
): Promise<EntryRow[]> {
  let query = db
    .selectFrom('blocklist_entries')
    .select(ENTRY_COLUMNS)
    .where('added_serial', '<=', serial)
    .where((eb) => eb.or([eb('removed_serial', 'is', null), eb('removed_serial', '>', serial)]))
    .orderBy('domain')
    .limit(limit);
  if (afterDomain !== null) query = query.where('domain', '>', afterDomain);
  if (action) query = query.where('action', '=', action);
  return (await query.execute()) as EntryRow[];
}

/** Current entries of the given domains or platforms. */
export async function listCurrentEntries(
  db: Db,
  by: { domains?: readonly string[]; platformIds?: readonly string[] },
): Promise<EntryRow[]> {
  const domains = by.domains ?? [];
  const platformIds = by.platformIds ?? [];
  if (domains.length === 0 && platformIds.length === 0) return [];
  return (await db
    .selectFrom('blocklist_entries')
    .select(ENTRY_COLUMNS)
    .where('removed_serial', 'is', null)
    .where((eb) => {
      const terms = [];
      if (domains.length > 0) terms.push(eb('domain', 'in', domains));
      if (platformIds.length > 0) terms.push(eb('platform_id', 'in', platformIds));
      return eb.or(terms);
    })
    .execute()) as EntryRow[];
}

/** Current passthru entries that lie under one of `parents`. */
export async function listCurrentPassthruUnder(db: Db, parents: readonly string[]): Promise<EntryRow[]> {
  if (parents.length === 0) return [];
  const result = await sql<EntryRow>`
    SELECT ${sql.join(ENTRY_COLUMNS.map((column) => sql.ref(column)))} FROM blocklist_entries e
     WHERE e.removed_serial IS NULL AND e.action = 'passthru'
       AND EXISTS (SELECT 1 FROM unnest(${[...parents]}::text[]) AS parent (value)
                    WHERE right(e.domain, length(parent.value) + 1) = '.' || parent.value)`.execute(db);
  return result.rows;
}

/** Which of `domains` are blocked now. */
export async function listCurrentBlockedAmong(db: Db, domains: readonly string[]): Promise<Set<string>> {
  if (domains.length === 0) return new Set();
  const rows = await db
    .selectFrom('blocklist_entries')
    .select('domain')
    .where('removed_serial', 'is', null)
    .where('action', '=', 'block')
    .where('domain', 'in', domains)
    .execute();
  return new Set(rows.map((row) => row.domain));
}

export async function closeEntries(trx: Db, domains: readonly string[], serial: number): Promise<void> {
  for (let start = 0; start < domains.length; start += 5_000) {
    await trx
      .updateTable('blocklist_entries')
      .set({ removed_serial: serial })
      .where('removed_serial', 'is', null)
      .where('domain', 'in', domains.slice(start, start + 5_000))
      .execute();
  }
}

export async function insertEntries(trx: Db, entries: readonly NewEntry[], serial: number): Promise<void> {
  for (let start = 0; start < entries.length; start += 5_000) {
    await trx
      .insertInto('blocklist_entries')
      .values(entries.slice(start, start + 5_000).map((entry) => ({ ...entry, added_serial: serial })))
      .execute();
  }
}

/**
 * What changed after serial `since` up to `serial`: versions added (still valid at `serial`), versions closed
 * (that were valid at `since`). One statement whose one value is the JSON of both lists: a thousand changes cost
 * one row through the driver, not a thousand.
 */
export async function listChanges(
  db: Db,
  since: number,
  serial: number,
): Promise<{ added: EntryRow[]; removed: Array<{ domain: string; action: EntryAction }> }> {
  const result = await sql<{ changes: string }>`
    SELECT json_build_object(
      'added', COALESCE((
        SELECT json_agg(json_build_object(
                 'domain', domain, 'action', action, 'platform_id', platform_id, 'platform_name', platform_name,
                 'registration_no', registration_no, 'decision_no', decision_no, 'legal_basis', legal_basis,
                 'effective_from', effective_from, 'effective_to', effective_to) ORDER BY domain)
          FROM blocklist_entries
         WHERE added_serial > ${since} AND added_serial <= ${serial}
           AND (removed_serial IS NULL OR removed_serial > ${serial})), '[]'::json),
      'removed', COALESCE((
        SELECT json_agg(json_build_object('domain', domain, 'action', action) ORDER BY domain)
          FROM blocklist_entries
         WHERE removed_serial > ${since} AND removed_serial <= ${serial} AND added_serial <= ${since}), '[]'::json)
    )::text AS changes`.execute(db);
  return JSON.parse(result.rows[0]?.changes ?? '{"added":[],"removed":[]}') as {
    added: EntryRow[];
    removed: Array<{ domain: string; action: EntryAction }>;
  };
}

/**
 * The RPZ or hosts lines of the list at `serial` after `afterDomain`, up to `limit` entries, formatted by the
 * database and read as bytes (`Database.readTextColumn`: no row objects, no string per entry). Returns the bytes
 * and the last domain (for the next page), or no bytes at the end.
 */
export async function readFeedLinesAt(
  database: Database,
  format: 'rpz' | 'hosts',
  options: { serial: number; afterDomain: string | null; limit: number; blockTarget: string },
): Promise<{ chunks: Buffer[]; lastDomain: string | null }> {
  const { serial, afterDomain, limit, blockTarget } = options;
  const line =
    format === 'rpz'
      ? sql`domain || ' CNAME ' || target || chr(10) || '*.' || domain || ' CNAME ' || target`
      : sql`'0.0.0.0 ' || domain`;
  const query = sql`
    SELECT ${line} FROM (
      SELECT domain, CASE action WHEN 'block' THEN ${sql.lit(blockTarget)} ELSE 'rpz-passthru.' END AS target
        FROM blocklist_entries
       WHERE added_serial <= ${sql.lit(serial)} AND (removed_serial IS NULL OR removed_serial > ${sql.lit(serial)})
         ${afterDomain === null ? sql`` : sql`AND domain > ${sql.lit(afterDomain)}`}
         ${format === 'hosts' ? sql`AND action = 'block'` : sql``}
       ORDER BY domain
       LIMIT ${sql.lit(limit)}) AS page`;
  const chunks: Buffer[] = [];
  await database.readTextColumn(query, (values) => chunks.push(values));
  const last = chunks.at(-1);
  if (!last || last.length === 0) return { chunks: [], lastDomain: null };
  // The last line is `*.DOMAIN CNAME …` (rpz) or `0.0.0.0 DOMAIN` (hosts), and ends in a newline.
  const lineStart = last.lastIndexOf(10, last.length - 2) + 1;
  const lastLine = last.subarray(lineStart, last.length - 1).toString('utf8');
  const lastDomain = format === 'rpz' ? lastLine.slice(2, lastLine.indexOf(' ')) : lastLine.slice('0.0.0.0 '.length);
  return { chunks, lastDomain };
}

export async function countCurrent(db: Db): Promise<{ block: number; passthru: number }> {
  const rows = await db
    .selectFrom('blocklist_entries')
    .select(['action', (eb) => eb.fn.countAll<number>().as('count')])
    .where('removed_serial', 'is', null)
    .groupBy('action')
    .execute();
  const counts = { block: 0, passthru: 0 };
  for (const row of rows) counts[row.action] = Number(row.count);
  return counts;
}

export async function upsertPartnerLoad(
  trx: Db,
  load: { token_id: string; partner_name: string; serial: number },
): Promise<void> {
  await trx
    .insertInto('blocklist_partner_loads')
    .values({ ...load, loaded_at: new Date() })
    .onConflict((oc) =>
      oc.column('token_id').doUpdateSet((eb) => ({
        partner_name: eb.ref('excluded.partner_name'),
        serial: eb.ref('excluded.serial'),
        loaded_at: eb.ref('excluded.loaded_at'),
      })),
    )
    .execute();
}

export async function listPartnerLoads(
  db: Db,
): Promise<Array<{ token_id: string; partner_name: string; serial: number; loaded_at: Date }>> {
  return db.selectFrom('blocklist_partner_loads').selectAll().orderBy('partner_name').execute();
}
