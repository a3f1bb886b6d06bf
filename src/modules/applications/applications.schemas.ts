import { z } from 'zod';
import { todayInVietnam } from '../../core/dates.ts';
import { AppError, issueMessageEn } from '../../core/errors.ts';
import { tryNormalizeHost } from '../../core/hosts.ts';
import type { Localized } from '../../core/i18n.ts';
import { looksLikePersonalIdNumber, validateTaxCodeOrPersonalId } from '../../core/personal-id.ts';
import { validateTaxCode } from '../../core/tax-code.ts';
import {
  cleanFormText,
  fieldIssuesOfZod,
  localizedRule,
  optionalParagraphs,
  optionalText,
  requiredDay,
  requiredParagraphs,
  requiredText,
} from '../../core/validation.ts';
import {
  type LawPlatformType,
  lawTypeForKind,
  normalizeAndroidAppId,
  normalizeIosAppId,
  PLATFORM_KINDS,
  type PlatformKind,
} from '../registry/index.ts';
import { LAW_TYPES_FOR_SCHEMA, PLATFORM_KINDS_FOR_SCHEMA } from './applications.labels.ts';
import { BADGE_REASONS } from './badge.ts';
import { DOMAIN_CHECK_FAILURES } from './domain-control.ts';

export const badgeVerifyQuerySchema = z.object({
  registration_no: z.string().max(100).optional().describe('Registration number the badge links to (TB-2026-00001)'),
  legacy_id: z
    .string()
    .max(300)
    .optional()
    .describe(
      'Or: the old portal record the badge links to (WebDetails/123, AppDetails/45, or the online.gov.vn link)',
    ),
  domain: z.string().min(1).max(2000).describe('Host or URL of the page showing the badge'),
});

export const badgeVerdictSchema = z
  .object({
    valid: z.boolean(),
    reason: z
      .enum(BADGE_REASONS)
      .describe('valid · unknown_number · domain_not_covered · revoked · suspended · expired · not_current'),
    message: z.object({ vi: z.string(), en: z.string() }),
    registration_no: z.string().nullable(),
    status: z.string().nullable().describe('Status of the record in the register'),
    platform_name: z.string().nullable(),
    valid_until: z.string().nullable(),
    domain: z.string().describe('The domain as normalised (ASCII, no www.)'),
  })
  .meta({ id: 'BadgeVerdict' });

// ---------------------------------------------------------------------------------------------------
// The filing: a notification, an application for registration, a change, a re-registration, a resubmission

/**
 * The representative in Vietnam of a foreign platform is a legal entity (Decree 52/2013 Art. 67a cl. 2, added by
 * Decree 85/2021): the foreign trader's representative office, or a legal person (pháp nhân) it appoints. Filings
 * made before issue 10 may say 'authorised_representative'; it is no longer accepted.
 */
export type RepresentativeKind = 'representative_office' | 'legal_entity';
export const REPRESENTATIVE_KINDS_FOR_SCHEMA = ['representative_office', 'legal_entity'] as const;

/** An organisation files for itself; an individual may notify a sales site only (Decree 52/2013 Art. 52). */
export type ApplicantKind = 'organisation' | 'individual';

/** A filing as checked: what the services take. */
export interface ApplicationInput {
  kind: PlatformKind;
  lawType: LawPlatformType;
  siteName: string;
  orgName: string;
  /** Whether an organisation or an individual (a sales site only) files. */
  applicantKind: ApplicantKind;
  /**
   * Canonical (0101243150 or 0101243150-001); null only for an organisation abroad. For an individual, the 12-digit
   * personal identification number, the personal tax code since 1 July 2025.
   */
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
  /** Required for a platform abroad (Decree 52/2013 Art. 67a): its representative office or appointed legal person. */
  vnRepresentative: {
    kind: RepresentativeKind;
    name: string;
    taxCode: string;
    address: string;
  } | null;
  /**
   * For a platform abroad, the codes of the grounds that make it subject to the rules (table foreign_platform_grounds,
   * Decree 52/2013 Art. 67a cl. 1): at least one; the service checks them against the table.
   */
  foreignGrounds: string[];
}

