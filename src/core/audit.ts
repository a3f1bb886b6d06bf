import { createHash } from 'node:crypto';
import { type ColumnType, sql } from 'kysely';
import type { ActorContext } from './context.ts';
import { type CsvCell, spreadsheetCsv } from './csv.ts';
import type { Db } from './db.ts';
import { AppError } from './errors.ts';

/**
 * The audit trail: who did what, when, from where, to which record. For a regulator it is evidence,
 * so it is append-only (a trigger rejects UPDATE, DELETE and TRUNCATE of `audit_events`) and
 * hash-chained: each event stores the hash of the one before it and
 * `hash = SHA-256(prev_hash + canonical JSON of the event)`, so altering or removing any event breaks
 * the chain at that event, which `verifyAuditChain` names.
 */

export interface AuditEventTable {
  /** Position in the chain: 1, 2, 3, … without gaps (a gap is a removed event). */
  seq: ColumnType<number, number, never>;
  occurred_at: ColumnType<Date, string, never>;
  actor: string;
  request_id: string | null;
  ip: string | null;
  action: string;
  entity_type: string;
  entity_id: string;
  changes: ColumnType<unknown, string | null, never>;
  prev_hash: string;
  hash: string;
}

/** One row: the end of the chain, locked by every append so concurrent writers keep one chain. */
export interface AuditChainHeadTable {
  only_row: ColumnType<boolean, boolean, never>;
  last_seq: number;
  last_hash: string;
}

declare module './db.ts' {
  interface DatabaseTables {
    audit_events: AuditEventTable;
    audit_chain_head: AuditChainHeadTable;
  }
}

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEventInput {
  /** Verb-first, dotted: 'account.create', 'login.fail', 'application.approve'. */
  action: string;
  /** 'account', 'api_token', 'platform', 'application', … */
  entityType: string;
  entityId: string;
  /** What changed: `{ field: [before, after] }` or the new values. Never secrets (passwords, tokens). */
  changes?: unknown;
}

export interface AuditEvent {
  seq: number;
  occurred_at: string;
  actor: string;
  request_id: string | null;
  ip: string | null;
  action: string;
  entity_type: string;
  entity_id: string;
  changes: unknown;
  prev_hash: string;
  hash: string;
}

/** JSON with object keys sorted at every depth: one spelling per value, so its hash is stable. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) sorted[key] = sortKeys((value as Record<string, unknown>)[key]);
    return sorted;
  }
  return value;
}

type HashedFields = Omit<AuditEvent, 'hash' | 'prev_hash'>;

export function hashAuditEvent(prevHash: string, event: HashedFields): string {
  const body = canonicalJson({
    seq: event.seq,
    occurred_at: event.occurred_at,
    actor: event.actor,
    request_id: event.request_id,
    ip: event.ip,
    action: event.action,
    entity_type: event.entity_type,
    entity_id: event.entity_id,
    changes: event.changes,
  });
  return createHash('sha256').update(prevHash).update(body).digest('hex');
}

/**
 * Appends an event to the trail inside the caller's transaction, so the write and its record commit
 * or roll back together. It locks the chain head until that transaction ends: call it last, after
 * the write it records, to keep the lock short.
 */
