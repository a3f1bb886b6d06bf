import { type Kysely, sql } from 'kysely';

/**
 * Directives imported before the unit catalogue knew the 2025 reorganisation stored the ids of units that have
 * since ceased (the Domestic Market Department, the Science and Technology Department, the Ministry of
 * Information and Communications). Their tasks are tracked under the successor from now on, as a newly imported
 * one is; the unit's name as the document wrote it stays in `unit_name`. Frozen copy of the successions in
 * the catalogue of 04/12/2026 (Decree 40/2025/NĐ-CP, Decree 55/2025/NĐ-CP); the successor rows are created
 * here when absent, and the catalogue sync at start fills in their names.
 */
const SUCCESSORS: ReadonlyArray<readonly [string, string, string, string]> = [
  [
    'domestic_market',
    'market_management',
    'Cục Quản lý và Phát triển thị trường trong nước',
    'Agency for Domestic Market Surveillance and Development',
  ],
  [
    'general_market_management',
    'market_management',
    'Cục Quản lý và Phát triển thị trường trong nước',
    'Agency for Domestic Market Surveillance and Development',
  ],
  [
    'science_technology',
    'innovation',
    'Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công',
    'Department of Innovation, Green Transition and Industrial Promotion',
  ],
  ['mic', 'most', 'Bộ Khoa học và Công nghệ', 'Ministry of Science and Technology'],
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [from, to, nameVi, nameEn] of SUCCESSORS) {
    await sql`
      INSERT INTO units (id, name_vi, name_en, is_ministry_unit)
      VALUES (${to}, ${nameVi}, ${nameEn}, ${to !== 'most'})
      ON CONFLICT (id) DO NOTHING`.execute(db);
    await sql`UPDATE directive_assignments SET unit_id = ${to} WHERE unit_id = ${from}`.execute(db);
    await sql`UPDATE directives SET issuer_unit_id = ${to} WHERE issuer_unit_id = ${from}`.execute(db);
    await sql`
      UPDATE directive_assignments SET cooperating_unit_ids = array_replace(cooperating_unit_ids, ${from}, ${to})
      WHERE ${from} = ANY (cooperating_unit_ids)`.execute(db);
  }
}

/** The old ids are not restored: which rows had them is not kept. */
export async function down(): Promise<void> {}
