/**
 * What a business files, as the form (or API) sends it, checked field by field: every problem is listed at
 * once, named by its field, so the form can show them all beside their inputs.
 */

import { tryNormalizeHost } from '../../core/hosts.ts';
import type { Localized } from '../../core/i18n.ts';
import { validateTaxCode } from '../../core/tax-code.ts';
import { toNfc } from '../../core/text.ts';
import {
  type LawPlatformType,
  lawTypeForKind,
  normalizeAndroidAppId,
  normalizeIosAppId,
  PLATFORM_KINDS,
  type PlatformKind,
} from '../registry/index.ts';
import { LocalizedError } from './localized-error.ts';

export type ApplicationType = 'notification' | 'registration' | 'renewal';
export type RepresentativeKind = 'legal_entity' | 'authorised_representative';

export interface ApplicationInput {
  kind: PlatformKind;
  lawType: LawPlatformType;
  siteName: string;
  orgName: string;
  /** Canonical (0101243150 or 0101243150-001); null only for an organisation abroad. */
  taxCode: string | null;
  /** ISO 3166 alpha-2 country of the organisation; anything but VN makes the platform cross-border. */
  country: string;
  headOfficeAddress: string;
  responsiblePerson: string;
  /** Digits, `0…` for Vietnamese numbers, `+…` for others. */
  responsiblePhone: string;
  contactEmail: string;
  /** Primary domain first; ASCII hosts without `www.`, no duplicates. */
  domains: string[];
  androidApps: string[];
  iosApps: string[];
  goodsCategories: string[];
  crossBorder: boolean;
  /** Required for a platform abroad (Law 122/2025/QH15): its legal entity or authorised representative in Vietnam. */
  vnRepresentative: {
    kind: RepresentativeKind;
    name: string;
    taxCode: string | null;
    address: string;
  } | null;
}

/** The form's field names (also the API's). */
export interface ApplicationForm {
  kind?: string | undefined;
  site_name?: string | undefined;
  org_name?: string | undefined;
  tax_code?: string | undefined;
  country?: string | undefined;
  head_office_address?: string | undefined;
  responsible_person?: string | undefined;
  responsible_phone?: string | undefined;
  contact_email?: string | undefined;
  primary_domain?: string | undefined;
  other_domains?: string | undefined;
  android_apps?: string | undefined;
  ios_apps?: string | undefined;
  goods_categories?: string | undefined;
  vn_representative_kind?: string | undefined;
  vn_representative_name?: string | undefined;
  vn_representative_tax_code?: string | undefined;
  vn_representative_address?: string | undefined;
}

export const APPLICATION_FORM_FIELDS = [
  'kind',
  'site_name',
  'org_name',
  'tax_code',
  'country',
  'head_office_address',
  'responsible_person',
  'responsible_phone',
  'contact_email',
  'primary_domain',
  'other_domains',
  'android_apps',
  'ios_apps',
  'goods_categories',
  'vn_representative_kind',
  'vn_representative_name',
  'vn_representative_tax_code',
  'vn_representative_address',
] as const satisfies ReadonlyArray<keyof ApplicationForm>;

export function applicationTypeForKind(kind: PlatformKind): 'notification' | 'registration' {
  return kind === 'sales' ? 'notification' : 'registration';
}

const MAX_TEXT = 300;
const MAX_DOMAINS = 20;
const MAX_APPS = 20;
const MAX_CATEGORIES = 50;
// Names go to the register and its CSV export, whose importer refuses cells a spreadsheet would run as formulas.
const FORMULA_START = /^[=+\-@]/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const KINDS: ReadonlySet<string> = new Set(PLATFORM_KINDS);

