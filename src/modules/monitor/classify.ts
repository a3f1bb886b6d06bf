/**
 * The decision of DESIGN.md "Monitor answer" for one fetched page, with the reasons for it: the page's signals
 * (signals.ts), its badge checked against the register (badge.ts) and the register's verdict for its domain (the
 * check's, from the in-memory index).
 *
 * Order of the rules, the first that holds decides:
 *   1. fake_badge — a badge or link to a record that the register does not back for this domain (an image without a
 *      record link, an unknown record, another site's record, a record that is not current), or a selling page that
 *      claims registration in words ("Đã thông báo Bộ Công Thương") while the register does not hold it as current;
 *   2. compliant — the register says registered or notified for the domain (and any badge is genuine, by rule 1);
 *   3. not_ecommerce — the page does not sell (THRESHOLDS.ecommerceScore with a cart or product data);
 *   4. not_targeting_vietnam — nothing strong (lang vi, hreflang vi, .vn domain, Vietnamese text) and fewer than
 *      THRESHOLDS.supportingKinds kinds of supporting signal (VND, phone, place, Vietnamese carrier or payment);
 *   5. unregistered_ecommerce — sells to consumers in Vietnam without being notified or registered.
 * `unreachable` is the scanner's, for a page it could not fetch.
 */
import type { Db } from '../../core/db.ts';
import type { Localized } from '../../core/i18n.ts';
import { type CheckIndex, checkRegistration } from '../check/index.ts';
import { type BadgeVerdict, verifyBadges } from './badge.ts';
import type { Classification, MonitorAssessment, RegistryPart } from './monitor.schemas.ts';
import { type ExtractOptions, extractSignals, type PageSignals, THRESHOLDS } from './signals.ts';

export interface Reason extends Localized {
  code: string;
}

export interface ClassificationResult {
  classification: Exclude<Classification, 'unreachable'>;
  reasons: Reason[];
}

/** Register verdicts that make a selling site compliant. */
const COMPLIANT_VERDICTS: ReadonlySet<string> = new Set(['registered', 'notified']);

/** The classification of a page from its signals, its badge verdict and the register's verdict for its domain. */
export function classifyPage(input: {
  signals: PageSignals;
  badge: BadgeVerdict;
  registry: RegistryPart;
}): ClassificationResult {
  const { signals, badge, registry } = input;
  const reasons: Reason[] = [];
  const ecommerce = signals.ecommerce;
  const vietnam = signals.targetsVietnam;

  if (badge.present && badge.genuine === false) {
    reasons.push({
      code: `badge_${badge.problem ?? 'unverified'}`,
      vi: `Biểu tượng/liên kết "Đã thông báo/đăng ký Bộ Công Thương" không được danh sách xác nhận cho tên miền này: ${BADGE_PROBLEM_VI[badge.problem ?? 'no_link']}.`,
      en: `The registration badge or link is not backed by the register for this domain: ${badge.reason}.`,
    });
    reasons.push(registryReason(registry));
    return { classification: 'fake_badge', reasons };
  }
  const claim = signals.badge.claim;
  if (!badge.present && claim !== null && ecommerce.value && !COMPLIANT_VERDICTS.has(registry.verdict)) {
    reasons.push({
      code: 'claim_unbacked',
      vi: `Trang bán hàng ghi "${claim}" nhưng danh sách đăng ký không có tên miền này ở trạng thái đã thông báo/đã đăng ký.`,
      en: `The selling page says "${claim}" but the register does not hold this domain as notified or registered.`,
    });
    reasons.push(registryReason(registry));
    return { classification: 'fake_badge', reasons };
  }
  if (COMPLIANT_VERDICTS.has(registry.verdict)) {
    reasons.push(registryReason(registry));
    if (badge.present) {
      reasons.push({
        code: 'badge_genuine',
        vi: 'Biểu tượng đã thông báo/đăng ký dẫn tới hồ sơ của chính tên miền này, còn hiệu lực.',
        en: 'The badge links to a current record covering this domain.',
      });
    }
    return { classification: 'compliant', reasons };
  }
  if (!ecommerce.value) {
    reasons.push({
      code: 'not_ecommerce',
      vi: `Không đủ dấu hiệu bán hàng: điểm ${ecommerce.score} (cần ≥ ${THRESHOLDS.ecommerceScore}, trong đó có nút giỏ hàng/mua hoặc dữ liệu sản phẩm schema.org)${listed(ecommerce.evidence)}.`,
      en: `Not enough signs of selling: score ${ecommerce.score} (needs ≥ ${THRESHOLDS.ecommerceScore}, including a cart/buy button or schema.org product data)${listed(ecommerce.evidence)}.`,
    });
    return { classification: 'not_ecommerce', reasons };
  }
  reasons.push({
    code: 'ecommerce',
    vi: `Trang bán hàng: ${ecommerce.evidence.join('; ')}.`,
    en: `The page sells: ${ecommerce.evidence.join('; ')}.`,
  });
  if (!vietnam.value) {
    reasons.push({
      code: 'not_targeting_vietnam',
      vi: `Không hướng tới người tiêu dùng Việt Nam: không có tiếng Việt, lang/hreflang vi hay tên miền .vn, và chỉ ${vietnam.supporting.length} loại dấu hiệu phụ (cần ≥ ${THRESHOLDS.supportingKinds})${listed(vietnam.evidence)}.`,
      en: `Not aimed at consumers in Vietnam: no Vietnamese text, lang/hreflang vi or .vn domain, and only ${vietnam.supporting.length} kind(s) of supporting signal (needs ≥ ${THRESHOLDS.supportingKinds})${listed(vietnam.evidence)}.`,
    });
    return { classification: 'not_targeting_vietnam', reasons };
  }
  reasons.push({
    code: 'targets_vietnam',
    vi: `Hướng tới Việt Nam: ${vietnam.evidence.join('; ')}.`,
    en: `Aimed at Vietnam: ${vietnam.evidence.join('; ')}.`,
  });
  reasons.push(registryReason(registry));
  return { classification: 'unregistered_ecommerce', reasons };
}

