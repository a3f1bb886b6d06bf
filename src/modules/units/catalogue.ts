import type { Localized } from '../../core/i18n.ts';
import { foldForSearch } from '../../core/text.ts';

/**
 * The Ministry of Industry and Trade's units, and the other state bodies directives name, with their
 * Vietnamese and English names and the aliases documents use, for matching a unit as written to one record.
 *
 * The catalogue follows the Ministry as organised by Decree 40/2025/NĐ-CP (in force 01/03/2025). A unit that
 * no longer exists keeps a record of its own (its names, when it ceased, the act that ended it, its
 * successors), so a 2024 dispatch naming it is tracked under the unit that does its work today and the name
 * as written can still be shown beside the current one. Ids never change: directive data stores them.
 */

/** Where a name, a succession or a contact is confirmed; `verified: false` says our sources do not settle it. */
export interface UnitSource {
  /** The act or page ("Decree 40/2025/NĐ-CP, Art. 3"). */
  title: string;
  url: string;
  verified: boolean;
  note?: string;
}

/** A unit that no longer exists: when it ceased, by which act, and the unit(s) that took over its work. */
export interface UnitSuccession {
  /** yyyy-mm-dd; null when our sources do not give the day. */
  on: string | null;
  /** The act that ended it ("Decree 40/2025/NĐ-CP"). */
  by: string;
  /** The successors; the first is the one a document naming the old unit is tracked under. */
  successorIds: readonly string[];
  sources: readonly UnitSource[];
}

/** A public channel of a unit (a hotline), with where it is published. */
export interface UnitContact {
  kind: 'hotline' | 'email' | 'website';
  value: string;
  /** "free of charge" and the like, in both languages. */
  note?: { vi: string; en: string };
  sources: readonly UnitSource[];
}

/** Public duties the site sends people to a unit for. */
export type UnitDuty = 'consumer_protection';

export interface UnitRef {
  /** Stable id for storage ("idea", "legal"). */
  id: string;
  nameVi: string;
  nameEn: string;
  aliases: readonly string[];
  /** For a collective name ("Media units"): the ids of the units it stands for. */
  members?: readonly string[];
  /** Set when the unit no longer exists. */
  ceased?: UnitSuccession;
  /** Where the current name (or the unit's place in the structure) is confirmed. */
  sources?: readonly UnitSource[];
  duties?: readonly UnitDuty[];
  contacts?: readonly UnitContact[];
}

const DECREE_40_2025 = 'Decree 40/2025/NĐ-CP';

/** Art. 3 of Decree 40/2025/NĐ-CP (26/02/2025), the list of the Ministry's units; read through LawNet's English text. */
const DECREE_40_ART_3: UnitSource = {
  title: 'Decree 40/2025/NĐ-CP of 26/02/2025, Art. 3 (organisational structure of the Ministry of Industry and Trade)',
  url: 'https://lawnet.vn/ngan-hang-phap-luat/en/tu-van-phap-luat/bo-may-hanh-chinh/what-is-the-organizational-structure-of-the-ministry-of-industry-and-trade-of-vietnam-from-march-1-2-1102959',
  verified: true,
};

/** The decree's own text (English rendering); its Art. 3 was not readable in full from our sources. */
const DECREE_40_TEXT: UnitSource = {
  title: 'Decree 40/2025/NĐ-CP of 26/02/2025 (text)',
  url: 'https://vanban123.vn/Nghi-dinh/Decree-No-40-2025-ND-CP-dated-February-26-2025-on-defining-functions-tasks-powers-and-organizational-structure-of-Ministry-of-Industry-and-Trade-of-Vietnam-679841',
  verified: false,
  note: 'the part of Art. 3 after the Import-Export Department could not be read from our sources',
};

/** Decision 516/QĐ-BCT (2025) on the Domestic Market Management and Development Department, as reported. */
const DOMESTIC_MARKET_DEPARTMENT_2025: UnitSource = {
  title:
    'Decision 516/QĐ-BCT (2025): the Department formed from the General Department of Market Management and the Domestic Market Department, from 01/03/2025',
  url: 'https://baomoi.com/co-quan-thay-the-tong-cuc-quan-ly-thi-truong-chinh-thuc-ra-quan-chong-hang-gia-c51609440.epi',
  verified: true,
};

