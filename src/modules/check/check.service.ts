import { todayInVietnam } from '../../core/dates.ts';
import type { Localized } from '../../core/i18n.ts';
import type { AdvisoryLookup } from '../advisories/index.ts';
import type { PlatformSummary } from '../registry/index.ts';
import type { CheckIndex } from './check.index.ts';
import { parseCheckInput } from './input.ts';
import type { LookalikeTechnique } from './lookalike.ts';

export type Verdict =
  | 'registered'
  | 'notified'
  | 'pending'
  | 'expired'
  | 'revoked'
  | 'unregistered'
  | 'blocked'
  | 'lookalike'
  | 'unknown';

export interface CheckAnswer {
  input: string;
  type: 'domain' | 'android_app' | 'ios_app' | 'name';
  normalized: string;
  verdict: Verdict;
  platform: {
    id: string;
    name: string;
    registration_no: string | null;
    status: string;
    kind: string;
    cross_border: boolean;
    valid_until: string | null;
  } | null;
  lookalike_of: { platform: string; platform_id: string; domain: string; technique: LookalikeTechnique } | null;
  advisories: { id: string; title: string; published_at: string }[];
  explanation: Localized;
}

/**
 * Platform status → what a consumer is told. Rejected, suspended and terminated registrations count as revoked (the
 * contract's verdicts); a terminated one is explained in its own words (`verdictText`).
 */
export function verdictForPlatform(platform: Pick<PlatformSummary, 'status' | 'validUntil'>, today: string): Verdict {
  switch (platform.status) {
    case 'registered':
    case 'notified':
      return platform.validUntil && platform.validUntil < today ? 'expired' : platform.status;
    case 'pending':
      return 'pending';
    case 'expired':
      return 'expired';
    case 'revoked':
    case 'suspended':
    case 'rejected':
    case 'terminated':
      return 'revoked';
    case 'unregistered':
      return 'unregistered';
    case 'blocked':
      return 'blocked';
  }
}

let today = { minute: Number.NaN, day: '' };

/**
 * `todayInVietnam`, formatted once a minute rather than on every check (Intl formatting is a few µs, as much as the
 * lookup itself). Exact: Vietnam is UTC+7, so its days begin on a whole minute.
 */
export function todayInVietnamAt(now: Date): string {
  const minute = Math.floor(now.getTime() / 60_000);
  if (minute !== today.minute) today = { minute, day: todayInVietnam(now) };
  return today.day;
}

/**
 * Answers "is this site or app registered?" from the in-memory index; never touches the database. The platform's
 * published advisories come from the advisories' in-memory index (`advisories`), when given.
 */
export function checkRegistration(
  index: CheckIndex,
  rawInput: string,
  now: Date = new Date(),
  advisories?: AdvisoryLookup,
): CheckAnswer {
  const input = parseCheckInput(rawInput);
  let platform: PlatformSummary | undefined;
  let normalized = '';
  let lookalike: CheckAnswer['lookalike_of'] = null;
  switch (input.type) {
    case 'domain':
      normalized = input.host.registrableDomain;
      platform = index.findByHost(input.host);
      if (!platform) {
        const match = index.findLookalike(input.host);
        if (match) {
          lookalike = {
            platform: match.platformName,
            platform_id: match.platformId,
            domain: match.domain,
            technique: match.technique,
          };
        }
      }
      break;
    case 'android_app':
      normalized = input.packageId;
      platform = index.findByAndroidApp(input.packageId);
      break;
    case 'ios_app':
      normalized = input.appId;
      platform = index.findByIosApp(input.appId);
      break;
    case 'name':
      normalized = input.name;
      platform = index.findByName(input.name);
      break;
  }
  const verdict: Verdict = platform
    ? verdictForPlatform(platform, todayInVietnamAt(now))
    : lookalike
      ? 'lookalike'
      : 'unknown';
  return {
    input: rawInput,
    type: input.type,
    normalized,
    verdict,
    platform: platform
      ? {
          id: platform.id,
          name: platform.name,
          registration_no: platform.registrationNo,
          status: platform.status,
          kind: platform.kind,
          cross_border: platform.crossBorder,
          valid_until: platform.validUntil,
        }
      : null,
    lookalike_of: lookalike,
    advisories: platform && advisories ? advisories.forPlatform(platform.id).slice() : [],
    explanation: explain(verdict, { platform, lookalike, normalized }),
  };
}