const MAX_TEXT = 300;
const MAX_DOMAINS = 20;
const MAX_APPS = 20;
const MAX_CATEGORIES = 50;
const MAX_CATEGORY_LENGTH = 200;
// Names go to the register and its CSV export, whose importer refuses cells a spreadsheet would run as formulas.
const FORMULA_START = /^[=+\-@]/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const COUNTRY = /^[A-Z]{2}$/;
const REPRESENTATIVE_KINDS: ReadonlySet<string> = new Set<string>(REPRESENTATIVE_KINDS_FOR_SCHEMA);
const GROUND_CODE = /^[a-z_]{1,40}$/;

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

/** A problem of our own words, on a field of the form (or the field being checked when `path` is left out). */
function problem(text: Localized, path?: string) {
  return { code: 'custom' as const, message: text.en, params: { text }, ...(path ? { path: [path] } : {}) };
}

/** Shown in a problem: what was typed, cut to a length that fits a message. */
function shown(value: string): string {
  return value.slice(0, 80);
}

const NOT_A_FORMULA = localizedRule({
  vi: 'Không được bắt đầu bằng =, +, - hoặc @ (bảng tính sẽ chạy như một công thức).',
  en: 'must not start with =, +, - or @ (a spreadsheet would run it as a formula)',
});

/** A name that goes into the register (and its CSV export). */
function registerName() {
  return requiredText(MAX_TEXT).refine((name) => !FORMULA_START.test(name), NOT_A_FORMULA);
}

/** A list typed one per line or separated by commas, semicolons or spaces. */
function splitList(value: string | undefined, separators: RegExp): string[] {
  return (value ?? '')
    .split(separators)
    .map((item) => item.trim())
    .filter(Boolean);
}

/** App ids typed one per line (ids or store links): each normalised, duplicates dropped. */
function appList(normalize: (raw: string) => string | undefined, notAnApp: (raw: string) => Localized) {
  return optionalParagraphs(4000).transform((value, context) => {
    const apps: string[] = [];
    for (const raw of splitList(value, /[\s,;]+/)) {
      const id = normalize(raw);
      if (!id) context.addIssue(problem(notAnApp(shown(raw))));
      else if (!apps.includes(id)) apps.push(id);
    }
    if (apps.length > MAX_APPS) {
      context.addIssue(problem({ vi: `Tối đa ${MAX_APPS} ứng dụng.`, en: `at most ${MAX_APPS} apps` }));
    }
    return apps;
  });
}

/**
 * An optional tax code, canonical; null when left empty. Twelve digits are read as an individual's personal
 * identification number (whether an individual may file is a rule across fields).
 */
function optionalTaxCode() {
  return optionalText(40).transform((value, context) => {
    if (value === undefined) return null;
    const result = validateTaxCodeOrPersonalId(value, todayInVietnam(new Date()));
    if (result.ok) return result.normalized;
    context.addIssue(problem(result.reason));
    return z.NEVER;
  });
}

/**
 * The domains of a filing: the primary one, then the others (typed one per line or separated by commas or
 * spaces), normalised, each with the problems it has. Both fields are read together: a domain typed in both is
 * listed twice.
 */
function readDomains(primary: unknown, others: unknown) {
  const domains: string[] = [];
  const problems: Array<{ field: 'primary_domain' | 'other_domains'; text: Localized }> = [];
  const add = (raw: string, field: 'primary_domain' | 'other_domains') => {
    const host = tryNormalizeHost(raw);
    const typed = shown(raw);
    if (!host) {
      problems.push({ field, text: { vi: `"${typed}" không phải tên miền`, en: `"${typed}" is not a domain name` } });
    } else if (host.isIp) {
      problems.push({
        field,
        text: {
          vi: `${host.host} là địa chỉ IP, không phải tên miền`,
          en: `${host.host} is an IP address, not a domain name`,
        },
      });
    } else if (!host.isListedSuffix) {
      problems.push({
        field,
        text: {
          vi: `${host.host} không có tên miền cấp cao hợp lệ`,
          en: `${host.host} does not end in a known top-level domain`,
        },
      });
    } else if (domains.includes(host.host)) {
      problems.push({ field, text: { vi: `${host.host} bị liệt kê hai lần`, en: `${host.host} is listed twice` } });
    } else {
      domains.push(host.host);
    }
  };
  if (typeof primary === 'string' && primary !== '') add(primary, 'primary_domain');
  for (const other of splitList(typeof others === 'string' ? others : '', /[\s,;]+/)) add(other, 'other_domains');
  if (domains.length > MAX_DOMAINS) {
    problems.push({
      field: 'other_domains',
      text: { vi: `Tối đa ${MAX_DOMAINS} tên miền mỗi hồ sơ.`, en: `at most ${MAX_DOMAINS} domains per application` },
    });
  }
  return { domains, problems };
}

