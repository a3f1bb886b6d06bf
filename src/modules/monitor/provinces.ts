/**
 * The 34 provinces and centrally-run cities of Vietnam after the 2025 reorganisation (Resolution 202/2025/QH15 of
 * the National Assembly on the arrangement of provincial-level administrative units, adopted 12 June 2025, in force
 * the same day), each with the former provinces merged into it: shop addresses still name the old ones
 * ("Bình Dương", "Vũng Tàu"), so both count as a Vietnamese address. Source status: unverified (names taken from the
 * resolution as published in the press; the official text was not checked here).
 * Used only as a signal that a page names a place in Vietnam, never as a rule.
 */
export interface Province {
  /** The name after 1 July 2025, in Vietnamese (NFC). */
  name: string;
  /** Former provinces merged into it (their names are still in addresses). */
  formerly: readonly string[];
  /** Names written without diacritics or in English, as shops write them. */
  ascii: readonly string[];
}

export const PROVINCES_SOURCE = {
  provision: 'Resolution 202/2025/QH15 (Nghị quyết 202/2025/QH15 về việc sắp xếp đơn vị hành chính cấp tỉnh)',
  adoptedOn: '2025-06-12',
  status: 'unverified',
} as const;

export const PROVINCES: readonly Province[] = [
  { name: 'Hà Nội', formerly: [], ascii: ['Hanoi', 'Ha Noi'] },
  { name: 'Huế', formerly: ['Thừa Thiên Huế'], ascii: [] },
  { name: 'Lai Châu', formerly: [], ascii: ['Lai Chau'] },
  { name: 'Điện Biên', formerly: [], ascii: ['Dien Bien'] },
  { name: 'Sơn La', formerly: [], ascii: ['Son La'] },
  { name: 'Lạng Sơn', formerly: [], ascii: ['Lang Son'] },
  { name: 'Quảng Ninh', formerly: [], ascii: ['Quang Ninh'] },
  { name: 'Thanh Hóa', formerly: [], ascii: ['Thanh Hoa'] },
  { name: 'Nghệ An', formerly: [], ascii: ['Nghe An'] },
  { name: 'Hà Tĩnh', formerly: [], ascii: ['Ha Tinh'] },
  { name: 'Cao Bằng', formerly: [], ascii: ['Cao Bang'] },
  { name: 'Tuyên Quang', formerly: ['Hà Giang'], ascii: ['Tuyen Quang'] },
  { name: 'Lào Cai', formerly: ['Yên Bái'], ascii: ['Lao Cai'] },
  { name: 'Thái Nguyên', formerly: ['Bắc Kạn'], ascii: ['Thai Nguyen'] },
  { name: 'Phú Thọ', formerly: ['Vĩnh Phúc', 'Hòa Bình'], ascii: ['Phu Tho'] },
  { name: 'Bắc Ninh', formerly: ['Bắc Giang'], ascii: ['Bac Ninh'] },
  { name: 'Hưng Yên', formerly: ['Thái Bình'], ascii: ['Hung Yen'] },
  { name: 'Hải Phòng', formerly: ['Hải Dương'], ascii: ['Hai Phong', 'Haiphong'] },
  { name: 'Ninh Bình', formerly: ['Hà Nam', 'Nam Định'], ascii: ['Ninh Binh'] },
  { name: 'Quảng Trị', formerly: ['Quảng Bình'], ascii: ['Quang Tri'] },
  { name: 'Đà Nẵng', formerly: ['Quảng Nam'], ascii: ['Da Nang', 'Danang'] },
  { name: 'Quảng Ngãi', formerly: ['Kon Tum'], ascii: ['Quang Ngai'] },
  { name: 'Gia Lai', formerly: ['Bình Định'], ascii: ['Gia Lai'] },
  { name: 'Khánh Hòa', formerly: ['Ninh Thuận'], ascii: ['Khanh Hoa', 'Nha Trang'] },
  { name: 'Lâm Đồng', formerly: ['Đắk Nông', 'Bình Thuận'], ascii: ['Lam Dong', 'Da Lat'] },
  { name: 'Đắk Lắk', formerly: ['Phú Yên'], ascii: ['Dak Lak'] },
  {
    name: 'Hồ Chí Minh',
    formerly: ['Bình Dương', 'Bà Rịa - Vũng Tàu', 'Vũng Tàu', 'Sài Gòn'],
    ascii: ['Ho Chi Minh', 'HCMC', 'TP.HCM', 'TP HCM', 'Saigon'],
  },
  { name: 'Đồng Nai', formerly: ['Bình Phước'], ascii: ['Dong Nai', 'Bien Hoa'] },
  { name: 'Tây Ninh', formerly: ['Long An'], ascii: ['Tay Ninh'] },
  { name: 'Cần Thơ', formerly: ['Sóc Trăng', 'Hậu Giang'], ascii: ['Can Tho'] },
  { name: 'Vĩnh Long', formerly: ['Bến Tre', 'Trà Vinh'], ascii: ['Vinh Long'] },
  { name: 'Đồng Tháp', formerly: ['Tiền Giang'], ascii: ['Dong Thap'] },
  { name: 'Cà Mau', formerly: ['Bạc Liêu'], ascii: ['Ca Mau'] },
  { name: 'An Giang', formerly: ['Kiên Giang'], ascii: ['An Giang', 'Phu Quoc'] },
];
