import { type Kysely, sql } from 'kysely';

/**
 * Customs e-commerce declarations and their screening (issue 13; DESIGN.md "Declarations CSV").
 *
 * - `declarations` is partitioned by month of `declared_at` (Vietnam time) on both databases; partitions are created
 *   by the import as months appear (`declarations.repository.ts` `ensureMonthPartitions`). A partitioned table's unique
 *   keys must contain the partition key, so idempotency by `declaration_no` alone lives in `declaration_keys` (one
 *   row per number, inserted `ON CONFLICT DO NOTHING` in the same statement that stores the declaration).
 * - `declaration_flags`: one row per declaration and flag, with its reason (JSON, citing the rule row it applied).
 * - `declaration_rejections`: rows an import refused (source, line, field, reason), kept once per source and line so
 *   a re-run does not count them twice.
 * - `declaration_rules`: screening rules as effective-dated data with provision, source and source_status.
 * - `standards`: technical regulations by HS prefix (the Science and Technology Department edits them).
 * - `gathering_point_reviews`: Market Management's decision on a suspected gathering point (by address key).
 */
const SOURCES = {
  exemptionEnd: 'https://vietnam.vn/en/hang-nhap-khau-duoi-1-trieu-qua-chuyen-phat-nhanh-se-khong-con-duoc-mien-thue',
  qcvn01:
    'http://asemconnectvietnam.gov.vn/law.aspx?ZID1=10&ID1=2&MaVB_Id=2621&CapBanHanhID=113&TukhoaCoSanID=14&pagenum=0&key=',
  qcvn4: 'https://ls1.hethongphapluat.com/decision-no-3482-qd-bkhcn-dated-december-08-2017.html',
  moitList: 'https://extendmax.vn/decision-1182qd-bct-list-of-products-under-group-2-of-vietnam-moit',
};

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE declaration_keys (
      declaration_no text PRIMARY KEY,
      declared_at timestamptz NOT NULL
    )`.execute(db);
  await sql`
    CREATE TABLE declarations (
      declaration_no text NOT NULL,
      declared_at timestamptz NOT NULL,
      declared_on date NOT NULL,
      platform text NOT NULL,
      platform_name text,
      seller text NOT NULL,
      hs_code text NOT NULL,
      description text NOT NULL,
      quantity integer NOT NULL,
      value_vnd bigint NOT NULL,
      origin_country text NOT NULL,
      consignee_name text NOT NULL,
      consignee_phone text,
      consignee_address text NOT NULL,
      consignee_key text NOT NULL,
      address_key text NOT NULL,
      tracking_no text NOT NULL,
      unregistered boolean NOT NULL
    ) PARTITION BY RANGE (declared_at)`.execute(db);
  // Few indexes on purpose: every one is paid per row of a national day's load (5 million). No primary key (the
  // number is unique through declaration_keys); screening reads whole days and HS codes, so it scans; the one index
  // serves a gathering point's look-up by address.
  await sql`CREATE INDEX declarations_address_idx ON declarations (address_key) WHERE unregistered`.execute(db);
  await sql`
    CREATE TABLE declaration_flags (
      declaration_no text NOT NULL,
      flag text NOT NULL CHECK (flag IN ('unregistered_platform','split_shipment','needs_standard','undervalued','vague_description')),
      reason jsonb NOT NULL,
      PRIMARY KEY (declaration_no, flag)
    )`.execute(db);
  await sql`
    CREATE TABLE declaration_rejections (
      source text NOT NULL,
      line integer NOT NULL,
      field text NOT NULL,
      reason text NOT NULL,
      rejected_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (source, line)
    )`.execute(db);
  await sql`
    CREATE TABLE declaration_rules (
      id serial PRIMARY KEY,
      code text NOT NULL,
      params jsonb NOT NULL,
      provision text NOT NULL,
      source_url text,
      effective_from date NOT NULL,
      effective_to date,
      source_status text NOT NULL CHECK (source_status IN ('verified','unverified','disputed')),
      note text NOT NULL DEFAULT ''
    )`.execute(db);
  await sql`
    CREATE TABLE standards (
      code text PRIMARY KEY,
      title_vi text NOT NULL,
      title_en text NOT NULL,
      issuing_body text NOT NULL,
      instrument text NOT NULL,
      hs_prefixes text[] NOT NULL,
      hs_mapping_status text NOT NULL CHECK (hs_mapping_status IN ('verified','unverified','disputed')),
      source_url text NOT NULL,
      source_status text NOT NULL CHECK (source_status IN ('verified','unverified','disputed')),
      effective_from date NOT NULL,
      effective_to date,
      note text NOT NULL DEFAULT '',
      updated_by text NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`
    CREATE TABLE gathering_point_reviews (
      address_key text PRIMARY KEY,
      status text NOT NULL CHECK (status IN ('confirmed','dismissed')),
      unit_id text,
      note text NOT NULL DEFAULT '',
      decided_by text NOT NULL,
      decided_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);

  const exemptionNote =
    'Decision 78/2010/QĐ-TTg (30/11/2010): imported goods sent by express delivery worth 1,000,000 VND or less were exempt from import duty and VAT. Abolished by Decision 01/2025/QĐ-TTg (03/01/2025) from 18/02/2025, as reported by vietnam.vn; the official texts were not read here. Start date: the date of issue, not the entry into force (not checked).';
  await sql`
    INSERT INTO declaration_rules (code, params, provision, source_url, effective_from, effective_to, source_status, note) VALUES
      ('low_value_exemption', '{"threshold_vnd":1000000}', 'Quyết định 78/2010/QĐ-TTg, Điều 1; bãi bỏ bởi Quyết định 01/2025/QĐ-TTg',
        ${SOURCES.exemptionEnd}, '2010-11-30', '2025-02-17', 'unverified', ${exemptionNote}),
      ('split_shipment', '{"threshold_vnd":1000000,"window":"day","purpose":"exemption"}', 'Quyết định 78/2010/QĐ-TTg (ngưỡng miễn thuế 1.000.000 đồng)',
        ${SOURCES.exemptionEnd}, '2010-11-30', '2025-02-17', 'unverified',
        'Parcels split to stay under the exemption threshold of Decision 78/2010/QĐ-TTg.'),
      ('split_shipment', '{"threshold_vnd":1000000,"window":"day","purpose":"monitoring"}', 'Cấu hình ecomgov (Quyết định 01/2025/QĐ-TTg bãi bỏ miễn thuế từ 18/02/2025)',
        ${SOURCES.exemptionEnd}, '2025-02-18', NULL, 'unverified',
        'No exemption since 18/02/2025 (Decision 01/2025/QĐ-TTg): splitting no longer avoids duty, so this is a monitoring threshold set by configuration (the former exemption value), not a legal limit.'),
      ('undervalued', '{"ratio":0.1,"min_samples":20}', 'Cấu hình ecomgov (không phải quy định pháp luật)', NULL, '2010-01-01', NULL, 'unverified',
        'Screening configuration of issue 13, no legal source: unit value below 10% of the median of the same 6-digit HS code, with at least 20 samples.'),
      ('gathering_point', '{"min_parcels":20,"min_consignees":5}', 'Cấu hình ecomgov (Công văn 8598/BCT-TMDT, nhiệm vụ 2)', NULL, '2010-01-01', NULL, 'unverified',
        'Screening configuration: an address receiving at least min_parcels parcels from unregistered platforms for at least min_consignees consignees.')
  `.execute(db);

  await sql`
    INSERT INTO standards (code, title_vi, title_en, issuing_body, instrument, hs_prefixes, hs_mapping_status, source_url, source_status, effective_from, note, updated_by) VALUES
      ('QCVN 01:2017/BCT',
       'Quy chuẩn kỹ thuật quốc gia về mức giới hạn hàm lượng formaldehyt và các amin thơm chuyển hóa từ thuốc nhuộm azo trong sản phẩm dệt may',
       'National technical regulation on formaldehyde and aromatic amines derived from azo colourants in textile products',
       'Bộ Công Thương', 'Thông tư 21/2017/TT-BCT (23/10/2017), hiệu lực 01/05/2018',
       ARRAY['61','62','6301','6302','6303','6304'], 'unverified', ${SOURCES.qcvn01}, 'verified', '2018-05-01',
       'Circular and date of force read on asemconnectvietnam.gov.vn. HS prefixes are chapters 61, 62 and headings 6301–6304 chosen here for textile garments and home textiles: Appendix I of the regulation (its product list with HS codes) was not read, so the mapping is unverified.',
       'migration'),
      ('QCVN 4:2009/BKHCN',
       'Quy chuẩn kỹ thuật quốc gia về an toàn đối với thiết bị điện và điện tử',
       'National technical regulation on safety of electrical and electronic appliances',
       'Bộ Khoa học và Công nghệ', 'Thông tư 21/2009/TT-BKHCN (30/09/2009); sửa đổi 1:2016 (Thông tư 21/2016/TT-BKHCN)',
       ARRAY['8509','8516'], 'unverified', ${SOURCES.qcvn4}, 'unverified', '2010-06-01',
       'Instrument named in a list of Decision 3482/QĐ-BKHCN; the date of force (2010-06-01) and the HS headings (8509 household appliances, 8516 heaters, irons, kettles) are not checked against the text.',
       'migration'),
      ('QCVN 3:2009/BKHCN',
       'Quy chuẩn kỹ thuật quốc gia về an toàn đồ chơi trẻ em',
       'National technical regulation on safety of toys',
       'Bộ Khoa học và Công nghệ', 'Thông tư 18/2009/TT-BKHCN (26/06/2009)',
       ARRAY['9503'], 'unverified', ${SOURCES.qcvn4}, 'unverified', '2010-01-01',
       'Instrument named in a list of Decision 3482/QĐ-BKHCN; date of force and HS heading 9503 (toys) not checked against the text.',
       'migration')
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'gathering_point_reviews',
    'standards',
    'declaration_rules',
    'declaration_rejections',
    'declaration_flags',
    'declarations',
    'declaration_keys',
  ]) {
    await sql`DROP TABLE IF EXISTS ${sql.raw(table)} CASCADE`.execute(db);
  }
}