/** The country as filed: VN when left empty; anything else makes the platform cross-border. */
function countryOf(value: unknown): string {
  return typeof value === 'string' && COUNTRY.test(value) ? value : 'VN';
}

const REQUIRED_ABROAD: Localized = {
  vi: 'Bắt buộc với nền tảng của tổ chức ở nước ngoài.',
  en: 'required for a platform whose organisation is abroad',
};

/**
 * The fields of the filing form, as the page and the JSON API send them, in the order problems are listed.
 * Every problem is found at once, each on its field: the fields one by one, then the rules across fields.
 */
const filingFields = z.object({
  kind: z.enum(PLATFORM_KINDS).describe('sales (a notification) or the kind of platform to register'),
  applicant_kind: z
    .enum(['organisation', 'individual'])
    .optional()
    .describe(
      'organisation (default), or individual: a person notifying a sales site with the 12-digit personal identification number as tax_code',
    ),
  site_name: registerName(),
  org_name: registerName(),
  tax_code: optionalTaxCode().describe(
    "Enterprise code; may be empty only for an organisation abroad. An individual's: the 12-digit personal identification number",
  ),
  country: optionalText(10).transform((value, context) => {
    const country = (value ?? 'VN').toUpperCase();
    if (COUNTRY.test(country)) return country;
    context.addIssue(
      problem({
        vi: `"${shown(country)}" không phải mã quốc gia ISO hai chữ cái (VN, SG, CN…)`,
        en: `"${shown(country)}" is not a two-letter ISO country code (VN, SG, CN…)`,
      }),
    );
    return z.NEVER;
  }),
  head_office_address: requiredText(MAX_TEXT),
  responsible_person: requiredText(MAX_TEXT),
  responsible_phone: requiredText(40).transform((value, context) => {
    const phone = normalizePhone(value);
    if (phone) return phone;
    context.addIssue(
      problem({
        vi: `"${shown(value)}" không phải số điện thoại (0912 345 678, +84 912 345 678, +65 6123 4567)`,
        en: `"${shown(value)}" is not a phone number (0912 345 678, +84 912 345 678, +65 6123 4567)`,
      }),
    );
    return z.NEVER;
  }),
  contact_email: requiredText(254).transform((value, context) => {
    const email = value.toLowerCase();
    if (EMAIL.test(email)) return email;
    context.addIssue(
      problem({ vi: `"${shown(email)}" không phải địa chỉ email`, en: `"${shown(email)}" is not an e-mail address` }),
    );
    return z.NEVER;
  }),
  primary_domain: requiredText(MAX_TEXT).describe('For example shop.vn (a URL is reduced to its host)'),
  other_domains: optionalParagraphs(4000).describe('One per line, or separated by commas or spaces'),
  android_apps: appList(normalizeAndroidAppId, (raw) => ({
    vi: `"${raw}" không phải mã gói Android hoặc đường dẫn Google Play`,
    en: `"${raw}" is not an Android package id or Google Play link`,
  })).describe('Package ids or Google Play links, one per line'),
  ios_apps: appList(normalizeIosAppId, (raw) => ({
    vi: `"${raw}" không phải mã hoặc đường dẫn App Store`,
    en: `"${raw}" is not an App Store id or link`,
  })).describe('App Store ids or links, one per line'),
  goods_categories: requiredParagraphs(12_000)
    .transform((value, context) => {
      const categories = splitList(value, /[\n;]+/)
        .map(cleanFormText)
        .filter(Boolean);
      if (categories.length === 0) {
        context.addIssue(
          problem({
            vi: 'Nêu ít nhất một nhóm hàng hóa, dịch vụ.',
            en: 'name at least one category of goods or services',
          }),
        );
      }
      if (categories.length > MAX_CATEGORIES) {
        context.addIssue(problem({ vi: `Tối đa ${MAX_CATEGORIES} nhóm.`, en: `at most ${MAX_CATEGORIES} categories` }));
      }
      if (categories.some((category) => category.length > MAX_CATEGORY_LENGTH)) {
        context.addIssue(
          problem({
            vi: `Có nhóm dài quá ${MAX_CATEGORY_LENGTH} ký tự.`,
            en: `a category is longer than ${MAX_CATEGORY_LENGTH} characters`,
          }),
        );
      }
      return categories;
    })
    .describe('One category of goods or services per line'),
  vn_representative_kind: optionalText(40).describe(
    'representative_office or legal_entity (an appointed legal person): required for a platform abroad (Decree 52/2013 Art. 67a)',
  ),
  vn_representative_name: optionalText(MAX_TEXT),
  vn_representative_tax_code: optionalText(40),
  vn_representative_address: optionalText(MAX_TEXT),
  foreign_grounds: z
    .union([z.string().max(200), z.array(z.string().max(40)).max(20)])
    .optional()
    .transform((value) => {
      const codes = (typeof value === 'string' ? splitList(value, /[\s,;]+/) : (value ?? [])).filter(Boolean);
      return [...new Set(codes)];
    })
    .describe(
      'For a platform abroad, the grounds that make it subject to the rules (GET /api/v1/applications/foreign-grounds): vn_domain, vietnamese_language, vn_transactions',
    ),
});

