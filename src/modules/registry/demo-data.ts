/**
 * The demo register that `serve` loads into an empty database.
 *
 * Every entry says where it comes from. `public`: a real platform, with only the facts found in public
 * sources (the platform's own site footer and store links, as copied in many public repositories; Dispatch
 * 8598/BCT-TMDT for the unregistered cross-border platforms); a field that could not be checked is left empty.
 * Registration numbers of real platforms are not published in a form we can check, so they are demo numbers
 * (`DEMO-…`). `fictional`: invented shops and organisations, with tax codes that pass the checksum in a range
 * (0199…, 0399…) far beyond the codes issued so far, and domains chosen not to be real sites (not checked
 * against the .vn registry).
 */
import type { RegistryRow } from './registry.csv.ts';

export interface DemoProvenance {
  source: 'public' | 'fictional';
  /** Which facts are public (and where from) and which are demo values. */
  note: string;
}

export interface DemoRegistryEntry {
  row: Omit<RegistryRow, 'line'>;
  provenance: DemoProvenance;
}

/** Shown wherever demo data is (home page banner, record pages, the CLI after loading it). */
export const DEMO_DATA_NOTICE = {
  vi:
    'Dữ liệu mẫu (minh họa): các mục ghi “công khai” chỉ dùng thông tin công khai (tên, tên miền, ứng dụng, mã số doanh nghiệp); ' +
    'số đăng ký, thời hạn và mọi cửa hàng, doanh nghiệp khác là giả định, không phải dữ liệu của Bộ Công Thương.',
  en:
    'Demo data: entries marked “public” use only publicly available facts (names, domains, apps, enterprise codes); ' +
    'registration numbers, validity dates and every other shop and company are invented, not Ministry of Industry and Trade records.',
} as const;

const FOOTER_SOURCE = 'as printed in the footer of its own web site (found in many independent copies of that footer)';
const DEMO_NUMBER = 'The registration number is a demo value: real numbers are not published in a form we could check.';
const NOT_IN_8598 =
  'Dispatch 8598/BCT-TMDT (26 Oct 2024) names it among cross-border platforms not registered with the Ministry of Industry and Trade; status as of that date. Operator and Vietnamese tax code: none known, left empty.';

function entry(
  row: Partial<Omit<RegistryRow, 'line'>> & Pick<RegistryRow, 'name' | 'kind' | 'status'>,
  provenance: DemoProvenance,
): DemoRegistryEntry {
  return {
    row: {
      registrationNo: null,
      crossBorder: false,
      domains: [],
      androidApps: [],
      iosApps: [],
      orgName: null,
      taxCode: null,
      validUntil: null,
      legacyId: null,
      ...row,
    },
    provenance,
  };
}

