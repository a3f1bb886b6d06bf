import { type Kysely, sql } from 'kysely';

/**
 * The law as data for filings and refusals (issue 10):
 *
 * - `foreign_platform_grounds`: what makes a foreign trader's platform subject to Vietnam's e-commerce rules (Decree
 *   52/2013/NĐ-CP Art. 67a cl. 1, added by Decree 85/2021/NĐ-CP): a .vn domain, a Vietnamese-language display, more
 *   than 100,000 transactions a year from Vietnam. A cross-border application records the grounds that apply to it in
 *   `application_foreign_grounds`.
 * - `application_refusal_grounds`: the grounds an officer cites when refusing a notification or registration. Proof of
 *   domain control is the officer's evidence, not a ground.
 *
 * Each row cites its provision and source, and says how far that source was checked (`verification`); an
 * administrator may correct a row (UPDATE) or close it (`effective_to`) without a release. The representative in
 * Vietnam becomes a legal entity: a representative office or an appointed legal person (pháp nhân), with its tax
 * code; rows filed before keep the old 'authorised_representative' value. An application records whether the
 * applicant is an organisation or an individual (who may notify a sales site, Decree 52 Art. 52 and 53).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE foreign_platform_grounds (
      code text PRIMARY KEY CHECK (code ~ '^[a-z_]+$'),
      position integer NOT NULL,
      label_vi text NOT NULL CHECK (label_vi <> ''),
      label_en text NOT NULL CHECK (label_en <> ''),
      provision text NOT NULL CHECK (provision <> ''),
      source_url text NOT NULL CHECK (source_url <> ''),
      verification text NOT NULL CHECK (verification IN ('official_text', 'secondary_sources', 'unverified')),
      note text NOT NULL DEFAULT '',
      effective_from date NOT NULL,
      effective_to date,
      CHECK (effective_to IS NULL OR effective_to >= effective_from)
    )`.execute(db);
  const decree85 =
    'Nghị định 52/2013/NĐ-CP, Điều 67a khoản 1 (bổ sung bởi Nghị định 85/2021/NĐ-CP, hiệu lực 01/01/2022)';
  const sources =
    'https://viewpoints.bakermckenzie.com/post/102h7ed/vietnam-new-rules-on-e-commerce ; https://eoasis.rajahtann.com/eoasis/gn/regionnewsall.asp?c=11&id=1078&n=34 ; https://vneconomy.vn/new-regulations-issued-for-foreign-investors-in-e-commerce.htm';
  const note =
    'Wording read in law-firm and press summaries that agree; the Vietnamese text of the decree was not read here: check it before relying on the exact words.';
  await sql`
    INSERT INTO foreign_platform_grounds
      (code, position, label_vi, label_en, provision, source_url, verification, note, effective_from)
    VALUES
      ('vn_domain', 1, 'Website sử dụng tên miền quốc gia Việt Nam (.vn)',
       'The site uses a Vietnamese national domain name (.vn)', ${`${decree85}, điểm a`}, ${sources},
       'secondary_sources', ${note}, '2022-01-01'),
      ('vietnamese_language', 2, 'Website có lựa chọn ngôn ngữ hiển thị là tiếng Việt',
       'The site offers Vietnamese as a display language', ${`${decree85}, điểm b`}, ${sources},
       'secondary_sources', ${note}, '2022-01-01'),
      ('vn_transactions', 3, 'Website có trên 100.000 giao dịch từ Việt Nam trong một năm',
       'The site has more than 100,000 transactions from Vietnam in a year', ${`${decree85}, điểm c`}, ${sources},
       'secondary_sources', ${note}, '2022-01-01')`.execute(db);
  await sql`
    CREATE TABLE application_foreign_grounds (
      application_id uuid NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
      ground_code text NOT NULL REFERENCES foreign_platform_grounds (code),
      PRIMARY KEY (application_id, ground_code)
    )`.execute(db);

  await sql`
    CREATE TABLE application_refusal_grounds (
      code text PRIMARY KEY CHECK (code ~ '^[a-z_]+$'),
      position integer NOT NULL,
      label_vi text NOT NULL CHECK (label_vi <> ''),
      label_en text NOT NULL CHECK (label_en <> ''),
      provision text NOT NULL CHECK (provision <> ''),
      source_url text NOT NULL CHECK (source_url <> ''),
      verification text NOT NULL CHECK (verification IN ('official_text', 'secondary_sources', 'unverified')),
      note text NOT NULL DEFAULT '',
      effective_from date NOT NULL,
      effective_to date,
      CHECK (effective_to IS NULL OR effective_to >= effective_from)
    )`.execute(db);
  const portalFaq = 'http://online.gov.vn/NewsDetail.aspx?CateAlias=hoi-dap&DocId=27';
  const circular47 = 'https://vietnamlawenglish.blogspot.com/2014/12/circular-no-472014tt-bct-on-regulations.html';
  const unverified =
    'Provision from the structure of the texts as summarised by secondary sources; the article and clause were not read in the official text here: confirm them.';
  await sql`
    INSERT INTO application_refusal_grounds
      (code, position, label_vi, label_en, provision, source_url, verification, note, effective_from)
    VALUES
      ('incomplete_dossier', 1, 'Hồ sơ không đầy đủ, không hợp lệ sau khi đã được yêu cầu bổ sung',
       'The dossier is incomplete or invalid after supplements were requested',
       'Thông tư 47/2014/TT-BCT, Điều 9 (thông báo) và Điều 13 (đăng ký)', ${`${portalFaq} ; ${circular47}`},
       'unverified', ${unverified}, '2015-01-01'),
      ('untruthful_information', 2, 'Thông tin khai báo không trung thực, không chính xác',
       'The information declared is untruthful or inaccurate',
       'Nghị định 52/2013/NĐ-CP, Điều 4 khoản 4; Thông tư 47/2014/TT-BCT, Điều 18', ${circular47},
       'unverified', ${unverified}, '2015-01-01'),
      ('applicant_not_eligible', 3, 'Chủ thể không thuộc đối tượng được thông báo, đăng ký loại hình này',
       'The applicant may not notify or register this kind of platform',
       'Nghị định 52/2013/NĐ-CP, Điều 52 (website bán hàng) và Điều 54 (website cung cấp dịch vụ), sửa đổi bởi Nghị định 85/2021/NĐ-CP',
       ${circular47}, 'unverified', ${unverified}, '2015-01-01'),
      ('service_conditions_not_met', 4, 'Không đáp ứng điều kiện thiết lập website cung cấp dịch vụ thương mại điện tử',
       'The conditions for setting up an e-commerce service platform are not met',
       'Nghị định 52/2013/NĐ-CP, Điều 54, sửa đổi bởi Nghị định 85/2021/NĐ-CP', ${circular47},
       'unverified', ${unverified}, '2015-01-01'),
      ('prohibited_goods', 5, 'Kinh doanh hàng hóa, dịch vụ cấm kinh doanh hoặc không đủ điều kiện kinh doanh',
       'Goods or services banned from trade, or traded without the business conditions',
       'Nghị định 52/2013/NĐ-CP, Điều 4; Thông tư 47/2014/TT-BCT, Điều 3', ${circular47},
       'unverified', ${unverified}, '2015-01-01')`.execute(db);

  await sql`
    ALTER TABLE applications
      ADD COLUMN refusal_ground text REFERENCES application_refusal_grounds (code),
      ADD COLUMN applicant_kind text NOT NULL DEFAULT 'organisation'
        CHECK (applicant_kind IN ('organisation', 'individual')),
      DROP CONSTRAINT applications_vn_representative_kind_check,
      ADD CONSTRAINT applications_vn_representative_kind_check
        CHECK (vn_representative_kind IN ('representative_office', 'legal_entity', 'authorised_representative'))`.execute(
    db,
  );
  await sql`
    ALTER TABLE account_organisations
      ADD COLUMN holder_kind text NOT NULL DEFAULT 'organisation'
        CHECK (holder_kind IN ('organisation', 'individual'))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE account_organisations DROP COLUMN holder_kind`.execute(db);
  await sql`
    ALTER TABLE applications
      DROP COLUMN refusal_ground,
      DROP COLUMN applicant_kind,
      DROP CONSTRAINT applications_vn_representative_kind_check,
      ADD CONSTRAINT applications_vn_representative_kind_check
        CHECK (vn_representative_kind IN ('legal_entity', 'authorised_representative'))`.execute(db);
  await sql`DROP TABLE application_refusal_grounds`.execute(db);
  await sql`DROP TABLE application_foreign_grounds`.execute(db);
  await sql`DROP TABLE foreign_platform_grounds`.execute(db);
}
