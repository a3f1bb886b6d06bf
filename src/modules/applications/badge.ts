/**
 * The badge a notified or registered site shows (DESIGN.md "Badge"): an SVG image with the record's live
 * status, and the verdict "is this badge genuine on this domain?". A badge is genuine only when its record
 * covers the domain showing it (the domain or a parent domain of it is one of the record's identities) and the
 * record's status is current; the image alone proves nothing, since anyone can copy it.
 */
import { todayInVietnam } from '../../core/dates.ts';
import { tryNormalizeHost } from '../../core/hosts.ts';
import type { Localized } from '../../core/i18n.ts';
import type { Platform } from '../registry/index.ts';

export const BADGE_REASONS = [
  'valid',
  'unknown_number',
  'domain_not_covered',
  'revoked',
  'suspended',
  'expired',
  'not_current',
] as const;
export type BadgeReason = (typeof BADGE_REASONS)[number];

export interface BadgeVerdict {
  valid: boolean;
  reason: BadgeReason;
  message: Localized;
  registration_no: string | null;
  status: string | null;
  platform_name: string | null;
  valid_until: string | null;
  domain: string;
}

const MESSAGES: Record<BadgeReason, Localized> = {
  valid: {
    vi: 'Biểu tượng hợp lệ: hồ sơ còn hiệu lực và bao gồm tên miền này.',
    en: 'Genuine badge: the record is current and covers this domain.',
  },
  unknown_number: {
    vi: 'Không có hồ sơ nào mang số này trong danh sách của Bộ Công Thương.',
    en: 'No record with this number is in the Ministry’s register.',
  },
  domain_not_covered: {
    vi: 'Hồ sơ này không bao gồm tên miền đang hiển thị biểu tượng: biểu tượng bị sao chép.',
    en: 'The record does not cover the domain showing the badge: the badge is copied.',
  },
  revoked: { vi: 'Thông báo, đăng ký đã bị hủy bỏ.', en: 'The notification or registration has been cancelled.' },
  suspended: { vi: 'Hồ sơ đang bị đình chỉ hoạt động.', en: 'The registration is suspended.' },
  expired: { vi: 'Hồ sơ đã hết hiệu lực.', en: 'The registration has expired.' },
  not_current: {
    vi: 'Hồ sơ chưa được xác nhận thông báo hoặc đăng ký.',
    en: 'The record is not a confirmed notification or registration.',
  },
};

/** The `revoked` reason of a record its owner ended (status `terminated`). */
const TERMINATED_MESSAGE: Localized = {
  vi: 'Thông báo, đăng ký đã chấm dứt hoạt động theo đề nghị của chủ sở hữu.',
  en: 'The notification or registration was terminated at its owner’s request.',
};

/**
 * The host of the page a request came from (its Referer), normalised; undefined when there is none, it is
 * not a URL, or it is one of `ownHosts` (the portal itself).
 */
export function refererHost(
  referer: string | undefined,
  ownHosts: readonly (string | undefined)[],
): string | undefined {
  if (!referer) return undefined;
  try {
    const url = new URL(referer);
    if (ownHosts.includes(url.host)) return undefined;
    return tryNormalizeHost(url.hostname)?.host;
  } catch {
    return undefined;
  }
}

/** Whether `host` (normalised) is one of `domains` or a subdomain of one. */
export function isHostCovered(host: string, domains: readonly string[]): boolean {
  return domains.some((domain) => host === domain || host.endsWith(`.${domain}`));
}

/** The state of a record as a badge shows it, ignoring the domain. */
export function recordBadgeState(platform: Platform, now: Date = new Date()): BadgeReason {
  switch (platform.status) {
    case 'revoked':
    case 'terminated':
      return 'revoked';
    case 'suspended':
    case 'blocked':
      return 'suspended';
    case 'expired':
      return 'expired';
    case 'notified':
    case 'registered':
      return platform.valid_until !== null && platform.valid_until < todayInVietnam(now) ? 'expired' : 'valid';
    default:
      return 'not_current';
  }
}

/** The verdict on a badge for `platform` (undefined: the number is unknown) shown on `host`. */
export function judgeBadge(platform: Platform | undefined, host: string, now: Date = new Date()): BadgeVerdict {
  const verdict = (reason: BadgeReason): BadgeVerdict => ({
    valid: reason === 'valid',
    reason,
    message: reason === 'revoked' && platform?.status === 'terminated' ? TERMINATED_MESSAGE : MESSAGES[reason],
    registration_no: platform?.registration_no ?? null,
    status: platform?.status ?? null,
    platform_name: platform?.name ?? null,
    valid_until: platform?.valid_until ?? null,
    domain: host,
  });
  if (!platform) return verdict('unknown_number');
  if (!isHostCovered(host, platform.domains)) return verdict('domain_not_covered');
  return verdict(recordBadgeState(platform, now));
}