/** Decision 537/QĐ-BCT of 28/02/2025: the Competition Commission's functions under Decree 40/2025, consumer protection among them. */
const COMPETITION_COMMISSION_2025: UnitSource = {
  title:
    'Decision 537/QĐ-BCT of 28/02/2025 (functions of the National Competition Commission under Decree 40/2025/NĐ-CP)',
  url: 'https://congthuong.vn/co-cau-chuc-nang-nhiem-vu-va-quyen-han-cua-uy-ban-canh-tranh-quoc-gia-376207.html',
  verified: true,
};

/** The General Department of Market Management and the Domestic Market Department, merged on 01/03/2025. */
const MERGED_INTO_DOMESTIC_MARKET_DEPARTMENT: UnitSuccession = {
  on: '2025-03-01',
  by: DECREE_40_2025,
  successorIds: ['market_management'],
  sources: [DECREE_40_ART_3, DOMESTIC_MARKET_DEPARTMENT_2025],
};

/** Units of the Ministry of Industry and Trade named in directives: today's units, then the ones that ceased. */
export const MINISTRY_UNITS: readonly UnitRef[] = [
  {
    id: 'idea',
    nameVi: 'Cục Thương mại điện tử và Kinh tế số',
    nameEn: 'E-Commerce and Digital Economy Agency',
    aliases: [
      'iDEA',
      'Cục TMĐT và KTS',
      'Cục TMĐT&KTS',
      'Cục TMĐT và Kinh tế số',
      'Vietnam E-Commerce and Digital Economy Agency',
      'Viet Nam E-Commerce and Digital Economy Agency',
      'E-commerce and Digital Economy Department',
    ],
    sources: [
      DECREE_40_TEXT,
      {
        title: 'iDEA: functions (English name)',
        url: 'https://en.idea.gov.vn/default.aspx?page=about',
        verified: true,
      },
    ],
  },
  {
    id: 'market_management',
    nameVi: 'Cục Quản lý và Phát triển thị trường trong nước',
    nameEn: 'Agency for Domestic Market Surveillance and Development',
    aliases: [
      'Domestic Market Management and Development Department',
      'Department of Domestic Market Management and Development',
      'Domestic Market Surveillance and Development Department',
      'Cục QLPTTTTN',
      'Cục Quản lý thị trường',
    ],
    sources: [DECREE_40_ART_3, DOMESTIC_MARKET_DEPARTMENT_2025],
  },
  {
    id: 'competition',
    nameVi: 'Ủy ban Cạnh tranh Quốc gia',
    nameEn: 'National Competition Commission',
    aliases: ['Uỷ ban Cạnh tranh Quốc gia', 'UBCTQG', 'Vietnam Competition Commission', 'VCC'],
    // Decree 40/2025 keeps the Commission, and consumer protection stays with it (Decision 537/QĐ-BCT);
    // it still runs the consumer hotline in 2025.
    sources: [DECREE_40_ART_3, COMPETITION_COMMISSION_2025],
    duties: ['consumer_protection'],
    contacts: [
      {
        kind: 'hotline',
        value: '1800 6838',
        note: { vi: 'miễn phí', en: 'free' },
        sources: [
          {
            title:
              'VietnamPlus, 26/09/2025: the Commission received 11,542 calls on hotline 1800.6838 in nine months of 2025',
            url: 'https://www.vietnamplus.vn/uy-ban-canh-tranh-quoc-gia-tiep-nhan-hon-12000-phan-anh-tu-nguoi-tieu-dung-post1064150.vnp',
            verified: true,
          },
          {
            title: 'Phụ nữ Việt Nam, 16/10/2024: hotline 1800.6838, run by the Commission, free including the call',
            url: 'https://phunuvietnam.vn/print/gan-70-phan-anh-khieu-nai-cua-nguoi-tieu-dung-duoc-ho-tro-xu-ly-20241016152823662.htm',
            verified: true,
          },
        ],
      },
    ],
  },
  {
    id: 'legal',
    nameVi: 'Vụ Pháp chế',
    nameEn: 'Legal Department',
    aliases: ['Legal Affairs Department', 'Department of Legal Affairs', 'Department of Legal Affairs of MOIT'],
    sources: [DECREE_40_ART_3],
  },
  {
    id: 'import_export',
    nameVi: 'Cục Xuất nhập khẩu',
    nameEn: 'Import-Export Department',
    aliases: ['Import and Export Department', 'Department of Import-Export', 'Agency of Foreign Trade', 'Cục XNK'],
    sources: [DECREE_40_ART_3],
  },
  {
    id: 'trade_promotion',
    nameVi: 'Cục Xúc tiến thương mại',
    nameEn: 'Trade Promotion Agency',
    aliases: ['Vietnam Trade Promotion Agency', 'Department of Trade Promotion', 'VIETRADE', 'Cục XTTM'],
    sources: [DECREE_40_ART_3],
  },
  {
    id: 'innovation',
    nameVi: 'Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công',
    nameEn: 'Department of Innovation, Green Transition and Industrial Promotion',
    aliases: ['Department of Innovation, Green Transition, and Industrial Promotion'],
    sources: [
      DECREE_40_ART_3,
      {
        title: 'Decision 2646/QĐ-BCT of 23/09/2025 (names the Department)',
        url: 'https://hethongphapluat.vn/quyet-dinh-2646-qd-bct-nam-2025-phe-duyet-chuong-trinh-khuyen-cong-quoc-gia-giai-doan-2026-2030-do-bo-truong-bo-cong-thuong-ban-hanh.html',
        verified: true,
      },
    ],
  },
  {
    id: 'inspectorate',
    nameVi: 'Thanh tra Bộ',
    nameEn: 'Ministry Inspectorate',
    aliases: [
      'Thanh tra Bộ Công Thương',
      'Inspectorate of the Ministry of Industry and Trade',
      'Ministry of Industry and Trade Inspectorate',
      'Inspectorate',
    ],
    sources: [DECREE_40_ART_3],
  },
  {
    id: 'trade_remedies',
    nameVi: 'Cục Phòng vệ thương mại',
    nameEn: 'Trade Remedies Authority',
    aliases: ['Trade Remedies Authority of Vietnam', 'Department of Trade Defense', 'TRAV'],
    sources: [DECREE_40_ART_3],
  },
  {
    id: 'ministry_office',
    nameVi: 'Văn phòng Bộ',
    nameEn: 'Ministry Office',
    aliases: ['Văn phòng Bộ Công Thương', 'Office of the Ministry'],
    sources: [DECREE_40_ART_3],
  },
  {
    id: 'planning_finance',
    nameVi: 'Vụ Kế hoạch, Tài chính và Quản lý doanh nghiệp',
    nameEn: 'Department of Planning, Finance and Enterprise Management',
    aliases: [
      'Department of Planning, Finance, and Business Management',
      'Department of Planning, Finance and Business Management',
    ],
    sources: [DECREE_40_ART_3],
  },
  {
    id: 'newspaper',
    nameVi: 'Báo Công Thương',
    nameEn: 'Industry and Trade Newspaper',
    aliases: ['Cong Thuong Newspaper', 'Industry and Trade Newspapers'],
    sources: [
      {
        title: 'Decree 40/2025/NĐ-CP, Art. 3 (public service units), as reported',
        url: 'http://tothethao.com/bong-da_en/vn-s-ministry-of-industry-and-trade-restructures-reducing-units-for-efficiency-2375923.html',
        verified: false,
        note: 'a press report of the decree, not its text',
      },
    ],
  },
  {
    id: 'magazine',
    nameVi: 'Tạp chí Công Thương',
    nameEn: 'Industry and Trade Magazine',
    aliases: ['Industry and Trade Review', 'Industry and Trade Journal', 'Cong Thuong Magazine'],
    sources: [
      {
        title: 'Decree 40/2025/NĐ-CP, Art. 3 (public service units), as reported',
        url: 'http://tothethao.com/bong-da_en/vn-s-ministry-of-industry-and-trade-restructures-reducing-units-for-efficiency-2375923.html',
        verified: false,
        note: 'a press report of the decree, not its text',
      },
    ],
  },
  {
    id: 'television',
    nameVi: 'Truyền hình Công Thương',
    nameEn: 'Industry and Trade Television',
    aliases: ['Trung tâm Truyền hình Công Thương', 'Kênh Truyền hình Công Thương', 'Industry and Trade TV'],
    sources: [
      {
        title: 'Decree 40/2025/NĐ-CP, Art. 3, as reported (names the Newspaper and the Journal only)',
        url: 'http://tothethao.com/bong-da_en/vn-s-ministry-of-industry-and-trade-restructures-reducing-units-for-efficiency-2375923.html',
        verified: false,
        note: 'not among the units the report lists; what became of it is not settled by our sources, so no successor is recorded',
      },
    ],
  },
  {
    id: 'media_units',
    nameVi: 'Các cơ quan báo chí của Bộ',
    nameEn: 'Media units',
    aliases: [
      'Press agencies',
      'Các cơ quan báo chí',
      'Các cơ quan báo chí, truyền thông',
      'Các đơn vị báo chí, truyền thông',
      'Các cơ quan báo chí thuộc Bộ',
      'Các cơ quan báo chí, truyền thông của Bộ',
      'Các cơ quan báo chí, truyền thông thuộc Bộ',
      'Các đơn vị báo chí, truyền thông thuộc Bộ',
      'Các cơ quan truyền thông của Bộ',
    ],
    members: ['newspaper', 'magazine', 'television'],
  },
  {
    id: 'inspection_units',
    nameVi: 'Các đơn vị thanh tra, kiểm tra',
    nameEn: 'Inspection and enforcement units',
    aliases: [
      'Các đơn vị thanh tra, kiểm tra, xử lý vi phạm',
      'Các đơn vị có chức năng thanh tra, kiểm tra',
      'Inspection units',
      'Inspection and examination units',
    ],
    members: ['inspectorate', 'market_management'],
  },
  // Units that ceased. Their ids stay: directives imported before the change store them.
  {
    id: 'general_market_management',
    nameVi: 'Tổng cục Quản lý thị trường',
    nameEn: 'General Department of Market Management',
    aliases: ['Tổng cục QLTT', 'Vietnam Directorate of Market Surveillance', 'Directorate of Market Surveillance'],
    ceased: MERGED_INTO_DOMESTIC_MARKET_DEPARTMENT,
  },
  {
    id: 'domestic_market',
    nameVi: 'Vụ Thị trường trong nước',
    nameEn: 'Domestic Market Department',
    aliases: ['Domestic Market Policy Department', 'Vụ TTTN'],
    ceased: MERGED_INTO_DOMESTIC_MARKET_DEPARTMENT,
  },
  {
    id: 'science_technology',
    nameVi: 'Vụ Khoa học và Công nghệ',
    nameEn: 'Science and Technology Department',
    aliases: ['Department of Science and Technology', 'Vụ KHCN'],
    ceased: {
      on: '2025-03-01',
      by: DECREE_40_2025,
      successorIds: ['innovation'],
      sources: [
        DECREE_40_ART_3,
        {
          title:
            'The Ministry’s reorganisation plan (12/2024): the Science and Technology Department merged with two others into one department',
          url: 'https://xe.today/2024/12/18/the-great-merger-uniting-departments-for-a-stronger-future',
          verified: false,
          note: 'the plan, as reported; the decree’s text on the merger was not read',
        },
      ],
    },
  },
  {
    id: 'planning_finance_2022',
    nameVi: 'Vụ Kế hoạch - Tài chính',
    nameEn: 'Planning and Finance Department',
    aliases: ['Vụ Kế hoạch', 'Planning Department', 'Department of Planning and Finance'],
    ceased: {
      on: '2025-03-01',
      by: DECREE_40_2025,
      successorIds: ['planning_finance'],
      sources: [DECREE_40_ART_3],
    },
  },
  {
    id: 'competition_consumer_authority',
    nameVi: 'Cục Cạnh tranh và Bảo vệ người tiêu dùng',
    nameEn: 'Vietnam Competition and Consumer Authority',
    aliases: ['VCCA', 'Competition and Consumer Protection Authority'],
    ceased: {
      on: null,
      by: 'Competition Law 2018 (23/2018/QH14): the National Competition Commission formed from it',
      successorIds: ['competition'],
      sources: [
        {
          title:
            'Dân chủ & Pháp luật: the Commission formed from the Competition and Consumer Authority and the Competition Council office',
          url: 'https://danchuphapluat.vn/thuc-hien-phap-luat-ve-kiem-soat-sap-nhap-doanh-nghiep-tai-co-quan-quan-ly-canh-tranh-o-viet-nam-hien-nay',
          verified: false,
          note: 'the day it ceased and the decree that ended it are not in our sources',
        },
      ],
    },
  },
];