export interface VerdictText {
  /** One line, the verdict in words. */
  title: Localized;
  /** What the verdict means for the consumer. */
  meaning: Localized;
  /** What to do now. */
  action: Localized;
}

/**
 * What each kind of platform is called in a verdict, as Decree 52/2013 (amended by Decree 85/2021) names it (Art. 25:
 * sales site; trading floor, online auction site, online promotion site; a social network with e-commerce activity)
 * and, for `integrated`, as Law 122/2025/QH15 names the multi-service platform. Only a marketplace is a trading floor.
 */
export const KIND_IN_VERDICT: Record<string, Localized> = {
  sales: { vi: 'website/ứng dụng thương mại điện tử bán hàng', en: 'an e-commerce sales website/app' },
  marketplace: { vi: 'sàn giao dịch thương mại điện tử', en: 'an e-commerce trading floor (marketplace)' },
  auction: { vi: 'website đấu giá trực tuyến', en: 'an online auction website' },
  promotion: { vi: 'website khuyến mại trực tuyến', en: 'an online promotion website' },
  social: {
    vi: 'mạng xã hội có hoạt động thương mại điện tử',
    en: 'a social network with e-commerce activities',
  },
  integrated: { vi: 'nền tảng tích hợp đa dịch vụ', en: 'an integrated multi-service platform' },
};

const NO_KIND: Localized = { vi: 'nền tảng thương mại điện tử', en: 'an e-commerce platform' };

export function kindInVerdict(kind: string | undefined): Localized {
  return (kind ? KIND_IN_VERDICT[kind] : undefined) ?? NO_KIND;
}