// ---------------------------------------------------------------------------------------------------
// The image

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => XML_ESCAPES[char] ?? char);
}

const COLOURS = { ok: '#00703c', warn: '#8a4b00', bad: '#b3160b', unknown: '#505a5f' } as const;

interface BadgeFace {
  tone: keyof typeof COLOURS;
  title: Localized;
}

function faceOf(platform: Platform | undefined, state: BadgeReason | 'foreign_site', now: Date): BadgeFace {
  if (!platform) return { tone: 'unknown', title: { vi: 'KHÔNG CÓ TRONG DANH SÁCH', en: 'Not in the register' } };
  if (state === 'foreign_site') {
    return { tone: 'bad', title: { vi: 'KHÔNG HỢP LỆ TRÊN TRANG NÀY', en: 'Not valid on this site' } };
  }
  switch (recordBadgeState(platform, now)) {
    case 'valid':
      return platform.status === 'registered'
        ? { tone: 'ok', title: { vi: 'ĐÃ ĐĂNG KÝ BỘ CÔNG THƯƠNG', en: 'Registered · Ministry of Industry and Trade' } }
        : { tone: 'ok', title: { vi: 'ĐÃ THÔNG BÁO BỘ CÔNG THƯƠNG', en: 'Notified · Ministry of Industry and Trade' } };
    case 'revoked':
      return platform.status === 'terminated'
        ? { tone: 'bad', title: { vi: 'ĐÃ CHẤM DỨT HOẠT ĐỘNG', en: 'Registration terminated' } }
        : { tone: 'bad', title: { vi: 'ĐÃ BỊ HỦY BỎ ĐĂNG KÝ', en: 'Registration cancelled' } };
    case 'suspended':
      return { tone: 'bad', title: { vi: 'ĐANG BỊ ĐÌNH CHỈ HOẠT ĐỘNG', en: 'Registration suspended' } };
    case 'expired':
      return { tone: 'warn', title: { vi: 'ĐÃ HẾT HIỆU LỰC', en: 'Registration expired' } };
    default:
      return { tone: 'warn', title: { vi: 'CHƯA ĐƯỢC XÁC NHẬN', en: 'Not confirmed' } };
  }
}

export interface BadgeImageOptions {
  /** The record's number as asked for (shown when the record is unknown). */
  registrationNo: string;
  /** The host of the page showing the badge (from Referer), when known and not the portal itself. */
  shownOnHost?: string | undefined;
  /** Host of the portal, printed small in the corner (where to check). */
  portalHost: string;
  now?: Date;
}

/** The badge as SVG: colour and words by status, Vietnamese over English, then the number. Every text escaped. */
export function renderBadgeSvg(platform: Platform | undefined, options: BadgeImageOptions): string {
  const now = options.now ?? new Date();
  const foreign =
    platform && options.shownOnHost !== undefined && !isHostCovered(options.shownOnHost, platform.domains);
  const face = faceOf(platform, foreign ? 'foreign_site' : 'valid', now);
  const colour = COLOURS[face.tone];
  const number = platform?.registration_no ?? options.registrationNo;
  const label = `${face.title.vi} – ${face.title.en} – ${number}`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="300" height="76" viewBox="0 0 300 76" role="img" aria-label="${escapeXml(label)}">
<title>${escapeXml(label)}</title>
<rect x="1" y="1" width="298" height="74" rx="6" fill="#ffffff" stroke="${colour}" stroke-width="2"/>
<rect x="1" y="1" width="10" height="74" rx="3" fill="${colour}"/>
<g font-family="Arial, Helvetica, sans-serif" fill="${colour}">
<text x="20" y="24" font-size="13" font-weight="700">${escapeXml(face.title.vi)}</text>
<text x="20" y="43" font-size="11">${escapeXml(face.title.en)}</text>
<text x="20" y="64" font-size="12" font-weight="700" fill="#1b1b1b">${escapeXml(number)}</text>
<text x="290" y="64" font-size="10" text-anchor="end" fill="#505a5f">${escapeXml(options.portalHost)}</text>
</g>
</svg>`;
}

/** The HTML a business pastes into its pages (DESIGN.md "Badge"). */
export function badgeSnippet(portalUrl: string, registrationNo: string, status: string): string {
  const base = portalUrl.replace(/\/+$/, '');
  const number = encodeURIComponent(registrationNo);
  const alt = status === 'registered' ? 'Đã đăng ký Bộ Công Thương' : 'Đã thông báo Bộ Công Thương';
  return `<a href="${base}/r/${number}"><img src="${base}/badge/${number}.svg" alt="${alt}"></a>`;
}
