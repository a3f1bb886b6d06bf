import { foldForSearch } from '../../core/text.ts';

/**
 * The Ministry of Industry and Trade's units, and the other state bodies directives name, with their
 * Vietnamese and English names and the aliases documents use, for matching a unit as written to one record.
 */
export interface UnitRef {
  /** Stable id for storage ("idea", "legal"). */
  id: string;
  nameVi: string;
  nameEn: string;
  aliases: readonly string[];
  /** For a collective name ("Media units"): the ids of the units it stands for. */
  members?: readonly string[];
}

/** Units of the Ministry of Industry and Trade named in directives (structure of 2024, with later names as aliases). */
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
  },
  {
    id: 'market_management',
    nameVi: 'Cục Quản lý và Phát triển thị trường trong nước',
    nameEn: 'Domestic Market Management and Development Department',
    aliases: [
      'Tổng cục Quản lý thị trường',
      'Tổng cục QLTT',
      'General Department of Market Management',
      'Vietnam Directorate of Market Surveillance',
      'Directorate of Market Surveillance',
      'Domestic Market Surveillance and Development Department',
      'Cục Quản lý thị trường',
    ],
  },
  {
    id: 'competition',
    nameVi: 'Ủy ban Cạnh tranh Quốc gia',
    nameEn: 'National Competition Commission',
    // The Competition and Consumer Protection Authority's tasks passed to the Commission (2023); older texts name it.
    aliases: [
      'Uỷ ban Cạnh tranh Quốc gia',
      'UBCTQG',
      'Vietnam Competition Commission',
      'VCC',
      'Cục Cạnh tranh và Bảo vệ người tiêu dùng',
      'Vietnam Competition and Consumer Authority',
      'VCCA',
    ],
  },
  {
    id: 'legal',
    nameVi: 'Vụ Pháp chế',
    nameEn: 'Legal Department',
    aliases: ['Legal Affairs Department', 'Department of Legal Affairs', 'Department of Legal Affairs of MOIT'],
  },
  {
    id: 'import_export',
    nameVi: 'Cục Xuất nhập khẩu',
    nameEn: 'Import-Export Department',
    aliases: ['Import and Export Department', 'Agency of Foreign Trade', 'Cục XNK'],
  },
  {
    id: 'trade_promotion',
    nameVi: 'Cục Xúc tiến thương mại',
    nameEn: 'Trade Promotion Agency',
    aliases: ['Vietnam Trade Promotion Agency', 'VIETRADE', 'Cục XTTM'],
  },
  {
    id: 'domestic_market',
    nameVi: 'Vụ Thị trường trong nước',
    nameEn: 'Domestic Market Department',
    aliases: ['Domestic Market Policy Department', 'Vụ TTTN'],
  },
  {
    id: 'science_technology',
    nameVi: 'Vụ Khoa học và Công nghệ',
    nameEn: 'Science and Technology Department',
    aliases: ['Department of Science and Technology', 'Vụ KHCN'],
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
  },
  {
    id: 'trade_remedies',
    nameVi: 'Cục Phòng vệ thương mại',
    nameEn: 'Trade Remedies Authority',
    aliases: ['Trade Remedies Authority of Vietnam', 'TRAV'],
  },
  {
    id: 'ministry_office',
    nameVi: 'Văn phòng Bộ',
    nameEn: 'Ministry Office',
    aliases: ['Văn phòng Bộ Công Thương', 'Office of the Ministry'],
  },
  {
    id: 'planning_finance',
    nameVi: 'Vụ Kế hoạch - Tài chính',
    nameEn: 'Planning and Finance Department',
    // Renamed in the 2025 reorganisation.
    aliases: [
      'Vụ Kế hoạch',
      'Planning Department',
      'Department of Planning and Finance',
      'Vụ Kế hoạch, Tài chính và Quản lý doanh nghiệp',
      'Department of Planning, Finance and Enterprise Management',
    ],
  },
  {
    id: 'newspaper',
    nameVi: 'Báo Công Thương',
    nameEn: 'Industry and Trade Newspaper',
    aliases: ['Cong Thuong Newspaper', 'Industry and Trade Newspapers'],
  },
  {
    id: 'magazine',
    nameVi: 'Tạp chí Công Thương',
    nameEn: 'Industry and Trade Magazine',
    aliases: ['Industry and Trade Review', 'Cong Thuong Magazine'],
  },
  {
    id: 'television',
    nameVi: 'Truyền hình Công Thương',
    nameEn: 'Industry and Trade Television',
    aliases: ['Trung tâm Truyền hình Công Thương', 'Kênh Truyền hình Công Thương', 'Industry and Trade TV'],
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
];

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
    nameVi: 'Tổng cục Hải quan',
    nameEn: 'General Department of Customs',
    aliases: ['Cục Hải quan', 'General Department of Vietnam Customs', 'Vietnam Customs', 'Customs Department'],
  },
  {
    id: 'mic',
    nameVi: 'Bộ Thông tin và Truyền thông',
    nameEn: 'Ministry of Information and Communications',
    aliases: ['Bộ TT&TT', 'Bộ TTTT', 'MIC', 'BTTTT'],
  },
  { id: 'mps', nameVi: 'Bộ Công an', nameEn: 'Ministry of Public Security', aliases: ['BCA', 'MPS'] },
  {
    id: 'most',
    nameVi: 'Bộ Khoa học và Công nghệ',
    nameEn: 'Ministry of Science and Technology',
    aliases: ['Bộ KH&CN', 'MOST', 'BKHCN'],
  },
  { id: 'moj', nameVi: 'Bộ Tư pháp', nameEn: 'Ministry of Justice', aliases: ['MOJ', 'BTP'] },
  {
    id: 'mpi',
    nameVi: 'Bộ Kế hoạch và Đầu tư',
    nameEn: 'Ministry of Planning and Investment',
    aliases: ['Bộ KH&ĐT', 'MPI', 'BKHĐT'],
  },
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

/**
 * The known unit or body a name as written stands for, diacritics and case ignored
 * ("Cục TMĐT và KTS", "the Legal Affairs Department", "Media units of the Ministry of Industry and Trade").
 */
export function matchUnit(name: string): UnitRef | undefined {
  const key = unitNameKey(name);
  return UNITS_BY_KEY.get(key) ?? UNITS_BY_KEY.get(key.replace(OWNER_SUFFIX, ''));
}

/** Every known name and alias as word keys, longest first, for finding names inside running text. */
export const KNOWN_UNIT_NAMES: ReadonlyArray<{ words: readonly string[]; unit: UnitRef }> = [...UNITS_BY_KEY]
  .map(([key, unit]) => ({ words: key.split(' '), unit }))
  .sort((a, b) => b.words.length - a.words.length);

/** The name in the document's language ("Bộ Công Thương" in a Vietnamese text). */
export function unitNameIn(unit: UnitRef, language: 'vi' | 'en'): string {
  return language === 'vi' ? unit.nameVi : unit.nameEn;
}