const BADGE_PROBLEM_VI: Record<NonNullable<BadgeVerdict['problem']>, string> = {
  no_link: 'hình ảnh không kèm liên kết tới hồ sơ trong danh sách',
  no_record: 'liên kết tới hồ sơ không có trong danh sách',
  other_domain: 'hồ sơ được liên kết thuộc tên miền khác',
  not_current: 'hồ sơ được liên kết không còn hiệu lực (bị hủy, đình chỉ, từ chối hoặc chưa duyệt)',
  expired: 'hồ sơ được liên kết đã hết hạn',
};

function registryReason(registry: RegistryPart): Reason {
  const platform = registry.platform;
  const named = platform ? ` (${platform.name}${platform.registration_no ? `, ${platform.registration_no}` : ''})` : '';
  return {
    code: `registry_${registry.verdict}`,
    vi: `Danh sách đăng ký cho tên miền này: ${registry.verdict}${named}.`,
    en: `The register's verdict for this domain: ${registry.verdict}${named}.`,
  };
}

function listed(evidence: readonly string[]): string {
  return evidence.length > 0 ? ` — ${evidence.join('; ')}` : '';
}

/** The register's verdict for the page's URL, as the public check gives it (subdomains inherit; no fetch). */
export function registryVerdict(index: CheckIndex, url: string, now: Date = new Date()): RegistryPart {
  try {
    const answer = checkRegistration(index, url, now);
    return { verdict: answer.verdict, platform: answer.platform };
  } catch {
    // A URL the check refuses as input (an IP literal, an odd host): the register knows nothing of it.
    return { verdict: 'unknown', platform: null };
  }
}

/**
 * Everything the Monitor answer says of a fetched page but the fetch and its evidence: signals, the register's
 * verdict, the classification and its reasons.
 */
export async function assessPage(
  db: Db,
  index: CheckIndex,
  page: { html: string; url: string },
  options: ExtractOptions & { now?: Date } = {},
): Promise<MonitorAssessment> {
  const now = options.now ?? new Date();
  const signals = extractSignals(page.html, page.url, options);
  const badge = await verifyBadges(db, signals.badge, signals.host, now);
  const registry = registryVerdict(index, page.url, now);
  const { classification, reasons } = classifyPage({ signals, badge, registry });
  return {
    signals: {
      ecommerce: { value: signals.ecommerce.value, evidence: signals.ecommerce.evidence },
      targets_vietnam: { value: signals.targetsVietnam.value, evidence: signals.targetsVietnam.evidence },
      badge: {
        present: badge.present,
        link: badge.link,
        genuine: badge.genuine,
        reason:
          badge.reason ??
          (classification === 'fake_badge' && signals.badge.claim !== null
            ? `registration claimed in the text ("${signals.badge.claim}"), not backed by the register for this domain`
            : null),
      },
    },
    registry,
    classification,
    reasons,
  };
}