export async function recordAuditEvent(trx: Db, context: ActorContext, event: AuditEventInput): Promise<AuditEvent> {
  if (!trx.isTransaction) {
    throw new AppError('internal', {
      vi: 'recordAuditEvent phải chạy trong giao dịch của thao tác ghi mà nó ghi nhận',
      en: 'recordAuditEvent must run inside the transaction of the write it records',
    });
  }
  // Through JSON and back: what is hashed is exactly what jsonb returns (no undefined, Dates as text).
  const changes = event.changes === undefined ? null : (JSON.parse(JSON.stringify(event.changes)) as unknown);
  const head = await sql<{ last_seq: number; last_hash: string }>`
    SELECT last_seq, last_hash FROM audit_chain_head WHERE only_row FOR UPDATE`.execute(trx);
  const last = head.rows[0];
  if (!last) {
    throw new AppError('internal', { vi: 'Thiếu đầu chuỗi nhật ký kiểm tra', en: 'the audit chain head is missing' });
  }
  const fields: HashedFields = {
    seq: Number(last.last_seq) + 1,
    occurred_at: new Date().toISOString(),
    actor: context.actor,
    request_id: context.requestId ?? null,
    ip: context.ip ?? null,
    action: event.action,
    entity_type: event.entityType,
    entity_id: event.entityId,
    changes,
  };
  const hash = hashAuditEvent(last.last_hash, fields);
  await trx
    .insertInto('audit_events')
    .values({
      ...fields,
      changes: changes === null ? null : JSON.stringify(changes),
      prev_hash: last.last_hash,
      hash,
    })
    .execute();
  await trx
    .updateTable('audit_chain_head')
    .set({ last_seq: fields.seq, last_hash: hash })
    .where('only_row', '=', true)
    .execute();
  return { ...fields, prev_hash: last.last_hash, hash };
}

export type AuditChainReport =
  | { ok: true; events: number; lastHash: string }
  | {
      ok: false;
      /** Events that verified before the break. */
      events: number;
      /** The first event altered or removed. */
      eventId: number;
      problem: 'altered' | 'removed';
      message: string;
    };

type AuditEventRow = Omit<AuditEvent, 'occurred_at'> & { occurred_at: Date };

function rowToAuditEvent(row: AuditEventRow): AuditEvent {
  return { ...row, seq: Number(row.seq), occurred_at: row.occurred_at.toISOString() };
}

const VERIFY_BATCH = 2_000;

/**
 * Walks the chain from the first event and names the first one altered or removed: a gap in the
 * sequence is a removed event, a hash that does not match the event's content an altered one, and a
 * link that does not match the previous event's hash an event altered and re-hashed. The head row
 * catches events removed from the end.
 */
export async function verifyAuditChain(db: Db): Promise<AuditChainReport> {
  let prevHash = GENESIS_HASH;
  let prevSeq = 0;
  for (;;) {
    const rows = (await db
      .selectFrom('audit_events')
      .selectAll()
      .where('seq', '>', prevSeq)
      .orderBy('seq')
      .limit(VERIFY_BATCH)
      .execute()) as AuditEventRow[];
    for (const row of rows) {
      const event = rowToAuditEvent(row);
      const broken = (eventId: number, problem: 'altered' | 'removed', message: string): AuditChainReport => ({
        ok: false,
        events: prevSeq,
        eventId,
        problem,
        message,
      });
      if (event.seq !== prevSeq + 1) {
        return broken(
          prevSeq + 1,
          'removed',
          `audit event ${prevSeq + 1} was removed: event ${event.seq} follows event ${prevSeq}`,
        );
      }
      if (hashAuditEvent(event.prev_hash, event) !== event.hash) {
        return broken(
          event.seq,
          'altered',
          `audit event ${event.seq} was altered: its hash does not match its content`,
        );
      }
      if (event.prev_hash !== prevHash) {
        return broken(
          prevSeq,
          'altered',
          `audit event ${prevSeq} was altered and re-hashed: event ${event.seq} links to a different hash`,
        );
      }
      prevHash = event.hash;
      prevSeq = event.seq;
    }
    if (rows.length < VERIFY_BATCH) break;
  }
  const head = await db.selectFrom('audit_chain_head').select(['last_seq', 'last_hash']).executeTakeFirst();
  const lastSeq = Number(head?.last_seq ?? 0);
  if (lastSeq > prevSeq) {
    return {
      ok: false,
      events: prevSeq,
      eventId: prevSeq + 1,
      problem: 'removed',
      message: `audit event ${prevSeq + 1} was removed: the chain ends at ${prevSeq} but its head is at ${lastSeq}`,
    };
  }
  if (head && head.last_hash !== prevHash) {
    return {
      ok: false,
      events: prevSeq,
      eventId: prevSeq,
      problem: 'altered',
      message: `audit event ${prevSeq} was altered: the chain head holds a different hash`,
    };
  }
  return { ok: true, events: prevSeq, lastHash: prevHash };
}