const FIELD_ORDER: ReadonlyMap<string, number> = new Map(
  Object.keys(filingFields.shape).map((field, position) => [field, position]),
);

/**
 * The rules across fields: the domains, the tax code an organisation in Vietnam must give, the representative in
 * Vietnam a platform abroad must name. They run even when a field failed (`when`), so that every problem is listed
 * at once; the values of failed fields are then not what the types say, hence the checks of each value.
 */
function checkAcrossFields(form: z.output<typeof filingFields>, context: z.RefinementCtx) {
  const crossBorder = countryOf(form.country) !== 'VN';
  const individual = form.applicant_kind === 'individual';
  const personalNumber = looksLikePersonalIdNumber(form.tax_code);
  if (individual) {
    if (form.kind !== 'sales') {
      context.addIssue(
        problem(
          {
            vi: 'Cá nhân chỉ được thông báo website, ứng dụng bán hàng (Nghị định 52/2013/NĐ-CP, Điều 52); các loại hình khác do thương nhân, tổ chức đăng ký.',
            en: 'an individual may only notify a sales site or app (Decree 52/2013, Art. 52); other kinds are registered by traders and organisations',
          },
          'kind',
        ),
      );
    }
    if (crossBorder) {
      context.addIssue(
        problem(
          {
            vi: 'Cá nhân thông báo bằng số định danh cá nhân của công dân Việt Nam: quốc gia là VN.',
            en: 'an individual notifies with the personal identification number of a Vietnamese citizen: the country is VN',
          },
          'country',
        ),
      );
    }
    if (form.tax_code === null || (typeof form.tax_code === 'string' && !personalNumber)) {
      context.addIssue(
        problem(
          {
            vi: 'Cá nhân nhập số định danh cá nhân 12 chữ số (dùng thay mã số thuế cá nhân từ 01/07/2025).',
            en: 'an individual gives the 12-digit personal identification number (the personal tax code since 1 July 2025)',
          },
          'tax_code',
        ),
      );
    }
  } else if (personalNumber) {
    context.addIssue(
      problem(
        {
          vi: 'Số định danh cá nhân 12 chữ số chỉ dùng khi cá nhân thông báo website bán hàng; tổ chức nhập mã số doanh nghiệp 10 chữ số.',
          en: 'a 12-digit personal identification number is for an individual notifying a sales site; an organisation gives its 10-digit enterprise code',
        },
        'tax_code',
      ),
    );
  }
  if (!crossBorder && form.tax_code === null && !individual) {
    context.addIssue(
      problem(
        {
          vi: 'Chưa nhập mã số doanh nghiệp (bắt buộc với tổ chức tại Việt Nam)',
          en: 'the enterprise tax code is required for an organisation in Vietnam',
        },
        'tax_code',
      ),
    );
  }
  for (const found of readDomains(form.primary_domain, form.other_domains).problems) {
    context.addIssue(problem(found.text, found.field));
  }
  const representativeName = typeof form.vn_representative_name === 'string' ? form.vn_representative_name : '';
  if (crossBorder) {
    const kind = form.vn_representative_kind;
    if (kind === undefined || !REPRESENTATIVE_KINDS.has(kind)) {
      context.addIssue(
        problem(
          {
            vi: 'Nền tảng nước ngoài phải nêu đại diện tại Việt Nam là pháp nhân: văn phòng đại diện, hoặc pháp nhân được chỉ định (Nghị định 52/2013/NĐ-CP, Điều 67a, bổ sung bởi Nghị định 85/2021/NĐ-CP).',
            en: 'a platform abroad names its representative in Vietnam, a legal entity: its representative office or an appointed legal person (Decree 52/2013, Art. 67a, added by Decree 85/2021)',
          },
          'vn_representative_kind',
        ),
      );
    }
    const grounds = Array.isArray(form.foreign_grounds) ? form.foreign_grounds : [];
    if (grounds.length === 0) {
      context.addIssue(
        problem(
          {
            vi: 'Nêu ít nhất một căn cứ khiến nền tảng nước ngoài thuộc diện điều chỉnh: tên miền .vn, giao diện tiếng Việt, hoặc trên 100.000 giao dịch từ Việt Nam trong một năm (Nghị định 52/2013/NĐ-CP, Điều 67a khoản 1).',
            en: 'give at least one ground that makes the foreign platform subject to the rules: a .vn domain, a Vietnamese interface, or more than 100,000 transactions a year from Vietnam (Decree 52/2013, Art. 67a cl. 1)',
          },
          'foreign_grounds',
        ),
      );
    }
    for (const code of grounds) {
      if (!GROUND_CODE.test(code)) {
        context.addIssue(
          problem({ vi: `Không có căn cứ "${shown(code)}"`, en: `no ground "${shown(code)}"` }, 'foreign_grounds'),
        );
      }
    }
    if (representativeName === '') context.addIssue(problem(REQUIRED_ABROAD, 'vn_representative_name'));
    else if (FORMULA_START.test(representativeName)) {
      context.addIssue(problem(NOT_A_FORMULA.params.text, 'vn_representative_name'));
    }
    if (!form.vn_representative_address) context.addIssue(problem(REQUIRED_ABROAD, 'vn_representative_address'));
    const taxCode = form.vn_representative_tax_code;
    if (taxCode) {
      const result = validateTaxCode(taxCode);
      if (!result.ok) context.addIssue(problem(result.reason, 'vn_representative_tax_code'));
    } else {
      context.addIssue(
        problem(
          {
            vi: 'Chưa nhập mã số thuế của đại diện tại Việt Nam (văn phòng đại diện hoặc pháp nhân được chỉ định)',
            en: 'the Vietnamese tax code of the representative in Vietnam (representative office or appointed legal person) is required',
          },
          'vn_representative_tax_code',
        ),
      );
    }
  } else {
    if (representativeName !== '') {
      context.addIssue(
        problem(
          {
            vi: 'Chỉ nền tảng của tổ chức ở nước ngoài mới nêu người đại diện tại Việt Nam.',
            en: 'only a platform whose organisation is abroad names a representative in Vietnam',
          },
          'vn_representative_name',
        ),
      );
    }
    if (Array.isArray(form.foreign_grounds) && form.foreign_grounds.length > 0) {
      context.addIssue(
        problem(
          {
            vi: 'Chỉ nền tảng của tổ chức ở nước ngoài mới nêu căn cứ thuộc diện điều chỉnh của nền tảng nước ngoài.',
            en: 'only a platform whose organisation is abroad gives the grounds that make a foreign platform subject',
          },
          'foreign_grounds',
        ),
      );
    }
  }
  // Listed in the order of the fields, as a reader goes through the form (zod lists the rules across fields last).
  context.issues.sort(
    (a, b) => (FIELD_ORDER.get(String(a.path?.[0])) ?? -1) - (FIELD_ORDER.get(String(b.path?.[0])) ?? -1),
  );
}

