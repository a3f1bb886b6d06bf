import { z } from 'zod';
import { optionalParagraphs, requiredDay, requiredText } from '../../core/validation.ts';
import { uploadedFiles } from '../../web/multipart.ts';
import { CLAIM_STATUSES } from './accounts.table.ts';
import { DECISIONS, ERC_FILE_MISSING, MAX_ERC_FILE_BYTES } from './organisations.service.ts';

/** The forms and API bodies of the claims to organisations (issue 9). */

/** The business's filing of its enterprise registration certificate (a multipart form). */
export const ercFormSchema = z.object({
  erc_number: requiredText(50),
  /** Typed dd/mm/yyyy. */
  erc_issued_on: requiredDay(),
  erc_issuer: requiredText(300),
  representative_name: requiredText(200),
  representative_title: requiredText(200),
  /** Its type is judged by its first bytes in the service; here only the count and the size. */
  erc_file: uploadedFiles({ max: 1, maxBytes: MAX_ERC_FILE_BYTES, required: ERC_FILE_MISSING }),
});

/** The officer's decision: the reasons of a refusal, or what is missing, in `reason`. */
export const decisionBodySchema = z
  .object({
    decision: z.enum(DECISIONS),
    reason: optionalParagraphs(4000).describe(
      'Required to reject (the reasons) or request a supplement (what is missing)',
    ),
  })
  .meta({ id: 'OrganisationClaimDecision' });

export const claimParamsSchema = z.object({ id: z.string().max(100) });

export const claimQuerySchema = z.object({
  status: z.enum([...CLAIM_STATUSES, 'open']).default('open'),
  lang: z.string().optional(),
  done: z.string().max(40).optional(),
});

const documentSchema = z.object({
  id: z.string(),
  filename: z.string(),
  content_type: z.string(),
  byte_size: z.number().int(),
  sha256: z.string(),
});

export const claimSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    tax_code: z.string(),
    status: z.enum(CLAIM_STATUSES),
    erc_number: z.string().nullable(),
    erc_issued_on: z.string().nullable().describe('YYYY-MM-DD'),
    erc_issuer: z.string().nullable(),
    representative_name: z.string().nullable(),
    representative_title: z.string().nullable(),
    document: documentSchema.nullable(),
    submitted_at: z.string().nullable(),
    due_on: z
      .string()
      .nullable()
      .describe('Last day (Vietnam) of the period for the decision (table of procedures: account_verification)'),
    deadline_status: z.enum(['on_time', 'due_today', 'overdue']).nullable(),
    decided_at: z.string().nullable(),
    decided_by: z.string().nullable(),
    decision_reason: z.string().nullable(),
    account_id: z.string().nullable(),
    account_email: z.string().nullable(),
  })
  .meta({ id: 'OrganisationClaim' });

export const queuedClaimSchema = claimSchema
  .extend({ competing: z.array(claimSchema).describe('The other claims of the same tax code') })
  .meta({ id: 'QueuedOrganisationClaim' });

export const claimListSchema = z.object({ claims: z.array(queuedClaimSchema) });