function cleanText(value: string | undefined): string {
  return toNfc(value ?? '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Splits a list typed one per line or separated by commas, semicolons or spaces. */
function splitList(value: string | undefined, separators: RegExp): string[] {
  return (value ?? '')
    .split(separators)
    .map((item) => item.trim())
    .filter(Boolean);
}

/** Vietnamese numbers to 0XXXXXXXXX (+84 and 84 prefixes folded), others as +digits. */
export function normalizePhone(raw: string): string | undefined {
  const compact = raw.replace(/[\s.\-()]/g, '');
  let digits = compact;
  if (/^\+84\d+$/.test(compact)) digits = `0${compact.slice(3)}`;
  else if (/^84\d{9,10}$/.test(compact)) digits = `0${compact.slice(2)}`;
  if (/^0\d{9,10}$/.test(digits)) return digits;
  if (/^\+[1-9]\d{7,14}$/.test(compact)) return compact;
  return undefined;
}

/** One problem with one field of the form, in both languages. */
export interface FormIssue {
  field: string;
  message: Localized;
}

/** invalid_input listing every problem (English in `issues` for the API; both languages in `formIssues`). */
function formIssuesError(issues: FormIssue[]): LocalizedError {
  return new LocalizedError(
    'invalid_input',
    {
      vi: `Hồ sơ có ${issues.length} lỗi cần sửa`,
      en: `the application has ${issues.length} problem(s): ${issues.map((issue) => `${issue.field}: ${issue.message.en}`).join('; ')}`,
    },
    { field: issues[0]?.field, formIssues: issues },
  );
}

/**
 * Checks a filed form; returns the application or throws LocalizedError invalid_input listing every problem
 * (each with its field).
 */
export function parseApplicationForm(form: ApplicationForm): ApplicationInput {
  const issues: FormIssue[] = [];
  const problem = (field: string, vi: string, en: string) => issues.push({ field, message: { vi, en } });

  const requiredText = (field: keyof ApplicationForm, label: Localized, options: { name?: boolean } = {}): string => {
    const text = cleanText(form[field]);
    if (text === '') problem(field, `Chưa nhập ${label.vi}`, `${label.en} is required`);
    else if (text.length > MAX_TEXT) {
      problem(field, `${label.vi} dài quá ${MAX_TEXT} ký tự`, `${label.en} is longer than ${MAX_TEXT} characters`);
    } else if (options.name && FORMULA_START.test(text)) {
      problem(
        field,
        `${label.vi} không được bắt đầu bằng =, +, - hoặc @`,
        `${label.en} must not start with =, +, - or @`,
      );
    }
    return text;
  };

  const kindText = cleanText(form.kind);
  const kind = (KINDS.has(kindText) ? kindText : 'sales') as PlatformKind;
  if (!KINDS.has(kindText)) {
    problem(
      'kind',
      'Chọn loại hình nền tảng',
      `platform type "${kindText}" must be one of ${PLATFORM_KINDS.join(', ')}`,
    );
  }

  const siteName = requiredText(
    'site_name',
    { vi: 'tên website/ứng dụng', en: 'the site or app name' },
    { name: true },
  );
  const orgName = requiredText(
    'org_name',
    { vi: 'tên tổ chức, doanh nghiệp', en: 'the organisation name' },
    { name: true },
  );

  const countryText = cleanText(form.country).toUpperCase() || 'VN';
  const country = /^[A-Z]{2}$/.test(countryText) ? countryText : 'VN';
  if (!/^[A-Z]{2}$/.test(countryText)) {
    problem(
      'country',
      `Quốc gia "${countryText}" phải là mã ISO hai chữ cái (VN, SG, CN…)`,
      `country "${countryText}" must be a two-letter ISO code (VN, SG, CN…)`,
    );
  }
  const crossBorder = country !== 'VN';

  const taxCodeText = cleanText(form.tax_code);
  let taxCode: string | null = null;
  if (taxCodeText === '') {
    if (!crossBorder) {
      problem(
        'tax_code',
        'Chưa nhập mã số doanh nghiệp (bắt buộc với tổ chức tại Việt Nam)',
        'the enterprise tax code is required for an organisation in Vietnam',
      );
    }
  } else {
    const result = validateTaxCode(taxCodeText);
    if (result.ok) taxCode = result.normalized;
    else problem('tax_code', result.reason.vi, result.reason.en);
  }

  const headOfficeAddress = requiredText('head_office_address', {
    vi: 'địa chỉ trụ sở',
    en: 'the head-office address',
  });
  const responsiblePerson = requiredText('responsible_person', {
    vi: 'người chịu trách nhiệm',
    en: 'the responsible person',
  });
  const phoneText = cleanText(form.responsible_phone);
  const responsiblePhone = normalizePhone(phoneText) ?? phoneText;
  if (phoneText === '') {
    problem('responsible_phone', 'Chưa nhập số điện thoại', 'the responsible person’s phone is required');
  } else if (!normalizePhone(phoneText)) {
    problem(
      'responsible_phone',
      `"${phoneText}" không phải số điện thoại (0912 345 678, +84 912 345 678, +65 6123 4567)`,
      `"${phoneText}" is not a phone number (0912 345 678, +84 912 345 678, +65 6123 4567)`,
    );
  }

  const contactEmail = cleanText(form.contact_email).toLowerCase();
  if (contactEmail === '') problem('contact_email', 'Chưa nhập email liên hệ', 'a contact e-mail address is required');
  else if (contactEmail.length > 254 || !EMAIL.test(contactEmail)) {
    problem(
      'contact_email',
      `"${contactEmail.slice(0, 80)}" không phải địa chỉ email`,
      `"${contactEmail.slice(0, 80)}" is not an e-mail address`,
    );
  }

  const domains: string[] = [];
  const addDomain = (raw: string, field: string) => {
    const host = tryNormalizeHost(raw);
    const shown = raw.slice(0, 80);
    if (!host) problem(field, `"${shown}" không phải tên miền`, `"${shown}" is not a domain name`);
    else if (host.isIp)
      problem(
        field,
        `${host.host} là địa chỉ IP, không phải tên miền`,
        `${host.host} is an IP address, not a domain name`,
      );
    else if (!host.isListedSuffix) {
      problem(
        field,
        `${host.host} không có tên miền cấp cao hợp lệ`,
        `${host.host} does not end in a known top-level domain`,
      );
    } else if (domains.includes(host.host))
      problem(field, `${host.host} bị liệt kê hai lần`, `${host.host} is listed twice`);
    else domains.push(host.host);
  };
  const primary = cleanText(form.primary_domain);
  if (primary === '') problem('primary_domain', 'Chưa nhập tên miền chính', 'the primary domain is required');
  else addDomain(primary, 'primary_domain');
  for (const other of splitList(form.other_domains, /[\s,;]+/)) addDomain(other, 'other_domains');
  if (domains.length > MAX_DOMAINS) {
    problem(
      'other_domains',
      `Tối đa ${MAX_DOMAINS} tên miền mỗi hồ sơ`,
      `at most ${MAX_DOMAINS} domains per application`,
    );
  }

  const androidApps: string[] = [];
  for (const raw of splitList(form.android_apps, /[\s,;]+/)) {
    const id = normalizeAndroidAppId(raw);
    if (!id) {
      problem(
        'android_apps',
        `"${raw.slice(0, 80)}" không phải mã gói Android hoặc đường dẫn Google Play`,
        `"${raw.slice(0, 80)}" is not an Android package id or Google Play link`,
      );
    } else if (!androidApps.includes(id)) androidApps.push(id);
  }
  const iosApps: string[] = [];
  for (const raw of splitList(form.ios_apps, /[\s,;]+/)) {
    const id = normalizeIosAppId(raw);
    if (!id) {
      problem(
        'ios_apps',
        `"${raw.slice(0, 80)}" không phải mã hoặc đường dẫn App Store`,
        `"${raw.slice(0, 80)}" is not an App Store id or link`,
      );
    } else if (!iosApps.includes(id)) iosApps.push(id);
  }
  if (androidApps.length > MAX_APPS) problem('android_apps', `Tối đa ${MAX_APPS} ứng dụng`, `at most ${MAX_APPS} apps`);
  if (iosApps.length > MAX_APPS) problem('ios_apps', `Tối đa ${MAX_APPS} ứng dụng`, `at most ${MAX_APPS} apps`);

  const goodsCategories = splitList(form.goods_categories, /[\n;]+/)
    .map(cleanText)
    .filter(Boolean);
  if (goodsCategories.length === 0) {
    problem(
      'goods_categories',
      'Nêu ít nhất một nhóm hàng hóa, dịch vụ',
      'name at least one category of goods or services',
    );
  }
  if (goodsCategories.length > MAX_CATEGORIES) {
    problem('goods_categories', `Tối đa ${MAX_CATEGORIES} nhóm`, `at most ${MAX_CATEGORIES} categories`);
  }
  if (goodsCategories.some((category) => category.length > 200)) {
    problem('goods_categories', 'Một nhóm dài quá 200 ký tự', 'a category is longer than 200 characters');
  }

  let vnRepresentative: ApplicationInput['vnRepresentative'] = null;
  const representativeName = cleanText(form.vn_representative_name);
  if (crossBorder) {
    const kindOfRepresentative = cleanText(form.vn_representative_kind);
    if (kindOfRepresentative !== 'legal_entity' && kindOfRepresentative !== 'authorised_representative') {
      problem(
        'vn_representative_kind',
        'Nền tảng nước ngoài phải nêu pháp nhân hoặc người đại diện theo ủy quyền tại Việt Nam (Luật 122/2025/QH15)',
        'a platform abroad names its legal entity or its authorised representative in Vietnam (Law 122/2025/QH15)',
      );
    }
    const name = requiredText(
      'vn_representative_name',
      {
        vi: 'tên pháp nhân hoặc người đại diện tại Việt Nam',
        en: 'the name of the legal entity or representative in Vietnam',
      },
      { name: true },
    );
    const address = requiredText('vn_representative_address', {
      vi: 'địa chỉ tại Việt Nam',
      en: 'the address in Vietnam',
    });
    const representativeTaxText = cleanText(form.vn_representative_tax_code);
    let representativeTaxCode: string | null = null;
    if (representativeTaxText !== '') {
      const result = validateTaxCode(representativeTaxText);
      if (result.ok) representativeTaxCode = result.normalized;
      else problem('vn_representative_tax_code', result.reason.vi, result.reason.en);
    } else if (kindOfRepresentative === 'legal_entity') {
      problem(
        'vn_representative_tax_code',
        'Chưa nhập mã số doanh nghiệp của pháp nhân tại Việt Nam',
        'the tax code of the legal entity in Vietnam is required',
      );
    }
    vnRepresentative = {
      kind: kindOfRepresentative === 'authorised_representative' ? 'authorised_representative' : 'legal_entity',
      name,
      taxCode: representativeTaxCode,
      address,
    };
  } else if (representativeName !== '') {
    problem(
      'vn_representative_name',
      'Chỉ nền tảng của tổ chức ở nước ngoài mới nêu người đại diện tại Việt Nam',
      'only a platform whose organisation is abroad names a representative in Vietnam',
    );
  }

  if (issues.length > 0) throw formIssuesError(issues);
  return {
    kind,
    lawType: lawTypeForKind(kind),
    siteName,
    orgName,
    taxCode,
    country,
    headOfficeAddress,
    responsiblePerson,
    responsiblePhone,
    contactEmail,
    domains,
    androidApps,
    iosApps,
    goodsCategories,
    crossBorder,
    vnRepresentative,
  };
}
