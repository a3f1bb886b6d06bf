import { type Kysely, sql } from 'kysely';

/**
 * Promotion rules as data (issue 14) and the prices seen on sites. Each seeded row cites the provision and where it
 * was read on 04/12/2026 (secondary sources: law firms' summaries, Thư viện Pháp luật's Q&A quoting the decree, a
 * Department of Industry and Trade page). A row whose number no source read quoted from the official text is
 * `unverified` and its note says what was read and what was not. Administrators correct rows with
 * `ecomgov promotions rules set` (audited).
 */
const DECREE_37_FROM = '2006-04-04';
const DECREE_81_FROM = '2018-07-15';
const DECREE_128_FROM = '2024-12-01';
const BEFORE_128 = '2024-11-30';
const BEFORE_81 = '2018-07-14';

const SOURCES = {
  tvplArt7and10:
    'https://thuvienphapluat.vn/hoi-dap-phap-luat/4C4F5-hd-thoi-gian-khuyen-mai-giam-gia-trong-nam-co-bi-gioi-han.html',
  lexology81: 'https://www.lexology.com/library/detail.aspx?g=8c55c4dd-1781-4ecf-86bf-a8db0b88afcd',
  acsv81: 'https://acsvlegal.com/article/decree-81-on-trade-promotions',
  altas128: 'https://altas.vn/legal-newsletter-october-2024-decree-no-1182024nd-cp',
  entlaw128: 'https://entlaw.com.vn/?p=8029',
  sggpTet: 'https://en.sggp.org.vn/ministry-allows-businesses-to-offer-100-percent-discount-post106631.html',
  binhDuong81: 'http://socongthuong.binhduong.gov.vn/xem-chi-tiet/cac-san-pham-dich-vu-uoc-khuyen-mai-toi-a-bao-nhieu-',
  jungil128: 'https://jungil.vn/en/cac-truong-hop-khong-phai-thong-bao-khuyen-mai-tu-01122024-54.html',
  lnt128:
    'https://lntpartners.com/legal-briefing/decree-128-2024-nd-cpa-new-milestone-in-boosting-trade-promotion-in-vietnam',
  apolatLuckyDraw:
    'https://apolatlegal.com/registration-of-luck-drawing-promotional-programs-at-the-department-of-industry-and-trade-updated-regulations-and-procedures',
  giayphepLuckyDraw: 'https://giayphepthutuc.com/en/service/registration-notification-of-sales-promotion',
  lawnetRegistration:
    'https://lawnet.vn/judgment/en/tin-tuc/what-are-the-procedures-for-registration-of-sales-promotion-in-vietnam-10207',
  ataRef128:
    'https://ata-legal.com/decree-128-2024-nd-cp%E2%80%93-adjusting-various-provisions-to-facilitate-merchants-in-promotional-activities',
};

interface Seed {
  code: string;
  label_vi: string;
  label_en: string;
  params: Record<string, unknown>;
  citation: string;
  source_url: string;
  effective_from: string;
  effective_to: string | null;
  source_status: 'verified' | 'unverified' | 'disputed';
  note: string;
}

const DISCOUNT_EXEMPT = ['fresh_food', 'price_stabilised', 'closing_down'];
const DISCOUNT_LABEL = { vi: 'Mức giảm giá tối đa', en: 'Maximum discount' };
const GIFT_LABEL = {
  vi: 'Hạn mức giá trị hàng hóa, dịch vụ dùng để khuyến mại',
  en: 'Maximum value of a promotional item',
};
const DAYS_LABEL = {
  vi: 'Tổng thời gian giảm giá đối với một nhãn hiệu trong một năm',
  en: 'Total discount days per brand per year',
};
const LUCKY_LABEL = { vi: 'Đăng ký khuyến mại mang tính may rủi', en: 'Registration of a lucky draw' };
const NOTIFY_LABEL = { vi: 'Thông báo thực hiện khuyến mại', en: 'Notification of a promotion' };

