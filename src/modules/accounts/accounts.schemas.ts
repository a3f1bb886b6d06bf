import { z } from 'zod';
import { todayInVietnam } from '../../core/dates.ts';
import { validateTaxCodeOrPersonalId } from '../../core/personal-id.ts';
import {
  formList,
  localizedRule,
  optionalText,
  requiredDay,
  requiredSecret,
  requiredText,
} from '../../core/validation.ts';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './passwords.ts';
import { OFFICER_ROLES, TOKEN_SCOPES } from './permissions.ts';

/** The forms of the accounts pages (built from the shared field builders) and the API's answers. */

const next = z.string().max(500).optional();
const email = requiredText(254).pipe(z.email());
const password = requiredSecret(PASSWORD_MAX_LENGTH);
const newPassword = requiredSecret(PASSWORD_MAX_LENGTH).pipe(z.string().min(PASSWORD_MIN_LENGTH));
const totpCode = requiredText(20);

export const loginQuerySchema = z.object({
  next,
  lang: z.string().optional(),
  notice: z.enum(['password_changed', 'signed_out_everywhere', 'email_confirmed']).optional(),
});
/** Any text as the e-mail: an address that is not one answers like a wrong password, as an unknown one does. */
export const loginBodySchema = z.object({ email: requiredText(254), password, next });
export const totpLoginBodySchema = z.object({ challenge: z.string().max(100), code: totpCode, next });

export const signupBodySchema = z.object({
  organisation_name: requiredText(300),
  tax_code: requiredText(40).superRefine((code, context) => {
    // An individual who notifies a sales site signs up with the 12-digit personal identification number (issue 10).
    const result = validateTaxCodeOrPersonalId(code, todayInVietnam(new Date()));
    if (!result.ok) context.addIssue({ code: 'custom', ...localizedRule(result.reason) });
  }),
  email: email.transform((address) => address.toLowerCase()),
  password: newPassword,
});

export const confirmQuerySchema = z.object({ token: z.string().max(100).default(''), lang: z.string().optional() });
export const confirmBodySchema = z.object({ token: z.string().max(100) });

export const accountQuerySchema = z.object({
  lang: z.string().optional(),
  done: z.enum(['totp_enabled', 'totp_disabled']).optional(),
});
export const passwordBodySchema = z.object({ current_password: password, new_password: newPassword });
export const totpStartBodySchema = z.object({ current_password: password });
export const totpCodeBodySchema = z.object({ code: totpCode, current_password: password });

export const adminQuerySchema = z.object({
  lang: z.string().optional(),
  done: z.enum(['account_disabled', 'account_enabled', 'token_revoked']).optional(),
});
export const officerBodySchema = z.object({
  email,
  display_name: optionalText(200),
  unit: requiredText(100),
  role: z.enum(OFFICER_ROLES),
});

export const tokenBodySchema = z.object({
  name: requiredText(200),
  scope: formList(z.enum(TOKEN_SCOPES)).refine(
    (scopes) => scopes.length > 0,
    localizedRule({ vi: 'Hãy chọn ít nhất một phạm vi.', en: 'Choose at least one scope.' }),
  ),
  expires: requiredDay(),
});

export const idParamsSchema = z.object({ id: z.string().max(100) });

export const principalSchema = z
  .object({
    account_id: z.string(),
    kind: z.enum(['officer', 'business', 'admin', 'partner']),
    unit_id: z.string().nullable(),
    role: z.enum(OFFICER_ROLES).nullable(),
    organisation_id: z.string().nullable(),
    organisation_verified: z
      .boolean()
      .describe(
        'A business account acts for its organisation only once an officer has verified it from its enterprise registration certificate (/business/organisation).',
      ),
    scopes: z.array(z.string()),
    display_name: z.string(),
    email: z.string().nullable(),
    permissions: z.array(z.string()),
    totp_enabled: z.boolean(),
    must_enrol_totp: z
      .boolean()
      .describe(
        'The policy requires two-step verification of this account and it is not on yet: until it is, the session can only turn it on (/account#totp), change the password and sign out; other calls answer 403.',
      ),
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
