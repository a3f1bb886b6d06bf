import { z } from 'zod';
import { OFFICER_ROLES, TOKEN_SCOPES } from './permissions.ts';

/** Forms post strings; a missing field arrives as '' so the service names the field in its message. */
const field = (max: number) => z.string().max(max).default('');
const next = z.string().max(500).optional();

export const loginQuerySchema = z.object({
  next,
  lang: z.string().optional(),
  notice: z.enum(['password_changed', 'signed_out_everywhere']).optional(),
});
export const loginBodySchema = z.object({ email: field(254), password: field(256), next });
export const totpLoginBodySchema = z.object({ challenge: field(100), code: field(20), next });

export const signupBodySchema = z.object({
  organisation_name: field(300),
  tax_code: field(40),
  email: field(254),
  password: field(256),
});

export const passwordBodySchema = z.object({ current_password: field(256), new_password: field(256) });
export const totpCodeBodySchema = z.object({ code: field(20) });

export const officerBodySchema = z.object({
  email: field(254),
  display_name: field(200),
  unit_id: field(100),
  role: z.enum(OFFICER_ROLES).or(z.literal('')).default(''),
});

export const tokenBodySchema = z.object({
  name: field(200),
  scope: z
    .union([z.string().max(50), z.array(z.string().max(50)).max(TOKEN_SCOPES.length * 2)])
    .optional()
    .transform((value) => (value === undefined ? [] : [value].flat())),
  expires: field(20),
});

export const idParamsSchema = z.object({ id: z.string().max(100) });

export const principalSchema = z
  .object({
    account_id: z.string(),
    kind: z.enum(['officer', 'business', 'admin', 'partner']),
    unit_id: z.string().nullable(),
    role: z.enum(OFFICER_ROLES).nullable(),
    organisation_id: z.string().nullable(),
    scopes: z.array(z.string()),
    display_name: z.string(),
    email: z.string().nullable(),
    permissions: z.array(z.string()),
  })
  .meta({ id: 'Principal' });

export const auditQuerySchema = z.object({
  entity_type: z.string().max(100).optional(),
  entity_id: z.string().max(200).optional(),
  before: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  lang: z.string().optional(),
});

export const auditEventSchema = z
  .object({
    seq: z.number().int(),
    occurred_at: z.string(),
    actor: z.string(),
    request_id: z.string().nullable(),
    ip: z.string().nullable(),
    action: z.string(),
    entity_type: z.string(),
    entity_id: z.string(),
    changes: z.unknown(),
    prev_hash: z.string(),
    hash: z.string(),
  })
  .meta({ id: 'AuditEvent' });

export const auditListSchema = z.object({
  events: z.array(auditEventSchema),
  next_before: z.number().int().nullable(),
});
