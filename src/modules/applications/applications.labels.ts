import type { Localized } from '../../core/i18n.ts';
import { type LawPlatformType, PLATFORM_KINDS, type PlatformKind } from '../registry/index.ts';

export const PLATFORM_KINDS_FOR_SCHEMA = PLATFORM_KINDS;
export const LAW_TYPES_FOR_SCHEMA = [
  'direct_sales',
  'intermediary',
  'social_commerce',
  'integrated',
] as const satisfies readonly LawPlatformType[];

/** The platform types of Law No. 122/2025/QH15 on E-commerce. */
export const LAW_TYPE_LABELS: Record<LawPlatformType, Localized> = {
  direct_sales: { vi: 'Nền tảng thương mại điện tử kinh doanh trực tiếp', en: 'Direct sales e-commerce platform' },
  intermediary: { vi: 'Nền tảng thương mại điện tử trung gian', en: 'Intermediary e-commerce platform' },
  social_commerce: {
    vi: 'Mạng xã hội có hoạt động thương mại điện tử',
    en: 'Social network with e-commerce activities',
  },
  integrated: { vi: 'Nền tảng tích hợp đa dịch vụ', en: 'Integrated multi-service platform' },
};

/** Kinds as the form offers them, grouped by the law's platform types. */
export const KIND_CHOICES: ReadonlyArray<{ lawType: LawPlatformType; kinds: PlatformKind[] }> = [
  { lawType: 'direct_sales', kinds: ['sales'] },
  { lawType: 'intermediary', kinds: ['marketplace', 'auction', 'promotion'] },
  { lawType: 'social_commerce', kinds: ['social'] },
  { lawType: 'integrated', kinds: ['integrated'] },
];

export const APPLICATION_STATUS_LABELS: Record<string, Localized> = {
  submitted: { vi: 'Đang xem xét', en: 'Under review' },
  supplement_requested: { vi: 'Yêu cầu bổ sung', en: 'Supplements requested' },
  approved: { vi: 'Đã xác nhận', en: 'Approved' },
  rejected: { vi: 'Không được xác nhận', en: 'Rejected' },
};

export const APPLICATION_STATUS_TONES: Record<string, 'ok' | 'warn' | 'bad'> = {
  submitted: 'warn',
  supplement_requested: 'warn',
  approved: 'ok',
  rejected: 'bad',
};

export const APPLICATION_TYPE_LABELS: Record<string, Localized> = {
  notification: { vi: 'Thông báo website/ứng dụng bán hàng', en: 'Notification of a sales site/app' },
  registration: { vi: 'Đăng ký nền tảng', en: 'Registration of a platform' },
  change: { vi: 'Thay đổi thông tin đã thông báo, đăng ký', en: 'Change of notified or registered information' },
  reregistration: { vi: 'Đăng ký lại', en: 'Re-registration' },
};

/** The representative in Vietnam of a foreign platform (Decree 52/2013 Art. 67a, added by Decree 85/2021). */
export const REPRESENTATIVE_LABELS: Record<string, Localized> = {
  representative_office: { vi: 'Văn phòng đại diện tại Việt Nam', en: 'Representative office in Vietnam' },
  legal_entity: { vi: 'Pháp nhân tại Việt Nam được chỉ định', en: 'Appointed legal person in Vietnam' },
  authorised_representative: {
    vi: 'Đại diện theo ủy quyền (khai trước ngày 04/12/2026)',
    en: 'Authorised representative (filed before 4 Dec 2026)',
  },
};

export const APPLICANT_KIND_LABELS: Record<string, Localized> = {
  organisation: { vi: 'Thương nhân, tổ chức', en: 'Trader or organisation' },
  individual: { vi: 'Cá nhân', en: 'Individual' },
};

export const EVENT_LABELS: Record<string, Localized> = {
  submitted: { vi: 'Nộp hồ sơ', en: 'Filed' },
  resubmitted: { vi: 'Nộp lại hồ sơ bổ sung', en: 'Resubmitted with supplements' },
  domain_verified: { vi: 'Đã chứng minh quyền quản lý tên miền', en: 'Domain control proved' },
  domain_check_failed: { vi: 'Kiểm tra tên miền chưa đạt', en: 'Domain check failed' },
  supplement_requested: { vi: 'Yêu cầu bổ sung', en: 'Supplements requested' },
  approved: { vi: 'Xác nhận', en: 'Approved' },
  rejected: { vi: 'Từ chối', en: 'Rejected' },
};

export const ACTION_LABELS: Record<string, Localized> = {
  suspend: { vi: 'Đình chỉ hoạt động', en: 'Suspension' },
  cancel: { vi: 'Hủy bỏ thông báo, đăng ký', en: 'Cancellation' },
  reinstate: { vi: 'Khôi phục', en: 'Reinstatement' },
  terminate: { vi: 'Chấm dứt theo đề nghị của doanh nghiệp', en: 'Termination at the owner’s request' },
};

export function labelOf(labels: Record<string, Localized>, key: string): Localized {
  return labels[key] ?? { vi: key, en: key };
}
