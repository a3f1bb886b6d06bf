import { type Kysely, sql } from 'kysely';

/**
 * Warnings to consumers (issue 11, "Advisories"). `advisory_kinds` is the law as data: which list an advisory
 * belongs to (a general warning; the portal's list of violating sites; its list of sites complained about), the
 * provision it cites and whether that citation was verified against the text. `advisories` go draft → published →
 * withdrawn (with a reason); `advisory_platforms` names the platforms of the register each one concerns, by id
 * (no foreign key into the register's tables: the module reaches the register through its exported functions, and
 * the register's bulk load drops and rebuilds its own constraints).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE advisory_kinds (
      id text PRIMARY KEY CHECK (id ~ '^[a-z_]+$'),
      name_vi text NOT NULL CHECK (name_vi <> ''),
      name_en text NOT NULL CHECK (name_en <> ''),
      provision_vi text NOT NULL DEFAULT '',
      provision_en text NOT NULL DEFAULT '',
      source_url text NOT NULL DEFAULT '',
      verified boolean NOT NULL DEFAULT false,
      note text NOT NULL DEFAULT '',
      effective_from date,
      effective_to date,
      position integer NOT NULL DEFAULT 0
    )`.execute(db);
  await sql`
    INSERT INTO advisory_kinds (id, name_vi, name_en, provision_vi, provision_en, source_url, verified, note, effective_from, position)
    VALUES
      ('warning', 'Cảnh báo người tiêu dùng', 'Consumer warning', '', '', '', true,
       'A warning published by the E-Commerce and Digital Economy Agency or a media unit of the Ministry; no list of Circular 47/2014/TT-BCT.',
       NULL, 1),
      ('violating_list', 'Danh sách website thương mại điện tử vi phạm pháp luật',
       'List of e-commerce websites violating the law',
       'Điều 30 Thông tư 47/2014/TT-BCT (chưa đối chiếu được số điều với văn bản)',
       'Circular 47/2014/TT-BCT, Art. 30 (article number not verified against the text)',
       'http://hethongphapluat.com/thong-tu-47-2014-tt-bct-ve-quan-ly-website-thuong-mai-dien-tu-do-bo-truong-bo-cong-thuong-ban-hanh.html',
       false,
       'UNVERIFIED: the article number was given by the issue; the search found the Circular (in force 20/01/2015, consolidated as 20/VBHN-BCT of 18/03/2020) and the portal''s list "Website vi phạm" (chonghanggia.online.gov.vn), but not the text of its Art. 30. An administrator should check it and set verified.',
       '2015-01-20', 2),
      ('complained_list', 'Danh sách website thương mại điện tử bị phản ánh',
       'List of e-commerce websites complained about',
       'Điều 31 Thông tư 47/2014/TT-BCT (chưa đối chiếu được số điều với văn bản)',
       'Circular 47/2014/TT-BCT, Art. 31 (article number not verified against the text)',
       'http://hethongphapluat.com/thong-tu-47-2014-tt-bct-ve-quan-ly-website-thuong-mai-dien-tu-do-bo-truong-bo-cong-thuong-ban-hanh.html',
       false,
       'UNVERIFIED: the article number was given by the issue (and DESIGN.md cites Art. 31 for the complaints threshold); the search found the portal''s list "Website bị phản ánh" (chonghanggia.online.gov.vn/DanhSachBiPhanAnh) but not the text of Art. 31. An administrator should check it and set verified.',
       '2015-01-20', 3)
  `.execute(db);
  await sql`
    CREATE TABLE advisories (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      kind text NOT NULL REFERENCES advisory_kinds (id),
      severity text NOT NULL CHECK (severity IN ('info', 'warning', 'danger')),
      status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'withdrawn')),
      title_vi text NOT NULL CHECK (title_vi <> ''),
      title_en text NOT NULL CHECK (title_en <> ''),
      body_vi text NOT NULL CHECK (body_vi <> ''),
      body_en text NOT NULL CHECK (body_en <> ''),
      unit_id text,
      sample boolean NOT NULL DEFAULT false,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      published_at timestamptz,
      withdrawn_at timestamptz,
      withdrawal_reason text,
      CHECK ((status = 'draft') = (published_at IS NULL)),
      CHECK ((status = 'withdrawn') = (withdrawn_at IS NOT NULL)),
      CHECK ((status = 'withdrawn') = (withdrawal_reason IS NOT NULL AND withdrawal_reason <> ''))
    )`.execute(db);
  await sql`CREATE INDEX advisories_public ON advisories (published_at DESC) WHERE status = 'published'`.execute(db);
  await sql`
    CREATE TABLE advisory_platforms (
      advisory_id uuid NOT NULL REFERENCES advisories (id) ON DELETE CASCADE,
      platform_id uuid NOT NULL,
      PRIMARY KEY (advisory_id, platform_id)
    )`.execute(db);
  await sql`CREATE INDEX advisory_platforms_platform ON advisory_platforms (platform_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE advisory_platforms`.execute(db);
  await sql`DROP TABLE advisories`.execute(db);
  await sql`DROP TABLE advisory_kinds`.execute(db);
}