function filingOf(form: z.output<typeof filingFields>): ApplicationInput {
  const country = countryOf(form.country);
  const crossBorder = country !== 'VN';
  const representativeTaxCode = form.vn_representative_tax_code
    ? validateTaxCode(form.vn_representative_tax_code)
    : undefined;
  return {
    kind: form.kind,
    applicantKind: form.applicant_kind === 'individual' ? 'individual' : 'organisation',
    lawType: lawTypeForKind(form.kind),
    siteName: form.site_name,
    orgName: form.org_name,
    taxCode: form.tax_code,
    country,
    headOfficeAddress: form.head_office_address,
    responsiblePerson: form.responsible_person,
    responsiblePhone: form.responsible_phone,
    contactEmail: form.contact_email,
    domains: readDomains(form.primary_domain, form.other_domains).domains,
    androidApps: form.android_apps,
    iosApps: form.ios_apps,
    goodsCategories: form.goods_categories,
    crossBorder,
    vnRepresentative: crossBorder
      ? {
          kind: form.vn_representative_kind === 'representative_office' ? 'representative_office' : 'legal_entity',
          name: form.vn_representative_name ?? '',
          taxCode: representativeTaxCode?.ok ? representativeTaxCode.normalized : '',
          address: form.vn_representative_address ?? '',
        }
      : null,
    foreignGrounds: crossBorder ? form.foreign_grounds : [],
  };
}

