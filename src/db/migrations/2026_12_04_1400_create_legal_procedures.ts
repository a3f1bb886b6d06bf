import { type Kysely, sql } from 'kysely';

/**
 * The register's procedures as data (issue 10): each with its provision, source, period in working days (null where
 * the law sets none), what the period counts from, the unit that decides, effective dates, and whether the source was
 * verified. Administrators change a row with `ecomgov procedures set` (audited). The rows below were read on
 * 04/12/2026 in the sources each cites; a number no source read confirms is stored `unverified` and says so.
 */
const CIRCULAR_47_FROM = '2015-01-20';
const SOURCES = {
  portalFaq: 'http://online.gov.vn/NewsDetail.aspx?CateAlias=hoi-dap&DocId=27',
  ninhBinh:
    'https://congthuong.ninhbinh.gov.vn/huong-dan-thuc-hien-thu-tuc-thong-bao-website-thuong-mai-dien-tu-ban-hang-voi-bo-cong-thuong.html',
  article11:
    'https://thuviennhadat.vn/phap-ly-nha-dat/thong-tin-da-thong-bao-tren-website-thuong-mai-dien-tu-ban-hang-duoc-thay-doi-cham-dut-nhu-the-nao-390638.html',
  article11b:
    'https://luatvantin.com.vn/post/khi-co-su-thay-doi-hoac-cham-dut-cac-thong-tin-da-thong-bao-thi-thuong-nhan-to-chuc-ca-nhan-phai-thuc-hien-nhung-thu-tuc-gi-eyJpZCI6MTAxOX0=',
  circular01:
    'https://thuvienphapluat.vn/van-ban/Thuong-mai/Thong-tu-01-2022-TT-BCT-sua-doi-Thong-tu-47-2014-TT-BCT-website-thuong-mai-dien-tu-501036.aspx',
  reports:
    'https://vanbanluat.com/website-cung-cap-dich-vu-thuong-mai-dien-tu/dinh-ky-bao-cao-website-dich-vu-thuong-mai-dien-tu-trong-doanh-nghiep-tu-nhan-660-38267-article.html',
};
const EFFECTIVE_NOTE =
  'Effective date of Circular 47/2014/TT-BCT: 20/01/2015, the day Circular 12/2013/TT-BCT ceased (https://vietjack.me/phap-luat/thong-tu-12-2013-tt-bct/chuong-2-12824.html); http://www.vecita.gov.vn/tinbai/882 says 01/01/2015. Whether the Law on E-commerce 122/2025/QH15 and its implementing texts replace this provision, and from when, was not verified.';

interface Seed {
  code: string;
  name_vi: string;
  name_en: string;
  provision: string;
  source_url: string;
  working_days: number | null;
  clock_from_vi: string;
  clock_from_en: string;
  effective_from: string;
  source_status: 'verified' | 'unverified' | 'disputed';
  note: string;
}