export const VERDICT_TEXTS: Record<Verdict, VerdictText> = {
  registered: {
    title: { vi: 'Đã đăng ký với Bộ Công Thương', en: 'Registered with the Ministry of Industry and Trade' },
    meaning: {
      vi: '{name} đã đăng ký với Bộ Công Thương là {kind} (số {number}).',
      en: '{name} is registered with the Ministry of Industry and Trade as {kind} (no. {number}).',
    },
    action: {
      vi: 'Bạn có thể giao dịch, nhưng hãy kiểm tra đúng địa chỉ trang và giữ lại hóa đơn, chứng từ.',
      en: 'You may trade with it; still check that the address is exactly this one and keep your receipts.',
    },
  },
  notified: {
    title: { vi: 'Đã thông báo với Bộ Công Thương', en: 'Notified to the Ministry of Industry and Trade' },
    meaning: {
      vi: '{name} đã thông báo với Bộ Công Thương là {kind} (số {number}).',
      en: '{name} is notified to the Ministry of Industry and Trade as {kind} (no. {number}).',
    },
    action: {
      vi: 'Bạn có thể mua hàng, nhưng hãy kiểm tra đúng địa chỉ trang và giữ lại hóa đơn, chứng từ.',
      en: 'You may buy from it; still check that the address is exactly this one and keep your receipts.',
    },
  },
  pending: {
    title: { vi: 'Đang chờ xét duyệt', en: 'Application under review' },
    meaning: {
      vi: '{name} đã nộp hồ sơ nhưng chưa được Bộ Công Thương xác nhận.',
      en: '{name} has applied, but the Ministry of Industry and Trade has not yet confirmed it.',
    },
    action: {
      vi: 'Hãy thận trọng: chưa nên thanh toán trước cho đến khi hồ sơ được xác nhận.',
      en: 'Be careful: avoid paying in advance until the registration is confirmed.',
    },
  },
  expired: {
    title: { vi: 'Đăng ký đã hết hạn', en: 'Registration expired' },
    meaning: {
      vi: 'Đăng ký/thông báo của {name} đã hết hiệu lực.',
      en: 'The registration or notification of {name} is no longer valid.',
    },
    action: {
      vi: 'Không nên thanh toán trước. Nếu bị lừa đảo, hãy phản ánh với Bộ Công Thương.',
      en: 'Do not pay in advance. If you have been cheated, report it to the Ministry.',
    },
  },
  revoked: {
    title: {
      vi: 'Đã bị hủy bỏ đăng ký hoặc đình chỉ hoạt động',
      en: 'Registration cancelled or suspended',
    },
    meaning: {
      vi: 'Thông báo, đăng ký của {name} đã bị hủy bỏ, bị đình chỉ hoạt động hoặc bị từ chối.',
      en: 'The notification or registration of {name} has been cancelled, suspended or refused.',
    },
    action: {
      vi: 'Không giao dịch, không thanh toán. Hãy phản ánh nếu trang vẫn đang bán hàng.',
      en: 'Do not trade or pay. Report it if the site is still selling.',
    },
  },
  unregistered: {
    title: {
      vi: 'Chưa thông báo, đăng ký với Bộ Công Thương',
      en: 'Not notified or registered with the Ministry of Industry and Trade',
    },
    meaning: {
      vi: '{name} chưa thông báo, đăng ký hoạt động thương mại điện tử tại Việt Nam theo quy định. Quyền lợi của người tiêu dùng có thể không được bảo vệ.',
      en: '{name} has not registered to do e-commerce in Vietnam as the law requires. Your rights as a consumer may not be protected.',
    },
    action: {
      vi: 'Bộ Công Thương khuyến cáo không giao dịch. Không thanh toán, không cung cấp thông tin cá nhân; hãy phản ánh nếu bạn gặp vấn đề.',
      en: 'The Ministry advises against trading with it. Do not pay or give personal data; report any problem.',
    },
  },
  blocked: {
    title: { vi: 'Đã bị yêu cầu chặn', en: 'Blocked' },
    meaning: {
      vi: '{name} đã bị cơ quan chức năng yêu cầu chặn vì vi phạm pháp luật.',
      en: '{name} has been ordered blocked by the authorities for breaking the law.',
    },
    action: {
      vi: 'Không truy cập, không giao dịch, không thanh toán.',
      en: 'Do not visit, trade with or pay it.',
    },
  },
  lookalike: {
    title: { vi: 'Nghi giả mạo', en: 'Suspected look-alike' },
    meaning: {
      vi: '{domain} không có trong danh sách đăng ký nhưng có địa chỉ giống {imitated} ({imitatedDomain}) — dấu hiệu giả mạo ({technique}).',
      en: '{domain} is not in the register but its address imitates {imitated} ({imitatedDomain}) — a sign of impersonation ({technique}).',
    },
    action: {
      vi: 'Đừng thanh toán, đừng nhập mật khẩu hay thông tin thẻ. Hãy vào đúng địa chỉ {imitatedDomain} và phản ánh trang giả mạo này.',
      en: 'Do not pay or enter passwords or card details. Go to {imitatedDomain} directly and report this site.',
    },
  },
  unknown: {
    title: { vi: 'Không có trong danh sách', en: 'Not in the register' },
    meaning: {
      vi: '{domain} không có trong danh sách website, ứng dụng đã thông báo hoặc đăng ký với Bộ Công Thương.',
      en: '{domain} is not among the websites and apps notified or registered with the Ministry of Industry and Trade.',
    },
    action: {
      vi: 'Hãy thận trọng: tránh thanh toán trước, kiểm tra thông tin người bán, và phản ánh nếu bạn nghi ngờ.',
      en: 'Be careful: avoid paying in advance, check who the seller is, and report it if in doubt.',
    },
  },
};

/** The `revoked` verdict of a platform whose owner ended it (status `terminated`): nothing was found against it. */
const TERMINATED_TEXT: VerdictText = {
  title: { vi: 'Đã chấm dứt hoạt động', en: 'Terminated at the owner’s request' },
  meaning: {
    vi: 'Thông báo, đăng ký của {name} đã chấm dứt theo đề nghị của chủ sở hữu; trang không còn được xác nhận với Bộ Công Thương.',
    en: 'The notification or registration of {name} was terminated at its owner’s request; the site is no longer confirmed by the Ministry of Industry and Trade.',
  },
  action: {
    vi: 'Không nên giao dịch, thanh toán trên trang này. Hãy phản ánh nếu trang vẫn đang bán hàng.',
    en: 'Do not trade or pay on this site. Report it if the site is still selling.',
  },
};

/** What a verdict says in words: its own text, or the terminated platform's under the `revoked` verdict. */
export function verdictText(answer: Pick<CheckAnswer, 'verdict' | 'platform'>): VerdictText {
  return answer.verdict === 'revoked' && answer.platform?.status === 'terminated'
    ? TERMINATED_TEXT
    : VERDICT_TEXTS[answer.verdict];
}