export interface AuditFilter {
  entityType?: string | undefined;
  entityId?: string | undefined;
  actor?: string | undefined;
}

function filtered(db: Db, filter: AuditFilter) {
  let query = db.selectFrom('audit_events').selectAll();
  if (filter.entityType) query = query.where('entity_type', '=', filter.entityType);
  if (filter.entityId) query = query.where('entity_id', '=', filter.entityId);
  if (filter.actor) query = query.where('actor', '=', filter.actor);
  return query;
}

/** Events matching the filter, newest first; `beforeSeq` pages backwards. */
export async function listAuditEvents(
  db: Db,
  filter: AuditFilter,
  page: { limit: number; beforeSeq?: number | undefined } = { limit: 100 },
): Promise<AuditEvent[]> {
  let query = filtered(db, filter).orderBy('seq', 'desc').limit(page.limit);
  if (page.beforeSeq !== undefined) query = query.where('seq', '<', page.beforeSeq);
  return ((await query.execute()) as AuditEventRow[]).map(rowToAuditEvent);
}

export const AUDIT_CSV_COLUMNS = [
  'seq',
  'occurred_at',
  'actor',
  'ip',
  'request_id',
  'action',
  'entity_type',
  'entity_id',
  'changes',
  'prev_hash',
  'hash',
] as const;

/** One event as a row of `AUDIT_CSV_COLUMNS`. */
export function auditCsvRow(event: AuditEvent): CsvCell[] {
  return [
    event.seq,
    event.occurred_at,
    event.actor,
    event.ip ?? '',
    event.request_id ?? '',
    event.action,
    event.entity_type,
    event.entity_id,
    event.changes === null ? '' : canonicalJson(event.changes),
    event.prev_hash,
    event.hash,
  ];
}

/**
 * Every event of the given records, oldest first, read in batches: the trail of a file made of several records
 * (a case and its evidence items) in the order it happened.
 */
export async function listAuditEventsOfRecords(
  db: Db,
  records: ReadonlyArray<{ entityType: string; entityId: string }>,
): Promise<AuditEvent[]> {
  if (records.length === 0) return [];
  const events: AuditEvent[] = [];
  let afterSeq = 0;
  for (;;) {
    const rows = (
      (await db
        .selectFrom('audit_events')
        .selectAll()
        .where((eb) =>
          eb.or(
            records.map((record) =>
              eb.and([eb('entity_type', '=', record.entityType), eb('entity_id', '=', record.entityId)]),
            ),
          ),
        )
        .where('seq', '>', afterSeq)
        .orderBy('seq')
        .limit(VERIFY_BATCH)
        .execute()) as AuditEventRow[]
    ).map(rowToAuditEvent);
    events.push(...rows);
    afterSeq = rows[rows.length - 1]?.seq ?? afterSeq;
    if (rows.length < VERIFY_BATCH) return events;
  }
}

/** Writes the matching events as CSV, oldest first, in batches (the trail of one record may be long). */
export async function exportAuditEvents(
  db: Db,
  filter: AuditFilter,
  write: (chunk: string) => void | Promise<void>,
): Promise<number> {
  await write(spreadsheetCsv([AUDIT_CSV_COLUMNS]));
  let afterSeq = 0;
  let count = 0;
  for (;;) {
    const rows = (
      (await filtered(db, filter)
        .where('seq', '>', afterSeq)
        .orderBy('seq')
        .limit(VERIFY_BATCH)
        .execute()) as AuditEventRow[]
    ).map(rowToAuditEvent);
    if (rows.length === 0) break;
    await write(spreadsheetCsv(rows.map(auditCsvRow)));
    count += rows.length;
    afterSeq = rows[rows.length - 1]?.seq ?? afterSeq;
    if (rows.length < VERIFY_BATCH) break;
  }
  return count;
}