const DECREE_29_2025_CUSTOMS: UnitSource = {
  title:
    'Decree 29/2025/NĐ-CP (Ministry of Finance) and Decision 382/QĐ-BTC of 26/02/2025: the Customs Department replaces the General Department of Customs from 01/03/2025',
  url: 'https://kinhtetieudung.vn/trien-khai-mo-hinh-to-chuc-moi-cua-cuc-hai-quan-a20125.html',
  verified: true,
};

const DECREE_55_2025: UnitSource = {
  title:
    'Decree 55/2025/NĐ-CP of 02/03/2025 (in force 01/03/2025): the Ministry of Science and Technology after its merger with the Ministry of Information and Communications',
  url: 'https://dientuungdung.vn/co-cau-to-chuc-cua-bo-khoa-hoc-va-cong-nghe-sau-khi-hop-nhat-8176.html',
  verified: true,
  note: 'press and publishing passed to the Ministry of Culture, Sports and Tourism',
};

/** State bodies outside the Ministry that directives name as issuers, assignees or partners. */
export const STATE_BODIES: readonly UnitRef[] = [
  {
    id: 'moit',
    nameVi: 'Bộ Công Thương',
    nameEn: 'Ministry of Industry and Trade',
    aliases: ['Ministry of Industry and Trade of Vietnam', 'Ministry of Industry and Trade of Viet Nam', 'MOIT', 'BCT'],
  },
  {
    id: 'prime_minister',
    nameVi: 'Thủ tướng Chính phủ',
    nameEn: 'Prime Minister',
    aliases: ['Thủ tướng', 'Prime Minister of Vietnam', 'Prime Minister of Viet Nam', 'TTg'],
  },
  { id: 'government', nameVi: 'Chính phủ', nameEn: 'Government', aliases: ['The Government', 'CP'] },
  {
    id: 'government_office',
    nameVi: 'Văn phòng Chính phủ',
    nameEn: 'Government Office',
    aliases: ["Government's Office of Vietnam", "Government's Office", 'Office of the Government', 'VPCP'],
  },
  { id: 'mof', nameVi: 'Bộ Tài chính', nameEn: 'Ministry of Finance', aliases: ['BTC', 'MOF'] },
  {
    id: 'customs',
    nameVi: 'Cục Hải quan',
    nameEn: 'Customs Department',
    aliases: ['Vietnam Customs', 'Cục Hải quan Việt Nam', 'Department of Customs'],
    sources: [DECREE_29_2025_CUSTOMS],
  },
  {
    id: 'most',
    nameVi: 'Bộ Khoa học và Công nghệ',
    nameEn: 'Ministry of Science and Technology',
    aliases: ['Bộ KH&CN', 'MOST', 'BKHCN'],
    sources: [DECREE_55_2025],
  },
  { id: 'mps', nameVi: 'Bộ Công an', nameEn: 'Ministry of Public Security', aliases: ['BCA', 'MPS'] },
  { id: 'moj', nameVi: 'Bộ Tư pháp', nameEn: 'Ministry of Justice', aliases: ['MOJ', 'BTP'] },
  { id: 'mofa', nameVi: 'Bộ Ngoại giao', nameEn: 'Ministry of Foreign Affairs', aliases: ['MOFA'] },
  { id: 'moh', nameVi: 'Bộ Y tế', nameEn: 'Ministry of Health', aliases: ['MOH', 'BYT'] },
  {
    id: 'sbv',
    nameVi: 'Ngân hàng Nhà nước Việt Nam',
    nameEn: 'State Bank of Vietnam',
    aliases: ['Ngân hàng Nhà nước', 'State Bank of Viet Nam', 'SBV', 'NHNN'],
  },
  {
    id: 'provincial_committees',
    nameVi: 'Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương',
    nameEn: "People's Committees of provinces and centrally-run cities",
    aliases: [
      'Ủy ban nhân dân các tỉnh, thành phố',
      'UBND các tỉnh, thành phố trực thuộc trung ương',
      'UBND các tỉnh, thành phố',
      "People's Committees of provinces and cities",
      "Provincial People's Committees",
    ],
  },
  {
    id: 'provincial_dot',
    nameVi: 'Sở Công Thương các tỉnh, thành phố',
    nameEn: 'Provincial Departments of Industry and Trade',
    aliases: [
      'Sở Công Thương các tỉnh, thành phố trực thuộc trung ương',
      'Sở Công Thương',
      'Departments of Industry and Trade',
    ],
  },
  // Bodies that ceased.
  {
    id: 'general_customs',
    nameVi: 'Tổng cục Hải quan',
    nameEn: 'General Department of Customs',
    aliases: ['General Department of Vietnam Customs', 'Tổng cục Hải quan Việt Nam'],
    ceased: {
      on: '2025-03-01',
      by: 'Decree 29/2025/NĐ-CP',
      successorIds: ['customs'],
      sources: [DECREE_29_2025_CUSTOMS],
    },
  },
  {
    id: 'mic',
    nameVi: 'Bộ Thông tin và Truyền thông',
    nameEn: 'Ministry of Information and Communications',
    aliases: ['Bộ TT&TT', 'Bộ TTTT', 'MIC', 'BTTTT'],
    ceased: { on: '2025-03-01', by: 'Decree 55/2025/NĐ-CP', successorIds: ['most'], sources: [DECREE_55_2025] },
  },
  {
    id: 'mpi',
    nameVi: 'Bộ Kế hoạch và Đầu tư',
    nameEn: 'Ministry of Planning and Investment',
    aliases: ['Bộ KH&ĐT', 'MPI', 'BKHĐT'],
    ceased: {
      on: '2025-03-01',
      by: 'the 2025 reorganisation of the Government (merged into the Ministry of Finance)',
      successorIds: ['mof'],
      sources: [
        {
          title:
            'Lao Động, 02/2025: the Government’s 14 ministries after the reorganisation (no Ministry of Planning and Investment)',
          url: 'https://news.laodong.vn/thoi-su/du-kien-bo-may-cua-bo-cong-thuong-khi-chinh-phu-thong-qua-1458216.ldo',
          verified: false,
          note: 'the plan as reported; the resolution that merged it was not read',
        },
      ],
    },
  },
];