const SEEDS: Seed[] = [
  {
    code: 'account_verification',
    name_vi: 'Đăng ký tài khoản truy cập hệ thống (xác minh tổ chức)',
    name_en: 'Account registration (verification of the organisation)',
    provision: 'Thông tư 47/2014/TT-BCT, quy trình thông báo, đăng ký (Bước 2: đăng ký tài khoản)',
    source_url: SOURCES.portalFaq,
    working_days: 3,
    clock_from_vi: 'Từ khi nhận được thông tin đăng ký tài khoản (kèm giấy chứng nhận đăng ký doanh nghiệp)',
    clock_from_en: 'From receipt of the account registration (with the enterprise registration certificate)',
    effective_from: CIRCULAR_47_FROM,
    source_status: 'verified',
    note: `3 working days read in the Ministry's portal FAQ (${SOURCES.portalFaq}) and ${SOURCES.ninhBinh}; the article number was not read verbatim. ${EFFECTIVE_NOTE}`,
  },
  {
    code: 'notification',
    name_vi: 'Thông báo website/ứng dụng thương mại điện tử bán hàng',
    name_en: 'Notification of an e-commerce sales site or app',
    provision: 'Thông tư 47/2014/TT-BCT, quy trình thông báo (Bước 4), sửa đổi bởi Thông tư 01/2022/TT-BCT',
    source_url: SOURCES.ninhBinh,
    working_days: 3,
    clock_from_vi: 'Từ khi nhận được hồ sơ thông báo đầy đủ, hợp lệ',
    clock_from_en: 'From receipt of a complete and valid notification',
    effective_from: CIRCULAR_47_FROM,
    source_status: 'verified',
    note: `3 working days read in ${SOURCES.ninhBinh}, the portal FAQ (${SOURCES.portalFaq}) and https://conventuslaw.com/?p=73107 (steps 4 and 5). ${EFFECTIVE_NOTE}`,
  },
  {
    code: 'registration',
    name_vi: 'Đăng ký website/ứng dụng cung cấp dịch vụ thương mại điện tử',
    name_en: 'Registration of an e-commerce service platform (marketplace, auction, promotion…)',
    provision: 'Thông tư 47/2014/TT-BCT, Điều 13–15 (quy trình đăng ký), sửa đổi bởi Thông tư 01/2022/TT-BCT',
    source_url: SOURCES.circular01,
    working_days: 3,
    clock_from_vi: 'Từ khi nhận được hồ sơ đăng ký đầy đủ, hợp lệ',
    clock_from_en: 'From receipt of a complete and valid registration dossier',
    effective_from: CIRCULAR_47_FROM,
    source_status: 'unverified',
    note: `UNVERIFIED. No source read on 04/12/2026 states the Ministry's period for a registration dossier as the consolidated circular has it: the pages found give the notification steps only (the portal shows the registration as five steps, with a paper dossier, http://online.gov.vn/Home). 3 working days is the period the system used before; the original Circular 47 is recalled to give 7 working days for the Ministry's answer, not confirmed. An administrator should read Circular 47 as amended by Circular 01/2022/TT-BCT and set this row. ${EFFECTIVE_NOTE}`,
  },
  {
    code: 'change',
    name_vi: 'Thay đổi thông tin đã thông báo, đăng ký (Bộ Công Thương xác nhận)',
    name_en: 'Change of notified or registered information (the Ministry confirms)',
    provision: 'Thông tư 47/2014/TT-BCT, Điều 11 khoản 3 (website bán hàng); Điều 17 (website cung cấp dịch vụ)',
    source_url: SOURCES.article11,
    working_days: 3,
    clock_from_vi: 'Từ ngày nhận được thông báo thay đổi đầy đủ, chính xác',
    clock_from_en: 'From receipt of a complete and accurate notice of the change',
    effective_from: CIRCULAR_47_FROM,
    source_status: 'verified',
    note: `Art. 11 read in ${SOURCES.article11} and ${SOURCES.article11b}: the Ministry confirms within 3 working days. Art. 17 (registered platforms) was not read in this session; issue 10 states the same periods. ${EFFECTIVE_NOTE}`,
  },
  {
    code: 'change_report',
    name_vi: 'Thời hạn doanh nghiệp thông báo thay đổi thông tin',
    name_en: 'Period for the business to report a change of information',
    provision: 'Thông tư 47/2014/TT-BCT, Điều 11 khoản 1 (website bán hàng); Điều 17 (website cung cấp dịch vụ)',
    source_url: SOURCES.article11,
    working_days: 7,
    clock_from_vi: 'Từ khi có sự thay đổi thông tin',
    clock_from_en: 'From the day the information changed',
    effective_from: CIRCULAR_47_FROM,
    source_status: 'verified',
    note: `The business reports within 7 working days of the change (Art. 11 khoản 1, read in ${SOURCES.article11} and ${SOURCES.article11b}; the portal FAQ says "7 ngày"). A late report is still received, marked late. Art. 17 not read in this session. ${EFFECTIVE_NOTE}`,
  },
  {
    code: 'termination',
    name_vi: 'Chấm dứt thông báo, đăng ký theo đề nghị của doanh nghiệp',
    name_en: 'Termination at the request of the business',
    provision: 'Thông tư 47/2014/TT-BCT, Điều 11 khoản 1 và 3 (website bán hàng); Điều 17 (website cung cấp dịch vụ)',
    source_url: SOURCES.article11,
    working_days: 3,
    clock_from_vi:
      'Từ ngày nhận được thông báo chấm dứt đầy đủ, chính xác (doanh nghiệp gửi trong 7 ngày làm việc kể từ khi ngừng hoạt động)',
    clock_from_en:
      'From receipt of a complete notice of termination (the business sends it within 7 working days of stopping)',
    effective_from: CIRCULAR_47_FROM,
    source_status: 'verified',
    note: `Art. 11 (notified sites): the business reports stopping within 7 working days; the Ministry confirms the termination within 3 working days (${SOURCES.article11}, ${SOURCES.portalFaq}). Art. 17 for registered platforms not read in this session. ${EFFECTIVE_NOTE}`,
  },
  {
    code: 'cancellation',
    name_vi: 'Hủy bỏ thông báo, đăng ký (Bộ Công Thương quyết định)',
    name_en: 'Cancellation by the Ministry',
    provision: 'Thông tư 47/2014/TT-BCT, Điều 18',
    source_url: SOURCES.circular01,
    working_days: null,
    clock_from_vi: 'Không có thời hạn: Bộ Công Thương hủy bỏ khi có căn cứ theo Điều 18',
    clock_from_en: 'No period: the Ministry cancels when a ground of Art. 18 is met',
    effective_from: CIRCULAR_47_FROM,
    source_status: 'unverified',
    note: `UNVERIFIED. The text of Art. 18 (its grounds) was not read in this session; no period was found. ${EFFECTIVE_NOTE}`,
  },
  {
    code: 'reregistration',
    name_vi: 'Đăng ký lại sau khi bị hủy bỏ đăng ký',
    name_en: 'Re-registration after a cancellation',
    provision: 'Thông tư 47/2014/TT-BCT, Điều 19',
    source_url: SOURCES.circular01,
    working_days: 3,
    clock_from_vi: 'Từ khi nhận được hồ sơ đăng ký lại đầy đủ, hợp lệ',
    clock_from_en: 'From receipt of a complete and valid re-registration dossier',
    effective_from: CIRCULAR_47_FROM,
    source_status: 'unverified',
    note: `UNVERIFIED. The text of Art. 19 (its conditions) was not read in this session. Applied as a new registration of a platform whose registration was cancelled, filed by its owner, with the registration clock. Decree 52/2013/NĐ-CP also requires re-registration by whoever takes over a registered website (http://vinasc.vn/quan-ly-website-cung-cap-dich-vu-thuong-mai-dien-tu-tt/). ${EFFECTIVE_NOTE}`,
  },
  {
    code: 'periodic_report',
    name_vi: 'Báo cáo định kỳ tình hình hoạt động của website cung cấp dịch vụ thương mại điện tử',
    name_en: 'Annual report of a registered e-commerce service platform',
    provision: 'Nghị định 52/2013/NĐ-CP (sửa đổi bởi Nghị định 85/2021/NĐ-CP); Thông tư 47/2014/TT-BCT, Điều 20',
    source_url: SOURCES.reports,
    working_days: null,
    clock_from_vi: 'Trước ngày 15 tháng 01 hằng năm, số liệu của năm trước',
    clock_from_en: 'Before 15 January each year, for the previous year',
    effective_from: '2022-01-01',
    source_status: 'verified',
    note: `Due before 15/01 each year with the previous year's figures: read in ${SOURCES.reports} and https://plf.vn/reporting-obligations-for-e-commerce-websites-and-applications (Decree 52 as amended by Decree 85/2021, in force 01/01/2022). The article numbers were not read verbatim.`,
  },
  {
    code: 'supplement',
    name_vi: 'Yêu cầu bổ sung hồ sơ',
    name_en: 'Request for supplements',
    provision: 'Thông tư 47/2014/TT-BCT, quy trình thông báo, đăng ký (Bước 4: khai báo lại hoặc bổ sung)',
    source_url: SOURCES.ninhBinh,
    working_days: null,
    clock_from_vi: 'Thời hạn xử lý tính lại từ khi nhận được hồ sơ bổ sung đầy đủ',
    clock_from_en: 'The period of the procedure counts again from receipt of the supplemented dossier',
    effective_from: CIRCULAR_47_FROM,
    source_status: 'verified',
    note: `An incomplete filing goes back to the business "để khai báo lại hoặc bổ sung" and the Ministry's period runs "từ ngày nhận được thông báo đầy đủ, chính xác" (${SOURCES.ninhBinh}, ${SOURCES.article11}): the clock of the procedure restarts on resubmission. ${EFFECTIVE_NOTE}`,
  },
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE legal_procedures (
      id serial PRIMARY KEY,
      code text NOT NULL CHECK (code ~ '^[a-z][a-z_]*$'),
      name_vi text NOT NULL CHECK (name_vi <> ''),
      name_en text NOT NULL CHECK (name_en <> ''),
      provision text NOT NULL CHECK (provision <> ''),
      source_url text NOT NULL,
      working_days integer CHECK (working_days BETWEEN 1 AND 365),
      clock_from_vi text NOT NULL,
      clock_from_en text NOT NULL,
      deciding_unit_id text NOT NULL,
      effective_from date NOT NULL,
      effective_to date,
      source_status text NOT NULL CHECK (source_status IN ('verified', 'unverified', 'disputed')),
      note text NOT NULL DEFAULT '',
      updated_by text NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (code, effective_from),
      CHECK (effective_to IS NULL OR effective_to >= effective_from)
    )`.execute(db);
  for (const seed of SEEDS) {
    await sql`
      INSERT INTO legal_procedures (code, name_vi, name_en, provision, source_url, working_days, clock_from_vi,
        clock_from_en, deciding_unit_id, effective_from, source_status, note, updated_by)
      VALUES (${seed.code}, ${seed.name_vi}, ${seed.name_en}, ${seed.provision}, ${seed.source_url},
        ${seed.working_days}, ${seed.clock_from_vi}, ${seed.clock_from_en}, 'idea', ${seed.effective_from}::date,
        ${seed.source_status}, ${seed.note}, 'system:migration')`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE legal_procedures`.execute(db);
}
