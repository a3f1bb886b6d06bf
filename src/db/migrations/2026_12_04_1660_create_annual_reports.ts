import { type Kysely, sql } from 'kysely';

/**
 * The periodic report of registered e-commerce service platforms (issue 10; the row `periodic_report` of
 * `legal_procedures`): before 15 January each year the platform reports the previous year's figures to the Ministry.
 *
 * - `annual_report_deadlines`: when the report of a year is due, as data with its provision and source, effective-
 *   dated (the row in force on 1 January of the year after the reported one applies).
 * - `annual_report_fields`: what the report contains, in the shape of every other table of the law as data (the
 *   legal grounds' shape; an administrator corrects a field with `ecomgov grounds set CODE --kind
 *   annual_report_field`). No source read here gives the official form: the fields are those a law firm lists for the
 *   portal's reporting interface, so every one is `unverified` and says so.
 * - `annual_reports`: one report per platform and year (no foreign key into the register: the module reaches
 *   platforms through `registry`'s exports), amended in place; every filing and amendment is in the audit trail.
 */
const DECREE_85_FROM = '2022-01-01';
const SOURCES = {
  deadline:
    'https://vanbanluat.com/website-cung-cap-dich-vu-thuong-mai-dien-tu/dinh-ky-bao-cao-website-dich-vu-thuong-mai-dien-tu-trong-doanh-nghiep-tu-nhan-660-38267-article.html',
  deadline2: 'https://plf.vn/reporting-obligations-for-e-commerce-websites-and-applications',
  fields: 'https://luatht.vn/cach-tich-hop-bao-cao-thuong-mai-dien-tu-voi-he-thong-cua-bo-cong-thuong/',
};
const PROVISION = 'Nghị định 52/2013/NĐ-CP (sửa đổi bởi Nghị định 85/2021/NĐ-CP); Thông tư 47/2014/TT-BCT, Điều 20';
const FIELDS_NOTE = `UNVERIFIED. Read on 04/12/2026 in ${SOURCES.fields}, a law firm's description of the figures the Ministry's reporting interface asks of a platform ("Số lượng truy cập", "Số người bán: tổng số, số lượng người bán mới", "Số lượng sản phẩm: tổng số sản phẩm (SKU), số sản phẩm đăng bán mới", "Số lượng giao dịch: tổng số đơn hàng, đơn hàng thành công, đơn hàng không thành công"); the page was read only up to the orders, so the official form may ask for more (the value of transactions, for one). Not the text of a legal act: check against the portal's form and correct with "ecomgov grounds set CODE --kind annual_report_field".`;

const FIELDS: ReadonlyArray<{ code: string; label_vi: string; label_en: string }> = [
  { code: 'visits', label_vi: 'Số lượng truy cập trong năm', label_en: 'Visits during the year' },
  { code: 'sellers_total', label_vi: 'Tổng số người bán (cuối năm)', label_en: 'Sellers on the platform (year end)' },
  { code: 'sellers_new', label_vi: 'Số người bán mới trong năm', label_en: 'New sellers during the year' },
  {
    code: 'products_total',
    label_vi: 'Tổng số sản phẩm (SKU) (cuối năm)',
    label_en: 'Products (SKUs) on the platform (year end)',
  },
  {
    code: 'products_new',
    label_vi: 'Số sản phẩm đăng bán mới trong năm',
    label_en: 'New products listed during the year',
  },
  { code: 'orders_total', label_vi: 'Tổng số đơn hàng trong năm', label_en: 'Orders during the year' },
  { code: 'orders_successful', label_vi: 'Số đơn hàng thành công', label_en: 'Successful orders' },
  { code: 'orders_failed', label_vi: 'Số đơn hàng không thành công', label_en: 'Unsuccessful orders' },
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE annual_report_deadlines (
      effective_from date PRIMARY KEY,
      effective_to date,
      due_month integer NOT NULL CHECK (due_month BETWEEN 1 AND 12),
      due_day integer NOT NULL CHECK (due_day BETWEEN 1 AND 28),
      due_day_included boolean NOT NULL,
      provision text NOT NULL CHECK (provision <> ''),
      source_url text NOT NULL CHECK (source_url <> ''),
      source_status text NOT NULL CHECK (source_status IN ('verified', 'unverified', 'disputed')),
      note text NOT NULL DEFAULT '',
      CHECK (effective_to IS NULL OR effective_to >= effective_from)
    )`.execute(db);
  await sql`
    INSERT INTO annual_report_deadlines
      (effective_from, due_month, due_day, due_day_included, provision, source_url, source_status, note)
    VALUES (${DECREE_85_FROM}, 1, 15, false, ${PROVISION}, ${SOURCES.deadline}, 'unverified',
      ${`"Trước ngày 15 tháng 01 hằng năm", the previous year's figures: read in ${SOURCES.deadline} and ${SOURCES.deadline2} (Decree 52 as amended by Decree 85/2021, in force 01/01/2022). The date is what both sources say; UNVERIFIED is whether the 15th itself is still on time: "trước ngày 15" is read as the 14th being the last day (due_day_included = false). The article numbers were not read verbatim.`})
  `.execute(db);

  await sql`
    CREATE TABLE annual_report_fields (
      code text PRIMARY KEY CHECK (code ~ '^[a-z_]+$'),
      position integer NOT NULL,
      label_vi text NOT NULL CHECK (label_vi <> ''),
      label_en text NOT NULL CHECK (label_en <> ''),
      provision text NOT NULL CHECK (provision <> ''),
      source_url text NOT NULL CHECK (source_url <> ''),
      source_status text NOT NULL CHECK (source_status IN ('verified', 'unverified', 'disputed')),
      note text NOT NULL DEFAULT '',
      effective_from date NOT NULL,
      effective_to date,
      CHECK (effective_to IS NULL OR effective_to >= effective_from)
    )`.execute(db);
  for (const [index, field] of FIELDS.entries()) {
    await sql`
      INSERT INTO annual_report_fields
        (code, position, label_vi, label_en, provision, source_url, source_status, note, effective_from)
      VALUES (${field.code}, ${index + 1}, ${field.label_vi}, ${field.label_en}, ${PROVISION}, ${SOURCES.fields},
        'unverified', ${FIELDS_NOTE}, ${DECREE_85_FROM})
    `.execute(db);
  }

  await sql`
    CREATE TABLE annual_reports (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      platform_id uuid NOT NULL,
      year integer NOT NULL CHECK (year BETWEEN 2000 AND 2999),
      figures jsonb NOT NULL,
      note text NOT NULL DEFAULT '',
      filed_by text NOT NULL,
      filed_at timestamptz NOT NULL,
      amended_at timestamptz,
      UNIQUE (platform_id, year)
    )`.execute(db);
  await sql`CREATE INDEX annual_reports_year ON annual_reports (year)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE annual_reports`.execute(db);
  await sql`DROP TABLE annual_report_fields`.execute(db);
  await sql`DROP TABLE annual_report_deadlines`.execute(db);
}