const ALL_UNITS: readonly UnitRef[] = [...MINISTRY_UNITS, ...STATE_BODIES];

/**
 * The comparison key of a unit name: folded (case and diacritics ignored), "&" read as "and",
 * hyphens and punctuation as spaces, a leading article dropped.
 */
export function unitNameKey(name: string): string {
  return foldForSearch(name.replace(/&/g, ' and '))
    .replace(/[-–—/.,:;()"'’]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^the /, '');
}

/** Qualifiers that say whose unit it is without changing which unit it is. */
const OWNER_SUFFIX =
  / (?:of (?:the )?ministry of industry and trade(?: of viet ?nam)?|of (?:the )?ministry|of moit|thuoc bo cong thuong|cua bo cong thuong|thuoc bo|cua bo)$/;

const UNITS_BY_KEY: ReadonlyMap<string, UnitRef> = (() => {
  const byKey = new Map<string, UnitRef>();
  for (const unit of ALL_UNITS) {
    for (const name of [unit.nameVi, unit.nameEn, ...unit.aliases]) {
      const key = unitNameKey(name);
      if (!byKey.has(key)) byKey.set(key, unit);
    }
  }
  return byKey;
})();

const UNITS_BY_ID: ReadonlyMap<string, UnitRef> = new Map(ALL_UNITS.map((unit) => [unit.id, unit]));

/** The catalogue record with this id (a unit of today or one that ceased). */
export function unitById(id: string): UnitRef | undefined {
  return UNITS_BY_ID.get(id);
}

/** The unit doing the work of this one today: itself, or the first successor of its first successor, and so on. */
export function currentUnitOf(unit: UnitRef): UnitRef {
  let current = unit;
  for (let step = 0; current.ceased && step < ALL_UNITS.length; step += 1) {
    const next = UNITS_BY_ID.get(current.ceased.successorIds[0] ?? '');
    if (!next) break;
    current = next;
  }
  return current;
}

/**
 * The record a name as written stands for, diacritics and case ignored ("Cục TMĐT và KTS", "the Legal Affairs
 * Department", "Media units of the Ministry of Industry and Trade"): for a unit that has ceased
 * ("Tổng cục Quản lý thị trường"), the old unit's own record.
 */
export function matchUnitAsWritten(name: string): UnitRef | undefined {
  const key = unitNameKey(name);
  return UNITS_BY_KEY.get(key) ?? UNITS_BY_KEY.get(key.replace(OWNER_SUFFIX, ''));
}

/**
 * The unit a name as written stands for today: a ceased unit's name ("Tổng cục Quản lý thị trường" in a 2024
 * dispatch) gives its successor, under which the task is tracked. `matchUnitAsWritten` gives the old record.
 */
export function matchUnit(name: string): UnitRef | undefined {
  const unit = matchUnitAsWritten(name);
  return unit && currentUnitOf(unit);
}

/** A name as written, resolved: the unit of today, and the ceased unit the text named (null when it named a current one). */
export interface ResolvedUnit {
  unit: UnitRef;
  asWritten: UnitRef | null;
}

export function resolveUnit(nameAsWritten: string): ResolvedUnit | undefined {
  const written = matchUnitAsWritten(nameAsWritten);
  if (!written) return undefined;
  const unit = currentUnitOf(written);
  return { unit, asWritten: unit === written ? null : written };
}

/** Every known name and alias as word keys, longest first, for finding names inside running text (old units' names too). */
export const KNOWN_UNIT_NAMES: ReadonlyArray<{ words: readonly string[]; unit: UnitRef }> = [...UNITS_BY_KEY]
  .map(([key, unit]) => ({ words: key.split(' '), unit }))
  .sort((a, b) => b.words.length - a.words.length);

/** The name in the document's language ("Bộ Công Thương" in a Vietnamese text). */
export function unitNameIn(unit: UnitRef, language: 'vi' | 'en'): string {
  return language === 'vi' ? unit.nameVi : unit.nameEn;
}

/**
 * What a page in `language` shows for a unit stored as `id` and written as `nameAsWritten`: the current unit's
 * name in the page's language (never the document's English name on a Vietnamese page), and the ceased unit's
 * name, in the page's language too, when the document named one ("Tổng cục Quản lý thị trường" beside
 * "Cục Quản lý và Phát triển thị trường trong nước"). A unit the catalogue does not know keeps its name as written.
 */
export function unitDisplayName(
  id: string | null,
  nameAsWritten: string,
  language: 'vi' | 'en',
): { name: string; formerName: string | null } {
  const stored = id ? UNITS_BY_ID.get(id) : undefined;
  const written = matchUnitAsWritten(nameAsWritten);
  const record = stored ?? written;
  if (!record) return { name: nameAsWritten, formerName: null };
  const current = currentUnitOf(record);
  const former = [stored, written].find((unit) => unit?.ceased && currentUnitOf(unit) === current);
  return { name: unitNameIn(current, language), formerName: former ? unitNameIn(former, language) : null };
}

/**
 * A unit as every page shows it, in both languages: today's name, and beside it the ceased unit the record named
 * ("Cục Quản lý và Phát triển thị trường trong nước (văn bản ghi: Tổng cục Quản lý thị trường)").
 */
export function unitLabel(id: string | null, nameAsWritten?: string): Localized {
  const label = (language: 'vi' | 'en') => {
    const { name, formerName } = unitDisplayName(id, nameAsWritten ?? id ?? '', language);
    if (!formerName) return name;
    return language === 'vi'
      ? `${name} (văn bản ghi: ${formerName})`
      : `${name} (named in the document: ${formerName})`;
  };
  return { vi: label('vi'), en: label('en') };
}

/** The ids of the ceased units whose work passed (directly or through others) to this unit: stored tasks under them are this unit's. */
export function predecessorIdsOf(id: string): string[] {
  return ALL_UNITS.filter((unit) => unit.id !== id && unit.ceased && currentUnitOf(unit).id === id).map(
    (unit) => unit.id,
  );
}

/** The unit of today that holds a public duty (consumer protection), with its public channels. */
export function unitWithDuty(duty: UnitDuty): UnitRef {
  const unit = ALL_UNITS.find((candidate) => !candidate.ceased && candidate.duties?.includes(duty));
  if (!unit) throw new Error(`no current unit holds the duty ${duty}`);
  return unit;
}