/**
 * The filing form: the body of the filing pages (new, resubmission, change, re-registration) and of
 * `POST /api/v1/applications`.
 * It gives the filing as the services take it.
 */
export const applicationFormSchema = filingFields
  .superRefine(checkAcrossFields, { when: () => true })
  .transform(filingOf)
  .meta({ id: 'ApplicationForm' });

/** The filing form's fields as a form sends them: text, absent when left empty. */
export type ApplicationForm = {
  [field in keyof z.input<typeof filingFields>]?: field extends 'foreign_grounds'
    ? string | string[] | undefined
    : string | undefined;
};

/**
 * Checks a filing given in code (the CLI, tests): the filing, or AppError invalid_input listing every problem on
 * its field, as the API does.
 */
export function parseApplicationForm(form: ApplicationForm): ApplicationInput {
  const parsed = applicationFormSchema.safeParse(form);
  if (parsed.success) return parsed.data;
  const issues = fieldIssuesOfZod(parsed.error.issues, form);
  const listed = issues.map((issue) => `${issue.field}: ${issueMessageEn(issue)}`).join('; ');
  throw new AppError(
    'invalid_input',
    {
      vi: `Hồ sơ có ${issues.length} lỗi cần sửa`,
      en: `the application has ${issues.length} problem(s): ${listed}`,
    },
    { field: issues[0]?.field, issues },
  );
}

/** The change-of-information form: the filing, and the day the information changed (Circular 47 Art. 11, 17). */
export const changeFormSchema = z.intersection(
  applicationFormSchema,
  z.object({ information_changed_on: requiredDay() }),
);

export const applicationDomainSchema = z.object({
  domain: z.string(),
  primary: z.boolean(),
  verified: z.boolean(),
  verified_by: z.enum(['http', 'dns']).nullable(),
  verified_at: z.string().nullable(),
  last_checked_at: z.string().nullable(),
  last_check_failures: z
    .array(z.enum(DOMAIN_CHECK_FAILURES))
    .describe('Why the last check failed: the categories the applicant is told'),
  last_check_detail: z
    .string()
    .nullable()
    .describe("What the last check met (addresses, errors): officers only, null in a business's view"),
});

export const legalGroundSchema = z
  .object({
    code: z.string(),
    label: z.object({ vi: z.string(), en: z.string() }),
    provision: z.string(),
    source_url: z.string(),
    source_status: z
      .enum(['verified', 'unverified', 'disputed'])
      .describe('Whether the provision was checked against the official text, or the sources disagree'),
    note: z.string(),
    effective_from: z.string().describe('YYYY-MM-DD: the day the ground took effect'),
    effective_to: z.string().nullable().describe('YYYY-MM-DD: its last day in force; null while in force'),
  })
  .meta({ id: 'LegalGround' });