const TECHNIQUE_NAMES: Record<LookalikeTechnique, Localized> = {
  addition: { vi: 'thêm ký tự', en: 'addition' },
  bitsquatting: { vi: 'sai lệch bit', en: 'bitsquatting' },
  homoglyph: { vi: 'ký tự trông giống nhau', en: 'homoglyph' },
  hyphenation: { vi: 'chèn dấu gạch ngang', en: 'hyphenation' },
  insertion: { vi: 'chèn ký tự', en: 'insertion' },
  omission: { vi: 'bỏ bớt ký tự', en: 'omission' },
  repetition: { vi: 'lặp ký tự', en: 'repetition' },
  replacement: { vi: 'thay ký tự', en: 'replacement' },
  transposition: { vi: 'đảo vị trí ký tự', en: 'transposition' },
  'vowel-swap': { vi: 'đổi nguyên âm', en: 'vowel swap' },
  'tld-swap': { vi: 'đổi đuôi tên miền', en: 'TLD swap' },
  subdomain: { vi: 'tên thương hiệu đặt trong tên miền khác', en: 'brand as a subdomain of another domain' },
  dictionary: { vi: 'ghép tên thương hiệu với từ khác', en: 'brand combined with other words' },
};

export function techniqueName(technique: LookalikeTechnique): Localized {
  return TECHNIQUE_NAMES[technique] ?? { vi: technique, en: technique };
}

/** The values an explanation names; `technique` only a look-alike's. */
interface ExplanationValues {
  name: string;
  number: string;
  domain: string;
  imitated: string;
  imitatedDomain: string;
  technique: Localized;
  kind: Localized;
}

/** Literal text, or the placeholder of a value. */
type ExplanationPart = string | { key: keyof ExplanationValues };
type CompiledTemplate = readonly ExplanationPart[];

const EXPLANATION_VALUE_NAMES: ReadonlySet<string> = new Set([
  'name',
  'number',
  'domain',
  'imitated',
  'imitatedDomain',
  'technique',
  'kind',
]);

/** Splits a `{name}` template once, at start, so an answer is a few concatenations rather than a regex replace. */
function compileTemplate(template: string): CompiledTemplate {
  const parts: ExplanationPart[] = [];
  let last = 0;
  for (const match of template.matchAll(/\{(\w+)\}/g)) {
    const key = match[1] ?? '';
    if (!EXPLANATION_VALUE_NAMES.has(key)) continue;
    parts.push(template.slice(last, match.index), { key: key as keyof ExplanationValues });
    last = match.index + match[0].length;
  }
  parts.push(template.slice(last));
  return parts;
}

/** Meaning, a space, action: the explanation of each verdict, per language, compiled once. */
const EXPLANATION_TEMPLATES = Object.fromEntries(
  Object.entries({ ...VERDICT_TEXTS, terminated: TERMINATED_TEXT }).map(([verdict, text]) => [
    verdict,
    {
      vi: compileTemplate(`${text.meaning.vi} ${text.action.vi}`),
      en: compileTemplate(`${text.meaning.en} ${text.action.en}`),
    },
  ]),
) as Record<Verdict | 'terminated', Record<'vi' | 'en', CompiledTemplate>>;

function render(template: CompiledTemplate, values: ExplanationValues, locale: 'vi' | 'en'): string {
  let text = '';
  for (const part of template) {
    if (typeof part === 'string') text += part;
    else if (part.key === 'technique' || part.key === 'kind') text += values[part.key][locale];
    else text += values[part.key];
  }
  return text;
}

/** What a platform's answer names of it: all the offline list (hash-prefix.ts) carries too. */
export type ExplainedPlatform = Pick<PlatformSummary, 'name' | 'registrationNo' | 'kind' | 'status'>;

export function explain(
  verdict: Verdict,
  facts: { platform: ExplainedPlatform | undefined; lookalike: CheckAnswer['lookalike_of']; normalized: string },
): Localized {
  const values: ExplanationValues = {
    name: facts.platform?.name ?? facts.normalized,
    number: facts.platform?.registrationNo ?? '—',
    domain: facts.normalized,
    imitated: facts.lookalike?.platform ?? '',
    imitatedDomain: facts.lookalike?.domain ?? '',
    technique: facts.lookalike ? TECHNIQUE_NAMES[facts.lookalike.technique] : NO_TECHNIQUE,
    kind: kindInVerdict(facts.platform?.kind),
  };
  const template =
    EXPLANATION_TEMPLATES[verdict === 'revoked' && facts.platform?.status === 'terminated' ? 'terminated' : verdict];
  return { vi: render(template.vi, values, 'vi'), en: render(template.en, values, 'en') };
}

const NO_TECHNIQUE: Localized = { vi: '', en: '' };
