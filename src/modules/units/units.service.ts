import { sql } from 'kysely';
import type { Db } from '../../core/db.ts';
import { notFound } from '../../core/errors.ts';
import { MINISTRY_UNITS, STATE_BODIES } from './catalogue.ts';
import './units.table.ts';

export interface Unit {
  id: string;
  name_vi: string;
  name_en: string;
  aliases: string[];
  member_ids: string[];
  is_ministry_unit: boolean;
}

/**
 * Keeps the `units` table equal to the catalogue in code (run at every start; idempotent): other
 * tables refer to units by id, so a unit is never deleted here, only added or renamed.
 */
export async function syncUnitCatalogue(db: Db): Promise<void> {
  const units = [
    ...MINISTRY_UNITS.map((unit) => ({ unit, ministry: true })),
    ...STATE_BODIES.map((unit) => ({ unit, ministry: false })),
  ];
  await sql`
    INSERT INTO units (id, name_vi, name_en, aliases, member_ids, is_ministry_unit)
    SELECT id, name_vi, name_en, string_to_array(aliases, '|'), string_to_array(member_ids, '|'), is_ministry_unit
    FROM unnest(
      ${units.map(({ unit }) => unit.id)}::text[], ${units.map(({ unit }) => unit.nameVi)}::text[],
      ${units.map(({ unit }) => unit.nameEn)}::text[], ${units.map(({ unit }) => unit.aliases.join('|'))}::text[],
      ${units.map(({ unit }) => (unit.members ?? []).join('|'))}::text[], ${units.map(({ ministry }) => ministry)}::boolean[]
    ) AS catalogue (id, name_vi, name_en, aliases, member_ids, is_ministry_unit)
    ON CONFLICT (id) DO UPDATE SET
      name_vi = EXCLUDED.name_vi, name_en = EXCLUDED.name_en, aliases = EXCLUDED.aliases,
      member_ids = EXCLUDED.member_ids, is_ministry_unit = EXCLUDED.is_ministry_unit
    WHERE (units.name_vi, units.name_en, units.aliases, units.member_ids, units.is_ministry_unit)
      IS DISTINCT FROM (EXCLUDED.name_vi, EXCLUDED.name_en, EXCLUDED.aliases, EXCLUDED.member_ids, EXCLUDED.is_ministry_unit)`.execute(
    db,
  );
}

export async function listUnits(db: Db, options: { ministryOnly?: boolean } = {}): Promise<Unit[]> {
  let query = db.selectFrom('units').selectAll().orderBy('is_ministry_unit', 'desc').orderBy('name_vi');
  if (options.ministryOnly) query = query.where('is_ministry_unit', '=', true);
  return query.execute();
}

export async function findUnit(db: Db, id: string): Promise<Unit | undefined> {
  return db.selectFrom('units').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function getUnit(db: Db, id: string): Promise<Unit> {
  const unit = await findUnit(db, id);
  if (!unit) throw notFound({ vi: `Không có đơn vị ${id}`, en: `no unit with id ${id}` });
  return unit;
}
