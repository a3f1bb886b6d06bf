import { z } from 'zod';
import { LAW_TYPES_FOR_SCHEMA, PLATFORM_KINDS_FOR_SCHEMA } from './applications.labels.ts';
import { BADGE_REASONS } from './badge.ts';
import { DOMAIN_CHECK_FAILURES } from './domain-control.ts';

const text = (max = 2000) => z.string().max(max).optional();

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

/** The fields of the filing form, also accepted as JSON by the API. */
export const applicationFormSchema = z
  .object({
    kind: text(40),
    site_name: text(),
    org_name: text(),
    tax_code: text(40),
    country: text(10),
    head_office_address: text(),
    responsible_person: text(),
    responsible_phone: text(40),
    contact_email: text(300),
    primary_domain: text(300),
    other_domains: text(),
    android_apps: text(),
    ios_apps: text(),
    goods_categories: text(12_000),
    vn_representative_kind: text(40),
    vn_representative_name: text(),
    vn_representative_tax_code: text(40),
    vn_representative_address: text(),
  })
  .meta({ id: 'ApplicationForm' });

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

export const applicationSchema = z
  .object({
    id: z.string(),
    reference: z.string(),
    type: z.enum(['notification', 'registration', 'renewal']),
    status: z.enum(['submitted', 'supplement_requested', 'approved', 'rejected']),
    kind: z.enum(PLATFORM_KINDS_FOR_SCHEMA),
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
        kind: z.enum(['legal_entity', 'authorised_representative']),
        name: z.string(),
        tax_code: z.string().nullable(),
        address: z.string(),
      })
      .nullable(),
    platform_id: z.string().nullable(),
    registration_no: z.string().nullable(),
    verification_token: z
      .string()
      .describe('Publish it at /.well-known/ecomgov-verification.txt or in a DNS TXT record'),
    received_at: z.string(),
    due_on: z.string().describe('Last day of the review period (3 working days), Vietnam calendar'),
    deadline_at: z.string(),
    deadline_status: z.enum(['on_time', 'due_today', 'overdue']).nullable(),
    supplement_request: z.string().nullable(),
    decision_reason: z.string().nullable(),
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
export const decisionBodySchema = z.object({
  note: z.string().max(4000).optional(),
  missing: z.string().max(4000).optional(),
  reasons: z.string().max(4000).optional(),
});
export const registrationActionBodySchema = z.object({
  reason: z.string().max(4000).default(''),
  legal_basis: z.string().max(4000).default(''),
});
