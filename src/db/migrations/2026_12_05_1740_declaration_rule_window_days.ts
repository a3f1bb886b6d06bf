import { type Kysely, sql } from 'kysely';

/**
 * The split-shipment window as a number of days (`window_days`, 1 = one calendar day in Vietnam), a parameter an
 * administrator changes like the threshold (issue 13: "threshold and window are configuration"), instead of the word
 * "day" that only one window could read.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    UPDATE declaration_rules SET params = (params - 'window') || '{"window_days": 1}'::jsonb
    WHERE code = 'split_shipment' AND params->>'window' = 'day'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    UPDATE declaration_rules SET params = (params - 'window_days') || '{"window": "day"}'::jsonb
    WHERE code = 'split_shipment' AND params->>'window_days' = '1'`.execute(db);
}