const SEEDS: Seed[] = [
  {
    code: 'discount_cap',
    ...{ label_vi: DISCOUNT_LABEL.vi, label_en: DISCOUNT_LABEL.en },
    params: { cap_percent: 50, concentrated_cap_percent: 100, exempt_categories: DISCOUNT_EXEMPT },
    citation:
      'Nghị định 81/2018/NĐ-CP, Điều 7 (mức giảm giá tối đa 50% giá ngay trước thời gian khuyến mại; 100% trong chương trình khuyến mại tập trung; không áp dụng cho hàng bình ổn giá, thực phẩm tươi sống, phá sản, giải thể, thay đổi địa điểm, ngành nghề)',
    source_url: SOURCES.tvplArt7and10,
    effective_from: DECREE_81_FROM,
    effective_to: BEFORE_128,
    source_status: 'verified',
    note: `Art. 7 quoted clause by clause in ${SOURCES.tvplArt7and10}; the same figures in ${SOURCES.lexology81} (effective 15/07/2018, replacing Decree 37/2006).`,
  },
  {
    code: 'discount_cap',
    ...{ label_vi: DISCOUNT_LABEL.vi, label_en: DISCOUNT_LABEL.en },
    params: { cap_percent: 50, concentrated_cap_percent: 100, exempt_categories: DISCOUNT_EXEMPT },
    citation: 'Nghị định 81/2018/NĐ-CP, Điều 7, sửa đổi, bổ sung bởi Nghị định 128/2024/NĐ-CP (hiệu lực 01/12/2024)',
    source_url: SOURCES.entlaw128,
    effective_from: DECREE_128_FROM,
    effective_to: null,
    source_status: 'unverified',
    note: `UNVERIFIED. The summaries of Decree 128 read (${SOURCES.entlaw128}, ${SOURCES.lnt128}, ${SOURCES.altas128}) report no change to the 50%/100% discount caps or their exceptions; the amended Art. 7 was not read in the official text.`,
  },
  {
    code: 'gift_value_cap',
    ...{ label_vi: GIFT_LABEL.vi, label_en: GIFT_LABEL.en },
    params: {
      cap_percent: 50,
      concentrated_cap_percent: 100,
      exempt_forms: ['event', 'sample', 'contest', 'lucky_draw', 'loyalty'],
    },
    citation:
      'Nghị định 81/2018/NĐ-CP, Điều 6 khoản 1, 2, 3 (giá trị vật chất dùng để khuyến mại không vượt quá 50% giá đơn vị hàng hóa trước thời gian khuyến mại; 100% trong khuyến mại tập trung)',
    source_url: SOURCES.altas128,
    effective_from: DECREE_81_FROM,
    effective_to: BEFORE_128,
    source_status: 'unverified',
    note: `UNVERIFIED. Before/after table of Art. 6 in ${SOURCES.altas128}; 50% also in ${SOURCES.binhDuong81} (Department of Industry and Trade of Bình Dương). Exempt forms: Law on Commerce Art. 92(8) events, Decree 81 Art. 8 samples, Art. 12–14 contests, lucky draws, loyalty programmes; Art. 9(2) free gifts without purchase is not modelled (the input does not say whether a purchase is required).`,
  },
  {
    code: 'gift_value_cap',
    ...{ label_vi: GIFT_LABEL.vi, label_en: GIFT_LABEL.en },
    params: {
      cap_percent: 50,
      concentrated_cap_percent: 100,
      exempt_forms: ['event', 'sample', 'contest', 'lucky_draw', 'loyalty', 'other'],
    },
    citation:
      'Nghị định 81/2018/NĐ-CP, Điều 6 khoản 1, sửa đổi bởi Nghị định 128/2024/NĐ-CP, Điều 1 khoản 1 (50% giá bán ngay trước thời gian khuyến mại; thêm ngoại lệ khoản 9 Điều 92 Luật Thương mại)',
    source_url: SOURCES.entlaw128,
    effective_from: DECREE_128_FROM,
    effective_to: null,
    source_status: 'unverified',
    note: `UNVERIFIED. Wording quoted in ${SOURCES.entlaw128} and ${SOURCES.altas128}: "50% of the selling price immediately before the promotional period", exceptions now include Law on Commerce Art. 92(9) (other forms approved by the trade authority). Official text not read.`,
  },
  {
    code: 'annual_days_cap',
    ...{ label_vi: DAYS_LABEL.vi, label_en: DAYS_LABEL.en },
    params: { max_days: 90 },
    citation:
      'Nghị định 37/2006/NĐ-CP, Điều 9 (tổng thời gian giảm giá đối với một nhãn hiệu không quá 90 ngày một năm)',
    source_url: SOURCES.lexology81,
    effective_from: DECREE_37_FROM,
    effective_to: BEFORE_81,
    source_status: 'unverified',
    note: `UNVERIFIED. ${SOURCES.lexology81}: "Decree No. 81 increases the total price discount time period from 90 days per year to 120 days per year". The 90-day rule is Decree 37/2006's, not Decree 81's; the article number and Decree 37's effective date were not read (its signing date 04/04/2006 is used).`,
  },
  {
    code: 'annual_days_cap',
    ...{ label_vi: DAYS_LABEL.vi, label_en: DAYS_LABEL.en },
    params: { max_days: 120 },
    citation:
      'Nghị định 81/2018/NĐ-CP, Điều 10 khoản 5 (không quá 120 ngày một năm, không tính các chương trình khuyến mại tập trung và chương trình do Thủ tướng quyết định)',
    source_url: SOURCES.tvplArt7and10,
    effective_from: DECREE_81_FROM,
    effective_to: null,
    source_status: 'verified',
    note: `Art. 10(5) quoted in ${SOURCES.tvplArt7and10}; the exclusion of concentrated programmes in ${SOURCES.lexology81}. No summary of Decree 128 reports a change to it.`,
  },
  {
    code: 'concentrated_periods',
    label_vi: 'Các đợt khuyến mại tập trung (lễ, Tết)',
    label_en: 'Concentrated promotion waves (holidays, Tết)',
    params: {
      lunar_new_year_days_before: 30,
      solar_holidays: [
        { month: 1, day: 1, days: 1, name: 'Tết Dương lịch' },
        { month: 4, day: 30, days: 1, name: 'Ngày Chiến thắng' },
        { month: 5, day: 1, days: 1, name: 'Ngày Quốc tế Lao động' },
        { month: 9, day: 2, days: 2, name: 'Quốc khánh' },
      ],
      lunar_holidays: [
        { month: 1, day: 1, days: 3, name: 'Tết Nguyên đán' },
        { month: 3, day: 10, days: 1, name: 'Giỗ Tổ Hùng Vương' },
      ],
    },
    citation:
      'Nghị định 81/2018/NĐ-CP, Điều 6 khoản 4 và khoản 5 điểm b (khuyến mại tập trung vào dịp Tết Âm lịch: 30 ngày trước ngày đầu tiên của năm âm lịch; các ngày lễ)',
    source_url: SOURCES.sggpTet,
    effective_from: DECREE_81_FROM,
    effective_to: null,
    source_status: 'unverified',
    note: `The Tết wave (30 days before the first day of the lunar year, Art. 6(4) and 6(5)(b)) is read in ${SOURCES.sggpTet} and ${SOURCES.lexology81}. UNVERIFIED: the list of holidays — Lexology says "the 9 Vietnamese public holiday days"; the days above are the Labour Code 2019 Art. 112 holidays as the project understands them (Tết counted as 1–3 of the first lunar month, the eve falling in the 30-day wave); the decree's own list was not read.`,
  },
  {
    code: 'prohibited_goods',
    label_vi: 'Hàng hóa, dịch vụ không được khuyến mại',
    label_en: 'Goods and services that may not be promoted',
    params: {
      not_promoted: [
        'alcohol',
        'tobacco',
        'lottery',
        'breast_milk_substitute',
        'public_medical_service',
        'public_education_service',
      ],
      not_used_as_prize: ['alcohol', 'tobacco', 'lottery', 'medicine', 'breast_milk_substitute'],
      alcohol_percent_from: 15,
    },
    citation:
      'Luật Thương mại 2005, Điều 100 khoản 1; Nghị định 81/2018/NĐ-CP, Điều 5 (rượu, thuốc lá, xổ số, sữa thay thế sữa mẹ, dịch vụ khám chữa bệnh và giáo dục công lập; thuốc chữa bệnh không dùng để khuyến mại)',
    source_url: SOURCES.acsv81,
    effective_from: DECREE_81_FROM,
    effective_to: null,
    source_status: 'unverified',
    note: `UNVERIFIED. Lists as summarised in ${SOURCES.acsv81} ("alcohol, cigarettes, lottery, the State's medical examination and treatment services, educational services provided by public establishments"; used as prizes: "alcohol, cigarettes, lottery, medications, milk for children under 24 months"). The alcohol threshold of 15% (drinks below it not counted as "rượu" here) follows the Law on Prevention of Alcohol Harm 44/2019/QH14 as the project understands it and was not read; an administrator should confirm it.`,
  },
  {
    code: 'lucky_draw_registration',
    ...{ label_vi: LUCKY_LABEL.vi, label_en: LUCKY_LABEL.en },
    params: { one_province: 'provincial_dot', multi_province: 'moit', exempt_below_vnd: 100000000 },
    citation:
      'Nghị định 81/2018/NĐ-CP, Điều 13, 19 (đăng ký tại Sở Công Thương nếu trên một tỉnh; tại Bộ Công Thương nếu từ hai tỉnh trở lên)',
    source_url: SOURCES.lawnetRegistration,
    effective_from: DECREE_81_FROM,
    effective_to: BEFORE_128,
    source_status: 'unverified',
    note: `UNVERIFIED. Registration before the programme runs: ${SOURCES.lawnetRegistration}; the Department for one province and the Ministry for two or more: ${SOURCES.giayphepLuckyDraw}, which also exempts lucky draws with total prizes under VND 100 million (read as exempt from registration; the official text was not read).`,
  },
  {
    code: 'lucky_draw_registration',
    ...{ label_vi: LUCKY_LABEL.vi, label_en: LUCKY_LABEL.en },
    params: { one_province: 'provincial_dot', multi_province: 'moit', exempt_below_vnd: 100000000 },
    citation:
      'Nghị định 81/2018/NĐ-CP, Điều 19, sửa đổi bởi Nghị định 128/2024/NĐ-CP; Quyết định 2902/QĐ-BCT ngày 04/11/2024',
    source_url: SOURCES.apolatLuckyDraw,
    effective_from: DECREE_128_FROM,
    effective_to: null,
    source_status: 'unverified',
    note: `UNVERIFIED. ${SOURCES.apolatLuckyDraw}: the provincial Department registers lucky draws within its province (Decision 2902/QĐ-BCT of 04/11/2024); the Ministry for two or more provinces is carried over from Decree 81. The VND 100 million exemption is carried over unread.`,
  },
  {
    code: 'notification',
    ...{ label_vi: NOTIFY_LABEL.vi, label_en: NOTIFY_LABEL.en },
    params: {
      forms: ['event', 'sample', 'gift', 'discount', 'voucher', 'contest', 'loyalty'],
      exempt_below_vnd: 100000000,
    },
    citation:
      'Nghị định 81/2018/NĐ-CP, Điều 17 (thông báo Sở Công Thương trước khi thực hiện khuyến mại theo khoản 8 Điều 92 Luật Thương mại, Điều 8–12, 14)',
    source_url: SOURCES.lnt128,
    effective_from: DECREE_81_FROM,
    effective_to: BEFORE_128,
    source_status: 'unverified',
    note: `UNVERIFIED. Forms needing notification before 01/12/2024 and the VND 100 million threshold: ${SOURCES.lnt128}, ${SOURCES.jungil128}. The article number was not read.`,
  },
  {
    code: 'notification',
    ...{ label_vi: NOTIFY_LABEL.vi, label_en: NOTIFY_LABEL.en },
    params: { forms: ['contest', 'loyalty'], exempt_below_vnd: 100000000 },
    citation:
      'Nghị định 81/2018/NĐ-CP, Điều 17, sửa đổi bởi Nghị định 128/2024/NĐ-CP (bỏ thông báo đối với khoản 8 Điều 92 Luật Thương mại và Điều 8, 9, 10, 11)',
    source_url: SOURCES.jungil128,
    effective_from: DECREE_128_FROM,
    effective_to: null,
    source_status: 'unverified',
    note: `UNVERIFIED. ${SOURCES.jungil128}: from 01/12/2024 events, samples, free gifts, discounts and vouchers need no notification; contests (Art. 12) and loyalty programmes (Art. 14) are read as still needing it; whether the VND 100 million threshold still applies was not read.`,
  },
  {
    code: 'reference_price',
    label_vi: 'Giá trước khuyến mại phải là giá thực bán',
    label_en: 'The "before" price must be a price actually charged',
    params: { lookback_days: 30 },
    citation:
      'Luật Thương mại 2005, Điều 100 (khuyến mại gian dối, lừa dối khách hàng); Nghị định 81/2018/NĐ-CP, Điều 6, 7 ("giá ngay trước thời gian khuyến mại", làm rõ bởi Nghị định 128/2024/NĐ-CP)',
    source_url: SOURCES.ataRef128,
    effective_from: DECREE_81_FROM,
    effective_to: null,
    source_status: 'unverified',
    note: `UNVERIFIED. ${SOURCES.ataRef128}: Decree 128 defines the reference as "the selling price immediately before the promotion period" to "prevent businesses from manipulating prices to inflate discount percentages". The 30-day window is issue 14's operational reading, not a number of the decree; the clause of Art. 100 was not read.`,
  },
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE promotion_rules (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      code text NOT NULL,
      label_vi text NOT NULL,
      label_en text NOT NULL,
      params jsonb NOT NULL,
      citation text NOT NULL,
      source_url text NOT NULL DEFAULT '',
      effective_from date NOT NULL,
      effective_to date,
      source_status text NOT NULL CHECK (source_status IN ('verified', 'unverified', 'disputed')),
      note text NOT NULL DEFAULT '',
      updated_by text NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK (effective_to IS NULL OR effective_to >= effective_from),
      UNIQUE (code, effective_from)
    )`.execute(db);
  for (const seed of SEEDS) {
    await sql`
      INSERT INTO promotion_rules (code, label_vi, label_en, params, citation, source_url, effective_from,
                                   effective_to, source_status, note, updated_by)
      VALUES (${seed.code}, ${seed.label_vi}, ${seed.label_en}, ${JSON.stringify(seed.params)}::jsonb, ${seed.citation},
              ${seed.source_url}, ${seed.effective_from}, ${seed.effective_to}, ${seed.source_status}, ${seed.note},
              'migration:2026_12_04_1630')`.execute(db);
  }
  await sql`
    CREATE TABLE price_observations (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      domain text NOT NULL,
      url text NOT NULL,
      product_key text NOT NULL,
      product_name text NOT NULL DEFAULT '',
      price_vnd bigint NOT NULL CHECK (price_vnd > 0),
      list_price_vnd bigint CHECK (list_price_vnd > 0),
      observed_at timestamptz NOT NULL,
      evidence_id text,
      UNIQUE (domain, product_key, observed_at, price_vnd)
    )`.execute(db);
  await sql`CREATE INDEX price_observations_product ON price_observations (domain, product_key, observed_at)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS price_observations`.execute(db);
  await sql`DROP TABLE IF EXISTS promotion_rules`.execute(db);
}
