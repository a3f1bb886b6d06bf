import type { Localized } from '../../core/i18n.ts';
import type { PlatformKind, PlatformStatus } from './registry.csv.ts';

const STATUS_LABELS: Record<PlatformStatus, Localized> = {
  notified: { vi: 'Đã thông báo', en: 'Notified' },
  registered: { vi: 'Đã đăng ký', en: 'Registered' },
  pending: { vi: 'Đang chờ xét duyệt', en: 'Pending review' },
  rejected: { vi: 'Bị từ chối', en: 'Rejected' },
  expired: { vi: 'Hết hiệu lực', en: 'Expired' },
  revoked: { vi: 'Đã bị hủy bỏ đăng ký', en: 'Registration cancelled' },
  suspended: { vi: 'Bị đình chỉ hoạt động', en: 'Suspended' },
  unregistered: { vi: 'Chưa thông báo, đăng ký', en: 'Not notified or registered' },
  blocked: { vi: 'Bị chặn', en: 'Blocked' },
  terminated: { vi: 'Đã chấm dứt hoạt động', en: 'Terminated at the owner’s request' },
};

const KIND_LABELS: Record<PlatformKind, Localized> = {
  sales: { vi: 'Website/ứng dụng bán hàng', en: 'Sales website/app' },
  marketplace: { vi: 'Sàn giao dịch thương mại điện tử', en: 'E-commerce marketplace' },
  auction: { vi: 'Website đấu giá trực tuyến', en: 'Online auction site' },
  promotion: { vi: 'Website khuyến mại trực tuyến', en: 'Online promotion site' },
  social: { vi: 'Mạng xã hội có thương mại điện tử', en: 'Social network with e-commerce' },
  integrated: { vi: 'Nền tảng tích hợp đa dịch vụ', en: 'Integrated multi-service platform' },
};

/** Current statuses a consumer can rely on; the rest are shown as a warning. */
const STATUS_TONES: Record<PlatformStatus, 'ok' | 'warn' | 'bad'> = {
  notified: 'ok',
  registered: 'ok',
  pending: 'warn',
  expired: 'warn',
  rejected: 'bad',
  revoked: 'bad',
  suspended: 'bad',
  unregistered: 'bad',
  blocked: 'bad',
  terminated: 'bad',
};

export function statusLabel(status: string): Localized {
  return STATUS_LABELS[status as PlatformStatus] ?? { vi: status, en: status };
}

export function statusTone(status: string): 'ok' | 'warn' | 'bad' {
  return STATUS_TONES[status as PlatformStatus] ?? 'warn';
}

export function kindLabel(kind: string): Localized {
  return KIND_LABELS[kind as PlatformKind] ?? { vi: kind, en: kind };
}
