import { sql } from 'kysely';
import type { Db } from '../../core/db.ts';
import { notFound } from '../../core/errors.ts';
import { MINISTRY_UNITS, STATE_BODIES, type UnitSource } from './catalogue.ts';
import './units.table.ts';

export interface Unit {
  id: string;
  name_vi: string;
  name_en: string;
  aliases: string[];
  member_ids: string[];
  is_ministry_unit: boolean;
  /** yyyy-mm-dd the unit ceased; null for a unit of today (or when the day is not known: see `ceased_by`). */
  ceased_on: string | null;
  /** The act that ended the unit; null for a unit of today. */
  ceased_by: string | null;
  /** The units that took over its work; the first is the one its tasks are tracked under. */
  successor_ids: string[];
  sources: UnitSource[];
}

/**
 * Keeps the `units` table equal to the catalogue in code (run at every start; idempotent): other
 * tables refer to units by id, so a unit is never deleted here, only added, renamed or marked ceased.
 */
export async function syncUnitCatalogue(db: Db): Promise<void> {
  const units = [
    ...MINISTRY_UNITS.map((unit) => ({ unit, ministry: true })),
    ...STATE_BODIES.map((unit) => ({ unit, ministry: false })),
  ];
  const sourcesOf = (unit: (typeof units)[number]['unit']) => [
    ...(unit.sources ?? []),
    ...(unit.ceased?.sources ?? []),
  ];
  await sql`
    INSERT INTO units (id, name_vi, name_en, aliases, member_ids, is_ministry_unit, ceased_on, ceased_by, successor_ids, sources)
    SELECT id, name_vi, name_en, string_to_array(aliases, '|'), string_to_array(member_ids, '|'), is_ministry_unit,
      ceased_on::date, ceased_by, string_to_array(successor_ids, '|'), sources::jsonb
    FROM unnest(
      ${units.map(({ unit }) => unit.id)}::text[], ${units.map(({ unit }) => unit.nameVi)}::text[],
      ${units.map(({ unit }) => unit.nameEn)}::text[], ${units.map(({ unit }) => unit.aliases.join('|'))}::text[],
      ${units.map(({ unit }) => (unit.members ?? []).join('|'))}::text[], ${units.map(({ ministry }) => ministry)}::boolean[],
      ${units.map(({ unit }) => unit.ceased?.on ?? null)}::text[], ${units.map(({ unit }) => unit.ceased?.by ?? null)}::text[],
      ${units.map(({ unit }) => (unit.ceased?.successorIds ?? []).join('|'))}::text[],
      ${units.map(({ unit }) => JSON.stringify(sourcesOf(unit)))}::text[]
    ) AS catalogue (id, name_vi, name_en, aliases, member_ids, is_ministry_unit, ceased_on, ceased_by, successor_ids, sources)
    ON CONFLICT (id) DO UPDATE SET
      name_vi = EXCLUDED.name_vi, name_en = EXCLUDED.name_en, aliases = EXCLUDED.aliases,
      member_ids = EXCLUDED.member_ids, is_ministry_unit = EXCLUDED.is_ministry_unit, ceased_on = EXCLUDED.ceased_on,
      ceased_by = EXCLUDED.ceased_by, successor_ids = EXCLUDED.successor_ids, sources = EXCLUDED.sources
    WHERE (units.name_vi, units.name_en, units.aliases, units.member_ids, units.is_ministry_unit, units.ceased_on,
        units.ceased_by, units.successor_ids, units.sources)
      IS DISTINCT FROM (EXCLUDED.name_vi, EXCLUDED.name_en, EXCLUDED.aliases, EXCLUDED.member_ids,
        EXCLUDED.is_ministry_unit, EXCLUDED.ceased_on, EXCLUDED.ceased_by, EXCLUDED.successor_ids, EXCLUDED.sources)`.execute(
    db,
  );
}

/**
 * The units, the Ministry's first. `currentOnly` leaves out units that ceased (for choosing an officer's unit);
 * without it they are listed too, since stored tasks and accounts may still name them.
 */
export async function listUnits(
  db: Db,
  options: { ministryOnly?: boolean; currentOnly?: boolean } = {},
): Promise<Unit[]> {
  let query = db.selectFrom('units').selectAll().orderBy('is_ministry_unit', 'desc').orderBy('name_vi');
  if (options.ministryOnly) query = query.where('is_ministry_unit', '=', true);
  if (options.currentOnly) query = query.where('ceased_by', 'is', null);
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