export const legalGroundListSchema = z.object({ grounds: z.array(legalGroundSchema) }).meta({ id: 'LegalGroundList' });

export const applicationSchema = z
  .object({
    id: z.string(),
    reference: z.string(),
    type: z.enum(['notification', 'registration', 'change', 'reregistration']),
    status: z.enum(['submitted', 'supplement_requested', 'approved', 'rejected']),
    kind: z.enum(PLATFORM_KINDS_FOR_SCHEMA),
    applicant_kind: z
      .enum(['organisation', 'individual'])
      .describe("individual: a person's sales site; tax_code is then the personal identification number"),
    law_type: z.enum(LAW_TYPES_FOR_SCHEMA).describe('Platform type in the terms of Law No. 122/2025/QH15'),
    site_name: z.string(),
    org_name: z.string(),
    tax_code: z.string().nullable(),
    country: z.string(),
    cross_border: z.boolean(),
    head_office_address: z.string(),
    responsible_person: z.string(),
    responsible_phone: z.string(),
    contact_email: z.string(),
    domains: z.array(applicationDomainSchema),
    android_apps: z.array(z.string()),
    ios_apps: z.array(z.string()),
    goods_categories: z.array(z.string()),
    vn_representative: z
      .object({
        kind: z
          .enum(['representative_office', 'legal_entity', 'authorised_representative'])
          .describe('authorised_representative only on filings made before it was refused (issue 10)'),
        name: z.string(),
        tax_code: z.string().nullable(),
        address: z.string(),
      })
      .nullable(),
    foreign_grounds: z
      .array(legalGroundSchema)
      .describe('For a platform abroad, the grounds recorded that make it subject to the rules'),
    platform_id: z.string().nullable(),
    registration_no: z.string().nullable(),
    information_changed_on: z.string().nullable().describe('A change: the day the information changed'),
    change_report_due_on: z
      .string()
      .nullable()
      .describe('A change: the last day to report it (table of procedures, change_report)'),
    reported_late: z.boolean().nullable().describe('A change: reported after change_report_due_on'),
    verification_token: z
      .string()
      .describe('Publish it at /.well-known/ecomgov-verification.txt or in a DNS TXT record'),
    received_at: z.string(),
    due_on: z
      .string()
      .describe(
        "Last day of the review period (the procedure's working days in the table of procedures), Vietnam calendar",
      ),
    deadline_at: z.string(),
    deadline_status: z.enum(['on_time', 'due_today', 'overdue']).nullable(),
    supplement_request: z.string().nullable(),
    decision_reason: z.string().nullable(),
    refusal_ground: legalGroundSchema.nullable().describe('The legal ground a refusal cites'),
    decided_at: z.string().nullable(),
    decided_by: z.string().nullable(),
    revision: z.number().int(),
    applicant_account_id: z.string(),
    applicant_organisation_id: z.string(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'Application' });

export const applicationListSchema = z
  .object({ total: z.number().int(), applications: z.array(applicationSchema) })
  .meta({ id: 'ApplicationList' });

export const queueQuerySchema = z.object({
  status: z.enum(['submitted', 'supplement_requested', 'approved', 'rejected', 'open', 'all']).default('submitted'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});

export const idParamsSchema = z.object({ id: z.string().max(100) });

// ---------------------------------------------------------------------------------------------------
// The officers' forms

export const approveBodySchema = z.object({ note: optionalParagraphs(4000) });
export const supplementBodySchema = z.object({ missing: requiredParagraphs(4000) });
export const rejectBodySchema = z.object({
  refusal_ground: requiredText(40).describe(
    'Code of the legal ground (GET /api/v1/applications/refusal-grounds); domain control not proved is not one',
  ),
  reasons: requiredParagraphs(4000),
});

/** Suspension, revocation, reinstatement: why, and under which provision. */
export const registrationActionBodySchema = z.object({
  reason: requiredParagraphs(4000),
  legal_basis: requiredText(500),
});