export const DEMO_REGISTRY: readonly DemoRegistryEntry[] = [
  // Real marketplaces and sites (public facts, demo registration numbers).
  entry(
    {
      registrationNo: 'DEMO-TMDT-0001',
      name: 'Shopee',
      kind: 'marketplace',
      status: 'registered',
      domains: ['shopee.vn'],
      androidApps: ['com.shopee.vn'],
      iosApps: ['959841449'],
      orgName: 'Công ty TNHH Shopee',
      taxCode: '0106773786',
    },
    {
      source: 'public',
      note: `Public: domain and store ids (Google Play, App Store links); operator Công ty TNHH Shopee, enterprise code 0106773786 (Hà Nội, first issued 10/02/2015), ${FOOTER_SOURCE}. Registered as a platform per issue 2 (not checked on online.gov.vn here). ${DEMO_NUMBER}`,
    },
  ),
  entry(
    {
      registrationNo: 'DEMO-TMDT-0002',
      name: 'Lazada',
      kind: 'marketplace',
      status: 'registered',
      domains: ['lazada.vn'],
      androidApps: ['com.lazada.android'],
      iosApps: ['785385147'],
      orgName: 'Công ty TNHH Recess',
      taxCode: '0308808576',
    },
    {
      source: 'public',
      note: `Public: domain and store ids; operator Công ty TNHH Recess, enterprise code 0308808576 (TP.HCM, first issued 06/5/2009), ${FOOTER_SOURCE}. (0309532909, once suggested for Lazada, is Tiki's code.) Registered as a platform per issue 2. ${DEMO_NUMBER}`,
    },
  ),
  entry(
    {
      registrationNo: 'DEMO-TMDT-0003',
      name: 'Tiki',
      kind: 'marketplace',
      status: 'registered',
      domains: ['tiki.vn'],
      androidApps: ['vn.tiki.app.tikiandroid'],
      iosApps: ['958100553'],
      orgName: 'Công ty TNHH Ti Ki',
      taxCode: '0309532909',
    },
    {
      source: 'public',
      note: `Public: domain and store ids (from the site's web app manifest); enterprise code 0309532909 (TP.HCM, first issued 06/01/2010), ${FOOTER_SOURCE}. Older copies of the footer name "Công ty Cổ phần Ti Ki", a 2022 copy "Công ty TNHH Ti Ki"; the later name is used. Registered as a platform per issue 2. ${DEMO_NUMBER}`,
    },
  ),
  entry(
    {
      registrationNo: 'DEMO-TMDT-0004',
      name: 'TikTok Shop',
      kind: 'social',
      status: 'registered',
      crossBorder: true,
      domains: ['tiktok.com'],
      androidApps: ['com.ss.android.ugc.trill', 'com.zhiliaoapp.musically'],
      iosApps: ['1235601864'],
    },
    {
      source: 'public',
      note: `Public: TikTok's domain and app ids (com.ss.android.ugc.trill is the Asian build, com.zhiliaoapp.musically the global one; 1235601864 is the App Store id in Vietnamese store links). A social network with e-commerce: the shop is inside the social app, so the identity is tiktok.com as a whole (shop.tiktok.com and seller-vn.tiktok.com inherit it; listing only shop.tiktok.com would leave tiktok.com product links unknown). Registered per issue 2. Not verified, so left empty: the Vietnamese operator and its tax code. cross_border true is a demo choice (the apps' publisher is TikTok Pte. Ltd., Singapore). ${DEMO_NUMBER}`,
    },
  ),
  entry(
    {
      registrationNo: 'DEMO-TMDT-0005',
      name: 'Sendo',
      kind: 'marketplace',
      status: 'registered',
      domains: ['sendo.vn'],
      androidApps: ['com.sendo'],
      orgName: 'Công ty Cổ phần Công nghệ Sen Đỏ',
      taxCode: '0312776486',
    },
    {
      source: 'public',
      note: `Public: domain and Android id; operator Công ty Cổ phần Công nghệ Sen Đỏ (FPT group), enterprise code 0312776486 (TP.HCM, first issued 13/05/2014), ${FOOTER_SOURCE}. iOS id left empty (only one secondary source found). Registered as a platform per issue 2. ${DEMO_NUMBER}`,
    },
  ),
  entry(
    {
      registrationNo: 'DEMO-TMDT-0006',
      name: 'Chợ Tốt',
      kind: 'marketplace',
      status: 'registered',
      domains: ['chotot.com', 'chotot.vn'],
      androidApps: ['com.chotot.vn'],
      iosApps: ['790034666'],
      orgName: 'Công ty TNHH Chợ Tốt',
      taxCode: '0312120782',
    },
    {
      source: 'public',
      note: `Public: domains and store ids; operator Công ty TNHH Chợ Tốt, enterprise code 0312120782 (TP.HCM, issued 11/01/2013), ${FOOTER_SOURCE}. A classifieds marketplace; its footer links an old-portal record in a format older than WebDetails, so legacy_id is left empty. Status is a demo assumption. ${DEMO_NUMBER}`,
    },
  ),
  entry(
    {
      registrationNo: 'DEMO-TB-0007',
      name: 'Thế Giới Di Động',
      kind: 'sales',
      status: 'notified',
      domains: ['thegioididong.com'],
      orgName: 'Công ty Cổ phần Thế Giới Di Động',
      taxCode: '0303217354',
    },
    {
      source: 'public',
      note: `Public: domain; operator Công ty Cổ phần Thế Giới Di Động (Mobile World, MWG), enterprise code 0303217354 (TP.HCM, issued 02/01/2007), ${FOOTER_SOURCE}. Its own sales site, hence kind sales and status notified (a demo assumption). App ids left empty (only one old source found). ${DEMO_NUMBER}`,
    },
  ),
  entry(
    {
      name: 'Temu',
      kind: 'marketplace',
      status: 'unregistered',
      crossBorder: true,
      domains: ['temu.com'],
      androidApps: ['com.einnovation.temu'],
      iosApps: ['1641486558'],
    },
    { source: 'public', note: `Public: domain and store ids. ${NOT_IN_8598}` },
  ),
  entry(
    {
      name: 'SHEIN',
      kind: 'marketplace',
      status: 'unregistered',
      crossBorder: true,
      domains: ['shein.com'],
      androidApps: ['com.zzkko'],
      iosApps: ['878577184'],
    },
    { source: 'public', note: `Public: domain and store ids. ${NOT_IN_8598}` },
  ),
  entry(
    {
      name: '1688',
      kind: 'marketplace',
      status: 'unregistered',
      crossBorder: true,
      domains: ['1688.com'],
      androidApps: ['com.alibaba.wireless'],
    },
    {
      source: 'public',
      note: `Public: domain and Android id (Alibaba's wholesale marketplace); iOS id left empty (only one source found). ${NOT_IN_8598}`,
    },
  ),

  // Fictional shops: every status and every kind, some with old-portal ids.
  entry(
    {
      registrationNo: 'DEMO-TB-2023-0101',
      name: 'Bánh Trung Thu An Hòa',
      kind: 'sales',
      status: 'notified',
      domains: ['banhtrungthu-anhoa.vn'],
      orgName: 'Công ty TNHH Bánh Trung Thu An Hòa',
      taxCode: '0199001010',
      legacyId: 'WebDetails/900101',
    },
    { source: 'fictional', note: 'Invented shop, organisation, tax code, domain and old-portal id.' },
  ),
  entry(
    {
      registrationNo: 'DEMO-TB-2023-0102',
      name: 'Gốm Sứ Bát Tràng Demo',
      kind: 'sales',
      status: 'notified',
      domains: ['gomsubattrang-demo.vn'],
      androidApps: ['vn.gomsubattrangdemo.app'],
      orgName: 'Chi nhánh Công ty TNHH Gốm Sứ Bát Tràng Demo tại Hà Nội',
      taxCode: '0199001028-001',
      legacyId: 'WebDetails/900102',
    },
    { source: 'fictional', note: 'Invented; run by a branch, so its tax code has a branch suffix (-001).' },
  ),
  entry(
    {
      registrationNo: 'DEMO-TB-2021-0103',
      name: 'Thời Trang Mai Mai',
      kind: 'sales',
      status: 'expired',
      domains: ['thoitrangmaimai.vn'],
      orgName: 'Công ty TNHH Thời Trang Mai Mai',
      taxCode: '0199001035',
      validUntil: '2024-06-30',
      legacyId: 'WebDetails/900103',
    },
    {
      source: 'fictional',
      note: 'Invented old-portal record imported with the end date it carried (30/06/2024), as imported data may: the law gives a notification no validity term and the system never computes one.',
    },
  ),
  entry(
    {
      registrationNo: 'DEMO-TB-2022-0104',
      name: 'Mỹ Phẩm Hoa Lan',
      kind: 'sales',
      status: 'revoked',
      domains: ['mypham-hoalan.vn'],
      orgName: 'Công ty TNHH Mỹ Phẩm Hoa Lan',
      taxCode: '0199001042',
    },
    {
      source: 'fictional',
      note: 'Invented; notification cancelled (the story: cosmetics sold without product notification).',
    },
  ),
  entry(
    {
      registrationNo: 'DEMO-TB-2022-0105',
      name: 'Đồ Chơi Bébi',
      kind: 'sales',
      status: 'suspended',
      // dochoi-bebi.vn and its Unicode spelling đồchơibébi.vn.
      domains: ['dochoi-bebi.vn', 'xn--chibbi-eva92aw8bm99o.vn'],
      androidApps: ['vn.dochoibebi.shop'],
      orgName: 'Công ty TNHH Đồ Chơi Bébi',
      taxCode: '0199001067',
    },
    {
      source: 'fictional',
      note: 'Invented; suspended (the story: toys without the required conformity marking). Also shows an internationalised domain (đồchơibébi.vn).',
    },
  ),
  entry(
    {
      registrationNo: 'DEMO-TMDT-2022-0106',
      name: 'Sách Cũ Hà Nội',
      kind: 'auction',
      status: 'registered',
      // sachcu-hanoi.vn and its Unicode spelling sáchcũhànội.vn.
      domains: ['sachcu-hanoi.vn', 'xn--schchni-dwae77kt29q.vn'],
      orgName: 'Công ty TNHH Sách Cũ Hà Nội',
      taxCode: '0199001074',
      legacyId: 'WebDetails/900106',
    },
    { source: 'fictional', note: 'Invented online auction of second-hand books.' },
  ),
  entry(
    {
      name: 'Khuyến Mãi Vàng',
      kind: 'promotion',
      status: 'pending',
      domains: ['khuyenmaivang-demo.vn'],
      orgName: 'Công ty Cổ phần Khuyến Mãi Vàng',
      taxCode: '0199001081',
    },
    {
      source: 'fictional',
      note: 'Invented online promotion platform whose application is under review (no number yet).',
    },
  ),
  entry(
    {
      name: 'Đấu Giá Nhanh 24h',
      kind: 'auction',
      status: 'rejected',
      domains: ['daugianhanh24h-demo.vn'],
      orgName: 'Công ty TNHH Đấu Giá Nhanh',
      taxCode: '0199001099',
    },
    { source: 'fictional', note: 'Invented; its application was rejected (incomplete dossier).' },
  ),
  entry(
    {
      registrationNo: 'DEMO-TMDT-2024-0109',
      name: 'Sen Vàng',
      kind: 'integrated',
      status: 'registered',
      domains: ['senvang-demo.vn'],
      androidApps: ['vn.senvangdemo.superapp'],
      orgName: 'Công ty Cổ phần Công nghệ Sen Vàng Demo',
      taxCode: '0399001018',
      legacyId: 'AppDetails/900109',
    },
    { source: 'fictional', note: 'Invented multi-service app (marketplace, payments, delivery): kind integrated.' },
  ),
  entry(
    {
      registrationNo: 'DEMO-TMDT-2023-0110',
      name: 'Chợ Quê',
      kind: 'social',
      status: 'registered',
      domains: ['choque-demo.vn'],
      orgName: 'Công ty TNHH Mạng Xã Hội Chợ Quê',
      taxCode: '0199001109',
    },
    { source: 'fictional', note: 'Invented social network where members sell farm produce.' },
  ),
  entry(
    {
      name: 'Xách Tay Nhật Demo',
      kind: 'sales',
      status: 'unregistered',
      domains: ['xachtaynhat-demo.vn'],
    },
    {
      source: 'fictional',
      note: 'Invented domestic shop found selling online without notifying its site; operator unknown.',
    },
  ),
  entry(
    {
      registrationNo: 'DEMO-TB-2020-0112',
      name: 'Gốm Sứ Lò Cũ',
      kind: 'sales',
      status: 'terminated',
      domains: ['gomsu-locu-demo.vn'],
      orgName: 'Công ty TNHH Gốm Sứ Lò Cũ',
      taxCode: '0199001116',
    },
    {
      source: 'fictional',
      note: 'Invented; the owner closed the shop and asked to terminate its notification, which the Agency confirmed.',
    },
  ),
  entry(
    {
      name: 'Hàng Hiệu Giá Sốc',
      kind: 'sales',
      status: 'blocked',
      crossBorder: true,
      domains: ['hanghieugiasoc-demo.vn'],
    },
    {
      source: 'fictional',
      note: 'Invented site selling counterfeit branded goods, blocked after legal review; operator unknown.',
    },
  ),
];

/**
 * The demo register as import rows (fresh copies; `line` is the row's line in the CSV the rows would export to).
 */
export function demoRegistryRows(): RegistryRow[] {
  return DEMO_REGISTRY.map(({ row }, index) => ({
    line: index + 2,
    ...row,
    domains: [...row.domains],
    androidApps: [...row.androidApps],
    iosApps: [...row.iosApps],
  }));
}
